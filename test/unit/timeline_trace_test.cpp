// TimelineAssembler against TraceBuilder: a job's rows fed to the row builder
// and, as the timeline reader would see them, to the assembler (per point,
// one probe of each kind's running totals and one of the files' running
// counts, computed here from the timeline's definition in
// src/sql/60_timeline.sql) must give the same Trace or the same error.
#include "core/timeline_trace.h"

#include "core/error.h"
#include "core/trace.h"
#include "core/window.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace traces {
namespace {

struct Row {
    std::optional<std::string> input;
    std::string kind;
    int64_t at;
    int64_t id;  // breaks ties of `at`, as the table's id does
    int64_t success, failed;
};

struct File {
    std::string input;
    int64_t at;
    bool failed;
};

// The time a point's probe reaches: t_k, but every row at the last point
// when events after the end count there (contract §2.5).
int64_t probe_time(const Window& w, int32_t k) {
    if (k == w.n - 1 && w.late_events_count) return INT64_MAX;
    return point_time(w, k);
}

// The assembler fed as the reader feeds it, from the timeline's definition:
// a kind's row holds the sum over the kind's streams of each one's latest
// snapshot at it, in (created_at, id) order; a file's row the counts of the
// finished inputs up to it in (completed_at, input) order.
TimelineAssembler assembled(const Window& w, std::vector<Row> rows, std::vector<File> files,
                            const std::vector<std::string>& kind_order) {
    TimelineAssembler a(w);
    std::optional<int64_t> latest;
    for (const Row& r : rows) latest = std::max(latest.value_or(INT64_MIN), r.at);
    for (const File& f : files) latest = std::max(latest.value_or(INT64_MIN), f.at);
    a.set_latest_event(latest);

    std::sort(files.begin(), files.end(),
              [](const File& x, const File& y) { return std::tie(x.at, x.input) < std::tie(y.at, y.input); });
    for (int32_t k = 0; k < w.n; ++k) {
        int64_t completed = 0, failed = 0;
        for (const File& f : files)
            if (f.at <= probe_time(w, k)) ++(f.failed ? failed : completed);
        if (completed + failed > 0) a.set_files(k, completed, failed);
    }

    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) { return std::tie(x.at, x.id) < std::tie(y.at, y.id); });
    for (const std::string& kind : kind_order) {
        // Running totals after each of the kind's rows, in 128 bits.
        std::vector<std::tuple<int64_t, __int128, __int128>> timeline;
        std::map<std::optional<std::string>, std::pair<int64_t, int64_t>> latest_of_stream;
        __int128 s = 0, f = 0;
        for (const Row& r : rows) {
            if (r.kind != kind) continue;
            auto& snap = latest_of_stream[r.input];
            s += r.success - snap.first;
            f += r.failed - snap.second;
            snap = {r.success, r.failed};
            timeline.emplace_back(r.at, s, f);
        }
        for (int32_t k = 0; k < w.n; ++k) {
            std::optional<StoredTotals> v;
            for (const auto& [at, ts, tf] : timeline)
                if (at <= probe_time(w, k))
                    v = StoredTotals{static_cast<int64_t>(ts), static_cast<int64_t>(tf), ts <= INT64_MAX && tf <= INT64_MAX};
            a.add_kind_point(kind, k, v);
        }
    }
    return a;
}

TraceBuilder built(const Window& w, std::vector<Row> rows, const std::vector<File>& files) {
    TraceBuilder b(w);
    for (const File& f : files) b.add_file(f.at, f.failed);
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
        return std::tie(x.input, x.kind, x.at, x.id) < std::tie(y.input, y.kind, y.at, y.id);
    });
    for (const Row& r : rows)
        b.add_progress(progress_row(r.input ? std::optional<std::string_view>(*r.input) : std::nullopt, r.kind, r.at,
                                    r.success, r.failed));
    return b;
}

// The outcome of finishing: the trace, or the error's kind and message.
struct Outcome {
    std::optional<Trace> trace;
    std::optional<ErrorKind> error;
    std::string message;
};

template <typename Make>
Outcome outcome_of(Make&& make) {
    Outcome o;
    try {
        o.trace.emplace(make());
    } catch (const Error& e) {
        o.error = e.kind();
        o.message = e.what();
    }
    return o;
}

void expect_same(const Outcome& scan, const Outcome& timeline) {
    ASSERT_EQ(scan.error, timeline.error) << scan.message << " / " << timeline.message;
    ASSERT_EQ(scan.message, timeline.message);
    if (scan.error) return;
    const Trace &x = *scan.trace, &y = *timeline.trace;
    ASSERT_EQ(x.latest_event_us, y.latest_event_us);
    ASSERT_EQ(x.files_completed, y.files_completed);
    ASSERT_EQ(x.files_failed, y.files_failed);
    ASSERT_EQ(x.kinds.size(), y.kinds.size());
    for (size_t i = 0; i < x.kinds.size(); ++i) {
        ASSERT_EQ(x.kinds[i].kind, y.kinds[i].kind);
        ASSERT_EQ(x.kinds[i].first_point, y.kinds[i].first_point) << x.kinds[i].kind;
        for (int32_t k = x.kinds[i].first_point; k < x.window.n; ++k) {
            ASSERT_EQ(x.kinds[i].totals[k].success, y.kinds[i].totals[k].success) << x.kinds[i].kind << " at " << k;
            ASSERT_EQ(x.kinds[i].totals[k].failed, y.kinds[i].totals[k].failed) << x.kinds[i].kind << " at " << k;
        }
    }
}

void compare(const Window& w, const std::vector<Row>& rows, const std::vector<File>& files,
             std::vector<std::string> kind_order) {
    const Outcome scan = outcome_of([&] { return built(w, rows, files).finish(); });
    const Outcome timeline = outcome_of([&] { return assembled(w, rows, files, kind_order).finish(); });
    expect_same(scan, timeline);
}

