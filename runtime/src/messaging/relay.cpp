#include "eskit/runtime/messaging/relay.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "eskit/runtime/kafka/kafka_error.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "messaging/encode_stored.hpp"
#include "messaging/outbox_sql.hpp"

namespace eskit::runtime::messaging {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto backlog_refresh_while_draining = 1s;

db::Timestamp db_now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// What the metrics and the readiness check read. Shared with the registry's sampling function,
// which may outlive the relay.
struct Stats {
  std::atomic<bool> running{false};
  std::atomic<std::int64_t> backlog{0};
  std::atomic<std::int64_t> oldest_unsent_us{0};  // since the epoch; 0 = nothing unsent
  std::atomic<std::uint64_t> published{0};
  std::atomic<std::uint64_t> failed{0};
  mutable std::mutex error_mutex;
  std::string last_error;

  void set_error(std::string text) {
    std::lock_guard lock(error_mutex);
    last_error = std::move(text);
  }
  std::string error() const {
    std::lock_guard lock(error_mutex);
    return last_error;
  }
  double oldest_age_seconds() const {
    const auto oldest = oldest_unsent_us.load();
    if (oldest == 0) return 0.0;
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return now > oldest ? static_cast<double>(now - oldest) / 1e6 : 0.0;
  }
};

using Row = std::tuple<std::int64_t, std::string, std::string, std::string, int, std::string,
                       std::string, std::string, std::string, db::Timestamp, std::string>;

template <class... Params>
std::vector<Row> claim_rows(db::UnitOfWork& uow, const db::Statement& statement,
                            const Params&... params) {
  return uow.query<std::int64_t, std::string, std::string, std::string, int, std::string,
                   std::string, std::string, std::string, db::Timestamp, std::string>(statement,
                                                                                      params...);
}

// SQLite: up to `batch` heads, the first row of each (topic, aggregate) met in id order from
// `floor`, below which every row is sent. The rows behind a head wait for a later round. The
// scan goes on past them, chunk by chunk, until it has `batch` heads or no row is left: a head
// that keeps failing with thousands of its aggregate's rows queued behind it must not hide
// every other aggregate's.
std::vector<Row> claim_sqlite_heads(db::UnitOfWork& uow, std::int64_t floor, std::size_t batch) {
  std::vector<Row> heads;
  std::unordered_set<std::string> seen;
  for (auto from = floor;;) {
    auto rows = claim_rows(uow, sql::claim_sqlite, from, batch);
    for (auto& row : rows) {
      // A Kafka topic name has no NUL, so the pair is unambiguous.
      if (seen.insert(std::get<1>(row) + '\0' + std::get<6>(row)).second)
        heads.push_back(std::move(row));
      if (heads.size() == batch) return heads;
    }
    if (rows.empty() || rows.size() < batch) return heads;
    from = std::get<0>(rows.back()) + 1;
  }
}

struct Outcome {
  bool ok = false;
  std::string error;
};

void mark_sent(db::UnitOfWork& uow, const std::vector<std::int64_t>& ids, db::Timestamp sent_at) {
  static const db::Statement statement{"eskit_outbox.mark_sent", sql::mark_sent_sql()};
  std::vector<db::Value> values;
  for (std::size_t first = 0; first < ids.size(); first += sql::mark_chunk) {
    values.assign(1, sent_at);
    for (std::size_t i = 0; i < sql::mark_chunk; ++i)
      values.emplace_back(ids[std::min(first + i, ids.size() - 1)]);
    uow.execute_values(statement, values);
  }
}

}  // namespace

struct Relay::State {
  db::Database database;
  kafka::ClientOptions client;
  RelayOptions options;
  std::shared_ptr<Stats> stats = std::make_shared<Stats>();
  http::Counter* published_counter = nullptr;
  http::Counter* failed_counter = nullptr;
  http::Gauge* backlog_gauge = nullptr;

  std::mutex control_mutex;  // woken, stopping
  std::condition_variable control;
  bool woken = false;
  std::atomic<bool> stopping{false};
  std::thread thread;

  // Delivery reports of the round in flight, keyed by outbox row id.
  std::mutex reports_mutex;
  std::condition_variable reports_arrived;
  std::unordered_set<std::uint64_t> awaited;
  std::unordered_map<std::uint64_t, Outcome> outcomes;

  // SQLite: every row with a smaller id is sent. The oldest unsent row of the outbox comes first
  // in a claim; rows below it are sent, sent rows never become unsent again, and AUTOINCREMENT
  // gives new rows larger ids than any row ever stored. (PostgreSQL may commit a smaller id
  // after a larger one, and skips locked heads.)
  std::int64_t unsent_floor = 0;

  State(db::Database db, kafka::ClientOptions c, RelayOptions o)
      : database(std::move(db)), client(std::move(c)), options(std::move(o)) {}

