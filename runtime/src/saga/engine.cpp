#include "engine.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "eskit/runtime/db/error.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/saga/state.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "instance_row.hpp"
#include "pending_list.hpp"
#include "saga_sql.hpp"

namespace eskit::runtime::saga::detail {
namespace {

db::Timestamp now_utc() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// A reply's fields join the saga's data, so later steps' commands carry what earlier
// participants decided (an assigned driver, a payment id).
std::string merge_data(const std::string& data, const std::string& payload) {
  boost::json::error_code error;
  auto merged = boost::json::parse(data, error);
  if (error || !merged.is_object()) return data;
  const auto reply = boost::json::parse(payload, error);
  if (error || !reply.is_object() || reply.as_object().empty()) return data;
  for (const auto& [key, value] : reply.as_object()) merged.as_object()[key] = value;
  return boost::json::serialize(merged);
}

}  // namespace

struct Engine::Transition {
  SagaInstance instance;
  bool is_new = false;
  db::Timestamp now;
  std::vector<SagaHistoryEntry> history;
  std::vector<std::pair<messaging::Envelope, std::string>> commands;  // envelope, topic

  void record(std::string kind, std::string step, std::string type, std::string id,
              std::string detail) {
    history.push_back(
        {now, std::move(kind), std::move(step), std::move(type), std::move(id), std::move(detail)});
  }
};

Engine::Engine(db::Database database, SagaDefinition definition, Mode mode,
               http::MetricsRegistry* metrics)
    : database_(std::move(database)), definition_(std::move(definition)), mode_(mode) {
  if (mode_ == Mode::track) {
    // Nothing is sent, so a tracked saga needs no topics; the rest must hold as for an
    // orchestrated one.
    auto checked = definition_;
    for (auto& step : checked.steps)
      if (step.topic.empty()) step.topic = "-";
    validate(checked);
  } else {
    validate(definition_);
  }
  for (std::size_t i = 0; i < definition_.steps.size(); ++i)
    if (definition_.steps[i].pivot) pivot_ = static_cast<int>(i);
  if (metrics == nullptr) return;
  // Sampled from the database at scrape time: exact across restarts and replicas, and never
  // counting a transition whose unit of work rolled back.
  const std::string saga = definition_.name;
  for (const auto state : {SagaState::running, SagaState::compensating, SagaState::completed,
                           SagaState::compensated, SagaState::failed}) {
    metrics->gauge_function("eskit_saga_instances",
                            "Saga instances by state (completed ones until purged)",
                            {{"saga", saga}, {"state", std::string(to_string(state))}},
                            [database = database_, saga, state] {
                              return static_cast<double>(SagaStore::count(database, saga, state));
                            });
  }
  metrics->gauge_function("eskit_saga_in_flight", "Saga instances running or compensating",
                          {{"saga", saga}}, [database = database_, saga] {
                            auto uow = database.begin({db::TransactionOptions::Access::read_only});
                            const auto n =
                                uow.query_scalar<std::int64_t>(sql::count_in_flight, saga);
                            uow.commit();
                            return static_cast<double>(n.value_or(0));
                          });
}

std::optional<SagaInstance> Engine::load(db::UnitOfWork& uow,
                                         std::string_view correlation_id) const {
  auto instance = load_instance_row(uow, definition_.name, correlation_id);
  if (instance &&
      (instance->step < 0 || instance->step >= static_cast<int>(definition_.steps.size())))
    throw std::runtime_error("saga " + definition_.name + " instance '" +
                             std::string(correlation_id) + "' is at step " +
                             std::to_string(instance->step) + ", which the definition lacks");
  return instance;
}

bool Engine::save(db::UnitOfWork& uow, Transition& t) const {
  auto& i = t.instance;
  i.updated_at = t.now;
  const auto pending = format_pending(i.pending);
  if (t.is_new) {
    // Two units of work that both found no instance: the second insert waits for the first
    // and then inserts nothing, and must write nothing else either.
    if (uow.execute(sql::insert_instance, i.saga, i.correlation_id, to_string(i.state), i.step,
                    i.step_name, i.attempt, i.deadline, pending, i.data, i.failure, i.started_at,
                    i.updated_at) == 0)
      return false;
  } else if (uow.execute(sql::update_instance, to_string(i.state), i.step, i.step_name, i.attempt,
                         i.deadline, pending, i.data, i.failure, i.updated_at, i.saga,
                         i.correlation_id, i.version) == 0) {
    throw db::ConcurrencyConflict(db::ErrorKind::concurrency_conflict, uow.database(),
                                  std::string(sql::update_instance.name),
                                  "saga " + i.saga + " instance '" + i.correlation_id +
                                      "' moved on since version " + std::to_string(i.version));
  }
  for (const auto& h : t.history)
    uow.execute(sql::insert_history, i.saga, i.correlation_id, h.at, h.kind, h.step, h.message_type,
                h.message_id, h.detail);
  for (const auto& [envelope, topic] : t.commands) messaging::Outbox::append(uow, envelope, topic);
  return true;
}

bool Engine::mentions(std::string_view type) const {
  for (const auto& step : definition_.steps) {
    if (step.completes_on == type || step.compensated_on == type) return true;
    if (std::find(step.fails_on.begin(), step.fails_on.end(), type) != step.fails_on.end())
      return true;
  }
  return false;
}

bool Engine::start(db::UnitOfWork& uow, std::string_view correlation_id, std::string_view data) {
  if (correlation_id.empty())
    throw std::invalid_argument("saga " + definition_.name + ": an empty correlation id");
  boost::json::error_code error;
  const auto parsed = boost::json::parse(data, error);
  if (error || !parsed.is_object())
    throw std::invalid_argument("saga " + definition_.name + " instance '" +
                                std::string(correlation_id) +
                                "': data must be a JSON object, got: " + std::string(data));
  if (load(uow, correlation_id)) return false;
  Transition t;
  t.is_new = true;
  t.now = now_utc();
  t.instance.saga = definition_.name;
  t.instance.correlation_id = std::string(correlation_id);
  t.instance.data = boost::json::serialize(parsed);
  t.instance.started_at = t.now;
  t.record("started", "", "", "", "");
  enter_step(t, 0, "");
  return save(uow, t);
}

void Engine::handle(db::UnitOfWork& uow, const messaging::Envelope& event) {
  if (event.correlation_id.empty() || !mentions(event.event_type)) return;
  Transition t;
  t.now = now_utc();
  if (auto instance = load(uow, event.correlation_id)) {
    t.instance = std::move(*instance);
  } else {
    // An orchestrator starts its instances itself: a reply for none is not ours (another
    // saga's correlation id on a shared topic, or an instance purged long ago).
    if (mode_ == Mode::orchestrate) return;
    // Only a step's own event opens a tracked instance; a stray confirmation does not.
    const bool step_event =
        std::any_of(definition_.steps.begin(), definition_.steps.end(), [&](const SagaStep& step) {
          return step.completes_on == event.event_type ||
                 std::find(step.fails_on.begin(), step.fails_on.end(), event.event_type) !=
                     step.fails_on.end();
        });
    if (!step_event) return;
    t.is_new = true;
    t.instance.saga = definition_.name;
    t.instance.correlation_id = event.correlation_id;
    t.instance.started_at = t.now;
    t.instance.step_name = definition_.steps.front().name;
    t.record("started", "", event.event_type, event.event_id, "opened by its first event");
  }
  const auto size_before = t.history.size();
  switch (t.instance.state) {
    case SagaState::running:
      on_running_event(t, event);
      break;
    case SagaState::compensating:
      on_compensating_event(t, event);
      break;
    default:
      break;
  }
  if (t.history.size() == size_before)
    t.record("ignored", t.instance.step_name, event.event_type, event.event_id,
             "not expected while " + std::string(to_string(t.instance.state)) +
                 (t.instance.state == SagaState::running ? " at step " + t.instance.step_name
                                                         : std::string()));
  if (!save(uow, t))
    throw db::ConcurrencyConflict(db::ErrorKind::concurrency_conflict, uow.database(),
                                  std::string(sql::insert_instance.name),
                                  "saga " + definition_.name + " instance '" +
                                      event.correlation_id + "' was opened concurrently");
}

void Engine::on_running_event(Transition& t, const messaging::Envelope& event) const {
  const int n = static_cast<int>(definition_.steps.size());
  // The orchestrator expects only its current step's events; the contexts of a choreography
  // publish on their own topics, so a later step's event may overtake an earlier one's.
  const int last = mode_ == Mode::orchestrate ? t.instance.step : n - 1;
  for (int j = t.instance.step; j <= last; ++j) {
    const auto& step = definition_.steps[j];
    if (event.event_type == step.completes_on) {
      step_completed(t, j, event);
      return;
    }
    if (std::find(step.fails_on.begin(), step.fails_on.end(), event.event_type) !=
        step.fails_on.end()) {
      t.instance.step = j;
      t.instance.step_name = step.name;
      t.record("step_failed", step.name, event.event_type, event.event_id,
               event.event_type + " from " + event.source);
      step_failed(t, event.event_type + " from " + event.source, false, event.event_id);
      return;
    }
  }
}

void Engine::on_compensating_event(Transition& t, const messaging::Envelope& event) const {
  auto& pending = t.instance.pending;
  const bool in_order =
      mode_ == Mode::orchestrate && definition_.compensation_order == CompensationOrder::reverse;
  // In reverse order only the head is in flight; otherwise any awaited one may confirm.
  const auto candidates = in_order ? std::min<std::size_t>(pending.size(), 1) : pending.size();
  for (std::size_t k = 0; k < candidates; ++k) {
    const auto& step = definition_.steps[pending[k]];
    if (event.event_type != step.compensated_on) continue;
    t.record("compensation_confirmed", step.name, event.event_type, event.event_id, "");
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(k));
    if (in_order) {
      advance_compensation(t, event.event_id);
    } else if (pending.empty()) {
      t.instance.state = SagaState::compensated;
      t.record("compensated", "", "", "", "");
    }
    return;
  }
}

