// The eskit command line. Exit status: 0 success, 1 the model has errors (`run`, `demo`: a
// scenario step failed), 2 usage or I/O (`run`, `demo`: the system could not start).
#include <CLI/CLI.hpp>
#include <iostream>

#include "contracts_command.hpp"
#include "deploy_command.hpp"
#include "diagram_command.hpp"
#include "generate_command.hpp"
#include "model_diff_command.hpp"
#include "tool_command.hpp"
#include "validate_command.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"eskit: from an event-storming model to running microservices"};
  app.set_version_flag("--version", std::string("eskit ") + eskit::cli::version);
  app.require_subcommand(1);
  app.fallthrough(false);

  eskit::cli::ValidateOptions validate;
  eskit::cli::add_validate_command(app, validate);
  eskit::cli::GenerateOptions generate;
  eskit::cli::add_generate_command(app, generate);
  eskit::cli::ContractsOptions contracts;
  eskit::cli::add_contracts_command(app, contracts);
  eskit::cli::DeployOptions deploy;
  eskit::cli::add_deploy_command(app, deploy);
  eskit::cli::DiagramOptions diagram;
  eskit::cli::add_diagram_command(app, diagram);
  eskit::cli::DiffOptions diff;
  eskit::cli::add_diff_command(app, diff);
  eskit::cli::ToolOptions broker;
  eskit::cli::add_tool_command(app, "broker", "eskit-broker",
                               "Run a Kafka-protocol broker on loopback for local runs and tests "
                               "(eskit broker --help for its options)",
                               broker);
  eskit::cli::ToolOptions gateway;
  eskit::cli::add_tool_command(app, "gateway", "eskit-gateway",
                               "Run the gateway in front of the services: routes, tokens, CORS, "
                               "upstream health (eskit gateway --help for its options)",
                               gateway);
  eskit::cli::ToolOptions run;
  eskit::cli::add_tool_command(app, "run", "eskit-run",
                               "Generate, build and start a system locally: broker, one process "
                               "per context, gateway; or play scenarios against it (eskit run "
                               "--help for its options)",
                               run, {"run"});
  eskit::cli::ToolOptions demo;
  eskit::cli::add_tool_command(app, "demo", "eskit-run",
                               "Play a system's headline scenario with narration, then stop "
                               "(eskit demo --help)",
                               demo, {"demo"});

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // CLI11 uses its own codes; ours are documented and stable
  }
  if (app.got_subcommand("validate")) return eskit::cli::run_validate(validate);
  if (app.got_subcommand("generate")) return eskit::cli::run_generate(generate);
  if (app.got_subcommand("contracts")) return eskit::cli::run_contracts(contracts);
  if (app.got_subcommand("deploy")) return eskit::cli::run_deploy(deploy);
  if (app.got_subcommand("diagram")) return eskit::cli::run_diagram(diagram);
  if (app.got_subcommand("diff")) return eskit::cli::run_diff(diff);
  if (app.got_subcommand("broker")) return eskit::cli::run_tool(broker);
  if (app.got_subcommand("gateway")) return eskit::cli::run_tool(gateway);
  if (app.got_subcommand("run")) return eskit::cli::run_tool(run);
  if (app.got_subcommand("demo")) return eskit::cli::run_tool(demo);
  return 2;
}
