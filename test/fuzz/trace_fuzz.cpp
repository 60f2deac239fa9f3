// libFuzzer target: the window arithmetic and TraceBuilder against a
// brute-force model of docs/contract.md §2, on windows anywhere in int64 (extreme spans,
// spans not divisible by n) and events anywhere, including counts near 2^63.
// Input bytes are decoded by FuzzedDataProvider into one window, some files
// and some progress rows on a few streams.
#include "core/error.h"
#include "core/trace.h"
#include "core/window.h"

#include "../unit/test_support.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using traces::kSecond;
using traces::reference_point;

[[noreturn]] void fail(const char* what, int64_t a, int64_t b) {
    std::fprintf(stderr, "trace_fuzz: %s: %lld vs %lld\n", what, static_cast<long long>(a),
                 static_cast<long long>(b));
    std::abort();
}

struct Row {
    int stream;  // index into kStreams
    int64_t at;
    int64_t success, failed;
};

struct Stream {
    std::optional<const char*> input;
    int kind;  // index into kKinds
};

const char* const kKinds[] = {"K", "k", "\xff"};  // in byte order
constexpr int kKindCount = 3;
const Stream kStreams[] = {{std::nullopt, 1}, {"", 1}, {"a", 1}, {"a", 0}, {"b", 2}, {std::nullopt, 0}};
constexpr int kStreamCount = sizeof kStreams / sizeof kStreams[0];

// One kind's model totals at one point; present once a row counts.
struct Sum {
    bool present = false;
    __int128 success = 0, failed = 0;
};

