// Subcommands served by a companion executable installed beside `eskit` (`eskit broker` runs
// `eskit-broker`). The CLI itself stays free of the runtime's heavy dependencies (librdkafka,
// Beast): it only finds the tool and replaces itself with it, so signals, exit status and
// output are the tool's own.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace eskit::cli {

struct ToolOptions {
  std::string executable;            // e.g. "eskit-broker"
  std::string target;                // the CMake target that builds it, for the error message
  std::vector<std::string> leading;  // given to the tool first (`eskit demo` → `eskit-run demo`)
  std::vector<std::string> args;     // everything after the subcommand, passed through untouched
};

// Registers `name` as a pass-through subcommand for `executable`; `leading` arguments come
// before the user's.
void add_tool_command(CLI::App& app, const std::string& name, const std::string& executable,
                      const std::string& description, ToolOptions& options,
                      std::vector<std::string> leading = {});

// Execs the tool; returns only on failure (exit status 2, with the reason on standard error).
int run_tool(const ToolOptions& options);

}  // namespace eskit::cli