void Engine::step_completed(Transition& t, int step, const messaging::Envelope& event) const {
  const auto& definition = definition_.steps[step];
  t.record("step_completed", definition.name, event.event_type, event.event_id, "");
  t.instance.data = merge_data(t.instance.data, event.payload);
  if (step + 1 == static_cast<int>(definition_.steps.size())) {
    t.instance.state = SagaState::completed;
    t.instance.step = step;
    t.instance.step_name = definition.name;
    t.instance.deadline.reset();
    t.record("completed", "", "", "", "");
  } else {
    enter_step(t, step + 1, event.event_id);
  }
}

void Engine::enter_step(Transition& t, int step, std::string_view cause) const {
  const auto& definition = definition_.steps[step];
  t.instance.state = SagaState::running;
  t.instance.step = step;
  t.instance.step_name = definition.name;
  t.instance.attempt = 1;
  t.instance.deadline.reset();
  if (mode_ == Mode::track) return;
  if (definition.timeout.count() > 0) t.instance.deadline = t.now + definition.timeout;
  send(t, definition.command, step, "command_sent", cause);
}

void Engine::step_failed(Transition& t, const std::string& why, bool timed_out,
                         std::string_view cause) const {
  auto& instance = t.instance;
  const int i = instance.step;
  const auto& step = definition_.steps[i];
  instance.deadline.reset();
  if (step.retriable) {
    if (mode_ == Mode::track) return;  // the context's policy retries; the failure is recorded
    if (instance.attempt < step.max_attempts) {
      ++instance.attempt;
      if (step.timeout.count() > 0) instance.deadline = t.now + step.timeout;
      send(t, step.command, i, "retry_sent", cause);
      return;
    }
  }
  instance.failure = why;
  if (pivot_ >= 0 && i > pivot_) {
    // Past the point of no return nothing may be undone: an operator decides.
    instance.state = SagaState::failed;
    t.record("failed", step.name, "", "",
             "step " + step.name + " after the pivot gave up after " +
                 std::to_string(instance.attempt) + " attempts: " + why);
    return;
  }
  std::vector<int> steps;
  // A timed-out command may still be applied (it is on its way): undo it too. Its
  // compensation goes to the same topic with the same key, so it is applied after it.
  if (timed_out && !step.compensation.empty()) steps.push_back(i);
  for (int j = i - 1; j >= 0; --j) steps.push_back(j);
  compensate(t, std::move(steps), cause);
}