  // Runs on the producer's delivery thread: record and notify only, the relay thread does the
  // database work (one transaction per round, not one per message).
  void on_report(const kafka::DeliveryReport& report) {
    std::lock_guard lock(reports_mutex);
    if (!awaited.contains(report.correlation_id)) return;  // a late report of an abandoned round
    const bool ok = report.ok() && report.persistence == kafka::Persistence::persisted;
    outcomes[report.correlation_id] = Outcome{ok, ok ? std::string() : report.error};
    // Only the last report ends the round's wait: waking the relay thread for each of them
    // cost a context switch a message.
    if (outcomes.size() == awaited.size()) reports_arrived.notify_all();
  }

  struct RoundResult {
    std::size_t rows = 0;
    std::size_t failures = 0;
  };

  RoundResult round(kafka::Producer& producer) {
    const bool postgresql = database.backend() == db::Backend::postgresql;
    // PostgreSQL: the claiming transaction stays open while the rows are in flight, holding
    // their row locks against a second relay. SQLite: one relay per file, so read without
    // holding the write lock, which the service's own commands need meanwhile.
    // The marks need no flush to disk: a mark lost to a power cut publishes the event again,
    // and consumers' inboxes drop the copy.
    constexpr auto relaxed = db::TransactionOptions::Durability::relaxed;
    auto claim = database.begin(
        postgresql ? db::TransactionOptions{.durability = relaxed}
                   : db::TransactionOptions{.access = db::TransactionOptions::Access::read_only});
    auto rows = postgresql ? claim_rows(claim, sql::claim_postgresql, options.batch_size)
                           : claim_sqlite_heads(claim, unsent_floor, options.batch_size);
    if (!postgresql || rows.empty()) claim.commit();
    if (rows.empty()) return {};
    if (!postgresql) unsent_floor = std::get<0>(rows.front());

    {
      std::lock_guard lock(reports_mutex);
      awaited.clear();
      outcomes.clear();
      for (const auto& row : rows) awaited.insert(static_cast<std::uint64_t>(std::get<0>(row)));
    }
    for (auto& [id, topic, event_id, type, version, source, aggregate, correlation, causation,
                occurred, payload] : rows) {
      const auto row_id = static_cast<std::uint64_t>(id);
      try {
        Envelope e{std::move(event_id),
                   std::move(type),
                   version,
                   std::move(source),
                   std::move(aggregate),
                   std::move(correlation),
                   std::move(causation),
                   occurred,
                   std::move(payload)};
        auto encoded = encode_stored(e);
        producer.produce({std::move(topic), std::move(encoded.key), std::move(encoded.body),
                          std::move(encoded.headers), row_id});
      } catch (const std::exception& error) {
        // Not even queued (queue full, message too large, unencodable row): a failure of this
        // row only; the aggregate's later rows wait behind it.
        std::lock_guard lock(reports_mutex);
        outcomes[row_id] = Outcome{false, error.what()};
      }
    }
    {
      // Every queued message gets a report within message.timeout.ms; the margin covers the
      // delivery thread's scheduling. Only stop() ends the wait early.
      std::unique_lock lock(reports_mutex);
      const auto deadline = Clock::now() + options.delivery_timeout + 5s;
      reports_arrived.wait_until(
          lock, deadline, [&] { return outcomes.size() == awaited.size() || stopping.load(); });
    }
    std::unordered_map<std::uint64_t, Outcome> settled;
    {
      std::lock_guard lock(reports_mutex);
      settled.swap(outcomes);
      awaited.clear();
    }

    auto mark = postgresql ? std::move(claim) : database.begin({.durability = relaxed});
    const auto sent_at = db_now();
    RoundResult result{rows.size(), 0};
    std::vector<std::int64_t> sent;
    std::string last_error;
    for (const auto& [id, outcome] : settled) {
      if (outcome.ok) {
        sent.push_back(static_cast<std::int64_t>(id));
      } else {
        mark.execute(sql::mark_failed, outcome.error, static_cast<std::int64_t>(id));
        ++result.failures;
        last_error = outcome.error;
      }
    }
    mark_sent(mark, sent, sent_at);
    mark.commit();
    const std::size_t published = sent.size();
    stats->published += published;
    stats->failed += result.failures;
    if (published_counter) published_counter->inc(static_cast<double>(published));
    if (failed_counter) failed_counter->inc(static_cast<double>(result.failures));
    if (!last_error.empty())
      stats->set_error("delivery failed: " + last_error);
    else if (published > 0)
      stats->set_error({});
    return result;
  }

  void refresh_backlog() {
    using Backlog = std::optional<std::tuple<std::int64_t, std::optional<db::Timestamp>>>;
    auto uow = database.begin({db::TransactionOptions::Access::read_only});
    const Backlog row =
        database.backend() == db::Backend::postgresql
            ? uow.query_one<std::int64_t, std::optional<db::Timestamp>>(sql::backlog)
            : uow.query_one<std::int64_t, std::optional<db::Timestamp>>(sql::backlog_from,
                                                                        unsent_floor);
    uow.commit();
    const auto count = row ? std::get<0>(*row) : 0;
    const auto oldest = row ? std::get<1>(*row) : std::nullopt;
    stats->backlog = count;
    stats->oldest_unsent_us = oldest ? oldest->time_since_epoch().count() : 0;
    if (backlog_gauge) backlog_gauge->set(static_cast<double>(count));
  }

