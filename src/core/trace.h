// The trace of one job (docs/contract.md §2.6-§2.8): file counters and per-kind item totals at
// each of the window's points, built from rows fed in batches.
//
// Every byte the builder and the finished trace hold comes from the memory
// resource they are given: the extension hands in one backed by a PostgreSQL
// memory context (src/bridge), so the state is accounted for, visible in the
// context tree and freed with the query even on cancel; tests use the heap.
#pragma once
#include "no_postgres.h"
#include "window.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <numeric>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace traces {

// Kinds × points the builder may hold (docs/contract.md §3). Each cell costs
// 32 bytes while building (two 128-bit deltas) and 16 once finished, so the
// state stays under 48 MiB whatever the stored rows; within the caps of
// §7.5 (100 kinds, 1000 points) it is a tenth of the bound. Past it the
// builder refuses with Error (TooLarge), naming the number of points that
// would fit.
constexpr int64_t kMaxKindPoints = int64_t{1} << 20;

// The largest answer, in bytes of JSON (docs/contract.md §3; the glue
// measures the answer against it before building it). Every kind appears at
// least at the last point, so kinds whose names alone pass it are refused
// while reading, before their state grows: the names the builder holds
// stay under it too.
constexpr size_t kMaxAnswerBytes = size_t{32} << 20;

// The bounds a trace checks when it meets a new kind, the same for every way
// of building one: throws Error (TooLarge) when a kind after `kinds_so_far`
// others would take n points past kMaxKindPoints, or the names seen so far
// (`least_answer_bytes`, which it adds this one's share to) past
// kMaxAnswerBytes.
void admit_kind(size_t kinds_so_far, int32_t n, std::string_view kind, size_t& least_answer_bytes);

// A total as the trace holds it; throws Error (NumericOutOfRange) when it does
// not fit 64 bits or is negative (docs/contract.md §2.12).
int64_t checked_total(__int128 v);

// The positions of `states` (anything with a `name`) in byte order of their
// names: the order of a trace's kinds.
template <typename States>
std::pmr::vector<size_t> byte_order(const States& states, std::pmr::memory_resource* memory) {
    std::pmr::vector<size_t> order(states.size(), memory);
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return states[a].name < states[b].name; });
    return order;
}

struct ItemTotals {
    int64_t success = 0;
    int64_t failed = 0;
};

// One kind's series: totals[k] is the sum over its streams of each stream's
// latest snapshot counting at point k; the kind exists from first_point on.
struct KindSeries {
    std::pmr::string kind;
    int32_t first_point = 0;
    std::pmr::vector<ItemTotals> totals;
};

struct Trace {
    Window window;
    std::optional<int64_t> latest_event_us;
    std::pmr::vector<int64_t> files_completed;  // per point
    std::pmr::vector<int64_t> files_failed;     // per point
    std::pmr::vector<KindSeries> kinds;         // in byte order of kind
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
    explicit TraceBuilder(Window w, std::pmr::memory_resource* memory = std::pmr::get_default_resource());

    // A finished input: its completed_at and whether it failed. Any order.
    void add_file(int64_t completed_at_us, bool failed);

    // The next progress row in stream order (see ProgressRow). Throws Error:
    // InvalidParameter on a negative count, TooLarge when a new kind would
    // take the state past kMaxKindPoints or its names past kMaxAnswerBytes.
    void add_progress(const ProgressRow& row);

    // An event time that is neither a file nor a progress row read here
    // (e.g. a progress row skipped by the reader); only moves latest_event_at.
    void note_event(int64_t at_us);

    // The finished trace; throws Error (NumericOutOfRange) when a total does
    // not fit 64 bits. It releases each kind's deltas as it goes (so the
    // peak is the building state, not both) and forgets the stream being
    // read, so a row added afterwards would start its stream over and be
    // counted on top of that stream's earlier snapshot, silently. Hence
    // `&&`: finishing consumes the builder, callers write
    // std::move(builder).finish(), and finish() on a named builder does not
    // compile.
    Trace finish() &&;

private:
    struct KindState {
        std::pmr::string name;
        int32_t first_point;
        // Deltas per point in 128 bits: partial sums may pass 2^63 transiently.
        std::pmr::vector<__int128> d_success, d_failed;
    };

    size_t kind_index(std::string_view kind);

    std::pmr::memory_resource* memory_;
    Window window_;
    std::optional<int64_t> latest_;
    std::pmr::vector<int64_t> d_completed_, d_failed_;
    // A deque, so that a kind's name never moves: the index's keys view it.
    std::pmr::deque<KindState> kinds_;
    std::pmr::unordered_map<std::string_view, size_t> kind_index_;
    size_t least_answer_bytes_ = 0;  // what the kinds add to the last point at least

    // The stream being read and its latest snapshot so far.
    bool in_stream_ = false;
    bool stream_input_null_ = false;
    std::pmr::string stream_input_;
    size_t stream_kind_ = 0;
    int64_t stream_success_ = 0;
    int64_t stream_failed_ = 0;
};

}  // namespace traces
