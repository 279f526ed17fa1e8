// Where log lines go: stdout in a service (the container runtime collects it), memory in tests.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string_view>

namespace eskit::runtime::log {

/// Receives whole lines (without the newline). `write` serializes calls, so lines from many
/// threads and many loggers sharing a sink never interleave, and an implementation of
/// `emit` needs no locking of its own.
class Sink {
 public:
  virtual ~Sink() = default;
  void write(std::string_view line) {
    std::lock_guard lock(mutex_);
    emit(line);
  }

 private:
  virtual void emit(std::string_view line) = 0;
  std::mutex mutex_;
};

/// Writes each line and its newline to `file` with one fwrite, flushed, so a line is never
/// split even by other code writing to the same FILE.
class FileSink final : public Sink {
 public:
  explicit FileSink(std::FILE* file) : file_(file) {}

 private:
  void emit(std::string_view line) override;
  std::FILE* file_;
};

/// The process-wide sink over stdout.
std::shared_ptr<Sink> stdout_sink();

}  // namespace eskit::runtime::log
