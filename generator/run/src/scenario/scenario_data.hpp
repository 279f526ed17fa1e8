#pragma once
// A scenario file as the loader leaves it for the player: every step checked, every value still
// a template (strings may hold ${name}), positions kept for the report.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "eskit/run/scenario.hpp"

namespace eskit::run {

using Json = boost::json::value;
using Millis = std::chrono::milliseconds;

struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// `as:` — whom the token names. A bare role name signs for subject "scenario".
struct Identity {
  Json subject;             // a string template
  std::vector<Json> roles;  // string templates
};

// `save: {name: path}`; the path's first segment says where from (body, status, headers,
// event), the rest walks into it.
struct Save {
  std::string name;
  std::vector<std::string> path;
};

struct Expectation {
  std::optional<Json> status;   // a number or a list of numbers
  std::optional<Json> body;     // subset match, matchers allowed
  std::optional<Json> headers;  // object: header name → expected value or matcher
};

struct CallSpec {
  std::string method;
  std::string target;  // "/calls/${callId}" as written
  std::string to;      // a context, or empty for the gateway
  std::optional<Identity> as;
  std::optional<Json> body;
  std::vector<std::pair<std::string, Json>> headers;
  Expectation expect;
  std::vector<Save> save;
};

struct SayStep {};
struct CallStep {
  CallSpec call;
};
struct EventuallyStep {
  CallSpec call;
  std::optional<Millis> within;
};
struct EventStep {
  std::string context;
  std::string type;
  std::optional<Json> where;
  std::optional<Millis> within;
  std::optional<Json> count;  // a number or a matcher
  std::vector<Save> save;
};
struct NoEventStep {
  std::string context;
  std::string type;
  std::optional<Json> where;
};
struct SettleStep {
  Millis deadline{0};
};
// Every running replica of the context has handled events: the consumer group split the work.
struct SharesWorkStep {
  std::string context;
};
struct Step;
struct RepeatStep {
  int times = 1;
  int concurrency = 1;
  std::vector<Step> steps;
  std::optional<Json> tally;  // matched against the repeat's counts; calls then never fail it
};
enum class Fault { stop, kill, start, restart };
struct FaultStep {
  Fault fault = Fault::stop;
  std::string context;
};
struct ScaleStep {
  std::vector<std::pair<std::string, int>> replicas;
};
struct SlowStep {
  std::vector<std::pair<std::string, Millis>> delays;
};
struct Setting {
  std::string context;
  std::string variable;
  std::string value;
};
struct ConfigureStep {
  std::vector<Setting> settings;
};
struct BrokerStep {
  bool up = true;
};

using Action = std::variant<SayStep, CallStep, EventuallyStep, EventStep, NoEventStep, SettleStep,
                            SharesWorkStep, RepeatStep, FaultStep, ScaleStep, SlowStep,
                            ConfigureStep, BrokerStep>;

struct Step {
  Position where;
  std::string say;
  Action action;
};

// A context name written in the file, kept with its position so play() can report a name the
// running system lacks exactly as the loader would.
struct ContextUse {
  std::string name;
  Position where;
};

struct ScenarioData {
  std::filesystem::path path;
  std::string file_name;  // as written in messages
  std::string title;
  std::vector<std::string> proves;
  std::string description;
  ScenarioSetup setup;
  std::vector<std::string> contexts;  // sorted, unique
  std::vector<ContextUse> context_uses;
  std::vector<Step> steps;
  bool reads_events = false;  // some step (or a repeat's) reads published events
};

// load_scenario() on text already in memory; `file_name` is what messages call the file.
ScenarioData parse_scenario(std::string file_name, std::string text,
                            const std::vector<std::string>& contexts);

// "file:line:col: error: message" — the one format of every scenario problem.
std::string error_line(const std::string& file_name, Position where, const std::string& message);

}  // namespace eskit::run
