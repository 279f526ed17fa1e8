// The fallback's answers: fixed, cached, and the 503 "try later" problem.
#include "eskit/runtime/resilience/fallback.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace eskit::runtime::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

http::ClientResponse ok(std::string body, int status = 200) {
  http::ClientResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

http::ClientRequest post(std::string body) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = "http://payment/pay";
  request.body = std::move(body);
  return request;
}

TEST(Fallback, RejectAnswersAProblemWithRetryAfterInWholeSeconds) {
  Fallback fallback{{.kind = FallbackKind::reject, .message = "Payment is down, try later."}};
  auto answer = fallback.answer(http::ClientRequest::get("http://payment/x"), milliseconds{1'200});
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.headers.get("Content-Type"), "application/problem+json");
  EXPECT_EQ(answer.headers.get("Retry-After"), "2");
  auto problem = boost::json::parse(answer.body);
  EXPECT_EQ(problem.at("status"), 503);
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:try-later");
  EXPECT_EQ(problem.at("detail"), "Payment is down, try later.");

  auto soon = fallback.answer(http::ClientRequest::get("http://payment/x"), milliseconds{0});
  EXPECT_EQ(soon.headers.get("Retry-After"), "1");  // never "0": that would invite a storm
}

TEST(Fallback, NoneAnswersTheProblemForCallsThatWereNotMade) {
  Fallback fallback{{}};
  EXPECT_EQ(fallback.answer(post("{}"), seconds{5}).status, 503);
}

TEST(Fallback, FixedAnswersTheConfiguredBody) {
  Fallback fallback{{.kind = FallbackKind::fixed, .fixed_body = R"({"approved":false})"}};
  auto answer = fallback.answer(post("{}"), seconds{5});
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(answer.body, R"({"approved":false})");
}

TEST(Fallback, CachedAnswersTheLastSuccessForTheSameRequest) {
  Fallback fallback{{.kind = FallbackKind::cached}};
  fallback.remember(post("a"), ok("first"));
  fallback.remember(post("a"), ok("second"));
  fallback.remember(post("b"), ok("other"));
  EXPECT_EQ(fallback.answer(post("a"), seconds{1}).body, "second");
  EXPECT_EQ(fallback.answer(post("b"), seconds{1}).body, "other");
  EXPECT_EQ(fallback.answer(post("c"), seconds{1}).status, 503);  // never answered
  auto get = http::ClientRequest::get("http://payment/pay");
  EXPECT_EQ(fallback.answer(get, seconds{1}).status, 503);  // another method
}

TEST(Fallback, CachedKeepsOnlySuccessfulAnswers) {
  Fallback fallback{{.kind = FallbackKind::cached}};
  fallback.remember(post("a"), ok("good"));
  fallback.remember(post("a"), ok("broken", 500));
  fallback.remember(post("b"), ok("not found", 404));
  EXPECT_EQ(fallback.answer(post("a"), seconds{1}).body, "good");
  EXPECT_EQ(fallback.answer(post("b"), seconds{1}).status, 503);
}

TEST(Fallback, CachedForgetsTheOldestBeyondItsSize) {
  Fallback fallback{{.kind = FallbackKind::cached, .cache_entries = 2}};
  fallback.remember(post("a"), ok("A"));
  fallback.remember(post("b"), ok("B"));
  fallback.remember(post("c"), ok("C"));
  EXPECT_EQ(fallback.answer(post("a"), seconds{1}).status, 503);
  EXPECT_EQ(fallback.answer(post("b"), seconds{1}).body, "B");
  EXPECT_EQ(fallback.answer(post("c"), seconds{1}).body, "C");
}

TEST(Fallback, OnlyTheCachedKindRemembers) {
  Fallback fallback{{.kind = FallbackKind::reject}};
  fallback.remember(post("a"), ok("A"));
  EXPECT_EQ(fallback.answer(post("a"), seconds{1}).status, 503);
}

}  // namespace
}  // namespace eskit::runtime::resilience
