// The saga crash test: an orchestrator process (crash_orchestrator_main.cpp) starts many saga
// instances — every third one's pivot is refused, so it must compensate — and a participant
// process (crash_participant_main.cpp) applies their commands and compensations, both through
// outbox, embedded broker and inbox. Both are SIGKILLed at random points, over and over, and
// restarted. After a last life without kills, every instance must have ended completed or
// fully compensated, and the participant must have applied each step and each compensation of
// each instance exactly once, in the saga's order. Step deadlines run meanwhile: an instance
// whose reserve or charge timed out (a participant away for a rebalance) must end compensated,
// the timed-out step undone too, after its late command.
//
// The random schedule comes from one seed, printed at the start; ESKIT_CRASH_SEED=<n> replays
// it (the kill points themselves still depend on timing).
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "crash_model.hpp"
#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "test_support.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace eskit::runtime::kafka::testing;
using Strings = std::vector<std::string>;

// Started at a pace that spreads them over the whole crash phase, so kills land with instances
// at every step; the last life starts the rest at once.
constexpr int instances = 150;
constexpr int start_pace_ms = 100;
constexpr int partitions = 4;
constexpr int orchestrator_kills_wanted = 10;
constexpr int participant_kills_wanted = 6;
// Lives killed while working (each costs a rebalance of about two session timeouts); the
// others die during start-up or the group join.
constexpr int orchestrator_working_kills = 4;
constexpr int participant_working_kills = 3;
constexpr int session_timeout_ms = 4000;
// Reserve and charge time out after this: long enough for most instances to complete across a
// rebalance, short enough that a long outage (a kill, the rebalance, then the backlog) times
// some out, which must then be undone, the timed-out step included (its command is applied
// late, then its compensation). How many is up to the schedule; the run prints it.
constexpr int step_timeout_ms = 12000;

std::uint64_t choose_seed() {
  if (const char* text = std::getenv("ESKIT_CRASH_SEED"); text != nullptr && *text != '\0')
    return std::stoull(text);
  return std::random_device{}();
}

// Reads a child's SQLite file while it may be writing (WAL: readers never block it); a file
// the child has not migrated yet counts as empty.
std::int64_t count(const std::filesystem::path& path, const std::string& sql) {
  if (!std::filesystem::exists(path)) return 0;
  try {
    db::DatabaseOptions options;
    options.pool_size = 1;
    auto database = db::Database::open("sqlite:" + path.string(), options);
    auto uow = database.begin({db::TransactionOptions::Access::read_only});
    const auto n = uow.query_scalar<std::int64_t>(db::Statement(sql));
    uow.commit();
    return n.value_or(0);
  } catch (const std::exception&) {
    return 0;
  }
}

struct Life {
  const char* name;
  std::function<std::unique_ptr<ChildProcess>(bool last)> spawn;
  std::function<std::int64_t()> progress;
  std::vector<bool> working;  // per life: killed after it made progress, or during start-up
  std::unique_ptr<ChildProcess> process{};
  Clock::time_point started{};
  std::optional<Clock::time_point> kill_at{};
  std::int64_t progress_at_start = 0;
  int kills = 0;
};

