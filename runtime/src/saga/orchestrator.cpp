#include "eskit/runtime/saga/orchestrator.hpp"

#include "engine.hpp"
#include "eskit/runtime/db/error.hpp"
#include "eskit/runtime/db/retry.hpp"

namespace eskit::runtime::saga {

struct Orchestrator::Impl {
  detail::Engine engine;
};

Orchestrator::Orchestrator(db::Database database, SagaDefinition definition,
                           http::MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(Impl{detail::Engine(std::move(database), std::move(definition),
                                                       detail::Mode::orchestrate, metrics)})) {}

Orchestrator::~Orchestrator() = default;

bool Orchestrator::start(db::UnitOfWork& uow, std::string_view correlation_id,
                         std::string_view data) {
  return impl_->engine.start(uow, correlation_id, data);
}

void Orchestrator::handle(db::UnitOfWork& uow, const messaging::Envelope& event) {
  impl_->engine.handle(uow, event);
}

messaging::InboxConsumer::Handler Orchestrator::handler() {
  return [this](db::UnitOfWork& uow, const messaging::Envelope& event) { handle(uow, event); };
}

std::size_t Orchestrator::expire_due(db::Timestamp now) {
  auto& engine = impl_->engine;
  std::size_t timed_out = 0;
  for (const auto& id : engine.due(now)) {
    try {
      timed_out += db::transact(engine.database(), [&](db::UnitOfWork& uow) {
        return engine.expire(uow, id, now) ? 1 : 0;
      });
    } catch (const db::ConcurrencyConflict&) {
      // The reply arrived, or another replica's timer got there first: its move stands.
    }
  }
  return timed_out;
}

const SagaDefinition& Orchestrator::definition() const noexcept {
  return impl_->engine.definition();
}

}  // namespace eskit::runtime::saga
