#include "eskit/runtime/saga/tracker.hpp"

#include "engine.hpp"

namespace eskit::runtime::saga {

struct ChoreographyTracker::Impl {
  detail::Engine engine;
};

ChoreographyTracker::ChoreographyTracker(db::Database database, SagaDefinition definition,
                                         http::MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(Impl{detail::Engine(std::move(database), std::move(definition),
                                                       detail::Mode::track, metrics)})) {}

ChoreographyTracker::~ChoreographyTracker() = default;

void ChoreographyTracker::handle(db::UnitOfWork& uow, const messaging::Envelope& event) {
  impl_->engine.handle(uow, event);
}

messaging::InboxConsumer::Handler ChoreographyTracker::handler() {
  return [this](db::UnitOfWork& uow, const messaging::Envelope& event) { handle(uow, event); };
}

}  // namespace eskit::runtime::saga
