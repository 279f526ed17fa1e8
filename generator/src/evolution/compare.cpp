#include "eskit/evolution/compare.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>

namespace eskit::evolution {

namespace {

using model::Context;
using model::Field;
using model::Location;

const char* kCategory[] = {"wire", "http", "flow", "storage"};

// The type as written, less the optional marker: whether a value may be absent is judged from
// `required`, which `string?` and `required: false` both set.
std::string type_of(const Field& f) {
  std::string spelling = f.type ? f.type->spelling() : "";
  if (!spelling.empty() && spelling.back() == '?') spelling.pop_back();
  return spelling;
}

template <typename T>
const T* named(const std::vector<T>& items, std::string_view name) {
  for (const auto& item : items)
    if (item.name == name) return &item;
  return nullptr;
}

const Field* field_named(const std::vector<Field>& fields, std::string_view name) {
  return named(fields, name);
}

std::string route(const model::HttpBinding& h) { return h.method + " " + h.path; }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "'" : ", '") + item + "'";
  return out;
}

class Comparer {
 public:
  Comparer(const model::Model& old_model, const model::Model& new_model)
      : old_(old_model), new_(new_model) {}

  std::vector<Change> run() {
    for (const auto& oc : old_.contexts) {
      const Context* nc = new_.find_context(oc.name);
      if (!nc) {
        removed_context(oc);
        continue;
      }
      contexts(oc, *nc);
    }
    for (const auto& nc : new_.contexts)
      if (!old_.find_context(nc.name))
        add(Category::wire, Severity::safe, nc.where, "context " + nc.name, "context added");
    sagas();
    std::sort(changes_.begin(), changes_.end(), [](const Change& a, const Change& b) {
      return std::tie(a.where.line, a.where.column, a.message) <
             std::tie(b.where.line, b.where.column, b.message);
    });
    return std::move(changes_);
  }

 private:
  void add(Category category, Severity severity, const Location& where, std::string subject,
           std::string message) {
    changes_.push_back({category, severity, where, std::move(subject), std::move(message)});
  }
  void breaking(Category c, const Location& where, std::string subject, std::string message) {
    add(c, Severity::breaking, where, std::move(subject), std::move(message));
  }
  void safe(Category c, const Location& where, std::string subject, std::string message) {
    add(c, Severity::safe, where, std::move(subject), std::move(message));
  }

  void removed_context(const Context& oc) {
    const Location& root = new_.name.where;
    const std::string subject = "context " + oc.name;
    if (!oc.events.empty())
      breaking(Category::wire, root, subject,
               "context removed: its events are no longer published");
    bool api = std::any_of(oc.commands.begin(), oc.commands.end(),
                           [](const model::Command& c) { return c.http.has_value(); });
    for (const auto& v : oc.views)
      for (const auto& q : v.queries) api = api || q.http.has_value();
    if (api) breaking(Category::http, root, subject, "context removed: its routes are gone");
    if (!oc.policies.empty() || !oc.calls.empty())
      breaking(Category::flow, root, subject, "context removed: its policies and calls stop");
    if (!oc.aggregates.empty() || !oc.views.empty())
      breaking(Category::storage, root, subject, "context removed: its tables are dropped");
  }

  void contexts(const Context& oc, const Context& nc) {
    enums(oc, nc);
    records(oc, nc);
    events(oc, nc);
    commands(oc, nc);
    queries(oc, nc);
    policies(oc, nc);
    calls(oc, nc);
    aggregates(oc, nc);
    views(oc, nc);
  }

  // ---- wire ------------------------------------------------------------------------------

