// RFC 3339 formatting and parsing, checked against the C library's own UTC
// calendar (gmtime_r / timegm, proleptic Gregorian in glibc) as the oracle.
#include "core/rfc3339.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>

namespace traces {
namespace {

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The expected text, built from gmtime_r plus our own fraction rule.
std::string oracle_format(int64_t us) {
    const int64_t secs = floor_div(us, kSecond);
    const int64_t micros = us - secs * kSecond;
    const time_t t = static_cast<time_t>(secs);
    struct tm tm {};
    if (!gmtime_r(&t, &tm)) return "gmtime failed";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    std::string s = buf;
    if (micros) {
        std::snprintf(buf, sizeof buf, ".%06d", static_cast<int>(micros));
        std::string frac = buf;
        while (frac.back() == '0') frac.pop_back();
        s += frac;
    }
    return s + "Z";
}

// Unix seconds of a UTC civil time, from timegm.
int64_t oracle_seconds(int y, int mo, int d, int h, int mi, int s) {
    struct tm tm {};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return static_cast<int64_t>(timegm(&tm));
}

TEST(FormatRfc3339, KnownValues) {
    EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_rfc3339(1776161700LL * kSecond), "2026-04-14T10:15:00Z");
    EXPECT_EQ(format_rfc3339(1776161700LL * kSecond + 250000), "2026-04-14T10:15:00.25Z");
    EXPECT_EQ(format_rfc3339(1776161700LL * kSecond + 1), "2026-04-14T10:15:00.000001Z");
    EXPECT_EQ(format_rfc3339(1776161700LL * kSecond + 100000), "2026-04-14T10:15:00.1Z");
    EXPECT_EQ(format_rfc3339(1776161700LL * kSecond + 123456), "2026-04-14T10:15:00.123456Z");
    EXPECT_EQ(format_rfc3339(1776161700LL * kSecond + 120000), "2026-04-14T10:15:00.12Z");
    EXPECT_EQ(format_rfc3339(951782400LL * kSecond), "2000-02-29T00:00:00Z");  // leap day
}

TEST(FormatRfc3339, BeforeNineteenSeventy) {
    EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999999Z");
    EXPECT_EQ(format_rfc3339(-kSecond), "1969-12-31T23:59:59Z");
    EXPECT_EQ(format_rfc3339(-kSecond + 500000), "1969-12-31T23:59:59.5Z");
    EXPECT_EQ(format_rfc3339(-86400 * kSecond), "1969-12-31T00:00:00Z");
    EXPECT_EQ(format_rfc3339(-2208988800LL * kSecond), "1900-01-01T00:00:00Z");
}

TEST(FormatRfc3339, YearsZeroAndNineThousandNineHundredNinetyNine) {
    EXPECT_EQ(format_rfc3339(kRfc3339MinUs), "0000-01-01T00:00:00Z");
    EXPECT_EQ(format_rfc3339(kRfc3339MinUs + 1), "0000-01-01T00:00:00.000001Z");
    EXPECT_EQ(format_rfc3339(kRfc3339MaxUs), "9999-12-31T23:59:59.999999Z");
    EXPECT_EQ(format_rfc3339(kRfc3339MaxUs - 999999), "9999-12-31T23:59:59Z");
    // Year 0 is a leap year in the proleptic Gregorian calendar.
    EXPECT_EQ(format_rfc3339(kRfc3339MinUs + 59 * 86400 * kSecond), "0000-02-29T00:00:00Z");
    EXPECT_EQ(oracle_seconds(0, 1, 1, 0, 0, 0) * kSecond, kRfc3339MinUs);
    EXPECT_EQ(oracle_seconds(9999, 12, 31, 23, 59, 59) * kSecond + 999999, kRfc3339MaxUs);
}

TEST(FormatRfc3339, OutOfRangeThrows) {
    for (int64_t us : {kRfc3339MinUs - 1, kRfc3339MaxUs + 1, INT64_MIN, INT64_MAX})
        EXPECT_EQ(error_kind_of([&] { format_rfc3339(us); }), ErrorKind::DatetimeOutOfRange) << us;
}

TEST(FormatRfc3339, MatchesGmtimeOnRandomValues) {
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<int64_t> any(kRfc3339MinUs, kRfc3339MaxUs);
    for (int i = 0; i < 20000; ++i) {
        int64_t us = any(rng);
        if (i % 3 == 0) us -= us % kSecond;            // whole seconds
        if (i % 5 == 0) us -= ((us % 1000) + 1000) % 1000;  // whole milliseconds
        if (us < kRfc3339MinUs) continue;
        ASSERT_EQ(format_rfc3339(us), oracle_format(us)) << us;
    }
}

TEST(ParseRfc3339, UtcAndOffsets) {
    const int64_t base = 1776161700LL * kSecond;  // 2026-04-14T10:15:00Z
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00Z"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00+00:00"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00-00:00"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T12:15:00+02:00"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T04:45:00-05:30"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-15T10:14:00+23:59"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-13T10:16:00-23:59"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14t10:15:00z"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14t10:15:00Z"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00z"), base);
}

