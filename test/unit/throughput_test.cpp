// The summary's throughput and ETA (docs/contract.md §12.6).
#include "core/throughput.h"

#include "core/error.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace traces {
namespace {

constexpr int64_t kNow = 1776160500LL * kSecond;  // 2026-04-14T09:55:00Z

ThroughputInput steady() {
    ThroughputInput in;
    in.window_start_us = kNow - 300 * kSecond;
    in.window_end_us = kNow;
    in.now_us = kNow;
    in.files = 30;       // one every 10 s
    in.items = 90;
    in.remaining = 5;
    return in;
}

TEST(Throughput, ConstantRateIsExactToTheMicrosecond) {
    const Throughput t = estimate_throughput(steady());
    EXPECT_EQ(t.window_seconds, 300.0);
    EXPECT_EQ(t.files_per_second, 0.1);
    EXPECT_EQ(t.items_per_second, 0.3);
    ASSERT_TRUE(t.eta_us.has_value());
    EXPECT_EQ(*t.eta_us, kNow + 50 * kSecond);
    EXPECT_EQ(throughput_json(t),
              "\"throughput\":{\"window_seconds\":300.0,\"files_per_second\":0.1,\"items_per_second\":0.3},"
              "\"eta\":\"2026-04-14T09:55:50Z\"");
}

TEST(Throughput, EtaRoundsHalfAwayFromZero) {
    ThroughputInput in = steady();
    in.window_start_us = kNow - 3;  // 3 µs, 2 files, 1 remaining: 1.5 µs -> 2 µs
    in.files = 2;
    in.remaining = 1;
    EXPECT_EQ(*estimate_throughput(in).eta_us, kNow + 2);
    in.files = 3;  // 1 µs exactly
    EXPECT_EQ(*estimate_throughput(in).eta_us, kNow + 1);
}

TEST(Throughput, FollowsAChangeOfRate) {
    ThroughputInput in = steady();
    in.files = 150;  // one every 2 s in the window, whatever came before it
    in.remaining = 10;
    const Throughput t = estimate_throughput(in);
    EXPECT_EQ(t.files_per_second, 0.5);
    EXPECT_EQ(*t.eta_us, kNow + 20 * kSecond);
}

TEST(Throughput, NoEtaWhenStalledTerminalOrDone) {
    ThroughputInput in = steady();
    in.files = 0;
    Throughput t = estimate_throughput(in);
    EXPECT_FALSE(t.eta_us.has_value());
    EXPECT_EQ(throughput_json(t),
              "\"throughput\":{\"window_seconds\":300.0,\"files_per_second\":0.0,\"items_per_second\":0.3},"
              "\"eta\":null");
    in = steady();
    in.terminal = true;
    EXPECT_FALSE(estimate_throughput(in).eta_us.has_value());
    in = steady();
    in.remaining = 0;  // nothing left: the eta is now
    EXPECT_EQ(*estimate_throughput(in).eta_us, kNow);
}

TEST(Throughput, ShortWindowsAndFractions) {
    ThroughputInput in = steady();
    in.window_start_us = kNow - 60 * kSecond - 250000;
    in.files = 1;
    in.items = 0;
    const Throughput t = estimate_throughput(in);
    EXPECT_EQ(t.window_seconds, 60.25);
    EXPECT_EQ(t.files_per_second, 1.0 / 60.25);
    // The shortest digits that read back as the double, never an exponent.
    EXPECT_NE(throughput_json(t).find("\"window_seconds\":60.25,\"files_per_second\":0.016597510373443983,"),
              std::string::npos);
}

TEST(Throughput, RefusesBadInput) {
    ThroughputInput in = steady();
    in.window_start_us = in.window_end_us;
    EXPECT_THROW(estimate_throughput(in), Error);
    in = steady();
    in.files = -1;
    EXPECT_THROW(estimate_throughput(in), Error);
    in = steady();
    in.items = std::nan("");
    EXPECT_THROW(estimate_throughput(in), Error);
}

TEST(Throughput, EtaPastYear9999IsAnError) {
    ThroughputInput in = steady();
    in.files = 1;
    in.remaining = INT64_MAX / 2;
    try {
        estimate_throughput(in);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::DatetimeOutOfRange);
    }
}

}  // namespace
}  // namespace traces
