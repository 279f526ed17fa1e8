#include "eskit/diagram/board.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "eskit/diagram/text.hpp"

namespace eskit::diagram {

const char* spelling(StickyKind kind) {
  switch (kind) {
    case StickyKind::actor:
      return "actor";
    case StickyKind::external:
      return "external";
    case StickyKind::command:
      return "command";
    case StickyKind::aggregate:
      return "aggregate";
    case StickyKind::event:
      return "event";
    case StickyKind::policy:
      return "policy";
    case StickyKind::view:
      return "view";
  }
  return "event";
}

const char* spelling(ArrowKind kind) {
  switch (kind) {
    case ArrowKind::flow:
      return "flow";
    case ArrowKind::sync:
      return "sync";
    case ArrowKind::saga:
      return "saga";
  }
  return "flow";
}

namespace {

constexpr int margin = 20;
constexpr int title_band = 44;
constexpr int lane_inset = 16;
constexpr int lane_label_band = 36;
constexpr int lane_gap = 20;
constexpr int sticky_width = 150;
constexpr int small_width = 120;
constexpr int column_stride = 190;
constexpr int stack_gap = 12;

bool small(StickyKind kind) { return kind == StickyKind::actor || kind == StickyKind::external; }

/// Collects the stickies and the flow between them, then ranks columns.
class Builder {
 public:
  explicit Builder(const model::Model& model) : model_(model) {}

  Board build() {
    board_.system = model_.name.value;
    add_stickies();
    add_flow();
    rank();
    place();
    return std::move(board_);
  }

 private:
  struct Edge {
    std::size_t from;
    std::size_t to;
    int weight;
  };

  static std::string key(StickyKind kind, std::string_view context, std::string_view name) {
    return std::string(spelling(kind)) + ":" + std::string(context) + "." + std::string(name);
  }

  void add(StickyKind kind, std::string context, std::string name, std::string description) {
    index_[key(kind, context, name)] = board_.stickies.size();
    Sticky s;
    s.kind = kind;
    s.context = std::move(context);
    s.name = std::move(name);
    s.description = std::move(description);
    board_.stickies.push_back(std::move(s));
  }

  void add_stickies() {
    for (const auto& a : model_.actors) add(StickyKind::actor, "", a.name, a.description);
    for (const auto& e : model_.externals) add(StickyKind::external, "", e.name, e.description);
    for (const auto& c : model_.contexts) {
      for (const auto& a : c.aggregates) add(StickyKind::aggregate, c.name, a.name, a.description);
      for (const auto& x : c.commands) add(StickyKind::command, c.name, x.name, x.description);
      for (const auto& e : c.events) add(StickyKind::event, c.name, e.name, e.description);
      for (const auto& p : c.policies) add(StickyKind::policy, c.name, p.name, p.description);
      for (const auto& v : c.views) add(StickyKind::view, c.name, v.name, v.description);
    }
  }