TEST(ParseRfc3339, Fractions) {
    const int64_t base = 1776161700LL * kSecond;
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.25Z"), base + 250000);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.250000Z"), base + 250000);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.000001Z"), base + 1);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.999999Z"), base + 999999);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.0Z"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.000Z"), base);
    // More than six digits only when the extra ones are zeros.
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.1234560000Z"), base + 123456);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.0000000Z"), base);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.1234561Z"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.0000001Z"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.Z"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("2026-04-14T10:15:00.5+01:00"), base - 3600 * kSecond + 500000);
}

TEST(ParseRfc3339, BeforeNineteenSeventyAndRangeEnds) {
    EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59.999999Z"), -1);
    EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59.5Z"), -500000);
    EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00Z"), kRfc3339MinUs);
    EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59.999999Z"), kRfc3339MaxUs);
    EXPECT_EQ(parse_rfc3339("0000-02-29T00:00:00Z"), kRfc3339MinUs + 59 * 86400 * kSecond);
    // Offsets may carry a valid text just outside the representable years.
    EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00+00:01"), kRfc3339MinUs - 60 * kSecond);
    EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59-00:01"), kRfc3339MaxUs - 999999 + 60 * kSecond);
}

TEST(ParseRfc3339, RefusesInvalidDatesAndLeapSeconds) {
    for (const char* bad : {
             "2026-04-14T10:15:60Z",   // leap second
             "2016-12-31T23:59:60Z",   // a real leap second, still refused
             "2026-02-29T00:00:00Z",   // not a leap year
             "1900-02-29T00:00:00Z",   // century, not a leap year
             "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
             "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z", "2026-04-14T24:00:00Z",
             "2026-04-14T10:60:00Z", "2026-04-14T10:15:00+24:00", "2026-04-14T10:15:00+01:60",
         })
        EXPECT_EQ(parse_rfc3339(bad), std::nullopt) << bad;
    EXPECT_TRUE(parse_rfc3339("2000-02-29T00:00:00Z"));
    EXPECT_TRUE(parse_rfc3339("2024-02-29T00:00:00Z"));
}

TEST(ParseRfc3339, RefusesMalformedText) {
    for (const char* bad : {
             "", "Z", "2026", "2026-04-14", "2026-04-14T10:15Z", "2026-04-14T10:15:00",
             "2026-04-14 10:15:00Z", "2026-04-14T10:15:00ZZ", "2026-04-14T10:15:00Z ",
             " 2026-04-14T10:15:00Z", "2026-04-14T10:15:00+0100", "2026-04-14T10:15:00+01",
             "2026-04-14T10:15:00+01:0", "2026-04-14T10:15:00+01:00:00", "2026-4-14T10:15:00Z",
             "+2026-04-14T10:15:00Z", "-0001-01-01T00:00:00Z", "12026-04-14T10:15:00Z",
             "2026/04/14T10:15:00Z", "2026-04-14T10-15-00Z", "2026-04-14T1a:15:00Z",
             "2026-04-14T10:15:00,5Z", "2026-04-14T10:15:00.5", "2026-04-14T10:15:00.5.5Z",
             "\"2026-04-14T10:15:00Z\"", "W/\"2026-04-14T10:15:00Z\"", "2026-04-14T10:15:00UTC",
             "2026-04-14T10:15:00+01:00Z", "2026-04-14T10:15:00.-1Z", "2026-04-14T10:15:00.+1Z",
         })
        EXPECT_EQ(parse_rfc3339(bad), std::nullopt) << bad;
    // Embedded NUL bytes are data, not terminators.
    EXPECT_EQ(parse_rfc3339(std::string_view("2026-04-14T10:15:00Z\0", 21)), std::nullopt);
    EXPECT_EQ(parse_rfc3339(std::string_view("2026-04-14T10:15:00\0Z", 21)), std::nullopt);
}

TEST(ParseRfc3339, MatchesTimegmOnRandomFields) {
    std::mt19937_64 rng(5);
    for (int i = 0; i < 20000; ++i) {
        const int y = static_cast<int>(rng() % 10000), mo = static_cast<int>(1 + rng() % 12);
        const int d = static_cast<int>(1 + rng() % 28), h = static_cast<int>(rng() % 24);
        const int mi = static_cast<int>(rng() % 60), s = static_cast<int>(rng() % 60);
        const int oh = static_cast<int>(rng() % 24), om = static_cast<int>(rng() % 60);
        const int micros = static_cast<int>(rng() % 1000000);
        const char sign = "+-"[rng() % 2];
        char text[64];
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06d%c%02d:%02d", y, mo, d, h, mi, s,
                      micros, sign, oh, om);
        const int64_t offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        const int64_t want = (oracle_seconds(y, mo, d, h, mi, s) - offset) * kSecond + micros;
        ASSERT_EQ(parse_rfc3339(text), want) << text;
    }
}

TEST(Rfc3339, RoundTripsRandomValues) {
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<int64_t> any(kRfc3339MinUs, kRfc3339MaxUs);
    for (int i = 0; i < 20000; ++i) {
        int64_t us = any(rng);
        if (i % 2) us -= us % 1000;
        if (us < kRfc3339MinUs) continue;
        const std::string text = format_rfc3339(us);
        ASSERT_EQ(parse_rfc3339(text), us) << text;
    }
    for (int64_t us : {kRfc3339MinUs, kRfc3339MaxUs, int64_t{0}, int64_t{-1}, int64_t{1}})
        EXPECT_EQ(parse_rfc3339(format_rfc3339(us)), us);
}

}  // namespace
}  // namespace traces
