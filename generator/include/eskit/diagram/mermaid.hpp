// Mermaid flowcharts of the board and the context map, for Markdown that renders Mermaid.
// Node ids: `<kind>_<context>_<Name>` for stickies (`actor_<Name>`, `external_<Name>`), and
// `ctx_<context>` for contexts.
#pragma once

#include <string>

#include "eskit/diagram/board.hpp"
#include "eskit/diagram/context_map.hpp"

namespace eskit::diagram {

std::string node_id(const Sticky& sticky);

std::string board_mermaid(const Board& board);
std::string context_map_mermaid(const ContextMap& map);

}  // namespace eskit::diagram
