#pragma once
// The saga tables' statements (DDL in store.cpp). Every value is bound; both dialects share
// the text. Transitions update an instance only at the version they read, so a replica, the
// step timer and the inbox never overwrite each other's move.
#include "eskit/runtime/db/statement.hpp"

namespace eskit::runtime::saga::sql {

inline constexpr db::Statement insert_instance{
    "eskit_saga_instances.insert",
    "insert into eskit_saga_instances (saga, correlation_id, state, step, step_name, attempt, "
    "deadline, pending, data, failure, version, started_at, updated_at) values (:saga, "
    ":correlation_id, :state, :step, :step_name, :attempt, :deadline, :pending, :data, :failure, "
    "1, :started_at, :updated_at) on conflict (saga, correlation_id) do nothing"};

inline constexpr db::Statement load_instance{
    "eskit_saga_instances.load",
    "select state, step, step_name, attempt, deadline, pending, data, failure, version, "
    "started_at, updated_at from eskit_saga_instances where saga = :saga and correlation_id = "
    ":correlation_id"};

inline constexpr db::Statement update_instance{
    "eskit_saga_instances.update",
    "update eskit_saga_instances set state = :state, step = :step, step_name = :step_name, "
    "attempt = :attempt, deadline = :deadline, pending = :pending, data = :data, failure = "
    ":failure, version = version + 1, updated_at = :updated_at where saga = :saga and "
    "correlation_id = :correlation_id and version = :version"};

inline constexpr db::Statement due_instances{
    "eskit_saga_instances.due",
    "select correlation_id from eskit_saga_instances where saga = :saga and state = 'running' "
    "and deadline is not null and deadline <= :now order by deadline limit 200"};

inline constexpr db::Statement count_instances{
    "eskit_saga_instances.count",
    "select count(*) from eskit_saga_instances where saga = :saga and state = :state"};

inline constexpr db::Statement count_in_flight{
    "eskit_saga_instances.in_flight",
    "select count(*) from eskit_saga_instances where saga = :saga and state in ('running', "
    "'compensating')"};

inline constexpr db::Statement insert_history{
    "eskit_saga_history.insert",
    "insert into eskit_saga_history (saga, correlation_id, at, kind, step, message_type, "
    "message_id, detail) values (:saga, :correlation_id, :at, :kind, :step, :message_type, "
    ":message_id, :detail)"};

inline constexpr db::Statement load_history{
    "eskit_saga_history.load",
    "select at, kind, step, message_type, message_id, detail from eskit_saga_history where saga "
    "= :saga and correlation_id = :correlation_id order by id"};

}  // namespace eskit::runtime::saga::sql
