// What a deployment must know about one generated service: its names, the environment it
// reads, the secrets it needs and where it writes. Derived from the model exactly as the
// generator derives the service's settings, so manifests and binaries cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "eskit/model/model.hpp"

namespace eskit::deploy {

/// The port every generated service and the gateway listen on inside a container.
inline constexpr int container_port = 8080;
/// The unprivileged user the images create and the pods run as.
inline constexpr int service_uid = 10001;
/// Where a SQLite service keeps its database (writable; everything else is read-only).
inline constexpr const char* data_dir = "/var/lib/eskit";

/// One environment variable with a plain (non-secret) value.
struct EnvValue {
  std::string name;
  std::string value;
  std::string comment;  // why it is there; empty for the obvious ones
};

/// One environment variable taken from a Kubernetes Secret (never a value).
struct EnvSecret {
  std::string name;
  std::string secret;  // Secret's name
  std::string key;     // key inside the Secret
};

struct VolumeFacts {
  std::string name;  // kebab-case, unique in the pod
  std::string path;
  std::string size;
};

struct ServiceFacts {
  std::string context;  // as written in the model
  std::string service;  // DNS name: kebab-case context, what call URLs default to
  std::string binary;   // <model>-<context>, the executable
  std::string target;   // <model>_<context>, the CMake target
  bool postgresql = false;
  bool uses_auth = false;
  bool issues_tokens = false;
  std::vector<EnvValue> config;    // sorted by name
  std::vector<EnvSecret> secrets;  // sorted by name
  std::vector<VolumeFacts> volumes;
};

/// `ESKIT_` + the spelling the configuration module reads (runtime::text::env_var_name).
std::string env_var(std::string_view setting);

/// The facts of every context, in model order.
std::vector<ServiceFacts> service_facts(const model::Model& model);

/// The Secret holding the JWT keys of the whole system.
std::string jwt_secret_name(const model::Model& model);

/// The topic a context publishes its events on (one per context, as the generator has it).
std::string events_topic(const model::Context& context);

}  // namespace eskit::deploy
