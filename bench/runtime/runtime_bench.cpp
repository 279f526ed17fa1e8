// eskit::runtime's figures, each next to a reference measured in the same run on this machine:
// (a) outbox relay throughput against raw librdkafka producing the same messages to the same
//     broker with the same settings;
// (b) the command endpoint (one SQLite write + one outbox row) under wrk against a bare
//     Boost.Beast server answering a constant, same wrk settings, same thread count;
// (c) end-to-end latency from the command's 201 to the consuming inbox's commit;
// (d) resident memory of the idle service, (e) its start-up time to a 200 from /ready.
// Not a test: nothing fails on a missed goal; the table says "MISSED" and why it matters.
// The figures also go to a JSON file (--json).
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <fcntl.h>
#include <librdkafka/rdkafka.h>
// rdkafka_mock.h must follow rdkafka.h.
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/messaging/relay.hpp"

extern char** environ;

namespace {

namespace db = eskit::runtime::db;
namespace fs = std::filesystem;
namespace http = eskit::runtime::http;
namespace json = boost::json;
namespace kafka = eskit::runtime::kafka;
namespace messaging = eskit::runtime::messaging;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Settings {
  std::string service = ESKIT_BENCH_SERVICE;
  std::string bare = ESKIT_BENCH_BARE_BEAST;
  std::string wrk_script = ESKIT_BENCH_WRK_SCRIPT;
  std::string json_path = ESKIT_BENCH_JSON;
  std::size_t events = 50000;
  std::size_t aggregates = 5000;
  std::size_t few_events = 2000;
  std::size_t few_aggregates = 10;
  std::size_t kept = 100000;
  int runs = 5;
  int wrk_seconds = 5;
  int wrk_threads = 1;
  int wrk_connections = 16;
  unsigned io_threads = 1;
  unsigned worker_threads = 4;
  int e2e_rate = 100;
  int e2e_seconds = 3;
  int starts = 7;
  std::size_t relay_batch = messaging::RelayOptions{}.batch_size;
  bool relay_only = false;
};

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// Nearest rank: the smallest sample with at least p% of the samples at or below it.
double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return NAN;
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * samples.size()));
  return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

const char* verdict(bool met) { return met ? "met" : "MISSED"; }

// ---- the broker ------------------------------------------------------------------------

// librdkafka's mock cluster, as kafka::EmbeddedBroker runs it, but with TCP_NODELAY on the
// broker's sockets, as a real Kafka broker sets it. The mock's connections take their socket
// options from the host client, and EmbeddedBroker's host leaves Nagle on: each small reply then
// waits for the client's delayed ACK (40 ms on Linux). A stream of large batches hardly notices;
// a relay round or a single event would carry a 40 ms no real broker adds.
class Broker {
 public:
  Broker() {
    std::array<char, 512> reason{};
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (const auto& [name, value] :
         {std::pair{"log_level", "3"}, {"socket.nagle.disable", "true"}})
      rd_kafka_conf_set(conf, name, value, reason.data(), reason.size());
    host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, reason.data(), reason.size());
    if (host_ == nullptr) throw std::runtime_error(std::string("mock broker: ") + reason.data());
    cluster_ = rd_kafka_mock_cluster_new(host_, 1);
    if (cluster_ == nullptr) {
      rd_kafka_destroy(host_);
      throw std::runtime_error("mock broker: the cluster did not start");
    }
    bootstrap_servers_ = rd_kafka_mock_cluster_bootstraps(cluster_);
  }
  ~Broker() {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(host_);
  }
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  [[nodiscard]] const std::string& bootstrap_servers() const { return bootstrap_servers_; }
  void create_topic(const char* name, int partitions) {
    if (auto code = rd_kafka_mock_topic_create(cluster_, name, partitions, 1))
      throw std::runtime_error(std::string("creating topic ") + name + ": " +
                               rd_kafka_err2str(code));
  }

 private:
  rd_kafka_t* host_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_servers_;
};

// ---- child processes --------------------------------------------------------------------

