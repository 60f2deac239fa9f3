// Helpers shared by the unit tests and the fuzz targets (test/fuzz includes
// this file too, so it stays plain C++ over the core: no GoogleTest here).
#pragma once
#include "core/error.h"
#include "core/trace.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>

namespace traces {

constexpr int64_t kSecond = 1000000;
constexpr int64_t kLatest = 1776161700LL * kSecond;  // 2026-04-14T10:15:00Z, a latest_event_at

// A progress row of stream (input, kind); no input is the job-level stream.
inline ProgressRow progress_row(std::optional<std::string_view> input, std::string_view kind, int64_t at,
                                int64_t success, int64_t failed = 0) {
    ProgressRow r;
    r.input_is_null = !input;
    if (input) r.input_id = *input;
    r.kind = kind;
    r.created_at_us = at;
    r.success = success;
    r.failed = failed;
    return r;
}

// t_k = start + floor((k+1) * span / n) written without a 128-bit product,
// as a model for point_time: split span = q*n + r, then
// (k+1)*span/n = (k+1)*q + (k+1)*r/n, and (k+1)*r < n*n fits 64 bits.
inline int64_t reference_point(int64_t start, int64_t span, int32_t n, int32_t k) {
    const int64_t q = span / n, r = span % n;
    return start + (int64_t{k} + 1) * q + (int64_t{k} + 1) * r / n;
}

// The kind of the traces::Error that `f` throws; nullopt when it returns.
// Any other exception passes through, so a test sees it as unexpected.
template <typename F>
std::optional<ErrorKind> error_kind_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind();
    }
    return std::nullopt;
}

// Kinds by name in test failure messages.
inline std::ostream& operator<<(std::ostream& os, ErrorKind kind) {
    switch (kind) {
        case ErrorKind::InvalidParameter: return os << "InvalidParameter";
        case ErrorKind::NumericOutOfRange: return os << "NumericOutOfRange";
        case ErrorKind::DatetimeOutOfRange: return os << "DatetimeOutOfRange";
    }
    return os << "ErrorKind(" << static_cast<int>(kind) << ")";
}

}  // namespace traces
