#include "config/value_text.hpp"

#include <gtest/gtest.h>

using namespace eskit::runtime::config;
using namespace std::chrono_literals;

namespace {

Value parsed(Type type, std::string_view text) {
  ParsedValue p = parse_value(type, text);
  EXPECT_TRUE(p.value.has_value()) << "text: '" << text << "'";
  return p.value.value_or(Value(std::string("<not parsed>")));
}

bool rejected(Type type, std::string_view text) { return !parse_value(type, text).value; }

}  // namespace

TEST(ValueText, IntegersTakeASignAndSurroundingSpaceButNothingElse) {
  EXPECT_EQ(parsed(Type::integer, "8080"), Value(std::int64_t{8080}));
  EXPECT_EQ(parsed(Type::integer, " -12 "), Value(std::int64_t{-12}));
  EXPECT_EQ(parsed(Type::integer, "+7"), Value(std::int64_t{7}));
  EXPECT_TRUE(rejected(Type::integer, "eighty"));
  EXPECT_TRUE(rejected(Type::integer, "80x"));
  EXPECT_TRUE(rejected(Type::integer, "8.5"));
  EXPECT_TRUE(rejected(Type::integer, ""));
  EXPECT_EQ(parse_value(Type::integer, "99999999999999999999").detail, "out of range");
}

TEST(ValueText, BooleansAreTheUsualWordsInAnyCase) {
  for (const char* t : {"true", "TRUE", "yes", "On", "1"})
    EXPECT_EQ(parsed(Type::boolean, t), Value(true)) << t;
  for (const char* t : {"false", "False", "no", "OFF", "0"})
    EXPECT_EQ(parsed(Type::boolean, t), Value(false)) << t;
  EXPECT_TRUE(rejected(Type::boolean, "maybe"));
  EXPECT_TRUE(rejected(Type::boolean, "2"));
}

TEST(ValueText, NumbersAreFiniteDecimals) {
  EXPECT_EQ(parsed(Type::number, "0.25"), Value(0.25));
  EXPECT_EQ(parsed(Type::number, "-1e3"), Value(-1000.0));
  EXPECT_TRUE(rejected(Type::number, "inf"));
  EXPECT_TRUE(rejected(Type::number, "nan"));
  EXPECT_TRUE(rejected(Type::number, "1,5"));
}

TEST(ValueText, DurationsHaveUnitsAndCombine) {
  EXPECT_EQ(parsed(Type::duration, "500ms"), Value(500ms));
  EXPECT_EQ(parsed(Type::duration, "5s"), Value(5000ms));
  EXPECT_EQ(parsed(Type::duration, "2m"), Value(120'000ms));
  EXPECT_EQ(parsed(Type::duration, "1h"), Value(3'600'000ms));
  EXPECT_EQ(parsed(Type::duration, "1m30s"), Value(90'000ms));
  EXPECT_EQ(parsed(Type::duration, " 0 "), Value(0ms));
  EXPECT_EQ(parse_value(Type::duration, "5").detail, "a unit is missing");
  EXPECT_TRUE(rejected(Type::duration, "5 s"));
  EXPECT_TRUE(rejected(Type::duration, "5d"));
  EXPECT_TRUE(rejected(Type::duration, "-5s"));
  EXPECT_TRUE(rejected(Type::duration, "1.5s"));
  EXPECT_EQ(parse_value(Type::duration, "9999999999999999h").detail, "out of range");
}

TEST(ValueText, ListsAreCommaSeparatedTrimmedAndSkipEmptyItems) {
  EXPECT_EQ(parsed(Type::strings, "Gangnam, Seocho ,Songpa"),
            Value(std::vector<std::string>{"Gangnam", "Seocho", "Songpa"}));
  EXPECT_EQ(parsed(Type::strings, "a,,b,"), Value(std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parsed(Type::strings, ""), Value(std::vector<std::string>{}));
}

TEST(ValueText, StringsKeepTheirSpaces) {
  EXPECT_EQ(parsed(Type::string, "  padded "), Value(std::string("  padded ")));
}

TEST(ValueDisplay, ShowsEachTypeAsItIsWritten) {
  EXPECT_EQ(display(Value(std::string("x"))), "\"x\"");
  EXPECT_EQ(display(Value(std::int64_t{8080})), "8080");
  EXPECT_EQ(display(Value(true)), "true");
  EXPECT_EQ(display(Value(0.25)), "0.25");
  EXPECT_EQ(display(Value(680ms)), "680ms");
  EXPECT_EQ(display(Value(std::chrono::milliseconds(90'000))), "90s");
  EXPECT_EQ(display(Value(std::chrono::milliseconds(300'000))), "5m");
  EXPECT_EQ(display(Value(std::chrono::milliseconds(7'200'000))), "2h");
  EXPECT_EQ(display(Value(0ms)), "0ms");
  EXPECT_EQ(display(Value(std::vector<std::string>{"a", "b"})), "[\"a\", \"b\"]");
}
