// The C bridge: every C++ failure comes back as a tr_error of the right kind,
// results come from the caller's allocator, and nothing throws through.
#include "bridge/traces_bridge.h"

#include "bridge/guarded.h"
#include "core/error.h"
#include "core/rfc3339.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using traces::kLatest;
using traces::kSecond;

// Allocators handed to the bridge; the test owns and frees what they return.
std::vector<void*> g_allocated;
void* test_alloc(size_t size) {
    void* p = std::malloc(size);
    g_allocated.push_back(p);
    return p;
}
void* failing_alloc(size_t) { return nullptr; }

// A trace's memory as the glue provides it (tr_memory): counts what is live,
// and fails once `limit` bytes would be exceeded.
struct CountedMemory {
    size_t live = 0, peak = 0, limit = SIZE_MAX;
    std::vector<std::pair<void*, size_t>> blocks;
};
void* counted_alloc(void* context, size_t size) {
    auto* m = static_cast<CountedMemory*>(context);
    if (size > m->limit - m->live) return nullptr;
    void* p = std::malloc(size);
    // The glue's palloc guarantees 8-byte alignment, no more: give exactly that.
    m->live += size;
    m->peak = std::max(m->peak, m->live);
    m->blocks.emplace_back(p, size);
    return p;
}
void counted_release(void* context, void* p) {
    auto* m = static_cast<CountedMemory*>(context);
    for (auto it = m->blocks.begin(); it != m->blocks.end(); ++it)
        if (it->first == p) {
            m->live -= it->second;
            m->blocks.erase(it);
            std::free(p);
            return;
        }
    ADD_FAILURE() << "released a pointer never allocated";
}

// The whole answer through the part API, as the glue builds it: measured a
// point at a time, then written into a buffer of exactly that size.
std::string json_by_parts(const tr_trace* t, std::string_view id, tr_error* err) {
    const int32_t n = tr_trace_points(t);
    std::vector<size_t> sizes;
    size_t total = 0;
    for (int32_t k = 0; k < n; ++k) {
        size_t len = 0;
        if (!tr_trace_json_part(t, id.data(), id.size(), k, k + 1, nullptr, 0, &len, err)) return "";
        sizes.push_back(len);
        total += len;
    }
    std::string out(total, '\0');
    size_t pos = 0;
    for (int32_t k = 0; k < n; ++k) {
        size_t len = 0;
        if (!tr_trace_json_part(t, id.data(), id.size(), k, k + 1, out.data() + pos, total - pos, &len, err))
            return "";
        EXPECT_EQ(len, sizes[static_cast<size_t>(k)]) << k;
        pos += len;
    }
    return out;
}

std::string items_of(const tr_trace* t, int32_t k, tr_error* err) {
    size_t len = 0;
    if (!tr_trace_point_items(t, k, nullptr, 0, &len, err)) return "<error>";
    std::string out(len, '\0');
    if (!tr_trace_point_items(t, k, out.data(), out.size(), &len, err)) return "<error>";
    return out;
}

class Bridge : public ::testing::Test {
protected:
    void TearDown() override {
        for (void* p : g_allocated) std::free(p);
        g_allocated.clear();
        for (tr_trace* t : traces_) tr_trace_free(t);
    }
    tr_trace* create(int64_t start, int64_t end, int32_t n, const tr_memory* memory = nullptr) {
        tr_error err;
        tr_trace* t = tr_trace_create(start, end, n, memory, &err);
        EXPECT_NE(t, nullptr) << err.message;
        EXPECT_EQ(err.kind, TR_OK);
        if (t) traces_.push_back(t);
        return t;
    }
    static tr_progress_row progress(const char* input, const char* kind, int64_t at, int64_t s, int64_t f) {
        tr_progress_row r{};
        r.input_is_null = input == nullptr;
        r.input_id = input;
        r.input_len = input ? std::strlen(input) : 0;
        r.kind = kind;
        r.kind_len = std::strlen(kind);
        r.created_at_us = at;
        r.success = s;
        r.failed = f;
        return r;
    }
    std::vector<tr_trace*> traces_;
};

void expect_error(const tr_error& err, tr_error_kind kind) {
    EXPECT_EQ(err.kind, kind) << err.message;
    EXPECT_NE(err.message[0], '\0');
    EXPECT_LT(std::strlen(err.message), sizeof err.message);
}

