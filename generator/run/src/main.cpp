// eskit-run: a generated system as local processes (`eskit run`, `eskit demo`; docs/run.md).
// Exit status: 0 stopped cleanly or every scenario held, 1 a scenario step failed, 2 the
// command line, the model, a scenario file, the build or the system's start-up failed.
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>
#include <variant>

#include "build_tree.hpp"
#include "eskit/model/load.hpp"
#include "eskit/run/scenario.hpp"
#include "eskit/run/supervisor.hpp"
#include "process.hpp"
#include "state_dir.hpp"

namespace {

namespace fs = std::filesystem;
using eskit::run::Console;
using eskit::run::Supervisor;

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;

struct Options {
  std::string system;
  std::string build_dir;
  bool no_build = false;
  std::string state_dir;
  bool postgres = false;
  std::vector<std::string> scenarios;
  std::optional<int> port;
  bool quiet = false;
};

// What the signal thread and the main thread share.
struct Stop {
  std::mutex mutex;
  std::condition_variable cv;
  bool requested = false;
  int signals = 0;
  Supervisor* supervisor = nullptr;
};
Stop stop_state;

// Ctrl-C once: stop in order (start-up waits give up at once). Twice: SIGKILL everything.
void watch_signals(sigset_t set) {
  for (;;) {
    int received = 0;
    if (sigwait(&set, &received) != 0) continue;
    std::unique_lock lock(stop_state.mutex);
    ++stop_state.signals;
    stop_state.requested = true;
    if (auto* p = eskit::run::foreground_process.load()) p->signal_group(SIGTERM);
    if (stop_state.supervisor != nullptr) {
      if (stop_state.signals == 1) {
        stop_state.supervisor->interrupt();
      } else {
        stop_state.supervisor->kill_all();
        std::_Exit(130);
      }
    }
    stop_state.cv.notify_all();
  }
}

bool stop_requested() {
  std::lock_guard lock(stop_state.mutex);
  return stop_state.requested;
}

struct System {
  fs::path model_file;
  fs::path dir;
  eskit::run::SystemPlan plan;
};

// The model, checked, as a plan; nullopt (with the reasons printed) when it cannot run.
std::optional<System> load_system(const std::string& argument) {
  System system;
  const fs::path given(argument);
  std::error_code error;
  if (!fs::exists(given, error)) {
    std::cerr << "eskit run: error: " << argument
              << ": no such file or directory; give a system directory (with model.yaml) or a "
                 "model file\n";
    return std::nullopt;
  }
  system.model_file = fs::is_directory(given, error) ? given / "model.yaml" : given;
  if (!fs::exists(system.model_file, error)) {
    std::cerr << "eskit run: error: " << system.model_file.string()
              << ": no such file; a system directory holds its model.yaml\n";
    return std::nullopt;
  }
  system.dir =
      system.model_file.parent_path().empty() ? fs::path(".") : system.model_file.parent_path();
  auto source = eskit::model::read_source(system.model_file.string());
  if (auto* failure = std::get_if<eskit::model::ReadFailure>(&source)) {
    std::cerr << failure->message << '\n';
    return std::nullopt;
  }
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(std::get<0>(source), diagnostics);
  eskit::model::render(std::cerr, diagnostics.all(), eskit::model::ErrorFormat::text, false);
  if (diagnostics.has_errors() || !model) {
    std::cerr << system.model_file.string() << ": not started: fix the errors above first\n";
    return std::nullopt;
  }
  try {
    system.plan = eskit::run::plan_system(*model);
  } catch (const eskit::run::PlanError& e) {
    std::cerr << system.model_file.string() << ": error: " << e.what() << '\n';
    return std::nullopt;
  }
  return system;
}

// Generates and builds unless told not to, then points every context at its executable.
bool prepare_binaries(System& system, const Options& options, bool quiet, Console& console) {
  // First: a system outside eskit's source tree has no CMakeLists.txt to configure until then.
  if (!options.no_build) {
    if (!quiet) console.note("generating " + system.model_file.string());
    if (!eskit::run::generate(system.model_file, console)) {
      console.error("eskit run: error: eskit generate failed (above)");
      return false;
    }
  }
  std::optional<eskit::run::BuildTree> tree;
  std::optional<fs::path> binary_dir;
  if (!options.build_dir.empty()) {
    tree = eskit::run::read_build_tree(options.build_dir);
    if (!tree) {
      console.error("eskit run: error: " + options.build_dir +
                    " is not a CMake build directory (no CMakeCache.txt)");
      return false;
    }
    binary_dir = eskit::run::system_binary_dir(*tree, system.dir);
    if (!binary_dir) {
      console.error("eskit run: error: " + system.dir.string() + " lies outside " +
                    tree->source.string() + ", the source tree of the build in " +
                    tree->binary.string() + "; leave out --build-dir and eskit run builds it in " +
                    (system.dir / ".eskit" / "build").string());
      return false;
    }
  } else {
    tree = eskit::run::own_build_tree();
    if (tree) binary_dir = eskit::run::system_binary_dir(*tree, system.dir);
    if (!binary_dir) {
      // Outside eskit's source tree, or eskit is installed: the system's own build.
      tree = eskit::run::standalone_build_tree(system.dir, !options.no_build, quiet, console);
      if (!tree) return false;
      binary_dir = tree->binary;
    }
  }
  if (!fs::is_directory(*binary_dir)) {
    console.error("eskit run: error: " + system.dir.string() +
                  " is inside the source tree but not part of the build in " +
                  tree->binary.string() + " (no " + binary_dir->string() +
                  "); add it with add_subdirectory, or configure with "
                  "-DESKIT_BUILD_EXAMPLES=ON for the examples");
    return false;
  }
  if (!options.no_build) {
    std::vector<std::string> targets;
    for (const auto& c : system.plan.contexts) targets.push_back(c.target);
    if (!quiet) console.note("building in " + tree->binary.string());
    if (!eskit::run::build(*tree, targets, quiet, console)) {
      console.error(stop_requested() ? "eskit run: build interrupted"
                                     : "eskit run: error: the build failed (above)");
      return false;
    }
  }
  bool ok = true;
  for (auto& c : system.plan.contexts) {
    c.binary = *binary_dir / c.binary_subdir / c.executable;
    if (::access(c.binary.c_str(), X_OK) != 0) {
      console.error("eskit run: error: " + c.binary.string() + ": no executable for context '" +
                    c.name + "' (target " + c.target + ")" +
                    (options.no_build ? "; run without --no-build" : ""));
      ok = false;
    }
  }
  return ok;
}

eskit::run::SupervisorOptions supervisor_options(const fs::path& state, int port, bool postgres) {
  eskit::run::SupervisorOptions o;
  o.state_dir = state;
  o.broker = eskit::run::own_directory() / "eskit-broker";
  o.gateway = eskit::run::own_directory() / "eskit-gateway";
  o.gateway_port = static_cast<std::uint16_t>(port);
  o.postgres = postgres;
  return o;
}

bool tools_present(const eskit::run::SupervisorOptions& o, Console& console) {
  bool ok = true;
  for (const auto& tool : {o.broker, o.gateway}) {
    if (::access(tool.c_str(), X_OK) != 0) {
      console.error("eskit run: error: " + tool.string() +
                    " not found beside eskit-run (targets eskit_broker, eskit_gateway)");
      ok = false;
    }
  }
  return ok;
}

void print_summary(const System& system, const Supervisor& supervisor, const fs::path& state,
                   Console& console) {
  std::string text =
      "\n" + system.plan.name + " is running; the gateway: " + supervisor.gateway_url() + "\n";
  for (const auto& p : supervisor.processes()) {
    std::string name = p.name;
    name.resize(std::max<std::size_t>(name.size(), 12), ' ');
    std::string url = p.url;
    url.resize(std::max<std::size_t>(url.size(), 24), ' ');
    std::string pids;
    for (auto pid : p.pids) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
    text += "  " + name + " " + url + " pid " + (pids.empty() ? "-" : pids) + "\n";
  }
  for (const auto& c : system.plan.without_service)
    text += "  (" + c + ": no aggregates or views, so no service)\n";
  if (system.plan.routes_derived)
    text +=
        "  the model has no gateway routes: each context is routed by its paths' first "
        "segment\n";
  text += "databases and logs: " + state.string() + "\n";
  if (!system.plan.roles.empty()) {
    text += "tokens for this run (subject \"dev\", valid 12 h):\n";
    std::size_t width = 0;
    for (const auto& role : system.plan.roles) width = std::max(width, role.size());
    for (const auto& role : system.plan.roles)
      text += "  " + role + std::string(width - role.size() + 2, ' ') +
              supervisor.token("dev", {role}) + "\n";
  }
  text += "Ctrl-C stops everything.";
  console.note(text);
}

int run_system(System& system, const Options& options, Console& console, const fs::path& state) {
  auto so = supervisor_options(state, options.port.value_or(8080), options.postgres);
  if (!tools_present(so, console)) return exit_usage;
  Supervisor supervisor(system.plan, so, console);
  {
    std::lock_guard lock(stop_state.mutex);
    stop_state.supervisor = &supervisor;
  }
  int status = 0;
  try {
    supervisor.start();
    print_summary(system, supervisor, state, console);
    std::unique_lock lock(stop_state.mutex);
    stop_state.cv.wait(lock, [] { return stop_state.requested; });
  } catch (const std::exception& e) {
    if (!stop_requested()) {
      console.error(std::string("eskit run: error: ") + e.what());
      status = exit_usage;
    }
  }
  console.note("stopping " + system.plan.name);
  supervisor.shutdown();
  {
    std::lock_guard lock(stop_state.mutex);
    stop_state.supervisor = nullptr;
  }
  return status;
}

// Each scenario on a fresh system of its own (its setup decides the system's shape).
int play_scenarios(System& system, const std::vector<eskit::run::Scenario>& scenarios,
                   const Options& options, Console& console, const fs::path& state, bool narrate) {
  int status = 0;
  for (const auto& scenario : scenarios) {
    const auto& setup = scenario.setup();
    const fs::path dir = state / scenario.path().stem();
    fs::create_directories(dir);
    auto so = supervisor_options(dir, options.port.value_or(0), options.postgres || setup.postgres);
    so.replicas = setup.replicas;
    so.config = setup.config;
    if (!tools_present(so, console)) return exit_usage;
    Supervisor supervisor(system.plan, so, console);
    {
      std::lock_guard lock(stop_state.mutex);
      stop_state.supervisor = &supervisor;
    }
    bool held = false;
    try {
      if (!narrate)
        console.note("starting " + system.plan.name + " for " + scenario.path().string());
      supervisor.start();
      eskit::run::PlayOptions po;
      po.narrate = narrate;
      po.color = console.color();
      held = eskit::run::play(scenario, supervisor, po);
      if (!held) {
        console.note(supervisor.log_tails());
        console.note("the services' whole logs: " + dir.string());
      }
      status = std::max(status, held ? 0 : exit_failed);
    } catch (const eskit::run::ScenarioError& e) {
      console.error(e.what());
      status = exit_usage;
    } catch (const std::exception& e) {
      console.error(std::string("eskit run: error: ") + e.what());
      status = exit_usage;
    }
    supervisor.shutdown();
    {
      std::lock_guard lock(stop_state.mutex);
      stop_state.supervisor = nullptr;
    }
    if (stop_requested()) return status == 0 ? exit_failed : status;
  }
  return status;
}

int run_command(const Options& options, bool demo) {
  const bool scenario_mode = demo || !options.scenarios.empty();
  Console console(std::cout, std::cerr, !options.quiet && !scenario_mode,
                  Console::color_wanted(STDOUT_FILENO));
  auto system = load_system(options.system);
  if (!system) return exit_usage;

  std::vector<fs::path> files(options.scenarios.begin(), options.scenarios.end());
  if (demo) {
    files = {system->dir / "scenarios" / "demo.yaml"};
    if (std::error_code error; !fs::exists(files.front(), error)) {
      std::cerr << "eskit demo: error: " << files.front().string()
                << ": no such file; a system's headline scenario is its scenarios/demo.yaml\n";
      return exit_usage;
    }
  }
  std::vector<std::string> contexts;
  for (const auto& c : system->plan.contexts) contexts.push_back(c.name);
  std::vector<eskit::run::Scenario> scenarios;
  bool scenarios_ok = true;
  for (const auto& file : files) {
    try {
      scenarios.push_back(eskit::run::load_scenario(file, contexts));
    } catch (const eskit::run::ScenarioError& e) {
      std::cerr << e.what() << '\n';
      scenarios_ok = false;
    }
  }
  if (!scenarios_ok) return exit_usage;

  if (!prepare_binaries(*system, options, options.quiet || demo, console)) return exit_usage;
  // Absolute, since it goes into every service's ESKIT_DB_URL.
  std::string state_error;
  const auto state = eskit::run::StateDir::claim(
      fs::absolute(options.state_dir.empty() ? system->dir / ".eskit" / "run"
                                             : fs::path(options.state_dir)),
      state_error);
  if (!state) {
    console.error("eskit run: error: " + state_error);
    return exit_usage;
  }
  if (stop_requested()) return exit_usage;
  if (scenario_mode)
    return play_scenarios(*system, scenarios, options, console, state->path(), demo);
  return run_system(*system, options, console, state->path());
}

// `demo petcare` means examples/petcare of the source tree eskit-run was built from.
std::string demo_system(const std::string& argument) {
  std::error_code error;
  if (fs::exists(argument, error)) return argument;
  if (auto tree = eskit::run::own_build_tree()) {
    const auto dir = tree->source / "examples" / argument;
    if (fs::exists(dir, error)) return dir.string();
  }
  return argument;
}

}  // namespace

