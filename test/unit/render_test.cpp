// The JSON text of a trace, compared byte for byte with hand-written answers.
#include "core/render.h"

#include "core/rfc3339.h"
#include "core/trace.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace traces {
namespace {

constexpr int64_t k10h00 = 1776160800LL * kSecond;  // 2026-04-14T10:00:00Z

std::string point(const char* t, int step, int completed, int failed, const std::string& items) {
    return std::string("{\"t\":\"") + t + "\",\"step\":" + std::to_string(step) + ",\"files\":{\"completed\":" +
           std::to_string(completed) + ",\"failed\":" + std::to_string(failed) + "},\"items\":" + items + "}";
}

TEST(Render, SmallTraceExactText) {
    // Ten buckets of 30 s from 10:00:00 to 10:05:00.
    TraceBuilder b(make_window(k10h00, k10h00 + 300 * kSecond, 10));
    b.add_file(k10h00 + 45 * kSecond, false);   // point 1
    b.add_file(k10h00 + 120 * kSecond, true);   // 10:02:00 exactly: point 3
    b.add_progress(progress_row("in1", "inference", k10h00 + 20 * kSecond, 1, 0));             // point 0
    b.add_progress(progress_row("in1", "inference", k10h00 + 190 * kSecond + 250000, 478, 12));  // point 6
    b.add_progress(progress_row(std::nullopt, "download", k10h00 + 299 * kSecond + 500000, 3, 0));  // point 9
    const std::string early = "{\"inference\":{\"success\":1,\"failed\":0}}";
    const std::string later = "{\"inference\":{\"success\":478,\"failed\":12}}";
    const std::string last =
        "{\"download\":{\"success\":3,\"failed\":0},\"inference\":{\"success\":478,\"failed\":12}}";
    const std::string want = "{\"job_id\":\"job_2abc\",\"bucket_seconds\":30.0,"
                             "\"latest_event_at\":\"2026-04-14T10:04:59.5Z\",\"points\":[" +
                             point("2026-04-14T10:00:30Z", 0, 0, 0, early) + "," +
                             point("2026-04-14T10:01:00Z", 1, 1, 0, early) + "," +
                             point("2026-04-14T10:01:30Z", 1, 1, 0, early) + "," +
                             point("2026-04-14T10:02:00Z", 2, 1, 1, early) + "," +
                             point("2026-04-14T10:02:30Z", 2, 1, 1, early) + "," +
                             point("2026-04-14T10:03:00Z", 2, 1, 1, early) + "," +
                             point("2026-04-14T10:03:30Z", 2, 1, 1, later) + "," +
                             point("2026-04-14T10:04:00Z", 2, 1, 1, later) + "," +
                             point("2026-04-14T10:04:30Z", 2, 1, 1, later) + "," +
                             point("2026-04-14T10:05:00Z", 2, 1, 1, last) + "]}";
    const Trace t = std::move(b).finish();
    EXPECT_EQ(render_trace_json("job_2abc", t), want);
    EXPECT_EQ(render_items_json(t, 0), early);
    EXPECT_EQ(render_items_json(t, 9), last);
}

TEST(Render, NoEventsGivesNullLatestAndEmptyItems) {
    // Widened to one second: ten points 0.1 s apart, with trimmed fractions.
    const Trace t = TraceBuilder(make_window(0, 0, 10)).finish();
    std::string want = "{\"job_id\":\"j\",\"bucket_seconds\":0.1,\"latest_event_at\":null,\"points\":[";
    const char* times[] = {"1969-12-31T23:59:59.1Z", "1969-12-31T23:59:59.2Z", "1969-12-31T23:59:59.3Z",
                           "1969-12-31T23:59:59.4Z", "1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.6Z",
                           "1969-12-31T23:59:59.7Z", "1969-12-31T23:59:59.8Z", "1969-12-31T23:59:59.9Z",
                           "1970-01-01T00:00:00Z"};
    for (int k = 0; k < 10; ++k) want += (k ? "," : "") + point(times[k], 0, 0, 0, "{}");
    want += "]}";
    EXPECT_EQ(render_trace_json("j", t), want);
    EXPECT_EQ(render_items_json(t, 3), "{}");
}

TEST(Render, KindAbsentBeforeItsFirstPointEvenWithZeroCounts) {
    TraceBuilder b(make_window(0, 10 * kSecond, 10));
    b.add_progress(progress_row("in", "k", 5 * kSecond, 0, 0));
    const Trace t = std::move(b).finish();
    EXPECT_EQ(render_items_json(t, 3), "{}");
    EXPECT_EQ(render_items_json(t, 4), "{\"k\":{\"success\":0,\"failed\":0}}");
    EXPECT_EQ(render_items_json(t, 9), "{\"k\":{\"success\":0,\"failed\":0}}");
}

TEST(Render, BucketSecondsIsAJsonNumber) {
    auto bucket_text = [](int64_t span, int32_t n) {
        const std::string s = render_trace_json("j", TraceBuilder(make_window(0, span, n)).finish());
        const size_t from = s.find("\"bucket_seconds\":") + 17;
        return s.substr(from, s.find(',', from) - from);
    };
    EXPECT_EQ(bucket_text(300 * kSecond, 10), "30.0");
    EXPECT_EQ(bucket_text(1000 * kSecond, 1000), "1.0");
    EXPECT_EQ(bucket_text(kSecond + 5, 10), "0.1000005");
    EXPECT_EQ(bucket_text(3 * kSecond, 1000), "0.003");
    EXPECT_EQ(bucket_text(kSecond, 70), "0.014285714285714287");  // shortest text that reads back
}

TEST(Render, LargeCountsAreExactIntegers) {
    TraceBuilder b(make_window(0, 10 * kSecond, 10));
    b.add_progress(progress_row("in", "k", 0, INT64_MAX, INT64_MAX - 1));
    EXPECT_EQ(render_items_json(std::move(b).finish(), 0),
              "{\"k\":{\"success\":9223372036854775807,\"failed\":9223372036854775806}}");
}

TEST(Render, StringsAreEscapedAndBadUtf8Replaced) {
    TraceBuilder b(make_window(0, 10 * kSecond, 10));
    b.add_progress(progress_row("in", "\xc3\xa9\"\\\n", 0, 1, 0));
    b.add_progress(progress_row("in", "bad\xff", 0, 2, 0));
    const Trace t = std::move(b).finish();
    EXPECT_EQ(render_items_json(t, 0),
              "{\"bad\xef\xbf\xbd\":{\"success\":2,\"failed\":0},\"\xc3\xa9\\\"\\\\\\n\":{\"success\":1,\"failed\":0}}");
    const std::string json = render_trace_json(std::string_view("a\"b\x01\xc3", 5), t);
    const std::string prefix = "{\"job_id\":\"a\\\"b\\u0001\xef\xbf\xbd\",\"bucket_seconds\":";
    EXPECT_EQ(json.compare(0, prefix.size(), prefix), 0) << json.substr(0, 40);
}

TEST(Render, TimesOutsideRfc3339YearsThrow) {
    // A window ending after 9999-12-31 cannot be written.
    const Trace late = TraceBuilder(make_window(kRfc3339MaxUs, kRfc3339MaxUs + 10 * kSecond, 10)).finish();
    EXPECT_EQ(error_kind_of([&] { render_trace_json("j", late); }), ErrorKind::DatetimeOutOfRange);
    TraceBuilder b(make_window(0, 10 * kSecond, 10));
    b.note_event(kRfc3339MinUs - 1);
    const Trace early = std::move(b).finish();
    EXPECT_EQ(error_kind_of([&] { render_trace_json("j", early); }), ErrorKind::DatetimeOutOfRange);
}

}  // namespace
}  // namespace traces
