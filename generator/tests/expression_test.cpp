#include <gtest/gtest.h>

#include "eskit/model/expr.hpp"

namespace eskit::model {
namespace {

ExprPtr parse_ok(const std::string& text) {
  std::size_t column = 0;
  std::string message;
  auto e = parse_expression(text, column, message);
  EXPECT_TRUE(e.has_value()) << text << ": " << message << " at " << column;
  return e ? *e : nullptr;
}

// Renders a tree fully parenthesised, so a test can see precedence and associativity.
std::string show(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::literal_int:
    case Expr::Kind::literal_float:
      return e.text;
    case Expr::Kind::literal_string:
      return "'" + e.text + "'";
    case Expr::Kind::literal_bool:
      return e.boolean ? "true" : "false";
    case Expr::Kind::literal_null:
      return "null";
    case Expr::Kind::list: {
      std::string out = "[";
      for (std::size_t i = 0; i < e.operands.size(); ++i)
        out += (i ? ", " : "") + show(*e.operands[i]);
      return out + "]";
    }
    case Expr::Kind::path: {
      std::string out;
      for (std::size_t i = 0; i < e.path.size(); ++i) out += (i ? "." : "") + e.path[i];
      return out;
    }
    case Expr::Kind::call: {
      std::string out = e.text + "(";
      for (std::size_t i = 0; i < e.operands.size(); ++i)
        out += (i ? ", " : "") + show(*e.operands[i]);
      return out + ")";
    }
    case Expr::Kind::unary:
      return std::string(e.unary == UnaryOp::not_ ? "(not " : "(-") + show(*e.operands[0]) + ")";
    case Expr::Kind::binary:
      return "(" + show(*e.operands[0]) + " " + spelling(e.binary) + " " + show(*e.operands[1]) +
             ")";
  }
  return "?";
}

TEST(Expression, PrecedenceFollowsTheUsualRules) {
  EXPECT_EQ("((payAmount >= 5000) and (status == CREATED))",
            show(*parse_ok("payAmount >= 5000 and status == CREATED")));
  EXPECT_EQ("((a or (b and c)) or d)", show(*parse_ok("a or b and c or d")));
  EXPECT_EQ("((a + (b * c)) - d)", show(*parse_ok("a + b * c - d")));
  EXPECT_EQ("(not (a == b))", show(*parse_ok("not a == b")));
  EXPECT_EQ("((-a) < 3)", show(*parse_ok("-a < 3")));
  EXPECT_EQ("((a + b) * c)", show(*parse_ok("(a + b) * c")));
}

TEST(Expression, MembershipListsPathsAndCalls) {
  EXPECT_EQ("(pickupLocation in config.serviceArea)",
            show(*parse_ok("pickupLocation in config.serviceArea")));
  EXPECT_EQ("(status not in [PAID, CAUGHT])", show(*parse_ok("status not in [PAID, CAUGHT]")));
  EXPECT_EQ("(size(items) > 0)", show(*parse_ok("size(items) > 0")));
  EXPECT_EQ("now()", show(*parse_ok("now()")));
  EXPECT_EQ("[]", show(*parse_ok("[]")));
}

TEST(Expression, LiteralsKeepTheirText) {
  EXPECT_EQ("a 'quoted' word", parse_ok(R"('a \'quoted\' word')")->text);
  EXPECT_EQ("'double'", show(*parse_ok("\"double\"")));
  EXPECT_EQ("3.25", show(*parse_ok("3.25")));
  EXPECT_EQ("(true and (not false))", show(*parse_ok("true and not false")));
  EXPECT_EQ("(x == null)", show(*parse_ok("x == null")));
}

TEST(Expression, KeywordsAreWholeWords) {
  // `android` and `order_in` are names, not `and` / `in` followed by something.
  EXPECT_EQ("(android == inbox)", show(*parse_ok("android == inbox")));
  EXPECT_EQ("(notable or orbit)", show(*parse_ok("notable or orbit")));
}

TEST(Expression, OffsetsPointAtOperators) {
  auto e = parse_ok("amount   >= 5000");
  ASSERT_TRUE(e);
  EXPECT_EQ(9u, e->offset);  // the `>=`
  EXPECT_EQ(0u, e->operands[0]->offset);
  EXPECT_EQ(12u, e->operands[1]->offset);
}

struct BadExpression {
  std::string text;
  std::size_t column;
  std::string message;
};

class ExpressionErrors : public testing::TestWithParam<BadExpression> {};

TEST_P(ExpressionErrors, ReportPositionAndReason) {
  std::size_t column = 999;
  std::string message;
  auto e = parse_expression(GetParam().text, column, message);
  EXPECT_FALSE(e.has_value());
  EXPECT_EQ(GetParam().column, column) << GetParam().text;
  EXPECT_EQ(GetParam().message, message) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, ExpressionErrors,
    testing::Values(
        BadExpression{"", 0, "expected an expression"},
        BadExpression{"a and", 5, "expected expression but found the end of the expression"},
        BadExpression{"(a == b", 7, "expected ')' but found the end of the expression"},
        BadExpression{"a == 'open", 5, "text opened with ' is never closed"},
        BadExpression{"a b", 2, "unexpected 'b' in expression"},
        BadExpression{"a ==", 4, "expected expression but found the end of the expression"},
        BadExpression{"[1, 2", 5, "expected ']' but found the end of the expression"}));

// Found by fuzzing (tests/fuzz/expression_parser/): a thousand parentheses overflowed the
// stack. Deep nesting is refused where it goes too deep; 64 levels still parse.
TEST(Expression, NestingIsBoundedWithAnErrorWhereItGoesTooDeep) {
  auto nested = [](int levels) {
    return std::string(static_cast<std::size_t>(levels), '(') + "a" +
           std::string(static_cast<std::size_t>(levels), ')');
  };
  parse_ok(nested(64));
  const std::string too_deep =
      "the expression nests deeper than 64 levels of parentheses, "
      "brackets, 'not' and '-'";
  for (const std::string& text :
       {nested(1000), "x == " + nested(65), "[" + std::string(999, '[') + std::string(1000, ']'),
        [] {
          std::string s;
          for (int i = 0; i < 1000; ++i) s += "not ";
          return s + "a";
        }(),
        std::string(1000, '-') + "a"}) {
    std::size_t column = 999'999;
    std::string message;
    EXPECT_FALSE(parse_expression(text, column, message).has_value()) << text.substr(0, 20);
    EXPECT_EQ(message, too_deep) << text.substr(0, 20);
    EXPECT_LT(column, text.size()) << text.substr(0, 20);
  }
}

TEST(Duration, UnitsAndRejections) {
  EXPECT_EQ(680, parse_duration_ms("680ms"));
  EXPECT_EQ(5000, parse_duration_ms("5s"));
  EXPECT_EQ(120000, parse_duration_ms("2m"));
  EXPECT_EQ(3600000, parse_duration_ms("1h"));
  EXPECT_FALSE(parse_duration_ms("5"));
  EXPECT_FALSE(parse_duration_ms("5sec"));
  EXPECT_FALSE(parse_duration_ms("-5s"));
  EXPECT_FALSE(parse_duration_ms("s"));
  EXPECT_FALSE(parse_duration_ms("99999999999999999999s"));
}

}  // namespace
}  // namespace eskit::model
