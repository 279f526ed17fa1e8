// The context map as geometry: a box per bounded context, and a relation wherever one
// context depends on another — a sync call (the caller is downstream of the callee) or
// pub/sub (a context whose policies or views consume another's events is downstream of it).
#pragma once

#include <string>
#include <vector>

#include "eskit/diagram/board.hpp"
#include "eskit/model/model.hpp"

namespace eskit::diagram {

enum class RelationKind { sync, pubsub };
const char* spelling(RelationKind kind);

struct ContextBox {
  std::string name;
  std::vector<std::string> lines;  // name, then kind and team
  Rect box;
};

struct Relation {
  RelationKind kind = RelationKind::sync;
  std::size_t upstream = 0;  // indices into ContextMap::contexts
  std::size_t downstream = 0;
  std::vector<std::string> via;  // the calls, or the consumed events (qualified), sorted
  int offset = 0;                // perpendicular shift so parallel relations stay apart
};

struct ContextMap {
  std::string system;
  std::vector<ContextBox> contexts;
  std::vector<Relation> relations;
  int width = 0;
  int height = 0;
};

/// Contexts on a circle, upstream first where the relations allow.
ContextMap layout_context_map(const model::Model& model);

}  // namespace eskit::diagram
