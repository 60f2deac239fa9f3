// TraceBuilder against docs/contract.md §2.5-§2.8: hand-computed cases for each rule, then a
// brute-force model (every point, every stream's latest row) on random jobs.
#include "core/trace.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>
#include <memory_resource>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace traces {
namespace {

// 10 points, one per second: t_k = (k+1) s.
Window ten_seconds() { return make_window(0, 10 * kSecond, 10); }

std::pmr::vector<int64_t> successes(const KindSeries& ks) {
    std::pmr::vector<int64_t> v;
    for (const ItemTotals& t : ks.totals) v.push_back(t.success);
    return v;
}

std::pmr::vector<int64_t> failures(const KindSeries& ks) {
    std::pmr::vector<int64_t> v;
    for (const ItemTotals& t : ks.totals) v.push_back(t.failed);
    return v;
}

using V = std::pmr::vector<int64_t>;  // the type Trace holds

// finish() consumes the builder: it compiles on an rvalue only, so using a
// builder after finishing it needs a visible std::move (see trace.h).
template <typename T, typename = void>
struct FinishCompiles : std::false_type {};
template <typename T>
struct FinishCompiles<T, std::void_t<decltype(std::declval<T>().finish())>> : std::true_type {};
static_assert(FinishCompiles<TraceBuilder&&>::value, "std::move(builder).finish() must compile");
static_assert(!FinishCompiles<TraceBuilder&>::value, "builder.finish() must not compile");
static_assert(!FinishCompiles<const TraceBuilder&>::value, "finish() on a const builder must not compile");

TEST(TraceBuilder, EmptyJob) {
    Trace t = TraceBuilder(ten_seconds()).finish();
    EXPECT_FALSE(t.latest_event_us.has_value());
    EXPECT_EQ(t.files_completed, V(10, 0));
    EXPECT_EQ(t.files_failed, V(10, 0));
    EXPECT_TRUE(t.kinds.empty());
    EXPECT_EQ(t.window.n, 10);
}

TEST(TraceBuilder, FilesCountFromTheirBucketOnIncludingEarlyAndLateOnes) {
    TraceBuilder b(ten_seconds());
    b.add_file(-5 * kSecond, false);         // before start: from the first point
    b.add_file(kSecond, false);              // at t_0 exactly: in point 0
    b.add_file(kSecond + 1, true);           // just after t_0: point 1
    b.add_file(5 * kSecond, false);          // at t_4
    b.add_file(10 * kSecond, true);          // at end: last point
    b.add_file(20 * kSecond, false);         // after end: last point
    b.add_file(INT64_MAX, true);             // far after end
    b.add_file(INT64_MIN, false);            // far before start
    Trace t = std::move(b).finish();
    EXPECT_EQ(t.files_completed, (V{3, 3, 3, 3, 4, 4, 4, 4, 4, 5}));
    EXPECT_EQ(t.files_failed, (V{0, 1, 1, 1, 1, 1, 1, 1, 1, 3}));
    EXPECT_EQ(t.latest_event_us, INT64_MAX);
}

TEST(TraceBuilder, LatestEventIsTheGreatestOfFilesProgressAndNotedEvents) {
    TraceBuilder b(ten_seconds());
    b.add_file(3 * kSecond, false);
    b.add_progress(progress_row("a", "inference", 7 * kSecond, 1));
    b.note_event(4 * kSecond);
    EXPECT_EQ(std::move(b).finish().latest_event_us, 7 * kSecond);

    TraceBuilder c(ten_seconds());
    c.note_event(-3);
    Trace t = std::move(c).finish();
    EXPECT_EQ(t.latest_event_us, -3);
    EXPECT_TRUE(t.kinds.empty());  // a noted event is not progress
    EXPECT_EQ(t.files_completed, V(10, 0));
}

TEST(TraceBuilder, ASnapshotReplacesTheStreamsPreviousOne) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "inference", 500000, 10, 1));        // point 0
    b.add_progress(progress_row("in1", "inference", 2 * kSecond + 1, 20, 2));  // point 2
    b.add_progress(progress_row("in1", "inference", 2 * kSecond + 9, 25, 2));  // point 2, later
    b.add_progress(progress_row("in1", "inference", 6 * kSecond, 40, 3));    // point 5
    Trace t = std::move(b).finish();
    ASSERT_EQ(t.kinds.size(), 1u);
    EXPECT_EQ(t.kinds[0].kind, "inference");
    EXPECT_EQ(t.kinds[0].first_point, 0);
    EXPECT_EQ(successes(t.kinds[0]), (V{10, 10, 25, 25, 25, 40, 40, 40, 40, 40}));
    EXPECT_EQ(failures(t.kinds[0]), (V{1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));
}

