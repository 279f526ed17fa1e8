#include "eskit/run/postgres_cluster.hpp"

#include <algorithm>
#include <stdexcept>

#include "eskit/runtime/db/local_postgres.hpp"

namespace eskit::run {

std::unique_ptr<PostgresCluster> PostgresCluster::start(const std::filesystem::path& dir) {
  return std::unique_ptr<PostgresCluster>(
      new PostgresCluster(std::make_unique<runtime::db::LocalPostgres>(dir)));
}

PostgresCluster::PostgresCluster(std::unique_ptr<runtime::db::LocalPostgres> server)
    : server_(std::move(server)) {}

PostgresCluster::~PostgresCluster() = default;

std::string PostgresCluster::create_database(const std::string& name) {
  // The name goes into SQL and into a URL's path: only characters that need escaping in
  // neither, and PostgreSQL's identifier length limit.
  const bool plain =
      !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
      });
  if (!plain) {
    throw std::invalid_argument("database name '" + name +
                                "' must be 1-63 letters, digits, '_' or '-'");
  }
  server_->psql("postgres", "create database \"" + name + "\"");
  return "postgresql://" + std::string(runtime::db::LocalPostgres::user) +
         "@127.0.0.1:" + std::to_string(server_->port()) + "/" + name;
}

}  // namespace eskit::run
