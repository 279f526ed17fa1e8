// SVG for the board and the context map: plain SVG 1.1 that browsers, GitHub and rsvg render
// alike, integer coordinates only and no timestamps, so the bytes depend on the model alone.
#pragma once

#include <string>

#include "eskit/diagram/board.hpp"
#include "eskit/diagram/context_map.hpp"

namespace eskit::diagram {

std::string board_svg(const Board& board);
std::string context_map_svg(const ContextMap& map);

}  // namespace eskit::diagram
