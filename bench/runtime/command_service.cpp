// The service runtime_bench measures: what a generated command service does, written by hand
// on eskit::runtime. POST /orders/{orderId}/place upserts the order with its version and
// appends OrderPlaced to the outbox in one unit of work, commits, wakes the relay and answers
// 201; the server adds /health, /ready and /metrics. Migrations run at start-up; the
// "ready" log line (with the bound port) is written once /ready can answer 200.
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <pthread.h>
#include <csignal>
#include <cstdint>
#include <memory>
#include <string>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/http/server.hpp"
#include "eskit/runtime/log/logger.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/messaging/relay.hpp"

namespace {

namespace db = eskit::runtime::db;
namespace http = eskit::runtime::http;
namespace kafka = eskit::runtime::kafka;
namespace messaging = eskit::runtime::messaging;

constexpr std::string_view service_name = "ordering";

// The version comes back from the write itself, so the command costs one statement on the
// aggregate, not an upsert plus a read.
constexpr db::Statement place_order{
    "orders.place",
    "insert into orders (id, customer, total, items, version, updated_at) "
    "values (:id, :customer, :total, :items, 1, :updated_at) "
    "on conflict (id) do update set customer = excluded.customer, total = excluded.total, "
    "items = excluded.items, version = orders.version + 1, updated_at = excluded.updated_at "
    "returning version"};

std::vector<db::Migration> migrations(db::Dialect dialect) {
  auto list = messaging::Outbox::migrations(dialect, 2);
  list.insert(list.begin(),
              db::Migration{1, "orders",
                            "create table orders (id text primary key, customer "
                            "text not null, total real not null, items integer not "
                            "null, version integer not null, updated_at " +
                                std::string(dialect.column_type(db::ColumnType::timestamp)) +
                                " not null)"});
  return list;
}

const boost::json::value& field(const boost::json::object& body, std::string_view name) {
  const auto* value = body.if_contains(name);
  if (value == nullptr) throw http::Problem::invalid_field(name, "is required");
  return *value;
}

http::Response place(http::Request& request, const db::Database& database, messaging::Relay& relay,
                     const std::string& topic) {
  const auto* body = request.json().if_object();
  if (body == nullptr) throw http::Problem{400, "invalid-body", "the body must be a JSON object"};
  const auto& customer = field(*body, "customer");
  const auto& total = field(*body, "total");
  const auto& items = field(*body, "items");
  if (!customer.is_string() || customer.get_string().empty())
    throw http::Problem::invalid_field("customer", "must be a non-empty string");
  if (!total.is_number() || total.to_number<double>() < 0)
    throw http::Problem::invalid_field("total", "must be a number >= 0");
  if (!items.is_int64() || items.get_int64() < 1)
    throw http::Problem::invalid_field("items", "must be an integer >= 1");
  const auto& order_id = request.param("orderId");
  const std::string customer_id(customer.get_string());

  auto uow = database.begin();
  const auto version =
      uow.query_scalar<std::int64_t>(place_order, order_id, customer_id, total.to_number<double>(),
                                     items.get_int64(), std::chrono::system_clock::now());
  auto payload = boost::json::serialize(boost::json::object{{"orderId", order_id},
                                                            {"customer", customer_id},
                                                            {"total", total},
                                                            {"items", items},
                                                            {"version", version.value_or(0)}});
  auto correlation = request.headers().get("X-Correlation-Id");
  auto event = messaging::Envelope::make("OrderPlaced", std::string(service_name), order_id,
                                         std::move(payload),
                                         correlation ? std::string(*correlation) : std::string());
  messaging::Outbox::append(uow, event, topic);
  uow.commit();
  relay.wake();
  return http::Response::json(
      boost::json::object{
          {"orderId", order_id}, {"version", version.value_or(0)}, {"eventId", event.event_id}},
      201);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"eskit bench: an order service on eskit::runtime (SQLite, outbox, relay)"};
  std::string database_url;
  std::string brokers;
  std::string topic = "ordering.events";
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned io_threads = http::ServerOptions{}.io_threads;
  unsigned worker_threads = http::ServerOptions{}.worker_threads;
  app.add_option("--database", database_url, "e.g. sqlite:/tmp/orders.db")->required();
  app.add_option("--brokers", brokers, "Kafka bootstrap servers")
      ->envname("ESKIT_BENCH_BROKERS")
      ->required();
  app.add_option("--topic", topic, "where OrderPlaced goes");
  app.add_option("--address", address, "listen address");
  app.add_option("--port", port, "listen port; 0 picks one (see the ready log line)");
  app.add_option("--io-threads", io_threads, "HTTP I/O threads");
  app.add_option("--worker-threads", worker_threads, "handler threads");
  CLI11_PARSE(app, argc, argv);

  eskit::runtime::log::Logger log{std::string(service_name)};
  try {
    // Only the main thread's sigwait sees the stop signals: every thread started below
    // inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto database = db::Database::open(database_url);
    const auto report = db::Migrator(migrations(database.dialect())).run(database);

    auto metrics = std::make_shared<http::MetricsRegistry>();
    auto readiness = std::make_shared<http::Readiness>();
    messaging::RelayOptions relay_options;
    relay_options.name = std::string(service_name);
    messaging::Relay relay(database, kafka::ClientOptions{brokers, std::string(service_name), {}},
                           relay_options, metrics.get());
    readiness->add("database", [&database] {
      database.ping();
      return http::CheckResult::healthy();
    });
    readiness->add("outbox relay", relay.readiness_check());

    http::Router router;
    router.post("/orders/{orderId}/place", [&database, &relay, &topic](http::Request& request) {
      return place(request, database, relay, topic);
    });
    http::ServerOptions options;
    options.address = address;
    options.port = port;
    options.io_threads = io_threads;
    options.worker_threads = worker_threads;
    http::Server server(std::move(router), options, metrics, readiness);
    relay.start();
    server.start();
    log.info("ready", {{"port", server.port()},
                       {"migrations_applied", report.applied.size()},
                       {"database", database.description()}});

    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop(std::chrono::seconds(5));
    relay.stop();
    log.info("stopped", {{"signal", received}});
    return 0;
  } catch (const std::exception& error) {
    log.error("start-up failed", {{"error", error.what()}});
    return 1;
  }
}
