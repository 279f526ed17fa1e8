// The router alone: template matching, precedence, 404 versus 405, template validation.
#include <gtest/gtest.h>

#include "eskit/runtime/http/router.hpp"

namespace eskit::runtime::http {
namespace {

Handler ok() {
  return [](Request&) { return Response::text("ok"); };
}

std::vector<std::string> segments(std::string target) {
  return Request{"GET", std::move(target)}.segments();
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.get("/calls/{callId}", ok()).get("/calls/{callId}/drivers/{driverId}", ok());
  auto match = router.match("GET", segments("/calls/42/drivers/7"));
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(match.route->path_template, "/calls/{callId}/drivers/{driverId}");
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>{"callId", "42"}));
  EXPECT_EQ(match.params[1], (std::pair<std::string, std::string>{"driverId", "7"}));
}

TEST(Router, ParametersArePercentDecoded) {
  Router router;
  router.get("/pets/{name}", ok());
  auto match = router.match("GET", segments("/pets/Mr%20Whiskers"));
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(match.params.at(0).second, "Mr Whiskers");
}

TEST(Router, LiteralSegmentBeatsParameterWhateverTheOrder) {
  Router router;
  router.get("/calls/{callId}", ok()).get("/calls/active", ok());
  EXPECT_EQ(router.match("GET", segments("/calls/active")).route->path_template, "/calls/active");
  EXPECT_EQ(router.match("GET", segments("/calls/9")).route->path_template, "/calls/{callId}");
}

TEST(Router, UnknownPathIsNotFoundAndKnownPathWithOtherMethodIsNotAllowed) {
  Router router;
  router.get("/calls/{callId}", ok()).del("/calls/{callId}", ok()).post("/calls", ok());
  EXPECT_EQ(router.match("GET", segments("/drivers")).outcome, RouteMatch::Outcome::not_found);
  EXPECT_EQ(router.match("GET", segments("/calls/1/extra")).outcome,
            RouteMatch::Outcome::not_found);
  EXPECT_EQ(router.match("GET", segments("/calls/")).outcome,
            RouteMatch::Outcome::not_found);  // empty id
  auto match = router.match("PUT", segments("/calls/1"));
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::method_not_allowed);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"DELETE", "GET"}));
}

TEST(Router, RootPathMatchesSlashTemplate) {
  Router router;
  router.get("/", ok());
  EXPECT_EQ(router.match("GET", segments("/")).outcome, RouteMatch::Outcome::found);
}

TEST(Router, RejectsMalformedTemplatesAndClashes) {
  Router router;
  EXPECT_THROW(router.get("calls", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/calls/{", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/calls/{}", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/calls/x{id}", ok()), std::invalid_argument);
  EXPECT_THROW(router.get("/a/{id}/b/{id}", ok()), std::invalid_argument);
  router.get("/calls/{callId}", ok());
  EXPECT_THROW(router.get("/calls/{other}", ok()), std::invalid_argument);  // same shape
  EXPECT_NO_THROW(router.post("/calls/{other}", ok()));                     // other method
}

TEST(Request, QueryParametersAndDeadline) {
  Headers headers;
  headers.set("x-request-deadline", "1700000000123");
  Request request{"GET", "/calls?status=OPEN&q=a%26b&status=X", headers};
  EXPECT_EQ(request.query("status"), "OPEN");
  EXPECT_EQ(request.query("q"), "a&b");
  EXPECT_FALSE(request.query("missing"));
  ASSERT_TRUE(request.deadline());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(request.deadline()->time_since_epoch())
          .count(),
      1700000000123);
}

TEST(Request, JsonContentTypeAcceptsParametersAndPlusJson) {
  auto with_type = [](std::string type) {
    Headers h;
    h.set("Content-Type", std::move(type));
    return Request{"POST", "/", h, "{}"}.has_json_content_type();
  };
  EXPECT_TRUE(with_type("application/json"));
  EXPECT_TRUE(with_type("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(with_type("application/merge-patch+json"));
  EXPECT_FALSE(with_type("text/plain"));
  EXPECT_FALSE(with_type("application/jsonx"));
}

TEST(Router, AFallbackTakesWhatNoRouteServesButNot405s) {
  Router router;
  router.get("/health", ok()).fallback(ok(), "proxy");
  auto unserved = router.match("POST", segments("/reviews/7"));
  ASSERT_EQ(unserved.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(unserved.route->path_template, "proxy");
  EXPECT_EQ(router.match("GET", segments("/health")).route->path_template, "/health");
  EXPECT_EQ(router.match("POST", segments("/health")).outcome,
            RouteMatch::Outcome::method_not_allowed);
  EXPECT_THROW(router.fallback(Handler{}), std::invalid_argument);
}

}  // namespace
}  // namespace eskit::runtime::http
