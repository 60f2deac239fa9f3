#include "timeline_trace.h"

#include "error.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace traces {

TimelineAssembler::TimelineAssembler(Window w, std::pmr::memory_resource* memory)
    : memory_(memory),
      trace_{w, std::nullopt, std::pmr::vector<int64_t>(static_cast<size_t>(w.n), memory),
             std::pmr::vector<int64_t>(static_cast<size_t>(w.n), memory), std::pmr::vector<KindSeries>(memory)},
      kinds_(memory),
      kind_index_(memory) {}

void TimelineAssembler::set_latest_event(std::optional<int64_t> at_us) { trace_.latest_event_us = at_us; }

// A point the reader did not ask for is its bug, not the caller's input.
size_t TimelineAssembler::point_index(int32_t k) const {
    if (k < 0 || k >= trace_.window.n) throw std::logic_error("timeline point out of range");
    return static_cast<size_t>(k);
}

void TimelineAssembler::set_files(int32_t k, int64_t completed, int64_t failed) {
    const size_t i = point_index(k);
    trace_.files_completed[i] = completed;
    trace_.files_failed[i] = failed;
}

size_t TimelineAssembler::kind_index(std::string_view kind) {
    if (last_kind_ != SIZE_MAX && kinds_[last_kind_].name == kind) return last_kind_;
    const auto found = kind_index_.find(kind);
    if (found != kind_index_.end()) return last_kind_ = found->second;

    const int32_t n = trace_.window.n;
    admit_kind(kinds_.size(), n, kind, least_answer_bytes_);
    kinds_.push_back(
        KindState{std::pmr::string(kind, memory_), n, false, std::pmr::vector<ItemTotals>(static_cast<size_t>(n), memory_)});
    kind_index_.emplace(kinds_.back().name, kinds_.size() - 1);
    return last_kind_ = kinds_.size() - 1;
}

void TimelineAssembler::add_kind_point(std::string_view kind, int32_t k, const std::optional<StoredTotals>& totals) {
    KindState& ks = kinds_[kind_index(kind)];
    const size_t i = point_index(k);
    if (!totals) return;
    ks.first_point = std::min(ks.first_point, k);
    if (!totals->fits || totals->success < 0 || totals->failed < 0) {
        ks.out_of_range = true;
        return;
    }
    ks.totals[i] = ItemTotals{totals->success, totals->failed};
}

Trace TimelineAssembler::finish() && {
    Trace t = std::move(trace_);
    kind_index_.clear();
    last_kind_ = SIZE_MAX;

    const std::pmr::vector<size_t> order = byte_order(kinds_, memory_);
    t.kinds.reserve(kinds_.size());
    for (const size_t i : order) {
        KindState& ks = kinds_[i];
        if (ks.first_point == t.window.n) continue;  // shown at no point (a zoom, §2.13)
        // TraceBuilder::finish refuses the same: a total past 64 bits at any point of a shown kind.
        if (ks.out_of_range) checked_total(static_cast<__int128>(INT64_MAX) + 1);
        t.kinds.push_back(KindSeries{std::move(ks.name), ks.first_point, std::move(ks.totals)});
    }
    return t;
}

}  // namespace traces
