#include "contracts_command.hpp"

#include "eskit/contracts/plan.hpp"

namespace eskit::cli {

namespace {

const DerivedFiles& files() {
  static const DerivedFiles f{
      "contracts", "contracts",
      "Write each context's OpenAPI, AsyncAPI and event JSON Schema documents",
      "Writes <context>/openapi.json (OpenAPI 3.1), <context>/asyncapi.json (AsyncAPI 3.0) and "
      "<context>/events/<Event>.v<N>.schema.json (JSON Schema 2020-12).",
      [](const model::Model& m) { return contracts::contracts_plan(m); }};
  return f;
}

}  // namespace

void add_contracts_command(CLI::App& app, ContractsOptions& options) {
  add_derived_command(app, files(), options);
}

int run_contracts(const ContractsOptions& options) { return run_derived(files(), options); }

}  // namespace eskit::cli
