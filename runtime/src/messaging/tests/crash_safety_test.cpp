// Crash safety of the outbox and the inbox, end to end: a writer process (crash_writer_main.cpp)
// commits counter increments with their events and rolls some back, while an applier process
// (crash_applier_main.cpp) applies the events through the inbox. Both are SIGKILLed at random
// points and restarted, over and over. After a last clean run the two databases must agree
// exactly: every committed increment applied once, in order; no rolled-back increment anywhere.
//
// The random schedule comes from one seed, printed at the start; ESKIT_CRASH_SEED=<n> replays
// it (the kill points themselves still depend on timing).
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "crash_model.hpp"
#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "test_support.hpp"

namespace eskit::runtime::messaging {
namespace {

using namespace eskit::runtime::kafka::testing;
using ChildProcess = kafka::testing::ChildProcess;

constexpr int partitions = 4;
constexpr int aggregates = 40;
constexpr int rollback_every = 7;
constexpr int writer_kills_wanted = 20;
constexpr int applier_kills_wanted = 15;
// Of those, lives that are killed while applying (each costs a rebalance of ~2 session
// timeouts); the others are killed during start-up or the group join.
constexpr int applier_working_kills = 6;
constexpr long final_iterations = 200;
// Paces the writer (under two hundred increments a second) so that the applier, away for
// seconds after each kill, can still catch up within the test's time. Part of the pace is
// spent inside the transaction, so that many writer kills interrupt one.
constexpr int writer_pause_us = 3000;
constexpr int writer_commit_delay_us = 2000;
// The mock cluster answers the first JoinGroup of an empty group after 3 s and drops a member
// whose session expired meanwhile, never answering it: keep a margin above those 3 s.
constexpr int session_timeout_ms = 4000;

std::uint64_t choose_seed() {
  if (const char* text = std::getenv("ESKIT_CRASH_SEED"); text != nullptr && *text != '\0')
    return std::stoull(text);
  return std::random_device{}();
}

// Reads the broker's side of things directly, without joining any group: the applier group's
// committed offsets (its progress) and the whole topic (what actually went over the wire).
class TopicInspector {
 public:
  struct WireEvent {
    std::int32_t partition;
    std::int64_t offset;
    std::string event_id;
    std::string aggregate_id;
    crash::Increment increment;
  };

  TopicInspector(const std::string& brokers, const std::string& group) {
    std::unique_ptr<rd_kafka_conf_t, decltype(&rd_kafka_conf_destroy)> conf(rd_kafka_conf_new(),
                                                                            &rd_kafka_conf_destroy);
    set(conf.get(), "bootstrap.servers", brokers);
    set(conf.get(), "group.id", group);
    // Never move the inspected group's offsets: this handle only reads them.
    set(conf.get(), "enable.auto.commit", "false");
    set(conf.get(), "enable.auto.offset.store", "false");
    set(conf.get(), "enable.partition.eof", "true");
    std::array<char, 512> error{};
    handle_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), error.data(), error.size());
    if (handle_ == nullptr) throw std::runtime_error(std::string("inspector: ") + error.data());
    conf.release();  // rd_kafka_new took ownership
    rd_kafka_poll_set_consumer(handle_);
  }
  ~TopicInspector() {
    rd_kafka_consumer_close(handle_);
    rd_kafka_destroy(handle_);
  }
  TopicInspector(const TopicInspector&) = delete;
  TopicInspector& operator=(const TopicInspector&) = delete;

