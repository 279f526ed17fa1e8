#include "config/log/json_line.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

using namespace eskit::runtime::log;

namespace {

std::string json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace

TEST(JsonString, QuotesAndBackslashesAreEscaped) {
  EXPECT_EQ(json(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
}

TEST(JsonString, ControlCharactersAreEscaped) {
  EXPECT_EQ(json("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(json(std::string_view("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  // DEL is allowed raw in JSON.
  EXPECT_EQ(json("\x7f"), "\"\x7f\"");
}

TEST(JsonString, ValidUtf8PassesThrough) { EXPECT_EQ(json("강남 café 🚕"), "\"강남 café 🚕\""); }

TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(json("a\xff"
                 "b"),
            "\"a" + fffd + "b\"");                                    // never a lead byte
  EXPECT_EQ(json("\x80"), "\"" + fffd + "\"");                        // stray continuation
  EXPECT_EQ(json("\xC3"), "\"" + fffd + "\"");                        // truncated at the end
  EXPECT_EQ(json("\xC0\xAF"), "\"" + fffd + fffd + "\"");             // overlong '/'
  EXPECT_EQ(json("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");  // a UTF-16 surrogate
  EXPECT_EQ(json("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // beyond U+10FFFF
  // Whatever the bytes, the result is JSON a strict parser accepts.
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  boost::json::value v = boost::json::parse(json(all));
  EXPECT_TRUE(v.is_string());
}

TEST(JsonNumber, ShortestRoundTripAndNullForWhatJsonCannotWrite) {
  std::string out;
  append_json_number(out, 0.1);
  out += ' ';
  append_json_number(out, 12.0);
  out += ' ';
  append_json_number(out, std::numeric_limits<double>::quiet_NaN());
  out += ' ';
  append_json_number(out, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(out, "0.1 12 null null");
}

TEST(Timestamp, IsRfc3339UtcWithMilliseconds) {
  using namespace std::chrono;
  std::string out;
  // 2024-02-29T23:59:59.007Z, a leap day.
  append_timestamp(out, sys_days{2024y / February / 29} + 23h + 59min + 59s + 7ms + 900us);
  EXPECT_EQ(out, "\"2024-02-29T23:59:59.007Z\"");
  out.clear();
  append_timestamp(out, system_clock::time_point{});
  EXPECT_EQ(out, "\"1970-01-01T00:00:00.000Z\"");
}