  void enums(const Context& oc, const Context& nc) {
    for (const auto& ot : oc.types) {
      const model::ValueType* nt = named(nc.types, ot.name);
      if (!ot.is_enum || !nt || !nt->is_enum) continue;
      std::vector<std::string> gone;
      for (const auto& v : ot.enum_values) {
        if (std::none_of(nt->enum_values.begin(), nt->enum_values.end(),
                         [&](const model::Text& n) { return n.value == v.value; }))
          gone.push_back(v.value);
      }
      if (!gone.empty()) {
        breaking(
            Category::wire, nt->where, "enum " + nc.name + "." + nt->name,
            "value " + joined(gone) + " removed: stored rows and published events may hold it");
      }
      for (const auto& v : nt->enum_values) {
        if (std::none_of(ot.enum_values.begin(), ot.enum_values.end(),
                         [&](const model::Text& o) { return o.value == v.value; }))
          safe(Category::wire, v.where, "enum " + nc.name + "." + nt->name,
               "value '" + v.value + "' added");
      }
    }
  }

  static bool same_fields(const model::Event& a, const model::Event& b) {
    if (a.fields.size() != b.fields.size()) return false;
    for (const auto& f : a.fields) {
      const Field* g = field_named(b.fields, f.name);
      if (!g || type_of(*g) != type_of(f) || g->required != f.required) return false;
    }
    return true;
  }

  void events(const Context& oc, const Context& nc) {
    std::set<std::string> renamed_to;
    for (const auto& oe : oc.events) {
      const std::string subject = "event " + oc.name + "." + oe.name;
      const model::Event* ne = nc.find_event(oe.name);
      if (!ne) {
        // A new event with exactly the old one's fields is the same event under a new name:
        // consumers subscribed by name lose it all the same.
        const model::Event* rename = nullptr;
        for (const auto& candidate : nc.events)
          if (!oc.find_event(candidate.name) && same_fields(oe, candidate)) rename = &candidate;
        if (rename) {
          renamed_to.insert(rename->name);
          breaking(Category::wire, rename->where, subject,
                   "renamed to '" + rename->name + "': consumers subscribed to '" + oe.name +
                       "' no longer receive it");
        } else {
          breaking(Category::wire, nc.where, subject, "removed: consumers no longer receive it");
        }
        continue;
      }
      event_fields(subject, oe, *ne);
    }
    for (const auto& ne : nc.events) {
      if (!oc.find_event(ne.name) && !renamed_to.count(ne.name))
        safe(Category::wire, ne.where, "event " + nc.name + "." + ne.name, "added");
    }
  }

  // Consumers read events, including old ones replayed from the topic or an outbox: a field
  // they can no longer count on, or one old events lack, breaks them.
  void event_fields(const std::string& subject, const model::Event& oe, const model::Event& ne) {
    wire_fields(subject, oe.fields, ne.fields, ne.where);
  }

  // Value objects travel inside events (and answers) exactly as their fields say.
  void records(const Context& oc, const Context& nc) {
    for (const auto& ot : oc.types) {
      const model::ValueType* nt = named(nc.types, ot.name);
      if (ot.is_enum || !nt || nt->is_enum) continue;
      wire_fields("type " + nc.name + "." + nt->name, ot.fields, nt->fields, nt->where);
    }
  }

  void wire_fields(const std::string& subject, const std::vector<Field>& old_fields,
                   const std::vector<Field>& new_fields, const Location& parent) {
    for (const auto& of : old_fields) {
      const Field* nf = field_named(new_fields, of.name);
      if (!nf) {
        breaking(Category::wire, parent, subject, "field '" + of.name + "' removed");
      } else if (type_of(*nf) != type_of(of)) {
        breaking(Category::wire, nf->where, subject,
                 "field '" + of.name + "' retyped from " + type_of(of) + " to " + type_of(*nf));
      } else if (of.required && !nf->required) {
        breaking(Category::wire, nf->where, subject,
                 "field '" + of.name + "' made optional: consumers may now receive no value");
      } else if (!of.required && nf->required) {
        breaking(Category::wire, nf->where, subject,
                 "field '" + of.name + "' made required: events already published lack it");
      }
    }
    for (const auto& nf : new_fields) {
      if (field_named(old_fields, nf.name)) continue;
      if (nf.required) {
        breaking(Category::wire, nf.where, subject,
                 "required field '" + nf.name + "' added: events already published lack it");
      } else {
        safe(Category::wire, nf.where, subject, "optional field '" + nf.name + "' added");
      }
    }
  }

  // ---- http ------------------------------------------------------------------------------

