#include "eskit/diagram/svg.hpp"

#include <cmath>
#include <string_view>

#include "eskit/diagram/text.hpp"

namespace eskit::diagram {

namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(int v) { return std::to_string(v); }
std::string num(double v) { return std::to_string(static_cast<int>(std::lround(v))); }

const char* fill(StickyKind kind) {
  switch (kind) {
    case StickyKind::event:
      return "#ffa94d";
    case StickyKind::command:
      return "#74c0fc";
    case StickyKind::aggregate:
      return "#ffe066";
    case StickyKind::policy:
      return "#d0bfff";
    case StickyKind::view:
      return "#8ce99a";
    case StickyKind::actor:
      return "#fff3bf";
    case StickyKind::external:
      return "#faa2c1";
  }
  return "#ffffff";
}

std::string open_svg(int width, int height, std::string_view title) {
  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
         num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"" +
         num(font_size) + "\">\n";
  out += "<title>" + escape(title) + "</title>\n";
  out +=
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
      "fill=\"#495057\"/></marker></defs>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  out += "<text class=\"title\" x=\"" + num(20) + "\" y=\"" + num(34) +
         "\" font-size=\"18\" font-weight=\"bold\">" + escape(title) + "</text>\n";
  return out;
}

/// Centred lines, the block vertically centred in `box`.
std::string text_lines(const std::vector<std::string>& lines, const Rect& box) {
  std::string out;
  const int block = static_cast<int>(lines.size()) * line_height;
  // The baseline sits about 0.8 em below the top of a line.
  int baseline = box.y + (box.height - block) / 2 + line_height - 4;
  for (const auto& line : lines) {
    out += "<text x=\"" + num(box.x + box.width / 2) + "\" y=\"" + num(baseline) +
           "\" text-anchor=\"middle\">" + escape(line) + "</text>";
    baseline += line_height;
  }
  return out;
}

std::string arrow_path(const Rect& a, const Rect& b) {
  const int ay = a.y + a.height / 2;
  const int by = b.y + b.height / 2;
  int x1, y1, x2, y2;
  if (b.x >= a.x + a.width || b.x + b.width <= a.x) {
    const bool right = b.x >= a.x + a.width;
    x1 = right ? a.x + a.width : a.x;
    x2 = right ? b.x : b.x + b.width;
    y1 = ay;
    y2 = by;
    const int mx = (x1 + x2) / 2;
    return "M" + num(x1) + "," + num(y1) + " C" + num(mx) + "," + num(y1) + " " + num(mx) + "," +
           num(y2) + " " + num(x2) + "," + num(y2);
  }
  // One above the other in the same column: leave and enter vertically.
  const bool down = b.y >= a.y;
  x1 = a.x + a.width / 2;
  x2 = b.x + b.width / 2;
  y1 = down ? a.y + a.height : a.y;
  y2 = down ? b.y : b.y + b.height;
  const int my = (y1 + y2) / 2;
  return "M" + num(x1) + "," + num(y1) + " C" + num(x1) + "," + num(my) + " " + num(x2) + "," +
         num(my) + " " + num(x2) + "," + num(y2);
}

const char* arrow_style(ArrowKind kind) {
  switch (kind) {
    case ArrowKind::flow:
      return "stroke=\"#495057\" stroke-width=\"1.5\"";
    case ArrowKind::sync:
      return "stroke=\"#1c7ed6\" stroke-width=\"2.5\"";
    case ArrowKind::saga:
      return "stroke=\"#ae3ec9\" stroke-width=\"1.5\" stroke-dasharray=\"2 4\"";
  }
  return "";
}

/// The point where the ray from (px, py), inside `box`, towards (dx, dy) leaves it.
std::pair<double, double> border(const Rect& box, double px, double py, double dx, double dy) {
  auto exit = [](double p, double d, int low, int high) {
    if (d > 0) return (high - p) / d;
    if (d < 0) return (low - p) / d;
    return 1e9;
  };
  const double t =
      std::min(exit(px, dx, box.x, box.x + box.width), exit(py, dy, box.y, box.y + box.height));
  return {px + dx * t, py + dy * t};
}

std::string label(double x, double y, std::string_view text, std::string_view cls) {
  return "<text class=\"" + std::string(cls) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
         "\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\">" + escape(text) +
         "</text>";
}

}  // namespace

