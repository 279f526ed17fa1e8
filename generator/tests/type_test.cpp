#include <gtest/gtest.h>

#include "eskit/model/type.hpp"

namespace eskit::model {
namespace {

std::string round_trip(const std::string& text) {
  std::size_t column = 0;
  std::string message;
  auto t = parse_type(text, column, message);
  return t ? (*t)->spelling() : "error at " + std::to_string(column) + ": " + message;
}

TEST(TypeSyntax, PrimitivesListsEnumsNamesAndOptionals) {
  EXPECT_EQ("long", round_trip("long"));
  EXPECT_EQ("list<Money>", round_trip("list< Money >"));
  EXPECT_EQ("list<list<string>>", round_trip("list<list<string>>"));
  EXPECT_EQ("enum[CARD, CASH]", round_trip("enum[CARD,CASH]"));
  EXPECT_EQ("string?", round_trip("string?"));
  EXPECT_EQ("list<datetime>?", round_trip("list<datetime>?"));
  EXPECT_EQ("payment.Money", round_trip("payment.Money"));
}

TEST(TypeSyntax, PrimitiveNamesAreWholeWords) {
  // `longitude` is a type name, not `long` followed by `itude`.
  std::size_t column = 0;
  std::string message;
  auto t = parse_type("longitude", column, message);
  ASSERT_TRUE(t);
  EXPECT_EQ(Type::Kind::named, (*t)->kind);
  auto l = parse_type("listing", column, message);
  ASSERT_TRUE(l);
  EXPECT_EQ(Type::Kind::named, (*l)->kind);
}

// As deep nesting in expressions (found by fuzzing): refused at the list that goes too deep.
TEST(TypeSyntax, NestingIsBounded) {
  auto lists = [](int levels) {
    std::string text;
    for (int i = 0; i < levels; ++i) text += "list<";
    return text + "string" + std::string(static_cast<std::size_t>(levels), '>');
  };
  EXPECT_EQ(round_trip(lists(32)), lists(32));
  EXPECT_EQ(round_trip(lists(5000)), "error at 164: the type nests deeper than 32 lists");
}

TEST(TypeSyntax, ErrorsSayWhereAndWhat) {
  EXPECT_EQ("error at 5: expected a type but found the end in type", round_trip("list<"));
  EXPECT_EQ("error at 9: expected '>' but found the end in type", round_trip("list<long"));
  EXPECT_EQ("error at 5: expected an enum value but found ']' in type", round_trip("enum[]"));
  EXPECT_EQ("error at 5: unexpected 'long' after the type", round_trip("long long"));
  EXPECT_EQ("error at 0: expected a type such as string, long, list<T> or enum[A, B]",
            round_trip("<>"));
}

}  // namespace
}  // namespace eskit::model