TEST(SagaCrash, EveryInstanceEndsCompletedOrCompensatedAndNoCommandRunsTwice) {
  const auto seed = choose_seed();
  std::cout << "saga crash seed: " << seed << " (replay with ESKIT_CRASH_SEED=" << seed << ")"
            << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 random(seed);
  const auto began = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - began).count(); };

  const auto scratch =
      std::filesystem::temp_directory_path() / ("eskit-saga-crash-" + std::to_string(::getpid()));
  std::filesystem::remove_all(scratch);
  std::filesystem::create_directories(scratch);
  std::cout << "saga crash scratch directory (kept if the test fails): " << scratch << std::endl;
  const auto orchestrator_db = scratch / "orchestrator.db";
  const auto participant_db = scratch / "participant.db";

  kafka::EmbeddedBroker broker(
      {1, {{crash::commands_topic, partitions}, {crash::replies_topic, partitions}}});
  const auto brokers = broker.bootstrap_servers();
  const std::string session = std::to_string(session_timeout_ms);

  auto unfinished = [&] {
    return count(orchestrator_db,
                 "select count(*) from eskit_saga_instances where state in ('running', "
                 "'compensating')");
  };
  auto finished = [&] {
    return count(orchestrator_db,
                 "select count(*) from eskit_saga_instances where state in ('completed', "
                 "'compensated', 'failed')");
  };

  auto make_working = [&](int lives, int working) {
    std::vector<bool> plan(static_cast<std::size_t>(lives), false);
    std::fill_n(plan.begin(), working, true);
    std::shuffle(plan.begin(), plan.end(), random);
    return plan;
  };
  Life orchestrator{
      "crash-orchestrator",
      [&](bool last) {
        return std::make_unique<ChildProcess>(std::vector<std::string>{
            ESKIT_SAGA_ORCHESTRATOR_PATH, "--db", orchestrator_db.string(), "--brokers", brokers,
            "--instances", std::to_string(instances), "--pace-ms",
            std::to_string(last ? 0 : start_pace_ms), "--session-timeout-ms", session,
            "--step-timeout-ms", std::to_string(step_timeout_ms)});
      },
      // Replies handled: a working life dies while its inbox advances instances, not
      // merely while it starts them.
      [&] { return count(orchestrator_db, "select count(*) from eskit_inbox"); },
      make_working(orchestrator_kills_wanted, orchestrator_working_kills)};
  Life participant{"crash-participant",
                   [&](bool) {
                     return std::make_unique<ChildProcess>(std::vector<std::string>{
                         ESKIT_SAGA_PARTICIPANT_PATH, "--db", participant_db.string(), "--brokers",
                         brokers, "--session-timeout-ms", session});
                   },
                   [&] { return count(participant_db, "select count(*) from crash_applied"); },
                   make_working(participant_kills_wanted, participant_working_kills)};

  auto begin_life = [&](Life& life, int kills_wanted) {
    life.process = life.spawn(life.kills >= kills_wanted);
    life.started = Clock::now();
    life.progress_at_start = life.progress();
    life.kill_at.reset();
    if (life.kills < kills_wanted && !life.working[static_cast<std::size_t>(life.kills)])
      life.kill_at = Clock::now() +
                     std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 1500)(random));
  };
  int orchestrator_kills_in_flight = 0, orchestrator_kills_advancing = 0;
  // SIGKILL; a child that died on its own (an exception, a crash) fails the test.
  auto kill = [&](Life& life) {
    if (const auto early = life.process->wait(Clock::now())) {
      ADD_FAILURE() << life.name << " exited on its own with status " << *early;
    } else {
      life.process->signal(SIGKILL);
      const auto status = life.process->wait(Clock::now() + 10s);
      ASSERT_TRUE(status.has_value()) << life.name << " survived SIGKILL";
      EXPECT_EQ(*status, 128 + SIGKILL) << life.name;
    }
    life.process.reset();
    ++life.kills;
    const auto in_flight = unfinished();
    if (&life == &orchestrator && in_flight > 0) ++orchestrator_kills_in_flight;
    if (&life == &orchestrator && life.progress() > life.progress_at_start)
      ++orchestrator_kills_advancing;
    std::cout << "[" << elapsed() << " s] " << life.name << " kill " << life.kills << " after "
              << std::chrono::duration<double>(Clock::now() - life.started).count()
              << " s: progress " << life.progress() - life.progress_at_start
              << " in that life; instances in flight " << in_flight << ", finished " << finished()
              << std::endl;
  };

  // ---- crash phase: both killed at random points, independently ---------------------------
  begin_life(participant, participant_kills_wanted);
  begin_life(orchestrator, orchestrator_kills_wanted);
  while (orchestrator.kills < orchestrator_kills_wanted ||
         participant.kills < participant_kills_wanted) {
    std::this_thread::sleep_for(20ms);  // the schedule's resolution
    for (auto* life : {&orchestrator, &participant}) {
      const int wanted =
          life == &orchestrator ? orchestrator_kills_wanted : participant_kills_wanted;
      if (life->kills >= wanted) continue;
      if (!life->kill_at) {
        // A working life dies a moment after it made progress, with work in hand.
        if (life->progress() > life->progress_at_start) {
          life->kill_at = Clock::now() + std::chrono::milliseconds(
                                             std::uniform_int_distribution<int>(0, 800)(random));
        } else {
          ASSERT_LT(Clock::now() - life->started, 30s)
              << life->name << " made no progress for 30 s: is its group stuck?";
        }
      }
      if (life->kill_at && Clock::now() >= *life->kill_at) {
        kill(*life);
        if (HasFatalFailure()) return;
        // After its last kill a side lives on, never killed again: its peer keeps working
        // against it, and it is the last life that finishes the instances.
        begin_life(*life, wanted);
      }
    }
  }
  ASSERT_FALSE(HasFailure());
  const double crash_phase_s = elapsed();

  // ---- last lives: no more kills, until every instance has finished ------------------------
  std::int64_t done = 0;
  ASSERT_TRUE(wait_until(Clock::now() + 60s, [&] { return (done = finished()) == instances; }))
      << done << " of " << instances << " instances finished";
  std::cout << "[" << elapsed() << " s] every instance finished" << std::endl;
  for (auto* life : {&orchestrator, &participant}) {
    life->process->signal(SIGTERM);
    const auto status = life->process->wait(Clock::now() + 30s);
    ASSERT_TRUE(status.has_value()) << life->name << " did not stop on SIGTERM";
    EXPECT_EQ(*status, 0) << life->name;
    life->process.reset();
  }

  // ---- every instance ended as its data says ------------------------------------------------
  db::DatabaseOptions one;
  one.pool_size = 1;
  auto orchestrator_database = db::Database::open("sqlite:" + orchestrator_db.string(), one);
  auto participant_database = db::Database::open("sqlite:" + participant_db.string(), one);
  std::map<std::string, std::string> states;
  std::map<std::string, std::map<std::string, int>> sent;  // instance -> "kind step" -> times
  std::map<std::string, Strings> timed_out;                // instance -> steps timed out
  std::int64_t orchestrator_inbox = 0, commands_in_outbox = 0;
  {
    auto uow = orchestrator_database.begin({db::TransactionOptions::Access::read_only});
    for (auto& [id, state] : uow.query<std::string, std::string>(
             "select correlation_id, state from eskit_saga_instances"))
      states[id] = state;
    for (auto& [id, kind, step] : uow.query<std::string, std::string, std::string>(
             "select correlation_id, kind, step from eskit_saga_history where kind in "
             "('command_sent', 'compensation_sent', 'retry_sent', 'step_timed_out')")) {
      if (kind == "step_timed_out")
        timed_out[id].push_back(step);
      else
        ++sent[id][kind + " " + step];
    }
    orchestrator_inbox =
        uow.query_scalar<std::int64_t>("select count(*) from eskit_inbox").value_or(-1);
    commands_in_outbox =
        uow.query_scalar<std::int64_t>("select count(*) from eskit_outbox").value_or(-1);
    uow.commit();
  }
  std::map<std::string, Strings> applied;
  std::int64_t applied_total = 0, participant_inbox = 0, replies_in_outbox = 0;
  {
    auto uow = participant_database.begin({db::TransactionOptions::Access::read_only});
    for (auto& [id, command] : uow.query<std::string, std::string>(
             "select correlation_id, command from crash_applied order by id")) {
      applied[id].push_back(command);
      ++applied_total;
    }
    participant_inbox =
        uow.query_scalar<std::int64_t>("select count(*) from eskit_inbox").value_or(-1);
    replies_in_outbox =
        uow.query_scalar<std::int64_t>("select count(*) from eskit_outbox").value_or(-1);
    uow.commit();
  }

  int completed = 0, compensated = 0, instances_timed_out = 0;
  for (int i = 0; i < instances; ++i) {
    const auto id = crash::instance_id(i);
    const bool refused = crash::refused(i);
    const auto& timeouts = timed_out[id];
    EXPECT_LE(timeouts.size(), 1u) << id << " timed out more than once";
    const std::string timed_out_step = timeouts.empty() ? "" : timeouts.front();
    instances_timed_out += !timed_out_step.empty();
    EXPECT_EQ(states[id], refused || !timed_out_step.empty() ? "compensated" : "completed")
        << id << (timed_out_step.empty() ? "" : ", timed out at " + timed_out_step);
    completed += states[id] == "completed";
    compensated += states[id] == "compensated";
    // Exactly once each, in the saga's order, the compensations in reverse; a timed-out step's
    // late command before its compensation.
    const Strings expected = timed_out_step == "reserve" ? Strings{"Reserve", "Release"}
                             : timed_out_step == "charge"
                                 ? Strings{"Reserve", "Charge", "Refund", "Release"}
                             : refused ? Strings{"Reserve", "Charge", "Ship", "Refund", "Release"}
                                       : Strings{"Reserve", "Charge", "Ship", "Notify"};
    EXPECT_EQ(applied[id], expected) << "commands the participant applied for " << id;
    for (const auto& [what, times] : sent[id])
      EXPECT_EQ(times, 1) << id << ": " << what << " sent " << times << " times";
  }
  EXPECT_EQ(states.size(), static_cast<std::size_t>(instances));
  EXPECT_EQ(applied.size(), static_cast<std::size_t>(instances)) << "commands for no instance";
  // Each command row became one application; each reply one orchestrator transition.
  EXPECT_EQ(commands_in_outbox, applied_total);
  EXPECT_EQ(participant_inbox, applied_total);
  EXPECT_EQ(replies_in_outbox, applied_total);
  EXPECT_EQ(orchestrator_inbox, replies_in_outbox);
  EXPECT_GE(orchestrator_kills_in_flight, orchestrator_working_kills / 2)
      << "too few orchestrator kills landed with instances in flight: the run proves less";

  std::ostringstream report;
  report << instances << " instances: " << completed << " completed, " << compensated
         << " compensated (" << instances_timed_out << " after a step timed out); commands applied "
         << applied_total << ", replies handled " << orchestrator_inbox << "; orchestrator kills "
         << orchestrator.kills << " (" << orchestrator_kills_in_flight
         << " with instances in flight, " << orchestrator_kills_advancing
         << " after handling replies), participant kills " << participant.kills << "; crash phase "
         << crash_phase_s << " s, total " << elapsed() << " s";
  std::cout << "saga crash: " << report.str() << std::endl;
  RecordProperty("completed", completed);
  RecordProperty("compensated", compensated);
  RecordProperty("timed_out", instances_timed_out);
  RecordProperty("applied", static_cast<int>(applied_total));
  RecordProperty("orchestrator_kills", orchestrator.kills);
  RecordProperty("participant_kills", participant.kills);

  if (!HasFailure()) std::filesystem::remove_all(scratch);
}

}  // namespace
}  // namespace eskit::runtime::saga
