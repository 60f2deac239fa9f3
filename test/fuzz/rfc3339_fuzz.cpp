// libFuzzer target: RFC 3339 parsing and formatting.
// Properties: parse never crashes; a parsed value inside the representable
// years formats to text that parses back to the same value, and to the very
// input when the input was already in canonical form; outside them, format
// throws the core's DatetimeOutOfRange error. The first 8 bytes, read as an int64, also drive
// format directly.
#include "core/error.h"
#include "core/rfc3339.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char* what, std::string_view a, std::string_view b) {
    std::fprintf(stderr, "rfc3339_fuzz: %s: '%.*s' vs '%.*s'\n", what, static_cast<int>(a.size()), a.data(),
                 static_cast<int>(b.size()), b.data());
    std::abort();
}

bool digit(char c) { return c >= '0' && c <= '9'; }

// YYYY-MM-DDTHH:MM:SS[.f]Z with upper-case T and Z, and a fraction of 1 to 6
// digits whose last one is not 0: the only spelling format_rfc3339 writes.
bool canonical(std::string_view s) {
    if (s.size() < 20 || s.back() != 'Z') return false;
    const char* shape = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; i < 19; ++i)
        if (shape[i] == 'd' ? !digit(s[i]) : s[i] != shape[i]) return false;
    if (s.size() == 20) return true;
    const std::string_view frac = s.substr(20, s.size() - 21);
    if (s[19] != '.' || frac.empty() || frac.size() > 6 || frac.back() == '0') return false;
    for (char c : frac)
        if (!digit(c)) return false;
    return true;
}

void check_format(int64_t us) {
    const bool in_range = us >= traces::kRfc3339MinUs && us <= traces::kRfc3339MaxUs;
    std::string text;
    try {
        text = traces::format_rfc3339(us);
    } catch (const traces::Error& e) {
        if (e.kind() != traces::ErrorKind::DatetimeOutOfRange) fail("format threw another kind", e.what(), "");
        if (in_range) fail("format threw inside the range", std::to_string(us), "");
        return;
    }
    if (!in_range) fail("format accepted a value outside the range", std::to_string(us), text);
    if (!canonical(text)) fail("format wrote a non-canonical text", text, "");
    const auto back = traces::parse_rfc3339(text);
    if (!back || *back != us) fail("format/parse round trip", std::to_string(us), text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (const auto us = traces::parse_rfc3339(input)) {
        check_format(*us);
        if (*us >= traces::kRfc3339MinUs && *us <= traces::kRfc3339MaxUs) {
            const std::string again = traces::format_rfc3339(*us);
            if (canonical(input) && again != input) fail("canonical input not reproduced", input, again);
        }
    } else if (canonical(input)) {
        // Canonical shape but refused: only an impossible date or time may be.
        int mo = std::atoi(std::string(input.substr(5, 2)).c_str());
        int d = std::atoi(std::string(input.substr(8, 2)).c_str());
        int h = std::atoi(std::string(input.substr(11, 2)).c_str());
        int mi = std::atoi(std::string(input.substr(14, 2)).c_str());
        int s = std::atoi(std::string(input.substr(17, 2)).c_str());
        if (mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h <= 23 && mi <= 59 && s <= 59)
            fail("a valid canonical text was refused", input, "");
    }
    if (size >= 8) {
        int64_t us;
        std::memcpy(&us, data, sizeof us);
        check_format(us);
        // Also near the range ends, where off-by-one errors live.
        check_format(traces::kRfc3339MinUs + static_cast<int64_t>(static_cast<uint64_t>(us) % 100000000000ULL));
        check_format(traces::kRfc3339MaxUs - static_cast<int64_t>(static_cast<uint64_t>(us) % 100000000000ULL));
    }
    return 0;
}
