// Window arithmetic of docs/contract.md §2.2-§2.5, checked against the definitions written out
// independently (reference_point in test_support.h without a 128-bit product,
// a linear search for bucket_of here).
#include "core/window.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <random>
#include <vector>

namespace traces {
namespace {

// The smallest k with min(u, end) <= t_k, by walking every point.
int32_t reference_bucket(int64_t start, int64_t end, int32_t n, int64_t u) {
    const int64_t v = std::min(u, end);
    for (int32_t k = 0; k < n; ++k)
        if (v <= reference_point(start, end - start, n, k)) return k;
    ADD_FAILURE() << "no point at or after min(u, end): t_{n-1} != end";
    return -1;
}

TEST(ClampBuckets, NullMeansHundred) { EXPECT_EQ(clamp_buckets(std::nullopt), 100); }

TEST(ClampBuckets, ClampsToTenAndThousand) {
    EXPECT_EQ(clamp_buckets(5), 10);
    EXPECT_EQ(clamp_buckets(9), 10);
    EXPECT_EQ(clamp_buckets(10), 10);
    EXPECT_EQ(clamp_buckets(11), 11);
    EXPECT_EQ(clamp_buckets(50), 50);
    EXPECT_EQ(clamp_buckets(999), 999);
    EXPECT_EQ(clamp_buckets(1000), 1000);
    EXPECT_EQ(clamp_buckets(1001), 1000);
    EXPECT_EQ(clamp_buckets(5000), 1000);
    EXPECT_EQ(clamp_buckets(0), 10);
    EXPECT_EQ(clamp_buckets(-1), 10);
}

TEST(ClampBuckets, IntegerExtremes) {
    EXPECT_EQ(clamp_buckets(INT32_MIN), 10);
    EXPECT_EQ(clamp_buckets(INT32_MAX), 1000);
    EXPECT_EQ(clamp_buckets(INT64_MIN), 10);
    EXPECT_EQ(clamp_buckets(INT64_MAX), 1000);
    // Values that would wrap to a valid count if truncated to 32 bits first.
    EXPECT_EQ(clamp_buckets((int64_t{1} << 32) + 50), 1000);
    EXPECT_EQ(clamp_buckets(-(int64_t{1} << 32) + 50), 10);
}

TEST(MakeWindow, KeepsASpanOfAtLeastOneSecond) {
    Window w = make_window(1000, 1000 + kSecond, 10);
    EXPECT_EQ(w.start_us, 1000);
    EXPECT_EQ(w.end_us, 1000 + kSecond);
    EXPECT_EQ(w.n, 10);
    w = make_window(-5 * kSecond, 7 * kSecond + 3, 100);
    EXPECT_EQ(w.start_us, -5 * kSecond);
    EXPECT_EQ(w.span_us(), 12 * kSecond + 3);
}

TEST(MakeWindow, WidensShortZeroAndNegativeSpansToOneSecond) {
    for (int64_t start : {int64_t{0}, int64_t{1}, kSecond - 1, kSecond, 2 * kSecond, 50 * kSecond,
                          INT64_MAX}) {
        const int64_t end = kSecond;
        if (end - start >= kSecond) continue;
        Window w = make_window(start, end, 10);
        EXPECT_EQ(w.end_us, end) << start;
        EXPECT_EQ(w.start_us, end - kSecond) << start;
        EXPECT_EQ(w.span_us(), kSecond) << start;
    }
    Window w = make_window(INT64_MAX, INT64_MIN + kSecond, 10);  // start far after end
    EXPECT_EQ(w.start_us, INT64_MIN);
    EXPECT_EQ(w.span_us(), kSecond);
}

TEST(MakeWindow, RefusesWhatCannotBeRepresented) {
    auto refused = [](int64_t start, int64_t end, int32_t n) {
        return error_kind_of([&] { make_window(start, end, n); });
    };
    EXPECT_EQ(refused(0, 10, 0), ErrorKind::InvalidParameter);
    EXPECT_EQ(refused(0, 10, -3), ErrorKind::InvalidParameter);
    // end - 1 s would underflow int64.
    EXPECT_EQ(refused(INT64_MIN, INT64_MIN + kSecond - 1, 10), ErrorKind::DatetimeOutOfRange);
    // end - start does not fit int64.
    EXPECT_EQ(refused(INT64_MIN, INT64_MAX, 10), ErrorKind::DatetimeOutOfRange);
    EXPECT_EQ(refused(-1, INT64_MAX, 10), ErrorKind::DatetimeOutOfRange);
    // The widest span that fits is accepted.
    Window w = make_window(0, INT64_MAX, 1000);
    EXPECT_EQ(w.span_us(), INT64_MAX);
    w = make_window(INT64_MIN, -1, 1000);
    EXPECT_EQ(w.span_us(), INT64_MAX);
}

TEST(PointTime, LastPointIsTheEndExactly) {
    const std::vector<std::pair<int64_t, int64_t>> windows = {
        {0, kSecond},          {0, 30 * 50 * kSecond}, {-7, 1234567891},        {0, INT64_MAX},
        {INT64_MIN, -1},       {-(INT64_MAX / 2), INT64_MAX / 2}, {INT64_MAX - 3 * kSecond - 7, INT64_MAX}};
    for (auto [start, end] : windows)
        for (int32_t n : {10, 11, 97, 100, 999, 1000}) {
            Window w = make_window(start, end, n);
            EXPECT_EQ(point_time(w, n - 1), end) << start << " " << end << " " << n;
        }
}

TEST(PointTime, MatchesTheDefinition) {
    // A span not divisible by n: 1 s + 7 us over 10 points.
    Window w = make_window(100, 100 + kSecond + 7, 10);
    // floor((k+1) * 1000007 / 10)
    const int64_t expected[] = {100000, 200001, 300002, 400002, 500003,
                                600004, 700004, 800005, 900006, 1000007};
    for (int32_t k = 0; k < 10; ++k) EXPECT_EQ(point_time(w, k), 100 + expected[k]) << k;

    std::mt19937_64 rng(42);
    for (int i = 0; i < 2000; ++i) {
        const int64_t start = static_cast<int64_t>(rng()) / 2;
        const int64_t span = static_cast<int64_t>(rng() % (uint64_t{1} << (rng() % 62 + 1))) + kSecond;
        if (start > INT64_MAX - span) continue;
        const int32_t n = static_cast<int32_t>(10 + rng() % 991);
        w = make_window(start, start + span, n);
        for (int32_t k : {0, 1, n / 2, n - 2, n - 1})
            ASSERT_EQ(point_time(w, k), reference_point(start, span, n, k)) << start << " " << span << " " << n;
    }
}

TEST(PointTime, StrictlyIncreasingWhenSpanAtLeastN) {
    Window w = make_window(0, kSecond, 1000);  // 1000 us per bucket
    for (int32_t k = 1; k < 1000; ++k) EXPECT_EQ(point_time(w, k) - point_time(w, k - 1), 1000);
}

TEST(BucketOf, EdgesOfABucket) {
    // 10 buckets of 3 s from t=0 to t=30 s: points at 3 s, 6 s, ..., 30 s.
    Window w = make_window(0, 30 * kSecond, 10);
    EXPECT_EQ(bucket_of(w, INT64_MIN), 0);
    EXPECT_EQ(bucket_of(w, -1), 0);                 // before start: first point
    EXPECT_EQ(bucket_of(w, 0), 0);                  // at start
    EXPECT_EQ(bucket_of(w, 3 * kSecond), 0);        // at a bucket's end: in it
    EXPECT_EQ(bucket_of(w, 3 * kSecond + 1), 1);    // just after: next one
    EXPECT_EQ(bucket_of(w, 27 * kSecond + 1), 9);
    EXPECT_EQ(bucket_of(w, 30 * kSecond), 9);       // at end
    EXPECT_EQ(bucket_of(w, 30 * kSecond + 1), 9);   // after end: last point
    EXPECT_EQ(bucket_of(w, INT64_MAX), 9);
}

// Events worth trying in a window: extremes, start and end, every point and
// its neighbours (for small n), and random times in and around the window.
std::vector<int64_t> probe_times(const Window& w, std::mt19937_64& rng) {
    std::vector<int64_t> u = {INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, 0, -1, 1};
    auto add = [&](__int128 v) {
        if (v >= INT64_MIN && v <= INT64_MAX) u.push_back(static_cast<int64_t>(v));
    };
    for (int d = -2; d <= 2; ++d) {
        add(static_cast<__int128>(w.start_us) + d);
        add(static_cast<__int128>(w.end_us) + d);
    }
    const int32_t step = w.n <= 20 ? 1 : w.n / 7;
    for (int32_t k = 0; k < w.n; k += step) {
        const int64_t t = reference_point(w.start_us, w.span_us(), w.n, k);
        for (int d = -1; d <= 1; ++d) add(static_cast<__int128>(t) + d);
    }
    for (int i = 0; i < 20; ++i) {
        const uint64_t span = static_cast<uint64_t>(w.span_us());
        add(static_cast<__int128>(w.start_us) + static_cast<__int128>(rng() % (span + 1)));
        add(static_cast<__int128>(w.start_us) - static_cast<__int128>(rng() % (span + 1)));
        add(static_cast<__int128>(w.end_us) + static_cast<__int128>(rng() % (span + 1)));
    }
    u.push_back(static_cast<int64_t>(rng()));
    return u;
}

void check_bucket_of(const Window& w, std::mt19937_64& rng) {
    for (int64_t u : probe_times(w, rng)) {
        const int32_t got = bucket_of(w, u);
        const int32_t want = reference_bucket(w.start_us, w.end_us, w.n, u);
        ASSERT_EQ(got, want) << "start=" << w.start_us << " end=" << w.end_us << " n=" << w.n << " u=" << u;
    }
}

TEST(BucketOf, MatchesLinearSearchOnRandomWindows) {
    std::mt19937_64 rng(20260414);
    for (int i = 0; i < 600; ++i) {
        const int32_t n = i % 3 == 0 ? 10 : i % 3 == 1 ? 1000 : static_cast<int32_t>(10 + rng() % 991);
        // Spans from exactly one second up to 2^62 us, rarely divisible by n.
        const int bits = static_cast<int>(rng() % 63);
        const int64_t span = kSecond + static_cast<int64_t>(rng() % (uint64_t{1} << bits));
        const int64_t start = static_cast<int64_t>(rng() >> 1) - static_cast<int64_t>(rng() >> 1);
        if (static_cast<__int128>(start) + span > INT64_MAX) continue;
        check_bucket_of(make_window(start, start + span, n), rng);
    }
}

TEST(BucketOf, MatchesLinearSearchAtInt64Extremes) {
    std::mt19937_64 rng(7);
    const std::vector<std::pair<int64_t, int64_t>> windows = {
        {0, INT64_MAX},                       // widest span, ending at the maximum
        {INT64_MIN, -1},                      // widest span, starting at the minimum
        {INT64_MIN, INT64_MIN + kSecond},     // one second at the bottom
        {INT64_MAX - kSecond, INT64_MAX},     // one second at the top
        {INT64_MAX - 1, INT64_MAX},           // widened to one second
        {-(INT64_MAX / 2) - 1, INT64_MAX / 2},   // widest span, centred
        {0, kSecond + 999},                   // span not divisible by 10 or 1000
        {0, 3 * kSecond + 1},
    };
    for (auto [start, end] : windows)
        for (int32_t n : {10, 13, 100, 999, 1000}) check_bucket_of(make_window(start, end, n), rng);
}

TEST(BucketOf, EveryMicrosecondOfASmallWindow) {
    // Exhaustive over a window of one second plus a bit and a few spills.
    std::mt19937_64 rng(1);
    for (int32_t n : {10, 1000}) {
        Window w = make_window(-500000, 500003, n);
        for (int64_t u = w.start_us - 3; u <= w.end_us + 3; u += (n == 10 ? 1 : 97))
            ASSERT_EQ(bucket_of(w, u), reference_bucket(w.start_us, w.end_us, n, u)) << u;
    }
}

TEST(BucketSeconds, IsSpanOverNThenOverAMillionInDouble) {
    EXPECT_EQ(bucket_seconds(make_window(0, 50 * 30 * kSecond, 50)), 30.0);
    EXPECT_EQ(bucket_seconds(make_window(0, 0, 10)), 0.1);  // widened to 1 s
    std::mt19937_64 rng(3);
    for (int i = 0; i < 5000; ++i) {
        const int64_t span = kSecond + static_cast<int64_t>(rng() % (uint64_t{1} << (rng() % 63)));
        const int32_t n = static_cast<int32_t>(10 + rng() % 991);
        const double want = (static_cast<double>(span) / static_cast<double>(n)) / 1e6;
        ASSERT_EQ(bucket_seconds(make_window(-span / 3, span - span / 3, n)), want) << span << " " << n;
    }
    // Dividing by 1e6 first, or by n*1e6, rounds differently here
    // (0.014285714285714285); span / n first gives ...287.
    EXPECT_EQ(bucket_seconds(make_window(0, kSecond, 70)), 0.014285714285714287);
    EXPECT_NE(bucket_seconds(make_window(0, kSecond, 70)), (static_cast<double>(kSecond) / 1e6) / 70);
}

}  // namespace
}  // namespace traces
