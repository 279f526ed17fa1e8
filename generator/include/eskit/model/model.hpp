// The typed, immutable model: what an event-storming board says, after loading and checking.
// Later stages (generation, contracts, diagrams) read only this, never the YAML.
// Names are kept as written; lookups by name succeed for every reference once the model
// has passed `check`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "eskit/model/expr.hpp"
#include "eskit/model/source.hpp"
#include "eskit/model/type.hpp"

namespace eskit::model {

/// A scalar as written, with its position.
struct Text {
  std::string value;
  Location where;
};

/// A reference that may cross a context: `CallPaid` or `payment.CallPaid`.
struct Ref {
  std::string context;  // empty: the context the reference is written in
  std::string name;
  Location where;

  std::string spelling() const { return context.empty() ? name : context + "." + name; }
};

struct ValueEntry;

/// Literal data (defaults, example values, fixed fallbacks), independent of YAML.
struct Value {
  enum class Kind { null, scalar, list, map };
  Kind kind = Kind::null;
  std::string scalar;
  bool quoted = false;  // written in quotes: always a string
  std::vector<Value> items;
  std::vector<ValueEntry> entries;
  Location where;
};

/// One `key: value` of a map value.
struct ValueEntry {
  Text key;
  Value value;
};

/// An expression with its source text; `where` is the position of the text's first byte.
struct Expression {
  std::string source;
  ExprPtr tree;
  Location where;
  /// Whether offsets inside `source` map to columns (false for multi-line block scalars).
  bool columns_exact = true;

  Location at(std::size_t offset) const {
    return columns_exact ? where.shifted(static_cast<std::uint32_t>(offset)) : where;
  }
};

/// `target: expression` — one entry of `set`, `map`, `correlate`, `where` or `append`.
struct Assignment {
  Text target;
  Expression value;
};

struct Field {
  std::string name;
  Location where;
  TypePtr type;
  Location type_where;
  bool required = true;
  bool unique = false;
  /// Aggregate fields: stored and usable in expressions, never in an answer (a password).
  bool secret = false;
  bool correlation = false;
  std::string description;
  std::optional<Value> default_value;
};

/// A value object (`fields`) or an enum (`enum_values`) declared in a context's `types`.
struct ValueType {
  std::string name;
  Location where;
  std::string description;
  bool is_enum = false;
  std::vector<Text> enum_values;
  std::vector<Field> fields;
};

struct Transition {
  std::vector<Text> from;
  Text to;
  Text by;
  Location where;
};

/// An aggregate's state machine; it adds the enum field `status`.
struct Lifecycle {
  Location where;
  Text initial;
  std::vector<Text> states;  // declared states, or those the transitions name
  bool states_declared = false;
  std::vector<Transition> transitions;
};

struct Aggregate {
  std::string name;
  Location where;
  std::string description;
  Text id;
  std::vector<Field> fields;
  std::optional<Lifecycle> lifecycle;

  const Field* find_field(std::string_view name) const;
};

struct HttpBinding {
  std::string method;
  std::string path;
  std::vector<Text> parameters;  // `{name}` segments of the path, in order
  Location where;
};

struct Precondition {
  Expression check;
  std::string message;
};

/// `{ Event: { field: value } }` in an example's `given` or `then`.
struct EventInstance {
  Ref event;
  std::vector<std::pair<Text, Value>> fields;
};

/// A given / when / then example of a command.
struct Example {
  Text name;
  Location where;
  std::vector<EventInstance> given;
  std::vector<std::pair<Text, Value>> when;
  std::vector<EventInstance> then;
  std::optional<Text> rejects;
};

enum class CommandKind { create, change, remove, query };
const char* spelling(CommandKind kind);

struct TokenIssue {
  Text subject;
  Text role;
  /// A config value of the context (integer seconds) the token lives; none: the runtime's
  /// `auth.jwt.tokenLifetime`.
  std::optional<Text> lifetime;
  Location where;
};

struct Command {
  std::string name;
  Location where;
  std::string description;
  Text aggregate;
  CommandKind kind = CommandKind::create;
  Location kind_where;
  std::optional<Text> actor;
  std::optional<HttpBinding> http;
  std::vector<Field> input;
  std::optional<Text> find_by;
  std::vector<Precondition> preconditions;
  std::vector<Text> roles;
  std::vector<Assignment> set;
  std::vector<Text> emits;
  std::optional<TokenIssue> issues_token;
  std::vector<Example> examples;

  const Field* find_input(std::string_view name) const;
};

struct Event {
  std::string name;
  Location where;
  std::string description;
  Text aggregate;
  int version = 1;
  std::vector<Field> fields;

