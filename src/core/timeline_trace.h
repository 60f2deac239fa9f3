// A trace assembled from values per point (docs/contract.md §11.7), the way
// the timeline reader builds one: for each point it has probed each kind's
// timeline and the file timeline once, so it hands over what a point shows,
// never the rows behind it. The finished Trace is the one TraceBuilder makes
// from the same job's rows, byte for byte once rendered, errors included:
// the same kind bounds (admit_kind, 54000) as kinds are met, and the same
// 22003 when a total a shown kind holds at some point does not fit 64 bits.
#pragma once
#include "no_postgres.h"
#include "trace.h"
#include "window.h"

#include <cstdint>
#include <deque>
#include <memory_resource>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace traces {

// A kind's totals at one point as the timeline stores them (numeric, so a
// running total may pass 2^63-1): `fits` is false when either does not fit a
// 64-bit integer, and then the two values mean nothing.
struct StoredTotals {
    int64_t success = 0;
    int64_t failed = 0;
    bool fits = true;
};

class TimelineAssembler {
public:
    explicit TimelineAssembler(Window w, std::pmr::memory_resource* memory = std::pmr::get_default_resource());

    // The job's newest event (the trace's latest_event_at), none by default.
    void set_latest_event(std::optional<int64_t> at_us);

    // Point k's file counters: the job's finished inputs counting at k. A
    // point never given has none.
    void set_files(int32_t k, int64_t completed, int64_t failed);

    // Kind `kind` at point k: its totals, or nullopt when none of its reports
    // counts at k yet. Every kind of the job must be given at least once,
    // even with no value at any point (a zoom that ends before it appears):
    // meeting a kind the first time checks the bounds, like the row builder
    // does, and throws Error (TooLarge). Kinds in any order.
    void add_kind_point(std::string_view kind, int32_t k, const std::optional<StoredTotals>& totals);

    // The finished trace: kinds in byte order from the first point that shows
    // them, those shown at no point left out. Throws Error
    // (NumericOutOfRange) when a kind it shows does not fit 64 bits at some
    // point, as TraceBuilder::finish does. Consumes the assembler.
    Trace finish() &&;

private:
    struct KindState {
        std::pmr::string name;
        int32_t first_point;
        bool out_of_range = false;
        std::pmr::vector<ItemTotals> totals;
    };

    size_t kind_index(std::string_view kind);
    size_t point_index(int32_t k) const;

    std::pmr::memory_resource* memory_;
    // The answer so far: window, latest event and files as given; its kinds
    // are made from kinds_ (below) when finishing.
    Trace trace_;
    std::pmr::deque<KindState> kinds_;  // a name never moves: kind_index_ views it
    std::pmr::unordered_map<std::string_view, size_t> kind_index_;
    size_t least_answer_bytes_ = 0;
    size_t last_kind_ = SIZE_MAX;  // rows come grouped by kind: skip the hash
};

}  // namespace traces
