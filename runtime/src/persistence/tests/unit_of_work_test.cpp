#include "eskit/runtime/db/unit_of_work.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/retry.hpp"
#include "persistence/tests/test_databases.hpp"

namespace eskit::runtime::db {
namespace {

using testing::BothBackends;
using namespace std::chrono;

class UnitOfWorkTest : public BothBackends {
 protected:
  void SetUp() override {
    BothBackends::SetUp();
    if (HasFatalFailure()) return;
    const auto d = db().dialect();
    auto uow = db().begin();
    // DDL as the generator emits it: column types from the dialect.
    uow.execute_script(Statement(
        "create items", "create table items (id text primary key, quantity " +
                            std::string(d.column_type(ColumnType::integer)) + " not null, small " +
                            std::string(d.column_type(ColumnType::integer32)) + ", price " +
                            std::string(d.column_type(ColumnType::real)) + ", active " +
                            std::string(d.column_type(ColumnType::boolean)) +
                            " not null, note text, at " +
                            std::string(d.column_type(ColumnType::timestamp)) +
                            ");"
                            "create table notes (id text primary key, body text not null)"));
    uow.commit();
  }

  std::int64_t count_items() {
    auto uow = db().begin({.access = TransactionOptions::Access::read_only});
    return *uow.query_scalar<std::int64_t>("select count(*) from items");
  }
};

constexpr Statement insert_item{"items.insert",
                                "insert into items (id, quantity, small, price, active, note, at) "
                                "values (:id, :quantity, :small, :price, :active, :note, :at)"};

TEST_P(UnitOfWorkTest, CrudThroughBoundStatements) {
  auto uow = db().begin();
  EXPECT_EQ(uow.execute(insert_item, "a", 1, 10, 2.5, true, "first", std::nullopt), 1u);
  EXPECT_EQ(uow.execute(insert_item, "b", 2, 20, 3.5, false, std::nullopt, std::nullopt), 1u);
  EXPECT_EQ(
      uow.execute(Statement("items.add",
                            "update items set quantity = quantity + :n where quantity >= :min"),
                  5, 1),
      2u);
  auto rows = uow.query<std::string, std::int64_t, std::optional<std::string>>(
      "select id, quantity, note from items order by id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], std::make_tuple(std::string("a"), std::int64_t{6},
                                     std::optional<std::string>("first")));
  EXPECT_EQ(rows[1],
            std::make_tuple(std::string("b"), std::int64_t{7}, std::optional<std::string>()));
  EXPECT_EQ(uow.execute("delete from items where id = :id", "a"), 1u);
  EXPECT_FALSE(uow.query_one<std::string>("select id from items where id = :id", "a"));
  uow.commit();
  EXPECT_EQ(count_items(), 1);
}

TEST_P(UnitOfWorkTest, EveryParameterTypeRoundTrips) {
  const Timestamp at =
      sys_days{year{2031} / 12 / 31} + hours{23} + minutes{59} + seconds{59} + microseconds{999999};
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  auto uow = db().begin();
  uow.execute(insert_item, "max", big, std::numeric_limits<int>::min(), 0.1, true, "Grüße, 東京 ✓",
              at);
  uow.execute(insert_item, "min", std::numeric_limits<std::int64_t>::min(), std::optional<int>(),
              1e300, false, std::string(), std::optional<Timestamp>());
  auto max = uow.query_one<std::int64_t, int, double, bool, std::string, Timestamp>(
      "select quantity, small, price, active, note, at from items where id = :id", "max");
  ASSERT_TRUE(max);
  EXPECT_EQ(*max, std::make_tuple(big, std::numeric_limits<int>::min(), 0.1, true,
                                  std::string("Grüße, 東京 ✓"), at));
  auto min = uow.query_one<std::int64_t, std::optional<int>, double, bool,
                           std::optional<std::string>, std::optional<Timestamp>>(
      "select quantity, small, price, active, note, at from items where id = :id",
      std::string_view("min"));
  ASSERT_TRUE(min);
  EXPECT_EQ(*min,
            std::make_tuple(std::numeric_limits<std::int64_t>::min(), std::optional<int>(), 1e300,
                            false, std::optional<std::string>(""), std::optional<Timestamp>()));
  // Booleans and timestamps compare in SQL against bound values too.
  EXPECT_EQ(
      uow.query_scalar<std::int64_t>("select count(*) from items where active = :a and at < :t",
                                     true, at + microseconds{1}),
      1);
}

TEST_P(UnitOfWorkTest, SqlMetacharactersInValuesAreData) {
  const std::string hostile = "O'Brien\"; drop table notes; -- :id $1 ? \\ %s \n';";
  auto uow = db().begin();
  uow.execute("insert into notes (id, body) values (:id, :body)", hostile, hostile);
  EXPECT_EQ(uow.query_scalar<std::string>("select body from notes where id = :id", hostile),
            hostile);
  EXPECT_EQ(uow.query_scalar<std::int64_t>("select count(*) from notes"), 1);
  uow.commit();
}

TEST_P(UnitOfWorkTest, CommitMakesWritesVisibleToOthers) {
  auto uow = db().begin();
  uow.execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt);
  uow.commit();
  EXPECT_FALSE(uow.active());
  auto other = test_db().open();
  auto reader = other.begin({.access = TransactionOptions::Access::read_only});
  EXPECT_EQ(reader.query_scalar<std::int64_t>("select quantity from items where id = :id", "a"), 1);
}

