// What is wrong with the configuration, reported all at once before the service starts.
#pragma once

#include <string>
#include <vector>

namespace eskit::runtime::config {

/// The exit status of a service whose configuration is wrong (EX_CONFIG in sysexits.h), so
/// an orchestrator tells a bad ConfigMap from a crash.
inline constexpr int exit_config_error = 78;

struct Problem {
  /// Where the bad value came from: "config.yaml:3:9", "ESKIT_HTTP_PORT",
  /// "ESKIT_DB_URL_FILE=/run/secrets/db"; empty for a required setting that nothing set.
  std::string where;
  /// The setting concerned, e.g. "http.port"; empty for problems of the file itself.
  std::string setting;
  std::string message;
  /// A suggestion, e.g. "did you mean 'http.port'?"; may be empty.
  std::string note;
};

/// One problem per line, as a compiler writes them, then a count:
///
///   config.yaml:3:9: error: http.port: expected an integer, got 'eighty'
///   config.yaml:7:3: error: unknown setting 'http.prot'
///     note: did you mean 'http.port'?
///   configuration: 2 errors
std::string format_problems(const std::vector<Problem>& problems);

}  // namespace eskit::runtime::config
