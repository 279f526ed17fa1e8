// The model's expressions (preconditions, `set:`) as C++ over the generated structs: names
// become members (`payAmount` → `command.pay_amount`), bare enum words enumerators
// (`status == PAID` → `state.status == CallerStatus::kPaid`), `in` a search of the list.
#pragma once

#include <string>
#include <vector>

#include "eskit/model/model.hpp"

namespace eskit::generate {

/// A name an expression may use, and how the generated C++ reaches it.
struct ExprSymbol {
  std::string name;       // as the model writes it
  model::TypePtr type;    // its model type
  bool optional = false;  // the member is a std::optional
  std::string access;     // "command.pay_amount", "state.status", "settings.service_area"
  std::string enum_cpp;   // the C++ enum of the value (or of a list's elements), else "";
                          // "std::string" for another context's enum, which is its text here
};

/// What an expression sees: groups reachable through their prefix (`input`, `this`,
/// `config`) and, when `bare`, by the name alone; earlier groups win.
struct ExprScope {
  struct Group {
    std::string prefix;
    bool bare = true;
    std::vector<ExprSymbol> symbols;
  };
  std::vector<Group> groups;
};

/// The C++ of `e`, which the checker accepted over this scope. `target_enum` is the C++ enum
/// a bare word stands for when the expression is assigned to an enum field. Throws
/// std::logic_error naming the expression for a form the generator cannot translate.
std::string expression_cpp(const model::Expression& e, const ExprScope& scope,
                           const std::string& target_enum = "");

}  // namespace eskit::generate