// The glue prints the message after "traces: ", so for user errors it is
// what a SQL client sees: these texts must not change.
void expect_error(const tr_error& err, tr_error_kind kind, const char* message) {
    EXPECT_EQ(err.kind, kind) << err.message;
    EXPECT_STREQ(err.message, message);
}

// What guarded() reports for a body that throws.
template <typename F>
tr_error reported(F&& body) {
    tr_error err;
    EXPECT_FALSE(traces::bridge::guarded(&err, std::forward<F>(body)));
    return err;
}

// ---- the mapping from exceptions to error kinds --------------------------

TEST(Guarded, OnlyTheCoresErrorMapsToUserKinds) {
    using traces::ErrorKind;
    const std::pair<ErrorKind, tr_error_kind> kinds[] = {
        {ErrorKind::InvalidParameter, TR_INVALID_VALUE},      // 22023
        {ErrorKind::NumericOutOfRange, TR_NUMERIC_OVERFLOW},  // 22003
        {ErrorKind::DatetimeOutOfRange, TR_DATETIME_OVERFLOW},  // 22008
    };
    for (const auto& [kind, want] : kinds)
        expect_error(reported([kind = kind] { throw traces::Error(kind, "what the user reads"); }), want,
                     "what the user reads");
}

TEST(Guarded, ALibrarysOutOfRangeIsInternalNotADatetimeOverflow) {
    // A bug such as an index past the end must not reach a user as 22008.
    const tr_error err = reported([] {
        std::vector<int> none;
        (void)none.at(3);
    });
    EXPECT_EQ(err.kind, TR_INTERNAL);
    EXPECT_NE(std::string(err.message).find("vector"), std::string::npos) << err.message;
}

TEST(Guarded, StandardExceptionsAreInternalWithTheirMessage) {
    expect_error(reported([] { throw std::out_of_range("o"); }), TR_INTERNAL, "o");
    expect_error(reported([] { throw std::overflow_error("v"); }), TR_INTERNAL, "v");
    expect_error(reported([] { throw std::invalid_argument("i"); }), TR_INTERNAL, "i");
    expect_error(reported([] { throw std::logic_error("l"); }), TR_INTERNAL, "l");
    expect_error(reported([] { throw std::runtime_error("r"); }), TR_INTERNAL, "r");
}

TEST(Guarded, BadAllocIsOutOfMemoryAndAnythingElseInternal) {
    expect_error(reported([] { throw std::bad_alloc(); }), TR_OUT_OF_MEMORY, "out of memory");
    expect_error(reported([] { throw std::bad_array_new_length(); }), TR_OUT_OF_MEMORY, "out of memory");
    expect_error(reported([] { throw 42; }), TR_INTERNAL, "unknown C++ exception");
}

TEST(Guarded, SuccessClearsTheErrorAndLongMessagesAreCut) {
    tr_error err;
    err.kind = TR_INTERNAL;
    std::strcpy(err.message, "stale");
    EXPECT_TRUE(traces::bridge::guarded(&err, [] {}));
    expect_error(err, TR_OK, "");
    const std::string longer(1000, 'm');
    err = reported([&] { throw traces::Error(traces::ErrorKind::InvalidParameter, longer.c_str()); });
    EXPECT_EQ(err.kind, TR_INVALID_VALUE);
    EXPECT_EQ(std::string(err.message), longer.substr(0, sizeof err.message - 1));
    EXPECT_FALSE(traces::bridge::guarded(nullptr, [] { throw 1; }));  // no error to fill: still caught
}

// ---- the C API -------------------------------------------------------------

TEST_F(Bridge, ClampBuckets) {
    EXPECT_EQ(tr_clamp_buckets(true, 5), 100);
    EXPECT_EQ(tr_clamp_buckets(false, 5), 10);
    EXPECT_EQ(tr_clamp_buckets(false, 50), 50);
    EXPECT_EQ(tr_clamp_buckets(false, 5000), 1000);
    EXPECT_EQ(tr_clamp_buckets(false, INT64_MIN), 10);
    EXPECT_EQ(tr_clamp_buckets(false, INT64_MAX), 1000);
}

