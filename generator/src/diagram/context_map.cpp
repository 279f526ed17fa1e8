#include "eskit/diagram/context_map.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "eskit/diagram/text.hpp"

namespace eskit::diagram {

const char* spelling(RelationKind kind) { return kind == RelationKind::sync ? "sync" : "pubsub"; }

namespace {

constexpr int margin = 20;
constexpr int title_band = 44;
constexpr int min_box_width = 200;
constexpr int box_height = 80;
constexpr int parallel_gap = 26;

using RelationKey = std::tuple<RelationKind, std::size_t, std::size_t>;

std::map<RelationKey, std::set<std::string>> relations_of(const model::Model& model) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < model.contexts.size(); ++i) index[model.contexts[i].name] = i;
  std::map<RelationKey, std::set<std::string>> found;
  for (std::size_t down = 0; down < model.contexts.size(); ++down) {
    const auto& c = model.contexts[down];
    auto consume = [&](const model::Ref& event) {
      if (event.context.empty() || event.context == c.name) return;
      const auto up = index.find(event.context);
      if (up != index.end())
        found[{RelationKind::pubsub, up->second, down}].insert(event.spelling());
    };
    for (const auto& p : c.policies) consume(p.when);
    for (const auto& v : c.views)
      for (const auto& projection : v.projections) consume(projection.on);
    for (const auto& call : c.calls) {
      const auto up = index.find(call.to.context);
      if (up != index.end() && up->second != down)
        found[{RelationKind::sync, up->second, down}].insert(call.name);
    }
  }
  // A choreographed saga is pub/sub too: each step's command reacts to the event that
  // completed the step before it, and a failure event makes the earlier steps' contexts run
  // their compensations.
  auto relate = [&](const model::Ref& event, const model::Ref& command) {
    const auto up = index.find(event.context), down = index.find(command.context);
    if (up != index.end() && down != index.end() && up->second != down->second)
      found[{RelationKind::pubsub, up->second, down->second}].insert(event.spelling());
  };
  for (const auto& saga : model.sagas) {
    for (std::size_t i = 0; i < saga.steps.size(); ++i) {
      const auto& step = saga.steps[i];
      if (i + 1 < saga.steps.size() && step.completes_on)
        relate(*step.completes_on, saga.steps[i + 1].command);
      for (const auto& failure : step.fails_on)
        for (std::size_t j = 0; j < i; ++j)
          if (saga.steps[j].compensation) relate(failure, *saga.steps[j].compensation);
    }
  }
  return found;
}

/// Ranks by longest path upstream to downstream; an edge closing a cycle (two contexts that
/// consume each other's events) is ignored, found by a depth-first search in model order.
std::vector<int> columns_of(std::size_t n, const std::vector<Relation>& relations) {
  std::vector<std::vector<std::size_t>> out(n);
  std::vector<int> indegree(n, 0);
  for (const auto& r : relations) {
    out[r.upstream].push_back(r.downstream);
    ++indegree[r.downstream];
  }
  std::vector<int> state(n, 0);
  std::vector<std::size_t> postorder;
  std::vector<std::vector<std::size_t>> kept(n);
  auto visit = [&](auto& self, std::size_t v) -> void {
    state[v] = 1;
    for (const auto w : out[v]) {
      if (state[w] == 1) continue;
      kept[v].push_back(w);
      if (state[w] == 0) self(self, w);
    }
    state[v] = 2;
    postorder.push_back(v);
  };
  for (std::size_t v = 0; v < n; ++v)
    if (indegree[v] == 0 && state[v] == 0) visit(visit, v);
  for (std::size_t v = 0; v < n; ++v)
    if (state[v] == 0) visit(visit, v);
  std::vector<int> column(n, 0);
  for (auto it = postorder.rbegin(); it != postorder.rend(); ++it)
    for (const auto w : kept[*it]) column[w] = std::max(column[w], column[*it] + 1);
  return column;
}

}  // namespace

ContextMap layout_context_map(const model::Model& model) {
  ContextMap map;
  map.system = model.name.value;
  int widest = min_box_width;
  for (const auto& c : model.contexts) {
    ContextBox box;
    box.name = c.name;
    box.lines = {c.name, model::spelling(c.kind)};
    if (!c.team.empty()) box.lines.push_back(c.team);
    for (const auto& line : box.lines)
      widest = std::max(widest, text_width(line) + 2 * sticky_padding);
    map.contexts.push_back(std::move(box));
  }
  std::map<std::pair<std::size_t, std::size_t>, int> per_pair;
  for (const auto& [key, via] : relations_of(model)) {
    const auto& [kind, up, down] = key;
    map.relations.push_back({kind, up, down, {via.begin(), via.end()}, 0});
    ++per_pair[{std::min(up, down), std::max(up, down)}];
  }
  // Relations between the same two contexts are spread symmetrically around the centre line.
  std::map<std::pair<std::size_t, std::size_t>, int> seen;
  for (auto& r : map.relations) {
    const std::pair pair{std::min(r.upstream, r.downstream), std::max(r.upstream, r.downstream)};
    const int k = seen[pair]++;
    r.offset = (2 * k - (per_pair[pair] - 1)) * parallel_gap / 2;
  }

  // Contexts around a circle, clockwise from the top in upstream-to-downstream order: a
  // straight relation is then a chord, and no chord passes through a third box.
  const auto column = columns_of(map.contexts.size(), map.relations);
  std::vector<std::size_t> order(map.contexts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return column[a] < column[b]; });
  const double n = static_cast<double>(order.size());
  const double pi = std::acos(-1.0);
  const double radius = order.size() < 2 ? 0 : std::max(180.0, (widest - 10) / std::sin(pi / n));
  const int cx = margin + widest / 2 + static_cast<int>(std::lround(radius));
  const int cy = margin + title_band + box_height / 2 + static_cast<int>(std::lround(radius));
  for (std::size_t k = 0; k < order.size(); ++k) {
    const double angle = -pi / 2 + 2 * pi * static_cast<double>(k) / n;
    auto& box = map.contexts[order[k]];
    box.box = {cx + static_cast<int>(std::lround(radius * std::cos(angle))) - widest / 2,
               cy + static_cast<int>(std::lround(radius * std::sin(angle))) - box_height / 2,
               widest, box_height};
  }
  map.width = 2 * cx;
  map.height = cy + (cy - title_band);
  return map;
}

}  // namespace eskit::diagram
