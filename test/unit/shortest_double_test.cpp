// Every double the product prints (bucket_seconds) is the shortest decimal
// that reads back as the same double, in fixed notation with ".0" when
// integral: checked against a reference built only from the C library
// (the fewest %.Ne significant digits that strtod reads back, moved into
// fixed notation by hand), over random doubles of every magnitude and over
// the bucket widths real windows give.
#include "core/render.h"
#include "core/window.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace traces {
namespace {

std::string printed(double v) {
    Sink measure;
    put_double(measure, v);
    std::string s(measure.size(), '\0');
    Sink write(s.data(), s.size());
    put_double(write, v);
    return s;
}

// The shortest round-tripping significant digits of v, and its decimal
// exponent, from printf's correctly rounded %.Ne.
void shortest_digits(double v, std::string& digits, int& exponent) {
    char buf[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    const char* e = std::strchr(buf, 'e');
    exponent = std::atoi(e + 1);
    digits.clear();
    for (const char* p = buf; p < e; ++p)
        if (*p >= '0' && *p <= '9') digits += *p;
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

std::string reference(double v) {
    std::string digits;
    int exponent;
    shortest_digits(std::fabs(v), digits, exponent);
    std::string whole, fraction;
    if (exponent < 0) {
        whole = "0";
        fraction = std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
        whole = digits + std::string(static_cast<size_t>(exponent) + 1 - digits.size(), '0');
    } else {
        whole = digits.substr(0, static_cast<size_t>(exponent) + 1);
        fraction = digits.substr(static_cast<size_t>(exponent) + 1);
    }
    if (whole == "0" && digits == "0") fraction.clear();
    return (std::signbit(v) ? "-" : "") + whole + "." + (fraction.empty() ? "0" : fraction);
}

TEST(ShortestDouble, KnownValues) {
    EXPECT_EQ(printed(30.0), "30.0");
    EXPECT_EQ(printed(0.1), "0.1");
    EXPECT_EQ(printed(38221.31178), "38221.31178");  // the example: not 38221.311780000004
    EXPECT_EQ(printed(1.0 / 3), "0.3333333333333333");
    EXPECT_EQ(printed(3e10), "30000000000.0");      // never 3e+10
    EXPECT_EQ(printed(1e21), "1000000000000000000000.0");
    EXPECT_EQ(printed(1.5e-7), "0.00000015");       // never 1.5e-07
    EXPECT_EQ(printed(0.0), "0.0");
    EXPECT_EQ(printed(-0.0), "-0.0");
    EXPECT_EQ(printed(-2.5), "-2.5");
    EXPECT_EQ(printed(DBL_MAX).size(), 311u);         // 309 digits and ".0"
    EXPECT_EQ(printed(DBL_TRUE_MIN), "0." + std::string(323, '0') + "5");
}

TEST(ShortestDouble, NonFiniteIsABugNotText) {
    Sink out;
    EXPECT_THROW(put_double(out, std::numeric_limits<double>::infinity()), std::logic_error);
    EXPECT_THROW(put_double(out, std::nan("")), std::logic_error);
}

TEST(ShortestDouble, RandomDoublesOfEveryMagnitudeMatchTheReference) {
    std::mt19937_64 rng(20261201);
    int checked = 0;
    while (checked < 20000) {
        const uint64_t bits = rng();
        double v;
        std::memcpy(&v, &bits, sizeof v);
        if (!std::isfinite(v)) continue;
        ASSERT_EQ(printed(v), reference(v)) << bits;
        ++checked;
    }
}

TEST(ShortestDouble, BucketWidthsOfRealWindowsMatchTheReferenceAndReadBack) {
    // Spans from a second to centuries, any point count: what bucket_seconds
    // really produces, where about 1 in 750 used to print non-shortest.
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<int64_t> span(kSecond, int64_t{100} * 365 * 86400 * kSecond);
    std::uniform_int_distribution<int32_t> points(kMinBuckets, kMaxBuckets);
    for (int i = 0; i < 50000; ++i) {
        const Window w = make_window(0, span(rng), points(rng));
        const double v = bucket_seconds(w);
        const std::string s = printed(v);
        ASSERT_EQ(s, reference(v)) << w.end_us << " / " << w.n;
        ASSERT_EQ(std::strtod(s.c_str(), nullptr), v) << s;
    }
}

}  // namespace
}  // namespace traces
