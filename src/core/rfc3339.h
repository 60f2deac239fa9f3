// RFC 3339 timestamps in UTC, the only time format the API speaks.
#pragma once
#include "no_postgres.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace traces {

// Earliest and latest instants RFC 3339 can write (years 0000 to 9999).
constexpr int64_t kRfc3339MinUs = -62167219200LL * 1000000;  // 0000-01-01T00:00:00Z
constexpr int64_t kRfc3339MaxUs = 253402300799999999LL;      // 9999-12-31T23:59:59.999999Z

// "2026-04-14T10:15:00Z", "2026-04-14T10:15:00.25Z": UTC with Z, fractional
// seconds only when non-zero and without trailing zeros. Throws Error
// (DatetimeOutOfRange) outside years 0000-9999.
std::string format_rfc3339(int64_t unix_us);

// Parses RFC 3339 date-time (any offset, 't'/'z' in either case, up to 6
// fractional digits, or more when the extra ones are zeros) into Unix
// microseconds. Anything else, including leap seconds, yields nullopt.
std::optional<int64_t> parse_rfc3339(std::string_view text);

}  // namespace traces
