#include "tool_command.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace eskit::cli {

void add_tool_command(CLI::App& app, const std::string& name, const std::string& executable,
                      const std::string& description, ToolOptions& options,
                      std::vector<std::string> leading) {
  options.executable = executable;
  options.target = executable;
  for (auto& c : options.target)
    if (c == '-') c = '_';
  options.leading = std::move(leading);
  auto* cmd = app.add_subcommand(name, description);
  // Every argument, including --help, belongs to the tool.
  cmd->prefix_command();
  cmd->set_help_flag();
  cmd->final_callback([cmd, &options] { options.args = cmd->remaining(); });
}

namespace {

namespace fs = std::filesystem;

// Beside the running eskit first (an install or a build tree puts them together), so the
// tool always matches this CLI's version; then PATH.
std::vector<fs::path> candidates(const std::string& executable) {
  std::vector<fs::path> found;
  std::error_code error;
  const auto self = fs::read_symlink("/proc/self/exe", error);
  if (!error) found.push_back(self.parent_path() / executable);
  if (const char* path = std::getenv("PATH")) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':'))
      if (!dir.empty()) found.push_back(fs::path(dir) / executable);
  }
  return found;
}

}  // namespace

int run_tool(const ToolOptions& options) {
  const auto places = candidates(options.executable);
  for (const auto& candidate : places) {
    if (::access(candidate.c_str(), X_OK) != 0) continue;
    std::vector<char*> argv;
    std::string program = candidate.string();
    argv.push_back(program.data());
    std::vector<std::string> args = options.leading;
    args.insert(args.end(), options.args.begin(), options.args.end());
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    std::cerr << "eskit: error: cannot run " << program << ": " << std::strerror(errno) << '\n';
    return 2;
  }
  std::cerr << "eskit: error: '" << options.executable
            << "' was not found beside eskit or on PATH; install it with eskit (it is built "
               "with the runtime, target "
            << options.target << ")\n";
  return 2;
}

}  // namespace eskit::cli
