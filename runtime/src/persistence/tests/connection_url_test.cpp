#include <gtest/gtest.h>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/error.hpp"
#include "persistence/connection_url.hpp"

namespace eskit::runtime::db::persistence {
namespace {

TEST(ConnectionUrl, SqliteFileAndMemory) {
  auto file = parse_connection_url("sqlite:/var/lib/orders/orders.db");
  EXPECT_EQ(file.backend, Backend::sqlite);
  EXPECT_EQ(file.sqlite_path, "/var/lib/orders/orders.db");
  EXPECT_EQ(file.description, "sqlite:/var/lib/orders/orders.db");
  EXPECT_FALSE(file.in_memory);
  EXPECT_EQ(parse_connection_url("sqlite:///var/x.db").sqlite_path, "/var/x.db");
  EXPECT_TRUE(parse_connection_url("sqlite::memory:").in_memory);
}

TEST(ConnectionUrl, PostgresUriBecomesLibpqKeywordsWithPasswordRedacted) {
  auto target =
      parse_connection_url("postgresql://orders:s3cret@db.internal:5433/orders?sslmode=require");
  EXPECT_EQ(target.backend, Backend::postgresql);
  EXPECT_EQ(target.connect_string,
            "host='db.internal' port='5433' user='orders' password='s3cret' dbname='orders' "
            "sslmode='require'");
  EXPECT_EQ(target.description, "postgresql://orders:***@db.internal:5433/orders?sslmode=require");
  EXPECT_EQ(parse_connection_url("postgres://u@h/d?password=x&a=b").description,
            "postgres://u@h/d?password=***&a=b");
}

TEST(ConnectionUrl, PostgresUriPartsArePercentDecodedAndQuoted) {
  EXPECT_EQ(parse_connection_url("postgresql://svc@127.0.0.1:5433/orders").connect_string,
            "host='127.0.0.1' port='5433' user='svc' dbname='orders'");
  EXPECT_EQ(parse_connection_url("postgresql://o%27b:p%40ss%20w%5C@h/db").connect_string,
            R"(host='h' user='o\'b' password='p@ss w\\' dbname='db')");
}

TEST(ConnectionUrl, LibpqKeywordStringsArePostgres) {
  auto target = parse_connection_url("host=db port=5432 dbname=orders user=svc password='a b'");
  EXPECT_EQ(target.backend, Backend::postgresql);
  EXPECT_EQ(target.description,
            "postgresql: host=db port=5432 dbname=orders user=svc password=***");
  EXPECT_EQ(target.connect_string, "host=db port=5432 dbname=orders user=svc password='a b'");
}

TEST(ConnectionUrl, UnsupportedSchemeIsAClearErrorWithoutSecrets) {
  try {
    parse_connection_url("mysql://root:pw@h/db");
    FAIL() << "expected an error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_EQ(std::string(e.what()).find("pw"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("sqlite:/path/file.db"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_connection_url("sqlite:"), DatabaseError);
}

TEST(ConnectionUrl, UnreachableServerFailsAtOpenNamingTheDatabase) {
  try {
    // Port 1 on loopback: nothing listens there, so the refusal is immediate.
    Database::open("postgresql://svc:hidden@127.0.0.1:1/orders?connect_timeout=2");
    FAIL() << "expected a connection error";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::connection) << e.what();
    EXPECT_EQ(e.database(), "postgresql://svc:***@127.0.0.1:1/orders?connect_timeout=2");
    EXPECT_EQ(std::string(e.what()).find("hidden"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eskit::runtime::db::persistence