TEST_F(Bridge, CreateErrorsHaveTheirKinds) {
    tr_error err;
    EXPECT_EQ(tr_trace_create(0, 10 * kSecond, 0, nullptr, &err), nullptr);
    expect_error(err, TR_INVALID_VALUE, "window needs at least one bucket");
    EXPECT_EQ(tr_trace_create(INT64_MIN, INT64_MAX, 10, nullptr, &err), nullptr);
    expect_error(err, TR_DATETIME_OVERFLOW, "job lifetime too long to trace");
    EXPECT_EQ(tr_trace_create(INT64_MIN, INT64_MIN, 10, nullptr, &err), nullptr);
    expect_error(err, TR_DATETIME_OVERFLOW, "timestamp out of range");
    // A later success clears the previous error.
    tr_trace* t = tr_trace_create(0, 10 * kSecond, 10, nullptr, &err);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(err.kind, TR_OK);
    EXPECT_STREQ(err.message, "");
    tr_trace_free(t);
    tr_trace_free(nullptr);  // harmless
}

TEST_F(Bridge, WholeTraceThroughTheCApi) {
    tr_trace* t = create(kLatest - 10 * kSecond, kLatest, 10);
    const int64_t done[] = {kLatest - 9 * kSecond, kLatest - 2 * kSecond, kLatest + kSecond};
    const bool failed[] = {false, true, false};
    tr_error err;
    ASSERT_TRUE(tr_trace_add_files(t, done, failed, 3, &err)) << err.message;
    const tr_progress_row rows[] = {
        progress("in1", "inference", kLatest - 8 * kSecond, 5, 1),
        progress("in1", "inference", kLatest - kSecond, 9, 1),
        progress(nullptr, "download", kLatest - 3 * kSecond, 2, 0),
        progress("", "download", kLatest - 3 * kSecond, 3, 0),
    };
    ASSERT_TRUE(tr_trace_add_progress(t, rows, 4, &err)) << err.message;
    EXPECT_EQ(tr_trace_points(t), 0);  // not finished yet
    ASSERT_TRUE(tr_trace_finish(t, &err)) << err.message;
    EXPECT_EQ(tr_trace_points(t), 10);

    tr_point p{};
    ASSERT_TRUE(tr_trace_point(t, 0, &p, &err));
    EXPECT_EQ(p.t_us, kLatest - 9 * kSecond);
    EXPECT_EQ(p.files_completed, 1);
    EXPECT_EQ(p.files_failed, 0);
    EXPECT_EQ(p.step, 1);
    ASSERT_TRUE(tr_trace_point(t, 9, &p, &err));
    EXPECT_EQ(p.t_us, kLatest);
    EXPECT_EQ(p.files_completed, 2);
    EXPECT_EQ(p.files_failed, 1);
    EXPECT_EQ(p.step, 3);

    EXPECT_EQ(items_of(t, 9, &err),
              "{\"download\":{\"success\":5,\"failed\":0},\"inference\":{\"success\":9,\"failed\":1}}")
        << err.message;
    EXPECT_EQ(items_of(t, 0, &err), "{}");

    const std::string json = json_by_parts(t, std::string_view("job_1\0x", 7), &err);
    EXPECT_EQ(err.kind, TR_OK) << err.message;
    EXPECT_EQ(json.rfind("{\"job_id\":\"job_1\\u0000x\",\"bucket_seconds\":1.0,"
                         "\"latest_event_at\":\"2026-04-14T10:15:01Z\",\"points\":[",
                         0),
              0u)
        << json;
    EXPECT_EQ(json.substr(json.size() - 2), "]}");

    // Parts of any ranges concatenate to the same document.
    size_t len = 0;
    std::string whole(json.size(), '\0');
    ASSERT_TRUE(tr_trace_json_part(t, "job_1\0x", 7, 0, 10, whole.data(), whole.size(), &len, &err));
    EXPECT_EQ(whole, json);
    // A buffer shorter than the part is a bug reported, never overrun.
    EXPECT_FALSE(tr_trace_json_part(t, "job_1\0x", 7, 0, 10, whole.data(), whole.size() - 1, &len, &err));
    expect_error(err, TR_INTERNAL, "rendered text longer than its measured size");
    for (auto [from, to] : {std::pair{-1, 1}, std::pair{3, 2}, std::pair{0, 11}}) {
        EXPECT_FALSE(tr_trace_json_part(t, "j", 1, from, to, nullptr, 0, &len, &err)) << from << " " << to;
        expect_error(err, TR_INTERNAL, "point range out of range");
    }
}

