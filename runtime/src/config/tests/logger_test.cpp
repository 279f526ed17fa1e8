#include "eskit/runtime/log/logger.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdio>
#include <latch>
#include <limits>
#include <map>
#include <thread>
#include <vector>

using namespace eskit::runtime::log;

namespace {

class MemorySink final : public Sink {
 public:
  std::vector<std::string> lines;

 private:
  void emit(std::string_view line) override { lines.emplace_back(line); }
};

std::chrono::system_clock::time_point fixed_time() {
  using namespace std::chrono;
  return sys_days{2024y / May / 1} + 9h + 30min + 125ms;
}

}  // namespace

TEST(Logger, WritesOneJsonObjectPerLineWithTheCorrelationId) {
  auto sink = std::make_shared<MemorySink>();
  Logger log("dispatch", Level::info, sink, fixed_time);
  CorrelationScope scope("c-42");
  std::string call_id = "7";
  log.info("call caught", {{"callId", call_id},
                           {"ms", 12},
                           {"ok", true},
                           {"rate", 0.5},
                           {"none", nullptr},
                           {"big", std::numeric_limits<std::uint64_t>::max()},
                           {"low", std::numeric_limits<std::int64_t>::min()}});
  ASSERT_EQ(sink->lines.size(), 1u);
  EXPECT_EQ(
      sink->lines[0],
      R"({"ts":"2024-05-01T09:30:00.125Z","level":"info","service":"dispatch","msg":"call caught",)"
      R"("correlation_id":"c-42","callId":"7","ms":12,"ok":true,"rate":0.5,"none":null,)"
      R"("big":18446744073709551615,"low":-9223372036854775808})");
}

TEST(Logger, WithoutAScopeTheCorrelationIdIsNull) {
  auto sink = std::make_shared<MemorySink>();
  Logger log("dispatch", Level::info, sink, fixed_time);
  log.warn("started");
  ASSERT_EQ(sink->lines.size(), 1u);
  EXPECT_EQ(
      sink->lines[0],
      R"({"ts":"2024-05-01T09:30:00.125Z","level":"warn","service":"dispatch","msg":"started",)"
      R"("correlation_id":null})");
}

TEST(Logger, EverythingTheCallerWritesIsEscaped) {
  auto sink = std::make_shared<MemorySink>();
  Logger log("svc \"x\"", Level::trace, sink, fixed_time);
  CorrelationScope scope("id\nwith newline");
  log.error("line1\nline2 \"quoted\" \\ \x01 강남 \xff", {{"key\"\n", "v\t"}});
  ASSERT_EQ(sink->lines.size(), 1u);
  EXPECT_EQ(sink->lines[0].find('\n'), std::string::npos) << "a line must stay one line";
  boost::json::object o = boost::json::parse(sink->lines[0]).as_object();
  EXPECT_EQ(o.at("service").as_string(), "svc \"x\"");
  EXPECT_EQ(o.at("correlation_id").as_string(), "id\nwith newline");
  EXPECT_EQ(o.at("msg").as_string(), "line1\nline2 \"quoted\" \\ \x01 강남 \xEF\xBF\xBD");
  EXPECT_EQ(o.at("key\"\n").as_string(), "v\t");
}

TEST(Logger, AFieldNamedLikeALineKeyDoesNotDuplicateIt) {
  auto sink = std::make_shared<MemorySink>();
  Logger log("dispatch", Level::info, sink, fixed_time);
  log.info("real", {{"msg", "fake"}, {"level", "fake"}});
  boost::json::object o = boost::json::parse(sink->lines.at(0)).as_object();
  EXPECT_EQ(o.at("msg").as_string(), "real");
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("field.msg").as_string(), "fake");
  EXPECT_EQ(o.at("field.level").as_string(), "fake");
}

TEST(Logger, LevelsBelowTheThresholdAreNotFormattedAtAll) {
  auto sink = std::make_shared<MemorySink>();
  int clock_reads = 0;
  Logger log("dispatch", Level::info, sink, [&] {
    ++clock_reads;
    return fixed_time();
  });
  log.trace("t");
  log.debug("d");
  EXPECT_FALSE(log.enabled(Level::debug));
  EXPECT_EQ(clock_reads, 0) << "a disabled line must not even read the clock";
  log.info("i");
  log.error("e");
  log.set_threshold(Level::debug);
  log.debug("d2");
  log.trace("t2");
  ASSERT_EQ(sink->lines.size(), 3u);
  EXPECT_NE(sink->lines[0].find(R"("msg":"i")"), std::string::npos);
  EXPECT_NE(sink->lines[1].find(R"("level":"error")"), std::string::npos);
  EXPECT_NE(sink->lines[2].find(R"("level":"debug","service":"dispatch","msg":"d2")"),
            std::string::npos);
}

TEST(Level, ParsesWhatASettingWouldHold) {
  EXPECT_EQ(parse_level("INFO"), Level::info);
  EXPECT_EQ(parse_level("warning"), Level::warn);
  EXPECT_EQ(parse_level("Trace"), Level::trace);
  EXPECT_EQ(parse_level("verbose"), std::nullopt);
  EXPECT_EQ(to_string(Level::error), "error");
}

TEST(Logger, LinesFromManyThreadsAndLoggersNeverInterleave) {
  // A real FILE, so the check covers the bytes a log collector would read.
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  auto sink = std::make_shared<FileSink>(file);
  Logger orders("orders", Level::info, sink);
  Logger payments("payments", Level::info, sink);
  constexpr int threads = 8;
  constexpr int per_thread = 500;
  // Long lines: a torn write would show as a line that does not parse.
  const std::string payload(2000, 'x');
  std::latch start(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Logger& log = t % 2 ? orders : payments;
      CorrelationScope scope("thread-" + std::to_string(t));
      start.arrive_and_wait();
      for (int i = 0; i < per_thread; ++i) log.info(payload, {{"thread", t}, {"seq", i}});
    });
  }
  for (auto& w : workers) w.join();

  std::rewind(file);
  std::map<std::int64_t, std::int64_t> next_seq;
  std::string line;
  int lines = 0;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
    if (c != '\n') {
      line += static_cast<char>(c);
      continue;
    }
    ++lines;
    boost::json::object o = boost::json::parse(line).as_object();
    std::int64_t t = o.at("thread").as_int64();
    EXPECT_EQ(o.at("correlation_id").as_string(), "thread-" + std::to_string(t));
    EXPECT_EQ(o.at("service").as_string(), t % 2 ? "orders" : "payments");
    EXPECT_EQ(o.at("seq").as_int64(), next_seq[t]++) << "one thread's lines keep their order";
    line.clear();
  }
  std::fclose(file);
  EXPECT_EQ(line, "") << "the last line ends with a newline";
  EXPECT_EQ(lines, threads * per_thread);
}