void Engine::compensate(Transition& t, std::vector<int> steps, std::string_view cause) const {
  auto& instance = t.instance;
  instance.state = SagaState::compensating;
  instance.deadline.reset();
  std::erase_if(steps, [&](int j) { return definition_.steps[j].compensation.empty(); });
  if (mode_ == Mode::orchestrate && definition_.compensation_order == CompensationOrder::reverse) {
    instance.pending = std::move(steps);
    advance_compensation(t, cause);
    return;
  }
  instance.pending.clear();
  for (const int j : steps) {
    if (mode_ == Mode::orchestrate)
      send(t, definition_.steps[j].compensation, j, "compensation_sent", cause);
    if (!definition_.steps[j].compensated_on.empty()) instance.pending.push_back(j);
  }
  if (instance.pending.empty()) {
    instance.state = SagaState::compensated;
    t.record("compensated", "", "", "", "");
  }
}

void Engine::advance_compensation(Transition& t, std::string_view cause) const {
  auto& pending = t.instance.pending;
  while (!pending.empty()) {
    const auto& step = definition_.steps[pending.front()];
    send(t, step.compensation, pending.front(), "compensation_sent", cause);
    if (!step.compensated_on.empty()) return;  // wait for its confirmation
    pending.erase(pending.begin());
  }
  t.instance.state = SagaState::compensated;
  t.record("compensated", "", "", "", "");
}