  // Waits until `until`, or earlier when stopped (and, if wakeable, when woken).
  void pause(Clock::time_point until, bool wakeable) {
    std::unique_lock lock(control_mutex);
    control.wait_until(lock, until, [&] { return stopping.load() || (wakeable && woken); });
    if (wakeable) woken = false;
  }

  void run() {
    kafka::ClientOptions producer_options = client;
    // A round is produced in one burst and then waits for every acknowledgement, so lingering
    // after its last message only delays the round; what queues behind a request in flight is
    // batched anyway.
    producer_options.properties.try_emplace("linger.ms", "0");
    producer_options.properties.try_emplace("message.timeout.ms",
                                            std::to_string(options.delivery_timeout.count()));
    kafka::Producer producer(producer_options,
                             [this](const kafka::DeliveryReport& r) { on_report(r); });
    auto next_purge = Clock::now();
    auto next_backlog_refresh = Clock::now();
    while (!stopping) {
      {
        std::lock_guard lock(control_mutex);
        woken = false;  // this round sees every commit made before now
      }
      RoundResult result;
      bool errored = false;
      try {
        result = round(producer);
        // A full round leaves more behind, and counting a large backlog costs as much as a
        // round: while draining, the gauge and the readiness check are refreshed once a second.
        if (result.rows < options.batch_size || Clock::now() >= next_backlog_refresh) {
          refresh_backlog();
          next_backlog_refresh = Clock::now() + backlog_refresh_while_draining;
        }
        if (Clock::now() >= next_purge) {
          const auto cutoff =
              db_now() - std::chrono::duration_cast<std::chrono::microseconds>(options.purge_after);
          Outbox::purge(database, cutoff);
          next_purge = Clock::now() + options.purge_interval;
        }
      } catch (const std::exception& error) {
        errored = true;
        stats->set_error(error.what());
      }
      if (stopping) break;
      if (errored || result.failures > 0) {
        pause(Clock::now() + options.retry_backoff, false);
      } else if (result.rows == 0) {
        pause(std::min(Clock::now() + options.poll_interval, next_purge), true);
      }
      // else: a round that published rows may have unblocked the aggregates' next rows.
    }
  }
};

Relay::Relay(db::Database database, kafka::ClientOptions producer, RelayOptions options,
             http::MetricsRegistry* metrics)
    : state_(
          std::make_shared<State>(std::move(database), std::move(producer), std::move(options))) {
  if (metrics == nullptr) return;
  const http::Labels labels{{"relay", state_->options.name}};
  state_->published_counter = &metrics->counter("eskit_outbox_published_total",
                                                "Outbox rows the broker acknowledged", labels);
  state_->failed_counter =
      &metrics->counter("eskit_outbox_publish_failed_total",
                        "Outbox deliveries that failed and will be retried", labels);
  state_->backlog_gauge = &metrics->gauge("eskit_outbox_backlog",
                                          "Outbox rows not yet acknowledged by the broker", labels);
  metrics->gauge_function("eskit_outbox_oldest_unsent_age_seconds",
                          "Age of the oldest outbox row not yet sent", labels,
                          [stats = state_->stats] { return stats->oldest_age_seconds(); });
}

Relay::~Relay() { stop(); }

void Relay::start() {
  if (state_->thread.joinable()) return;
  state_->stopping = false;
  state_->stats->running = true;
  state_->thread = std::thread([state = state_.get()] {
    try {
      state->run();
    } catch (const std::exception& error) {
      // Only the producer's construction can throw here (invalid options).
      state->stats->set_error(std::string("relay stopped: ") + error.what());
    }
    state->stats->running = false;
  });
}

void Relay::stop() {
  {
    std::lock_guard lock(state_->control_mutex);
    state_->stopping = true;
  }
  state_->control.notify_all();
  {
    std::lock_guard lock(state_->reports_mutex);
    state_->reports_arrived.notify_all();
  }
  if (state_->thread.joinable()) state_->thread.join();
  state_->stats->running = false;
}

void Relay::wake() noexcept {
  {
    std::lock_guard lock(state_->control_mutex);
    state_->woken = true;
  }
  state_->control.notify_one();
}

http::ReadinessCheck Relay::readiness_check() const {
  return [stats = state_->stats, threshold = state_->options.stuck_after]() {
    if (!stats->running)
      return http::CheckResult::failing("outbox relay is not running: " + stats->error());
    const double age = stats->oldest_age_seconds();
    const double limit = std::chrono::duration<double>(threshold).count();
    if (age <= limit) return http::CheckResult::healthy();
    std::string reason = "oldest unsent outbox row is " +
                         std::to_string(static_cast<long long>(age)) + " s old (limit " +
                         std::to_string(static_cast<long long>(limit)) + " s)";
    if (const auto error = stats->error(); !error.empty()) reason += "; last error: " + error;
    return http::CheckResult::failing(std::move(reason));
  };
}

std::uint64_t Relay::published() const noexcept { return state_->stats->published; }
std::uint64_t Relay::failed() const noexcept { return state_->stats->failed; }

}  // namespace eskit::runtime::messaging