int main(int argc, char** argv) {
  // Blocked before any thread starts (threads inherit the mask), so only the watcher sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"eskit-run: a generated system as local processes (eskit run, eskit demo)"};
  app.require_subcommand(1);
  Options options;
  auto* run = app.add_subcommand("run",
                                 "Generate, build and start a system: broker, one "
                                 "process per context, gateway");
  run->add_option("system", options.system, "System directory (with model.yaml) or model file")
      ->required();
  run->add_option("--build-dir", options.build_dir,
                  "CMake build tree that builds the system (default: the one eskit-run was "
                  "built in)");
  run->add_flag("--no-build", options.no_build,
                "Neither generate nor build: run the executables as they are");
  run->add_option("--state-dir", options.state_dir,
                  "Databases and logs (default: <system>/.eskit/run, emptied at each start)");
  run->add_flag("--postgres", options.postgres,
                "Contexts with `storage: postgresql` on a private PostgreSQL cluster (default: "
                "every context on SQLite)");
  run->add_option("--scenario", options.scenarios,
                  "Play these scenario files (docs/scenarios.md), each on a fresh system, then "
                  "stop; exit 1 when a step failed");
  run->add_option("--port", options.port,
                  "Gateway port (default 8080; with --scenario any free port)")
      ->check(CLI::Range(0, 65535));
  run->add_flag("-q,--quiet", options.quiet,
                "No build progress, no service output (the log files still get it)");
  run->footer(
      "Exit status: 0 stopped by Ctrl-C or every scenario held, 1 a scenario step "
      "failed, 2 the command line, the model, the build or the start-up failed.");
  auto* demo = app.add_subcommand("demo",
                                  "Play a system's headline scenario "
                                  "(scenarios/demo.yaml) with narration, then stop");
  std::string demo_argument;
  demo->add_option("system", demo_argument, "An example's name (petcare) or a system directory")
      ->required();
  demo->add_option("--build-dir", options.build_dir, "CMake build tree that builds the system");
  demo->add_flag("--no-build", options.no_build, "Neither generate nor build");
  demo->add_flag("--postgres", options.postgres, "PostgreSQL where the model says so");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  std::thread(watch_signals, stop_signals).detach();
  if (app.got_subcommand(demo)) {
    options.system = demo_system(demo_argument);
    return run_command(options, true);
  }
  return run_command(options, false);
}