void Engine::send(Transition& t, const std::string& command, int step, std::string_view kind,
                  std::string_view cause) const {
  const auto& definition = definition_.steps[step];
  // Keyed by the correlation id: one instance's commands to one participant stay in order.
  auto envelope =
      messaging::Envelope::make(command, definition_.source, t.instance.correlation_id,
                                t.instance.data, t.instance.correlation_id, std::string(cause));
  t.record(std::string(kind), definition.name, command, envelope.event_id,
           kind == "retry_sent" ? "attempt " + std::to_string(t.instance.attempt) : "");
  t.commands.emplace_back(std::move(envelope), definition.topic);
}

bool Engine::expire(db::UnitOfWork& uow, std::string_view correlation_id, db::Timestamp now) {
  auto instance = load(uow, correlation_id);
  if (!instance || instance->state != SagaState::running || !instance->deadline ||
      *instance->deadline > now)
    return false;
  Transition t;
  t.now = now;
  t.instance = std::move(*instance);
  const auto& step = definition_.steps[t.instance.step];
  const auto why = "step " + step.name + " timed out after " +
                   std::to_string(step.timeout.count()) + " ms (attempt " +
                   std::to_string(t.instance.attempt) + ")";
  t.record("step_timed_out", step.name, "", "", why);
  step_failed(t, why, true, "");
  save(uow, t);
  return true;
}

std::vector<std::string> Engine::due(db::Timestamp now) const {
  auto uow = database_.begin({db::TransactionOptions::Access::read_only});
  std::vector<std::string> ids;
  for (auto& [id] : uow.query<std::string>(sql::due_instances, definition_.name, now))
    ids.push_back(std::move(id));
  uow.commit();
  return ids;
}

}  // namespace eskit::runtime::saga::detail
