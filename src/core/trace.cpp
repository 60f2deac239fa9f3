#include "trace.h"

#include "error.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace traces {

TraceBuilder::TraceBuilder(Window w, std::pmr::memory_resource* memory)
    : memory_(memory),
      window_(w),
      d_completed_(static_cast<size_t>(w.n), memory),
      d_failed_(static_cast<size_t>(w.n), memory),
      kinds_(memory),
      kind_index_(memory),
      stream_input_(memory) {}

void TraceBuilder::note_event(int64_t at_us) {
    if (!latest_ || at_us > *latest_) latest_ = at_us;
}

void TraceBuilder::add_file(int64_t completed_at_us, bool failed) {
    note_event(completed_at_us);
    const int32_t k = bucket_of(window_, completed_at_us);
    if (k == window_.n) return;  // after a zoom window's end (§2.13): never counts
    ++(failed ? d_failed_ : d_completed_)[static_cast<size_t>(k)];
}

void admit_kind(size_t kinds_so_far, int32_t n, std::string_view kind, size_t& least_answer_bytes) {
    if (static_cast<int64_t>(kinds_so_far + 1) * n > kMaxKindPoints) {
        char message[200];
        std::snprintf(message, sizeof message,
                      "trace too large: more than %lld kinds at %lld points (at most %lld kind-points); "
                      "ask for fewer buckets",
                      static_cast<long long>(kinds_so_far), static_cast<long long>(n),
                      static_cast<long long>(kMaxKindPoints));
        throw Error(ErrorKind::TooLarge, message);
    }
    // "<kind>":{"success":0,"failed":0} and a comma, the name unescaped.
    least_answer_bytes += kind.size() + 28;
    if (least_answer_bytes > kMaxAnswerBytes) {
        char message[200];
        std::snprintf(message, sizeof message, "answer too large: the names of %lld kinds pass %zu bytes of JSON",
                      static_cast<long long>(kinds_so_far + 1), kMaxAnswerBytes);
        throw Error(ErrorKind::TooLarge, message);
    }
}

int64_t checked_total(__int128 v) {
    if (v > INT64_MAX || v < 0)
        throw Error(ErrorKind::NumericOutOfRange, "item total out of range for a 64-bit integer");
    return static_cast<int64_t>(v);
}

// By hash: runs once per stream, and a job written past the caps of
// docs/contract.md §7.5 may have thousands of kinds.
size_t TraceBuilder::kind_index(std::string_view kind) {
    const auto found = kind_index_.find(kind);
    if (found != kind_index_.end()) return found->second;

    admit_kind(kinds_.size(), window_.n, kind, least_answer_bytes_);
    const size_t size = static_cast<size_t>(window_.n);
    kinds_.push_back(KindState{std::pmr::string(kind, memory_), window_.n,
                               std::pmr::vector<__int128>(size, memory_),
                               std::pmr::vector<__int128>(size, memory_)});
    kind_index_.emplace(kinds_.back().name, kinds_.size() - 1);
    return kinds_.size() - 1;
}

void TraceBuilder::add_progress(const ProgressRow& row) {
    if (row.success < 0 || row.failed < 0)
        throw Error(ErrorKind::InvalidParameter, "progress counts must be non-negative");
    note_event(row.created_at_us);

    const bool same_stream = in_stream_ && stream_input_null_ == row.input_is_null &&
                             (row.input_is_null || stream_input_ == row.input_id) &&
                             kinds_[stream_kind_].name == row.kind;
    if (!same_stream) {
        stream_kind_ = kind_index(row.kind);
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

template <typename T>
void release(std::pmr::vector<T>& v) {
    v.clear();
    v.shrink_to_fit();
}

}  // namespace

Trace TraceBuilder::finish() && {
    const size_t n = static_cast<size_t>(window_.n);
    Trace t{window_, latest_, std::pmr::vector<int64_t>(n, memory_), std::pmr::vector<int64_t>(n, memory_),
            std::pmr::vector<KindSeries>(memory_)};
    int64_t completed = 0, failed = 0;
    for (size_t k = 0; k < n; ++k) {
        completed += d_completed_[k];
        failed += d_failed_[k];
        t.files_completed[k] = completed;
        t.files_failed[k] = failed;
    }
    in_stream_ = false;  // the stream's state is released below
    kind_index_.clear();

    const std::pmr::vector<size_t> order = byte_order(kinds_, memory_);
    // From here each kind's name moves into its series: no lookup by name.
    t.kinds.reserve(kinds_.size());
    for (const size_t i : order) {
        KindState& ks = kinds_[i];
        if (ks.first_point == window_.n) continue;  // none of its reports counts (a zoom, §2.13)
        KindSeries series{std::move(ks.name), ks.first_point,  // same memory: moved, not copied
                          std::pmr::vector<ItemTotals>(n, memory_)};
        __int128 s = 0, f = 0;
        for (size_t k = 0; k < n; ++k) {
            s += ks.d_success[k];
            f += ks.d_failed[k];
            series.totals[k] = ItemTotals{checked_total(s), checked_total(f)};
        }
        release(ks.d_success);
        release(ks.d_failed);
        t.kinds.push_back(std::move(series));
    }
    return t;
}

}  // namespace traces
