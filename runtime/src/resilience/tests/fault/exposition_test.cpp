// The fault test judges latencies through this reader, so it is checked against text whose
// answers are known: a wrong quantile here would let a slow breaker pass.
#include "exposition.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace eskit::runtime::resilience::fault {
namespace {

using Labels = std::map<std::string, std::string>;

constexpr const char* kText = R"(# HELP d Time.
# TYPE d histogram
d_bucket{outcome="fast",le="0.005"} 99
d_bucket{outcome="fast",le="1"} 100
d_bucket{outcome="fast",le="+Inf"} 100
d_sum{outcome="fast"} 1.2
d_count{outcome="fast"} 100
d_bucket{outcome="slow",le="0.005"} 0
d_bucket{outcome="slow",le="1"} 0
d_bucket{outcome="slow",le="+Inf"} 100
d_sum{outcome="slow"} 300
d_count{outcome="slow"} 100
state{breaker="PayMatch",state="open"} 1
state{breaker="PayMatch",state="closed"} 0
escaped{path="a\"b\\c"} 2
plain 3
)";

TEST(Exposition, SumsTheSeriesWhoseLabelsIncludeTheGivenOnes) {
  Exposition metrics(kText);
  EXPECT_EQ(metrics.sum("state", {{"state", "open"}}), 1);
  EXPECT_EQ(metrics.sum("state", {{"breaker", "PayMatch"}}), 1);
  EXPECT_EQ(metrics.sum("d_count"), 200);
  EXPECT_EQ(metrics.sum("d_count", {{"outcome", "slow"}}), 100);
  EXPECT_EQ(metrics.sum("escaped", {{"path", "a\"b\\c"}}), 2);
  EXPECT_EQ(metrics.sum("plain"), 3);
  EXPECT_EQ(metrics.sum("absent"), 0);
}

TEST(Exposition, QuantileIsTheBoundOfTheBucketThatHoldsIt) {
  Exposition metrics(kText);
  EXPECT_EQ(metrics.quantile_bound("d", 0.99, {Labels{{"outcome", "fast"}}}), 0.005);
  EXPECT_EQ(metrics.quantile_bound("d", 1.0, {Labels{{"outcome", "fast"}}}), 1.0);
  // Together, half the observations lie past the last bound.
  EXPECT_EQ(metrics.quantile_bound("d", 0.49, {Labels{}}), 0.005);
  auto p99 = metrics.quantile_bound("d", 0.99, {Labels{}});
  ASSERT_TRUE(p99);
  EXPECT_TRUE(std::isinf(*p99));
  EXPECT_EQ(metrics.quantile_bound("d", 0.99, {Labels{{"outcome", "none"}}}), std::nullopt);
}

TEST(Exposition, RejectsALineThatIsNotASample) {
  EXPECT_THROW(Exposition("d_bucket{le=\"1\" 3\n"), std::runtime_error);
  EXPECT_THROW(Exposition("plain three\n"), std::runtime_error);
}

}  // namespace
}  // namespace eskit::runtime::resilience::fault
