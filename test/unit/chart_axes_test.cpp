// The chart's tick arithmetic against brute force: every step the rules allow is tried in
// order, every multiple in the window is counted one by one.
#include "core/chart_axes.h"

#include <gtest/gtest.h>

#include <random>

namespace traces {
namespace {

constexpr int64_t kSec = 1000000, kMin = 60 * kSec, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr int64_t k10h00 = 1776160800LL * kSec;  // 2026-04-14T10:00:00Z

// Multiples of step in [start, end], walked one by one from just below; stops after `limit`.
std::vector<int64_t> multiples_by_walking(int64_t start, int64_t end, int64_t step, size_t limit = 1000) {
    std::vector<int64_t> out;
    for (int64_t m = (start / step - 2) * step; m <= end && out.size() <= limit; m += step)
        if (m >= start) out.push_back(m);
    return out;
}

TEST(TimeTicks, StepsAreReadableAndAscending) {
    const std::vector<int64_t>& s = time_steps_us();
    EXPECT_EQ(s[0], 100000);
    EXPECT_EQ(s[3], kSec);
    EXPECT_EQ(s[19], 12 * kHour);
    EXPECT_EQ(s[20], kDay);
    EXPECT_EQ(s[21], 2 * kDay);
    EXPECT_EQ(s[22], 5 * kDay);
    EXPECT_EQ(s[23], 10 * kDay);
    for (size_t i = 1; i < s.size(); ++i) EXPECT_LT(s[i - 1], s[i]);
}

TEST(TimeTicks, PublishedExampleWindowGetsFiveMinuteTicks) {
    // 09:50 to 10:15 with 8 ticks at most: 5 minutes (2 minutes would give 13).
    TimeTicks t = time_ticks(k10h00 - 10 * kMin, k10h00 + 15 * kMin, 8);
    EXPECT_EQ(t.step_us, 5 * kMin);
    EXPECT_EQ(t.label, TimeLabel::kMinute);
    ASSERT_EQ(t.at_us.size(), 6u);
    EXPECT_EQ(t.at_us.front(), k10h00 - 10 * kMin);
    EXPECT_EQ(time_label(t.at_us.front(), t.label), "09:50");
    EXPECT_EQ(time_label(t.at_us.back(), t.label), "10:15");
}

TEST(TimeTicks, LabelsFollowTheStep) {
    EXPECT_EQ(time_label(k10h00 + 500000, TimeLabel::kSubSecond), "10:00:00.5");
    EXPECT_EQ(time_label(k10h00, TimeLabel::kSubSecond), "10:00:00.0");
    EXPECT_EQ(time_label(k10h00 + 30 * kSec, TimeLabel::kSecond), "10:00:30");
    EXPECT_EQ(time_label(k10h00, TimeLabel::kDay), "2026-04-14");
    EXPECT_EQ(time_ticks(0, kSec, 4).label, TimeLabel::kSubSecond);
    EXPECT_EQ(time_ticks(0, 3 * kDay, 4).label, TimeLabel::kDay);
    EXPECT_EQ(time_ticks(0, 3 * kDay, 4).at_us, (std::vector<int64_t>{0, kDay, 2 * kDay, 3 * kDay}));
}

TEST(TimeTicks, MatchesBruteForceOnRandomWindows) {
    std::mt19937_64 rng(15);
    const int64_t lo = -62135596800LL * kSec, hi = 253402300799LL * kSec;  // years 1 to 9999
    for (int i = 0; i < 4000; ++i) {
        const int64_t span_scale[] = {kSec, kMin, kHour, kDay, 400 * kDay, 3000000 * kDay};
        const int64_t span = kSec + static_cast<int64_t>(rng() % static_cast<uint64_t>(span_scale[i % 6]));
        const int64_t start = lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo - span));
        const int32_t max_ticks = 1 + static_cast<int32_t>(rng() % 40);
        const TimeTicks t = time_ticks(start, start + span, max_ticks);
        // The first step, in order, whose multiples in the window are few enough.
        int64_t expected = 0;
        for (int64_t step : time_steps_us()) {
            expected = step;
            if (multiples_by_walking(start, start + span, step, max_ticks).size() <= static_cast<size_t>(max_ticks)) break;
        }
        ASSERT_EQ(t.step_us, expected) << start << " " << span << " " << max_ticks;
        ASSERT_EQ(t.at_us, multiples_by_walking(start, start + span, expected));
    }
}

TEST(TimeTicks, NegativeTimesAlignOnUtcMidnights) {
    // 1969-12-30T12:00Z to 1970-01-02T12:00Z: midnights of Dec 31, Jan 1 and Jan 2.
    TimeTicks t = time_ticks(-36 * kHour, 60 * kHour, 4);
    EXPECT_EQ(t.step_us, kDay);
    EXPECT_EQ(t.at_us, (std::vector<int64_t>{-kDay, 0, kDay, 2 * kDay}));
    EXPECT_EQ(time_label(-kDay, t.label), "1969-12-31");
}

// The 1-2-5 numbers in order, up past 2^63.
std::vector<__int128> round_steps() {
    std::vector<__int128> s;
    for (__int128 d = 1; d <= static_cast<__int128>(1) << 66; d *= 10)
        for (int f : {1, 2, 5}) s.push_back(d * f);
    return s;
}

TEST(CountAxis, MatchesBruteForce) {
    std::mt19937_64 rng(125);
    std::vector<int64_t> values = {0, 1, 2, 3, 9, 10, 11, 99, 100, 101, 478, 490, INT64_MAX, INT64_MAX / 3};
    for (int i = 0; i < 20000; ++i) values.push_back(static_cast<int64_t>(rng() >> (1 + rng() % 63)));
    for (int64_t v : values)
        for (int32_t intervals : {1, 2, 3, 4, 5, 7, 10, 31}) {
            const CountAxis a = count_axis(v, intervals);
            const __int128 m = v < 1 ? 1 : v;
            __int128 step = 0;
            for (__int128 s : round_steps()) {
                __int128 covered = 0;
                int32_t used = 0;
                while (covered < m && used <= intervals) covered += s, ++used;  // step by step
                if (used <= intervals) { step = s; break; }
            }
            ASSERT_TRUE(a.step == step) << v << " " << intervals;
            ASSERT_TRUE(a.top >= m && a.top - a.step < m && a.top % a.step == 0) << v;
        }
}

TEST(CountAxis, PublishedExampleItems) {
    const CountAxis a = count_axis(478, 5);  // 478 items in a 160 px panel
    EXPECT_TRUE(a.step == 100 && a.top == 500);
    const CountAxis empty = count_axis(0, 5);
    EXPECT_TRUE(empty.step == 1 && empty.top == 1);
}

TEST(CountLabel, PlainThenWholeSiUnits) {
    EXPECT_EQ(count_label(0, 100), "0");
    EXPECT_EQ(count_label(9500, 500), "9500");
    EXPECT_EQ(count_label(15000, 5000), "15k");
    EXPECT_EQ(count_label(12500, 2500), "12500");  // 2500 is no whole number of k... never a step
    EXPECT_EQ(count_label(25000, 500), "25000");
    EXPECT_EQ(count_label(2000000, 1000000), "2M");
    EXPECT_EQ(count_label(3000000, 500000), "3000k");
    EXPECT_EQ(count_label(static_cast<__int128>(10000000000000000000ULL), static_cast<__int128>(2000000000000000000LL)),
              "10E");
}

}  // namespace
}  // namespace traces
