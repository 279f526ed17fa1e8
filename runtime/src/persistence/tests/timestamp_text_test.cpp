#include <gtest/gtest.h>

#include "persistence/timestamp_text.hpp"

namespace eskit::runtime::db::persistence {
namespace {

using namespace std::chrono;

Timestamp at(int y, unsigned m, unsigned d, int h, int mi, int s, int us) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
         microseconds{us};
}

TEST(TimestampText, FormatsFixedWidthUtc) {
  EXPECT_EQ(format_timestamp(at(2024, 2, 29, 23, 59, 58, 7)), "2024-02-29 23:59:58.000007+00:00");
  EXPECT_EQ(format_timestamp(at(1970, 1, 1, 0, 0, 0, 0)), "1970-01-01 00:00:00.000000+00:00");
}

TEST(TimestampText, ReadsWhatBothBackendsPrint) {
  const auto t = at(2024, 5, 6, 7, 8, 9, 120000);
  EXPECT_EQ(parse_timestamp("2024-05-06 07:08:09.12+00"), t);      // PostgreSQL, UTC session
  EXPECT_EQ(parse_timestamp("2024-05-06 07:08:09.120+00:00"), t);  // SQLite strftime('%f')
  EXPECT_EQ(parse_timestamp("2024-05-06T07:08:09.120000Z"), t);
  EXPECT_EQ(parse_timestamp("2024-05-06 09:08:09.12+02"), t);  // offsets are applied
  EXPECT_EQ(parse_timestamp("2024-05-06 07:08:09"), at(2024, 5, 6, 7, 8, 9, 0));
  EXPECT_EQ(parse_timestamp(format_timestamp(t)), t);
}

TEST(TimestampText, RejectsWhatIsNotATimestamp) {
  for (const char* bad : {"", "yesterday", "2024-13-01 00:00:00", "2024-02-30 00:00:00",
                          "2024-01-01", "2024-01-01 00:00:00.", "2024-01-01 00:00:00+0x"}) {
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
  }
}

}  // namespace
}  // namespace eskit::runtime::db::persistence
