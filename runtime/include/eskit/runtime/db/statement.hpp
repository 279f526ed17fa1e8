#pragma once
// A statement is SQL text with ":name" placeholders plus a name for error messages and logs.
// Generated repositories declare theirs as constants, e.g.
//   constexpr Statement insert_order{"orders.insert", "insert into orders (id, total) values (:id,
//   :total)"};
// Values are never spliced into the text: they are bound, in placeholder order.
#include <string>
#include <string_view>

namespace eskit::runtime::db {

struct Statement {
  std::string_view name;
  std::string_view sql;

  constexpr Statement(std::string_view statement_name, std::string_view statement_sql)
      : name(statement_name), sql(statement_sql) {}
  // Ad hoc SQL: the SQL itself names the statement in errors.
  constexpr Statement(const char* statement_sql)
      : name(), sql(statement_sql) {}                                          // NOLINT(implicit)
  Statement(const std::string& statement_sql) : name(), sql(statement_sql) {}  // NOLINT(implicit)

  std::string_view label() const { return name.empty() ? sql : name; }
};

}  // namespace eskit::runtime::db
