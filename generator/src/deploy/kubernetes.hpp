// The Kustomize tree under kubernetes/: base (one multi-document file per service, the gateway,
// the Ingress), the dev and prod overlays, and the optional Strimzi topics component.
#pragma once

#include "eskit/deploy/service_facts.hpp"
#include "eskit/generate/plan.hpp"

namespace eskit::deploy {

void add_kubernetes(const model::Model& model, const std::vector<ServiceFacts>& services,
                    generate::Plan& plan);

/// The gateway's environment (routes, upstreams, public login paths), shared with compose.
std::vector<EnvValue> gateway_environment(const model::Model& model);

}  // namespace eskit::deploy
