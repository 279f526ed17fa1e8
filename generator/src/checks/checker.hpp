// The semantic checks over a parsed model. One Checker runs them all; each file in this
// folder owns one family of rules (names, types and expressions, commands, flows, views).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eskit/model/diagnostic.hpp"
#include "eskit/model/model.hpp"

namespace eskit::model::checks {

/// The type of an expression or a field, as far as the checker needs to know it.
struct ValueKind {
  enum class Kind {
    unknown,
    null,
    boolean,
    integer,
    number,
    string,
    date,
    datetime,
    uuid,
    enumeration,
    list,
    object,
    bare_word
  };
  Kind kind = Kind::unknown;
  std::string name;                      // enumeration or object: the type's name
  std::vector<std::string> enum_values;  // enumeration
  std::shared_ptr<ValueKind> element;    // list
  std::string literal;                   // string literal text, or the bare word
  bool is_literal = false;
  Location where;               // bare_word: where it was written
  std::string unknown_message;  // bare_word: what to say if it is no enum value
  std::string unknown_hint;

  std::string describe() const;
  bool numeric() const { return kind == Kind::integer || kind == Kind::number; }
};

/// A name an expression may use, with its type.
struct Symbol {
  std::string name;
  TypePtr type;
  const Context* owner = nullptr;  // the context whose types `type` refers to
};

/// What an expression can see: groups of names, reachable bare and/or through a prefix.
struct Scope {
  struct Group {
    std::string prefix;  // `input`, `this`, `event`, `config`
    bool bare = true;    // reachable without the prefix
    std::vector<Symbol> symbols;
  };
  std::vector<Group> groups;
  std::string description;  // "the command's input and the aggregate", for messages
};

class Checker {
 public:
  Checker(const Model& model, Diagnostics& diagnostics) : m_(model), d_(diagnostics) {}
  void run();

 private:
  // names.cpp
  void check_names();
  void check_context_names(const Context& c);
  /// `sql`: the name also becomes a table or column, so SQL's reserved words are refused too.
  void check_identifier(const std::string& name, const Location& where, std::string_view what,
                        char style, bool sql = false);
  void check_fields_names(const std::vector<Field>& fields, std::string_view what);

  // types.cpp
  void check_types(const Context& c);
  void check_field_types(const Context& c, const std::vector<Field>& fields);
  bool check_type(const Context& c, const TypePtr& type, const Location& where);
  ValueKind kind_of(const Context& c, const TypePtr& type) const;
  ValueKind infer(const Scope& scope, const Context& c, const Expression& e, const Expr& x);
  /// Checks `e` against the type expected of it; reports a mismatch. `target` names what
  /// receives the value, for the message.
  void expect(const Scope& scope, const Context& c, const Expression& e, const ValueKind& want,
              std::string_view target);
  bool assignable(const ValueKind& to, const ValueKind& from) const;
  bool resolve_bare_word(const ValueKind& word, const ValueKind& against);
  void check_value(const Context& c, const Value& v, const ValueKind& want, std::string_view what);

  // aggregates.cpp
  void check_aggregate(const Context& c, const Aggregate& a);
  void check_event(const Context& c, const Event& e);

  // commands.cpp
  void check_command(const Context& c, const Command& cmd);
  void check_example(const Context& c, const Command& cmd, const Example& x);
  Scope command_scope(const Context& c, const Command& cmd) const;

  // flows.cpp
  void check_policy(const Context& c, const Policy& p);
  void check_call(const Context& c, const SyncCall& call);
  void check_call_cycles();
  void check_saga(const Saga& s);

  // views.cpp
  void check_view(const Context& c, const View& v);
  void check_http_routes(const Context& c);
  void check_gateway();

  // lookups (checker.cpp): each reports a missing name with a "did you mean" hint.
  const Context* context_named(const Text& name, std::string_view what);
  const Event* event_ref(const Context& from, const Ref& ref, std::string_view what,
                         const Context** owner = nullptr);
  const Command* command_ref(const Context* from, const Ref& ref, std::string_view what,
                             const Context** owner = nullptr);
  const Aggregate* aggregate_named(const Context& c, const Text& name, std::string_view what);
  const Field* field_named(const std::vector<Field>& fields, const Text& name,
                           std::string_view what);
  bool role_known(const Text& role);
  /// If `ref` names something other than the wanted kind, explains what it is instead.
  std::string what_is(const Context& in, const std::string& name) const;

  /// Every field of an aggregate, including the `status` a lifecycle adds.
  std::vector<Symbol> aggregate_symbols(const Context& c, const Aggregate& a) const;
  static std::vector<Symbol> symbols_of(const Context& c, const std::vector<Field>& fields);
  std::vector<Symbol> config_symbols(const Context& c) const;

  const Model& m_;
  Diagnostics& d_;
  std::map<const Aggregate*, TypePtr> status_types_;
};

/// `CallMade` -> `call_made`, `callId` -> `call_id`: the form names take in SQL and files.
std::string snake_case(std::string_view name);

}  // namespace eskit::model::checks
