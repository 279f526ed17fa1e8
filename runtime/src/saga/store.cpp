#include "eskit/runtime/saga/store.hpp"

#include <boost/json.hpp>

#include <stdexcept>

#include "eskit/runtime/messaging/envelope.hpp"
#include "instance_row.hpp"
#include "pending_list.hpp"
#include "saga_sql.hpp"

namespace eskit::runtime::saga {

std::vector<db::Migration> SagaStore::migrations(db::Dialect dialect, std::int64_t first_version) {
  const std::string timestamp(dialect.column_type(db::ColumnType::timestamp));
  const std::string bigint(dialect.column_type(db::ColumnType::integer));
  std::string instances =
      "create table eskit_saga_instances (\n"
      "  saga text not null,\n"
      "  correlation_id text not null,\n"
      "  state text not null,\n"
      "  step integer not null,\n"
      "  step_name text not null,\n"
      "  attempt integer not null,\n"
      "  deadline " +
      timestamp +
      ",\n"
      "  pending text not null,\n"
      "  data text not null,\n"
      "  failure text not null,\n"
      "  version " +
      bigint +
      " not null,\n"
      "  started_at " +
      timestamp +
      " not null,\n"
      "  updated_at " +
      timestamp +
      " not null,\n"
      "  primary key (saga, correlation_id)\n"
      ");\n"
      // The step timer's scan touches running instances with a deadline only.
      "create index eskit_saga_instances_due on eskit_saga_instances (saga, deadline) "
      "where state = 'running' and deadline is not null;\n"
      "create index eskit_saga_instances_state on eskit_saga_instances (saga, state)";
  std::string history =
      "create table eskit_saga_history (\n"
      "  id " +
      std::string(dialect.identity_primary_key()) +
      ",\n"
      "  saga text not null,\n"
      "  correlation_id text not null,\n"
      "  at " +
      timestamp +
      " not null,\n"
      "  kind text not null,\n"
      "  step text not null,\n"
      "  message_type text not null,\n"
      "  message_id text not null,\n"
      "  detail text not null\n"
      ");\n"
      "create index eskit_saga_history_instance on eskit_saga_history (saga, correlation_id, id)";
  return {{first_version, "eskit saga instances", std::move(instances)},
          {first_version + 1, "eskit saga history", std::move(history)}};
}

namespace detail {

std::optional<SagaInstance> load_instance_row(db::UnitOfWork& uow, std::string_view saga,
                                              std::string_view correlation_id) {
  auto row =
      uow.query_one<std::string, int, std::string, int, std::optional<db::Timestamp>, std::string,
                    std::string, std::string, std::int64_t, db::Timestamp, db::Timestamp>(
          sql::load_instance, saga, correlation_id);
  if (!row) return std::nullopt;
  auto& [state, step, step_name, attempt, deadline, pending, data, failure, version, started_at,
         updated_at] = *row;
  const auto parsed = parse_saga_state(state);
  if (!parsed)
    throw std::runtime_error("saga " + std::string(saga) + " instance '" +
                             std::string(correlation_id) + "' has an unknown state '" + state +
                             "' in eskit_saga_instances");
  SagaInstance instance;
  instance.saga = std::string(saga);
  instance.correlation_id = std::string(correlation_id);
  instance.state = *parsed;
  instance.step = step;
  instance.step_name = std::move(step_name);
  instance.attempt = attempt;
  instance.deadline = deadline;
  instance.pending = parse_pending(pending);
  instance.data = std::move(data);
  instance.failure = std::move(failure);
  instance.version = version;
  instance.started_at = started_at;
  instance.updated_at = updated_at;
  return instance;
}

}  // namespace detail

std::optional<SagaInstance> SagaStore::find(db::UnitOfWork& uow, std::string_view saga,
                                            std::string_view correlation_id) {
  auto instance = detail::load_instance_row(uow, saga, correlation_id);
  if (!instance) return std::nullopt;
  for (auto& [at, kind, step_of, type, id, why] :
       uow.query<db::Timestamp, std::string, std::string, std::string, std::string, std::string>(
           sql::load_history, saga, correlation_id))
    instance->history.push_back(
        {at, std::move(kind), std::move(step_of), std::move(type), std::move(id), std::move(why)});
  return instance;
}

std::optional<SagaInstance> SagaStore::find(const db::Database& database, std::string_view saga,
                                            std::string_view correlation_id) {
  auto uow = database.begin({db::TransactionOptions::Access::read_only});
  auto instance = find(uow, saga, correlation_id);
  uow.commit();
  return instance;
}

std::int64_t SagaStore::count(const db::Database& database, std::string_view saga,
                              SagaState state) {
  auto uow = database.begin({db::TransactionOptions::Access::read_only});
  const auto n = uow.query_scalar<std::int64_t>(sql::count_instances, saga, to_string(state));
  uow.commit();
  return n.value_or(0);
}

std::string to_json(const SagaInstance& instance) {
  namespace json = boost::json;
  auto time = [](db::Timestamp at) { return json::value(messaging::format_event_time(at)); };
  json::object out;
  out["saga"] = instance.saga;
  out["correlationId"] = instance.correlation_id;
  out["state"] = to_string(instance.state);
  out["step"] = instance.step_name;
  out["stepIndex"] = instance.step;
  out["attempt"] = instance.attempt;
  out["deadline"] = instance.deadline ? time(*instance.deadline) : json::value(nullptr);
  json::array pending;
  for (const int step : instance.pending) pending.push_back(step);
  out["pending"] = std::move(pending);
  json::error_code error;
  auto data = json::parse(instance.data, error);
  out["data"] = error ? json::value(instance.data) : std::move(data);
  out["failure"] = instance.failure;
  out["version"] = instance.version;
  out["startedAt"] = time(instance.started_at);
  out["updatedAt"] = time(instance.updated_at);
  json::array history;
  for (const auto& entry : instance.history) {
    json::object item;
    item["at"] = time(entry.at);
    item["kind"] = entry.kind;
    item["step"] = entry.step;
    item["messageType"] = entry.message_type;
    item["messageId"] = entry.message_id;
    item["detail"] = entry.detail;
    history.push_back(std::move(item));
  }
  out["history"] = std::move(history);
  return json::serialize(out);
}

}  // namespace eskit::runtime::saga
