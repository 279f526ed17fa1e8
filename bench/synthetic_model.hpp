// Synthetic models of any size, shaped like real ones: every context has aggregates with
// lifecycles, commands with preconditions and examples, events, policies reacting to the
// previous context, a view fed across contexts, and a sync call down an acyclic chain.
#pragma once

#include <string>

namespace eskit::bench {

struct ModelSize {
  int contexts = 100;
  int aggregates_per_context = 20;
  /// Rich: three commands with preconditions and examples, three events, a policy and two
  /// projection rules per aggregate — like the reference examples without their prose.
  /// Lean: two commands, two events, a policy and a projection rule — a first-cut board.
  bool rich = true;
};

/// The YAML text of a valid model of the given size.
std::string synthetic_model(ModelSize size);

}  // namespace eskit::bench
