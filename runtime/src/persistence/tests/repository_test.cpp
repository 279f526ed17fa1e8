#include "eskit/runtime/db/repository.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "eskit/runtime/db/database.hpp"
#include "persistence/tests/test_databases.hpp"

namespace eskit::runtime::db {
namespace {

using namespace std::chrono;

// What generated code would look like for an aggregate "Order".
struct Order {
  std::string id;
  std::string customer;
  double total = 0;
  bool paid = false;
  std::optional<Timestamp> shipped_at;
  friend bool operator==(const Order&, const Order&) = default;
};

struct OrderMapping {
  using Entity = Order;
  using Id = std::string;
  using Columns = std::tuple<std::string, double, bool, std::optional<Timestamp>>;
  static constexpr std::string_view table = "orders";
  static constexpr std::array<std::string_view, 4> columns{"customer", "total", "paid",
                                                           "shipped_at"};
  static Id id_of(const Order& o) { return o.id; }
  static Columns to_columns(const Order& o) { return {o.customer, o.total, o.paid, o.shipped_at}; }
  static Order from_columns(Id id, Columns&& c) {
    auto& [customer, total, paid, shipped_at] = c;
    return {std::move(id), std::move(customer), total, paid, shipped_at};
  }
};

class OrderRepository : public RepositoryBase<OrderMapping> {};

class RepositoryTest : public testing::BothBackends {
 protected:
  void SetUp() override {
    BothBackends::SetUp();
    if (HasFatalFailure()) return;
    const auto d = db().dialect();
    auto uow = db().begin();
    uow.execute_script("create table orders (id text primary key, version " +
                       std::string(d.column_type(ColumnType::integer)) +
                       " not null, customer text not null, total " +
                       std::string(d.column_type(ColumnType::real)) + " not null, paid " +
                       std::string(d.column_type(ColumnType::boolean)) + " not null, shipped_at " +
                       std::string(d.column_type(ColumnType::timestamp)) + ")");
    orders.insert(uow, placed);
    uow.commit();
  }

  Versioned<Order> load(const std::string& id) {
    auto uow = db().begin({.access = TransactionOptions::Access::read_only});
    auto found = orders.load(uow, id);
    if (!found) throw std::runtime_error("no order " + id);
    return *found;
  }

  OrderRepository orders;
  Order placed{"o-1", "Ann", 12.5, false, std::nullopt};
};

TEST_P(RepositoryTest, InsertLoadUpdateCountsVersions) {
  auto loaded = load("o-1");
  EXPECT_EQ(loaded.entity, placed);
  EXPECT_EQ(loaded.version, 1);

  loaded.entity.paid = true;
  loaded.entity.shipped_at = sys_days{year{2025} / 3 / 4} + hours{5} + microseconds{6};
  auto uow = db().begin();
  EXPECT_EQ(orders.update(uow, loaded.entity, loaded.version), 2);
  uow.commit();

  auto reloaded = load("o-1");
  EXPECT_EQ(reloaded.entity, loaded.entity);
  EXPECT_EQ(reloaded.version, 2);
  auto reader = db().begin();
  EXPECT_FALSE(orders.load(reader, "o-404"));
}

TEST_P(RepositoryTest, StaleVersionIsAConflict) {
  // Two requests load the same order, both at version 1; the first saves, the second must not
  // overwrite that change silently.
  auto first = load("o-1");
  auto second = load("o-1");
  first.entity.total = 20;
  {
    auto uow = db().begin();
    orders.update(uow, first.entity, first.version);
    uow.commit();
  }
  second.entity.paid = true;
  auto uow = db().begin();
  try {
    orders.update(uow, second.entity, second.version);
    FAIL() << "expected a conflict";
  } catch (const ConcurrencyConflict& e) {
    EXPECT_EQ(e.kind(), ErrorKind::concurrency_conflict);
    EXPECT_EQ(e.statement(), "orders.update");
    EXPECT_NE(e.message().find("'o-1' is no longer at version 1"), std::string::npos) << e.what();
  }
  uow.rollback();
  EXPECT_EQ(load("o-1").entity.total, 20);
  EXPECT_FALSE(load("o-1").entity.paid);
}

TEST_P(RepositoryTest, ConcurrentUnitsOfWorkUpdatingTheSameVersionOneWins) {
  // Both units of work are open at once. The second one's update waits for the first's row
  // lock (PostgreSQL) or write lock (SQLite), then finds version 1 gone: whichever order the
  // threads run in, exactly one update succeeds.
  auto other_pool = test_db().open();
  auto first = db().begin();
  orders.update(first, Order{"o-1", "Ann", 30, false, std::nullopt}, 1);
  bool second_conflicted = false;
  std::string second_error;
  std::thread second([&] {
    try {
      auto uow = other_pool.begin();
      orders.update(uow, Order{"o-1", "Ann", 40, false, std::nullopt}, 1);
      uow.commit();
    } catch (const ConcurrencyConflict&) {
      second_conflicted = true;
    } catch (const std::exception& e) {
      second_error = e.what();
    }
  });
  first.commit();
  second.join();
  EXPECT_TRUE(second_conflicted) << second_error;
  EXPECT_EQ(load("o-1").entity.total, 30);
  EXPECT_EQ(load("o-1").version, 2);
}

TEST_P(RepositoryTest, RemoveChecksTheVersionToo) {
  auto uow = db().begin();
  EXPECT_THROW(orders.remove(uow, "o-1", 7), ConcurrencyConflict);
  orders.remove(uow, "o-1", 1);
  EXPECT_FALSE(orders.load(uow, "o-1"));
  EXPECT_THROW(orders.remove(uow, "o-1", 1), ConcurrencyConflict);
}

TEST_P(RepositoryTest, DuplicateInsertIsAConstraintViolation) {
  auto uow = db().begin();
  try {
    orders.insert(uow, placed);
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::constraint_violation) << e.what();
    EXPECT_EQ(e.statement(), "orders.insert");
  }
}

// Generated mappings key their table by the aggregate's id field, not by `id`.
struct Call {
  std::int64_t call_id = 0;
  std::string location;
};

struct CallMapping {
  using Entity = Call;
  using Id = std::int64_t;
  using Columns = std::tuple<std::string>;
  static constexpr std::string_view table = "caller";
  static constexpr std::string_view id_column = "call_id";
  static constexpr std::array<std::string_view, 1> columns{"location"};
  static Id id_of(const Call& c) { return c.call_id; }
  static Columns to_columns(const Call& c) { return {c.location}; }
  static Call from_columns(Id id, Columns&& c) { return {id, std::move(std::get<0>(c))}; }
};

TEST_P(RepositoryTest, AMappingNamesItsKeyColumn) {
  const RepositoryBase<CallMapping> calls;
  auto uow = db().begin();
  uow.execute_script("create table caller (call_id bigint primary key, version " +
                     std::string(db().dialect().column_type(ColumnType::integer)) +
                     " not null, location text not null)");
  calls.insert(uow, {7, "kangnam"});
  EXPECT_EQ(calls.update(uow, {7, "mapo"}, 1), 2);
  const auto found = calls.load(uow, 7);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->entity.location, "mapo");
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(uow.query_scalar<std::int64_t>("select count(*) from caller where call_id = 7"), 1);
  calls.remove(uow, 7, 2);
  EXPECT_FALSE(calls.load(uow, 7));
}

ESKIT_ON_BOTH_BACKENDS(RepositoryTest);

}  // namespace
}  // namespace eskit::runtime::db
