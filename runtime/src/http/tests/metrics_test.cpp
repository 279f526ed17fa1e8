// The metrics registry and the Prometheus text exposition format 0.0.4.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::http {
namespace {

TEST(Prometheus, EscapesHelpAndLabelValues) {
  EXPECT_EQ(escape_help("a\\b\nc \"quoted\""), "a\\\\b\\nc \"quoted\"");
  EXPECT_EQ(escape_label_value("a\\b\nc \"quoted\""), "a\\\\b\\nc \\\"quoted\\\"");
}

TEST(Prometheus, FormatsSpecialAndShortestValues) {
  EXPECT_EQ(format_sample_value(1), "1");
  EXPECT_EQ(format_sample_value(0.005), "0.005");
  EXPECT_EQ(format_sample_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_sample_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_sample_value(std::nan("")), "NaN");
}

TEST(Prometheus, RendersCounterWithSortedEscapedLabels) {
  MetricsRegistry registry;
  registry
      .counter("outbox_published_total", "Events published.\nFrom the outbox \\ relay",
               {{"topic", "calls"}, {"context", "dis\"patch\n"}})
      .inc(3);
  EXPECT_EQ(registry.render(),
            "# HELP outbox_published_total Events published.\\nFrom the outbox \\\\ relay\n"
            "# TYPE outbox_published_total counter\n"
            "outbox_published_total{context=\"dis\\\"patch\\n\",topic=\"calls\"} 3\n");
}

TEST(Prometheus, SameNameAndLabelsIsTheSameSeries) {
  MetricsRegistry registry;
  auto& a = registry.counter("c_total", "h", {{"x", "1"}, {"y", "2"}});
  auto& b = registry.counter("c_total", "h", {{"y", "2"}, {"x", "1"}});
  EXPECT_EQ(&a, &b);
  a.inc();
  b.inc(-5);  // counters never go down
  EXPECT_EQ(a.value(), 1);
}

TEST(Prometheus, RendersHistogramBucketsCumulativeWithSumAndCount) {
  MetricsRegistry registry;
  auto& h = registry.histogram("lag_seconds", "Consumer lag", {{"group", "g"}}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.1);  // le is inclusive
  h.observe(0.5);
  h.observe(7);
  EXPECT_EQ(registry.render(),
            "# HELP lag_seconds Consumer lag\n"
            "# TYPE lag_seconds histogram\n"
            "lag_seconds_bucket{group=\"g\",le=\"0.1\"} 2\n"
            "lag_seconds_bucket{group=\"g\",le=\"1\"} 3\n"
            "lag_seconds_bucket{group=\"g\",le=\"+Inf\"} 4\n"
            "lag_seconds_sum{group=\"g\"} 7.65\n"
            "lag_seconds_count{group=\"g\"} 4\n");
}

TEST(Prometheus, GaugesAndSampledGaugesInNameOrder) {
  MetricsRegistry registry;
  std::atomic<int> backlog{12};
  registry.gauge_function("outbox_backlog", "Rows not yet published", {},
                          [&] { return double(backlog.load()); });
  registry.gauge("breaker_state", "0 closed, 1 open, 2 half-open", {{"call", "payment"}}).set(1);
  registry.gauge_function("broken", "throws", {},
                          []() -> double { throw std::runtime_error("no"); });
  EXPECT_EQ(registry.render(),
            "# HELP breaker_state 0 closed, 1 open, 2 half-open\n"
            "# TYPE breaker_state gauge\n"
            "breaker_state{call=\"payment\"} 1\n"
            "# HELP broken throws\n"
            "# TYPE broken gauge\n"
            "# HELP outbox_backlog Rows not yet published\n"
            "# TYPE outbox_backlog gauge\n"
            "outbox_backlog 12\n");
}

TEST(Prometheus, RejectsInvalidNamesAndTypeClashes) {
  MetricsRegistry registry;
  EXPECT_THROW(registry.counter("1bad", "h"), std::invalid_argument);
  EXPECT_THROW(registry.counter("bad-name", "h"), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "h", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "h", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.counter("ok_total", "h", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h_seconds", "h", {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("h_seconds", "h", {}, {1, 0.5}), std::invalid_argument);
  registry.counter("ns:requests_total", "h");
  EXPECT_THROW(registry.gauge("ns:requests_total", "h"), std::invalid_argument);
  registry.histogram("d_seconds", "h", {}, {1, 2});
  EXPECT_THROW(registry.histogram("d_seconds", "h", {{"x", "y"}}, {1, 3}), std::invalid_argument);
}

}  // namespace
}  // namespace eskit::runtime::http
