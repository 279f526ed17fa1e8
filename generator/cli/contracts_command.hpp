// `eskit contracts MODEL`: write the API and event contracts of every context (OpenAPI 3.1,
// AsyncAPI 3.0, a JSON Schema per event version; docs/contracts.md).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace eskit::cli {

struct ContractsOptions {
  std::string model;
  std::string output;  // default: <model's directory>/contracts
  bool check = false;
  bool quiet = false;
};

void add_contracts_command(CLI::App& app, ContractsOptions& options);

/// Returns the exit status: 0 written (or, with --check, up to date); 1 the model has errors
/// or, with --check, a file is stale, missing or no longer generated; 2 the command line or a
/// file is wrong.
int run_contracts(const ContractsOptions& options);

}  // namespace eskit::cli
