// Expectations (subset match and matchers) and ${name} substitution.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "matcher.hpp"
#include "variables.hpp"

namespace eskit::run {
namespace {

Json j(const char* text) { return boost::json::parse(text); }

// Empty when `expected` matches `actual`, else "path: expected … got …".
std::string verdict(const char* expected, const char* actual) {
  const Json got = j(actual);
  auto m = match(j(expected), &got, "body");
  return m ? m->path + ": expected " + m->expected + ", got " + m->got : "";
}

TEST(ScenarioMatch, MatchesASubsetOfObjects) {
  EXPECT_EQ(verdict(R"({"status":"CREATED"})", R"({"callId":7,"status":"CREATED"})"), "");
  EXPECT_EQ(verdict(R"({"a":{"b":1}})", R"({"a":{"b":1,"c":2}})"), "");
  EXPECT_EQ(verdict(R"({"status":"APPROVED"})", R"({"status":"CREATED"})"),
            R"(body.status: expected "APPROVED", got "CREATED")");
  EXPECT_EQ(verdict(R"({"a":{"b":1}})", R"({"a":{}})"), "body.a.b: expected 1, got (absent)");
  EXPECT_EQ(verdict(R"({"a":1})", R"([1])"), R"(body: expected {"a":1}, got [1])");
}

TEST(ScenarioMatch, ComparesNumbersByValueAndNothingElseLoosely) {
  EXPECT_EQ(verdict("5", "5.0"), "");
  EXPECT_EQ(verdict("18446744073709551615", "18446744073709551615"), "");
  EXPECT_EQ(verdict("-1", "18446744073709551615"), "body: expected -1, got 18446744073709551615");
  EXPECT_EQ(verdict(R"("5")", "5"), R"(body: expected "5", got 5)");
  EXPECT_EQ(verdict("null", "null"), "");
  EXPECT_EQ(verdict("true", "1"), "body: expected true, got 1");
}

TEST(ScenarioMatch, MatchesListsElementByElement) {
  EXPECT_EQ(verdict(R"([{"s":"A"},{"s":"B"}])", R"([{"s":"A","n":1},{"s":"B"}])"), "");
  EXPECT_EQ(verdict("[1,2]", "[1,2,3]"), "body: expected 2 elements [1,2], got 3 elements [1,2,3]");
  EXPECT_EQ(verdict("[1,3]", "[1,2]"), "body.1: expected 3, got 2");
}

TEST(ScenarioMatch, Contains) {
  EXPECT_EQ(verdict(R"({"$contains":[3,1]})", "[1,2,3]"), "");
  EXPECT_EQ(verdict(R"({"$contains":[{"s":"B"}]})", R"([{"s":"A"},{"s":"B","n":2}])"), "");
  // Each given element needs an element of its own.
  EXPECT_EQ(verdict(R"({"$contains":[1,1]})", "[1,2]"),
            "body: expected an element matching 1, got [1,2]");
  EXPECT_EQ(verdict(R"({"$contains":"CANCEL"})", R"("PAYMENT_CANCELLED")"), "");
  EXPECT_EQ(verdict(R"({"$contains":4})", "[1,2]"),
            "body: expected an element matching 4, got [1,2]");
}

TEST(ScenarioMatch, ExistsLenNe) {
  EXPECT_EQ(verdict(R"({"driver":{"$exists":false}})", R"({"a":1})"), "");
  EXPECT_EQ(verdict(R"({"driver":{"$exists":false}})", R"({"driver":null})"),
            "body.driver: expected absent, got null");
  EXPECT_EQ(verdict(R"({"a":{"$exists":true}})", "{}"), "body.a: expected present, got (absent)");
  EXPECT_EQ(verdict(R"({"history":{"$len":2}})", R"({"history":[1,2]})"), "");
  EXPECT_EQ(verdict(R"({"$len":{"$gte":3}})", R"("abc")"), "");
  EXPECT_EQ(verdict(R"({"$len":1})", "[1,2]"),
            R"(body: expected {"$len":1}, got [1,2] (length 2))");
  EXPECT_EQ(verdict(R"({"$ne":"DENIED"})", R"("CAUGHT")"), "");
  EXPECT_EQ(verdict(R"({"$ne":"DENIED"})", R"("DENIED")"),
            R"(body: expected {"$ne":"DENIED"}, got "DENIED")");
  const Json absent_ne = j(R"({"$ne":1})");
  EXPECT_TRUE(match(absent_ne, nullptr, "body")) << "every matcher but $exists needs a value";
}

TEST(ScenarioMatch, OrderAndPatterns) {
  EXPECT_EQ(verdict(R"({"$gte":5000,"$lte":20000})", "20000"), "");
  EXPECT_EQ(verdict(R"({"$gte":5000})", "4999.5"), R"(body: expected {"$gte":5000}, got 4999.5)");
  EXPECT_EQ(verdict(R"({"$lte":1})", R"("1")"), R"(body: expected {"$lte":1}, got "1")");
  EXPECT_EQ(verdict(R"({"$match":"^010-[0-9]{4}-"})", R"("010-1234-5678")"), "");
  EXPECT_EQ(verdict(R"({"$match":"^c-"})", R"("x-c-1")"),
            R"(body: expected {"$match":"^c-"}, got "x-c-1")");
  EXPECT_EQ(verdict(R"({"$match":"("})", R"("(")"), R"(body: expected {"$match":"("}, got "(")");
}

TEST(ScenarioMatch, CutsLongJsonOnCharacterBoundaries) {
  EXPECT_EQ(short_json(Json("가나다라"), 4), "\"가…");
  EXPECT_EQ(short_json(j("[1,2]"), 10), "[1,2]");
}

TEST(ScenarioMatchVariables, KeepTheSavedTypeForAWholeString) {
  const Vars vars = {{"callId", Json(7)}, {"mobile", Json("010-1")}, {"ok", Json(true)}};
  EXPECT_EQ(substitute(Json("${callId}"), vars), Json(7));
  EXPECT_EQ(substitute(Json("${ok}"), vars), Json(true));
  EXPECT_EQ(substitute(Json("call ${callId} of ${mobile}"), vars), Json("call 7 of 010-1"));
  EXPECT_EQ(substitute(Json("${callId}${callId}"), vars), Json("77"));
  EXPECT_EQ(substitute(j(R"({"a":["${mobile}",{"b":"${callId}"}],"n":1})"), vars),
            j(R"({"a":["010-1",{"b":7}],"n":1})"));
  EXPECT_THROW((void)substitute(Json("${nope}"), vars), UnsetVariable);
}

TEST(ScenarioMatchVariables, EncodeWhatWouldChangeAPath) {
  const Vars vars = {{"id", Json("a b#c/d")}, {"n", Json(3)}};
  EXPECT_EQ(substitute_text("/calls/${id}?n=${n}", vars, true), "/calls/a%20b%23c/d?n=3");
  EXPECT_EQ(substitute_text("/calls/${id}", vars, false), "/calls/a b#c/d");
}

TEST(ScenarioMatchVariables, FindReferencesAndBadOnes) {
  std::string error;
  std::size_t at = 0;
  auto refs = references("/a/${x}/b/${y_2}", error, at);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].name, "x");
  EXPECT_EQ(refs[0].offset, 3u);
  EXPECT_EQ(refs[1].name, "y_2");
  EXPECT_TRUE(error.empty());
  EXPECT_TRUE(references("$x and $ alone", error, at).empty());
  EXPECT_TRUE(error.empty());
  (void)references("ok ${a} then ${", error, at);
  EXPECT_EQ(error, "'${' is never closed; a variable is written ${name}");
  EXPECT_EQ(at, 13u);
  (void)references("${1x}", error, at);
  EXPECT_EQ(error, "'${1x}' is not a variable name; names are letters, digits and '_'");
}

TEST(ScenarioMatchVariables, FindPaths) {
  const Json body = j(R"({"items":[{"id":"c-1"},{"id":"c-2"}],"n":0})");
  const std::vector<std::string> second = {"items", "1", "id"};
  ASSERT_NE(find_path(body, second), nullptr);
  EXPECT_EQ(*find_path(body, second), Json("c-2"));
  EXPECT_EQ(find_path(body, std::vector<std::string>{"items", "2", "id"}), nullptr);
  EXPECT_EQ(find_path(body, std::vector<std::string>{"n", "x"}), nullptr);
  EXPECT_EQ(*find_path(body, std::vector<std::string>{}), body);
}

}  // namespace
}  // namespace eskit::run
