// Structured logs: one JSON object per line with ts, level, service, msg, correlation_id and
// the caller's fields:
//   {"ts":"2024-05-01T09:30:00.125Z","level":"info","service":"dispatch","msg":"call caught",
//    "correlation_id":"c-42","callId":"7"}
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/log/correlation.hpp"
#include "eskit/runtime/log/field.hpp"
#include "eskit/runtime/log/level.hpp"
#include "eskit/runtime/log/sink.hpp"

namespace eskit::runtime::log {

/// Thread-safe. A disabled level costs one relaxed atomic load; arguments are still
/// evaluated, so guard an expensive one with `if (logger.enabled(Level::debug))`.
///
/// A field whose key is one of the line's own keys (ts, level, service, msg,
/// correlation_id) is written as "field.<key>": a JSON object with a key twice is read
/// differently by every log pipeline.
class Logger {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  explicit Logger(std::string service, Level threshold = Level::info,
                  std::shared_ptr<Sink> sink = stdout_sink(), Clock clock = {});

  bool enabled(Level level) const noexcept {
    return level >= threshold_.load(std::memory_order_relaxed);
  }
  void set_threshold(Level level) noexcept { threshold_.store(level, std::memory_order_relaxed); }

  void log(Level level, std::string_view msg, std::initializer_list<Field> fields = {}) {
    if (enabled(level)) write(level, msg, fields);
  }
  void trace(std::string_view msg, std::initializer_list<Field> fields = {}) {
    log(Level::trace, msg, fields);
  }
  void debug(std::string_view msg, std::initializer_list<Field> fields = {}) {
    log(Level::debug, msg, fields);
  }
  void info(std::string_view msg, std::initializer_list<Field> fields = {}) {
    log(Level::info, msg, fields);
  }
  void warn(std::string_view msg, std::initializer_list<Field> fields = {}) {
    log(Level::warn, msg, fields);
  }
  void error(std::string_view msg, std::initializer_list<Field> fields = {}) {
    log(Level::error, msg, fields);
  }

 private:
  void write(Level level, std::string_view msg, std::initializer_list<Field> fields);

  std::string service_;
  std::atomic<Level> threshold_;
  std::shared_ptr<Sink> sink_;
  Clock clock_;
};

}  // namespace eskit::runtime::log
