#include "example_view.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <set>

#include "eskit/template/case.hpp"

namespace eskit::generate {

namespace {

namespace json = boost::json;
using model::Primitive;
using model::Type;
using tmpl::Case;
using tmpl::List;
using tmpl::Object;
using tmpl::to_case;

json::value typed(const model::Context& context, const Type& type, const model::Value& value);

json::object typed_fields(const model::Context& context, const std::vector<model::Field>& fields,
                          const std::vector<std::pair<model::Text, model::Value>>& values) {
  json::object out;
  for (const auto& [key, value] : values) {
    const model::Field* field = nullptr;
    for (const auto& f : fields)
      if (f.name == key.value) field = &f;
    // The checker has matched every key to a field; an unknown one carries no type to follow.
    if (field != nullptr) out[key.value] = typed(context, *field->type, value);
  }
  return out;
}

json::value scalar(const Type& type, const model::Value& value) {
  if (value.quoted || type.kind != Type::Kind::primitive) return json::string(value.scalar);
  switch (type.primitive) {
    case Primitive::int32:
    case Primitive::int64:
      return std::stoll(value.scalar);
    case Primitive::float64:
      return std::stod(value.scalar);
    case Primitive::boolean:
      return value.scalar == "true";
    default:
      return json::string(value.scalar);  // text, and decimals, dates and uuids as exact text
  }
}

json::value typed(const model::Context& context, const Type& type, const model::Value& value) {
  switch (value.kind) {
    case model::Value::Kind::null:
      return nullptr;
    case model::Value::Kind::scalar:
      return scalar(type, value);
    case model::Value::Kind::list: {
      json::array items;
      for (const auto& item : value.items)
        items.push_back(type.element ? typed(context, *type.element, item) : json::value());
      return items;
    }
    case model::Value::Kind::map: {
      const model::ValueType* record =
          type.kind == Type::Kind::named ? context.find_type(type.name) : nullptr;
      std::vector<std::pair<model::Text, model::Value>> entries;
      for (const auto& e : value.entries) entries.emplace_back(e.key, e.value);
      return record ? typed_fields(context, record->fields, entries) : json::object();
    }
  }
  return nullptr;
}

List events(const model::Context& context, const std::vector<model::EventInstance>& list) {
  List out;
  for (const auto& instance : list) {
    const model::Event* e = context.find_event(instance.event.name);
    if (e == nullptr) continue;  // another context's event: the checker refuses it
    out.push_back(
        Object{{"event", to_case(e->name, Case::pascal)},
               {"json", json::serialize(typed_fields(context, e->fields, instance.fields))}});
  }
  return out;
}

}  // namespace

List examples_view(const model::Context& context, const model::Command& command) {
  std::set<std::string> messages;
  for (const auto& p : command.preconditions) messages.insert(p.message);
  std::set<std::string> tests;
  List out;
  for (const auto& x : command.examples) {
    std::string test = to_case(x.name.value, Case::pascal);
    for (int n = 2; !tests.insert(test).second; ++n)
      test = to_case(x.name.value, Case::pascal) + std::to_string(n);
    Object example{{"name", x.name.value}, {"test", test}};
    example.set("given", events(context, x.given));
    example.set("when", json::serialize(typed_fields(context, command.input, x.when)));
    example.set("then", events(context, x.then));
    example.set("rejects", x.rejects ? tmpl::Value(x.rejects->value) : tmpl::Value());
    example.set("reason_is_known", x.rejects && messages.count(x.rejects->value) > 0);
    out.push_back(std::move(example));
  }
  return out;
}

}  // namespace eskit::generate
