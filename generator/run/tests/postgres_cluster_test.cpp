#include "eskit/run/postgres_cluster.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/error.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"

namespace eskit::run {
namespace {

namespace fs = std::filesystem;
namespace db = eskit::runtime::db;

// A fresh directory per test, removed afterwards.
class PostgresClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("eskit-run-pg-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(PostgresClusterTest, ServesDatabasesAtTheUrlsItReturnsUntilStopped) {
  auto cluster = PostgresCluster::start(dir_ / "postgres");
  const std::string url = cluster->create_database("ride-matching");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(
      url, match, std::regex(R"(postgresql://postgres@127\.0\.0\.1:(\d+)/ride-matching)")))
      << url;
  EXPECT_NE(match[1], "5432") << "the system cluster's port";

  // The URL is what a service gets as ESKIT_DB_URL: open it as the runtime does.
  {
    const auto database = db::Database::open(url);
    auto uow = database.begin();
    uow.execute("create table rides (id integer primary key)");
    uow.execute("insert into rides values (7)");
    uow.commit();
    auto check = database.begin();
    EXPECT_EQ(check.query_scalar<std::int64_t>("select count(*) from rides"), 1);
  }
  const std::string other = cluster->create_database("billing");
  EXPECT_NO_THROW(db::Database::open(other).ping());
  EXPECT_THROW(cluster->create_database("billing"), std::runtime_error) << "exists already";
  EXPECT_THROW(cluster->create_database("bad\"; drop database billing; --"), std::invalid_argument);

  cluster.reset();
  EXPECT_FALSE(fs::exists(dir_ / "postgres" / "data" / "postmaster.pid")) << "server still running";
  db::DatabaseOptions one;
  one.pool_size = 1;
  EXPECT_THROW(db::Database::open(url, one).ping(), db::DatabaseError);
  EXPECT_TRUE(fs::exists(dir_ / "postgres" / "data" / "PG_VERSION")) << "the data must stay";
}

TEST_F(PostgresClusterTest, AnUnusableDirectoryIsAClearError) {
  // Below a regular file: no user, not even root, can create it.
  fs::create_directories(dir_);
  std::ofstream(dir_ / "file") << "not a directory";
  const auto unusable = dir_ / "file" / "postgres";
  try {
    PostgresCluster::start(unusable);
    FAIL() << "started in " << unusable;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(unusable.string()), std::string::npos) << e.what();
  }
}

TEST_F(PostgresClusterTest, MissingServerBinariesNameThePackage) {
  ::setenv("ESKIT_PG_BIN", (dir_ / "no-such-bin").c_str(), 1);
  try {
    PostgresCluster::start(dir_ / "postgres");
    ::unsetenv("ESKIT_PG_BIN");
    FAIL() << "started without server binaries";
  } catch (const std::runtime_error& e) {
    ::unsetenv("ESKIT_PG_BIN");
    EXPECT_NE(std::string(e.what()).find("postgresql-15"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("initdb"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eskit::run
