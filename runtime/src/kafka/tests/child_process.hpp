#pragma once
// Child processes for the cross-checks (kcat, eskit-broker): spawn with pipes, wait with a
// deadline, never hang the test run.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace eskit::runtime::kafka::testing {

struct ProcessResult {
  int exit_status = -1;  // exit code, or -1 if killed / timed out
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Finds an executable on PATH.
std::optional<std::string> find_program(const std::string& name);

// Runs argv to completion, feeding input on stdin; kills it at the deadline.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::steady_clock::time_point deadline);

// A long-running child; killed on destruction if still running. `extra_environment`
// ("NAME=value") comes before the parent's environment, so it wins; stdout and stderr go to
// `output_file` when given, else they are inherited.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv,
                        const std::vector<std::string>& extra_environment = {},
                        const std::string& output_file = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void signal(int number) const;
  // Exit status (code, or 128 + signal when killed by one), nullopt if still running at deadline.
  std::optional<int> wait(std::chrono::steady_clock::time_point deadline);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

}  // namespace eskit::runtime::kafka::testing