  // Messages of each partition the group has not committed yet; nullopt if the broker did not
  // answer.
  std::optional<std::int64_t> group_lag(const std::string& topic) {
    auto list = partition_list(topic);
    if (rd_kafka_committed(handle_, list.get(), 2000) != RD_KAFKA_RESP_ERR_NO_ERROR)
      return std::nullopt;
    std::int64_t lag = 0;
    for (int i = 0; i < list->cnt; ++i) {
      const auto& entry = list->elems[i];
      if (entry.err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
      const auto high = high_watermark(topic, entry.partition);
      if (!high) return std::nullopt;
      lag += *high - std::max<std::int64_t>(entry.offset, 0);
    }
    return lag;
  }

  // Every message of the topic, read from the start of each partition to its end.
  std::vector<WireEvent> read_all(const std::string& topic, Clock::time_point deadline) {
    auto list = partition_list(topic);
    std::set<std::int32_t> open;
    for (int i = 0; i < list->cnt; ++i) {
      list->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
      open.insert(list->elems[i].partition);
    }
    if (rd_kafka_assign(handle_, list.get()) != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw std::runtime_error("inspector: cannot assign " + topic);
    std::vector<WireEvent> events;
    while (!open.empty() && Clock::now() < deadline) {
      rd_kafka_message_t* message = rd_kafka_consumer_poll(handle_, 100);
      if (message == nullptr) continue;
      std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)> held(
          message, &rd_kafka_message_destroy);
      if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        open.erase(message->partition);
      } else if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const std::string_view body(static_cast<const char*>(message->payload), message->len);
        const auto envelope = boost::json::parse(body).as_object();
        events.push_back({message->partition, message->offset,
                          std::string(envelope.at("id").as_string()),
                          std::string(envelope.at("aggregateId").as_string()),
                          crash::from_payload(boost::json::serialize(envelope.at("data")))});
      }
    }
    rd_kafka_assign(handle_, nullptr);
    if (!open.empty()) throw std::runtime_error("inspector: did not reach the end of " + topic);
    return events;
  }

 private:
  using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t,
                                        decltype(&rd_kafka_topic_partition_list_destroy)>;

  static void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
    std::array<char, 512> error{};
    if (rd_kafka_conf_set(conf, name, value.c_str(), error.data(), error.size()) !=
        RD_KAFKA_CONF_OK)
      throw std::runtime_error(std::string("inspector: ") + error.data());
  }

  static PartitionList partition_list(const std::string& topic) {
    PartitionList list(rd_kafka_topic_partition_list_new(partitions),
                       &rd_kafka_topic_partition_list_destroy);
    for (std::int32_t p = 0; p < partitions; ++p)
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
    return list;
  }

  std::optional<std::int64_t> high_watermark(const std::string& topic, std::int32_t partition) {
    std::int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(handle_, topic.c_str(), partition, &low, &high, 2000) !=
        RD_KAFKA_RESP_ERR_NO_ERROR)
      return std::nullopt;
    return high;
  }

  rd_kafka_t* handle_ = nullptr;
};

std::set<std::string> read_lines(const std::filesystem::path& path) {
  std::set<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.insert(line);
  return lines;
}

db::Database open_database(const std::filesystem::path& path) {
  db::DatabaseOptions options;
  options.pool_size = 1;
  return db::Database::open("sqlite:" + path.string(), options);
}

struct Committed {
  std::map<std::string, std::int64_t> counters;  // aggregate -> committed version
  std::int64_t total = 0;
  // The outbox, for the writer's own consistency: aggregate -> sequences of its events.
  std::map<std::string, std::vector<std::int64_t>> outbox_sequences;
  std::set<std::string> outbox_event_ids;
  std::int64_t unsent = 0;
};

Committed read_writer(const std::filesystem::path& path) {
  auto database = open_database(path);
  auto uow = database.begin({db::TransactionOptions::Access::read_only});
  Committed committed;
  for (auto& [id, version] :
       uow.query<std::string, std::int64_t>("select id, version from crash_counters")) {
    committed.counters[id] = version;
    committed.total += version;
  }
  for (auto& [event_id, aggregate, payload, sent] :
       uow.query<std::string, std::string, std::string, bool>(
           "select event_id, aggregate_id, payload, sent_at is not null from eskit_outbox "
           "order by id")) {
    committed.outbox_sequences[aggregate].push_back(crash::from_payload(payload).sequence);
    committed.outbox_event_ids.insert(event_id);
    if (!sent) ++committed.unsent;
  }
  uow.commit();
  return committed;
}

struct Applied {
  // aggregate -> sequences in the order they were applied
  std::map<std::string, std::vector<std::int64_t>> sequences;
  std::vector<std::string> event_ids;
  std::int64_t marked_rolled_back = 0;
  std::int64_t inbox_rows = 0;
};

Applied read_applier(const std::filesystem::path& path) {
  auto database = open_database(path);
  auto uow = database.begin({db::TransactionOptions::Access::read_only});
  Applied applied;
  for (auto& [aggregate, sequence, event_id, rolled_back] :
       uow.query<std::string, std::int64_t, std::string, bool>(
           "select aggregate_id, sequence, event_id, rolled_back from crash_applied order by id")) {
    applied.sequences[aggregate].push_back(sequence);
    applied.event_ids.push_back(event_id);
    if (rolled_back) ++applied.marked_rolled_back;
  }
  applied.inbox_rows =
      uow.query_scalar<std::int64_t>("select count(*) from eskit_inbox").value_or(-1);
  uow.commit();
  return applied;
}

