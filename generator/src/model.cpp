#include "eskit/model/model.hpp"

#include <algorithm>

namespace eskit::model {

namespace {

template <typename T>
const T* by_name(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Field* Aggregate::find_field(std::string_view n) const { return by_name(fields, n); }
const Field* Command::find_input(std::string_view n) const { return by_name(input, n); }
const Field* Event::find_field(std::string_view n) const { return by_name(fields, n); }
const Field* View::find_field(std::string_view n) const { return by_name(fields, n); }

const Field* Event::correlation_field() const {
  auto it =
      std::find_if(fields.begin(), fields.end(), [](const Field& f) { return f.correlation; });
  return it == fields.end() ? nullptr : &*it;
}

const ValueType* Context::find_type(std::string_view n) const { return by_name(types, n); }
const Aggregate* Context::find_aggregate(std::string_view n) const {
  return by_name(aggregates, n);
}
const Command* Context::find_command(std::string_view n) const { return by_name(commands, n); }
const Event* Context::find_event(std::string_view n) const { return by_name(events, n); }
const View* Context::find_view(std::string_view n) const { return by_name(views, n); }
const ConfigValue* Context::find_config(std::string_view n) const { return by_name(config, n); }
const Context* Model::find_context(std::string_view n) const { return by_name(contexts, n); }

const char* spelling(CommandKind kind) {
  switch (kind) {
    case CommandKind::create:
      return "create";
    case CommandKind::change:
      return "change";
    case CommandKind::remove:
      return "delete";
    case CommandKind::query:
      return "query";
  }
  return "?";
}

const char* spelling(NotFound not_found) {
  switch (not_found) {
    case NotFound::reject:
      return "reject";
    case NotFound::proceed:
      return "proceed";
  }
  return "?";
}

const char* spelling(ProjectionOp op) {
  switch (op) {
    case ProjectionOp::create:
      return "create";
    case ProjectionOp::upsert:
      return "upsert";
    case ProjectionOp::update:
      return "update";
    case ProjectionOp::remove:
      return "delete";
  }
  return "?";
}

const char* spelling(DomainKind kind) {
  switch (kind) {
    case DomainKind::core:
      return "core";
    case DomainKind::supporting:
      return "supporting";
    case DomainKind::generic:
      return "generic";
  }
  return "?";
}

const char* spelling(Storage storage) {
  return storage == Storage::sqlite ? "sqlite" : "postgresql";
}

}  // namespace eskit::model
