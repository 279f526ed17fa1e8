// Where a setting's effective value came from, so the effective configuration and error
// messages can send the reader to the right ConfigMap, Secret or file.
#pragma once

#include <string>

namespace eskit::runtime::config {

struct Origin {
  /// In increasing priority.
  enum class Kind { fallback, file, environment, mounted_file };
  Kind kind = Kind::fallback;
  /// "config.yaml:3:9", "ESKIT_HTTP_PORT", "ESKIT_DB_URL_FILE=/run/secrets/db"; empty for the
  /// fallback.
  std::string where;
};

/// "default", or `where`.
std::string to_string(const Origin& origin);

}  // namespace eskit::runtime::config
