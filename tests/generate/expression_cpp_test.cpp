// The model's expressions as C++: each operator family, enum words on either side and as
// targets, optionals, lists from the configuration, functions, and precedence kept by
// parentheses.
#include "expression_cpp.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace eskit::generate {
namespace {

model::TypePtr primitive(model::Primitive p) {
  auto t = std::make_shared<model::Type>();
  t->primitive = p;
  return t;
}

model::TypePtr list_of(model::TypePtr element) {
  auto t = std::make_shared<model::Type>();
  t->kind = model::Type::Kind::list;
  t->element = std::move(element);
  return t;
}

model::TypePtr named(std::string name) {
  auto t = std::make_shared<model::Type>();
  t->kind = model::Type::Kind::named;
  t->name = std::move(name);
  return t;
}

/// A command's scope as the generator builds it: input, the aggregate, the configuration.
ExprScope scope() {
  using model::Primitive;
  ExprScope s;
  s.groups.push_back(
      {"input",
       true,
       {{"payAmount", primitive(Primitive::int32), false, "command.pay_amount", ""},
        {"location", primitive(Primitive::string), false, "command.location", ""},
        {"payType", named("PayType"), false, "command.pay_type", "PayType"},
        {"note", primitive(Primitive::string), true, "command.note", ""},
        {"places", list_of(primitive(Primitive::string)), false, "command.places", ""},
        {"password", primitive(Primitive::string), false, "command.password", ""}}});
  s.groups.push_back({"this",
                      true,
                      {{"status", named("CallerStatus"), false, "state.status", "CallerStatus"},
                       {"password", primitive(Primitive::string), false, "state.password", ""},
                       {"rating", primitive(Primitive::int32), false, "state.rating", ""}}});
  s.groups.push_back({"config",
                      false,
                      {{"serviceArea", list_of(primitive(Primitive::string)), false,
                        "settings.service_area", ""}}});
  return s;
}

std::string cpp(const std::string& text, const std::string& target_enum = "") {
  std::size_t column = 0;
  std::string message;
  auto tree = model::parse_expression(text, column, message);
  if (!tree) throw std::invalid_argument(text + ": " + message);
  model::Expression e;
  e.source = text;
  e.tree = *tree;
  return expression_cpp(e, scope(), target_enum);
}

TEST(ExpressionCpp, NamesBecomeMembersAndOperatorsCpp) {
  EXPECT_EQ(cpp("payAmount >= 5000"), "command.pay_amount >= 5000");
  EXPECT_EQ(cpp("rating >= 1 and rating <= 5"), "(state.rating >= 1) && (state.rating <= 5)");
  EXPECT_EQ(cpp("payAmount * 2 + 1 > 10"), "((command.pay_amount * 2) + 1) > 10");
  EXPECT_EQ(cpp("this.password == input.password"), "state.password == command.password");
}

TEST(ExpressionCpp, InputIsFoundBeforeTheAggregate) {
  EXPECT_EQ(cpp("password == 'x'"), "command.password == \"x\"");
}

TEST(ExpressionCpp, PrecedenceIsKeptByParentheses) {
  EXPECT_EQ(cpp("not (payAmount > 1 or payAmount < 0) and rating == 3"),
            "!((command.pay_amount > 1) || (command.pay_amount < 0)) && (state.rating == 3)");
}

TEST(ExpressionCpp, BareWordsAreEnumValuesOfTheOtherSide) {
  EXPECT_EQ(cpp("status == CREATED"), "state.status == CallerStatus::kCreated");
  EXPECT_EQ(cpp("IN_PROGRESS != status"), "CallerStatus::kInProgress != state.status");
  EXPECT_EQ(cpp("status == 'CREATED'"), "state.status == CallerStatus::kCreated");
  EXPECT_EQ(cpp("payType in [CARD, CASH]"),
            "command.pay_type == PayType::kCard || command.pay_type == PayType::kCash");
  EXPECT_EQ(cpp("payType not in [CARD]"), "command.pay_type != PayType::kCard");
}

TEST(ExpressionCpp, ATargetEnumNamesBareWordsAndTextLiterals) {
  EXPECT_EQ(cpp("PAID", "CallerStatus"), "CallerStatus::kPaid");
  EXPECT_EQ(cpp("'PAID'", "CallerStatus"), "CallerStatus::kPaid");
}

TEST(ExpressionCpp, MembershipOfAConfiguredListSearchesIt) {
  EXPECT_EQ(cpp("location in config.serviceArea"),
            "std::find(settings.service_area.begin(), settings.service_area.end(), "
            "command.location) != settings.service_area.end()");
  EXPECT_EQ(cpp("location not in config.serviceArea"),
            "std::find(settings.service_area.begin(), settings.service_area.end(), "
            "command.location) == settings.service_area.end()");
}

TEST(ExpressionCpp, OptionalsAreTestedForNullAndUnwrappedForValues) {
  EXPECT_EQ(cpp("note == null"), "!command.note.has_value()");
  EXPECT_EQ(cpp("note != null"), "command.note.has_value()");
  EXPECT_EQ(cpp("note == 'hi'"), "command.note.value() == \"hi\"");
}

TEST(ExpressionCpp, Functions) {
  EXPECT_EQ(cpp("size(places) > 0"), "static_cast<std::int64_t>(command.places.size()) > 0");
  EXPECT_EQ(cpp("now()"), "eskit::runtime::text::now_iso8601()");
}

TEST(ExpressionCpp, TextLiteralsAreEscaped) {
  EXPECT_EQ(cpp(R"(location == 'say "hi" \\ there')"),
            R"(command.location == "say \"hi\" \\ there")");
}

TEST(ExpressionCpp, WhatCannotBeTranslatedIsALogicErrorNamingTheExpression) {
  try {
    (void)cpp("nobody == 1");
    FAIL() << "a bare word compared with a number has no enum to belong to";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("nobody == 1"), std::string::npos) << error.what();
  }
  EXPECT_THROW((void)cpp("input.missing > 1"), std::logic_error);
}

}  // namespace
}  // namespace eskit::generate
