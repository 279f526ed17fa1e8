#pragma once
// Scenario files (docs/scenarios.md): loading one, with every mistake reported before anything
// runs, and playing it against a running system through SystemControl.
//
// For the supervisor (`eskit run --scenario FILE`, `eskit demo`):
//   1. load_scenario(file, contexts_of_the_model) — throws ScenarioError (exit status 2) listing
//      every problem as `file:line:col: error: message`; print error.what().
//   2. start the system as scenario.setup() asks (postgres, replicas, config per context).
//   3. play(scenario, system, options) — prints one line per step to options.out and returns
//      false at the first step that did not hold (exit status 1; print the services' logs
//      then). It throws ScenarioError only when the system does not have a context the file
//      names (when load_scenario was not given the contexts).
// A SystemControl call that throws std::runtime_error fails its step, and play() returns
// false; play() never lets it escape. gateway_url(), service_url() and token() are called from
// several threads at once by a `repeat` with `concurrency`; the other operations from one.
// play() reads events itself (a consumer of its own on bootstrap_servers(), in a fresh group)
// and only when the file has event steps or options.narrate is set.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "eskit/run/system_control.hpp"

namespace eskit::run {

// What the system must look like before the first step (the file's `setup:`).
struct ScenarioSetup {
  // Contexts marked `storage: postgresql` run on PostgreSQL (otherwise on SQLite).
  bool postgres = false;
  // Replicas per context; a context not named runs one.
  std::map<std::string, int> replicas;
  // context → ESKIT_* variable → value, applied before the first start.
  std::map<std::string, std::map<std::string, std::string>> config;
};

struct ScenarioData;  // the parsed file, steps included: private to the library

class Scenario {
 public:
  [[nodiscard]] const std::string& title() const;  // the `scenario:` sentence
  [[nodiscard]] const std::vector<std::string>& proves() const;
  [[nodiscard]] const std::string& description() const;  // empty when absent
  [[nodiscard]] const ScenarioSetup& setup() const;
  [[nodiscard]] const std::filesystem::path& path() const;
  // The contexts the file names (faults, `to:`, `event:`, setup), sorted: what a supervisor
  // must provide.
  [[nodiscard]] const std::vector<std::string>& contexts() const;

  // Made by load_scenario(); cheap to copy (the parsed file is shared and immutable).
  explicit Scenario(std::shared_ptr<const ScenarioData> data);
  [[nodiscard]] const ScenarioData& data() const { return *data_; }

 private:
  std::shared_ptr<const ScenarioData> data_;
};

// Everything wrong with a scenario file, one `file:line:col: error: message` per problem
// (a did-you-mean hint follows on the same line). what() is those lines joined by '\n'.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<std::string> lines);
  [[nodiscard]] const std::vector<std::string>& lines() const noexcept { return lines_; }

 private:
  std::vector<std::string> lines_;
};

// Reads and checks the whole file; throws ScenarioError with every problem found (a file that
// cannot be read is one problem at line 1). `contexts` are the model's context names: when
// given, a name the file uses that is not among them is an error here; when empty, play()
// checks the names against SystemControl::contexts().
Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& contexts = {});

struct PlayOptions {
  std::ostream* out = &std::cout;
  // `eskit demo`: the description and every `say` stand out, each call shows its request and a
  // short answer, each event its publishing context, and what the contexts' inboxes handled
  // (read from their /metrics) — for a room watching.
  bool narrate = false;
  bool color = false;  // ANSI colours (only when out is a terminal)
  // The deadline of `eventually` and `event` steps without `within:`.
  std::chrono::milliseconds default_within{20'000};
  // The value of ${run}; empty: a fresh random one (8 hex digits), so a scenario played twice
  // on one system creates new aggregates.
  std::string run_id;
};

// Plays every step in order and stops at the first that does not hold. True when all held.
// Starts reading every `<context>.events` topic from the beginning as it begins, so events
// published before play() (by an earlier scenario on the same system) count as well.
bool play(const Scenario& scenario, SystemControl& system, const PlayOptions& options = {});

}  // namespace eskit::run
