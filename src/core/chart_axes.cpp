#include "chart_axes.h"

#include "rfc3339.h"

#include <stdexcept>

namespace traces {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The first multiple of `step` at or after `start`, in 128 bits (it may pass INT64_MAX).
__int128 first_multiple(int64_t start, int64_t step) {
    __int128 q = floor_div(start, step);
    __int128 m = q * step;
    return m < start ? m + step : m;
}

// How many multiples of `step` lie in [start, end].
__int128 count_multiples(int64_t start, int64_t end, int64_t step) {
    return static_cast<__int128>(floor_div(end, step)) - floor_div(start - 1, step);
}

std::string digits(unsigned __int128 v) {
    if (v == 0) return "0";
    std::string s;
    while (v > 0) {
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
        v /= 10;
    }
    return s;
}

}  // namespace

const std::vector<int64_t>& time_steps_us() {
    static const std::vector<int64_t> steps = [] {
        std::vector<int64_t> s = {100 * kMs, 200 * kMs, 500 * kMs,
                                  kSec,      2 * kSec,  5 * kSec,  10 * kSec, 15 * kSec, 30 * kSec,
                                  kMin,      2 * kMin,  5 * kMin,  10 * kMin, 15 * kMin, 30 * kMin,
                                  kHour,     2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour};
        // 1-2-5 days up to the first step longer than any span of int64 microseconds.
        for (int64_t decade = kDay;; decade *= 10) {
            for (int64_t m : {1, 2, 5}) {
                if (decade > INT64_MAX / m) return s;
                s.push_back(decade * m);
            }
            if (decade > INT64_MAX / 10) return s;
        }
    }();
    return steps;
}

TimeTicks time_ticks(int64_t start_us, int64_t end_us, int32_t max_ticks) {
    if (max_ticks < 1 || end_us < start_us) throw std::invalid_argument("time_ticks: bad arguments");
    TimeTicks t;
    for (int64_t step : time_steps_us()) {
        t.step_us = step;
        if (count_multiples(start_us, end_us, step) <= max_ticks) break;
    }
    const int64_t step = t.step_us;
    t.label = step >= kDay ? TimeLabel::kDay
            : step >= kMin ? TimeLabel::kMinute
            : step >= kSec ? TimeLabel::kSecond
                           : TimeLabel::kSubSecond;
    for (__int128 at = first_multiple(start_us, step); at <= end_us; at += step)
        t.at_us.push_back(static_cast<int64_t>(at));
    return t;
}

std::string time_label(int64_t at_us, TimeLabel label) {
    const std::string s = format_rfc3339(at_us);  // YYYY-MM-DDTHH:MM:SS[.f]Z
    switch (label) {
        case TimeLabel::kDay: return s.substr(0, 10);
        case TimeLabel::kMinute: return s.substr(11, 5);
        case TimeLabel::kSecond: return s.substr(11, 8);
        case TimeLabel::kSubSecond: {
            std::string hms = s.substr(11, s.size() - 12);  // drop the Z
            if (hms.size() == 8) hms += ".0";               // a whole second among tenths
            return hms;
        }
    }
    return s;
}

CountAxis count_axis(int64_t max_value, int32_t max_intervals) {
    if (max_value < 0 || max_intervals < 1) throw std::invalid_argument("count_axis: bad arguments");
    const __int128 m = max_value < 1 ? 1 : max_value;
    for (__int128 decade = 1;; decade *= 10) {
        for (int f : {1, 2, 5}) {
            const __int128 step = decade * f;
            const __int128 intervals = (m + step - 1) / step;
            if (intervals <= max_intervals) return CountAxis{step, intervals * step};
        }
    }
}

std::string count_label(__int128 value, __int128 step) {
    static const char kPrefix[] = {'k', 'M', 'G', 'T', 'P', 'E'};
    if (value < 0) throw std::invalid_argument("count_label: negative");
    const bool small = value < 10000 && step < 10000;
    __int128 unit = 1;
    int prefix = -1;
    // The largest 1000^j (j <= 6) that divides the step: every tick is then a whole number of units.
    while (!small && prefix < 5 && step % (unit * 1000) == 0) {
        unit *= 1000;
        ++prefix;
    }
    std::string s = digits(static_cast<unsigned __int128>(value / unit));
    if (prefix >= 0) s += kPrefix[prefix];
    return s;
}

}  // namespace traces