// A process whose standard output comes back through a pipe; stopped (SIGTERM, then SIGKILL
// after a grace) when destroyed.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    std::array<int, 2> pipe_fds{};
    if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const int failed = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (failed != 0) {
      ::close(pipe_fds[0]);
      throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(failed));
    }
    out_ = pipe_fds[0];
  }
  ~Child() {
    stop();
    if (out_ >= 0) ::close(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }

  // The next line of output, or nothing at the deadline or end of output.
  std::optional<std::string> read_line(Clock::time_point deadline) {
    for (;;) {
      if (auto end = buffer_.find('\n'); end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd ready{out_, POLLIN, 0};
      if (::poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
      std::array<char, 4096> chunk{};
      const auto n = ::read(out_, chunk.data(), chunk.size());
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }

  // Everything it writes until it exits, and its exit status.
  std::pair<std::string, int> finish() {
    std::string all = std::move(buffer_);
    std::array<char, 4096> chunk{};
    for (;;) {
      const auto n = ::read(out_, chunk.data(), chunk.size());
      if (n <= 0) break;
      all.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return {all, reap(true)};
  }

  int stop(std::chrono::milliseconds grace = 5s) {
    if (pid_ <= 0) return status_;
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + grace;
    while (Clock::now() < deadline) {
      if (reap(false) >= 0) return status_;
      std::this_thread::sleep_for(1ms);
    }
    ::kill(pid_, SIGKILL);
    return reap(true);
  }

 private:
  // The exit status, or -1 while it still runs (when not blocking).
  int reap(bool block) {
    if (pid_ <= 0) return status_;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (done != pid_) return -1;
    pid_ = -1;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return status_;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int status_ = -1;
  std::string buffer_;
};

// The port in a child's "ready" line: `"port":N` (the service's log) or `port=N` (bare).
std::uint16_t ready_port(Child& child, const std::string& what) {
  const auto deadline = Clock::now() + 20s;
  while (auto line = child.read_line(deadline)) {
    if (line->find("ready") == std::string::npos) continue;
    const auto at = line->find("port");
    const auto digits = line->find_first_of("0123456789", at);
    if (at != std::string::npos && digits != std::string::npos)
      return static_cast<std::uint16_t>(std::stoul(line->substr(digits)));
  }
  throw std::runtime_error(what + " did not report ready");
}

struct Memory {
  double rss_mb = 0;
  double peak_mb = 0;
};

Memory memory_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  Memory memory;
  std::string line;
  while (std::getline(status, line)) {
    auto kb = [&line] { return std::stod(line.substr(line.find_first_of("0123456789"))) / 1024; };
    if (line.rfind("VmRSS:", 0) == 0) memory.rss_mb = kb();
    if (line.rfind("VmHWM:", 0) == 0) memory.peak_mb = kb();
  }
  return memory;
}

// ---- the service ------------------------------------------------------------------------

class Service {
 public:
  Service(const Settings& settings, const std::string& brokers, const fs::path& database,
          const std::string& topic)
      : started_(Clock::now()),
        child_({settings.service, "--database", "sqlite:" + database.string(), "--brokers", brokers,
                "--topic", topic, "--io-threads", std::to_string(settings.io_threads),
                "--worker-threads", std::to_string(settings.worker_threads)}),
        port_(ready_port(child_, "the command service")) {
    const auto deadline = Clock::now() + 10s;
    for (;;) {
      auto answer = client_.call(http::ClientRequest::get(url("/ready")));
      if (answer && answer->status == 200) break;
      if (Clock::now() > deadline)
        throw std::runtime_error("the command service is not ready: " +
                                 (answer ? answer->body : answer.error().message));
      std::this_thread::sleep_for(1ms);
    }
    ready_ = Clock::now();
  }

  [[nodiscard]] double startup_ms() const { return ms_between(started_, ready_); }
  [[nodiscard]] std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  [[nodiscard]] pid_t pid() const { return child_.pid(); }
  http::Client& client() { return client_; }
  void stop() { child_.stop(); }

 private:
  http::Client client_;  // first: its set-up is not part of the start-up being timed
  Clock::time_point started_;
  Child child_;
  std::uint16_t port_;
  Clock::time_point ready_;
};

// ---- (a) relay against raw produce ------------------------------------------------------

// The service's OrderPlaced, over `aggregates` orders in turn, so consecutive events belong to
// different aggregates as they do when many clients send commands.
std::vector<messaging::Envelope> order_events(std::size_t count, std::size_t aggregates) {
  std::vector<messaging::Envelope> events;
  events.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string order = "o-" + std::to_string(i % aggregates);
    events.push_back(messaging::Envelope::make(
        "OrderPlaced", "ordering", order,
        R"({"orderId":")" + order + R"(","customer":"c-42","total":99.5,"items":3,"version":)" +
            std::to_string(i / aggregates + 1) + "}",
        "corr-" + std::to_string(i)));
  }
  return events;
}

std::size_t wire_bytes(const messaging::EncodedEvent& event) {
  std::size_t bytes = event.key.size() + event.body.size();
  for (const auto& header : event.headers) bytes += header.name.size() + header.value.size();
  return bytes;
}

struct RawReports {
  std::atomic<std::size_t> persisted{0};
  std::atomic<std::size_t> failed{0};
};

void raw_delivered(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* reports = static_cast<RawReports*>(opaque);
  if (message->err == 0 && rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_PERSISTED)
    ++reports->persisted;
  else
    ++reports->failed;
}

// librdkafka alone, configured as eskit's producer is configured for the relay (idempotent,
// hence acks=all; murmur2_random; linger.ms=0; the relay's message.timeout.ms), timed from
// the first produce to the last acknowledgement.
double raw_produce(const std::string& brokers, const std::string& topic,
                   const std::vector<messaging::EncodedEvent>& events) {
  std::array<char, 512> reason{};
  std::unique_ptr<rd_kafka_conf_t, decltype(&rd_kafka_conf_destroy)> conf(rd_kafka_conf_new(),
                                                                          &rd_kafka_conf_destroy);
  const std::vector<std::pair<const char*, std::string>> properties{
      {"bootstrap.servers", brokers},
      {"client.id", "bench-raw"},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"partitioner", "murmur2_random"},
      {"linger.ms", "0"},
      {"message.timeout.ms", std::to_string(messaging::RelayOptions{}.delivery_timeout.count())}};
  for (const auto& [name, value] : properties)
    if (rd_kafka_conf_set(conf.get(), name, value.c_str(), reason.data(), reason.size()) !=
        RD_KAFKA_CONF_OK)
      throw std::runtime_error(std::string("librdkafka ") + name + ": " + reason.data());
  RawReports reports;
  rd_kafka_conf_set_dr_msg_cb(conf.get(), raw_delivered);
  rd_kafka_conf_set_opaque(conf.get(), &reports);

  std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)> handle(
      rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason.data(), reason.size()), &rd_kafka_destroy);
  if (!handle) throw std::runtime_error(std::string("librdkafka: ") + reason.data());
  conf.release();  // rd_kafka_new took it
  rd_kafka_t* producer = handle.get();
  std::vector<rd_kafka_vu_t> fields;
  auto produce = [&](const messaging::EncodedEvent& event) {
    fields.assign(4, rd_kafka_vu_t{});
    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields[0].u.cstr = topic.c_str();
    fields[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[1].u.i = RD_KAFKA_MSG_F_COPY;
    fields[2].vtype = RD_KAFKA_VTYPE_KEY;
    fields[2].u.mem = {const_cast<char*>(event.key.data()), event.key.size()};
    fields[3].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[3].u.mem = {const_cast<char*>(event.body.data()), event.body.size()};
    for (const auto& header : event.headers) {
      rd_kafka_vu_t field{};
      field.vtype = RD_KAFKA_VTYPE_HEADER;
      field.u.header = {header.name.c_str(), header.value.data(),
                        static_cast<ssize_t>(header.value.size())};
      fields.push_back(field);
    }
    for (;;) {
      rd_kafka_error_t* error = rd_kafka_produceva(producer, fields.data(), fields.size());
      if (error == nullptr) break;
      const auto code = rd_kafka_error_code(error);
      rd_kafka_error_destroy(error);
      if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL)
        throw std::runtime_error(std::string("raw produce: ") + rd_kafka_err2str(code));
      rd_kafka_poll(producer, 1);
    }
    rd_kafka_poll(producer, 0);
  };
  // One message first, as the relay run publishes one before its clock starts: connecting,
  // the producer id and the topic's metadata are start-up, not throughput.
  produce(events.front());
  rd_kafka_flush(producer, 60'000);
  reports.persisted = 0;
  const auto start = Clock::now();
  for (const auto& event : events) produce(event);
  rd_kafka_flush(producer, 60'000);
  const auto end = Clock::now();
  if (reports.persisted != events.size())
    throw std::runtime_error("raw produce: " + std::to_string(reports.failed) + " of " +
                             std::to_string(events.size()) + " deliveries failed");
  return static_cast<double>(events.size()) / std::chrono::duration<double>(end - start).count();
}

// The relay publishes one event first (see raw_produce), then the same events are committed
// to its outbox in one unit of work and it is timed from wake() until it has marked the last
// one sent. `kept` sent rows come first, as the purge keeps a day of them in a service.
double relay_throughput(const std::string& brokers, const std::string& topic,
                        const std::vector<messaging::Envelope>& events, const fs::path& file,
                        std::size_t batch, std::size_t kept = 0) {
  auto database = db::Database::open("sqlite:" + file.string());
  db::Migrator(messaging::Outbox::migrations(database.dialect(), 1)).run(database);
  auto append = [&](auto first, auto last) {
    auto uow = database.begin();
    for (auto event = first; event != last; ++event) messaging::Outbox::append(uow, *event, topic);
    uow.commit();
  };
  if (kept > 0) {
    const auto history = order_events(kept, kept);
    append(history.begin(), history.end());
    auto uow = database.begin();
    uow.execute("update eskit_outbox set sent_at = created_at, attempts = 1");
    uow.commit();
  }
  messaging::RelayOptions options;
  options.batch_size = batch;
  messaging::Relay relay(database, {brokers, "bench-relay", {}}, options);
  auto wait_published = [&relay](std::size_t count) {
    const auto deadline = Clock::now() + 300s;
    while (relay.published() < count) {
      if (Clock::now() > deadline) throw std::runtime_error("the relay did not drain the outbox");
      std::this_thread::sleep_for(200us);
    }
  };
  auto warm_up = messaging::Envelope::make("OrderPlaced", "ordering", "warm-up", "{}");
  append(&warm_up, &warm_up + 1);
  relay.start();
  wait_published(1);
  append(events.begin(), events.end());
  const auto start = Clock::now();
  relay.wake();
  wait_published(events.size() + 1);
  const auto end = Clock::now();
  relay.stop();
  if (relay.failed() != 0 || messaging::Outbox::backlog(database) != 0)
    throw std::runtime_error("the relay failed " + std::to_string(relay.failed()) + " deliveries");
  return static_cast<double>(events.size()) / std::chrono::duration<double>(end - start).count();
}

double median_of(std::vector<double> samples) { return percentile(std::move(samples), 50); }

// ---- (b) wrk ----------------------------------------------------------------------------

struct Load {
  double requests_per_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::int64_t requests = 0, non_2xx = 0, socket_errors = 0;
};

Load wrk(const Settings& settings, const std::string& url, const std::string& mode, int seconds) {
  Child run({"wrk", "-t", std::to_string(settings.wrk_threads), "-c",
             std::to_string(settings.wrk_connections), "-d", std::to_string(seconds) + "s",
             "--timeout", "10s", "-s", settings.wrk_script, url, "--", mode});
  auto [output, status] = run.finish();
  const auto at = output.find("wrk-summary ");
  if (status != 0 || at == std::string::npos)
    throw std::runtime_error("wrk failed (status " + std::to_string(status) + "): " + output);
  const auto line = output.substr(at + 12, output.find('\n', at) - at - 12);
  const auto summary = json::parse(line).as_object();
  auto number = [&summary](std::string_view key) { return summary.at(key).to_number<double>(); };
  Load load;
  load.requests = summary.at("requests").to_number<std::int64_t>();
  load.non_2xx = summary.at("non_2xx").to_number<std::int64_t>();
  load.socket_errors = summary.at("socket_errors").to_number<std::int64_t>();
  load.requests_per_s = static_cast<double>(load.requests) / (number("duration_us") / 1e6);
  load.p50_ms = number("p50_us") / 1000;
  load.p90_ms = number("p90_us") / 1000;
  load.p99_ms = number("p99_us") / 1000;
  load.max_ms = number("max_us") / 1000;
  return load;
}

json::object to_json(const Load& load, double reference) {
  return {{"requests_per_s", load.requests_per_s},
          {"ratio_to_bare_beast", load.requests_per_s / reference},
          {"p50_ms", load.p50_ms},
          {"p90_ms", load.p90_ms},
          {"p99_ms", load.p99_ms},
          {"max_ms", load.max_ms},
          {"requests", load.requests},
          {"non_2xx", load.non_2xx},
          {"socket_errors", load.socket_errors}};
}

// ---- (c) end to end ---------------------------------------------------------------------

struct EndToEnd {
  std::vector<double> latency_ms;  // 201 received → inbox transaction committed
  std::vector<double> command_ms;  // the HTTP round trip of the command itself
  std::uint64_t duplicates = 0, dead_lettered = 0;
};

// Commands at a fixed rate, one connection, each to a new order; a consumer in this process
// applies every OrderPlaced through the inbox into a projection table. InboxConsumer counts an
// event handled right after its unit of work commits, so a watcher that sees the count rise
// timestamps the commit (to within its 50 µs poll); the handler records which event that is.
EndToEnd end_to_end(const Settings& settings, Service& service, const std::string& brokers,
                    const std::string& topic, const fs::path& consumer_file) {
  auto database = db::Database::open("sqlite:" + consumer_file.string());
  auto migrations = messaging::Outbox::migrations(database.dialect(), 2);
  migrations.push_back(
      {1, "order view", "create table order_view (id text primary key, version integer not null)"});
  db::Migrator(std::move(migrations)).run(database);

  std::mutex mutex;
  std::vector<std::string> handled_order;  // event ids, in the order their handler ran
  std::unordered_map<std::string, Clock::time_point> committed;
  kafka::ConsumerOptions consumer_options;
  // The mock broker holds a fetch that finds no data for the whole fetch.wait.max.ms (500 ms
  // by default) even when data arrives meanwhile; a real broker answers as soon as it has data.
  // A short wait keeps the mock from adding its own half-second to every event.
  consumer_options.client = {brokers, "bench-consumer", {{"fetch.wait.max.ms", "5"}}};
  consumer_options.group_id = "bench-projection";
  messaging::InboxConsumer consumer(
      database, consumer_options, {topic},
      [&](db::UnitOfWork& uow, const messaging::Envelope& event) {
        uow.execute(
            "insert into order_view (id, version) values (:id, 1) on conflict (id) do update set "
            "version = order_view.version + 1",
            event.aggregate_id);
        std::lock_guard lock(mutex);
        handled_order.push_back(event.event_id);
      });
  consumer.start();
  std::jthread watcher([&](std::stop_token stop) {
    std::uint64_t seen = 0;
    while (!stop.stop_requested()) {
      const auto handled = consumer.handled();
      if (handled == seen) {
        std::this_thread::sleep_for(50us);
        continue;
      }
      const auto now = Clock::now();
      std::lock_guard lock(mutex);
      for (auto i = seen; i < handled && i < handled_order.size(); ++i)
        committed[handled_order[i]] = now;
      seen = handled;
    }
  });

  std::unordered_map<std::string, Clock::time_point> accepted;
  EndToEnd result;
  int order = 0;
  auto place = [&](bool measured) {
    auto request = http::ClientRequest::json(
        "POST", service.url("/orders/e2e-" + std::to_string(order++) + "/place"),
        json::object{{"customer", "c-42"}, {"total", 99.5}, {"items", 3}});
    const auto sent = Clock::now();
    auto answer = service.client().call(request);
    const auto received = Clock::now();
    if (!answer || answer->status != 201)
      throw std::runtime_error("command failed: " +
                               (answer ? answer->body : answer.error().message));
    const std::string event_id(answer->json().as_object().at("eventId").as_string());
    if (measured) {
      accepted[event_id] = received;
      result.command_ms.push_back(ms_between(sent, received));
    }
  };
  auto wait_handled = [&](std::uint64_t count, std::chrono::seconds within) {
    const auto deadline = Clock::now() + within;
    while (consumer.handled() < count) {
      if (Clock::now() > deadline) throw std::runtime_error("the consumer fell silent");
      std::this_thread::sleep_for(1ms);
    }
  };
  // The group join comes first and takes seconds on the mock; then a short warm-up at the rate.
  place(false);
  wait_handled(1, 60s);
  const auto interval = std::chrono::duration_cast<Clock::duration>(1s) / settings.e2e_rate;
  for (int i = 0; i < 20; ++i) {
    place(false);
    std::this_thread::sleep_for(interval);
  }
  const auto measured = static_cast<std::size_t>(settings.e2e_rate * settings.e2e_seconds);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < measured; ++i) {
    std::this_thread::sleep_until(start + i * interval);
    place(true);
  }
  wait_handled(static_cast<std::uint64_t>(order), 30s);
  std::this_thread::sleep_for(5ms);  // the watcher's last look
  watcher.request_stop();
  watcher.join();
  consumer.stop();
  result.duplicates = consumer.duplicates();
  result.dead_lettered = consumer.dead_lettered();
  if (handled_order.size() != consumer.handled())
    throw std::runtime_error("a handler ran more often than events were handled");
  for (const auto& [event_id, at] : accepted) {
    const auto found = committed.find(event_id);
    if (found == committed.end()) throw std::runtime_error("event " + event_id + " never handled");
    result.latency_ms.push_back(ms_between(at, found->second));
  }
  return result;
}

json::object distribution(const std::vector<double>& samples) {
  return {{"p50_ms", percentile(samples, 50)},
          {"p99_ms", percentile(samples, 99)},
          {"max_ms", percentile(samples, 100)},
          {"samples", samples.size()}};
}

// ---- the run ----------------------------------------------------------------------------

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "eskit-runtime-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

int run(const Settings& s) {
  ScratchDir scratch;
  Broker broker;
  const std::string brokers = broker.bootstrap_servers();
  for (const char* topic :
       {"bench.raw", "bench.relay", "ordering.startup", "ordering.load", "ordering.e2e"})
    broker.create_topic(topic, 4);
  json::object report;
  const unsigned server_threads = s.io_threads + s.worker_threads;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  // What else runs here shows in every figure; the references share it, the goals do not.
  double load_average = 0;
  std::ifstream("/proc/loadavg") >> load_average;
  std::printf(
      "eskit::runtime benchmarks: one run on this machine (%u cores, load average %.2f at the\n"
      "start). Broker: librdkafka's mock cluster in this process (1 broker, topics of 4\n"
      "partitions, TCP_NODELAY like a real one).\n",
      cores, load_average);
  report["machine"] = json::object{{"cores", cores}, {"load_average_at_start", load_average}};

  // (a)
  const auto many = order_events(s.events, s.aggregates);
  const auto few = order_events(s.few_events, s.few_aggregates);
  std::vector<messaging::EncodedEvent> encoded;
  std::size_t bytes = 0;
  for (const auto& event : many) {
    encoded.push_back(messaging::encode(event));
    bytes += wire_bytes(encoded.back());
  }
  std::vector<double> raw_runs, relay_runs;
  for (int run = 0; run < s.runs; ++run) {
    raw_runs.push_back(raw_produce(brokers, "bench.raw", encoded));
    relay_runs.push_back(relay_throughput(brokers, "bench.relay", many,
                                          scratch / ("relay-" + std::to_string(run) + ".db"),
                                          s.relay_batch));
  }
  const double raw = median_of(raw_runs);
  const double relay = median_of(relay_runs);
  const double relay_ratio = relay / raw;
  const double relay_kept = relay_throughput(brokers, "bench.relay", many,
                                             scratch / "relay-kept.db", s.relay_batch, s.kept);
  const double relay_few =
      relay_throughput(brokers, "bench.relay", few, scratch / "relay-few.db", s.relay_batch);
  std::printf(
      "\n(a) outbox relay vs raw librdkafka produce to the same broker: the same %zu OrderPlaced\n"
      "    events (%zu B on average: key, JSON body, 9 headers), idempotent producer (acks=all)\n"
      "    with the relay's settings (linger.ms=0), each warmed up with one message first;\n"
      "    the relay's outbox is SQLite, %zu rows a round; median of %d runs\n",
      s.events, bytes / encoded.size(), s.relay_batch, s.runs);
  std::printf("  %-52s %9s %8s\n", "", "msg/s", "ratio");
  std::printf("  %-52s %9.0f\n", "raw librdkafka produce (reference)", raw);
  const auto relay_row = [raw](const std::string& name, double rate, const char* note) {
    std::printf("  %-52s %9.0f   x%.3f  %s\n", name.c_str(), rate, rate / raw, note);
  };
  relay_row("relay, " + std::to_string(s.aggregates) + " aggregates", relay,
            relay_ratio >= 0.8 ? "goal >= 0.8: met" : "goal >= 0.8: MISSED");
  relay_row("  the same after " + std::to_string(s.kept) + " sent rows kept (one run)", relay_kept,
            "(a service keeps a day of them until the purge)");
  relay_row("relay, " + std::to_string(s.few_aggregates) + " aggregates, " +
                std::to_string(s.few_events) + " events (one run)",
            relay_few, "(one event per aggregate per broker round trip: order)");
  report["relay"] =
      json::object{{"events", s.events},
                   {"batch_size", s.relay_batch},
                   {"aggregates", s.aggregates},
                   {"average_message_bytes", bytes / encoded.size()},
                   {"raw_produce_msgs_per_s", raw},
                   {"relay_msgs_per_s", relay},
                   {"ratio", relay_ratio},
                   {"goal_ratio", 0.8},
                   {"goal_met", relay_ratio >= 0.8},
                   {"raw_runs", json::value_from(raw_runs)},
                   {"relay_runs", json::value_from(relay_runs)},
                   {"with_sent_rows_kept", json::object{{"kept", s.kept},
                                                        {"relay_msgs_per_s", relay_kept},
                                                        {"ratio", relay_kept / raw}}},
                   {"few_aggregates", json::object{{"events", s.few_events},
                                                   {"aggregates", s.few_aggregates},
                                                   {"relay_msgs_per_s", relay_few},
                                                   {"ratio", relay_few / raw}}}};
  if (s.relay_only) return 0;

  // (e) first: each start is a fresh process, not disturbed by what the load leaves behind.
  std::vector<double> fresh, existing;
  for (int i = 0; i < s.starts; ++i) {
    Service service(s, brokers, scratch / ("startup-" + std::to_string(i) + ".db"),
                    "ordering.startup");
    fresh.push_back(service.startup_ms());
  }
  for (int i = 0; i < s.starts; ++i) {
    Service service(s, brokers, scratch / "startup-0.db", "ordering.startup");
    existing.push_back(service.startup_ms());
  }

  // (d) and (b): one service, idle first, then under load.
  Service service(s, brokers, scratch / "load.db", "ordering.load");
  std::this_thread::sleep_for(2s);
  const auto idle = memory_of(service.pid());

  Child bare({s.bare, std::to_string(server_threads)});
  const auto bare_port = ready_port(bare, "the bare Beast server");
  const auto bare_url = "http://127.0.0.1:" + std::to_string(bare_port);
  wrk(s, bare_url, "place", 1);  // warm-up
  const auto reference = wrk(s, bare_url, "place", s.wrk_seconds);
  bare.stop();
  wrk(s, service.url(""), "health", 1);
  const auto health = wrk(s, service.url(""), "health", s.wrk_seconds);
  wrk(s, service.url(""), "place", 1);
  const auto command = wrk(s, service.url(""), "place", s.wrk_seconds);
  const auto load_end = Clock::now();
  auto service_db =
      db::Database::open("sqlite:" + (scratch / "load.db").string(), {.pool_size = 1});
  const auto backlog = messaging::Outbox::backlog(service_db);
  while (messaging::Outbox::backlog(service_db) > 0) {
    if (Clock::now() > load_end + 120s) throw std::runtime_error("the relay did not catch up");
    std::this_thread::sleep_for(5ms);
  }
  const double drain_ms = ms_between(load_end, Clock::now());
  std::this_thread::sleep_for(1s);
  const auto after_load = memory_of(service.pid());
  service.stop();

  std::printf(
      "\n(b) HTTP: wrk -t%d -c%d -d%ds, keep-alive, after a 1 s warm-up; %u server threads each\n"
      "    (eskit: %u I/O + %u handler threads; bare Beast: %u I/O threads)\n",
      s.wrk_threads, s.wrk_connections, s.wrk_seconds, server_threads, s.io_threads,
      s.worker_threads, server_threads);
  std::printf("  %-46s %9s %8s %8s %7s\n", "", "req/s", "p50", "p99", "ratio");
  auto row = [&reference](const char* name, const Load& load) {
    std::printf("  %-46s %9.0f %6.2fms %6.2fms  x%.3f", name, load.requests_per_s, load.p50_ms,
                load.p99_ms, load.requests_per_s / reference.requests_per_s);
    if (load.non_2xx + load.socket_errors > 0)
      std::printf("  (%lld non-2xx, %lld socket errors)", static_cast<long long>(load.non_2xx),
                  static_cast<long long>(load.socket_errors));
    std::printf("\n");
  };
  row("bare Beast, constant JSON (reference)", reference);
  row("eskit server, GET /health", health);
  row("POST /orders/{id}/place (SQLite + outbox)", command);
  std::printf("  relay backlog when the load stopped: %lld rows, published within %.0f ms\n",
              static_cast<long long>(backlog), drain_ms);
  report["http"] = json::object{{"wrk", json::object{{"threads", s.wrk_threads},
                                                     {"connections", s.wrk_connections},
                                                     {"seconds", s.wrk_seconds}}},
                                {"server_threads", server_threads},
                                {"bare_beast", to_json(reference, reference.requests_per_s)},
                                {"eskit_health", to_json(health, reference.requests_per_s)},
                                {"command", to_json(command, reference.requests_per_s)},
                                {"relay_backlog_after_load", backlog},
                                {"relay_drain_ms", drain_ms}};

  // (c)
  Service e2e_service(s, brokers, scratch / "e2e.db", "ordering.e2e");
  const auto e2e = end_to_end(s, e2e_service, brokers, "ordering.e2e", scratch / "consumer.db");
  e2e_service.stop();
  std::printf(
      "\n(c) end to end, command's 201 received -> consumer's inbox transaction committed\n"
      "    (%d commands/s for %d s, one connection, a new order each; consumer "
      "fetch.wait.max.ms=5)\n",
      s.e2e_rate, s.e2e_seconds);
  std::printf("  %-46s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms\n", "end to end",
              percentile(e2e.latency_ms, 50), percentile(e2e.latency_ms, 99),
              percentile(e2e.latency_ms, 100));
  std::printf("  %-46s p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms\n",
              "the command's HTTP round trip (for scale)", percentile(e2e.command_ms, 50),
              percentile(e2e.command_ms, 99), percentile(e2e.command_ms, 100));
  if (e2e.duplicates + e2e.dead_lettered > 0)
    std::printf("  (%llu duplicates, %llu dead-lettered)\n",
                static_cast<unsigned long long>(e2e.duplicates),
                static_cast<unsigned long long>(e2e.dead_lettered));
  report["end_to_end"] = json::object{{"rate_per_s", s.e2e_rate},
                                      {"seconds", s.e2e_seconds},
                                      {"accepted_to_committed", distribution(e2e.latency_ms)},
                                      {"command_round_trip", distribution(e2e.command_ms)},
                                      {"duplicates", e2e.duplicates},
                                      {"dead_lettered", e2e.dead_lettered}};

  const double fresh_ms = median_of(fresh);
  const double existing_ms = median_of(existing);
  std::printf(
      "\n(d) resident memory of the command service, idle 2 s after ready: %.1f MB   goal < 20 MB: "
      "%s\n    (after the load above: %.1f MB resident, peak %.1f MB)\n",
      idle.rss_mb, verdict(idle.rss_mb < 20), after_load.rss_mb, after_load.peak_mb);
  std::printf(
      "\n(e) start-up to ready (spawn -> first 200 from /ready), SQLite, median of %d starts\n",
      s.starts);
  std::printf("  %-46s %6.1f ms  (min %.1f, max %.1f)   goal < 100 ms: %s\n",
              "new database (migrations applied)", fresh_ms, percentile(fresh, 0),
              percentile(fresh, 100), verdict(fresh_ms < 100));
  std::printf("  %-46s %6.1f ms  (min %.1f, max %.1f)   goal < 100 ms: %s\n",
              "existing database (restart)", existing_ms, percentile(existing, 0),
              percentile(existing, 100), verdict(existing_ms < 100));
  report["memory"] = json::object{{"idle_rss_mb", idle.rss_mb},
                                  {"goal_mb", 20},
                                  {"goal_met", idle.rss_mb < 20},
                                  {"after_load_rss_mb", after_load.rss_mb},
                                  {"after_load_peak_mb", after_load.peak_mb}};
  report["startup"] = json::object{{"new_database_median_ms", fresh_ms},
                                   {"existing_database_median_ms", existing_ms},
                                   {"new_database_ms", json::value_from(fresh)},
                                   {"existing_database_ms", json::value_from(existing)},
                                   {"goal_ms", 100},
                                   {"goal_met", std::max(fresh_ms, existing_ms) < 100}};

  std::ofstream out(s.json_path, std::ios::trunc);
  out << json::serialize(report) << '\n';
  if (!out) throw std::runtime_error("cannot write " + s.json_path);
  std::printf("\nfigures written to %s\n", s.json_path.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  CLI::App app{"eskit::runtime benchmarks (not a test): figures next to same-run references"};
  app.add_option("--json", s.json_path, "where the figures go");
  app.add_option("--events", s.events, "events the relay and raw produce publish");
  app.add_option("--aggregates", s.aggregates, "aggregates those events belong to");
  app.add_option("--few-events", s.few_events, "events of the few-aggregates relay run");
  app.add_option("--few-aggregates", s.few_aggregates, "aggregates of that run");
  app.add_option("--kept", s.kept, "sent rows kept in the outbox for the history run");
  app.add_option("--runs", s.runs, "runs of raw produce and relay (median)");
  app.add_option("--wrk-seconds", s.wrk_seconds, "length of each wrk run");
  app.add_option("--wrk-threads", s.wrk_threads, "wrk threads");
  app.add_option("--connections", s.wrk_connections, "wrk connections");
  app.add_option("--io-threads", s.io_threads, "the service's HTTP I/O threads");
  app.add_option("--worker-threads", s.worker_threads, "the service's handler threads");
  app.add_option("--e2e-rate", s.e2e_rate, "commands per second for the latency run");
  app.add_option("--e2e-seconds", s.e2e_seconds, "length of the latency run");
  app.add_option("--starts", s.starts, "starts timed per case (median)");
  app.add_option("--relay-batch", s.relay_batch, "the relay's rows per round (RelayOptions)");
  app.add_flag("--relay-only", s.relay_only, "measure (a) only");
  CLI11_PARSE(app, argc, argv);
  // A wrk or service that dies must not take the driver with it through a broken pipe.
  ::signal(SIGPIPE, SIG_IGN);
  try {
    return run(s);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "runtime_bench: %s\n", error.what());
    return 1;
  }
}
