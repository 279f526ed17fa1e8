#include "persistence/bound_statement.hpp"

#include <soci/soci.h>

#include <deque>
#include <limits>
#include <string>

#include "eskit/runtime/db/error.hpp"
#include "persistence/timestamp_text.hpp"

namespace eskit::runtime::db::persistence {
namespace {

// SOCI keeps references to bound variables until the statement is done: deques never move
// their elements, so the references stay valid while we add more.
struct Storage {
  std::deque<long long> integers;
  std::deque<double> reals;
  std::deque<int> booleans;
  std::deque<std::string> texts;
  std::deque<soci::indicator> indicators;
};

void bind_parameter(soci::statement& st, Storage& s, const Value& value) {
  auto& indicator = s.indicators.emplace_back(soci::i_ok);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          // libpq sends parameters untyped and SQLite is dynamically typed, so a NULL
          // needs no SQL type of its own.
          indicator = soci::i_null;
          st.exchange(soci::use(s.texts.emplace_back(), indicator));
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          st.exchange(soci::use(s.integers.emplace_back(v), indicator));
        } else if constexpr (std::is_same_v<T, double>) {
          st.exchange(soci::use(s.reals.emplace_back(v), indicator));
        } else if constexpr (std::is_same_v<T, bool>) {
          // 1/0: an integer for SQLite, and valid boolean input text for PostgreSQL.
          st.exchange(soci::use(s.booleans.emplace_back(v ? 1 : 0), indicator));
        } else if constexpr (std::is_same_v<T, std::string>) {
          st.exchange(soci::use(s.texts.emplace_back(v), indicator));
        } else {
          st.exchange(soci::use(s.texts.emplace_back(format_timestamp(v)), indicator));
        }
      },
      value);
}

// Where a column's value lands before conversion.
struct ColumnSlot {
  ColumnSpec spec;
  long long integer = 0;
  double real = 0;
  std::string text;
  soci::indicator indicator = soci::i_ok;
};

void bind_column(soci::statement& st, ColumnSlot& slot) {
  switch (slot.spec.type) {
    case ColumnType::integer:
    case ColumnType::integer32:
      st.exchange(soci::into(slot.integer, slot.indicator));
      break;
    case ColumnType::real:
      st.exchange(soci::into(slot.real, slot.indicator));
      break;
    case ColumnType::boolean:  // "t"/"f" from PostgreSQL, "1"/"0" from SQLite
    case ColumnType::text:
    case ColumnType::timestamp:  // text on both: see timestamp_text.hpp
      st.exchange(soci::into(slot.text, slot.indicator));
      break;
  }
}

[[noreturn]] void bad_column(std::size_t index, const std::string& why) {
  throw DatabaseError(ErrorKind::invalid_statement, {}, {},
                      "column " + std::to_string(index + 1) + ": " + why);
}

Value read_column(ColumnSlot& slot, std::size_t index) {
  if (slot.indicator == soci::i_null) {
    if (!slot.spec.nullable) bad_column(index, "is NULL; read it as std::optional<...>");
    return std::monostate{};
  }
  switch (slot.spec.type) {
    case ColumnType::integer:
      return std::int64_t{slot.integer};
    case ColumnType::integer32:
      if (slot.integer < std::numeric_limits<int>::min() ||
          slot.integer > std::numeric_limits<int>::max())
        bad_column(index, "value " + std::to_string(slot.integer) +
                              " does not fit int; read it as std::int64_t");
      return std::int64_t{slot.integer};
    case ColumnType::real:
      return slot.real;
    case ColumnType::boolean:
      if (slot.text == "t" || slot.text == "true" || slot.text == "1") return true;
      if (slot.text == "f" || slot.text == "false" || slot.text == "0") return false;
      bad_column(index, "'" + slot.text + "' is not a boolean");
    case ColumnType::text:
      return std::move(slot.text);
    case ColumnType::timestamp:
      if (auto t = parse_timestamp(slot.text)) return *t;
      bad_column(index, "'" + slot.text + "' is not a timestamp");
  }
  bad_column(index, "unknown column type");
}

}  // namespace

StatementResult run_bound_statement(soci::session& session, std::string_view sql,
                                    std::span<const Value> params,
                                    std::span<const ColumnSpec> columns, std::size_t max_rows) {
  soci::statement st(session);
  Storage storage;
  std::vector<ColumnSlot> slots(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    slots[i].spec = columns[i];
    bind_column(st, slots[i]);
  }
  for (const auto& value : params) bind_parameter(st, storage, value);

  st.alloc();
  st.prepare(std::string(sql));
  st.define_and_bind();

  StatementResult result;
  bool got_row = st.execute(true);
  if (columns.empty()) {
    result.affected_rows = static_cast<std::uint64_t>(std::max(0LL, st.get_affected_rows()));
    return result;
  }
  while (got_row) {
    auto& row = result.rows.emplace_back();
    row.reserve(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) row.push_back(read_column(slots[i], i));
    if (max_rows != 0 && result.rows.size() >= max_rows) break;
    got_row = st.fetch();
  }
  return result;
}

}  // namespace eskit::runtime::db::persistence
