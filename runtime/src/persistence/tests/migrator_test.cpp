#include "eskit/runtime/db/migrator.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "persistence/tests/test_databases.hpp"

namespace eskit::runtime::db {
namespace {

class MigratorTest : public testing::BothBackends {
 protected:
  std::vector<Migration> schema() const {
    const auto d = db_dialect();
    return {
        {1, "orders",
         "create table orders (id text primary key, total " +
             std::string(d.column_type(ColumnType::real)) +
             " not null);\n"
             "create table order_lines (order_id text not null references orders(id), sku text not "
             "null);\n"
             "create table audit (note text not null);\n"
             "insert into audit (note) values ('migration 1; with a semicolon in a string')"},
        {2, "customers",
         "create table customers (id text primary key); insert into audit (note) values ('2')"},
    };
  }
  Dialect db_dialect() const { return Dialect(backend()); }

  std::int64_t count(const std::string& table) {
    auto uow = db().begin({.access = TransactionOptions::Access::read_only});
    return *uow.query_scalar<std::int64_t>("select count(*) from " + table);
  }
  bool table_exists(const std::string& table) {
    auto uow = db().begin({.access = TransactionOptions::Access::read_only});
    const Statement sql =
        backend() == Backend::sqlite
            ? Statement("select count(*) from sqlite_master where type = 'table' and name = :t")
            : Statement(
                  "select count(*) from information_schema.tables where table_name = :t "
                  "and table_schema = current_schema()");
    return *uow.query_scalar<std::int64_t>(sql, table) == 1;
  }
};

TEST_P(MigratorTest, AppliesInOrderOnceAndRecordsEach) {
  const auto report = Migrator(schema()).run(db());
  EXPECT_EQ(report.applied, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(report.already_applied, 0u);
  EXPECT_TRUE(table_exists("order_lines"));
  EXPECT_TRUE(table_exists("customers"));
  EXPECT_EQ(count("audit"), 2);

  auto uow = db().begin();
  auto rows = uow.query<std::int64_t, std::string, std::string, Timestamp>(
      "select version, description, checksum, applied_at from eskit_schema_migrations order by "
      "version");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<1>(rows[0]), "orders");
  EXPECT_EQ(std::get<2>(rows[1]), Migrator::checksum(schema()[1].sql));
  EXPECT_LE(std::get<3>(rows[1]), std::chrono::system_clock::now());
}

TEST_P(MigratorTest, RerunningAppliesNothing) {
  Migrator(schema()).run(db());
  const auto again = Migrator(schema()).run(db());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.already_applied, 2u);
  EXPECT_EQ(count("audit"), 2);
}

TEST_P(MigratorTest, NewMigrationsAreAppliedOnTop) {
  auto first = schema();
  first.pop_back();
  Migrator(first).run(db());
  const auto report = Migrator(schema()).run(db());
  EXPECT_EQ(report.applied, (std::vector<std::int64_t>{2}));
  EXPECT_EQ(report.already_applied, 1u);
}

TEST_P(MigratorTest, ChangedAppliedMigrationRefusesToStart) {
  Migrator(schema()).run(db());
  auto edited = schema();
  edited[0].sql += ";\ncreate index orders_total on orders (total)";
  edited.push_back({3, "later", "create table later (id text)"});
  try {
    Migrator(edited).run(db());
    FAIL() << "expected a refusal";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::migration);
    EXPECT_EQ(e.statement(), "migration 1 (orders)");
    EXPECT_NE(e.message().find("checksum"), std::string::npos) << e.what();
    EXPECT_NE(e.message().find("add a new migration"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(table_exists("later"));
}

TEST_P(MigratorTest, LineEndingsAloneDoNotChangeTheChecksum) {
  EXPECT_EQ(Migrator::checksum("create table a (x int);\r\ncreate table b (y int)"),
            Migrator::checksum("create table a (x int);\ncreate table b (y int)"));
  EXPECT_NE(Migrator::checksum("create table a (x int)"),
            Migrator::checksum("create table a (x bigint)"));
}

TEST_P(MigratorTest, FailingMigrationLeavesNothingOfItself) {
  auto migrations = schema();
  migrations.push_back(
      {3, "broken", "create table half (id text); insert into missing_table (x) values (1)"});
  try {
    Migrator(migrations).run(db());
    FAIL() << "expected a failure";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.statement(), "migration 3 (broken)");
    EXPECT_NE(e.message().find("missing_table"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(table_exists("half"));  // DDL is transactional on both backends
  EXPECT_TRUE(table_exists("customers"));
  EXPECT_EQ(count("eskit_schema_migrations"), 2);
}

TEST_P(MigratorTest, MigrationBelowAnAppliedVersionIsRefused) {
  auto later = schema();
  later[1].version = 5;
  Migrator(later).run(db());
  later.push_back({3, "too late", "create table late (id text)"});
  EXPECT_THROW(Migrator(later).run(db()), MigrationError);
  EXPECT_FALSE(table_exists("late"));
}

TEST_P(MigratorTest, InstancesStartingTogetherApplyEachMigrationOnce) {
  constexpr int instances = 4;
  std::vector<Database> pools;
  for (int i = 0; i < instances; ++i) pools.push_back(test_db().open({.pool_size = 1}));
  std::latch start(instances);
  std::vector<MigrationReport> reports(instances);
  std::vector<std::string> errors(instances);
  std::vector<std::thread> threads;
  for (int i = 0; i < instances; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        reports[i] = Migrator(schema()).run(pools[i]);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::size_t applied = 0;
  for (int i = 0; i < instances; ++i) {
    EXPECT_EQ(errors[i], "") << "instance " << i;
    applied += reports[i].applied.size();
  }
  EXPECT_EQ(applied, 2u);
  EXPECT_EQ(count("audit"), 2);  // each migration's insert ran exactly once
  EXPECT_EQ(count("eskit_schema_migrations"), 2);
}

ESKIT_ON_BOTH_BACKENDS(MigratorTest);

TEST(Migrator, RejectsDuplicateAndNonPositiveVersions) {
  EXPECT_THROW(Migrator({{1, "a", "select 1"}, {1, "b", "select 2"}}), MigrationError);
  EXPECT_THROW(Migrator({{0, "zero", "select 1"}}), MigrationError);
}

}  // namespace
}  // namespace eskit::runtime::db
