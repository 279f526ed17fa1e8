#include "service/standard_settings.hpp"

#include <stdexcept>

namespace eskit::runtime::service {

using namespace std::chrono_literals;

void declare_standard_settings(config::Schema& schema, const std::string& service_name) {
  const auto s = [](std::string_view name) { return std::string(name); };
  // Loopback unless told otherwise: a container sets ESKIT_HTTP_ADDRESS=0.0.0.0 on purpose.
  schema.string(s(setting::http_address), "127.0.0.1", "address the HTTP API listens on")
      .integer(s(setting::http_port), 8080, "port the HTTP API listens on (0: any free port)")
      .integer(s(setting::http_io_threads), 1, "threads parsing and writing HTTP")
      .integer(s(setting::http_worker_threads), 4, "threads running request handlers")
      .integer(s(setting::http_max_body_bytes), 1024 * 1024, "larger request bodies get 413")
      .integer(s(setting::http_max_concurrent_requests), 256,
               "requests in flight before new ones get 503 with Retry-After")
      // Secret: a PostgreSQL URL carries its password.
      .string(s(setting::db_url), "sqlite:" + service_name + ".db",
              "sqlite:FILE or postgresql://user:password@host:port/db", config::Visibility::secret)
      .integer(s(setting::db_pool_size), 4, "database connections kept open")
      .string(s(setting::kafka_bootstrap_servers), config::required,
              "Kafka brokers, host:port[,host:port] (`eskit broker` prints one)")
      .string(s(setting::kafka_client_id), service_name, "client id shown in broker logs")
      .duration(s(setting::kafka_session_timeout), 45'000ms,
                "a consumer that stops heartbeating (a crash) keeps its partitions this long")
      .duration(s(setting::outbox_poll_interval), 1000ms,
                "how often the relay looks for events nobody announced")
      .integer(s(setting::outbox_batch_size), 500, "events the relay keeps in flight per round")
      .duration(s(setting::outbox_purge_after), std::chrono::milliseconds(24h),
                "published events are deleted from the outbox after this")
      .duration(s(setting::outbox_stuck_after), std::chrono::milliseconds(1min),
                "readiness fails while an unpublished event is older than this")
      // 8 tries from 250 ms doubling wait about 32 s in all: long enough for the event that
      // creates a view row to be projected first after a group rebalance, short enough that
      // an event that can never apply reaches the dead-letter topic soon.
      .integer(s(setting::inbox_max_attempts), 8,
               "tries per event before it goes to the dead-letter topic")
      .duration(s(setting::inbox_backoff), 250ms, "wait before the second try (doubles after)")
      .duration(s(setting::inbox_lag_interval), 5000ms,
                "how often consumer lag is measured for /metrics (a broker round trip)")
      .string(s(setting::log_level), "info", "trace, debug, info, warn or error")
      .duration(s(setting::shutdown_grace), 10'000ms,
                "how long requests in flight may take to finish at stop");
}

namespace {

template <class T>
T positive(const config::Config& config, std::string_view name) {
  const auto value = config.integer(name);
  if (value < 1)
    throw std::invalid_argument(std::string(name) + " must be at least 1, not " +
                                std::to_string(value));
  return static_cast<T>(value);
}

}  // namespace

log::Level log_level(const config::Config& config) {
  const auto& text = config.string(setting::log_level);
  if (auto level = log::parse_level(text)) return *level;
  throw std::invalid_argument(std::string(setting::log_level) + " is '" + text +
                              "'; expected trace, debug, info, warn or error");
}

http::ServerOptions server_options(const config::Config& config) {
  http::ServerOptions options;
  options.address = config.string(setting::http_address);
  const auto port = config.integer(setting::http_port);
  if (port < 0 || port > 65535)
    throw std::invalid_argument(std::string(setting::http_port) + " must be 0-65535, not " +
                                std::to_string(port));
  options.port = static_cast<std::uint16_t>(port);
  options.io_threads = positive<unsigned>(config, setting::http_io_threads);
  options.worker_threads = positive<unsigned>(config, setting::http_worker_threads);
  options.max_body_bytes = positive<std::size_t>(config, setting::http_max_body_bytes);
  options.max_concurrent_requests =
      positive<std::size_t>(config, setting::http_max_concurrent_requests);
  return options;
}

messaging::RelayOptions relay_options(const config::Config& config) {
  messaging::RelayOptions options;
  options.batch_size = positive<std::size_t>(config, setting::outbox_batch_size);
  options.poll_interval = config.duration(setting::outbox_poll_interval);
  options.purge_after = config.duration(setting::outbox_purge_after);
  options.stuck_after = config.duration(setting::outbox_stuck_after);
  return options;
}

messaging::InboxOptions inbox_options(const config::Config& config) {
  messaging::InboxOptions options;
  options.max_attempts = positive<int>(config, setting::inbox_max_attempts);
  options.backoff = config.duration(setting::inbox_backoff);
  options.lag_interval = config.duration(setting::inbox_lag_interval);
  if (options.lag_interval.count() < 1)
    throw std::invalid_argument(std::string(setting::inbox_lag_interval) + " must be positive");
  return options;
}

}  // namespace eskit::runtime::service
