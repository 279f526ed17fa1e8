#include "eskit/runtime/db/dialect.hpp"

#include <gtest/gtest.h>

#include <array>

namespace eskit::runtime::db {
namespace {

TEST(Dialect, UpsertUpdatesNonKeyColumnsFromExcluded) {
  const std::array<std::string_view, 1> key{"id"};
  const std::array<std::string_view, 2> others{"name", "total"};
  EXPECT_EQ(Dialect(Backend::postgresql).upsert("orders", key, others),
            "insert into orders (id, name, total) values (:id, :name, :total) on conflict (id) do "
            "update set "
            "name = excluded.name, total = excluded.total");
  EXPECT_EQ(Dialect(Backend::sqlite).upsert("seen", key, {}),
            "insert into seen (id) values (:id) on conflict (id) do nothing");
}

TEST(Dialect, TypesDifferWhereTheDatabasesDo) {
  const Dialect pg(Backend::postgresql), lite(Backend::sqlite);
  EXPECT_EQ(pg.column_type(ColumnType::integer), "bigint");
  EXPECT_EQ(lite.column_type(ColumnType::boolean), "integer");
  EXPECT_EQ(pg.column_type(ColumnType::timestamp), "timestamptz");
  EXPECT_EQ(lite.identity_primary_key(), "integer primary key autoincrement");
  EXPECT_EQ(pg.identity_primary_key(), "bigint generated always as identity primary key");
}

TEST(Dialect, ChoosesTheStatementWrittenForItsBackend) {
  static constexpr Statement largest{"t.next_id", "select coalesce(max(id), 0) + 1 from t"};
  static constexpr Statement sequence{"t.next_id",
                                      "select nextval(pg_get_serial_sequence('t', 'id'))"};
  EXPECT_EQ(&Dialect(Backend::sqlite).choose(largest, sequence), &largest);
  EXPECT_EQ(&Dialect(Backend::postgresql).choose(largest, sequence), &sequence);
}

}  // namespace
}  // namespace eskit::runtime::db
