#pragma once
// The base of generated repositories: load by id, insert, and update with optimistic
// concurrency on a `version` column. The generator emits a Mapping (what ODB would have
// generated) and derives; the SQL is built once from identifiers only, values are bound.
//
//   struct OrderMapping {
//     using Entity = Order;
//     using Id = std::string;
//     using Columns = std::tuple<std::string, double>;            // non-key columns, in order
//     static constexpr std::string_view table = "orders";
//     static constexpr std::array<std::string_view, 2> columns{"customer", "total"};
//     static Id id_of(const Order&);
//     static Columns to_columns(const Order&);
//     static Order from_columns(Id, Columns&&);
//   };
//   class OrderRepository : public RepositoryBase<OrderMapping> {};
//
// The table has the key column (`id`, or the Mapping's `id_column`, e.g. "call_id"),
// `version bigint not null` and the mapped columns.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "eskit/runtime/db/error.hpp"
#include "eskit/runtime/db/statement.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"

namespace eskit::runtime::db {

template <class Entity>
struct Versioned {
  Entity entity;
  std::int64_t version;  // 1 after insert, +1 per update
};

namespace detail {
// The four statements a repository needs, from identifiers only.
struct RepositorySql {
  std::string load_name, load, insert_name, insert, update_name, update, remove_name, remove;
};
RepositorySql repository_sql(std::string_view table, std::string_view id_column,
                             std::span<const std::string_view> columns);

// Generated mappings name their key column after the aggregate's id field; "id" otherwise.
template <class Mapping>
constexpr std::string_view id_column_of() {
  if constexpr (requires { Mapping::id_column; }) {
    return Mapping::id_column;
  } else {
    return "id";
  }
}
[[noreturn]] void throw_conflict(const UnitOfWork& uow, std::string_view statement,
                                 std::string_view table, const std::string& id_text,
                                 std::int64_t expected_version);
template <class Id>
std::string id_text(const Id& id) {
  if constexpr (std::is_convertible_v<const Id&, std::string_view>) {
    return std::string(std::string_view(id));
  } else {
    return std::to_string(id);
  }
}
}  // namespace detail

template <class Mapping>
class RepositoryBase {
 public:
  using Entity = typename Mapping::Entity;
  using Id = typename Mapping::Id;
  using Columns = typename Mapping::Columns;

  RepositoryBase()
      : sql_(detail::repository_sql(Mapping::table, detail::id_column_of<Mapping>(),
                                    Mapping::columns)) {}

  std::optional<Versioned<Entity>> load(UnitOfWork& uow, const Id& id) const {
    return load_row(uow, id, static_cast<Columns*>(nullptr));
  }

  // Inserts at version 1. A duplicate id is ErrorKind::constraint_violation.
  std::int64_t insert(UnitOfWork& uow, const Entity& entity) const {
    std::apply(
        [&](const auto&... column) {
          uow.execute(insert_statement(), Mapping::id_of(entity), column...);
        },
        Mapping::to_columns(entity));
    return 1;
  }

  // Writes the entity if its row is still at `expected_version`; returns the new version.
  // Throws ConcurrencyConflict when another unit of work got there first (or deleted it).
  std::int64_t update(UnitOfWork& uow, const Entity& entity, std::int64_t expected_version) const {
    const Id id = Mapping::id_of(entity);
    const auto rows = std::apply(
        [&](const auto&... column) {
          return uow.execute(update_statement(), column..., id, expected_version);
        },
        Mapping::to_columns(entity));
    if (rows == 0) {
      detail::throw_conflict(uow, sql_.update_name, Mapping::table, detail::id_text(id),
                             expected_version);
    }
    return expected_version + 1;
  }

  // Deletes the row if it is still at `expected_version`; throws ConcurrencyConflict otherwise.
  void remove(UnitOfWork& uow, const Id& id, std::int64_t expected_version) const {
    if (uow.execute(Statement(sql_.remove_name, sql_.remove), id, expected_version) == 0) {
      detail::throw_conflict(uow, sql_.remove_name, Mapping::table, detail::id_text(id),
                             expected_version);
    }
  }

 protected:
  Statement insert_statement() const { return {sql_.insert_name, sql_.insert}; }
  Statement update_statement() const { return {sql_.update_name, sql_.update}; }

 private:
  template <class... Cs>
  std::optional<Versioned<Entity>> load_row(UnitOfWork& uow, const Id& id,
                                            std::tuple<Cs...>*) const {
    auto row = uow.query_one<std::int64_t, Cs...>(Statement(sql_.load_name, sql_.load), id);
    if (!row) return std::nullopt;
    const std::int64_t version = std::get<0>(*row);
    auto columns =
        std::apply([](std::int64_t, Cs&... c) { return std::tuple<Cs...>(std::move(c)...); }, *row);
    return Versioned<Entity>{Mapping::from_columns(Id(id), std::move(columns)), version};
  }

  detail::RepositorySql sql_;
};

}  // namespace eskit::runtime::db
