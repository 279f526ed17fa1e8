#pragma once
// Where a system's services are built: the CMake build tree whose source directory holds the
// system (by default eskit's own, found from this executable: <build>/bin/eskit-run), and the
// two steps before a run — `eskit generate -q` (rewrites only what changed) and an incremental
// `cmake --build` of the system's service targets.
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "eskit/run/console.hpp"
#include "eskit/run/system_plan.hpp"

namespace eskit::run {

class Process;

struct BuildTree {
  std::filesystem::path binary;  // the build directory
  std::filesystem::path source;  // its CMAKE_HOME_DIRECTORY
};

// The directory of the running executable (/proc/self/exe).
[[nodiscard]] std::filesystem::path own_directory();

// `dir` when it holds a CMakeCache.txt naming its source directory.
[[nodiscard]] std::optional<BuildTree> read_build_tree(const std::filesystem::path& dir);

// The build tree eskit-run itself was built in, when it runs from one.
[[nodiscard]] std::optional<BuildTree> own_build_tree();

// The system's binary directory in `tree` (the same relative path as in the source tree), or
// nullopt when `system_dir` does not lie inside tree.source.
[[nodiscard]] std::optional<std::filesystem::path> system_binary_dir(
    const BuildTree& tree, const std::filesystem::path& system_dir);

// A system outside eskit's source tree is built in a tree of its own, <system>/.eskit/build,
// configured on first use against the eskit package: the build tree eskit-run runs from
// (eskit_DIR), or else the install prefix it lies in. Configures only when `configure` (not
// under --no-build); nullopt, with the reason on the console, when there is no tree.
[[nodiscard]] std::optional<BuildTree> standalone_build_tree(
    const std::filesystem::path& system_dir, bool configure, bool quiet, Console& console);

// The first executable `name` on PATH; empty when there is none.
[[nodiscard]] std::filesystem::path find_on_path(const std::string& name);

// While a step runs, the process a Ctrl-C should stop (its whole process group).
extern std::atomic<Process*> foreground_process;

// Runs the eskit beside this executable: `eskit generate MODEL -q`. True on success; its
// problems go to standard error as they come.
bool generate(const std::filesystem::path& model, Console& console);

// `cmake --build TREE --target T...`: each line of progress through `console` (or, when
// `quiet`, only the whole output when the build fails). True on success.
bool build(const BuildTree& tree, const std::vector<std::string>& targets, bool quiet,
           Console& console);

}  // namespace eskit::run
