// The zoom window of docs/contract.md §2.13: its arithmetic, then TraceBuilder on zoomed
// windows against a brute-force model that applies the section's words point by point.
#include "core/error.h"
#include "core/trace.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <tuple>

namespace traces {
namespace {

constexpr int64_t kSec = 1000000;

TEST(ZoomWindow, WithoutFromAndToIsTheJobsWindow) {
    const Window job = make_window(0, 100 * kSec, 10);
    const Window w = zoom_window(job, std::nullopt, std::nullopt);
    EXPECT_EQ(std::tie(w.start_us, w.end_us, w.n, w.late_events_count),
              std::tie(job.start_us, job.end_us, job.n, job.late_events_count));
}

TEST(ZoomWindow, CutToTheJobAndLateEventsOnlyAtTheJobsEnd) {
    const Window job = make_window(0, 100 * kSec, 10);
    Window w = zoom_window(job, 40 * kSec, 60 * kSec);
    EXPECT_EQ(std::tie(w.start_us, w.end_us, w.late_events_count), std::make_tuple(40 * kSec, 60 * kSec, false));
    w = zoom_window(job, -50 * kSec, 500 * kSec);  // wider than the job: the job's window
    EXPECT_EQ(std::tie(w.start_us, w.end_us, w.late_events_count), std::make_tuple(0LL, 100 * kSec, true));
    w = zoom_window(job, 90 * kSec, std::nullopt);
    EXPECT_EQ(std::tie(w.start_us, w.end_us, w.late_events_count), std::make_tuple(90 * kSec, 100 * kSec, true));
    w = zoom_window(job, std::nullopt, 100 * kSec);  // to == end: the job's end, late events count
    EXPECT_TRUE(w.late_events_count);
    w = zoom_window(job, 10 * kSec, 10 * kSec + 1);  // shorter than a second: widened
    EXPECT_EQ(std::tie(w.start_us, w.end_us), std::make_tuple(10 * kSec + 1 - kSec, 10 * kSec + 1));
}

TEST(ZoomWindow, RefusesAnEmptyOrDisjointWindow) {
    const Window job = make_window(0, 100 * kSec, 10);
    EXPECT_THROW(zoom_window(job, 5 * kSec, 5 * kSec), Error);
    EXPECT_THROW(zoom_window(job, 6 * kSec, 5 * kSec), Error);
    EXPECT_THROW(zoom_window(job, 100 * kSec, std::nullopt), Error);  // starts at the end
    EXPECT_THROW(zoom_window(job, 200 * kSec, 300 * kSec), Error);
    EXPECT_THROW(zoom_window(job, std::nullopt, 0), Error);
    EXPECT_THROW(zoom_window(job, -20 * kSec, -10 * kSec), Error);
}

TEST(ZoomWindow, AnEventAfterAZoomsEndNeverCounts) {
    Window w = zoom_window(make_window(0, 100 * kSec, 10), 0, 50 * kSec);
    EXPECT_EQ(bucket_of(w, 50 * kSec), 9);
    EXPECT_EQ(bucket_of(w, 50 * kSec + 1), 10);
    EXPECT_EQ(bucket_of(w, -kSec), 0);  // before the zoom: from the first point
}

struct Event {
    int64_t at;
    int stream;  // -1 for a file
    int kind;
    int64_t value;
};

// §2.5 and §2.13 in words: an event counts at t_k when min(u, end) <= t_k if late events
// count, else when u <= t_k.
bool counts(const Window& w, int64_t u, int64_t t) {
    return (w.late_events_count ? std::min(u, w.end_us) : u) <= t;
}

TEST(ZoomTrace, MatchesBruteForceOnRandomJobsAndWindows) {
    std::mt19937_64 rng(213);
    const auto pick = [&](int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1)); };
    int checked = 0, cut = 0;  // windows compared, of which ending before the job
    for (int iter = 0; iter < 2000; ++iter) {
        const Window job = make_window(0, pick(1, 200) * kSec, static_cast<int32_t>(pick(10, 40)));
        std::optional<int64_t> from, to;
        if (rng() % 4) from = pick(-50, 250) * kSec + pick(0, 999999);
        if (rng() % 4) to = pick(-50, 250) * kSec;
        Window w;
        try {
            w = zoom_window(job, from, to);
        } catch (const Error&) {
            continue;
        }
        // Files, then streams (in stream order, times ascending) over three kinds.
        std::vector<Event> events;
        for (int i = 0; i < 30; ++i) events.push_back({pick(-20, 260) * kSec, -1, 0, static_cast<int64_t>(rng() % 2)});
        for (int s = 0; s < 6; ++s) {
            int64_t at = pick(-20, 100) * kSec;
            for (int r = 0; r < 5; ++r, at += pick(0, 60) * kSec) events.push_back({at, s, s % 3, pick(0, 100)});
        }
        TraceBuilder b(w);
        const std::string names[] = {"a", "b", "c"};
        for (const Event& e : events) {
            if (e.stream < 0) b.add_file(e.at, e.value == 1);
            else b.add_progress(ProgressRow{std::to_string(e.stream), false, names[e.kind], e.at, e.value, 0});
        }
        const Trace t = std::move(b).finish();
        std::map<int, std::vector<int64_t>> expected_kind;  // kind -> totals; absent before it counts
        std::map<int, int32_t> first_point;
        for (int32_t k = 0; k < w.n; ++k) {
            const int64_t tk = point_time(w, k);
            int64_t completed = 0, failed = 0;
            std::map<int, int64_t> latest;  // stream -> latest value that counts
            std::map<int, bool> present;
            for (const Event& e : events) {
                if (!counts(w, e.at, tk)) continue;
                if (e.stream < 0) ++(e.value ? failed : completed);
                else latest[e.stream] = e.value, present[e.kind] = true;
            }
            ASSERT_EQ(t.files_completed[static_cast<size_t>(k)], completed) << iter;
            ASSERT_EQ(t.files_failed[static_cast<size_t>(k)], failed) << iter;
            for (int kind = 0; kind < 3; ++kind) {
                if (!present[kind]) continue;
                int64_t sum = 0;
                for (auto& [s, v] : latest)
                    if (s % 3 == kind) sum += v;
                first_point.emplace(kind, k);
                expected_kind[kind].resize(static_cast<size_t>(k));
                expected_kind[kind].push_back(sum);
            }
        }
        ASSERT_EQ(t.kinds.size(), expected_kind.size()) << iter;
        size_t i = 0;
        for (auto& [kind, totals] : expected_kind) {
            const KindSeries& ks = t.kinds[i++];
            ASSERT_EQ(std::string_view(ks.kind), names[kind]);
            ASSERT_EQ(ks.first_point, first_point[kind]) << iter;
            for (size_t k = static_cast<size_t>(ks.first_point); k < totals.size(); ++k)
                ASSERT_EQ(ks.totals[k].success, totals[k]) << iter << " k=" << k;
        }
        ++checked;
        cut += !w.late_events_count;
    }
    EXPECT_GT(checked, 800);
    EXPECT_GT(cut, 200);
}

}  // namespace
}  // namespace traces
