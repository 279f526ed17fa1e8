#include "build_tree.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "process.hpp"

namespace eskit::run {

namespace fs = std::filesystem;

std::atomic<Process*> foreground_process{nullptr};

namespace {

// Runs a step to its end; a Ctrl-C meanwhile reaches it through foreground_process.
int run_step(ProcessOptions options) {
  Process process(std::move(options));
  foreground_process = &process;
  while (!process.wait_for_exit(std::chrono::seconds(1))) {
  }
  foreground_process = nullptr;
  const int status = *process.wait_status();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

fs::path own_directory() {
  std::error_code error;
  const auto self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : self.parent_path();
}

std::optional<BuildTree> read_build_tree(const fs::path& dir) {
  std::ifstream cache(dir / "CMakeCache.txt");
  if (!cache) return std::nullopt;
  static const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
  std::string line;
  while (std::getline(cache, line)) {
    if (line.rfind(key, 0) == 0) {
      std::error_code error;
      return BuildTree{fs::weakly_canonical(dir, error), fs::path(line.substr(key.size()))};
    }
  }
  return std::nullopt;
}

std::optional<BuildTree> own_build_tree() {
  const auto bin = own_directory();
  if (bin.empty()) return std::nullopt;
  return read_build_tree(bin.parent_path());
}

std::optional<fs::path> system_binary_dir(const BuildTree& tree, const fs::path& system_dir) {
  std::error_code error;
  const auto relative = fs::weakly_canonical(system_dir, error)
                            .lexically_relative(fs::weakly_canonical(tree.source, error));
  if (error || relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative == "." ? tree.binary : tree.binary / relative;
}

fs::path find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const auto candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

bool generate(const fs::path& model, Console& console) {
  const auto eskit = own_directory() / "eskit";
  if (::access(eskit.c_str(), X_OK) != 0) {
    console.error("eskit-run: error: " + eskit.string() +
                  " not found; eskit-run generates with the eskit beside it (or pass --no-build)");
    return false;
  }
  ProcessOptions o;
  o.program = eskit;
  o.args = {"generate", model.string(), "-q"};
  o.on_line = [&console](std::string_view line) { console.error(line); };
  return run_step(std::move(o)) == 0;
}

namespace {

// `cmake ARGS`, its lines through `console` prefixed by "build | " (or, when `quiet`, kept and
// shown only when it fails). True on success.
bool run_cmake(std::vector<std::string> args, bool quiet, Console& console) {
  const auto cmake = find_on_path("cmake");
  if (cmake.empty()) {
    console.error("eskit-run: error: cmake is not on PATH (scripts/setup installs it)");
    return false;
  }
  ProcessOptions o;
  o.program = cmake;
  o.args = std::move(args);
  std::vector<std::string> output;
  if (quiet)
    o.on_line = [&output](std::string_view line) { output.emplace_back(line); };
  else
    o.on_line = [&console](std::string_view line) { console.note("build | " + std::string(line)); };
  const int status = run_step(std::move(o));
  if (status != 0)
    for (const auto& line : output) console.note("build | " + line);
  return status == 0;
}

}  // namespace

std::optional<BuildTree> standalone_build_tree(const fs::path& system_dir, bool configure,
                                               bool quiet, Console& console) {
  std::error_code error;
  const auto dir = fs::weakly_canonical(system_dir, error) / ".eskit" / "build";
  if (auto tree = read_build_tree(dir)) return tree;  // configured by an earlier run
  if (!configure) {
    console.error("eskit-run: error: " + system_dir.string() +
                  " lies outside eskit's source tree and has no build in " + dir.string() +
                  " yet; run without --no-build");
    return std::nullopt;
  }
  // Only the services: a system's tests are built and run by its own ctest.
  std::vector<std::string> args{"-S", system_dir.string(), "-B", dir.string(),
                                "-DBUILD_TESTING=OFF"};
  if (!find_on_path("ninja").empty()) args.insert(args.end(), {"-G", "Ninja"});
  if (!find_on_path("ccache").empty()) args.emplace_back("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache");
  if (const auto own = own_build_tree())
    args.emplace_back("-Deskit_DIR=" + own->binary.string());
  else
    args.emplace_back("-DCMAKE_PREFIX_PATH=" + own_directory().parent_path().string());
  if (!quiet) console.note("configuring " + dir.string());
  if (!run_cmake(std::move(args), quiet, console)) {
    fs::remove_all(dir, error);  // half-configured: the next run starts over, not from it
    return std::nullopt;
  }
  return read_build_tree(dir);
}

bool build(const BuildTree& tree, const std::vector<std::string>& targets, bool quiet,
           Console& console) {
  std::vector<std::string> args{"--build", tree.binary.string(), "--target"};
  args.insert(args.end(), targets.begin(), targets.end());
  return run_cmake(std::move(args), quiet, console);
}

}  // namespace eskit::run
