// What crosses a context boundary: policies (event -> command), synchronous calls, sagas.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "checker.hpp"

namespace eskit::model::checks {

using K = ValueKind::Kind;

namespace {

// A correlation or join value must be a plain field of the event, not a computation.
bool plain_field(const Expression& e) {
  return e.tree && e.tree->kind == Expr::Kind::path && e.tree->path.size() == 1;
}

}  // namespace

void Checker::check_policy(const Context& c, const Policy& p) {
  std::string what = "policy '" + p.name + "'";
  const Context* source = nullptr;
  const Event* e = event_ref(c, p.when, what, &source);
  const Command* cmd = nullptr;
  if (!p.then.value.empty()) {
    if (auto dot = p.then.value.find('.'); dot != std::string::npos) {
      std::string ctx = p.then.value.substr(0, dot);
      d_.error(p.then.where,
               what + " issues '" + p.then.value +
                   "' of another context; a policy "
                   "issues a command of its own context",
               "move the policy into context '" + ctx + "', next to the command it issues");
    } else {
      cmd = command_ref(&c, Ref{"", p.then.value, p.then.where}, what);
    }
  }
  if (cmd && cmd->kind == CommandKind::query) {
    d_.error(p.then.where, what + " issues '" + cmd->name +
                               "', which is a query; a policy "
                               "reacts by changing something");
    return;
  }
  if (!e || !cmd || !source) return;
  const Aggregate* a = c.find_aggregate(cmd->aggregate.value);
  Scope scope;
  scope.groups.push_back({"event", true, symbols_of(*source, e->fields)});
  scope.groups.push_back({"config", false, config_symbols(c)});
  scope.description = "the fields of event '" + e->name + "'";
  if (p.condition) {
    ValueKind boolean;
    boolean.kind = K::boolean;
    expect(scope, c, *p.condition, boolean, "'if'");
  }

  // Correlation: which event field finds the target aggregate.
  if (a) {
    std::vector<Symbol> targets = aggregate_symbols(c, *a);
    bool finds = false;
    bool correlate_reported = false;  // an error above already concerns the correlation
    for (const auto& m : p.correlate) {
      auto it = std::find_if(targets.begin(), targets.end(),
                             [&](const Symbol& s) { return s.name == m.target.value; });
      if (it == targets.end()) {
        std::vector<std::string> names;
        for (const auto& s : targets) names.push_back(s.name);
        d_.error(m.target.where,
                 what + " correlates on '" + m.target.value + "', which is not a field of '" +
                     a->name + "'",
                 did_you_mean(m.target.value, names));
        correlate_reported = true;
        continue;
      }
      const Field* f = a->find_field(m.target.value);
      if (m.target.value == a->id.value || (f && f->unique)) finds = true;
      if (!m.value.tree) continue;
      if (!plain_field(m.value)) {
        d_.error(m.value.where, what +
                                    ": a correlation maps an aggregate field to one event "
                                    "field, such as '" +
                                    m.target.value + ": " + m.target.value + "'");
        continue;
      }
      const Field* ef = e->find_field(m.value.tree->path[0]);
      if (!ef) {
        std::vector<std::string> names;
        for (const auto& x : e->fields) names.push_back(x.name);
        d_.error(m.value.where,
                 what + " correlates with '" + m.value.tree->path[0] +
                     "', which is not a field of event '" + e->name + "'",
                 did_you_mean(m.value.tree->path[0], names));
        continue;
      }
      ValueKind want = kind_of(c, it->type);
      ValueKind have = kind_of(*source, ef->type);
      if (!assignable(want, have)) {
        d_.error(m.value.where, what + " correlates '" + a->name + "." + m.target.value + "' (" +
                                    want.describe() + ") with '" + e->name + "." + ef->name +
                                    "' (" + have.describe() + "); the types must match");
      }
    }
    // The field that finds the target: the id, or the unique field the command finds by.
    std::string key = cmd->find_by ? cmd->find_by->value : a->id.value;
    if (cmd->kind != CommandKind::create && !finds && !correlate_reported) {
      if (p.correlate.empty()) {
        d_.error(p.where,
                 what + " issues '" + cmd->name + "' on an existing '" + a->name +
                     "' but does not say which one",
                 "add 'correlate: { " + key + ": <field of " + e->name + "> }'");
      } else {
        const Text& t = p.correlate.front().target;
        d_.error(t.where,
                 what + " correlates on '" + t.value +
                     "', which is neither the id nor "
                     "a unique field of '" +
                     a->name + "', so it does not find one",
                 "correlate on '" + key + "'");
      }
    }
  }

  // The command's input: mapped explicitly or taken from same-named event fields.
  for (const auto& m : p.map) {
    const Field* in = cmd->find_input(m.target.value);
    if (!in) {
      std::vector<std::string> names;
      for (const auto& f : cmd->input) names.push_back(f.name);
      d_.error(
          m.target.where,
          what + " maps '" + m.target.value + "', which is not an input of '" + cmd->name + "'",
          did_you_mean(m.target.value, names));
      continue;
    }
    expect(scope, c, m.value, kind_of(c, in->type), "input '" + in->name + "'");
  }
  for (const auto& in : cmd->input) {
    bool mapped = std::any_of(p.map.begin(), p.map.end(),
                              [&](const Assignment& m) { return m.target.value == in.name; });
    if (mapped) continue;
    const Field* ef = e->find_field(in.name);
    // Correlation also supplies the aggregate's id input.
    bool correlated = std::any_of(p.correlate.begin(), p.correlate.end(),
                                  [&](const Assignment& m) { return m.target.value == in.name; });
    if (ef) {
      ValueKind want = kind_of(c, in.type);
      ValueKind have = kind_of(*source, ef->type);
      if (!assignable(want, have)) {
        d_.error(p.where,
                 what + " passes event field '" + ef->name + "' (" + have.describe() +
                     ") to input '" + in.name + "' (" + want.describe() + ")",
                 "map it explicitly with 'map: { " + in.name + ": ... }'");
      }
    } else if (!correlated && in.required && !in.default_value) {
      d_.error(p.where,
               what + " cannot fill the required input '" + in.name + "' of '" + cmd->name +
                   "': event '" + e->name + "' has no field of that name",
               "add 'map: { " + in.name + ": <expression over " + e->name + "> }'");
    }
  }
}

void Checker::check_call(const Context& c, const SyncCall& call) {
  std::string what = "call '" + call.name + "'";
  const Command* from = nullptr;
  if (!call.from.value.empty()) {
    from = command_ref(&c, Ref{"", call.from.value, call.from.where}, what);
  }
  const Context* target_context = nullptr;
  const Command* to = nullptr;
  if (!call.to.name.empty()) {
    if (call.to.context.empty() && !c.find_command(call.to.name)) {
      std::string hint;
      for (const auto& other : m_.contexts) {
        if (other.find_command(call.to.name))
          hint = "write '" + other.name + "." + call.to.name + "'";
      }
      d_.error(call.to.where,
               what + " must name the context it calls, as in 'context." + call.to.name + "'",
               hint);
    } else if (call.to.context.empty() || call.to.context == c.name) {
      d_.error(call.to.where, what + " must call another context ('context.Command'); within '" +
                                  c.name + "' a command needs no synchronous call");
    } else {
      to = command_ref(&c, call.to, what, &target_context);
    }
  }
  if (to && !to->http) {
    d_.error(call.to.where, what + " calls '" + call.to.spelling() +
                                "', which has no 'http' "
                                "binding to be called through");
  }
  if (!call.timeout_ms) {
    d_.error(call.where,
             what +
                 " has no timeout; a synchronous call without one can hang its "
                 "caller",
             "add e.g. 'timeout: 2s'");
  } else if (*call.timeout_ms == 0) {
    d_.error(call.where, what + " has a zero timeout");
  }
  const BreakerSettings& b = call.breaker;
  if (b.enabled) {
    if (!b.time_window && b.min_calls > b.window) {
      d_.error(b.where, "breaker of " + what + ": min_calls (" + std::to_string(b.min_calls) +
                            ") exceeds the window (" + std::to_string(b.window) +
                            " calls), so it could never open");
    }
    if (call.timeout_ms && b.slow_call_ms > *call.timeout_ms) {
      d_.warning(b.where, "breaker of " + what +
                              ": slow_call is longer than the timeout, so no "
                              "call is ever counted as slow");
    }
  }
  if (call.retry.attempts > 1 && to && to->kind != CommandKind::query) {
    d_.warning(call.retry.where, what + " retries '" + to->name +
                                     "', which changes state; the "
                                     "callee must treat repeats as one (eskit sends an "
                                     "idempotency key)");
  }
  if (call.fallback.kind == FallbackKind::cached && to && to->kind != CommandKind::query) {
    d_.error(call.fallback.where,
             "a cached fallback answers with the last result, which only "
             "makes sense for a query; '" +
                 to->name + "' is a " + spelling(to->kind) + " command");
  }
  // Only a command on an existing aggregate answers 404 for one that does not exist; on a
  // create the key would never apply, and a model that says it would mislead its reader.
  if (call.not_found == NotFound::proceed && to && to->kind == CommandKind::create) {
    d_.error(call.not_found_where,
             "'not_found: proceed' never applies to " + what + ": '" + to->name +
                 "' is a create command, which has no existing aggregate to miss");
  }
  if (!from || !to || !target_context) return;
  Scope scope = command_scope(c, *from);
  for (const auto& m : call.map) {
    const Field* in = to->find_input(m.target.value);
    if (!in) {
      std::vector<std::string> names;
      for (const auto& f : to->input) names.push_back(f.name);
      d_.error(m.target.where,
               what + " maps '" + m.target.value + "', which is not an input of '" +
                   call.to.spelling() + "'",
               did_you_mean(m.target.value, names));
      continue;
    }
    expect(scope, c, m.value, kind_of(*target_context, in->type), "input '" + in->name + "'");
  }
  for (const auto& in : to->input) {
    bool mapped = std::any_of(call.map.begin(), call.map.end(),
                              [&](const Assignment& m) { return m.target.value == in.name; });
    if (mapped || !in.required || in.default_value) continue;
    bool found = false;
    for (const auto& g : scope.groups) {
      for (const auto& s : g.symbols) found |= g.bare && s.name == in.name;
    }
    if (!found) {
      d_.error(call.where,
               what + " cannot fill the required input '" + in.name + "' of '" +
                   call.to.spelling() + "' from '" + from->name + "'",
               "add 'map: { " + in.name + ": <expression> }'");
    }
  }
}

void Checker::check_call_cycles() {
  // Contexts calling each other synchronously fail together and can deadlock; the graph of
  // calls must be acyclic.
  std::map<std::string, std::vector<const SyncCall*>> edges;
  for (const auto& c : m_.contexts) {
    for (const auto& call : c.calls) {
      if (!call.to.context.empty() && m_.find_context(call.to.context) &&
          call.to.context != c.name) {
        edges[c.name].push_back(&call);
      }
    }
  }
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::set<const SyncCall*> reported;
  std::function<void(const std::string&)> visit = [&](const std::string& node) {
    state[node] = 1;
    path.push_back(node);
    for (const SyncCall* call : edges[node]) {
      const std::string& next = call->to.context;
      if (state[next] == 1 && !reported.count(call)) {
        reported.insert(call);
        std::string cycle;
        auto start = std::find(path.begin(), path.end(), next);
        for (auto it = start; it != path.end(); ++it) cycle += *it + " -> ";
        cycle += next;
        d_.error(call->where,
                 "call '" + call->name + "' closes a cycle of synchronous calls: " + cycle,
                 "make one direction asynchronous with an event and a policy");
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    path.pop_back();
    state[node] = 2;
  };
  for (const auto& c : m_.contexts) {
    if (state[c.name] == 0) visit(c.name);
  }
}

void Checker::check_saga(const Saga& s) {
  std::string what = "saga '" + s.name + "'";
  auto qualified_hint = [&](const std::string& event) {
    for (const auto& c : m_.contexts) {
      if (c.find_event(event)) return "write '" + c.name + "." + event + "'";
    }
    return std::string();
  };
  if (s.style == SagaStyle::orchestration) {
    if (!s.orchestrator) {
      d_.error(s.where, what + " is orchestrated but names no 'orchestrator' context");
    } else {
      context_named(*s.orchestrator, what);
    }
  } else if (s.orchestrator) {
    d_.error(s.orchestrator->where, what +
                                        " is a choreography, which has no orchestrator; "
                                        "use 'style: orchestration' or drop 'orchestrator'");
  }
  if (s.steps.size() < 2) {
    d_.error(s.where, what + " has " + std::to_string(s.steps.size()) +
                          " step(s); a saga coordinates at least two");
  }
  auto carries_correlation = [&](const Event& e, const Ref& ref) {
    if (s.correlation.value.empty() || e.find_field(s.correlation.value)) return;
    d_.error(ref.where, "event '" + ref.spelling() + "' has no field '" + s.correlation.value +
                            "', so it cannot be tied to an instance of " + what);
  };
  const SagaStep* pivot = nullptr;
  for (const auto& step : s.steps) {
    std::string step_what = "step '" + step.name.value + "' of " + what;
    command_ref(nullptr, step.command, step_what);
    if (step.completes_on) {
      if (const Context* c = step.completes_on->context.empty()
                                 ? nullptr
                                 : m_.find_context(step.completes_on->context)) {
        if (const Event* e = event_ref(*c, *step.completes_on, step_what)) {
          carries_correlation(*e, *step.completes_on);
        }
      } else {
        d_.error(step.completes_on->where,
                 step_what + " must name the event's context, as in 'context." +
                     step.completes_on->name + "'",
                 qualified_hint(step.completes_on->name));
      }
    }
    for (const auto& f : step.fails_on) {
      const Context* c = f.context.empty() ? nullptr : m_.find_context(f.context);
      if (!c) {
        d_.error(f.where,
                 step_what + " must name the event's context, as in 'context." + f.name + "'",
                 qualified_hint(f.name));
        continue;
      }
      if (const Event* e = event_ref(*c, f, step_what)) carries_correlation(*e, f);
    }
    const Command* compensation =
        step.compensation ? command_ref(nullptr, *step.compensation, step_what) : nullptr;
    if (compensation && compensation->kind == CommandKind::query) {
      d_.error(step.compensation->where, step_what + ": compensation '" +
                                             step.compensation->spelling() +
                                             "' is a query; a compensation undoes a change");
    }
    if (step.pivot) {
      if (pivot) {
        d_.error(step.where, step_what +
                                 " is a second pivot; a saga has one point of no return "
                                 "(the first is '" +
                                 pivot->name.value + "')");
      }
      if (step.compensation) {
        d_.error(step.compensation->where, step_what +
                                               " is the pivot, the point of no return, "
                                               "so it has no compensation");
      }
      pivot = &step;
    } else if (!step.compensation && !step.retriable) {
      d_.error(step.where, step_what + " has no compensation",
               "add 'compensation: context.Command', or mark it 'pivot: true' or "
               "'retriable: true'");
    } else if (pivot && !step.retriable) {
      d_.error(step.where, step_what + " comes after the pivot '" + pivot->name.value +
                               "', so it can no longer be compensated; mark it 'retriable: true'");
    }
  }
}

}  // namespace eskit::model::checks
