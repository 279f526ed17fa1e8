// Reading the inboxes' handled counts from /metrics text, and what moved between two readings.
#include <gtest/gtest.h>

#include "eskit/runtime/http/metrics.hpp"
#include "handled_counts.hpp"

namespace eskit::run {
namespace {

TEST(ScenarioHandled, ReadsWhatTheRuntimeRenders) {
  runtime::http::MetricsRegistry metrics;
  metrics
      .counter("eskit_inbox_handled_total", "Events applied through the inbox",
               {{"consumer", "catcher.receive-paid-call"}, {"event_type", "CallPaid"}})
      .inc(3);
  metrics
      .counter("eskit_inbox_handled_total", "Events applied through the inbox",
               {{"consumer", "odd \"one\" \\ here,}"}, {"event_type", "Line\nBreak"}})
      .inc();
  metrics
      .counter("eskit_inbox_duplicates_total", "Redelivered events",
               {{"consumer", "catcher.receive-paid-call"}})
      .inc(7);
  metrics.gauge("eskit_consumer_lag", "Lag", {{"consumer", "catcher.receive-paid-call"}}).set(2);

  const HandledCounts expected = {{{"catcher.receive-paid-call", "CallPaid"}, 3},
                                  {{"odd \"one\" \\ here,}", "Line\nBreak"}, 1}};
  EXPECT_EQ(parse_handled_counts(metrics.render()), expected) << metrics.render();
}

TEST(ScenarioHandled, ToleratesWhatTheFormatAllows) {
  const std::string text =
      "# HELP eskit_inbox_handled_total Events applied through the inbox\n"
      "# TYPE eskit_inbox_handled_total counter\n"
      "eskit_inbox_handled_total{event_type=\"CallMade\",consumer=\"dashboard.dashboard\"} 2\n"
      "  eskit_inbox_handled_total { consumer = \"payment.cancel\" , event_type=\"CallCancelled\", "
      "} "
      "1e0 1712345678000\r\n"
      "eskit_inbox_handled_totally{consumer=\"x\",event_type=\"Y\"} 5\n"
      "eskit_inbox_handled_total{consumer=\"old.runtime\"} 9\n"
      "eskit_inbox_handled_total{consumer=\"stray quote,event_type=\"Z\"} 1\n"
      "eskit_inbox_handled_total{consumer=\"a\",event_type=\"B\"} +Inf\n"
      "eskit_inbox_handled_total{consumer=\"a\",event_type=\"C\"} 4x\n"
      "http_requests_total{route=\"/calls\"} 12\n"
      "\n"
      "eskit_inbox_handled_total{consumer=\"last\",event_type=\"NoNewline\"} 4";
  const HandledCounts expected = {{{"dashboard.dashboard", "CallMade"}, 2},
                                  {{"payment.cancel", "CallCancelled"}, 1},
                                  {{"last", "NoNewline"}, 4}};
  EXPECT_EQ(parse_handled_counts(text), expected);
  EXPECT_TRUE(parse_handled_counts("").empty());
}

TEST(ScenarioHandled, KeepsOnlyWhatMovedAndCountsARestartFromZero) {
  const Handling made{"dashboard.dashboard", "CallMade"};
  const Handling paid{"dashboard.dashboard", "CallPaid"};
  const Handling cancelled{"payment.cancel", "CallCancelled"};
  const Handling denied{"caller.deny", "CatchDenied"};
  const HandledCounts before = {{made, 2}, {paid, 1}, {cancelled, 5}, {denied, 1}};
  const HandledCounts now = {{made, 4}, {paid, 1}, {cancelled, 2}, {{"new.one", "CallMade"}, 1}};
  const HandledCounts expected = {{made, 2}, {cancelled, 2}, {{"new.one", "CallMade"}, 1}};
  EXPECT_EQ(handled_since(before, now), expected);
  EXPECT_EQ(handled_since({}, now), now);
  EXPECT_TRUE(handled_since(now, now).empty());
}

}  // namespace
}  // namespace eskit::run
