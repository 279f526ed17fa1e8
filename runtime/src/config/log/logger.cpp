#include "eskit/runtime/log/logger.hpp"

#include <array>

#include "config/log/json_line.hpp"

namespace eskit::runtime::log {

namespace {

constexpr std::array<std::string_view, 5> line_keys = {"ts", "level", "service", "msg",
                                                       "correlation_id"};

void append_key(std::string& out, std::string_view key) {
  out += ',';
  append_json_string(out, key);
  out += ':';
}

void append_value(std::string& out, const Field::Value& value) {
  struct Visitor {
    std::string& out;
    void operator()(std::string_view s) const { append_json_string(out, s); }
    void operator()(std::int64_t i) const { out += std::to_string(i); }
    void operator()(std::uint64_t u) const { out += std::to_string(u); }
    void operator()(double d) const { append_json_number(out, d); }
    void operator()(bool b) const { out += b ? "true" : "false"; }
    void operator()(std::nullptr_t) const { out += "null"; }
  };
  std::visit(Visitor{out}, value);
}

}  // namespace

Logger::Logger(std::string service, Level threshold, std::shared_ptr<Sink> sink, Clock clock)
    : service_(std::move(service)),
      threshold_(threshold),
      sink_(std::move(sink)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

void Logger::write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  // Reused per thread: a steady service logs without allocating.
  thread_local std::string line;
  line.clear();
  line += "{\"ts\":";
  append_timestamp(line, clock_());
  append_key(line, "level");
  append_json_string(line, to_string(level));
  append_key(line, "service");
  append_json_string(line, service_);
  append_key(line, "msg");
  append_json_string(line, msg);
  append_key(line, "correlation_id");
  std::string_view correlation = current_correlation_id();
  if (correlation.empty()) {
    line += "null";
  } else {
    append_json_string(line, correlation);
  }
  for (const Field& f : fields) {
    bool taken = false;
    for (std::string_view k : line_keys) taken = taken || k == f.key();
    if (taken) {
      append_key(line, "field." + std::string(f.key()));
    } else {
      append_key(line, f.key());
    }
    append_value(line, f.value());
  }
  line += '}';
  sink_->write(line);
}

}  // namespace eskit::runtime::log