std::int64_t count_applied(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return 0;
  try {
    auto database = open_database(path);
    auto uow = database.begin({db::TransactionOptions::Access::read_only});
    const auto n = uow.query_scalar<std::int64_t>("select count(*) from crash_applied");
    uow.commit();
    return n.value_or(0);
  } catch (const std::exception&) {
    return 0;  // killed before its first migration: no table yet
  }
}

template <class Range>
std::string some(const Range& values) {
  std::ostringstream out;
  out << '{';
  std::size_t shown = 0;
  for (const auto& value : values) {
    if (shown == 10) {
      out << ", ...";
      break;
    }
    out << (shown++ == 0 ? "" : ", ") << value;
  }
  out << "} (" << values.size() << " in all)";
  return out.str();
}

// Empty when `sequences` is exactly 1..n in that order; otherwise what is wrong with it.
std::string sequence_problems(const std::vector<std::int64_t>& sequences, std::int64_t n) {
  std::map<std::int64_t, int> seen;
  for (const auto sequence : sequences) ++seen[sequence];
  std::vector<std::int64_t> missing, duplicated, unknown;
  for (std::int64_t i = 1; i <= n; ++i)
    if (!seen.contains(i)) missing.push_back(i);
  for (const auto& [sequence, times] : seen) {
    if (times > 1) duplicated.push_back(sequence);
    if (sequence < 1 || sequence > n) unknown.push_back(sequence);
  }
  std::ostringstream out;
  if (!missing.empty()) out << "missing " << some(missing) << "; ";
  if (!duplicated.empty()) out << "more than once " << some(duplicated) << "; ";
  if (!unknown.empty()) out << "beyond the committed " << n << ": " << some(unknown) << "; ";
  for (std::size_t i = 0; out.tellp() == 0 && i < sequences.size(); ++i)
    if (sequences[i] != static_cast<std::int64_t>(i) + 1)
      out << "out of order: " << sequences[i] << " at position " << i + 1;
  return out.str();
}

// Empty when equal; otherwise what each side has that the other lacks.
std::string set_problems(const std::set<std::string>& actual,
                         const std::set<std::string>& expected) {
  std::vector<std::string> extra, missing;
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::ostringstream out;
  if (!missing.empty()) out << "missing " << some(missing) << "; ";
  if (!extra.empty()) out << "unexpected " << some(extra);
  return out.str();
}

