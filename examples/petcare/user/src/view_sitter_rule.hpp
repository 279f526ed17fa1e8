// The business rule of ViewSitter,
// beyond what the model says. eskit created this file once and never writes it again: it is
// yours to edit. It implements the interface
// ViewSitterRuleBase of gen/rule_bases.hpp.
#pragma once

#include <optional>
#include <string>

#include "gen/rule_bases.hpp"

namespace user {

class ViewSitterRule final : public ViewSitterRuleBase {
 public:
  // The model's precondition `status == APPROVED` of ViewSitter, which the generated query
  // handler does not check (it calls only this rule): a sitter that is not approved answers
  // 409, so match's ReadSitter / ReadOfferingSitter refuse to match it (write-up: only an
  // administrator-approved sitter takes care requests).
  std::optional<std::string> reject(const State& state, const Command&) const override {
    if (state.status != SitterStatus::kApproved) return "this sitter is not approved";
    return std::nullopt;
  }
};

}  // namespace user