TEST(TraceBuilder, RetriedInputRestartsFromZero) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "inference", 500000, 10, 1));
    b.add_progress(progress_row("in1", "inference", 2500000, 20, 2));
    b.add_progress(progress_row("in1", "inference", 3500000, 0, 0));  // retried: back to 0
    b.add_progress(progress_row("in1", "inference", 5500000, 5, 0));
    b.add_progress(progress_row("in2", "inference", 1500000, 100, 0));
    Trace t = std::move(b).finish();
    ASSERT_EQ(t.kinds.size(), 1u);
    EXPECT_EQ(successes(t.kinds[0]), (V{10, 110, 120, 100, 100, 105, 105, 105, 105, 105}));
    EXPECT_EQ(failures(t.kinds[0]), (V{1, 1, 2, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(TraceBuilder, EqualCreatedAtIsResolvedByFeedOrder) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "inference", 4 * kSecond, 50, 5));
    b.add_progress(progress_row("in1", "inference", 4 * kSecond, 30, 1));  // same instant, greater id
    Trace t = std::move(b).finish();
    EXPECT_EQ(successes(t.kinds[0]), (V{0, 0, 0, 30, 30, 30, 30, 30, 30, 30}));
    EXPECT_EQ(failures(t.kinds[0]), (V{0, 0, 0, 1, 1, 1, 1, 1, 1, 1}));
    EXPECT_EQ(t.kinds[0].first_point, 3);
}

TEST(TraceBuilder, JobLevelStreamIsDistinctFromAnInputNamedEmpty) {
    for (bool null_first : {true, false}) {
        TraceBuilder b(ten_seconds());
        auto job_level = [&] {
            b.add_progress(progress_row(std::nullopt, "inference", kSecond, 7));
            b.add_progress(progress_row(std::nullopt, "inference", 3 * kSecond, 8));
        };
        auto named_empty = [&] {
            b.add_progress(progress_row(std::string_view(""), "inference", 2 * kSecond, 100));
            b.add_progress(progress_row(std::string_view(""), "inference", 4 * kSecond, 200));
        };
        if (null_first) {
            job_level();
            named_empty();
        } else {
            named_empty();
            job_level();
        }
        Trace t = std::move(b).finish();
        ASSERT_EQ(t.kinds.size(), 1u);
        EXPECT_EQ(successes(t.kinds[0]), (V{7, 107, 108, 208, 208, 208, 208, 208, 208, 208})) << null_first;
    }
}

TEST(TraceBuilder, SameInputDifferentKindsAreDifferentStreams) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "download", kSecond, 3));
    b.add_progress(progress_row("in1", "inference", kSecond, 4));
    b.add_progress(progress_row("in1", "inference", 9 * kSecond, 9));
    Trace t = std::move(b).finish();
    ASSERT_EQ(t.kinds.size(), 2u);
    EXPECT_EQ(t.kinds[0].kind, "download");
    EXPECT_EQ(successes(t.kinds[0]), V(10, 3));
    EXPECT_EQ(successes(t.kinds[1]), (V{4, 4, 4, 4, 4, 4, 4, 4, 9, 9}));
}