  void roles(const std::string& subject, const std::vector<model::Text>& old_roles,
             const std::vector<model::Text>& new_roles, const Location& where) {
    auto values = [](const std::vector<model::Text>& roles) {
      std::set<std::string> out;
      for (const auto& r : roles) out.insert(r.value);
      return out;
    };
    const auto before = values(old_roles), after = values(new_roles);
    if (before.empty() && !after.empty()) {
      breaking(Category::http, where, subject,
               "now needs a token with role " + joined({after.begin(), after.end()}));
      return;
    }
    if (after.empty()) {
      if (!before.empty()) safe(Category::http, where, subject, "no longer needs a role");
      return;
    }
    std::vector<std::string> lost, gained;
    for (const auto& r : before)
      if (!after.count(r)) lost.push_back(r);
    for (const auto& r : after)
      if (!before.count(r)) gained.push_back(r);
    if (!lost.empty())
      breaking(Category::http, where, subject, "role " + joined(lost) + " no longer allowed");
    if (!gained.empty())
      safe(Category::http, where, subject, "role " + joined(gained) + " now allowed");
  }

  void commands(const Context& oc, const Context& nc) {
    for (const auto& ocmd : oc.commands) {
      if (!ocmd.http) continue;  // only what clients call is API
      const std::string subject = "command " + oc.name + "." + ocmd.name;
      const model::Command* ncmd = nc.find_command(ocmd.name);
      if (!ncmd) {
        breaking(Category::http, nc.where, subject,
                 "removed: route " + route(*ocmd.http) + " is gone");
        continue;
      }
      if (!ncmd->http) {
        breaking(Category::http, ncmd->where, subject,
                 "route " + route(*ocmd.http) + " removed: clients can no longer call it");
        continue;
      }
      if (route(*ocmd.http) != route(*ncmd->http)) {
        breaking(Category::http, ncmd->http->where, subject,
                 "route changed from " + route(*ocmd.http) + " to " + route(*ncmd->http));
      }
      inputs(subject, ocmd, *ncmd);
      roles(subject, ocmd.roles, ncmd->roles, ncmd->where);
    }
    for (const auto& ncmd : nc.commands) {
      if (!ncmd.http) continue;
      const model::Command* ocmd = oc.find_command(ncmd.name);
      if (!ocmd || !ocmd->http)
        safe(Category::http, ncmd.http->where, "command " + nc.name + "." + ncmd.name,
             "route " + route(*ncmd.http) + " added");
    }
  }

  // Clients write inputs: what they must now send, or send differently, breaks them.
  void inputs(const std::string& subject, const model::Command& o, const model::Command& n) {
    for (const auto& of : o.input) {
      const Field* nf = n.find_input(of.name);
      if (!nf) {
        safe(Category::http, n.where, subject, "input '" + of.name + "' no longer read");
      } else if (type_of(*nf) != type_of(of)) {
        breaking(Category::http, nf->where, subject,
                 "input '" + of.name + "' retyped from " + type_of(of) + " to " + type_of(*nf));
      } else if (!of.required && nf->required) {
        breaking(Category::http, nf->where, subject, "input '" + of.name + "' made required");
      } else if (of.required && !nf->required) {
        safe(Category::http, nf->where, subject, "input '" + of.name + "' made optional");
      }
    }
    for (const auto& nf : n.input) {
      if (o.find_input(nf.name)) continue;
      if (nf.required) {
        breaking(Category::http, nf.where, subject,
                 "required input '" + nf.name + "' added: existing clients do not send it");
      } else {
        safe(Category::http, nf.where, subject, "optional input '" + nf.name + "' added");
      }
    }
  }