  /// The sticky of a reference, or nullopt in a model that did not pass its checks.
  std::optional<std::size_t> find(StickyKind kind, std::string_view context,
                                  std::string_view name) const {
    const auto it = index_.find(key(kind, context, name));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::size_t> find(StickyKind kind, const std::string& here,
                                  const model::Ref& ref) const {
    return find(kind, ref.context.empty() ? here : ref.context, ref.name);
  }

  // `weight` 0: drawn only; the aggregate and participant columns follow from the others.
  void connect(std::optional<std::size_t> from, std::optional<std::size_t> to, int weight,
               ArrowKind kind = ArrowKind::flow) {
    if (!from || !to) return;
    if (weight > 0) edges_.push_back({*from, *to, weight});
    if (drawn_.insert({*from, *to}).second) board_.arrows.push_back({*from, *to, kind});
  }

  void add_flow() {
    for (const auto& c : model_.contexts) {
      for (const auto& x : c.commands) {
        const auto command = find(StickyKind::command, c.name, x.name);
        const auto aggregate = find(StickyKind::aggregate, c.name, x.aggregate.value);
        if (x.actor) {
          auto who = find(StickyKind::actor, "", x.actor->value);
          if (!who) who = find(StickyKind::external, "", x.actor->value);
          connect(who, command, 1);
        }
        connect(command, aggregate, 0);
        for (const auto& e : x.emits) {
          const auto event = find(StickyKind::event, c.name, e.value);
          const auto* declared = c.find_event(e.value);
          // The aggregate sits between a command and its events, as on a paper board.
          if (declared && declared->aggregate.value == x.aggregate.value) {
            connect(aggregate, event, 0);
            if (command && event) edges_.push_back({*command, *event, 2});
          } else {
            connect(command, event, 2);
          }
        }
      }
      for (const auto& p : c.policies) {
        const auto policy = find(StickyKind::policy, c.name, p.name);
        connect(find(StickyKind::event, c.name, p.when), policy, 1);
        connect(policy, find(StickyKind::command, c.name, p.then.value), 1);
        triggers_.insert(
            {key(StickyKind::event, p.when.context.empty() ? c.name : p.when.context, p.when.name),
             key(StickyKind::command, c.name, p.then.value)});
      }
      for (const auto& call : c.calls) {
        connect(find(StickyKind::command, c.name, call.from.value),
                find(StickyKind::command, c.name, call.to), 1, ArrowKind::sync);
      }
      for (const auto& v : c.views) {
        const auto view = find(StickyKind::view, c.name, v.name);
        for (const auto& p : v.projections) connect(find(StickyKind::event, c.name, p.on), view, 1);
      }
    }
    for (const auto& saga : model_.sagas) {
      const std::string here = saga.orchestrator ? saga.orchestrator->value : "";
      for (std::size_t i = 1; i < saga.steps.size(); ++i) {
        const auto& done = saga.steps[i - 1].completes_on;
        if (!done) continue;
        const auto& next = saga.steps[i].command;
        const auto event_key =
            key(StickyKind::event, done->context.empty() ? here : done->context, done->name);
        const auto command_key =
            key(StickyKind::command, next.context.empty() ? here : next.context, next.name);
        // A policy already draws this step; the saga adds only hand-offs nothing else shows.
        if (triggers_.count({event_key, command_key})) continue;
        connect(find(StickyKind::event, here, *done), find(StickyKind::command, here, next), 1,
                ArrowKind::saga);
      }
    }
  }

  /// Longest path from the sources, after dropping the edges that close a cycle (a policy
  /// that feeds its own aggregate), found by a depth-first search in model order.
  void rank() {
    const std::size_t n = board_.stickies.size();
    std::vector<std::vector<Edge>> out(n);
    std::vector<int> indegree(n, 0);
    for (const auto& e : edges_) {
      out[e.from].push_back(e);
      ++indegree[e.to];
    }
    std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
    std::vector<std::size_t> postorder;
    std::vector<std::vector<Edge>> kept(n);
    auto visit = [&](auto& self, std::size_t v) -> void {
      state[v] = 1;
      for (const auto& e : out[v]) {
        if (state[e.to] == 1) continue;  // closes a cycle
        kept[v].push_back(e);
        if (state[e.to] == 0) self(self, e.to);
      }
      state[v] = 2;
      postorder.push_back(v);
    };
    for (std::size_t v = 0; v < n; ++v)
      if (indegree[v] == 0 && state[v] == 0) visit(visit, v);
    for (std::size_t v = 0; v < n; ++v)
      if (state[v] == 0) visit(visit, v);

    auto& s = board_.stickies;
    for (auto it = postorder.rbegin(); it != postorder.rend(); ++it)
      for (const auto& e : kept[*it])
        s[e.to].column = std::max(s[e.to].column, s[*it].column + e.weight);

    // Participants stand just left of their first command; an aggregate just right of its
    // first command, or left of its first event when no command acts on it.
    std::map<std::size_t, int> after_command, before;
    for (const auto& a : board_.arrows) {
      const auto from = s[a.from].kind;
      const auto to = s[a.to].kind;
      if (from == StickyKind::command && to == StickyKind::aggregate) {
        auto [it, fresh] = after_command.try_emplace(a.to, s[a.from].column + 1);
        if (!fresh) it->second = std::min(it->second, s[a.from].column + 1);
      } else if (small(from) || from == StickyKind::aggregate) {
        auto [it, fresh] = before.try_emplace(a.from, s[a.to].column - 1);
        if (!fresh) it->second = std::min(it->second, s[a.to].column - 1);
      }
    }
    for (const auto& [v, column] : before) s[v].column = std::max(0, column);
    for (const auto& [v, column] : after_command) s[v].column = column;
  }

  void place() {
    auto& s = board_.stickies;
    int columns = 1;
    for (auto& sticky : s) {
      const int width = small(sticky.kind) ? small_width : sticky_width;
      sticky.lines = wrap(sticky.name, width - 2 * sticky_padding);
      const int text = static_cast<int>(sticky.lines.size()) * line_height + 2 * sticky_padding + 4;
      sticky.box.width = width;
      sticky.box.height = std::max(small(sticky.kind) ? 48 : 76, text);
      columns = std::max(columns, sticky.column + 1);
    }
    const int lane_width =
        2 * lane_inset + columns * column_stride - (column_stride - sticky_width);
    board_.width = 2 * margin + lane_width;

    std::vector<std::string> lanes;
    if (!model_.actors.empty() || !model_.externals.empty()) lanes.push_back("");
    for (const auto& c : model_.contexts) lanes.push_back(c.name);
    int y = margin + title_band;
    for (const auto& context : lanes) {
      Lane lane;
      lane.context = context;
      if (context.empty()) {
        lane.label = "Actors and external systems";
      } else {
        const auto* c = model_.find_context(context);
        lane.label = context + " (" + model::spelling(c->kind) +
                     (c->team.empty() ? "" : ", " + c->team) + ")";
      }
      std::map<int, int> next_y;  // column -> top of the next sticky in it
      int bottom = y + lane_label_band + 40;
      for (auto& sticky : s) {
        if (sticky.context != context) continue;
        auto [it, fresh] = next_y.try_emplace(sticky.column, y + lane_label_band);
        const int left = margin + lane_inset + sticky.column * column_stride;
        sticky.box.x = left + (sticky_width - sticky.box.width) / 2;
        sticky.box.y = it->second;
        it->second += sticky.box.height + stack_gap;
        bottom = std::max(bottom, sticky.box.y + sticky.box.height);
      }
      lane.box = {margin, y, lane_width, bottom + lane_inset - y};
      y = lane.box.y + lane.box.height + lane_gap;
      board_.lanes.push_back(std::move(lane));
    }
    board_.height = y - lane_gap + margin;
  }

  const model::Model& model_;
  Board board_;
  std::map<std::string, std::size_t> index_;
  std::vector<Edge> edges_;
  std::set<std::pair<std::size_t, std::size_t>> drawn_;
  std::set<std::pair<std::string, std::string>> triggers_;
};

}  // namespace

Board layout_board(const model::Model& model) { return Builder(model).build(); }

}  // namespace eskit::diagram
