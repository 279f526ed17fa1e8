// The `eskit gateway` process, as Service::main is a service's: configuration first (every
// problem at once, exit 78), then serve until SIGINT or SIGTERM and stop gracefully.
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <csignal>
#include <iostream>

#include "eskit/runtime/config/load.hpp"
#include "eskit/runtime/gateway/settings.hpp"
#include "eskit/runtime/log/level.hpp"
#include "eskit/runtime/log/logger.hpp"

namespace eskit::runtime::gateway {

int gateway_main(int argc, char** argv) {
  CLI::App app{"eskit gateway: routes path prefixes to services, verifies tokens at the edge"};
  std::string config_file;
  bool print_config = false;
  app.add_option("--config", config_file, "YAML configuration file (environment variables win)")
      ->envname("ESKIT_CONFIG_FILE");
  app.add_flag("--print-config", print_config,
               "Print the effective configuration (secrets hidden) and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }

  // Blocked before any thread starts (threads inherit the mask), so only sigwait below sees
  // them and the stop runs on this thread, outside any signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const auto started_at = std::chrono::steady_clock::now();
  config::Schema schema;
  declare_gateway_settings(schema);
  config::Sources sources;
  if (!config_file.empty()) sources.file = config_file;
  const auto config = config::load_or_exit(schema, sources, std::cerr);
  if (print_config) {
    std::cout << config.effective();
    return 0;
  }
  auto settings = read_gateway_settings(config);
  if (!settings.ok()) {
    std::cerr << config::format_problems(settings.problems());
    return config::exit_config_error;
  }
  GatewayOptions options = settings.settings().options;
  log::Logger logger("gateway", *log::parse_level(settings.settings().log_level));
  options.server.error_log = [&logger](std::string_view line) {
    logger.error("request failed", {{"error", line}});
  };
  std::unique_ptr<Gateway> gateway;
  try {
    gateway = std::make_unique<Gateway>(std::move(options));
  } catch (const std::exception& e) {
    std::cerr << "configuration: " << e.what() << '\n';
    return config::exit_config_error;
  }
  try {
    gateway->start();
  } catch (const std::exception& e) {
    logger.error("cannot start", {{"error", e.what()}});
    return 1;
  }
  const auto startup = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_at);
  logger.info("listening",
              {{"port", gateway->port()},
               {"routes", static_cast<std::int64_t>(settings.settings().options.routes.size())},
               {"startupMs", static_cast<std::int64_t>(startup.count())}});
  int received = 0;
  sigwait(&stop_signals, &received);
  logger.info("stopping", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
  gateway->stop(settings.settings().shutdown_grace);
  logger.info("stopped");
  return 0;
}

}  // namespace eskit::runtime::gateway
