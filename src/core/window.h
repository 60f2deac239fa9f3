// Window and bucket arithmetic of docs/contract.md §2.2-§2.5, in integer microseconds since the
// Unix epoch. Products are taken in 128 bits so no finite timestamp overflows.
#pragma once
#include "no_postgres.h"

#include <cstdint>
#include <optional>

namespace traces {

constexpr int32_t kDefaultBuckets = 100;
constexpr int32_t kMinBuckets = 10;
constexpr int32_t kMaxBuckets = 1000;
constexpr int64_t kMicrosPerSecond = 1000000;

// `buckets` clamped to [10, 1000]; no value means 100.
int32_t clamp_buckets(std::optional<int64_t> requested);

struct Window {
    int64_t start_us;  // after the one-second minimum has been applied
    int64_t end_us;
    int32_t n;         // number of points, already clamped
    // Whether an event after end counts at the last point (§2.5). True for the job's own
    // window; false for a zoom window that ends before the job does (§2.13).
    bool late_events_count = true;

    int64_t span_us() const { return end_us - start_us; }
};

// start = coalesce(started_at, created_at) is the caller's; this widens a span
// shorter than one second (or negative) to end - 1 s. Throws Error:
// InvalidParameter when n < 1, DatetimeOutOfRange when the span or end - 1 s
// does not fit 64 bits.
Window make_window(int64_t start_us, int64_t end_us, int32_t n);

// t_k = start + floor((k+1) * span / n); t_{n-1} == end.
int64_t point_time(const Window& w, int32_t k);

// The first point at which an event at `u` counts: the smallest k with
// min(u, end) <= t_k. Early events land on 0, late ones on n-1 when late events count,
// and on n (never counts) when they do not.
int32_t bucket_of(const Window& w, int64_t u);

// The window of a zoom (§2.13): [from, to] cut to the job's window `job` (made by
// make_window), a missing bound being the job's own; shorter than one second, it is
// widened like make_window does. Late events count only when the zoom ends where the job
// ends. Without from and to, `job` itself. Throws Error (InvalidParameter) when from >= to
// or when the zoom and the job's window do not overlap.
Window zoom_window(const Window& job, std::optional<int64_t> from, std::optional<int64_t> to);

// (span / n) / 1e6 in double precision, in that order.
double bucket_seconds(const Window& w);

}  // namespace traces