TEST(CrashSafety, EveryCommittedChangeIsAppliedExactlyOnceAcrossSigkills) {
  const auto seed = choose_seed();
  std::cout << "crash-safety seed: " << seed << " (replay with ESKIT_CRASH_SEED=" << seed << ")"
            << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 random(seed);
  const auto started = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };

  const auto scratch =
      std::filesystem::temp_directory_path() / ("eskit-crash-safety-" + std::to_string(::getpid()));
  std::filesystem::remove_all(scratch);
  std::filesystem::create_directories(scratch);
  std::cout << "crash-safety scratch directory (kept if the test fails): " << scratch << std::endl;
  const auto writer_db = scratch / "writer.db";
  const auto applier_db = scratch / "applier.db";
  const auto rolled_back_file = scratch / "rolled-back-event-ids";
  const auto committing_file = scratch / "committing-event-ids";

  const std::string topic = "counters.events";
  const std::string group = "crash-applier";
  kafka::EmbeddedBroker broker({1, {{topic, partitions}}});
  const auto brokers = broker.bootstrap_servers();

  auto start_writer = [&](std::optional<long> iterations) {
    std::vector<std::string> argv{ESKIT_CRASH_WRITER_PATH,
                                  "--db",
                                  writer_db.string(),
                                  "--brokers",
                                  brokers,
                                  "--topic",
                                  topic,
                                  "--rolled-back-file",
                                  rolled_back_file.string(),
                                  "--committing-file",
                                  committing_file.string(),
                                  "--seed",
                                  std::to_string(random()),
                                  "--aggregates",
                                  std::to_string(aggregates),
                                  "--rollback-every",
                                  std::to_string(rollback_every),
                                  "--pause-us",
                                  std::to_string(writer_pause_us),
                                  "--commit-delay-us",
                                  std::to_string(writer_commit_delay_us)};
    if (iterations) {
      argv.push_back("--iterations");
      argv.push_back(std::to_string(*iterations));
    }
    return std::make_unique<ChildProcess>(argv);
  };
  auto start_applier = [&] {
    return std::make_unique<ChildProcess>(std::vector<std::string>{
        ESKIT_CRASH_APPLIER_PATH, "--db", applier_db.string(), "--brokers", brokers, "--topic",
        topic, "--group", group, "--session-timeout-ms", std::to_string(session_timeout_ms)});
  };
  // A third of the writer's lives are short, ending in start-up (migrations, the relay's first
  // round); the others end anywhere in the commit loop: inside a transaction or its commit,
  // between commits, with the relay's rows in flight or acknowledged but not yet marked sent.
  auto writer_life = [&] {
    const bool short_life = std::uniform_int_distribution<int>(0, 2)(random) == 0;
    return std::chrono::milliseconds(short_life
                                         ? std::uniform_int_distribution<int>(5, 300)(random)
                                         : std::uniform_int_distribution<int>(300, 2000)(random));
  };
  // SIGKILL, and a child that died on its own (an exception, a crash) fails the test.
  auto kill = [&](std::unique_ptr<ChildProcess>& child, const char* name) {
    if (const auto early = child->wait(Clock::now())) {
      ADD_FAILURE() << name << " exited on its own with status " << *early;
    } else {
      child->signal(SIGKILL);
      const auto status = child->wait(Clock::now() + 10s);
      ASSERT_TRUE(status.has_value()) << name << " survived SIGKILL";
      EXPECT_EQ(*status, 128 + SIGKILL) << name;
    }
    child.reset();
  };

  // ---- crash phase: both processes killed at random points, independently -----------------
  // An applier life is either quick (killed during start-up or the group join) or working:
  // killed a moment after its first application, in the middle of the backlog that piled up
  // while it was away — between handler commit and offset commit, or inside the transaction.
  // A working life waits for that first application because each SIGKILL leaves a dead member
  // in the group, and the mock cluster rebalances only after its session expired (about
  // 2 * session timeout): a fixed random lifetime would mostly end before any work. The number
  // of working lives is fixed (their order random) because they set the test's duration.
  std::vector<bool> working_lives(applier_kills_wanted, false);
  std::fill_n(working_lives.begin(), applier_working_kills, true);
  std::shuffle(working_lives.begin(), working_lives.end(), random);
  struct ApplierLife {
    std::unique_ptr<ChildProcess> process;
    Clock::time_point started;
    std::optional<Clock::time_point> kill_at;
    std::int64_t applied_at_start = 0;
  };
  ApplierLife applier;
  int applier_kills = 0;
  auto start_applier_life = [&] {
    applier.process = start_applier();
    applier.started = Clock::now();
    applier.applied_at_start = count_applied(applier_db);
    applier.kill_at.reset();
    if (!working_lives[static_cast<std::size_t>(applier_kills)])
      applier.kill_at = Clock::now() + std::chrono::milliseconds(
                                           std::uniform_int_distribution<int>(5, 1500)(random));
  };

  TopicInspector progress(brokers, group);
  int writer_kills = 0, kills_mid_backlog = 0;
  auto writer = start_writer(std::nullopt);
  auto writer_kill_at = Clock::now() + writer_life();
  start_applier_life();
  while (applier_kills < applier_kills_wanted) {
    std::this_thread::sleep_for(20ms);  // the schedule's resolution
    if (Clock::now() >= writer_kill_at) {
      kill(writer, "crash-writer");
      ++writer_kills;
      writer = start_writer(std::nullopt);
      writer_kill_at = Clock::now() + writer_life();
    }
    if (!applier.kill_at) {
      if (count_applied(applier_db) > applier.applied_at_start) {
        applier.kill_at = Clock::now() + std::chrono::milliseconds(
                                             std::uniform_int_distribution<int>(0, 1000)(random));
      } else {
        ASSERT_LT(Clock::now() - applier.started, 30s)
            << "a crash-applier applied nothing for 30 s: is the group stuck?";
      }
    }
    if (applier.kill_at && Clock::now() >= *applier.kill_at) {
      kill(applier.process, "crash-applier");
      ++applier_kills;
      const auto applied_now = count_applied(applier_db);
      // Events in the topic beyond the group's committed offsets when it died: a working life
      // was killed with work in hand, not idle.
      const auto backlog = progress.group_lag(topic);
      if (applied_now > applier.applied_at_start && backlog.value_or(0) > 0) ++kills_mid_backlog;
      std::cout << "[" << elapsed() << " s] applier kill " << applier_kills << " after "
                << std::chrono::duration<double>(Clock::now() - applier.started).count()
                << " s: applied " << applied_now - applier.applied_at_start << " in that life, "
                << applied_now << " in all, "
                << (backlog ? std::to_string(*backlog) : std::string("unknown"))
                << " left in Kafka; writer kills so far " << writer_kills << std::endl;
      if (applier_kills < applier_kills_wanted) start_applier_life();
    }
    if (HasFatalFailure()) return;
  }
  kill(writer, "crash-writer");
  ++writer_kills;
  ASSERT_FALSE(HasFailure());
  EXPECT_GE(writer_kills, writer_kills_wanted);
  const double crash_phase_s = elapsed();

  // ---- last run: no more kills; the writer stops after a few more increments --------------
  writer = start_writer(final_iterations);
  auto last_applier = start_applier();
  const auto writer_status = writer->wait(Clock::now() + 70s);
  ASSERT_TRUE(writer_status.has_value()) << "the last crash-writer did not finish in time";
  ASSERT_EQ(*writer_status, 0) << "the last crash-writer failed (2: its outbox did not drain)";
  writer.reset();

  std::cout << "[" << elapsed() << " s] the last crash-writer finished, its outbox drained"
            << std::endl;
  const auto committed = read_writer(writer_db);
  const auto rolled_back = read_lines(rolled_back_file);
  const auto committing = read_lines(committing_file);
  ASSERT_EQ(committed.unsent, 0) << "the writer's outbox drained";

  std::optional<std::int64_t> lag;
  ASSERT_TRUE(wait_until(Clock::now() + 60s,
                         [&] {
                           lag = progress.group_lag(topic);
                           return lag == 0;
                         }))
      << "the applier did not catch up: lag " << (lag ? std::to_string(*lag) : "unknown");
  std::cout << "[" << elapsed() << " s] the last crash-applier caught up" << std::endl;
  last_applier->signal(SIGTERM);
  const auto applier_status = last_applier->wait(Clock::now() + 30s);
  ASSERT_TRUE(applier_status.has_value()) << "the last crash-applier did not stop on SIGTERM";
  EXPECT_EQ(*applier_status, 0);
  last_applier.reset();

  const auto applied = read_applier(applier_db);
  TopicInspector wire_reader(brokers, "crash-safety-inspector");
  const auto wire = wire_reader.read_all(topic, Clock::now() + 30s);

  // ---- the writer is consistent with itself: change and event committed together ----------
  EXPECT_EQ(committed.counters.size(), static_cast<std::size_t>(aggregates));
  for (const auto& [aggregate, version] : committed.counters) {
    const auto found = committed.outbox_sequences.find(aggregate);
    EXPECT_EQ(
        sequence_problems(
            found == committed.outbox_sequences.end() ? std::vector<std::int64_t>{} : found->second,
            version),
        "")
        << "the writer's outbox events of " << aggregate << " (committed counter " << version
        << ")";
  }

  // ---- the applier applied each committed change once, in order; nothing else --------------
  std::int64_t applied_total = 0;
  for (const auto& [aggregate, sequences] : applied.sequences) {
    EXPECT_TRUE(committed.counters.contains(aggregate)) << "applied unknown " << aggregate;
    applied_total += static_cast<std::int64_t>(sequences.size());
  }
  for (const auto& [aggregate, version] : committed.counters) {
    const auto found = applied.sequences.find(aggregate);
    // Exactly 1..N in application order: no gap, no duplicate, no reordering.
    EXPECT_EQ(sequence_problems(
                  found == applied.sequences.end() ? std::vector<std::int64_t>{} : found->second,
                  version),
              "")
        << "applied increments of " << aggregate << " (committed counter " << version << ")";
  }
  EXPECT_EQ(applied_total, committed.total);
  EXPECT_EQ(applied.inbox_rows, committed.total);
  EXPECT_EQ(set_problems(std::set<std::string>(applied.event_ids.begin(), applied.event_ids.end()),
                         committed.outbox_event_ids),
            "")
      << "the applied event ids against the committed ones";

  // Events whose transaction a SIGKILL interrupted: announced, never committed. The set checks
  // above already prove they reached no one.
  std::vector<std::string> interrupted;
  std::set_difference(committing.begin(), committing.end(), committed.outbox_event_ids.begin(),
                      committed.outbox_event_ids.end(), std::back_inserter(interrupted));
  std::vector<std::string> unannounced;
  std::set_difference(committed.outbox_event_ids.begin(), committed.outbox_event_ids.end(),
                      committing.begin(), committing.end(), std::back_inserter(unannounced));
  EXPECT_TRUE(unannounced.empty())
      << "committed events missing from " << committing_file << ": " << some(unannounced);
  EXPECT_GT(interrupted.size(), 0u)
      << "no writer kill landed inside a transaction: the run proves less than it should";

  // ---- a rolled-back change left no event anywhere -----------------------------------------
  EXPECT_GT(rolled_back.size(), 0u) << "the run rolled nothing back: the check below is void";
  EXPECT_EQ(applied.marked_rolled_back, 0);
  std::int64_t rolled_back_applied = 0, rolled_back_in_outbox = 0, rolled_back_on_wire = 0;
  for (const auto& id : applied.event_ids) rolled_back_applied += rolled_back.contains(id);
  for (const auto& id : committed.outbox_event_ids)
    rolled_back_in_outbox += rolled_back.contains(id);
  std::set<std::string> wire_ids;
  for (const auto& event : wire) {
    rolled_back_on_wire += rolled_back.contains(event.event_id) || event.increment.rolled_back;
    wire_ids.insert(event.event_id);
  }
  EXPECT_EQ(rolled_back_applied, 0);
  EXPECT_EQ(rolled_back_in_outbox, 0);
  EXPECT_EQ(rolled_back_on_wire, 0);
  EXPECT_EQ(set_problems(wire_ids, committed.outbox_event_ids), "")
      << "the event ids in the topic against the committed ones";

  // ---- the relay kept each aggregate's order on the wire ------------------------------------
  // Republished copies of N (a relay killed before it marked N sent) may follow N; what the
  // inbox needs is that the first copy of N+1 never comes before the first copy of N.
  std::map<std::string, std::vector<std::int64_t>> first_copies;
  std::map<std::string, std::set<std::int32_t>> wire_partitions;
  std::set<std::string> seen_on_wire;
  for (const auto& event : wire) {  // per partition in offset order
    wire_partitions[event.aggregate_id].insert(event.partition);
    if (seen_on_wire.insert(event.event_id).second)
      first_copies[event.aggregate_id].push_back(event.increment.sequence);
  }
  for (const auto& [aggregate, version] : committed.counters) {
    EXPECT_EQ(wire_partitions[aggregate].size(), 1u) << aggregate << " is keyed to one partition";
    EXPECT_EQ(sequence_problems(first_copies[aggregate], version), "")
        << "the first copies on the wire of " << aggregate << "'s events (committed counter "
        << version << ")";
  }

  const auto republished = static_cast<std::int64_t>(wire.size()) - committed.total;
  std::ostringstream report;
  report << "committed " << committed.total << ", rolled back " << rolled_back.size()
         << ", interrupted by a kill before commit " << interrupted.size() << ", applied "
         << applied_total << ", messages on the wire " << wire.size() << " (" << republished
         << " republished after a relay crash), writer kills " << writer_kills << ", applier kills "
         << applier_kills << " (" << kills_mid_backlog
         << " while working through a backlog), crash phase " << crash_phase_s << " s, total "
         << elapsed() << " s";
  std::cout << "crash-safety: " << report.str() << std::endl;
  RecordProperty("committed", static_cast<int>(committed.total));
  RecordProperty("rolled_back", static_cast<int>(rolled_back.size()));
  RecordProperty("interrupted", static_cast<int>(interrupted.size()));
  RecordProperty("applied", static_cast<int>(applied_total));
  RecordProperty("republished", static_cast<int>(republished));
  RecordProperty("writer_kills", writer_kills);
  RecordProperty("applier_kills", applier_kills);
  RecordProperty("applier_kills_mid_backlog", kills_mid_backlog);

  if (!HasFailure()) std::filesystem::remove_all(scratch);
}

}  // namespace
}  // namespace eskit::runtime::messaging