TEST(TraceBuilder, KindsComeInByteOrder) {
    // Upper case before lower case, and UTF-8 lead bytes (>= 0x80) after ASCII.
    const std::vector<std::string> fed = {"zeta", "\xce\xa9mega", "alpha", "\xc3\xa9t\xc3\xa9", "Zulu",
                                          "\x7f", "\xff", "a", "inference", "_x", "0"};
    TraceBuilder b(ten_seconds());
    int i = 0;
    for (const std::string& k : fed) b.add_progress(progress_row("in", k, kSecond * (i++ % 10), 1));
    Trace t = std::move(b).finish();
    std::vector<std::string> got;
    for (const KindSeries& ks : t.kinds) got.emplace_back(ks.kind);
    const std::vector<std::string> want = {"0", "Zulu", "_x", "a", "alpha", "inference", "zeta",
                                           "\x7f", "\xc3\xa9t\xc3\xa9", "\xce\xa9mega", "\xff"};
    EXPECT_EQ(got, want);
}

TEST(TraceBuilder, KindIsAbsentBeforeItsFirstPoint) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "late", 7 * kSecond + 1, 0, 0));  // a zero snapshot still creates it
    b.add_progress(progress_row("in2", "late", 9 * kSecond, 2));
    b.add_progress(progress_row("in1", "early", -kSecond, 1));
    b.add_progress(progress_row("in3", "after", 99 * kSecond, 5));
    Trace t = std::move(b).finish();
    ASSERT_EQ(t.kinds.size(), 3u);
    EXPECT_EQ(t.kinds[0].kind, "after");
    EXPECT_EQ(t.kinds[0].first_point, 9);
    EXPECT_EQ(t.kinds[0].totals[9].success, 5);
    EXPECT_EQ(t.kinds[1].kind, "early");
    EXPECT_EQ(t.kinds[1].first_point, 0);
    EXPECT_EQ(t.kinds[2].kind, "late");
    EXPECT_EQ(t.kinds[2].first_point, 7);
    EXPECT_EQ(successes(t.kinds[2]), (V{0, 0, 0, 0, 0, 0, 0, 0, 2, 2}));
}

TEST(TraceBuilder, FirstPointIsTheEarliestOverAllStreamsOfTheKind) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "k", 8 * kSecond, 1));
    b.add_progress(progress_row("in2", "k", 2 * kSecond, 1));
    b.add_progress(progress_row("in3", "k", 5 * kSecond, 1));
    EXPECT_EQ(std::move(b).finish().kinds[0].first_point, 1);
}

TEST(TraceBuilder, NegativeCountsAreRefused) {
    TraceBuilder b(ten_seconds());
    for (const ProgressRow& bad : {progress_row("in1", "k", 0, -1, 0), progress_row("in1", "k", 0, 0, -1),
                                   progress_row("in1", "k", 0, INT64_MIN, 0)})
        EXPECT_EQ(error_kind_of([&] { b.add_progress(bad); }), ErrorKind::InvalidParameter);
}

TEST(TraceBuilder, TotalsUpToInt64MaxAreExact) {
    TraceBuilder b(ten_seconds());
    b.add_progress(progress_row("in1", "k", kSecond, INT64_MAX - 5, INT64_MAX));
    b.add_progress(progress_row("in2", "k", 2 * kSecond, 5, 0));
    Trace t = std::move(b).finish();
    EXPECT_EQ(t.kinds[0].totals[0].success, INT64_MAX - 5);
    EXPECT_EQ(t.kinds[0].totals[1].success, INT64_MAX);
    EXPECT_EQ(t.kinds[0].totals[9].failed, INT64_MAX);
}