std::string board_svg(const Board& board) {
  std::string out = open_svg(board.width, board.height, board.system + ": event-storming board");
  for (const auto& lane : board.lanes) {
    const bool participants = lane.context.empty();
    out += "<g class=\"frame " + std::string(participants ? "participants" : "context") + "\"" +
           (participants ? "" : " data-name=\"" + escape(lane.context) + "\"") + ">";
    out += "<rect x=\"" + num(lane.box.x) + "\" y=\"" + num(lane.box.y) + "\" width=\"" +
           num(lane.box.width) + "\" height=\"" + num(lane.box.height) + "\" rx=\"8\" fill=\"" +
           (participants ? "#fcfcfc" : "#f1f3f5") + "\" stroke=\"#868e96\" stroke-width=\"1.5\"/>";
    out += "<text x=\"" + num(lane.box.x + 12) + "\" y=\"" + num(lane.box.y + 22) +
           "\" font-size=\"15\" font-weight=\"bold\" fill=\"#343a40\">" + escape(lane.label) +
           "</text></g>\n";
  }
  for (const auto& a : board.arrows) {
    const auto& from = board.stickies[a.from];
    const auto& to = board.stickies[a.to];
    out += "<path class=\"arrow " + std::string(spelling(a.kind)) + "\" data-from=\"" +
           escape(from.qualified()) + "\" data-to=\"" + escape(to.qualified()) + "\" d=\"" +
           arrow_path(from.box, to.box) + "\" fill=\"none\" " + arrow_style(a.kind) +
           " marker-end=\"url(#arrow)\"/>\n";
  }
  for (const auto& s : board.stickies) {
    const std::string kind = spelling(s.kind);
    out += "<g class=\"sticky " + kind + "\" data-kind=\"" + kind + "\" data-name=\"" +
           escape(s.qualified()) + "\">";
    out += "<title>" + escape(kind + " " + s.qualified()) +
           (s.description.empty() ? "" : ": " + escape(s.description)) + "</title>";
    out += "<rect x=\"" + num(s.box.x) + "\" y=\"" + num(s.box.y) + "\" width=\"" +
           num(s.box.width) + "\" height=\"" + num(s.box.height) + "\" fill=\"" + fill(s.kind) +
           "\" stroke=\"#495057\" stroke-width=\"1\"/>";
    out += text_lines(s.lines, s.box);
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

std::string context_map_svg(const ContextMap& map) {
  std::string out = open_svg(map.width, map.height, map.system + ": context map");
  for (const auto& r : map.relations) {
    // Sync calls point from the caller to the callee; events from the publisher onwards.
    const bool sync = r.kind == RelationKind::sync;
    const std::size_t from_index = sync ? r.downstream : r.upstream;
    const std::size_t to_index = sync ? r.upstream : r.downstream;
    const auto& from = map.contexts[from_index].box;
    const auto& to = map.contexts[to_index].box;
    // Offsets are measured from the lower-numbered context, whichever way this arrow points.
    const double offset = from_index < to_index ? r.offset : -r.offset;
    const double fx = from.x + from.width / 2.0, fy = from.y + from.height / 2.0;
    const double tx = to.x + to.width / 2.0, ty = to.y + to.height / 2.0;
    const double length = std::hypot(tx - fx, ty - fy);
    const double ux = (tx - fx) / length, uy = (ty - fy) / length;
    const double ox = -uy * offset, oy = ux * offset;
    const auto [x1, y1] = border(from, fx + ox, fy + oy, ux, uy);
    const auto [x2, y2] = border(to, tx + ox, ty + oy, -ux, -uy);
    std::string via;
    for (const auto& v : r.via) via += (via.empty() ? "" : ", ") + v;
    out += "<g class=\"relation " + std::string(spelling(r.kind)) + "\" data-upstream=\"" +
           escape(map.contexts[r.upstream].name) + "\" data-downstream=\"" +
           escape(map.contexts[r.downstream].name) + "\"><title>" +
           escape((sync ? "calls: " : "events: ") + via) + "</title>";
    out += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
           num(y2) + "\" stroke=\"" + (sync ? "#1c7ed6" : "#e8590c") + "\" stroke-width=\"2\"" +
           (sync ? "" : " stroke-dasharray=\"8 5\"") + " marker-end=\"url(#arrow)\"/>";
    // U and D sit beside the line, just off the box they belong to.
    const double side = 12, along = 22;
    // On the outer side of a bundle of parallel relations, so neighbours' labels stay apart.
    const double outward = offset < 0 ? -side : side;
    const double px = -uy * outward, py = ux * outward;
    const bool from_is_up = !sync;
    out += label(x1 + ux * along + px, y1 + uy * along + py + 4, from_is_up ? "U" : "D", "end");
    out += label(x2 - ux * along + px, y2 - uy * along + py + 4, from_is_up ? "D" : "U", "end");
    out += "</g>\n";
  }
  for (const auto& c : map.contexts) {
    out += "<g class=\"context\" data-name=\"" + escape(c.name) + "\"><rect x=\"" + num(c.box.x) +
           "\" y=\"" + num(c.box.y) + "\" width=\"" + num(c.box.width) + "\" height=\"" +
           num(c.box.height) +
           "\" rx=\"8\" fill=\"#f1f3f5\" stroke=\"#495057\" stroke-width=\"1.5\"/>";
    out += text_lines(c.lines, c.box);
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace eskit::diagram
