#include "rfc3339.h"

#include "error.h"

#include <cstdio>

namespace traces {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
    static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Reads exactly `width` ASCII digits at `pos`.
bool digits(std::string_view s, size_t pos, size_t width, int64_t& out) {
    if (pos + width > s.size()) return false;
    int64_t v = 0;
    for (size_t i = pos; i < pos + width; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

}  // namespace

std::string format_rfc3339(int64_t unix_us) {
    if (unix_us < kRfc3339MinUs || unix_us > kRfc3339MaxUs)
        throw Error(ErrorKind::DatetimeOutOfRange, "timestamp outside the years RFC 3339 can represent");
    const int64_t days = floor_div(unix_us, kMicrosPerDay);
    int64_t in_day = unix_us - days * kMicrosPerDay;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    const int64_t micros = in_day % 1000000;
    const int64_t secs = in_day / 1000000;
    char buf[40];
    int len = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                            static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                            static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    std::string out(buf, static_cast<size_t>(len));
    if (micros != 0) {
        char frac[8];
        std::snprintf(frac, sizeof frac, "%06lld", static_cast<long long>(micros));
        std::string_view f(frac, 6);
        while (!f.empty() && f.back() == '0') f.remove_suffix(1);
        out += '.';
        out += f;
    }
    out += 'Z';
    return out;
}

std::optional<int64_t> parse_rfc3339(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
    int64_t y, mo, d, h, mi, se;
    if (!digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, mo) ||
        s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
        !digits(s, 17, 2, se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(mo)) || h > 23 ||
        mi > 59 || se > 59)
        return std::nullopt;
    size_t pos = 19;
    int64_t micros = 0;
    if (s[pos] == '.') {
        ++pos;
        size_t first = pos;
        int64_t scale = 100000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            const int digit = s[pos] - '0';
            if (scale > 0) {
                micros += digit * scale;
                scale /= 10;
            } else if (digit != 0) {
                return std::nullopt;  // finer than a microsecond: cannot be ours
            }
            ++pos;
        }
        if (pos == first) return std::nullopt;
    }
    if (pos >= s.size()) return std::nullopt;
    int64_t offset_minutes = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int64_t oh, om;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    const int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_minutes * 60;
    return secs * 1000000 + micros;
}

}  // namespace traces
