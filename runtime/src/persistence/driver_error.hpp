#pragma once
// Translation of driver exceptions into DatabaseError: the one place that knows SOCI's,
// libpq's and SQLite's error vocabularies.
#include <exception>
#include <string>
#include <string_view>

#include "eskit/runtime/db/error.hpp"

namespace eskit::runtime::db::persistence {

// What a PostgreSQL SQLSTATE or an SQLite result code means for the caller.
ErrorKind kind_of_sqlstate(std::string_view sqlstate);
ErrorKind kind_of_sqlite_result(int result);

// Call inside a catch block: rethrows the current exception as a DatabaseError naming the
// database and statement. DatabaseErrors pass through unchanged.
[[noreturn]] void rethrow_as_database_error(std::string_view database, std::string_view statement);

// Runs `f`, translating whatever it throws.
template <class F>
decltype(auto) translating_errors(std::string_view database, std::string_view statement, F&& f) {
  try {
    return f();
  } catch (...) {
    rethrow_as_database_error(database, statement);
  }
}

}  // namespace eskit::runtime::db::persistence
