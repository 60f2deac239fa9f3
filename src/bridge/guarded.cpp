#include "guarded.h"

#include "../core/error.h"

#include <cstring>
#include <exception>
#include <new>

namespace traces::bridge {
namespace {

tr_error_kind kind_of(ErrorKind kind) {
    switch (kind) {  // no default: -Wswitch flags a kind added without a mapping
        case ErrorKind::InvalidParameter: return TR_INVALID_VALUE;
        case ErrorKind::NumericOutOfRange: return TR_NUMERIC_OVERFLOW;
        case ErrorKind::DatetimeOutOfRange: return TR_DATETIME_OVERFLOW;
        case ErrorKind::TooLarge: return TR_TOO_LARGE;
    }
    return TR_INTERNAL;  // a value outside the enum: corrupted, so a bug
}

}  // namespace

void set_error(tr_error* err, tr_error_kind kind, const char* message) noexcept {
    if (!err) return;
    err->kind = kind;
    std::strncpy(err->message, message, sizeof err->message - 1);
    err->message[sizeof err->message - 1] = '\0';
}

void report_current_exception(tr_error* err) noexcept {
    try {
        throw;
    } catch (const Error& e) {
        set_error(err, kind_of(e.kind()), e.what());
    } catch (const std::bad_alloc&) {
        set_error(err, TR_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        set_error(err, TR_INTERNAL, e.what());
    } catch (...) {
        set_error(err, TR_INTERNAL, "unknown C++ exception");
    }
}

}  // namespace traces::bridge
