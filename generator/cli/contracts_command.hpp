// `eskit contracts MODEL`: write the API and event contracts of every context (OpenAPI 3.1,
// AsyncAPI 3.0, a JSON Schema per event version; docs/contracts.md).
#pragma once

#include "derived_files.hpp"

namespace eskit::cli {

using ContractsOptions = DerivedOptions;

void add_contracts_command(CLI::App& app, ContractsOptions& options);

/// The exit status, as run_derived says.
int run_contracts(const ContractsOptions& options);

}  // namespace eskit::cli