TEST_F(Bridge, TraceStateLivesInTheGivenMemoryAndAllOfItIsReleased) {
    CountedMemory m;
    const tr_memory memory{counted_alloc, counted_release, &m};
    tr_error err;
    tr_trace* t = tr_trace_create(0, 1000 * kSecond, 1000, &memory, &err);
    ASSERT_NE(t, nullptr) << err.message;
    std::vector<std::string> kinds;
    for (int i = 0; i < 50; ++i) kinds.push_back("kind_" + std::to_string(i));
    std::vector<tr_progress_row> rows;
    for (const std::string& k : kinds) rows.push_back(progress("in", k.c_str(), 500 * kSecond, 1, 0));
    ASSERT_TRUE(tr_trace_add_progress(t, rows.data(), rows.size(), &err)) << err.message;
    // 50 kinds x 1000 points x two 128-bit deltas, all in the given memory.
    EXPECT_GE(m.live, 50u * 1000 * 32);
    ASSERT_TRUE(tr_trace_finish(t, &err)) << err.message;
    // Finished: the deltas are gone, 16 bytes per kind and point remain.
    EXPECT_GE(m.live, 50u * 1000 * 16);
    EXPECT_LT(m.live, 50u * 1000 * 32);
    EXPECT_LT(m.peak, 50u * 1000 * 32 + 200000);  // never the deltas and the series together
    EXPECT_EQ(items_of(t, 999, &err).substr(0, 9), "{\"kind_0\"");
    tr_trace_free(t);
    EXPECT_EQ(m.live, 0u);
    EXPECT_TRUE(m.blocks.empty());
}

TEST_F(Bridge, MemoryRunningOutIsOutOfMemoryAtEveryStep) {
    // Whichever allocation fails first (the trace itself, a kind's state, the
    // finished series, the escaped keys), the answer is TR_OUT_OF_MEMORY and
    // nothing leaks.
    for (size_t limit = 0; limit < 60000; limit += 997) {
        CountedMemory m;
        m.limit = limit;
        const tr_memory memory{counted_alloc, counted_release, &m};
        tr_error err;
        tr_trace* t = tr_trace_create(0, 100 * kSecond, 100, &memory, &err);
        if (t) {
            const tr_progress_row rows[] = {progress("in", "a", kSecond, 1, 0), progress("in", "b", kSecond, 1, 0),
                                            progress(nullptr, "c", 50 * kSecond, 1, 0)};
            if (tr_trace_add_progress(t, rows, 3, &err) && tr_trace_finish(t, &err)) {
                EXPECT_EQ(items_of(t, 99, &err), "{\"a\":{\"success\":1,\"failed\":0},\"b\":{\"success\":1,"
                                                 "\"failed\":0},\"c\":{\"success\":1,\"failed\":0}}");
            } else {
                expect_error(err, TR_OUT_OF_MEMORY);
            }
            tr_trace_free(t);
        } else {
            expect_error(err, TR_OUT_OF_MEMORY);
        }
        EXPECT_EQ(m.live, 0u) << limit;
    }
}

TEST_F(Bridge, KindNamesPastTheAnswerBoundAreTooLargeWhileReading) {
    // Each kind shows at the last point at least: 512 bytes of name and 28
    // of JSON around it. 62,137 such kinds fit in 32 MiB, one more does not.
    tr_trace* t = create(0, 10 * kSecond, 10);
    tr_error err;
    std::vector<std::string> kinds;
    for (int i = 0; i <= 62137; ++i) {
        kinds.push_back(std::to_string(i));
        kinds.back().resize(512, 'x');
    }
    std::vector<tr_progress_row> rows;
    for (const std::string& k : kinds) rows.push_back(progress(nullptr, k.c_str(), kSecond, 1, 0));
    ASSERT_TRUE(tr_trace_add_progress(t, rows.data(), rows.size() - 1, &err)) << err.message;
    EXPECT_FALSE(tr_trace_add_progress(t, &rows.back(), 1, &err));
    expect_error(err, TR_TOO_LARGE, "answer too large: the names of 62138 kinds pass 33554432 bytes of JSON");
}

