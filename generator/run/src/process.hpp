#pragma once
// One child process with its standard output and error captured line by line: each line goes
// to an optional log file, to a short in-memory tail (for error reports) and to a callback.
//
// Children run in their own process group, so a Ctrl-C in the terminal reaches eskit-run only
// and it stops them in order; and they get SIGTERM when eskit-run dies (PR_SET_PDEATHSIG), so
// a crashed or killed supervisor leaves no service behind holding ports.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace eskit::run {

struct ProcessOptions {
  std::filesystem::path program;
  std::vector<std::string> args;
  // Added to (or replacing in) eskit-run's own environment.
  std::map<std::string, std::string> environment;
  std::filesystem::path log_file;  // empty: none; appended to otherwise
  std::function<void(std::string_view line)> on_line;
  // Called on the reader thread once the process has exited and been reaped.
  std::function<void(int wait_status, const std::vector<std::string>& tail)> on_exit;
  std::size_t tail_lines = 40;
};

class Process {
 public:
  // Throws std::system_error when the program cannot be started.
  explicit Process(ProcessOptions options);
  // SIGKILL if still running, then waits for it.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  void signal(int number) const;        // to the process
  void signal_group(int number) const;  // to its process group (a build and its compilers)
  // True once exited within `timeout`.
  bool wait_for_exit(std::chrono::milliseconds timeout);
  [[nodiscard]] bool exited() const;
  [[nodiscard]] std::optional<int> wait_status() const;
  [[nodiscard]] std::vector<std::string> tail() const;

 private:
  void read_output(int fd);

  ProcessOptions options_;
  pid_t pid_ = -1;
  std::ofstream log_;
  mutable std::mutex mutex_;
  std::condition_variable exited_cv_;
  std::optional<int> status_;
  std::deque<std::string> tail_;
  std::thread reader_;
};

// "exited with status 3", "killed by SIGKILL".
[[nodiscard]] std::string describe_wait_status(int wait_status);

}  // namespace eskit::run
