#include "core/window.h"
#include <gtest/gtest.h>
TEST(Smoke, Clamp) { EXPECT_EQ(traces::clamp_buckets(std::nullopt), 100); }
