// Longest-prefix routing on whole path segments.
#include <gtest/gtest.h>

#include <stdexcept>

#include "eskit/runtime/gateway/route_table.hpp"
#include "eskit/runtime/http/request.hpp"

namespace eskit::runtime::gateway {
namespace {

std::string upstream_for(const RouteTable& table, const std::string& target) {
  const http::Request request("GET", target);
  const auto route = table.match(request.segments());
  return route ? route->upstream : "<none>";
}

TEST(RouteTable, TakesTheLongestPrefixOnSegmentBoundaries) {
  RouteTable table;
  table.add({"/reviews", "review"});
  table.add({"/reviews/admin", "moderation"});
  table.add({"/schedules/", "schedule"});
  EXPECT_EQ(upstream_for(table, "/reviews"), "review");
  EXPECT_EQ(upstream_for(table, "/reviews/"), "review");
  EXPECT_EQ(upstream_for(table, "/reviews/7?verbose=1"), "review");
  EXPECT_EQ(upstream_for(table, "/reviews/admin"), "moderation");
  EXPECT_EQ(upstream_for(table, "/reviews/admin/3"), "moderation");
  EXPECT_EQ(upstream_for(table, "/reviews/administrator"), "review");
  EXPECT_EQ(upstream_for(table, "/reviewsx"), "<none>");
  EXPECT_EQ(upstream_for(table, "/schedules"), "schedule");
  EXPECT_EQ(upstream_for(table, "/"), "<none>");
  // Matched on decoded segments, as the services' own routers will see the path.
  EXPECT_EQ(upstream_for(table, "/re%76iews/7"), "review");
}

TEST(RouteTable, ARootPrefixTakesWhatNoLongerOneTakes) {
  RouteTable table;
  table.add({"/", "web"});
  table.add({"/reviews", "review"});
  EXPECT_EQ(upstream_for(table, "/reviewsx"), "web");
  EXPECT_EQ(upstream_for(table, "/"), "web");
  EXPECT_EQ(upstream_for(table, "/reviews/1"), "review");
}

TEST(RouteTable, RefusesPrefixesThatCannotBeMatchedUnambiguously) {
  RouteTable table;
  table.add({"/reviews", "review"});
  for (const char* bad : {"reviews", "", "/a?b=1", "/a#x", "/a%2Fb", "/a//b", "/a/../b", "/./a"})
    EXPECT_THROW(table.add({bad, "x"}), std::invalid_argument) << bad;
  EXPECT_THROW(table.add({"/reviews/", "other"}), std::invalid_argument);
  EXPECT_THROW(table.add({"/courses", ""}), std::invalid_argument);
  EXPECT_EQ(table.routes().size(), 1u);
}

}  // namespace
}  // namespace eskit::runtime::gateway