// What the connection says about flushing commits, as text: SQLite's synchronous level
// (1 NORMAL, 2 FULL), PostgreSQL's synchronous_commit.
std::string flush_setting(UnitOfWork& uow) {
  if (uow.dialect().backend() == Backend::sqlite)
    return std::to_string(*uow.query_scalar<std::int64_t>("pragma synchronous"));
  return *uow.query_scalar<std::string>("show synchronous_commit");
}

TEST_P(UnitOfWorkTest, RelaxedDurabilityCommitsAndLeavesTheConnectionDurable) {
  // One connection, so the next unit of work gets the one the relaxed unit used.
  auto single = test_db().open({.pool_size = 1});
  const bool sqlite = single.backend() == Backend::sqlite;
  if (!sqlite) {
    // The test cluster turns synchronous_commit off for speed; a service's server has it on.
    auto uow = single.begin();
    uow.execute_script(Statement("session default", "set synchronous_commit = on"));
    uow.commit();
  }
  {
    auto uow = single.begin({.durability = TransactionOptions::Durability::relaxed});
    EXPECT_EQ(flush_setting(uow), sqlite ? "1" : "off");
    uow.execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt);
    uow.commit();
  }
  for (const bool commit : {true, false}) {
    auto uow = single.begin();
    EXPECT_EQ(flush_setting(uow), sqlite ? "2" : "on") << "after a relaxed unit of work";
    if (commit) {
      uow.commit();
      auto relaxed = single.begin({.durability = TransactionOptions::Durability::relaxed});
      relaxed.rollback();  // a rollback sets the level back too
    }
  }
  EXPECT_EQ(count_items(), 1);
}

TEST_P(UnitOfWorkTest, RollbackDiscardsWrites) {
  auto uow = db().begin();
  uow.execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt);
  uow.rollback();
  EXPECT_EQ(count_items(), 0);
}

TEST_P(UnitOfWorkTest, DestructionWithoutCommitRollsBack) {
  { db().begin().execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt); }
  EXPECT_EQ(count_items(), 0);
}

TEST_P(UnitOfWorkTest, ExceptionInTheMiddleRollsBackEverything) {
  const auto handle_command = [&] {
    auto uow = db().begin();
    uow.execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt);
    throw std::runtime_error("business rule violated");
  };
  EXPECT_THROW(handle_command(), std::runtime_error);
  EXPECT_EQ(count_items(), 0);
  // The connection went back to the pool clean: new units of work work.
  auto uow = db().begin();
  uow.execute(insert_item, "b", 1, 1, 1.0, true, "x", std::nullopt);
  uow.commit();
  EXPECT_EQ(count_items(), 1);
}