  void queries(const Context& oc, const Context& nc) {
    for (const auto& ov : oc.views) {
      const model::View* nv = nc.find_view(ov.name);
      for (const auto& oq : ov.queries) {
        if (!oq.http) continue;
        const std::string subject = "query " + oc.name + "." + oq.name;
        const model::Query* nq = nv ? named(nv->queries, oq.name) : nullptr;
        if (!nq || !nq->http) {
          breaking(Category::http, nv ? nv->where : nc.where, subject,
                   "removed: route " + route(*oq.http) + " is gone");
          continue;
        }
        if (route(*oq.http) != route(*nq->http)) {
          breaking(Category::http, nq->http->where, subject,
                   "route changed from " + route(*oq.http) + " to " + route(*nq->http));
        }
        for (const auto& f : oq.filter) {
          if (std::none_of(nq->filter.begin(), nq->filter.end(),
                           [&](const model::Text& n) { return n.value == f.value; }))
            breaking(Category::http, nq->where, subject,
                     "filter '" + f.value + "' removed: clients using it get 400");
        }
        roles(subject, oq.roles, nq->roles, nq->where);
      }
    }
    for (const auto& nv : nc.views) {
      const model::View* ov = oc.find_view(nv.name);
      for (const auto& nq : nv.queries) {
        if (nq.http && (!ov || !named(ov->queries, nq.name)))
          safe(Category::http, nq.http->where, "query " + nc.name + "." + nq.name,
               "route " + route(*nq.http) + " added");
      }
    }
  }

  // ---- flow ------------------------------------------------------------------------------

  void policies(const Context& oc, const Context& nc) {
    for (const auto& op : oc.policies) {
      const std::string subject = "policy " + oc.name + "." + op.name;
      const model::Policy* np = named(nc.policies, op.name);
      if (!np) {
        breaking(Category::flow, nc.where, subject,
                 "removed: " + op.when.spelling() + " no longer leads to " + op.then.value);
        continue;
      }
      if (np->when.spelling() != op.when.spelling())
        breaking(Category::flow, np->when.where, subject,
                 "now reacts to " + np->when.spelling() + " instead of " + op.when.spelling());
      if (np->then.value != op.then.value)
        breaking(Category::flow, np->then.where, subject,
                 "now issues " + np->then.value + " instead of " + op.then.value);
    }
    for (const auto& np : nc.policies)
      if (!named(oc.policies, np.name))
        safe(Category::flow, np.where, "policy " + nc.name + "." + np.name, "added");
  }

  void calls(const Context& oc, const Context& nc) {
    for (const auto& ok : oc.calls) {
      const std::string subject = "sync call " + oc.name + "." + ok.name;
      const model::SyncCall* nk = named(nc.calls, ok.name);
      if (!nk) {
        breaking(Category::flow, nc.where, subject,
                 "removed: " + ok.from.value + " no longer waits for " + ok.to.spelling());
      } else if (nk->to.spelling() != ok.to.spelling()) {
        breaking(Category::flow, nk->to.where, subject,
                 "now calls " + nk->to.spelling() + " instead of " + ok.to.spelling());
      }
    }
    for (const auto& nk : nc.calls)
      if (!named(oc.calls, nk.name))
        safe(Category::flow, nk.where, "sync call " + nc.name + "." + nk.name, "added");
  }

  void sagas() {
    for (const auto& os : old_.sagas) {
      const std::string subject = "saga " + os.name;
      const model::Saga* ns = named(new_.sagas, os.name);
      if (!ns) {
        breaking(Category::flow, new_.name.where, subject,
                 "removed: its steps and compensations no longer run");
        continue;
      }
      for (const auto& step : os.steps) {
        const model::SagaStep* ns_step = nullptr;
        for (const auto& candidate : ns->steps)
          if (candidate.name.value == step.name.value) ns_step = &candidate;
        if (!ns_step) {
          breaking(Category::flow, ns->where, subject, "step '" + step.name.value + "' removed");
          continue;
        }
        if (step.compensation && !ns_step->compensation) {
          breaking(Category::flow, ns_step->where, subject,
                   "step '" + step.name.value + "': compensation " + step.compensation->spelling() +
                       " removed");
        } else if (step.compensation &&
                   step.compensation->spelling() != ns_step->compensation->spelling()) {
          breaking(Category::flow, ns_step->compensation->where, subject,
                   "step '" + step.name.value + "': compensation changed from " +
                       step.compensation->spelling() + " to " + ns_step->compensation->spelling());
        }
      }
      for (const auto& step : ns->steps) {
        if (std::none_of(os.steps.begin(), os.steps.end(),
                         [&](const model::SagaStep& o) { return o.name.value == step.name.value; }))
          safe(Category::flow, step.where, subject, "step '" + step.name.value + "' added");
      }
    }
    for (const auto& ns : new_.sagas)
      if (!named(old_.sagas, ns.name)) safe(Category::flow, ns.where, "saga " + ns.name, "added");
  }