TEST_F(Bridge, KindsTimesPointsPastTheBoundIsTooLarge) {
    tr_trace* t = create(0, 1000 * kSecond, 1000);
    tr_error err;
    std::vector<std::string> kinds;
    for (int i = 0; i <= 1048576 / 1000; ++i) kinds.push_back("k" + std::to_string(i));
    std::vector<tr_progress_row> rows;
    for (const std::string& k : kinds) rows.push_back(progress(nullptr, k.c_str(), kSecond, 1, 0));
    ASSERT_TRUE(tr_trace_add_progress(t, rows.data(), rows.size() - 1, &err)) << err.message;  // 1048 kinds
    EXPECT_FALSE(tr_trace_add_progress(t, &rows.back(), 1, &err));
    expect_error(err, TR_TOO_LARGE,
                 "trace too large: more than 1048 kinds at 1000 points (at most 1048576 kind-points); "
                 "ask for fewer buckets");
}

TEST_F(Bridge, PointBounds) {
    tr_trace* t = create(0, 10 * kSecond, 10);
    tr_error err;
    tr_point p{};
    EXPECT_FALSE(tr_trace_point(t, 0, &p, &err));  // before finish
    expect_error(err, TR_INTERNAL);
    size_t len = 0;
    EXPECT_FALSE(tr_trace_point_items(t, 0, nullptr, 0, &len, &err));
    expect_error(err, TR_INTERNAL);
    EXPECT_FALSE(tr_trace_json_part(t, "j", 1, 0, 1, nullptr, 0, &len, &err));
    expect_error(err, TR_INTERNAL);

    ASSERT_TRUE(tr_trace_finish(t, &err));
    for (int32_t k : {-1, 10, 11, INT32_MIN, INT32_MAX}) {
        EXPECT_FALSE(tr_trace_point(t, k, &p, &err)) << k;
        expect_error(err, TR_INTERNAL);
        EXPECT_FALSE(tr_trace_point_items(t, k, nullptr, 0, &len, &err)) << k;
        expect_error(err, TR_INTERNAL);
    }
    EXPECT_TRUE(tr_trace_point(t, 9, &p, &err));
    EXPECT_EQ(err.kind, TR_OK);
}

TEST_F(Bridge, ProgressErrors) {
    tr_trace* t = create(0, 10 * kSecond, 10);
    tr_error err;
    tr_progress_row bad = progress("in", "k", 0, -1, 0);
    EXPECT_FALSE(tr_trace_add_progress(t, &bad, 1, &err));
    expect_error(err, TR_INVALID_VALUE, "progress counts must be non-negative");

    tr_trace* big = create(0, 10 * kSecond, 10);
    const tr_progress_row rows[] = {progress("a", "k", 0, INT64_MAX, 0), progress("b", "k", 0, 1, 0)};
    ASSERT_TRUE(tr_trace_add_progress(big, rows, 2, &err));
    EXPECT_FALSE(tr_trace_finish(big, &err));
    expect_error(err, TR_NUMERIC_OVERFLOW, "item total out of range for a 64-bit integer");
    // A failed finish leaves nothing to finish again or to read.
    EXPECT_FALSE(tr_trace_finish(big, &err));
    expect_error(err, TR_INTERNAL);
    EXPECT_EQ(tr_trace_points(big), 0);
}

TEST_F(Bridge, UseAfterFinishIsAnInternalError) {
    // The builder is consumed by finishing (TraceBuilder::finish() &&); the
    // bridge refuses to add to or finish a finished trace, as a bug in the glue.
    tr_trace* t = create(0, 10 * kSecond, 10);
    tr_error err;
    ASSERT_TRUE(tr_trace_finish(t, &err));
    const int64_t at = kSecond;
    const bool failed = false;
    EXPECT_FALSE(tr_trace_add_files(t, &at, &failed, 1, &err));
    expect_error(err, TR_INTERNAL, "trace used after tr_trace_finish");
    const tr_progress_row row = progress("in", "k", 0, 1, 0);
    EXPECT_FALSE(tr_trace_add_progress(t, &row, 1, &err));
    expect_error(err, TR_INTERNAL, "trace used after tr_trace_finish");
    EXPECT_FALSE(tr_trace_finish(t, &err));
    expect_error(err, TR_INTERNAL, "trace used after tr_trace_finish");
    // The finished trace is untouched.
    tr_point p{};
    ASSERT_TRUE(tr_trace_point(t, 9, &p, &err));
    EXPECT_EQ(p.step, 0);
}