std::vector<std::string> kinds_of(const std::vector<Row>& rows) {
    std::vector<std::string> kinds;
    for (const Row& r : rows)
        if (std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end()) kinds.push_back(r.kind);
    return kinds;
}

TEST(TimelineAssembler, MatchesTheRowBuilderOnRandomJobsAndZooms) {
    std::mt19937_64 rng(271828);
    const std::vector<std::string> kind_names = {"b", "a", "B", "\xc3\xa9", "items", "a b"};
    const std::vector<std::optional<std::string>> input_names = {std::nullopt, std::string("x"), std::string("y"),
                                                                 std::string("X"), std::string("")};
    int errors = 0;
    for (int job = 0; job < 400; ++job) {
        const int32_t n = 10 + static_cast<int32_t>(rng() % 60);
        const int64_t start = static_cast<int64_t>(rng() % 100000) * kSecond;
        const int64_t span = kSecond + static_cast<int64_t>(rng() % (600 * kSecond));
        const Window job_window = make_window(start, start + span, n);
        auto when = [&]() -> int64_t {
            const int64_t grid = span / 8;  // coarse, so that ties are common
            switch (rng() % 5) {
                case 0: return start - static_cast<int64_t>(rng() % span);         // before the start
                case 1: return start + span + static_cast<int64_t>(rng() % span);  // after the end
                case 2: return start + static_cast<int64_t>(rng() % 9) * grid;
                default: return start + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
            }
        };
        std::vector<Row> rows;
        const bool huge = job % 25 == 0;  // totals that pass 2^63-1 somewhere
        for (int i = static_cast<int>(rng() % 80); i > 0; --i) {
            int64_t success = static_cast<int64_t>(rng() % 500);
            if (huge && rng() % 3 == 0) success = INT64_MAX - static_cast<int64_t>(rng() % 3);
            // Snapshots in any order of time: a stream's counters need not grow (a retry restarts them).
            rows.push_back(Row{input_names[rng() % input_names.size()], kind_names[rng() % kind_names.size()], when(),
                               static_cast<int64_t>(rng() % 1000000), success, static_cast<int64_t>(rng() % 50)});
        }
        std::vector<File> files;
        for (int i = static_cast<int>(rng() % 20); i > 0; --i)
            files.push_back(File{"in" + std::to_string(i), when(), rng() % 4 == 0});

        // The job's own window, then a zoom inside it, one ending before the job does, one from a time on.
        std::vector<Window> windows = {job_window};
        const int64_t a = start + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
        const int64_t b = start + static_cast<int64_t>(rng() % static_cast<uint64_t>(span));
        if (a != b) windows.push_back(zoom_window(job_window, std::min(a, b), std::max(a, b)));
        windows.push_back(zoom_window(job_window, std::nullopt, start + span / 3 + kSecond));
        windows.push_back(zoom_window(job_window, start + span / 2, std::nullopt));

        std::vector<std::string> kind_order = kinds_of(rows);
        std::shuffle(kind_order.begin(), kind_order.end(), rng);  // the reader's order is its own
        for (const Window& w : windows) {
            ASSERT_NO_FATAL_FAILURE(compare(w, rows, files, kind_order)) << "job " << job;
            errors += outcome_of([&] { return built(w, rows, files).finish(); }).error.has_value();
        }
    }
    EXPECT_GT(errors, 0) << "the random jobs never reached the 64-bit bound";
}

TEST(TimelineAssembler, RefusesTooManyKindsWithTheRowBuildersWords) {
    const Window w = make_window(0, 1000 * kSecond, 1000);
    std::vector<Row> rows;
    for (int i = 0; i < 1100; ++i) rows.push_back(Row{std::nullopt, "k" + std::to_string(i), kSecond, i, 1, 0});
    std::vector<std::string> reversed = kinds_of(rows);
    std::reverse(reversed.begin(), reversed.end());
    compare(w, rows, {}, reversed);
    EXPECT_EQ(error_kind_of([&] { assembled(w, rows, {}, reversed); }), ErrorKind::TooLarge);
}

TEST(TimelineAssembler, AKindShownAtNoPointIsLeftOutAndItsOverflowIgnored) {
    const Window job = make_window(0, 100 * kSecond, 10);
    const Window zoom = zoom_window(job, std::nullopt, 50 * kSecond);
    const std::vector<Row> rows = {{std::nullopt, "late", 60 * kSecond, 1, INT64_MAX, 0},
                                   {std::string("x"), "late", 61 * kSecond, 2, INT64_MAX, 0},
                                   {std::nullopt, "early", 10 * kSecond, 3, 5, 1}};
    compare(zoom, rows, {}, {"late", "early"});
    Trace t = assembled(zoom, rows, {}, {"late", "early"}).finish();
    ASSERT_EQ(t.kinds.size(), 1u);
    EXPECT_EQ(t.kinds[0].kind, "early");
    EXPECT_EQ(t.kinds[0].first_point, 1);
    // And over the job's own window the same rows overflow, in both.
    EXPECT_EQ(error_kind_of([&] { assembled(job, rows, {}, {"late", "early"}).finish(); }),
              ErrorKind::NumericOutOfRange);
    compare(job, rows, {}, {"early", "late"});
}

TEST(TimelineAssembler, PointsOutsideTheWindowAreABug) {
    TimelineAssembler a(make_window(0, 10 * kSecond, 10));
    EXPECT_THROW(a.set_files(10, 1, 0), std::logic_error);
    EXPECT_THROW(a.add_kind_point("k", -1, StoredTotals{}), std::logic_error);
}

}  // namespace
}  // namespace traces
