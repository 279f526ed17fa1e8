// The diagrams of a model, as a generate::Plan so that `eskit diagram` writes and checks them
// with eskit generate's writer: board.svg, board.mmd, context-map.svg, context-map.mmd.
#pragma once

#include "eskit/generate/plan.hpp"
#include "eskit/model/model.hpp"

namespace eskit::diagram {

generate::Plan diagram_plan(const model::Model& model);

}  // namespace eskit::diagram
