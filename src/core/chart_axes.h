// Tick arithmetic of the chart's axes (docs/contract.md §2.14): a UTC time axis at readable
// steps and count axes at round 1-2-5 steps. Pure integer arithmetic, so a chart's ticks are
// the same on every machine.
#pragma once
#include "no_postgres.h"

#include <cstdint>
#include <string>
#include <vector>

namespace traces {

// How a time tick is written: the coarsest text that still tells two ticks apart.
enum class TimeLabel { kSubSecond, kSecond, kMinute, kDay };

struct TimeTicks {
    int64_t step_us = 0;
    TimeLabel label = TimeLabel::kDay;
    std::vector<int64_t> at_us;  // multiples of step_us since the epoch, within [start, end]
};

// The readable steps, ascending: 100/200/500 ms; 1, 2, 5, 10, 15, 30 s and min;
// 1, 2, 3, 6, 12 h; then 1-2-5 multiples of a day.
const std::vector<int64_t>& time_steps_us();

// The smallest readable step that puts at most `max_ticks` (>= 1) ticks in
// [start_us, end_us], and those ticks. Ticks fall on multiples of the step counted from
// 1970-01-01T00:00:00Z, so day ticks are UTC midnights and hour ticks whole hours.
TimeTicks time_ticks(int64_t start_us, int64_t end_us, int32_t max_ticks);

// A tick's text: "2026-04-14", "10:15", "10:15:30" or "10:15:30.5" (UTC).
std::string time_label(int64_t at_us, TimeLabel label);

struct CountAxis {
    __int128 step = 1;  // 1, 2 or 5 times a power of ten
    __int128 top = 1;   // the smallest multiple of step >= max(value, 1): the axis' end
};

// The smallest 1-2-5 step that covers [0, max_value] in at most `max_intervals` (>= 1)
// steps. max_value is a count (0 to 2^63-1); step and top are 128-bit, since rounding
// 2^63-1 up to a round number leaves 64 bits.
CountAxis count_axis(int64_t max_value, int32_t max_intervals);

// A count tick's text: plain digits below 10,000; above, the largest SI prefix (k, M, G,
// T, P, E) whose unit divides the step, so every tick reads as a whole number ("15k",
// "2M", never "2.5M").
std::string count_label(__int128 value, __int128 step);

}  // namespace traces