TEST_P(UnitOfWorkTest, UseAfterCommitIsAnError) {
  auto uow = db().begin();
  uow.commit();
  try {
    uow.execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt);
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_EQ(e.statement(), "items.insert");
  }
}

TEST_P(UnitOfWorkTest, InvalidStatementErrorNamesDatabaseStatementAndDriverMessage) {
  auto uow = db().begin();
  try {
    uow.execute(Statement("orders.archive", "insert into nowhere (id) values (:id)"), 1);
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::invalid_statement) << what;
    EXPECT_EQ(e.statement(), "orders.archive");
    EXPECT_EQ(e.database(), db().description());
    EXPECT_NE(what.find(db().description()), std::string::npos) << what;
    EXPECT_NE(what.find("orders.archive"), std::string::npos) << what;
    EXPECT_NE(e.message().find("nowhere"), std::string::npos) << what;
  }
}

TEST_P(UnitOfWorkTest, DuplicateKeyIsAConstraintViolation) {
  auto uow = db().begin();
  uow.execute(insert_item, "a", 1, 1, 1.0, true, "x", std::nullopt);
  try {
    uow.execute(insert_item, "a", 2, 2, 2.0, true, "y", std::nullopt);
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::constraint_violation) << e.what();
  }
}

TEST_P(UnitOfWorkTest, NullIntoANonOptionalColumnSaysWhatToDo) {
  auto uow = db().begin();
  uow.execute(insert_item, "a", 1, std::optional<int>(), 1.0, true, "x", std::nullopt);
  try {
    uow.query_scalar<int>(Statement("items.small", "select small from items"));
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.statement(), "items.small");
    EXPECT_NE(e.message().find("std::optional"), std::string::npos) << e.what();
  }
}

TEST_P(UnitOfWorkTest, IntegerTooWideForIntIsRefused) {
  auto uow = db().begin();
  uow.execute(insert_item, "a", std::int64_t{1} << 40, 1, 1.0, true, "x", std::nullopt);
  EXPECT_THROW(uow.query_scalar<int>("select quantity from items"), DatabaseError);
  EXPECT_EQ(uow.query_scalar<std::int64_t>("select quantity from items"), std::int64_t{1} << 40);
}

TEST_P(UnitOfWorkTest, DialectNowIsATimestampOfNow) {
  auto uow = db().begin();
  const auto before = floor<milliseconds>(system_clock::now());
  const auto now = uow.query_scalar<Timestamp>("select " + std::string(uow.dialect().now()));
  const auto after = system_clock::now();
  ASSERT_TRUE(now);
  EXPECT_GE(*now, before - seconds{1});  // database and test share a clock; 1 s for rounding
  EXPECT_LE(*now, after + seconds{1});
}

TEST_P(UnitOfWorkTest, UpsertInsertsThenUpdates) {
  const std::array<std::string_view, 1> key{"id"};
  const std::array<std::string_view, 1> others{"body"};
  const std::string upsert = db().dialect().upsert("notes", key, others);
  auto uow = db().begin();
  uow.execute(upsert, "n", "first");
  uow.execute(upsert, "n", "second");
  EXPECT_EQ(uow.query_scalar<std::string>("select body from notes where id = :id", "n"), "second");
  EXPECT_EQ(uow.query_scalar<std::int64_t>("select count(*) from notes"), 1);
}

TEST_P(UnitOfWorkTest, ExhaustedPoolReportsInsteadOfHanging) {
  auto small = test_db().open({.pool_size = 1, .acquire_timeout = milliseconds(20)});
  auto holder = small.begin({.access = TransactionOptions::Access::read_only});
  try {
    small.begin();
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::pool_exhausted) << e.what();
  }
  EXPECT_THROW(small.ping(), DatabaseError);
  holder.rollback();
  EXPECT_NO_THROW(small.ping());
}

