// Validation of a progress report's counters (`metrics.success`/`failed`).
#pragma once
#include "no_postgres.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace traces {

struct CountParse {
    bool ok;
    int64_t value;
    const char* problem;  // static text when !ok
};

// A JSON number in decimal text (as PostgreSQL prints a numeric: optional
// sign, digits, optional fraction; also exponents) that must be a non-negative
// integer fitting 64 bits. "12", "12.000" and "1.2e1" are 12; "-1", "1.5",
// "1e19" are refused with the reason.
CountParse parse_count(std::string_view text);

}  // namespace traces
