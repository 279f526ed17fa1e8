// The business rule of CheckWriteReview,
// beyond what the model says. eskit created this file once and never writes it again: it is
// yours to edit. It implements the interface
// CheckWriteReviewRuleBase of gen/rule_bases.hpp.
#pragma once

#include <optional>
#include <string>

#include "gen/rule_bases.hpp"

namespace schedule {

class CheckWriteReviewRule final : public CheckWriteReviewRuleBase {
 public:
  // 리뷰 작성 시 리뷰 작성이 가능한지 확인한다: a course takes reviews only while it is AVAILABLE
  // (the write-up's "Available" check). The model says so in CheckWriteReview's precondition,
  // but the generated handler of a `kind: query` command does not evaluate preconditions, so
  // the rule enforces it, with the model's message.
  std::optional<std::string> reject(const State& state, const Command&) const override {
    if (state.status != ScheduleStatus::kAvailable) return "this date course does not take reviews";
    return std::nullopt;
  }
};

}  // namespace schedule
