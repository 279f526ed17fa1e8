// A command's input from a request: body and path parameters in one object, checked strictly.
#include "eskit/runtime/http/command_input.hpp"

#include <gtest/gtest.h>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::http {
namespace {

Headers content_type(std::string type) {
  Headers headers;
  headers.set("Content-Type", std::move(type));
  return headers;
}

Request routed(std::string method, std::string target, std::string body,
               Params params = {{"callId", "7"}}) {
  Request request(std::move(method), std::move(target), content_type("application/json"),
                  std::move(body));
  request.set_route("/calls/{callId}/cancel", std::move(params));
  return request;
}

constexpr PathParameter call_id{"callId", true};

TEST(CommandInput, PathParametersJoinTheBodyUnderTheirFieldNames) {
  const auto input =
      command_input(routed("POST", "/calls/7/cancel", R"({"reason":"late"})"), true, {&call_id, 1});
  EXPECT_EQ(input.at("reason").as_string(), "late");
  ASSERT_TRUE(input.at("callId").is_int64());
  EXPECT_EQ(input.at("callId").as_int64(), 7);
}

TEST(CommandInput, ThePathWinsOverABodyFieldOfTheSameName) {
  const auto input =
      command_input(routed("POST", "/calls/7/cancel", R"({"callId":99})"), true, {&call_id, 1});
  EXPECT_EQ(input.at("callId").as_int64(), 7);
}

TEST(CommandInput, TextParametersStayText) {
  constexpr PathParameter login{"callId", false};
  const auto input =
      command_input(routed("GET", "/calls/007", "", {{"callId", "007"}}), false, {&login, 1});
  EXPECT_EQ(input.at("callId").as_string(), "007");
}

TEST(CommandInput, ANumericParameterThatIsNoIntegerIs400NamingIt) {
  for (const std::string bad : {"abc", "7x", "", "99999999999999999999"}) {
    try {
      (void)command_input(routed("GET", "/calls/x", "", {{"callId", bad}}), false, {&call_id, 1});
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Problem& problem) {
      EXPECT_EQ(problem.status(), 400);
      EXPECT_EQ(problem.code(), "invalid-field");
      EXPECT_NE(problem.detail().find("callId"), std::string::npos) << problem.detail();
    }
  }
}

TEST(CommandInput, NoBodyAndNoContentTypeIsAnEmptyInput) {
  Request bare("POST", "/calls/7/cancel", Headers{}, "");
  bare.set_route("/calls/{callId}/cancel", {{"callId", "7"}});
  const auto input = command_input(bare, true, {&call_id, 1});
  EXPECT_EQ(input.size(), 1U);
  EXPECT_EQ(input.at("callId").as_int64(), 7);
}

TEST(CommandInput, AnEmptyBodyThatClaimsJsonIsStillMalformed) {
  try {
    (void)command_input(routed("POST", "/calls/7/cancel", ""), true, {&call_id, 1});
    FAIL() << "an empty application/json body was accepted";
  } catch (const Problem& problem) {
    EXPECT_EQ(problem.status(), 400);
  }
}

TEST(CommandInput, ABodyThatIsNoObjectIs400) {
  try {
    (void)command_input(routed("POST", "/calls/7/cancel", "[1, 2]"), true, {&call_id, 1});
    FAIL() << "an array was accepted as a command";
  } catch (const Problem& problem) {
    EXPECT_EQ(problem.status(), 400);
  }
}

TEST(CommandInput, ABodyThatIsNoJsonIs400AndTheWrongTypeIs415) {
  try {
    (void)command_input(routed("POST", "/calls/7/cancel", "{oops"), true, {&call_id, 1});
    FAIL();
  } catch (const Problem& problem) {
    EXPECT_EQ(problem.status(), 400);
  }
  Request text("POST", "/calls/7/cancel", content_type("text/plain"), "{}");
  text.set_route("/calls/{callId}/cancel", {{"callId", "7"}});
  try {
    (void)command_input(text, true, {&call_id, 1});
    FAIL();
  } catch (const Problem& problem) {
    EXPECT_EQ(problem.status(), 415);
  }
}

TEST(CommandInput, ARouteWithoutBodyIgnoresWhatWasSent) {
  const auto input = command_input(routed("GET", "/calls/7", "not json"), false, {&call_id, 1});
  EXPECT_EQ(input.size(), 1u);
}

TEST(CommandInput, FiltersComeFromTheQueryString) {
  const Request request("GET", "/loans?memberId=7&title=a%20b&bad=x");
  EXPECT_EQ(integer_filter(request, "memberId"), 7);
  EXPECT_EQ(text_filter(request, "title"), "a b");
  EXPECT_EQ(integer_filter(request, "absent"), std::nullopt);
  EXPECT_THROW((void)integer_filter(request, "bad"), Problem);
}

TEST(PathSegment, EncodesEverythingThatCouldChangeTheRoute) {
  EXPECT_EQ(path_segment("member-7_a.b~"), "member-7_a.b~");
  EXPECT_EQ(path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
  EXPECT_EQ(path_segment("서울"), "%EC%84%9C%EC%9A%B8");
}

}  // namespace
}  // namespace eskit::runtime::http
