#include "window.h"

#include "error.h"

#include <algorithm>

namespace traces {

int32_t clamp_buckets(std::optional<int64_t> requested) {
    if (!requested) return kDefaultBuckets;
    if (*requested < kMinBuckets) return kMinBuckets;
    if (*requested > kMaxBuckets) return kMaxBuckets;
    return static_cast<int32_t>(*requested);
}

Window make_window(int64_t start_us, int64_t end_us, int32_t n) {
    if (n < 1) throw Error(ErrorKind::InvalidParameter, "window needs at least one bucket");
    // Compare in 128 bits: end - start of two extreme int64 values overflows.
    __int128 span = static_cast<__int128>(end_us) - start_us;
    if (span < kMicrosPerSecond) {
        if (end_us < INT64_MIN + kMicrosPerSecond)
            throw Error(ErrorKind::DatetimeOutOfRange, "timestamp out of range");
        start_us = end_us - kMicrosPerSecond;
    } else if (span > INT64_MAX) {
        throw Error(ErrorKind::DatetimeOutOfRange, "job lifetime too long to trace");
    }
    return Window{start_us, end_us, n};
}

int64_t point_time(const Window& w, int32_t k) {
    __int128 offset = static_cast<__int128>(k + 1) * w.span_us() / w.n;
    return w.start_us + static_cast<int64_t>(offset);
}

int32_t bucket_of(const Window& w, int64_t u) {
    if (u > w.end_us && !w.late_events_count) return w.n;
    if (u >= w.end_us) return w.n - 1;
    __int128 d = static_cast<__int128>(u) - w.start_us;
    if (d <= 0) return 0;
    // floor((k+1)*span/n) >= d  <=>  (k+1)*span >= d*n  <=>  k+1 >= ceil(d*n/span)
    __int128 num = d * w.n;
    __int128 span = w.span_us();
    __int128 k_plus_1 = (num + span - 1) / span;
    return static_cast<int32_t>(k_plus_1 - 1);
}

Window zoom_window(const Window& job, std::optional<int64_t> from, std::optional<int64_t> to) {
    if (!from && !to) return job;
    if (from && to && *from >= *to) throw Error(ErrorKind::InvalidParameter, "\"from\" must be earlier than \"to\"");
    const int64_t start = from ? std::max(*from, job.start_us) : job.start_us;
    const int64_t end = to ? std::min(*to, job.end_us) : job.end_us;
    if (start >= end)
        throw Error(ErrorKind::InvalidParameter, "the window from \"from\" to \"to\" does not overlap the job's");
    Window w = make_window(start, end, job.n);
    w.late_events_count = end == job.end_us;
    return w;
}

double bucket_seconds(const Window& w) {
    return (static_cast<double>(w.span_us()) / w.n) / 1e6;
}

}  // namespace traces
