// parse_count: the metrics counters as PostgreSQL prints a jsonb number.
#include "core/metrics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace traces {
namespace {

void expect_value(std::string_view text, int64_t want) {
    const CountParse r = parse_count(text);
    EXPECT_TRUE(r.ok) << "'" << text << "': " << (r.problem ? r.problem : "");
    EXPECT_EQ(r.value, want) << "'" << text << "'";
    EXPECT_EQ(r.problem, nullptr) << "'" << text << "'";
}

void expect_problem(std::string_view text, const std::string& problem) {
    const CountParse r = parse_count(text);
    EXPECT_FALSE(r.ok) << "'" << text << "' gave " << r.value;
    ASSERT_NE(r.problem, nullptr) << "'" << text << "'";
    EXPECT_EQ(std::string(r.problem), problem) << "'" << text << "'";
}

TEST(ParseCount, IntegersInAnySpelling) {
    expect_value("12", 12);
    expect_value("12.000", 12);
    expect_value("1.2e1", 12);
    expect_value("1.2E+1", 12);
    expect_value("120e-1", 12);
    expect_value("0.12e2", 12);
    expect_value("0012", 12);
    expect_value("0", 0);
    expect_value("-0", 0);
    expect_value("0.0", 0);
    expect_value("-0.000e-5", 0);
    expect_value("0e999999999999", 0);
    expect_value("1e0", 1);
    expect_value("1e18", 1000000000000000000LL);
    expect_value("9223372036854775807", INT64_MAX);
    expect_value("9223372036854775807.0000", INT64_MAX);
    expect_value("9.223372036854775807e18", INT64_MAX);
    expect_value("922337203685477580700e-2", INT64_MAX);
    expect_value("00000000000000000000000000009223372036854775807", INT64_MAX);
    expect_value("1e00000000000000000000000003", 1000);
}

TEST(ParseCount, Negative) {
    expect_problem("-1", "is negative");
    expect_problem("-12.000", "is negative");
    expect_problem("-9223372036854775808", "is negative");
    expect_problem("-1e-9", "is negative");
}

TEST(ParseCount, Fractional) {
    expect_problem("1.5", "is not an integer");
    expect_problem("0.1", "is not an integer");
    expect_problem("12e-1", "is not an integer");
    expect_problem("1e-99999999", "is not an integer");
    expect_problem("9223372036854775807.5", "is not an integer");
    expect_problem("1.0000000000000000000000000001", "is not an integer");
}

TEST(ParseCount, TooLarge) {
    expect_problem("1e19", "is too large");
    expect_problem("9223372036854775808", "is too large");
    expect_problem("9223372036854775807.9e0", "is not an integer");
    expect_problem("92233720368547758075e-1", "is not an integer");
    expect_value("92233720368547758070e-1", INT64_MAX);
    expect_problem("92233720368547758080e-1", "is too large");
    expect_problem("9223372036854775808.000", "is too large");
    expect_problem("18446744073709551616", "is too large");
    expect_problem("340282366920938463463374607431768211457", "is too large");  // 2^128 + 1
    expect_problem("1e999999999999999999999", "is too large");
    expect_problem("1.5e40", "is too large");
}

TEST(ParseCount, NotANumber) {
    for (const char* bad : {"", "-", "+", ".", "-.", "e5", ".e1", "1e", "1e+", "1e-", "1ex", "1e5x", "1.2.3",
                            "12 ", " 12", "0x10", "1_000", "NaN", "Infinity", "-Infinity", "\"12\"", "true",
                            "null", "1,5", "1e1.5", "--1", "+-1", "12abc", "\xef\xbc\x91"})
        expect_problem(bad, "is not a number");
    expect_problem(std::string_view("1\0", 2), "is not a number");
}

TEST(ParseCount, LenientSpellingsPostgresNeverPrints) {
    // Not JSON, but unambiguous: accepted rather than refused.
    expect_value("+12", 12);
    expect_value("12.", 12);
    expect_problem(".5", "is not an integer");
    expect_value(".5e1", 5);
}

TEST(ParseCount, RandomIntegersInSeveralSpellings) {
    std::mt19937_64 rng(8);
    for (int i = 0; i < 20000; ++i) {
        const int64_t v = static_cast<int64_t>(rng() >> (rng() % 64)) & INT64_MAX;
        const std::string d = std::to_string(v);
        expect_value(d, v);
        expect_value(d + ".000", v);
        // d[0].d[1..] e (len-1)
        const std::string sci = d.substr(0, 1) + "." + d.substr(1) + "e" + std::to_string(d.size() - 1);
        expect_value(sci, v);
        expect_value(d + "00e-2", v);
        if (v != 0) expect_problem("-" + d, "is negative");
        expect_problem(d + ".5", "is not an integer");
        if (HasFailure()) break;
    }
}

}  // namespace
}  // namespace traces
