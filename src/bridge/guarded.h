// The bridge's exception firewall: guarded() runs a body and turns whatever
// it throws into a tr_error. Kept apart from traces_bridge.cpp so the unit
// tests can feed it exceptions the core never throws on purpose (a library's
// std::out_of_range) and see how each one is reported.
#pragma once
#include "traces_bridge.h"

namespace traces::bridge {

// Sets `err` (may be NULL): its kind and its message, cut to fit the buffer
// and always NUL-terminated.
void set_error(tr_error* err, tr_error_kind kind, const char* message) noexcept;

// Reports the exception being handled into `err`. Only the core's
// traces::Error maps to a user-facing kind (by its ErrorKind), and
// std::bad_alloc to out of memory; anything else is a bug, reported as
// TR_INTERNAL with its message, never as bad input (docs/contract.md §3).
// Call only from inside a catch block.
void report_current_exception(tr_error* err) noexcept;

// Clears `err`, runs `body`; on any exception reports it and returns false.
template <typename F>
bool guarded(tr_error* err, F&& body) noexcept {
    set_error(err, TR_OK, "");
    try {
        body();
        return true;
    } catch (...) {
        report_current_exception(err);
    }
    return false;
}

}  // namespace traces::bridge
