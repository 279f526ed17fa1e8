// What only SQLite has: the file's journal mode and per-connection pragmas, and busy locks.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/retry.hpp"
#include "persistence/tests/test_databases.hpp"

namespace eskit::runtime::db {
namespace {

using namespace std::chrono;

class Sqlite : public ::testing::Test {
 protected:
  testing::TestDatabase test_db{Backend::sqlite, "sqlite"};
};

TEST_F(Sqlite, FileIsInWalModeWithConfiguredPragmasOnEveryConnection) {
  auto db = test_db.open({.pool_size = 3, .busy_timeout = milliseconds(1234)});
  // Hold all three connections at once so each one is checked.
  std::vector<UnitOfWork> units;
  for (int i = 0; i < 3; ++i)
    units.push_back(db.begin({.access = TransactionOptions::Access::read_only}));
  for (auto& uow : units) {
    EXPECT_EQ(uow.query_scalar<std::string>("pragma journal_mode"), "wal");
    EXPECT_EQ(uow.query_scalar<std::int64_t>("pragma foreign_keys"), 1);
    EXPECT_EQ(uow.query_scalar<std::int64_t>("pragma synchronous"), 2);  // FULL
    EXPECT_EQ(uow.query_scalar<std::int64_t>("pragma busy_timeout"), 1234);
  }
  EXPECT_TRUE(std::filesystem::exists(test_db.url().substr(7)));
}

TEST_F(Sqlite, SynchronousNormalOnRequest) {
  auto db = test_db.open({.sqlite_synchronous_full = false});
  EXPECT_EQ(db.begin().query_scalar<std::int64_t>("pragma synchronous"), 1);
}

TEST_F(Sqlite, ForeignKeysAreEnforced) {
  auto db = test_db.open();
  auto uow = db.begin();
  uow.execute_script(
      "create table parent (id integer primary key); "
      "create table child (id integer primary key, parent integer not null references parent(id))");
  try {
    uow.execute("insert into child (id, parent) values (:id, :parent)", 1, 99);
    FAIL() << "expected a foreign key violation";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::constraint_violation) << e.what();
  }
}

TEST_F(Sqlite, SecondWriterWaitingPastTheBusyTimeoutIsTransient) {
  // Writers of one Database queue in the process and never reach SQLite's busy handler.
  auto db = test_db.open({.pool_size = 2, .busy_timeout = milliseconds(0)});
  auto writer = db.begin();  // BEGIN IMMEDIATE holds the write lock
  try {
    db.begin();
    FAIL() << "expected the second writer to give up";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.is_transient()) << e.what();
    EXPECT_NE(std::string(e.what()).find("busy timeout"), std::string::npos) << e.what();
  }
  // Readers are not blocked by the writer in WAL mode.
  auto reader = db.begin({.access = TransactionOptions::Access::read_only});
  EXPECT_EQ(reader.query_scalar<std::int64_t>("select 1"), 1);
  reader.rollback();
  writer.commit();
  EXPECT_NO_THROW(db.begin().commit());
}

TEST_F(Sqlite, WriterOfAnotherConnectionPoolMeetsSqlitesBusyTimeout) {
  // Another process (here: another pool on the same file) is only held off by SQLite itself.
  auto db = test_db.open({.pool_size = 1, .busy_timeout = milliseconds(0)});
  auto other = test_db.open({.pool_size = 1, .busy_timeout = milliseconds(0)});
  auto writer = db.begin();
  try {
    other.begin();
    FAIL() << "expected SQLITE_BUSY";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.is_transient()) << e.what();
    EXPECT_EQ(e.code(), "database is locked") << e.what();
  }
  writer.commit();
  EXPECT_NO_THROW(other.begin().commit());
}

TEST_F(Sqlite, RelaxedUnitThatCannotBeginLeavesTheConnectionDurable) {
  auto db = test_db.open({.pool_size = 1, .busy_timeout = milliseconds(0)});
  auto other = test_db.open({.pool_size = 1, .busy_timeout = milliseconds(0)});
  auto writer = other.begin();
  EXPECT_THROW(db.begin({.durability = TransactionOptions::Durability::relaxed}), DatabaseError);
  writer.commit();
  auto next = db.begin();  // the same, only connection
  EXPECT_EQ(next.query_scalar<std::int64_t>("pragma synchronous"), 2) << "FULL";
}

TEST_F(Sqlite, WritersOfOneProcessQueueInsteadOfFailing) {
  // More writers than connections, each committing many times: none sees SQLITE_BUSY, none is
  // lost, and the write lock is released by commit, rollback and destruction alike.
  auto db = test_db.open({.pool_size = 3});
  {
    auto uow = db.begin();
    uow.execute("create table hits (n integer not null)");
    uow.commit();
  }
  constexpr int threads = 6, rounds = 40;
  std::vector<std::thread> workers;
  std::atomic<int> errors{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        try {
          auto uow = db.begin();
          uow.execute("insert into hits (n) values (:n)", t * rounds + i);
          if (i % 3 == 0) {
            uow.commit();
          } else if (i % 3 == 1) {
            uow.rollback();
          }  // else: destroyed without commit, which rolls back
        } catch (const DatabaseError&) {
          ++errors;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(errors.load(), 0);
  auto reader = db.begin({.access = TransactionOptions::Access::read_only});
  const auto committed = (rounds + 2) / 3;
  EXPECT_EQ(reader.query_scalar<std::int64_t>("select count(*) from hits"), threads * committed);
}

TEST_F(Sqlite, OpenFailureNamesTheFile) {
  try {
    Database::open("sqlite:/nonexistent-dir/orders.db");
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.database(), "sqlite:/nonexistent-dir/orders.db");
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/orders.db"), std::string::npos)
        << e.what();
  }
}

TEST_F(Sqlite, PathWithSpacesWorks) {
  const auto dir = std::filesystem::path(test_db.url().substr(7)).parent_path() / "with space";
  std::filesystem::create_directories(dir);
  auto db = Database::open("sqlite:" + (dir / "my db.db").string());
  db.ping();
  EXPECT_TRUE(std::filesystem::exists(dir / "my db.db"));
}

TEST_F(Sqlite, InMemoryDatabaseHasOneConnection) {
  auto db = Database::open("sqlite::memory:", {.pool_size = 8});
  EXPECT_EQ(db.pool_size(), 1u);
  auto uow = db.begin();
  uow.execute_script("create table t (x integer)");
  uow.execute("insert into t (x) values (:x)", 7);
  uow.commit();
  EXPECT_EQ(db.begin().query_scalar<std::int64_t>("select x from t"), 7);
}

}  // namespace
}  // namespace eskit::runtime::db