TEST_F(Bridge, RenderOutsideRfc3339YearsIsADatetimeOverflow) {
    tr_trace* t = create(traces::kRfc3339MaxUs, traces::kRfc3339MaxUs + 10 * kSecond, 10);
    tr_error err;
    ASSERT_TRUE(tr_trace_finish(t, &err));
    size_t len = 0;
    EXPECT_FALSE(tr_trace_json_part(t, "j", 1, 0, 1, nullptr, 0, &len, &err));
    expect_error(err, TR_DATETIME_OVERFLOW, "timestamp outside the years RFC 3339 can represent");
}

TEST_F(Bridge, AllocatorReturningNullIsOutOfMemory) {
    tr_error err;
    EXPECT_EQ(tr_response_headers(nullptr, 0, true, kLatest, failing_alloc, &err), nullptr);
    expect_error(err, TR_OUT_OF_MEMORY);
}

TEST_F(Bridge, ParseCount) {
    int64_t v = -1;
    const char* problem = "unset";
    EXPECT_TRUE(tr_parse_count("1.2e1", 5, &v, &problem));
    EXPECT_EQ(v, 12);
    EXPECT_EQ(problem, nullptr);
    EXPECT_FALSE(tr_parse_count("-1", 2, &v, &problem));
    EXPECT_STREQ(problem, "is negative");
    EXPECT_FALSE(tr_parse_count("12", 1 + 1 + 1, &v, &problem));  // length counts the NUL
    EXPECT_STREQ(problem, "is not a number");
    EXPECT_FALSE(tr_parse_count(nullptr, 0, &v, &problem));
    EXPECT_STREQ(problem, "is not a number");
}

