// `eskit run` and `eskit demo` as a user types them: through the eskit CLI, which execs
// eskit-run; help and the errors that stop before anything starts.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>
#include <tuple>

namespace {

struct Result {
  int status = -1;
  std::string output;  // stdout and stderr
};

Result run(const std::string& command) {
  Result result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    result.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

const std::string eskit = ESKIT_CLI;

TEST(RunCli, HelpListsTheOptions) {
  const auto help = run(eskit + " run --help");
  EXPECT_EQ(0, help.status) << help.output;
  for (const char* option : {"--build-dir", "--no-build", "--state-dir", "--postgres", "--scenario",
                             "--port", "--quiet"})
    EXPECT_NE(std::string::npos, help.output.find(option)) << option << '\n' << help.output;
  const auto demo = run(eskit + " demo --help");
  EXPECT_EQ(0, demo.status) << demo.output;
  EXPECT_NE(std::string::npos, demo.output.find("demo.yaml")) << demo.output;
}

TEST(RunCli, AMissingModelIsAUsageError) {
  const auto missing = run(eskit + " run /nonexistent/system");
  EXPECT_EQ(2, missing.status) << missing.output;
  EXPECT_NE(std::string::npos,
            missing.output.find("/nonexistent/system: no such file or directory"))
      << missing.output;
  const auto usage = run(std::string(ESKIT_RUN) + " run");
  EXPECT_EQ(2, usage.status) << usage.output;
}

TEST(RunCli, ABrokenModelIsReportedWithItsPosition) {
  const std::string dir = ::testing::TempDir() + "eskit-run-broken-" + std::to_string(::getpid());
  std::ignore = run("mkdir -p " + dir + " && printf 'model: m\\nversion: 1\\ncontexts: 7\\n' > " +
                    dir + "/model.yaml");
  const auto broken = run(eskit + " run " + dir);
  EXPECT_EQ(2, broken.status) << broken.output;
  EXPECT_NE(std::string::npos, broken.output.find(dir + "/model.yaml:3:")) << broken.output;
  EXPECT_NE(std::string::npos, broken.output.find("not started")) << broken.output;
  std::ignore = run("rm -rf " + dir);
}

}  // namespace