TEST(TraceBuilder, TotalOverflowingInt64Throws) {
    {
        TraceBuilder b(ten_seconds());
        b.add_progress(progress_row("in1", "k", kSecond, INT64_MAX));
        b.add_progress(progress_row("in2", "k", 5 * kSecond, 1));
        EXPECT_EQ(error_kind_of([&] { std::move(b).finish(); }), ErrorKind::NumericOutOfRange);
    }
    {
        TraceBuilder b(ten_seconds());
        b.add_progress(progress_row("in1", "k", kSecond, 0, INT64_MAX));
        b.add_progress(progress_row(std::nullopt, "k", kSecond, 0, INT64_MAX));
        EXPECT_EQ(error_kind_of([&] { std::move(b).finish(); }), ErrorKind::NumericOutOfRange);
    }
    {
        // Two kinds each at the maximum are fine: totals are per kind.
        TraceBuilder b(ten_seconds());
        b.add_progress(progress_row("in1", "a", kSecond, INT64_MAX, INT64_MAX));
        b.add_progress(progress_row("in1", "b", kSecond, INT64_MAX, INT64_MAX));
        EXPECT_NO_THROW(std::move(b).finish());
    }
}

TEST(TraceBuilder, TransientSumsWithinABucketMayPassInt64Max) {
    // Stream in1 reports the maximum then restarts, all inside point 0, while
    // in2 also reports the maximum there: the running sum of deltas passes
    // 2^63 mid-bucket, but every point's total fits.
    for (bool in2_first : {true, false}) {
        TraceBuilder b(ten_seconds());
        auto in1 = [&] {
            b.add_progress(progress_row("in1", "k", 100, INT64_MAX, INT64_MAX));
            b.add_progress(progress_row("in1", "k", 200, 0, 0));
            b.add_progress(progress_row("in1", "k", 3 * kSecond, 3, 4));
        };
        auto in2 = [&] { b.add_progress(progress_row("in2", "k", 300, INT64_MAX - 3, INT64_MAX - 4)); };
        if (in2_first) {
            in2();
            in1();
        } else {
            in1();
            in2();
        }
        Trace t;
        ASSERT_NO_THROW(t = std::move(b).finish()) << in2_first;
        EXPECT_EQ(t.kinds[0].totals[0].success, INT64_MAX - 3);
        EXPECT_EQ(t.kinds[0].totals[2].success, INT64_MAX);
        EXPECT_EQ(t.kinds[0].totals[9].failed, INT64_MAX);
    }
}

// ---- brute-force model --------------------------------------------------

struct ModelRow {
    std::optional<std::string> input;
    std::string kind;
    int64_t at;
    int64_t success, failed;
};

struct ModelFile {
    int64_t at;
    bool failed;
};

// Every stream's rows in feed order (= (created_at, id) order).
using Streams = std::vector<std::vector<ModelRow>>;

// Contract §2.7 literally: at point k, take each stream's latest row with
// min(created_at, end) <= t_k and sum per kind.
void check_against_model(const Window& w, const std::vector<ModelFile>& files, const Streams& streams,
                         const Trace& t) {
    for (int32_t k = 0; k < w.n; ++k) {
        const int64_t tk = reference_point(w.start_us, w.span_us(), w.n, k);
        int64_t completed = 0, failed = 0;
        for (const ModelFile& f : files)
            if (std::min(f.at, w.end_us) <= tk) ++(f.failed ? failed : completed);
        ASSERT_EQ(t.files_completed[k], completed) << k;
        ASSERT_EQ(t.files_failed[k], failed) << k;

        std::map<std::string, ItemTotals> items;
        for (const auto& stream : streams) {
            const ModelRow* latest = nullptr;
            for (const ModelRow& r : stream)
                if (std::min(r.at, w.end_us) <= tk) latest = &r;  // later in feed order wins ties
            if (!latest) continue;
            ItemTotals& sum = items[latest->kind];
            sum.success += latest->success;
            sum.failed += latest->failed;
        }
        std::map<std::string, ItemTotals> got;
        for (const KindSeries& ks : t.kinds)
            if (k >= ks.first_point) got[std::string(ks.kind)] = ks.totals[k];
        ASSERT_EQ(got.size(), items.size()) << "point " << k;
        for (const auto& [kind, sum] : items) {
            ASSERT_TRUE(got.count(kind)) << kind << " at " << k;
            ASSERT_EQ(got[kind].success, sum.success) << kind << " at " << k;
            ASSERT_EQ(got[kind].failed, sum.failed) << kind << " at " << k;
        }
    }
}

