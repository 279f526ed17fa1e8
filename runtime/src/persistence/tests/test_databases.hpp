#pragma once
// A fresh, empty database per test, on either backend: a file in a temp dir for SQLite, a
// schema of its own in the shared private cluster for PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/error.hpp"

namespace eskit::runtime::db {
// Readable test names and failure messages.
inline void PrintTo(Backend backend, std::ostream* out) { *out << Dialect(backend).name(); }
inline void PrintTo(ErrorKind kind, std::ostream* out) { *out << to_string(kind); }
}  // namespace eskit::runtime::db

namespace eskit::runtime::db::testing {

class TestDatabase {
 public:
  // Throws (with the reason) when the backend cannot be provided.
  TestDatabase(Backend backend, std::string_view test_name);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // Another pool on the same database, as a second service instance would have.
  Database open(const DatabaseOptions& options = {}) const { return Database::open(url_, options); }
  const std::string& url() const { return url_; }
  Backend backend() const { return backend_; }

 private:
  Backend backend_;
  std::string url_;
  std::filesystem::path dir_;  // SQLite only
};

// Fixture of the suites that run on both backends.
class BothBackends : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  Backend backend() const { return GetParam(); }
  const TestDatabase& test_db() const { return *test_db_; }
  Database& db() { return *db_; }

 private:
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<Database> db_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

#define ESKIT_ON_BOTH_BACKENDS(suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                              \
                           ::testing::Values(::eskit::runtime::db::Backend::sqlite,      \
                                             ::eskit::runtime::db::Backend::postgresql), \
                           ::eskit::runtime::db::testing::backend_name)

}  // namespace eskit::runtime::db::testing
