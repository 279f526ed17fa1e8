#include "persistence/driver_error.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <new>
#include <typeinfo>

namespace eskit::runtime::db::persistence {

ErrorKind kind_of_sqlstate(std::string_view state) {
  // 40001 serialization_failure, 40P01 deadlock_detected: the transaction can simply be retried.
  if (state == "40001" || state == "40P01") return ErrorKind::transient;
  if (state.substr(0, 2) == "23") return ErrorKind::constraint_violation;
  // 08 connection exceptions, 57P01..03 admin/crash shutdown, cannot connect now.
  if (state.substr(0, 2) == "08" || state.substr(0, 3) == "57P") return ErrorKind::connection;
  if (state.substr(0, 2) == "42" || state.substr(0, 2) == "22") return ErrorKind::invalid_statement;
  return ErrorKind::other;
}

ErrorKind kind_of_sqlite_result(int result) {
  switch (result & 0xff) {  // primary code of an extended result code
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::transient;
    case SQLITE_CONSTRAINT:
      return ErrorKind::constraint_violation;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
      return ErrorKind::connection;
    case SQLITE_ERROR:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return ErrorKind::invalid_statement;
    default:
      return ErrorKind::other;
  }
}

namespace {

ErrorKind classify_category(soci::soci_error::error_category category) {
  switch (category) {
    case soci::soci_error::connection_error:
      return ErrorKind::connection;
    case soci::soci_error::invalid_statement:
      return ErrorKind::invalid_statement;
    case soci::soci_error::constraint_violation:
      return ErrorKind::constraint_violation;
    default:
      return ErrorKind::other;
  }
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

void rethrow_as_database_error(std::string_view database, std::string_view statement) {
  const std::string db(database);
  const std::string st(statement);
  try {
    throw;
  } catch (const DatabaseError& e) {
    // Raised below the layer that knows the context (e.g. a column conversion): add it.
    if (e.database().empty() && typeid(e) == typeid(DatabaseError)) {
      throw DatabaseError(e.kind(), db, st, e.message(), e.code());
    }
    throw;
  } catch (const soci::postgresql_soci_error& e) {
    const std::string state = e.sqlstate();
    auto kind = kind_of_sqlstate(state);
    if (kind == ErrorKind::other) kind = classify_category(e.get_error_category());
    throw DatabaseError(kind, db, st, trimmed(e.get_error_message()), state);
  } catch (const soci::sqlite3_soci_error& e) {
    throw DatabaseError(kind_of_sqlite_result(e.result()), db, st, trimmed(e.get_error_message()),
                        sqlite_api::sqlite3_errstr(e.result()));
  } catch (const soci::soci_error& e) {
    // SOCI's own errors (e.g. a NULL read into a non-optional, a failed connection) carry
    // the most useful text in get_error_message(); what() adds SOCI-internal context.
    throw DatabaseError(classify_category(e.get_error_category()), db, st,
                        trimmed(e.get_error_message()));
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw DatabaseError(ErrorKind::other, db, st, e.what());
  }
}

}  // namespace eskit::runtime::db::persistence
