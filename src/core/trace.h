// The trace of one job (docs/contract.md §2.6-§2.8): file counters and per-kind item totals at
// each of the window's points, built from rows fed in batches.
#pragma once
#include "no_postgres.h"
#include "window.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace traces {

struct ItemTotals {
    int64_t success = 0;
    int64_t failed = 0;
};

// One kind's series: totals[k] is the sum over its streams of each stream's
// latest snapshot counting at point k; the kind exists from first_point on.
struct KindSeries {
    std::string kind;
    int32_t first_point = 0;
    std::vector<ItemTotals> totals;
};

struct Trace {
    Window window;
    std::optional<int64_t> latest_event_us;
    std::vector<int64_t> files_completed;  // per point
    std::vector<int64_t> files_failed;     // per point
    std::vector<KindSeries> kinds;         // in byte order of kind
};

// A progress row as the reader hands it over. Rows must arrive grouped by
// stream (input_id, kind), and within a stream in (created_at, id) order.
struct ProgressRow {
    std::string_view input_id;  // ignored when input_is_null
    bool input_is_null = false;
    std::string_view kind;
    int64_t created_at_us = 0;
    int64_t success = 0;
    int64_t failed = 0;
};

class TraceBuilder {
public:
    explicit TraceBuilder(Window w);

    // A finished input: its completed_at and whether it failed. Any order.
    void add_file(int64_t completed_at_us, bool failed);

    // The next progress row in stream order (see ProgressRow). Throws Error
    // (InvalidParameter) on a negative count.
    void add_progress(const ProgressRow& row);

    // An event time that is neither a file nor a progress row read here
    // (e.g. a progress row skipped by the reader); only moves latest_event_at.
    void note_event(int64_t at_us);

    // The finished trace; throws Error (NumericOutOfRange) when a total does
    // not fit 64 bits. It sorts the kinds in place and forgets the stream
    // being read, so a row added afterwards would start its stream over and
    // be counted on top of that stream's earlier snapshot, silently. Hence
    // `&&`: finishing consumes the builder, callers write
    // std::move(builder).finish(), and finish() on a named builder does not
    // compile.
    Trace finish() &&;

private:
    struct KindState {
        std::string name;
        int32_t first_point;
        // Deltas per point in 128 bits: partial sums may pass 2^63 transiently.
        std::vector<__int128> d_success, d_failed;
    };

    KindState& kind_state(std::string_view kind);

    Window window_;
    std::optional<int64_t> latest_;
    std::vector<int64_t> d_completed_, d_failed_;
    std::vector<KindState> kinds_;

    // The stream being read and its latest snapshot so far.
    bool in_stream_ = false;
    bool stream_input_null_ = false;
    std::string stream_input_;
    size_t stream_kind_ = 0;
    int64_t stream_success_ = 0;
    int64_t stream_failed_ = 0;
};

}  // namespace traces
