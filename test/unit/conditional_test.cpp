// If-None-Match handling (docs/contract.md §4.3-§4.4, RFC 9110 §13.1.2 weak comparison) and the
// response.headers array handed back to PostgREST.
#include "core/conditional.h"

#include "core/rfc3339.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <string>

namespace traces {
namespace {

constexpr const char* kTail = "{\"Cache-Control\":\"private, no-cache\"},{\"Vary\":\"Authorization\"}]";

bool matches(std::string_view header, std::optional<int64_t> latest = kLatest) {
    return if_none_match_matches(header, latest);
}

TEST(IfNoneMatchFromHeaders, ReadsTheLowerCaseHeader) {
    EXPECT_EQ(if_none_match_from_headers(R"({"if-none-match":"W/\"2026-04-14T10:15:00Z\""})"),
              "W/\"2026-04-14T10:15:00Z\"");
    EXPECT_EQ(if_none_match_from_headers(R"({"accept":"*/*","if-none-match":"*","user-agent":"x"})"), "*");
    EXPECT_EQ(if_none_match_from_headers(R"({"if-none-match":""})"), "");
    EXPECT_EQ(if_none_match_from_headers(R"({"if-none-match":"\u0041\u00e9"})"), "A\xc3\xa9");
    EXPECT_EQ(if_none_match_from_headers(" \n{ \"if-none-match\" : \"x\" }\n"), "x");
}

TEST(IfNoneMatchFromHeaders, AbsentNonStringOrMalformedIsNone) {
    for (const char* json : {
             R"({})", R"({"accept":"*/*"})", R"({"If-None-Match":"*"})",  // PostgREST lower-cases names
             R"({"if-none-match":null})", R"({"if-none-match":5})", R"({"if-none-match":["*"]})",
             R"({"if-none-match":{"a":"*"}})", R"({"if-none-match":true})",
             "", " ", "null", "[]", R"(["if-none-match","*"])", R"("if-none-match")", "{", R"({"if-none-match":"*")",
             R"({"if-none-match":"*"}})", R"({"if-none-match":"*"} x)", R"({'if-none-match':'*'})", "not json",
             "{\"if-none-match\":\"\xff\"}",  // not UTF-8
         })
        EXPECT_EQ(if_none_match_from_headers(json), std::nullopt) << json;
}

TEST(IfNoneMatchFromHeaders, DeeplyNestedOtherHeaderDoesNotCrash) {
    const size_t depth = 200000;
    const std::string json =
        "{\"x-deep\":" + std::string(depth, '[') + std::string(depth, ']') + ",\"if-none-match\":\"*\"}";
    EXPECT_EQ(if_none_match_from_headers(json), "*");
    EXPECT_EQ(if_none_match_from_headers(std::string(depth, '[')), std::nullopt);
}

TEST(IfNoneMatchMatches, BareQuotedAndWeakTags) {
    EXPECT_TRUE(matches("2026-04-14T10:15:00Z"));
    EXPECT_TRUE(matches("\"2026-04-14T10:15:00Z\""));
    EXPECT_TRUE(matches("W/\"2026-04-14T10:15:00Z\""));
    EXPECT_TRUE(matches("W/2026-04-14T10:15:00Z"));  // W/ then a bare value
    EXPECT_TRUE(matches("  W/\"2026-04-14T10:15:00Z\"\t"));
    EXPECT_TRUE(matches(etag_for(kLatest)));
}

TEST(IfNoneMatchMatches, TheSameInstantSpelledDifferently) {
    EXPECT_TRUE(matches("W/\"2026-04-14T12:15:00+02:00\""));
    EXPECT_TRUE(matches("2026-04-14T05:15:00-05:00"));
    EXPECT_TRUE(matches("\"2026-04-14T10:15:00.000Z\""));
    EXPECT_TRUE(matches("2026-04-14T10:15:00.000000000Z"));
    EXPECT_TRUE(matches("2026-04-14t10:15:00z"));
    const int64_t frac = kLatest + 250000;
    EXPECT_TRUE(matches("W/\"2026-04-14T10:15:00.25Z\"", frac));
    EXPECT_TRUE(matches("2026-04-14T10:15:00.250Z", frac));
    EXPECT_TRUE(matches("2026-04-14T11:15:00.25+01:00", frac));
    EXPECT_FALSE(matches("2026-04-14T10:15:00Z", frac));
}

TEST(IfNoneMatchMatches, Lists) {
    EXPECT_TRUE(matches("\"a\", W/\"2026-04-14T10:15:00Z\""));
    EXPECT_TRUE(matches("W/\"2026-04-14T10:15:00Z\", \"a\""));
    EXPECT_TRUE(matches(" , ,W/\"x\",,   2026-04-14T10:15:00Z ,"));
    EXPECT_TRUE(matches("\"a,b\", \"2026-04-14T10:15:00Z\""));  // comma inside quotes
    EXPECT_TRUE(matches("\"2026-04-14T09:00:00Z\",\t\"2026-04-14T10:15:00Z\""));
    EXPECT_FALSE(matches("\"2026-04-14T10:15:00Z,x\""));        // one tag, not a time
    EXPECT_FALSE(matches(",,, ,"));
    EXPECT_FALSE(matches("\"a\", \"b\""));
}

TEST(IfNoneMatchMatches, Star) {
    EXPECT_TRUE(matches("*"));
    EXPECT_TRUE(matches(" * "));
    EXPECT_TRUE(matches("\"a\", *"));
    EXPECT_TRUE(matches("*", std::nullopt));  // the trace exists even with no events
    EXPECT_FALSE(matches("\"*\"", std::nullopt));
    EXPECT_FALSE(matches("**"));
    EXPECT_FALSE(matches("W/*"));
}

TEST(IfNoneMatchMatches, StaleTagsDoNotMatch) {
    EXPECT_FALSE(matches("W/\"2026-04-14T10:14:59Z\""));
    EXPECT_FALSE(matches("2026-04-14T10:15:00.000001Z"));
    EXPECT_FALSE(matches("2026-04-14T10:15:00+01:00"));
    EXPECT_FALSE(matches("\"2026-04-14T10:14:59.999999Z\""));
}

TEST(IfNoneMatchMatches, NullLatestMatchesNoTag) {
    EXPECT_FALSE(matches("W/\"2026-04-14T10:15:00Z\"", std::nullopt));
    EXPECT_FALSE(matches("2026-04-14T10:15:00Z", std::nullopt));
    EXPECT_FALSE(matches("null", std::nullopt));
    EXPECT_FALSE(matches("\"\"", std::nullopt));
    EXPECT_FALSE(matches("", std::nullopt));
}

TEST(IfNoneMatchMatches, GarbageNeverMatchesNorThrows) {
    for (const char* bad : {
             "", " ", "garbage", "\"", "\"\"", "W/", "W/\"\"", "w/\"2026-04-14T10:15:00Z\"",
             "W/\"2026-04-14T10:15:00Z", "2026-04-14T10:15:00Z\"", "\"2026-04-14T10:15:00Z\"x",
             "W/\"2026-04-14T10:15:00Z\"\"", "2026-04-14T10:15:00Z x", "\"2026-04-14T10:15:00Z \"",
             "2026-04-14T10:15:60Z", "2026-04-14T10:15:00.0000001Z", "1776161700", "W/W/\"2026-04-14T10:15:00Z\"",
             "\"2026-04-14T10:15:00Z", "\xff\xfe", "2026-04-14T10:15:00Z\r\n",
         }) {
        EXPECT_FALSE(matches(bad)) << bad;
        EXPECT_FALSE(matches(bad, std::nullopt)) << bad;
    }
    EXPECT_FALSE(matches(std::string_view("2026-04-14T10:15:00Z\0", 21)));
    // Latest outside what RFC 3339 can write: compared, never formatted.
    EXPECT_FALSE(matches("2026-04-14T10:15:00Z", INT64_MAX));
    EXPECT_TRUE(matches("*", INT64_MIN));
}

TEST(EtagFor, WeakQuotedRfc3339) {
    EXPECT_EQ(etag_for(kLatest), "W/\"2026-04-14T10:15:00Z\"");
    EXPECT_EQ(etag_for(kLatest + 250000), "W/\"2026-04-14T10:15:00.25Z\"");
    EXPECT_EQ(error_kind_of([] { etag_for(kRfc3339MaxUs + 1); }), ErrorKind::DatetimeOutOfRange);
}

TEST(ResponseHeaders, EtagCacheControlVary) {
    EXPECT_EQ(response_headers_json("", kLatest), "[{\"ETag\":\"W/\\\"2026-04-14T10:15:00Z\\\"\"}," + std::string(kTail));
    EXPECT_EQ(response_headers_json("[]", kLatest + 250000),
              "[{\"ETag\":\"W/\\\"2026-04-14T10:15:00.25Z\\\"\"}," + std::string(kTail));
}

TEST(ResponseHeaders, NoEtagWhenLatestIsNull) {
    EXPECT_EQ(response_headers_json("", std::nullopt), "[" + std::string(kTail));
    EXPECT_EQ(response_headers_json("[{\"X-A\":\"1\"}]", std::nullopt), "[{\"X-A\":\"1\"}," + std::string(kTail));
}

TEST(ResponseHeaders, AppendedToAnExistingArray) {
    EXPECT_EQ(response_headers_json("[{\"X-Total\":\"5\"}, {\"b\":\"2\",\"a\":\"1\"}]", kLatest),
              "[{\"X-Total\":\"5\"},{\"b\":\"2\",\"a\":\"1\"},{\"ETag\":\"W/\\\"2026-04-14T10:15:00Z\\\"\"}," +
                  std::string(kTail));
    // Whatever the array holds is kept as it is: PostgREST judges it.
    EXPECT_EQ(response_headers_json(" [1, \"x\", null, [ ]] ", std::nullopt), "[1,\"x\",null,[]," + std::string(kTail));
}

TEST(ResponseHeaders, EarlierEtagAndCacheControlAreReplaced) {
    // Names compare case-insensitively; Vary and other headers stay, and so
    // does anything that is not a one-key object.
    EXPECT_EQ(response_headers_json("[{\"etag\":\"old\"},{\"X-A\":\"1\"},{\"CACHE-control\":\"max-age=60\"},"
                                    "{\"Vary\":\"Accept\"},{\"ETag\":\"a\",\"X-B\":\"2\"},[{\"ETag\":\"b\"}]]",
                                    kLatest),
              "[{\"X-A\":\"1\"},{\"Vary\":\"Accept\"},{\"ETag\":\"a\",\"X-B\":\"2\"},[{\"ETag\":\"b\"}],"
              "{\"ETag\":\"W/\\\"2026-04-14T10:15:00Z\\\"\"}," +
                  std::string(kTail));
    // With no ETag of ours to send, an earlier one is still dropped.
    EXPECT_EQ(response_headers_json("[{\"ETag\":\"W/\\\"x\\\"\"}]", std::nullopt), "[" + std::string(kTail));
}

TEST(ResponseHeaders, IgnoredWhenExistingIsNotAnArray) {
    const std::string fresh = "[{\"ETag\":\"W/\\\"2026-04-14T10:15:00Z\\\"\"}," + std::string(kTail);
    for (const char* existing : {"{\"X-A\":\"1\"}", "\"[]\"", "null", "5", "[", "[1,]", "garbage", "[] []",
                                 "[\"\xff\"]", "{}"})
        EXPECT_EQ(response_headers_json(existing, kLatest), fresh) << existing;
}

TEST(ResponseHeaders, DeeplyNestedExistingDoesNotCrash) {
    // response.headers is settable by any SQL caller; its nesting must not
    // decide how deep the serializer recurses.
    for (size_t depth : {size_t{100}, size_t{1000}, size_t{300000}}) {
        const std::string existing = "[" + std::string(depth, '[') + std::string(depth, ']') + "]";
        const std::string out = response_headers_json(existing, std::nullopt);
        EXPECT_EQ(out.substr(out.size() - std::string(kTail).size()), kTail) << depth;
        EXPECT_EQ(out.front(), '[');
    }
}

TEST(ResponseHeaders, NestingLimitIsSixtyFourLevels) {
    const std::string fresh = "[" + std::string(kTail);
    const std::string at_limit = "[" + std::string(63, '[') + std::string(63, ']') + "]";
    EXPECT_EQ(response_headers_json(at_limit, std::nullopt), at_limit.substr(0, at_limit.size() - 1) + "," + kTail);
    const std::string over = "[" + std::string(64, '{') + "]";  // malformed anyway, but too deep first
    EXPECT_EQ(response_headers_json(over, std::nullopt), fresh);
    const std::string deep = "[" + std::string(64, '[') + std::string(64, ']') + "]";
    EXPECT_EQ(response_headers_json(deep, std::nullopt), fresh);
    // Brackets inside strings, escaped quotes included, are not nesting.
    const std::string strings = "[{\"X-A\":\"" + std::string(100, '[') + "\\\"" + std::string(100, '{') + "\"}]";
    EXPECT_EQ(response_headers_json(strings, std::nullopt), strings.substr(0, strings.size() - 1) + "," + kTail);
}

TEST(ResponseHeaders, OutOfRangeLatestThrows) {
    EXPECT_EQ(error_kind_of([] { response_headers_json("", kRfc3339MinUs - 1); }), ErrorKind::DatetimeOutOfRange);
}

TEST(Conditional, TheEtagSentMatchesWhenSentBack) {
    for (int64_t latest : {kLatest, kLatest + 1, kLatest + 250000, kRfc3339MinUs, kRfc3339MaxUs, int64_t{-1}}) {
        const std::string etag = etag_for(latest);
        EXPECT_TRUE(matches(etag, latest)) << etag;
        EXPECT_TRUE(matches(format_rfc3339(latest), latest)) << etag;   // the bare latest_event_at
        EXPECT_FALSE(matches(etag, latest + 1)) << etag;
        EXPECT_TRUE(if_none_match_matches(*if_none_match_from_headers("{\"if-none-match\":\"W/\\\"" +
                                                                     format_rfc3339(latest) + "\\\"\"}"),
                                          latest));
    }
}

}  // namespace
}  // namespace traces
