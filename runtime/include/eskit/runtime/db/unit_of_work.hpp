#pragma once
// A unit of work: one transaction on one leased connection, RAII. Destroying it without
// commit() rolls back, so an exception thrown by a command handler leaves no partial writes.
//
//   auto uow = db.begin();
//   uow.execute(insert_order, order.id, order.total);
//   auto n = uow.query_scalar<std::int64_t>("select count(*) from orders");
//   uow.commit();
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "eskit/runtime/db/dialect.hpp"
#include "eskit/runtime/db/error.hpp"
#include "eskit/runtime/db/statement.hpp"
#include "eskit/runtime/db/value.hpp"

namespace eskit::runtime::db {

struct TransactionOptions {
  enum class Access { read_write, read_only };
  enum class Isolation { database_default, serializable };
  // SQLite: read_write begins IMMEDIATE (takes the write lock up front, so a transaction
  // never fails half-way with SQLITE_BUSY_SNAPSHOT, which the busy timeout cannot resolve);
  // read_only begins DEFERRED and never blocks writers in WAL mode.
  Access access = Access::read_write;
  // PostgreSQL only (SQLite transactions are always serializable).
  Isolation isolation = Isolation::database_default;
  // relaxed: the commit returns before it is flushed to disk (SQLite synchronous=NORMAL for
  // this transaction, PostgreSQL synchronous_commit=off), so power loss may undo it, never
  // half of it. Only for writes whose loss is harmless: the relay's "sent" marks (a lost mark
  // publishes the event again, and the inbox drops the copy).
  enum class Durability { durable, relaxed };
  Durability durability = Durability::durable;
};

class UnitOfWork {
 public:
  UnitOfWork(UnitOfWork&&) noexcept;
  UnitOfWork& operator=(UnitOfWork&&) noexcept;
  ~UnitOfWork();  // rolls back if neither commit() nor rollback() ran

  // Runs a statement with bound parameters (in placeholder order); returns affected rows.
  template <class... Params>
  std::uint64_t execute(const Statement& statement, const Params&... params) {
    const std::array<Value, sizeof...(Params)> values{to_value(params)...};
    return execute_values(statement, values);
  }

  // Rows as tuples of the requested column types, e.g.
  //   uow.query<std::string, std::optional<double>>("select id, total from orders where customer =
  //   :c", c)
  // NULL is accepted only by std::optional columns.
  template <class... Columns, class... Params>
  std::vector<std::tuple<Columns...>> query(const Statement& statement, const Params&... params) {
    const std::array<Value, sizeof...(Params)> values{to_value(params)...};
    auto rows = query_values(statement, values, specs<Columns...>(), 0);
    std::vector<std::tuple<Columns...>> result;
    result.reserve(rows.size());
    for (auto& row : rows)
      result.push_back(to_tuple<Columns...>(row, std::index_sequence_for<Columns...>{}));
    return result;
  }

  // The first row, if any.
  template <class... Columns, class... Params>
  std::optional<std::tuple<Columns...>> query_one(const Statement& statement,
                                                  const Params&... params) {
    const std::array<Value, sizeof...(Params)> values{to_value(params)...};
    auto rows = query_values(statement, values, specs<Columns...>(), 1);
    if (rows.empty()) return std::nullopt;
    return to_tuple<Columns...>(rows.front(), std::index_sequence_for<Columns...>{});
  }

  // The first column of the first row, if any (e.g. a count, or a lookup).
  template <class T, class... Params>
  std::optional<T> query_scalar(const Statement& statement, const Params&... params) {
    auto row = query_one<T>(statement, params...);
    if (!row) return std::nullopt;
    return std::get<0>(std::move(*row));
  }

  // Runs a script of several statements without parameters (DDL from the generator).
  // Only for trusted, generated text: nothing is bound.
  void execute_script(const Statement& script);

  void commit();
  void rollback();
  bool active() const noexcept;

  Dialect dialect() const;
  // The database's redacted description, for errors raised by generated code.
  const std::string& database() const;
  // The untyped core the templates above call; generated code should not need it.
  std::uint64_t execute_values(const Statement& statement, std::span<const Value> params);
  std::vector<std::vector<Value>> query_values(const Statement& statement,
                                               std::span<const Value> params,
                                               std::span<const ColumnSpec> columns,
                                               std::size_t max_rows);

  struct Impl;
  explicit UnitOfWork(std::unique_ptr<Impl> impl);

 private:
  template <class... Columns>
  static std::span<const ColumnSpec> specs() {
    static constexpr std::array<ColumnSpec, sizeof...(Columns)> list{
        column_traits<Columns>::spec...};
    return list;
  }
  template <class... Columns, std::size_t... I>
  static std::tuple<Columns...> to_tuple(std::vector<Value>& row, std::index_sequence<I...>) {
    return std::tuple<Columns...>{column_traits<Columns>::from(std::move(row[I]))...};
  }

  void rollback_quietly() noexcept;

  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::db
