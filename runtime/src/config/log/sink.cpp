#include "eskit/runtime/log/sink.hpp"

#include <string>

namespace eskit::runtime::log {

void FileSink::emit(std::string_view line) {
  // One fwrite per line: stdio locks the FILE for the call, so a line stays whole even
  // beside code that prints to stdout without this sink.
  std::string whole;
  whole.reserve(line.size() + 1);
  whole.append(line);
  whole += '\n';
  std::fwrite(whole.data(), 1, whole.size(), file_);
  // A container's stdout is a pipe: without a flush, lines sit in the buffer until exit or
  // crash, which is when they are needed most.
  std::fflush(file_);
}

std::shared_ptr<Sink> stdout_sink() {
  static const auto sink = std::make_shared<FileSink>(stdout);
  return sink;
}

}  // namespace eskit::runtime::log
