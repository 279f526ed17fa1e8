#include "eskit/runtime/db/error.hpp"

namespace eskit::runtime::db {
namespace {

std::string compose(ErrorKind kind, const std::string& database, const std::string& statement,
                    const std::string& message, const std::string& code) {
  std::string text = "database ";
  text += database.empty() ? "(unknown)" : database;
  if (!statement.empty()) {
    text += ", statement '";
    // Long ad hoc SQL would drown the message; its start identifies it.
    text += statement.size() > 120 ? statement.substr(0, 117) + "..." : statement;
    text += "'";
  }
  text += ": ";
  text += to_string(kind);
  text += ": ";
  text += message;
  if (!code.empty()) text += " [" + code + "]";
  return text;
}

}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::connection:
      return "connection failed";
    case ErrorKind::transient:
      return "transient failure (retry the unit of work)";
    case ErrorKind::constraint_violation:
      return "constraint violation";
    case ErrorKind::concurrency_conflict:
      return "concurrency conflict";
    case ErrorKind::invalid_statement:
      return "invalid statement";
    case ErrorKind::pool_exhausted:
      return "no free connection";
    case ErrorKind::migration:
      return "migration refused";
    case ErrorKind::usage:
      return "misuse";
    case ErrorKind::other:
      return "error";
  }
  return "error";
}

DatabaseError::DatabaseError(ErrorKind kind, std::string database, std::string statement,
                             std::string message, std::string code)
    : std::runtime_error(compose(kind, database, statement, message, code)),
      kind_(kind),
      database_(std::move(database)),
      statement_(std::move(statement)),
      message_(std::move(message)),
      code_(std::move(code)) {}

}  // namespace eskit::runtime::db
