// The event-storming board as geometry: one sticky per model element, in a lane per bounded
// context (actors and external systems in a lane of their own), columns in time order.
#pragma once

#include <string>
#include <vector>

#include "eskit/model/model.hpp"

namespace eskit::diagram {

enum class StickyKind { actor, external, command, aggregate, event, policy, view };
const char* spelling(StickyKind kind);

struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

struct Sticky {
  StickyKind kind = StickyKind::event;
  std::string context;  // empty for actors and external systems
  std::string name;
  std::string description;
  std::vector<std::string> lines;  // the name, wrapped to fit
  int column = 0;                  // time order, left to right
  Rect box;

  /// `context.Name`, or just `Name` for actors and external systems.
  std::string qualified() const { return context.empty() ? name : context + "." + name; }
};

/// What an arrow stands for; the SVG styles each differently.
enum class ArrowKind { flow, sync, saga };
const char* spelling(ArrowKind kind);

struct Arrow {
  std::size_t from = 0;  // indices into Board::stickies
  std::size_t to = 0;
  ArrowKind kind = ArrowKind::flow;
};

/// A labelled frame: a bounded context, or the participants' lane (empty context).
struct Lane {
  std::string context;
  std::string label;
  Rect box;
};

struct Board {
  std::string system;
  std::vector<Lane> lanes;
  std::vector<Sticky> stickies;
  std::vector<Arrow> arrows;
  int width = 0;
  int height = 0;
};

inline constexpr int sticky_padding = 8;

/// Deterministic: the same model always gives the same board.
Board layout_board(const model::Model& model);

}  // namespace eskit::diagram
