#include "eskit/runtime/db/repository.hpp"

namespace eskit::runtime::db::detail {

RepositorySql repository_sql(std::string_view table_view, std::string_view id_column,
                             std::span<const std::string_view> columns) {
  const std::string table(table_view);
  const std::string id(id_column);
  std::string names, placeholders, assignments;
  for (auto column : columns) {
    const std::string c(column);
    names += ", " + c;
    placeholders += ", :" + c;
    if (!assignments.empty()) assignments += ", ";
    assignments += c + " = :" + c;
  }
  if (!assignments.empty()) assignments += ", ";
  RepositorySql sql;
  sql.load_name = table + ".load";
  sql.load = "select version" + names + " from " + table + " where " + id + " = :id";
  sql.insert_name = table + ".insert";
  sql.insert = "insert into " + table + " (" + id + ", version" + names + ") values (:id, 1" +
               placeholders + ")";
  sql.update_name = table + ".update";
  sql.update = "update " + table + " set " + assignments + "version = version + 1 where " + id +
               " = :id and version = :expected_version";
  sql.remove_name = table + ".remove";
  sql.remove = "delete from " + table + " where " + id + " = :id and version = :expected_version";
  return sql;
}

void throw_conflict(const UnitOfWork& uow, std::string_view statement, std::string_view table,
                    const std::string& id_text, std::int64_t expected_version) {
  throw ConcurrencyConflict(
      ErrorKind::concurrency_conflict, uow.database(), std::string(statement),
      std::string(table) + " '" + id_text + "' is no longer at version " +
          std::to_string(expected_version) +
          " (changed or removed by another unit of work); reload it and retry the command");
}

}  // namespace eskit::runtime::db::detail
