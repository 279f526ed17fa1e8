// What changed between an old and a new model, and whether each change breaks someone.
//
//   auto changes = eskit::evolution::compare(*old_model, *new_model);
//
// Both models must have passed the checks (load_model without errors): names resolve.
#pragma once

#include <vector>

#include "eskit/evolution/change.hpp"
#include "eskit/model/model.hpp"

namespace eskit::evolution {

/// Every change, sorted by its position in the new model, then by message.
std::vector<Change> compare(const model::Model& old_model, const model::Model& new_model);

}  // namespace eskit::evolution
