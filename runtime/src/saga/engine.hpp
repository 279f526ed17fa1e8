#pragma once
// The saga state machine shared by the Orchestrator (which sends the commands its transitions
// call for) and the ChoreographyTracker (which only records what the contexts' own policies
// did). One transition = one load at a version, one update at that version, its history rows
// and (orchestrating) its outbox rows, all in the caller's unit of work.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "eskit/runtime/saga/definition.hpp"
#include "eskit/runtime/saga/instance.hpp"

namespace eskit::runtime::saga::detail {

enum class Mode { orchestrate, track };

class Engine {
 public:
  Engine(db::Database database, SagaDefinition definition, Mode mode,
         http::MetricsRegistry* metrics);

  bool start(db::UnitOfWork& uow, std::string_view correlation_id, std::string_view data);
  void handle(db::UnitOfWork& uow, const messaging::Envelope& event);
  // Times the instance's step out if it is still running past its deadline at `now`.
  bool expire(db::UnitOfWork& uow, std::string_view correlation_id, db::Timestamp now);
  std::vector<std::string> due(db::Timestamp now) const;

  const SagaDefinition& definition() const noexcept { return definition_; }
  const db::Database& database() const noexcept { return database_; }

 private:
  struct Transition;

  std::optional<SagaInstance> load(db::UnitOfWork& uow, std::string_view correlation_id) const;
  // False, having written nothing, when a new instance turned out to exist already.
  bool save(db::UnitOfWork& uow, Transition& transition) const;
  bool mentions(std::string_view event_type) const;

  void on_running_event(Transition& t, const messaging::Envelope& event) const;
  void on_compensating_event(Transition& t, const messaging::Envelope& event) const;
  void step_completed(Transition& t, int step, const messaging::Envelope& event) const;
  void step_failed(Transition& t, const std::string& why, bool timed_out,
                   std::string_view cause) const;
  void enter_step(Transition& t, int step, std::string_view cause) const;
  void compensate(Transition& t, std::vector<int> steps, std::string_view cause) const;
  void advance_compensation(Transition& t, std::string_view cause) const;
  void send(Transition& t, const std::string& command, int step, std::string_view kind,
            std::string_view cause) const;

  db::Database database_;
  SagaDefinition definition_;
  Mode mode_;
  int pivot_ = -1;
};

}  // namespace eskit::runtime::saga::detail