  // ---- storage ---------------------------------------------------------------------------

  // Rows already stored: a dropped or retyped column loses or breaks them, a new required
  // column without a default has no value for them.
  void columns(const std::string& subject, const std::vector<Field>& old_fields,
               const std::vector<Field>& new_fields, const Location& parent) {
    for (const auto& of : old_fields) {
      const Field* nf = field_named(new_fields, of.name);
      if (!nf) {
        breaking(Category::storage, parent, subject,
                 "field '" + of.name + "' removed: its column is dropped");
      } else if (type_of(*nf) != type_of(of)) {
        breaking(Category::storage, nf->where, subject,
                 "field '" + of.name + "' retyped from " + type_of(of) + " to " + type_of(*nf) +
                     ": stored values may not convert");
      }
    }
    for (const auto& nf : new_fields) {
      if (field_named(old_fields, nf.name)) continue;
      if (nf.required && !nf.default_value) {
        breaking(Category::storage, nf.where, subject,
                 "required field '" + nf.name +
                     "' added without a default: stored rows have no "
                     "value for it");
      } else {
        safe(Category::storage, nf.where, subject, "field '" + nf.name + "' added");
      }
    }
  }

  void aggregates(const Context& oc, const Context& nc) {
    for (const auto& oa : oc.aggregates) {
      const std::string subject = "aggregate " + oc.name + "." + oa.name;
      const model::Aggregate* na = nc.find_aggregate(oa.name);
      if (!na) {
        breaking(Category::storage, nc.where, subject, "removed: its table is dropped");
        continue;
      }
      columns(subject, oa.fields, na->fields, na->where);
      for (const auto& of : oa.fields) {
        const Field* nf = field_named(na->fields, of.name);
        if (nf && nf->secret && !of.secret)
          breaking(Category::http, nf->where, subject,
                   "field '" + of.name + "' made secret: answers no longer carry it");
      }
      if (oa.lifecycle && na->lifecycle) {
        std::vector<std::string> gone;
        for (const auto& s : oa.lifecycle->states) {
          const auto& states = na->lifecycle->states;
          if (std::none_of(states.begin(), states.end(),
                           [&](const model::Text& n) { return n.value == s.value; }))
            gone.push_back(s.value);
        }
        if (!gone.empty())
          breaking(Category::storage, na->lifecycle->where, subject,
                   "lifecycle state " + joined(gone) + " removed: stored rows may be in it");
      }
    }
    for (const auto& na : nc.aggregates)
      if (!oc.find_aggregate(na.name))
        safe(Category::storage, na.where, "aggregate " + nc.name + "." + na.name, "added");
  }

  void views(const Context& oc, const Context& nc) {
    for (const auto& ov : oc.views) {
      const std::string subject = "view " + oc.name + "." + ov.name;
      const model::View* nv = nc.find_view(ov.name);
      if (!nv) {
        breaking(Category::storage, nc.where, subject, "removed: its table is dropped");
        continue;
      }
      columns(subject, ov.fields, nv->fields, nv->where);
    }
    for (const auto& nv : nc.views)
      if (!oc.find_view(nv.name))
        safe(Category::storage, nv.where, "view " + nc.name + "." + nv.name, "added");
  }

  const model::Model& old_;
  const model::Model& new_;
  std::vector<Change> changes_;
};

}  // namespace

const char* spelling(Category category) { return kCategory[static_cast<int>(category)]; }
const char* spelling(Severity severity) {
  return severity == Severity::breaking ? "breaking" : "safe";
}

std::vector<Change> compare(const model::Model& old_model, const model::Model& new_model) {
  return Comparer(old_model, new_model).run();
}

}  // namespace eskit::evolution
