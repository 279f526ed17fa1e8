// One difference between two versions of a model, judged the way its consumers see it: another
// team reading its events (wire), a client calling its API (http), the flows that run between
// contexts (flow) and the rows already stored (storage). docs/diff.md has every rule.
#pragma once

#include <string>

#include "eskit/model/source.hpp"

namespace eskit::evolution {

enum class Category { wire, http, flow, storage };
enum class Severity { breaking, safe };

const char* spelling(Category category);
const char* spelling(Severity severity);

struct Change {
  Category category = Category::wire;
  Severity severity = Severity::safe;
  /// In the new model: the changed element, or for a removal the nearest element that is
  /// still there (its context, or the model itself).
  model::Location where;
  /// `event payment.PaymentApproved`, `command caller.PayCall`, ...
  std::string subject;
  std::string message;
};

}  // namespace eskit::evolution
