#include "eskit/deploy/plan.hpp"

#include <algorithm>

#include "docker.hpp"
#include "eskit/deploy/service_facts.hpp"
#include "kubernetes.hpp"

namespace eskit::deploy {

generate::Plan deploy_plan(const model::Model& model) {
  generate::Plan plan;
  const auto services = service_facts(model);
  add_kubernetes(model, services, plan);
  add_docker(model, services, plan);
  std::sort(plan.files.begin(), plan.files.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  return plan;
}

}  // namespace eskit::deploy
