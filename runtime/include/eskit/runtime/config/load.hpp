// Loading the configuration at start-up: defaults, then a YAML file, then environment
// variables, then `<VAR>_FILE` mounted files (the Kubernetes ConfigMap and Secret ways).
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "eskit/runtime/config/config.hpp"
#include "eskit/runtime/config/problem.hpp"
#include "eskit/runtime/config/schema.hpp"

namespace eskit::runtime::config {

/// Looks up an environment variable; a function so tests need not touch the process's.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;

/// The process's environment (getenv).
Environment process_environment();

struct Sources {
  /// A YAML file of settings (nested mappings, or dotted keys such as `http.port: 8080`).
  std::optional<std::filesystem::path> file;
  /// When true a missing `file` is not a problem (a ConfigMap that may not be mounted).
  bool file_optional = false;
  Environment environment = process_environment();
};

/// Either a configuration or every problem found; never both.
class LoadResult {
 public:
  explicit LoadResult(Config config) : config_(std::move(config)) {}
  explicit LoadResult(std::vector<Problem> problems) : problems_(std::move(problems)) {}

  bool ok() const { return config_.has_value(); }
  /// Only when ok().
  const Config& config() const { return config_.value(); }
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::optional<Config> config_;
  std::vector<Problem> problems_;
};

/// Reads every source and validates every setting; never stops at the first problem.
LoadResult load(const Schema& schema, const Sources& sources);

/// For a service's main(): the configuration, or the problem report on `err` and
/// exit(exit_config_error).
Config load_or_exit(const Schema& schema, const Sources& sources, std::ostream& err);

}  // namespace eskit::runtime::config
