#include "messaging_fixture.hpp"

#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/messaging/outbox.hpp"

namespace eskit::runtime::messaging::testing {

ServiceDatabase::ServiceDatabase(db::Backend backend, std::string_view test_name)
    : test_db_(backend, test_name), db_(test_db_.open()) {
  auto migrations = Outbox::migrations(db_.dialect(), 1000);
  migrations.push_back(
      {1, "orders", "create table orders (id text primary key, status text not null)"});
  db::Migrator(std::move(migrations)).run(db_);
}

std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info->name();
  for (auto& c : name)
    if (c == '/') c = '_';
  return name;
}

std::vector<kafka::ConsumedMessage> read_topic(const std::string& topic, std::size_t count,
                                               std::chrono::milliseconds within) {
  kafka::Consumer consumer(
      consumer_options(shared_broker().bootstrap_servers(), unique_name("observer")));
  consumer.subscribe({topic});
  return receive(consumer, count, Clock::now() + within, false);
}

Envelope decode_message(const kafka::ConsumedMessage& message) {
  return decode(message.payload(), message.headers());
}

std::int64_t count_rows(db::Database& db, const std::string& sql) {
  auto uow = db.begin();
  const auto n = uow.query_scalar<std::int64_t>(sql).value_or(-1);
  uow.commit();
  return n;
}

}  // namespace eskit::runtime::messaging::testing
