#pragma once
// The settings every service has, and how they become the runtime's option structs. Their
// names, defaults and environment variables are listed in docs/configuration.md.
#include <string>
#include <string_view>

#include "eskit/runtime/config/config.hpp"
#include "eskit/runtime/config/schema.hpp"
#include "eskit/runtime/http/server.hpp"
#include "eskit/runtime/log/level.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/messaging/relay.hpp"

namespace eskit::runtime::service {

namespace setting {
inline constexpr std::string_view http_address = "http.address";
inline constexpr std::string_view http_port = "http.port";
inline constexpr std::string_view http_io_threads = "http.ioThreads";
inline constexpr std::string_view http_worker_threads = "http.workerThreads";
inline constexpr std::string_view http_max_body_bytes = "http.maxBodyBytes";
inline constexpr std::string_view http_max_concurrent_requests = "http.maxConcurrentRequests";
inline constexpr std::string_view db_url = "db.url";
inline constexpr std::string_view db_pool_size = "db.poolSize";
inline constexpr std::string_view kafka_bootstrap_servers = "kafka.bootstrapServers";
inline constexpr std::string_view kafka_client_id = "kafka.clientId";
inline constexpr std::string_view kafka_session_timeout = "kafka.sessionTimeout";
inline constexpr std::string_view outbox_poll_interval = "outbox.pollInterval";
inline constexpr std::string_view outbox_batch_size = "outbox.batchSize";
inline constexpr std::string_view outbox_purge_after = "outbox.purgeAfter";
inline constexpr std::string_view outbox_stuck_after = "outbox.stuckAfter";
inline constexpr std::string_view inbox_max_attempts = "inbox.maxAttempts";
inline constexpr std::string_view inbox_backoff = "inbox.backoff";
inline constexpr std::string_view inbox_lag_interval = "inbox.lagInterval";
inline constexpr std::string_view log_level = "log.level";
inline constexpr std::string_view shutdown_grace = "shutdown.grace";
}  // namespace setting

void declare_standard_settings(config::Schema& schema, const std::string& service_name);

// Throws std::invalid_argument naming the setting when log.level is not a level.
log::Level log_level(const config::Config& config);
http::ServerOptions server_options(const config::Config& config);
messaging::RelayOptions relay_options(const config::Config& config);
messaging::InboxOptions inbox_options(const config::Config& config);

}  // namespace eskit::runtime::service
