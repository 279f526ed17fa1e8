#include "eskit/diagram/plan.hpp"

#include "eskit/diagram/board.hpp"
#include "eskit/diagram/context_map.hpp"
#include "eskit/diagram/mermaid.hpp"
#include "eskit/diagram/svg.hpp"

namespace eskit::diagram {

generate::Plan diagram_plan(const model::Model& model) {
  const auto board = layout_board(model);
  const auto map = layout_context_map(model);
  generate::Plan plan;
  // Sorted by path, as a Plan must be.
  plan.files.push_back({"board.mmd", board_mermaid(board), generate::FileRole::generated});
  plan.files.push_back({"board.svg", board_svg(board), generate::FileRole::generated});
  plan.files.push_back(
      {"context-map.mmd", context_map_mermaid(map), generate::FileRole::generated});
  plan.files.push_back({"context-map.svg", context_map_svg(map), generate::FileRole::generated});
  return plan;
}

}  // namespace eskit::diagram
