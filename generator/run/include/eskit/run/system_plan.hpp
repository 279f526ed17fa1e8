#pragma once
// What `eskit run` starts for a model, derived from the typed model exactly as the generator
// names things (templates/cmake/*.tmpl for targets and executables, flow_view.cpp for the
// sync-call URL settings), so the supervisor never looks at YAML and never guesses a name.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "eskit/model/model.hpp"

namespace eskit::run {

struct ContextPlan {
  std::string name;        // as written in the model
  std::string target;      // CMake target: <model snake>_<context snake>
  std::string executable;  // file name: <model kebab>-<context kebab>
  // Where the executable lands under the system's binary directory: <context snake>/gen.
  std::filesystem::path binary_subdir;
  // The topic it publishes its events to (<context snake>.events), empty when it has none.
  std::string topic;
  bool postgresql = false;  // the model says `storage: postgresql`
  // Sync calls: the ESKIT_* variable of the call's URL and the context it calls.
  std::vector<std::pair<std::string, std::string>> calls;
  // ESKIT_* variables of secret settings without a default: a random value per run.
  std::vector<std::string> generated_secrets;
  // Local-run defaults the environment may override (ESKIT_USER_ADMIN_LOGIN_IDS=admin).
  std::vector<std::pair<std::string, std::string>> defaults;
  // Filled by whoever knows the build tree; the supervisor runs this file.
  std::filesystem::path binary;
};

struct SystemPlan {
  std::string name;                   // the model's name
  std::vector<ContextPlan> contexts;  // in model order, only those with a service
  // Contexts the generator makes no service for (neither aggregates nor views).
  std::vector<std::string> without_service;
  // Gateway routes, prefix → context: the model's, or one per first path segment.
  std::vector<std::pair<std::string, std::string>> routes;
  bool routes_derived = false;  // the model has no gateway routes
  // Prefixes that need no token: the paths of commands and queries without roles, cut before
  // their first `{parameter}` (the services still check roles themselves).
  std::vector<std::string> public_paths;
  std::vector<std::string> roles;  // the model's roles, for the tokens printed at start

  [[nodiscard]] const ContextPlan* find(std::string_view context) const;
};

// A model the supervisor cannot run as it is (two contexts claiming one path prefix when the
// routes are derived); what() says what to change.
class PlanError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `model` must have passed the checks.
[[nodiscard]] SystemPlan plan_system(const model::Model& model);

}  // namespace eskit::run
