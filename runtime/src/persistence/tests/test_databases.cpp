#include "persistence/tests/test_databases.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>

#include "persistence/tests/postgres_cluster.hpp"

namespace eskit::runtime::db::testing {

TestDatabase::TestDatabase(Backend backend, std::string_view test_name) : backend_(backend) {
  static std::atomic<int> counter{0};
  const int n = ++counter;
  if (backend == Backend::sqlite) {
    char pattern[] = "/tmp/eskit-sqlite-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a temp dir");
    dir_ = pattern;
    url_ = "sqlite:" + (dir_ / "service.db").string();
    return;
  }
  auto& cluster = PostgresCluster::shared();
  // A schema per test keeps tests independent without the cost of a database each.
  std::string schema = "t" + std::to_string(n) + "_";
  for (char c : test_name)
    schema +=
        std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  schema = schema.substr(0, 60);
  cluster.psql(test_database_name, "create schema " + schema);
  url_ = cluster.keywords(test_database_name, "options='-c search_path=" + schema + "'");
}

TestDatabase::~TestDatabase() {
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

void BothBackends::SetUp() {
  try {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    test_db_ = std::make_unique<TestDatabase>(GetParam(), info->name());
    db_ = std::make_unique<Database>(test_db_->open());
  } catch (const std::exception& e) {
    GTEST_FAIL() << "cannot provide a " << Dialect(GetParam()).name() << " database: " << e.what();
  }
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(Dialect(info.param).name());
}

}  // namespace eskit::runtime::db::testing