int64_t pick_time(FuzzedDataProvider& in, int64_t start, int64_t end) {
    const int64_t span = end - start;
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
        case 0: return in.ConsumeIntegral<int64_t>();
        case 1: return start + in.ConsumeIntegralInRange<int64_t>(0, span);
        case 2: {  // on or next to a point
            const int64_t t = reference_point(start, span, 10, in.ConsumeIntegralInRange<int32_t>(0, 9));
            const int64_t d = in.ConsumeIntegralInRange<int64_t>(-1, 1);
            return (d < 0 && t == INT64_MIN) || (d > 0 && t == INT64_MAX) ? t : t + d;
        }
        case 3: return start;
        default: return end;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    const int64_t start = in.ConsumeIntegral<int64_t>();
    int64_t end;
    if (in.ConsumeBool()) {
        end = in.ConsumeIntegral<int64_t>();
    } else {
        const int64_t len = in.ConsumeIntegralInRange<int64_t>(-kSecond, 1000 * kSecond);
        if ((len > 0 && start > INT64_MAX - len) || (len < 0 && start < INT64_MIN - len)) return 0;
        end = start + len;
    }
    const int32_t n = traces::clamp_buckets(in.ConsumeIntegralInRange<int64_t>(0, 1100));
    traces::Window w;
    try {
        w = traces::make_window(start, end, n);
    } catch (const traces::Error& e) {
        if (e.kind() != traces::ErrorKind::DatetimeOutOfRange) fail("window refused with another kind", start, end);
        // Only when the span cannot be held or end - 1 s underflows.
        const __int128 span = static_cast<__int128>(end) - start;
        if (span <= INT64_MAX && end >= INT64_MIN + kSecond) fail("window refused", start, end);
        return 0;
    }
    if (w.end_us != end || w.span_us() < kSecond) fail("window end or span", w.end_us, w.span_us());
    if (static_cast<__int128>(end) - start >= kSecond && w.start_us != start) fail("window start moved", w.start_us, start);

    std::vector<std::pair<int64_t, bool>> files(in.ConsumeIntegralInRange<size_t>(0, 16));
    for (auto& f : files) f = {pick_time(in, w.start_us, w.end_us), in.ConsumeBool()};
    std::vector<Row> rows(in.ConsumeIntegralInRange<size_t>(0, 48));
    for (Row& r : rows) {
        r.stream = in.ConsumeIntegralInRange<int>(0, kStreamCount - 1);
        r.at = pick_time(in, w.start_us, w.end_us);
        const bool huge = in.ConsumeBool();
        r.success = huge ? in.ConsumeIntegralInRange<int64_t>(0, INT64_MAX) : in.ConsumeIntegralInRange<int64_t>(0, 1000);
        r.failed = huge ? in.ConsumeIntegralInRange<int64_t>(0, INT64_MAX) : in.ConsumeIntegralInRange<int64_t>(0, 10);
    }
    // The reader's order: grouped by stream, each stream by created_at, ties
    // in generation order (standing in for id).
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.stream != b.stream ? a.stream < b.stream : a.at < b.at;
    });

    traces::TraceBuilder builder(w);
    for (const auto& [at, failed] : files) builder.add_file(at, failed);
    for (const Row& r : rows) {
        const Stream& s = kStreams[r.stream];
        builder.add_progress(traces::progress_row(s.input ? std::optional<std::string_view>(*s.input) : std::nullopt,
                                                  kKinds[s.kind], r.at, r.success, r.failed));
    }

    // The model: each point's totals straight from the definition.
    bool overflow = false;
    std::vector<Sum> items(static_cast<size_t>(n) * kKindCount);
    std::vector<std::pair<int64_t, int64_t>> file_counts(static_cast<size_t>(n));
    for (int32_t k = 0; k < n; ++k) {
        const int64_t tk = reference_point(w.start_us, w.span_us(), n, k);
        if (traces::point_time(w, k) != tk) fail("point_time", traces::point_time(w, k), tk);
        for (const auto& [at, failed] : files)
            if (std::min(at, w.end_us) <= tk) ++(failed ? file_counts[k].second : file_counts[k].first);
        // Rows are in stream order, so the last counting row of a stream is
        // its latest at t_k.
        const Row* latest_of[kStreamCount] = {};
        for (const Row& r : rows)
            if (std::min(r.at, w.end_us) <= tk) latest_of[r.stream] = &r;
        for (int s = 0; s < kStreamCount; ++s) {
            const Row* latest = latest_of[s];
            if (!latest) continue;
            Sum& sum = items[static_cast<size_t>(k) * kKindCount + kStreams[s].kind];
            sum.present = true;
            sum.success += latest->success;
            sum.failed += latest->failed;
            overflow = overflow || sum.success > INT64_MAX || sum.failed > INT64_MAX;
        }
    }
    if (reference_point(w.start_us, w.span_us(), n, n - 1) != w.end_us) fail("t_{n-1} != end", w.end_us, 0);
    for (const auto& [at, failed] : files) {
        (void)failed;
        const int32_t b = traces::bucket_of(w, at);
        const int64_t v = std::min(at, w.end_us);
        if (v > reference_point(w.start_us, w.span_us(), n, b) ||
            (b > 0 && v <= reference_point(w.start_us, w.span_us(), n, b - 1)))
            fail("bucket_of is not the first point at or after min(u, end)", at, b);
    }

    traces::Trace t;
    try {
        t = std::move(builder).finish();
    } catch (const traces::Error& e) {
        if (e.kind() != traces::ErrorKind::NumericOutOfRange) fail("finish threw another kind", 0, 0);
        if (!overflow) fail("NumericOutOfRange without a total above 2^63-1", 0, 0);
        return 0;
    }
    if (overflow) fail("a total above 2^63-1 was not refused", 0, 0);
    for (int32_t k = 0; k < n; ++k) {
        if (t.files_completed[k] != file_counts[k].first) fail("files.completed", t.files_completed[k], k);
        if (t.files_failed[k] != file_counts[k].second) fail("files.failed", t.files_failed[k], k);
        // Kinds in the trace are those with a row, in byte order: walk both.
        size_t next = 0;
        for (int kind = 0; kind < kKindCount; ++kind) {
            bool ever = false;
            for (const Row& r : rows) ever = ever || kStreams[r.stream].kind == kind;
            if (!ever) continue;
            if (next >= t.kinds.size() || t.kinds[next].kind != kKinds[kind]) fail("kind list", kind, k);
            const traces::KindSeries& ks = t.kinds[next++];
            const Sum& want = items[static_cast<size_t>(k) * kKindCount + kind];
            if ((k >= ks.first_point) != want.present) fail("kind presence", ks.first_point, k);
            if (!want.present) continue;
            if (ks.totals[k].success != want.success) fail("items.success", ks.totals[k].success, k);
            if (ks.totals[k].failed != want.failed) fail("items.failed", ks.totals[k].failed, k);
        }
        if (next != t.kinds.size()) fail("extra kinds", static_cast<int64_t>(t.kinds.size()), k);
    }
    return 0;
}
