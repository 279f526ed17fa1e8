#pragma once
// Shared pieces of the messaging tests: a migrated service database on either backend (the
// persistence tests' private PostgreSQL cluster or a SQLite file), the Kafka tests' shared
// embedded broker, and a plain consumer that reads a topic back as an independent observer.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "persistence/tests/test_databases.hpp"
#include "test_support.hpp"

namespace eskit::runtime::messaging::testing {

using namespace eskit::runtime::kafka::testing;

// A fresh database with the outbox and inbox tables and a small aggregate table.
class ServiceDatabase {
 public:
  ServiceDatabase(db::Backend backend, std::string_view test_name);
  db::Database& db() { return db_; }

 private:
  db::testing::TestDatabase test_db_;
  db::Database db_;
};

std::string current_test_name();

// Reads `count` messages from the start of `topic` (own group), or fewer at the deadline.
std::vector<kafka::ConsumedMessage> read_topic(const std::string& topic, std::size_t count,
                                               std::chrono::milliseconds within);

// Envelope with the message's headers decoded, for assertions.
Envelope decode_message(const kafka::ConsumedMessage& message);

std::int64_t count_rows(db::Database& db, const std::string& sql);

}  // namespace eskit::runtime::messaging::testing
