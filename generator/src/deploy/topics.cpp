#include "topics.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "eskit/deploy/service_facts.hpp"

namespace eskit::deploy {

std::vector<Topic> topics(const model::Model& model) {
  std::map<std::string, Topic> by_name;
  std::map<std::string, std::set<std::string>> consumers;
  for (const auto& c : model.contexts) {
    if (!c.events.empty()) by_name[events_topic(c)] = Topic{events_topic(c), c.name, {}, false};
    auto consume = [&](const model::Ref& ref) {
      // Events of the own context come back through the own topic too (views, policies).
      const auto* from = model.find_context(ref.context.empty() ? c.name : ref.context);
      if (from) consumers[events_topic(*from)].insert(c.name);
    };
    for (const auto& p : c.policies) consume(p.when);
    for (const auto& v : c.views)
      for (const auto& pr : v.projections) consume(pr.on);
  }
  for (const auto& [topic, who] : consumers) {
    if (auto it = by_name.find(topic); it != by_name.end())
      it->second.consumers.assign(who.begin(), who.end());
  }
  // Saga steps subscribe too, and which ones is the generator's business, so every events
  // topic gets its dead-letter topic rather than only those a policy or view consumes.
  std::vector<Topic> dead_letters;
  for (const auto& [name, t] : by_name)
    dead_letters.push_back(Topic{name + ".dlq", "", t.consumers, true});
  for (auto& d : dead_letters) by_name[d.name] = std::move(d);
  std::vector<Topic> out;
  for (auto& [name, t] : by_name) out.push_back(std::move(t));
  return out;
}

}  // namespace eskit::deploy
