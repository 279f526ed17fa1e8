// The outbox table on both backends: rows commit with the aggregate or not at all, and the
// purge removes only published rows older than the cutoff.
#include <gtest/gtest.h>

#include "eskit/runtime/messaging/outbox.hpp"
#include "messaging_fixture.hpp"

namespace eskit::runtime::messaging {
namespace {

using namespace testing;

class OutboxTest : public ::testing::TestWithParam<db::Backend> {};

TEST_P(OutboxTest, RowsCommitWithTheAggregateOrNotAtAll) {
  ServiceDatabase service(GetParam(), current_test_name());
  {
    auto uow = service.db().begin();
    uow.execute("insert into orders (id, status) values (:id, :s)", "o-1", "PLACED");
    Outbox::append(uow, Envelope::make("OrderPlaced", "ordering", "o-1", "{}"), "orders");
    // destroyed without commit: rolled back
  }
  EXPECT_EQ(Outbox::backlog(service.db()), 0);
  EXPECT_EQ(count_rows(service.db(), "select count(*) from orders"), 0);
  {
    auto uow = service.db().begin();
    uow.execute("insert into orders (id, status) values (:id, :s)", "o-1", "PLACED");
    Outbox::append(uow, Envelope::make("OrderPlaced", "ordering", "o-1", "{}"), "orders");
    uow.commit();
  }
  EXPECT_EQ(Outbox::backlog(service.db()), 1);
}

TEST_P(OutboxTest, AppendRefusesAnUnpublishableEnvelope) {
  ServiceDatabase service(GetParam(), current_test_name());
  auto uow = service.db().begin();
  EXPECT_THROW(
      Outbox::append(uow, Envelope::make("OrderPlaced", "ordering", "o-1", "not json"), "orders"),
      EnvelopeError);
  EXPECT_THROW(Outbox::append(uow, Envelope::make("OrderPlaced", "ordering", "o-1", "{}"), ""),
               EnvelopeError);
}

TEST_P(OutboxTest, PurgeRemovesOnlySentRowsOlderThanTheCutoff) {
  ServiceDatabase service(GetParam(), current_test_name());
  auto uow = service.db().begin();
  for (int i = 0; i < 3; ++i)
    Outbox::append(uow, Envelope::make("OrderPlaced", "ordering", "o-" + std::to_string(i), "{}"),
                   "orders");
  const auto now = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  // Row 1 sent two days ago, row 2 a minute ago, row 3 never.
  uow.execute("update eskit_outbox set sent_at = :t where aggregate_id = 'o-0'",
              now - std::chrono::hours(48));
  uow.execute("update eskit_outbox set sent_at = :t where aggregate_id = 'o-1'",
              now - std::chrono::minutes(1));
  uow.commit();
  EXPECT_EQ(Outbox::purge(service.db(), now - std::chrono::hours(24)), 1u);
  EXPECT_EQ(count_rows(service.db(), "select count(*) from eskit_outbox"), 2);
  EXPECT_EQ(Outbox::purge(service.db(), now + std::chrono::hours(1)), 1u);
  EXPECT_EQ(count_rows(service.db(), "select count(*) from eskit_outbox"), 1);
  EXPECT_EQ(Outbox::backlog(service.db()), 1) << "unsent rows are never purged";
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest,
                         ::testing::Values(db::Backend::sqlite, db::Backend::postgresql),
                         db::testing::backend_name);

}  // namespace
}  // namespace eskit::runtime::messaging
