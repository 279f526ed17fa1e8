#include "eskit/diagram/mermaid.hpp"

#include <map>
#include <string_view>

#include "eskit/runtime/text/join.hpp"

namespace eskit::diagram {

using runtime::text::join;

namespace {

// Mermaid labels in quotes take entity codes; `#quot;` and friends keep model text intact.
std::string label(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '#':
        out += "#35;";
        break;
      default:
        out += c;
    }
  }
  return "\"" + out + "\"";
}

const char* class_def(StickyKind kind) {
  switch (kind) {
    case StickyKind::event:
      return "fill:#ffa94d,stroke:#495057,color:#000";
    case StickyKind::command:
      return "fill:#74c0fc,stroke:#495057,color:#000";
    case StickyKind::aggregate:
      return "fill:#ffe066,stroke:#495057,color:#000";
    case StickyKind::policy:
      return "fill:#d0bfff,stroke:#495057,color:#000";
    case StickyKind::view:
      return "fill:#8ce99a,stroke:#495057,color:#000";
    case StickyKind::actor:
      return "fill:#fff3bf,stroke:#495057,color:#000";
    case StickyKind::external:
      return "fill:#faa2c1,stroke:#495057,color:#000";
  }
  return "";
}

}  // namespace

std::string node_id(const Sticky& sticky) {
  return std::string(spelling(sticky.kind)) + "_" +
         (sticky.context.empty() ? "" : sticky.context + "_") + sticky.name;
}

std::string board_mermaid(const Board& board) {
  std::string out = "flowchart LR\n";
  for (const auto& lane : board.lanes) {
    const bool participants = lane.context.empty();
    out += "  subgraph " + (participants ? std::string("participants") : "ctx_" + lane.context) +
           "[" + label(lane.label) + "]\n";
    for (const auto& s : board.stickies) {
      if (s.context != lane.context) continue;
      out += "    " + node_id(s) + "[" + label(join(s.lines, " ")) + "]\n";
    }
    out += "  end\n";
  }
  for (const auto& a : board.arrows) {
    const char* link = a.kind == ArrowKind::sync   ? " ==>|sync| "
                       : a.kind == ArrowKind::saga ? " -.->|saga| "
                                                   : " --> ";
    out += "  " + node_id(board.stickies[a.from]) + link + node_id(board.stickies[a.to]) + "\n";
  }
  std::map<StickyKind, std::string> members;
  for (const auto& s : board.stickies)
    members[s.kind] += (members[s.kind].empty() ? "" : ",") + node_id(s);
  for (const auto& [kind, ids] : members) {
    out += "  classDef " + std::string(spelling(kind)) + " " + class_def(kind) + "\n";
    out += "  class " + ids + " " + spelling(kind) + "\n";
  }
  return out;
}

std::string context_map_mermaid(const ContextMap& map) {
  std::string out = "flowchart LR\n";
  for (const auto& c : map.contexts)
    out += "  ctx_" + c.name + "[" + label(join(c.lines, " — ")) + "]\n";
  for (const auto& r : map.relations) {
    const auto& up = map.contexts[r.upstream].name;
    const auto& down = map.contexts[r.downstream].name;
    if (r.kind == RelationKind::sync)
      out += "  ctx_" + down + " -->|" + label("D calls U: " + join(r.via, ", ")) + "| ctx_" + up +
             "\n";
    else
      out += "  ctx_" + up + " -.->|" + label("U events D: " + join(r.via, ", ")) + "| ctx_" +
             down + "\n";
  }
  return out;
}

}  // namespace eskit::diagram
