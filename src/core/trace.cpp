#include "trace.h"

#include "error.h"

#include <algorithm>

namespace traces {

TraceBuilder::TraceBuilder(Window w)
    : window_(w), d_completed_(static_cast<size_t>(w.n)), d_failed_(static_cast<size_t>(w.n)) {}

void TraceBuilder::note_event(int64_t at_us) {
    if (!latest_ || at_us > *latest_) latest_ = at_us;
}

void TraceBuilder::add_file(int64_t completed_at_us, bool failed) {
    note_event(completed_at_us);
    const int32_t k = bucket_of(window_, completed_at_us);
    if (k == window_.n) return;  // after a zoom window's end (§2.13): never counts
    ++(failed ? d_failed_ : d_completed_)[static_cast<size_t>(k)];
}

TraceBuilder::KindState& TraceBuilder::kind_state(std::string_view kind) {
    // Jobs have a handful of kinds: a linear scan beats hashing, and it only
    // runs when a new stream starts.
    for (auto& k : kinds_)
        if (k.name == kind) return k;
    const size_t n = static_cast<size_t>(window_.n);
    kinds_.push_back(KindState{std::string(kind), window_.n, std::vector<__int128>(n),
                               std::vector<__int128>(n)});
    return kinds_.back();
}

void TraceBuilder::add_progress(const ProgressRow& row) {
    if (row.success < 0 || row.failed < 0)
        throw Error(ErrorKind::InvalidParameter, "progress counts must be non-negative");
    note_event(row.created_at_us);

    const bool same_stream = in_stream_ && stream_input_null_ == row.input_is_null &&
                             (row.input_is_null || stream_input_ == row.input_id) &&
                             kinds_[stream_kind_].name == row.kind;
    if (!same_stream) {
        KindState& ks = kind_state(row.kind);
        stream_kind_ = static_cast<size_t>(&ks - kinds_.data());
        stream_input_null_ = row.input_is_null;
        stream_input_.assign(row.input_is_null ? std::string_view() : row.input_id);
        stream_success_ = 0;
        stream_failed_ = 0;
        in_stream_ = true;
    }

    KindState& ks = kinds_[stream_kind_];
    const int32_t k = bucket_of(window_, row.created_at_us);
    // After a zoom window's end (§2.13): never counts, nor does the rest of the stream.
    if (k == window_.n) return;
    ks.first_point = std::min(ks.first_point, k);
    // A cumulative snapshot replaces the stream's previous one: add the change.
    ks.d_success[static_cast<size_t>(k)] += static_cast<__int128>(row.success) - stream_success_;
    ks.d_failed[static_cast<size_t>(k)] += static_cast<__int128>(row.failed) - stream_failed_;
    stream_success_ = row.success;
    stream_failed_ = row.failed;
}

namespace {

int64_t checked_total(__int128 v) {
    if (v > INT64_MAX || v < 0)
        throw Error(ErrorKind::NumericOutOfRange, "item total out of range for a 64-bit integer");
    return static_cast<int64_t>(v);
}

}  // namespace

Trace TraceBuilder::finish() && {
    const size_t n = static_cast<size_t>(window_.n);
    Trace t{window_, latest_, std::vector<int64_t>(n), std::vector<int64_t>(n), {}};
    int64_t completed = 0, failed = 0;
    for (size_t k = 0; k < n; ++k) {
        completed += d_completed_[k];
        failed += d_failed_[k];
        t.files_completed[k] = completed;
        t.files_failed[k] = failed;
    }
    std::sort(kinds_.begin(), kinds_.end(),
              [](const KindState& a, const KindState& b) { return a.name < b.name; });
    in_stream_ = false;  // stream_kind_ no longer points at the right kind
    t.kinds.reserve(kinds_.size());
    for (const KindState& ks : kinds_) {
        if (ks.first_point == window_.n) continue;  // none of its reports counts (a zoom, §2.13)
        KindSeries series{ks.name, ks.first_point, std::vector<ItemTotals>(n)};
        __int128 s = 0, f = 0;
        for (size_t k = 0; k < n; ++k) {
            s += ks.d_success[k];
            f += ks.d_failed[k];
            series.totals[k] = ItemTotals{checked_total(s), checked_total(f)};
        }
        t.kinds.push_back(std::move(series));
    }
    return t;
}

}  // namespace traces
