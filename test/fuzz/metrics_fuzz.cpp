// libFuzzer target: parse_count, the metrics counter reader. Any input must
// be answered without crashing; inputs up to 64 bytes are cross-checked
// against the independent implementation below (same answers, same reasons).
#include "bridge/traces_bridge.h"
#include "core/metrics.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

struct Expected {
    bool ok;
    int64_t value;
    const char* problem;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Grammar: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]. The
// value is mantissa * 10^exponent; normalise the mantissa to an integer
// without leading or trailing zeros, then judge sign, fraction and size.
Expected reference(std::string_view s) {
    const Expected not_a_number{false, 0, "is not a number"};
    size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    std::string int_part, frac_part;
    while (i < s.size() && is_digit(s[i])) int_part += s[i++];
    if (i < s.size() && s[i] == '.')
        for (++i; i < s.size() && is_digit(s[i]);) frac_part += s[i++];
    if (int_part.empty() && frac_part.empty()) return not_a_number;
    long long exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
        const size_t first = i;
        for (; i < s.size() && is_digit(s[i]); ++i)
            exponent = std::min(exponent * 10 + (s[i] - '0'), 10000000LL);  // far beyond 64 digits
        if (i == first) return not_a_number;
        if (exp_negative) exponent = -exponent;
    }
    if (i != s.size()) return not_a_number;

    std::string digits = int_part + frac_part;
    long long scale = exponent - static_cast<long long>(frac_part.size());
    const size_t first_nonzero = digits.find_first_not_of('0');
    if (first_nonzero == std::string::npos) return {true, 0, nullptr};  // zero, whatever its sign
    digits.erase(0, first_nonzero);
    if (negative) return {false, 0, "is negative"};
    while (digits.back() == '0') {
        digits.pop_back();
        ++scale;
    }
    if (scale < 0) return {false, 0, "is not an integer"};
    if (static_cast<long long>(digits.size()) + scale > 19) return {false, 0, "is too large"};
    const std::string full = digits + std::string(static_cast<size_t>(scale), '0');
    if (full.size() == 19 && full > "9223372036854775807") return {false, 0, "is too large"};
    return {true, std::stoll(full), nullptr};
}

[[noreturn]] void fail(const char* what, std::string_view input) {
    std::fprintf(stderr, "metrics_fuzz: %s for '%.*s'\n", what, static_cast<int>(input.size()), input.data());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const traces::CountParse got = traces::parse_count(input);
    if (got.ok && (got.value < 0 || got.problem)) fail("accepted with a negative value or a problem", input);
    if (!got.ok && !got.problem) fail("refused without a reason", input);

    int64_t value = -1;
    const char* problem = nullptr;
    const bool ok = tr_parse_count(input.data(), input.size(), &value, &problem);
    if (ok != got.ok || (ok && value != got.value)) fail("bridge and core disagree", input);

    if (size <= 64) {
        const Expected want = reference(input);
        if (want.ok != got.ok) fail(want.ok ? "wrongly refused" : "wrongly accepted", input);
        if (want.ok && want.value != got.value) fail("wrong value", input);
        if (!want.ok && std::strcmp(want.problem, got.problem) != 0) fail("wrong reason", input);
    }
    return 0;
}
