// What a saga transition costs in the orchestrator's database, as a ratio against the least a
// transition could write in one unit of work measured in the same run on the same file: the
// inbox row, one row update and one outbox row. The saga's transition adds its history rows and
// reads the instance first. SQLite with synchronous=FULL (the default), so both are dominated
// by the commit's fsync — the ratio says how much the saga adds on top of it. Medians of
// interleaved rounds, so a neighbour's burst moves one round of each figure, not one figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/store.hpp"

namespace {

namespace db = eskit::runtime::db;
namespace messaging = eskit::runtime::messaging;
namespace saga = eskit::runtime::saga;
using Clock = std::chrono::steady_clock;

constexpr int kInstances = 300;  // each makes 4 transitions: start, 3 completions
constexpr int kRounds = 5;

saga::SagaDefinition definition() {
  saga::SagaDefinition d;
  d.name = "Bench";
  d.source = "bench";
  for (const auto* name : {"a", "b", "c"})
    d.steps.push_back({.name = name,
                       .command = std::string("Do_") + name,
                       .topic = "bench.commands",
                       .completes_on = std::string("Done_") + name,
                       .compensation = std::string("Undo_") + name,
                       .compensated_on = std::string("Undone_") + name});
  return d;
}

void record_inbox(db::UnitOfWork& uow, const messaging::Envelope& e) {
  uow.execute(
      "insert into eskit_inbox (consumer, event_id, event_type, source_topic, source_partition, "
      "source_offset, handled_at) values ('bench', :id, :type, 'bench.replies', 0, 0, :at)",
      e.event_id, e.event_type, e.occurred_at);
}

// Microseconds per transition of each kind, for one round on a fresh database.
std::pair<double, double> round(const std::filesystem::path& dir, int n) {
  const auto path = dir / ("round-" + std::to_string(n) + ".db");
  auto database = db::Database::open("sqlite:" + path.string());
  auto migrations = messaging::Outbox::migrations(database.dialect(), 1000);
  for (auto& m : saga::SagaStore::migrations(database.dialect(), 2000)) migrations.push_back(m);
  migrations.push_back({1, "reference",
                        "create table reference (id text primary key, step "
                        "integer not null, version integer not null)"});
  db::Migrator(migrations).run(database);

  // The reference: per transition, an inbox row, an update and an outbox row.
  auto start = Clock::now();
  for (int i = 0; i < kInstances; ++i) {
    const auto id = "r-" + std::to_string(i);
    for (int step = 0; step < 4; ++step) {
      auto event = messaging::Envelope::make("Done", "bench", id, "{}", id);
      auto uow = database.begin();
      record_inbox(uow, event);
      uow.execute(
          "insert into reference (id, step, version) values (:id, :step, 1) on conflict (id) do "
          "update set step = excluded.step, version = reference.version + 1",
          id, step);
      messaging::Outbox::append(uow, messaging::Envelope::make("Do", "bench", id, "{}", id),
                                "bench.commands");
      uow.commit();
    }
  }
  const double reference =
      std::chrono::duration<double, std::micro>(Clock::now() - start).count() / (kInstances * 4);

  saga::Orchestrator orchestrator(database, definition());
  start = Clock::now();
  for (int i = 0; i < kInstances; ++i) {
    const auto id = "s-" + std::to_string(i);
    {
      auto uow = database.begin();
      record_inbox(uow, messaging::Envelope::make("Start", "bench", id, "{}", id));
      orchestrator.start(uow, id, R"({"n":1})");
      uow.commit();
    }
    for (const auto* done : {"Done_a", "Done_b", "Done_c"}) {
      auto event = messaging::Envelope::make(done, "bench", id, "{}", id);
      auto uow = database.begin();
      record_inbox(uow, event);
      orchestrator.handle(uow, event);
      uow.commit();
    }
  }
  const double transition =
      std::chrono::duration<double, std::micro>(Clock::now() - start).count() / (kInstances * 4);
  return {reference, transition};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("eskit-saga-bench-" + std::to_string(Clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  std::vector<double> references, transitions;
  for (int n = 0; n < kRounds; ++n) {
    const auto [reference, transition] = round(dir, n);
    references.push_back(reference);
    transitions.push_back(transition);
  }
  std::filesystem::remove_all(dir);
  const double reference = median(references), transition = median(transitions);
  std::printf("saga transitions on SQLite (synchronous=FULL): median of %d rounds of %d\n", kRounds,
              kInstances * 4);
  std::printf("  reference: inbox row + update + outbox row  %8.1f us/transition\n", reference);
  std::printf("  saga transition (start or completion)       %8.1f us/transition  %5.2fx\n",
              transition, transition / reference);
  return 0;
}
