#include "metrics.h"

#include <algorithm>

namespace traces {

CountParse parse_count(std::string_view s) {
    const CountParse bad_syntax{false, 0, "is not a number"};
    size_t pos = 0;
    bool negative = false;
    if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) negative = s[pos++] == '-';
    // Collect the significant digits and where the decimal point sits.
    std::string digits;
    long long point = -1;
    size_t start = pos;
    for (; pos < s.size(); ++pos) {
        const char c = s[pos];
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == '.' && point < 0) {
            point = static_cast<long long>(digits.size());
        } else {
            break;
        }
    }
    if (digits.empty() || pos == start) return bad_syntax;
    if (point < 0) point = static_cast<long long>(digits.size());
    long long exponent = 0;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        bool exp_negative = false;
        if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) exp_negative = s[pos++] == '-';
        if (pos == s.size()) return bad_syntax;
        for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos)
            if (exponent < 100000) exponent = exponent * 10 + (s[pos] - '0');
        exponent = exp_negative ? -exponent : exponent;
    }
    if (pos != s.size()) return bad_syntax;

    // Value = 0.digits... shifted: integer part is digits[0 .. point+exponent).
    const long long int_len = point + exponent;
    bool all_zero = true;
    for (char c : digits) all_zero = all_zero && c == '0';
    if (all_zero) return CountParse{true, 0, nullptr};
    if (negative) return CountParse{false, 0, "is negative"};
    for (long long i = std::max(0LL, int_len); i < static_cast<long long>(digits.size()); ++i)
        if (digits[static_cast<size_t>(i)] != '0') return CountParse{false, 0, "is not an integer"};
    if (int_len > 19 + static_cast<long long>(digits.size())) return CountParse{false, 0, "is too large"};
    unsigned __int128 v = 0;
    for (long long i = 0; i < int_len; ++i) {
        const char c = i < static_cast<long long>(digits.size()) ? digits[static_cast<size_t>(i)] : '0';
        v = v * 10 + static_cast<unsigned>(c - '0');
        if (v > static_cast<unsigned __int128>(INT64_MAX)) return CountParse{false, 0, "is too large"};
    }
    return CountParse{true, static_cast<int64_t>(v), nullptr};
}

}  // namespace traces