  const Field* find_field(std::string_view name) const;
  /// The field marked `correlation: true` (exactly one in a checked model).
  const Field* correlation_field() const;
};

struct FailureHandling {
  int retries = 3;
  long long backoff_ms = 1000;
  bool dead_letter = true;  // false: discard after the retries
  Location where;
};

struct Policy {
  std::string name;
  Location where;
  std::string description;
  Ref when;
  std::optional<Expression> condition;  // `if`: the policy acts only on events where it holds
  Text then;
  std::vector<Assignment> correlate;  // aggregate field <- event field
  std::vector<Assignment> map;        // command input <- expression over the event
  FailureHandling on_failure;
};

struct RetrySettings {
  int attempts = 1;  // 1: no retry
  long long backoff_ms = 100;
  long long max_backoff_ms = 2000;
  Location where;
};

/// Resilience4j's settings, with eskit's additions (`max_failures`).
struct BreakerSettings {
  bool enabled = false;
  int window = 20;
  bool time_window = false;  // window counts seconds instead of calls
  int min_calls = 10;
  double failure_rate = 50;
  double slow_call_rate = 100;
  long long slow_call_ms = 0;  // 0: the call's timeout
  long long wait_ms = 5000;
  int half_open_calls = 3;
  std::optional<int> max_failures;
  Location where;
};

enum class FallbackKind { none, reject, fixed, cached };

struct Fallback {
  FallbackKind kind = FallbackKind::none;
  std::string message;
  Value value;
  Location where;
};

/// What the calling command does when the callee answers 404 because the aggregate it would
/// act on does not exist: refuse like any other 4xx (`reject`), or go on as if the callee had
/// accepted (`proceed`: there was nothing to act on).
enum class NotFound { reject, proceed };
const char* spelling(NotFound not_found);

/// A synchronous request/response call from a command to another context.
struct SyncCall {
  std::string name;
  Location where;
  std::string description;
  Text from;
  Ref to;
  std::vector<Assignment> map;  // target input <- expression over the calling command's input
  std::optional<long long> timeout_ms;
  RetrySettings retry;
  BreakerSettings breaker;
  Fallback fallback;
  NotFound not_found = NotFound::reject;
  Location not_found_where;  // the `not_found` value; the call's own position when absent
};

enum class ProjectionOp { create, upsert, update, remove };
const char* spelling(ProjectionOp op);

struct Projection {
  Location where;
  Ref on;
  ProjectionOp op = ProjectionOp::create;
  Location op_where;
  std::vector<Assignment> match;  // the `where` clause: view field <- event field
  std::vector<Assignment> set;
  std::vector<Text> increment;
  std::vector<Text> decrement;
  std::vector<Assignment> append;
  // `if`: over the event and the row as stored (`this.`); where it is false the event leaves
  // the row as it is — how a view fed by several aggregates, whose events come in no order
  // relative to each other, keeps the furthest state.
  std::optional<Expression> condition;
};

struct Query {
  std::string name;
  Location where;
  std::string description;
  std::optional<HttpBinding> http;
  std::vector<Text> filter;
  std::vector<Text> roles;
};

struct View {
  std::string name;
  Location where;
  std::string description;
  Text key;
  std::vector<Field> fields;
  std::vector<Projection> projections;
  std::vector<Query> queries;

  const Field* find_field(std::string_view name) const;
};

struct ConfigValue {
  std::string name;
  Location where;
  std::string description;
  TypePtr type;
  Location type_where;
  std::optional<Value> default_value;
  bool secret = false;
};

struct Volume {
  std::string name;
  Location where;
  Text path;
  Text size;
};

enum class DomainKind { core, supporting, generic };
enum class Storage { sqlite, postgresql };
const char* spelling(DomainKind kind);
const char* spelling(Storage storage);

struct Context {
  std::string name;
  Location where;
  std::string description;
  DomainKind kind = DomainKind::core;
  std::string team;
  Storage storage = Storage::sqlite;
  std::vector<ConfigValue> config;
  std::vector<Volume> volumes;
  std::vector<ValueType> types;
  std::vector<Aggregate> aggregates;
  std::vector<Command> commands;
  std::vector<Event> events;
  std::vector<Policy> policies;
  std::vector<SyncCall> calls;
  std::vector<View> views;

  const ValueType* find_type(std::string_view name) const;
  const Aggregate* find_aggregate(std::string_view name) const;
  const Command* find_command(std::string_view name) const;
  const Event* find_event(std::string_view name) const;
  const View* find_view(std::string_view name) const;
  const ConfigValue* find_config(std::string_view name) const;
};

enum class SagaStyle { choreography, orchestration };

struct SagaStep {
  Text name;
  Location where;
  Ref command;
  std::optional<Ref> completes_on;
  std::vector<Ref> fails_on;
  std::optional<Ref> compensation;
  bool pivot = false;
  bool retriable = false;
  std::optional<long long> timeout_ms;
};

struct Saga {
  std::string name;
  Location where;
  std::string description;
  SagaStyle style = SagaStyle::choreography;
  std::optional<Text> orchestrator;
  Text correlation;
  std::vector<SagaStep> steps;
};

/// An actor (person or role on the board) or an external system.
struct Participant {
  std::string name;
  Location where;
  std::string description;
};

struct GatewayRoute {
  Text prefix;
  Text context;
};

struct Model {
  std::shared_ptr<const SourceFile> file;
  Text name;
  Text version;
  std::string description;
  std::vector<Participant> actors;
  std::vector<Participant> externals;
  std::vector<Text> roles;
  std::vector<Context> contexts;
  std::vector<Saga> sagas;
  std::vector<GatewayRoute> gateway_routes;

  const Context* find_context(std::string_view name) const;
};

}  // namespace eskit::model
