#include "persistence/native_script.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <string>

#include "eskit/runtime/db/error.hpp"
#include "persistence/driver_error.hpp"

namespace eskit::runtime::db::persistence {
namespace {

void run_sqlite(soci::session& session, std::string_view database, std::string_view name,
                const std::string& sql) {
  // The pool opened this session with the SQLite factory. (static_cast: Debian's SOCI does
  // not export the backends' typeinfo, so dynamic_cast cannot link.)
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  char* raw_message = nullptr;
  const int rc =
      sqlite_api::sqlite3_exec(backend->conn_, sql.c_str(), nullptr, nullptr, &raw_message);
  const std::unique_ptr<char, decltype(&sqlite_api::sqlite3_free)> message(
      raw_message, &sqlite_api::sqlite3_free);
  if (rc == SQLITE_OK) return;
  const ErrorKind kind = kind_of_sqlite_result(rc);
  throw DatabaseError(kind, std::string(database), std::string(name),
                      message ? message.get() : sqlite_api::sqlite3_errstr(rc),
                      sqlite_api::sqlite3_errstr(rc));
}

void run_postgresql(soci::session& session, std::string_view database, std::string_view name,
                    const std::string& sql) {
  auto* backend =
      static_cast<soci::postgresql_session_backend*>(session.get_backend());  // see run_sqlite
  // PQexec runs every statement of the string and returns the last result, or the first error.
  const std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(backend->conn_, sql.c_str()),
                                                             &PQclear);
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
    return;
  std::string message =
      result ? PQresultErrorMessage(result.get()) : PQerrorMessage(backend->conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  std::string code = state != nullptr ? state : "";
  ErrorKind kind = kind_of_sqlstate(code);
  if (PQstatus(backend->conn_) != CONNECTION_OK) kind = ErrorKind::connection;
  throw DatabaseError(kind, std::string(database), std::string(name), message, code);
}

}  // namespace

void execute_native_script(soci::session& session, Backend backend, std::string_view database,
                           std::string_view statement_name, std::string_view sql) {
  const std::string text(sql);
  if (backend == Backend::sqlite) {
    run_sqlite(session, database, statement_name, text);
  } else {
    run_postgresql(session, database, statement_name, text);
  }
}

bool in_transaction(soci::session& session, Backend backend) noexcept {
  if (backend == Backend::sqlite) {
    return sqlite_api::sqlite3_get_autocommit(
               static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_) == 0;
  }
  const auto status = PQtransactionStatus(
      static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_);
  return status != PQTRANS_IDLE;  // in a block, failed block, or unknown (broken): roll back
}

}  // namespace eskit::runtime::db::persistence