TEST(TraceBuilder, MatchesBruteForceOnRandomJobs) {
    std::mt19937_64 rng(314159);
    const std::vector<std::string> kinds = {"inference", "download", "Upload", "\xc3\xa9", "a"};
    const std::vector<std::optional<std::string>> inputs = {std::nullopt, std::string(""), std::string("in1"),
                                                            std::string("in2"), std::string("IN1")};
    for (int job = 0; job < 300; ++job) {
        const int32_t n = job % 2 ? 10 : static_cast<int32_t>(10 + rng() % 200);
        const int64_t start = static_cast<int64_t>(rng() % 1000000000) - 500000000;
        const int64_t span = kSecond + static_cast<int64_t>(rng() % (3600 * kSecond));
        Window w = make_window(start, start + span, n);
        // Times in and around the window, with repeats so ties happen.
        auto time = [&]() -> int64_t {
            switch (rng() % 6) {
                case 0: return start - static_cast<int64_t>(rng() % span);
                case 1: return start + span + static_cast<int64_t>(rng() % span);
                case 2: return start + static_cast<int64_t>(rng() % 4) * (span / 4);
                default: return start + static_cast<int64_t>(rng() % static_cast<uint64_t>(span + 1));
            }
        };
        std::vector<ModelFile> files;
        for (int i = static_cast<int>(rng() % 30); i > 0; --i) files.push_back({time(), rng() % 3 == 0});

        Streams streams;
        for (const auto& input : inputs)
            for (const std::string& kind : kinds) {
                if (rng() % 3 == 0) continue;
                std::vector<int64_t> times(rng() % 12 + 1);
                for (int64_t& at : times) at = time();
                std::sort(times.begin(), times.end());
                std::vector<ModelRow> stream;
                for (int64_t at : times) {
                    // Mostly growing counters, sometimes a restart or a resend.
                    int64_t s = stream.empty() ? 0 : stream.back().success;
                    int64_t f = stream.empty() ? 0 : stream.back().failed;
                    switch (rng() % 5) {
                        case 0: s = f = 0; break;
                        case 1: break;
                        default: s += static_cast<int64_t>(rng() % 1000); f += static_cast<int64_t>(rng() % 10);
                    }
                    stream.push_back(ModelRow{input, kind, at, s, f});
                }
                streams.push_back(std::move(stream));
            }
        std::shuffle(streams.begin(), streams.end(), rng);  // stream order is free
        std::shuffle(files.begin(), files.end(), rng);       // so is file order

        TraceBuilder b(w);
        for (const ModelFile& f : files) b.add_file(f.at, f.failed);
        for (const auto& stream : streams)
            for (const ModelRow& r : stream)
                b.add_progress(progress_row(r.input ? std::optional<std::string_view>(*r.input) : std::nullopt,
                                            r.kind, r.at, r.success, r.failed));
        Trace t = std::move(b).finish();
        for (size_t i = 1; i < t.kinds.size(); ++i) ASSERT_LT(t.kinds[i - 1].kind, t.kinds[i].kind);
        ASSERT_NO_FATAL_FAILURE(check_against_model(w, files, streams, t)) << "job " << job;

        std::optional<int64_t> latest;
        for (const ModelFile& f : files) latest = std::max(latest.value_or(INT64_MIN), f.at);
        for (const auto& s : streams)
            for (const ModelRow& r : s) latest = std::max(latest.value_or(INT64_MIN), r.at);
        ASSERT_EQ(t.latest_event_us, latest);
    }
}

}  // namespace
}  // namespace traces