TEST_P(UnitOfWorkTest, TransactCommitsWhatTheWorkReturns) {
  const auto quantity = transact(db(), [](UnitOfWork& uow) {
    uow.execute(insert_item, "a", 3, 1, 1.0, true, "x", std::nullopt);
    return *uow.query_scalar<std::int64_t>("select quantity from items where id = :id", "a");
  });
  EXPECT_EQ(quantity, 3);
  EXPECT_EQ(count_items(), 1);
}

ESKIT_ON_BOTH_BACKENDS(UnitOfWorkTest);

TEST(Retry, RetriesTransientFailuresOnly) {
  int attempts = 0;
  const RetryPolicy fast{
      .max_attempts = 5, .base_delay = milliseconds(0), .max_delay = milliseconds(0)};
  EXPECT_EQ(with_retry(
                [&] {
                  if (++attempts < 3) throw DatabaseError(ErrorKind::transient, "db", "s", "busy");
                  return 42;
                },
                fast),
            42);
  EXPECT_EQ(attempts, 3);

  attempts = 0;
  EXPECT_THROW(with_retry(
                   [&]() -> int {
                     ++attempts;
                     throw ConcurrencyConflict(ErrorKind::concurrency_conflict, "db", "s",
                                               "moved on");
                   },
                   fast),
               ConcurrencyConflict);
  EXPECT_EQ(attempts, 1);

  attempts = 0;
  EXPECT_THROW(with_retry(
                   [&]() -> int {
                     ++attempts;
                     throw DatabaseError(ErrorKind::transient, "db", "s", "busy");
                   },
                   fast),
               DatabaseError);
  EXPECT_EQ(attempts, 5);
}

}  // namespace
}  // namespace eskit::runtime::db

namespace eskit::runtime::db {
namespace {

// PostgreSQL's serializable isolation: a write skew fails one transaction with SQLSTATE 40001,
// classified transient (what transact() retries); the retried work then sees the other's write.
class PostgresSerializable : public testing::BothBackends {};

TEST_P(PostgresSerializable, SerializationFailureIsTransientAndRetried) {
  {
    auto uow = db().begin();
    uow.execute_script("create table shifts (doctor text not null, on_call boolean not null)");
    uow.execute("insert into shifts values (:d, :c)", "alice", true);
    uow.execute("insert into shifts values (:d, :c)", "bob", true);
    uow.commit();
  }
  const TransactionOptions serializable{.isolation = TransactionOptions::Isolation::serializable};
  constexpr Statement on_call{"shifts.on_call", "select count(*) from shifts where on_call"};
  constexpr Statement go_off{"shifts.off", "update shifts set on_call = false where doctor = :d"};
  auto alice = db().begin(serializable);
  auto bob = db().begin(serializable);
  EXPECT_EQ(alice.query_scalar<std::int64_t>(on_call), 2);
  EXPECT_EQ(bob.query_scalar<std::int64_t>(on_call), 2);
  alice.execute(go_off, "alice");
  bob.execute(go_off, "bob");
  alice.commit();
  try {
    bob.commit();
    FAIL() << "expected a serialization failure";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.is_transient()) << e.what();
    EXPECT_EQ(e.code(), "40001");
  }

  int attempts = 0;
  const bool went_off = transact(
      db(),
      [&](UnitOfWork& uow) {
        ++attempts;
        if (*uow.query_scalar<std::int64_t>(on_call) < 2)
          return false;  // someone must stay on call
        uow.execute(go_off, "bob");
        return true;
      },
      {}, serializable);
  EXPECT_FALSE(went_off);
  EXPECT_EQ(attempts, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresSerializable, ::testing::Values(Backend::postgresql),
                         testing::backend_name);

}  // namespace
}  // namespace eskit::runtime::db