TEST_F(Bridge, RequestIsNotModified) {
    auto check = [](const std::string& headers, bool has_latest, int64_t latest) {
        return tr_request_is_not_modified(headers.data(), headers.size(), has_latest, latest);
    };
    EXPECT_TRUE(check(R"({"if-none-match":"W/\"2026-04-14T10:15:00Z\""})", true, kLatest));
    EXPECT_TRUE(check(R"({"if-none-match":"2026-04-14T10:15:00Z"})", true, kLatest));
    EXPECT_FALSE(check(R"({"if-none-match":"2026-04-14T10:15:00Z"})", true, kLatest + 1));
    EXPECT_FALSE(check(R"({"if-none-match":"2026-04-14T10:15:00Z"})", false, kLatest));
    EXPECT_TRUE(check(R"({"if-none-match":"*"})", false, 0));
    EXPECT_FALSE(check(R"({"accept":"*/*"})", true, kLatest));
    EXPECT_FALSE(check("{not json", true, kLatest));
    EXPECT_FALSE(check("", true, kLatest));
    EXPECT_FALSE(check(R"({"if-none-match":7})", true, kLatest));
}

TEST_F(Bridge, ResponseHeaders) {
    tr_error err;
    char* h = tr_response_headers(nullptr, 0, true, kLatest, test_alloc, &err);
    ASSERT_NE(h, nullptr) << err.message;
    EXPECT_STREQ(h, "[{\"ETag\":\"W/\\\"2026-04-14T10:15:00Z\\\"\"},{\"Cache-Control\":\"private, no-cache\"},"
                    "{\"Vary\":\"Authorization\"}]");
    const std::string existing = "[{\"X-A\":\"1\"}]";
    h = tr_response_headers(existing.data(), existing.size(), false, 0, test_alloc, &err);
    ASSERT_NE(h, nullptr) << err.message;
    EXPECT_STREQ(h, "[{\"X-A\":\"1\"},{\"Cache-Control\":\"private, no-cache\"},{\"Vary\":\"Authorization\"}]");
    EXPECT_EQ(tr_response_headers(nullptr, 0, true, INT64_MAX, test_alloc, &err), nullptr);
    expect_error(err, TR_DATETIME_OVERFLOW);
}

TEST_F(Bridge, ErrorMessageIsTerminatedAndNullErrorAllowed) {
    // The error buffer is fixed: whatever it held before, the message ends in it.
    tr_error err;
    std::memset(&err, 'x', sizeof err);
    EXPECT_EQ(tr_trace_create(0, 1, -1, nullptr, &err), nullptr);
    EXPECT_EQ(err.kind, TR_INVALID_VALUE);
    EXPECT_LT(std::strlen(err.message), sizeof err.message);
    // A null error pointer is allowed.
    EXPECT_EQ(tr_trace_create(0, 1, -1, nullptr, nullptr), nullptr);
}

// The timeline's form of the trace (tr_timeline_*): the values each point
// shows, for the same job as WholeTraceThroughTheCApi's rows, give the same
// document; the probe times say where each point reads.
TEST_F(Bridge, TimelineValuesGiveTheRowsDocument) {
    tr_error err;
    const tr_zoom none{};
    tr_trace* t = tr_timeline_create_zoomed(0, 10 * kSecond, 10, &none, nullptr, &err);
    ASSERT_NE(t, nullptr) << err.message;
    ASSERT_EQ(tr_timeline_points(t), 10);
    int64_t at = 0;
    bool every_row = true;
    ASSERT_TRUE(tr_timeline_probe_time(t, 0, &at, &every_row, &err));
    EXPECT_EQ(at, kSecond);
    EXPECT_FALSE(every_row);
    ASSERT_TRUE(tr_timeline_probe_time(t, 9, &at, &every_row, &err));
    EXPECT_TRUE(every_row);  // events after the end count at the last point
    EXPECT_FALSE(tr_timeline_probe_time(t, 10, &at, &every_row, &err));
    EXPECT_EQ(err.kind, TR_INTERNAL);

    // Rows: a file at 3 s, reports of "b" at 2 s and 5 s (one stream), of "a" after the end.
    tr_trace* rows = create(0, 10 * kSecond, 10);
    const int64_t done[] = {3 * kSecond};
    const bool failed[] = {true};
    ASSERT_TRUE(tr_trace_add_files(rows, done, failed, 1, &err));
    const tr_progress_row progress_rows[] = {progress("x", "b", 2 * kSecond, 1, 0), progress("x", "b", 5 * kSecond, 4, 1),
                                             progress(nullptr, "a", 12 * kSecond, 7, 0)};
    ASSERT_TRUE(tr_trace_add_progress(rows, progress_rows, 3, &err));
    ASSERT_TRUE(tr_trace_finish(rows, &err));

    std::vector<tr_timeline_value> values;
    for (int32_t k = 0; k < 10; ++k) {
        if (k >= 2) values.push_back({nullptr, 0, k, true, true, 0, 1});
        values.push_back({"a", 1, k, k == 9, true, 7, 0});
        values.push_back({"b", 1, k, k >= 1, true, k >= 4 ? 4 : 1, k >= 4 ? 1 : 0});
    }
    ASSERT_TRUE(tr_timeline_set_latest(t, true, 12 * kSecond, &err));
    ASSERT_TRUE(tr_timeline_add(t, values.data(), values.size(), &err)) << err.message;
    EXPECT_FALSE(tr_trace_add_progress(t, progress_rows, 1, &err));  // not a trace from rows
    EXPECT_EQ(err.kind, TR_INTERNAL);
    ASSERT_TRUE(tr_trace_finish(t, &err)) << err.message;
    EXPECT_EQ(json_by_parts(t, "j", &err), json_by_parts(rows, "j", &err));
    tr_trace_free(t);
}

TEST_F(Bridge, TimelineTotalsPast64BitsAreTheScansOverflow) {
    tr_error err;
    const tr_zoom to{false, 0, true, 5 * kSecond};
    tr_trace* t = tr_timeline_create_zoomed(0, 10 * kSecond, 10, &to, nullptr, &err);
    ASSERT_NE(t, nullptr);
    int64_t at = 0;
    bool every_row = true;
    ASSERT_TRUE(tr_timeline_probe_time(t, 9, &at, &every_row, &err));
    EXPECT_EQ(at, 5 * kSecond);
    EXPECT_FALSE(every_row);  // a zoom ending before the job: the end bounds the last point too
    const tr_timeline_value v{"k", 1, 3, true, false, 0, 0};
    ASSERT_TRUE(tr_timeline_add(t, &v, 1, &err));
    EXPECT_FALSE(tr_trace_finish(t, &err));
    expect_error(err, TR_NUMERIC_OVERFLOW, "item total out of range for a 64-bit integer");
    tr_trace_free(t);
}

}  // namespace
