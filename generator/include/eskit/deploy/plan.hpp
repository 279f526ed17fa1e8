// `eskit deploy`: the deployment artifacts of a model (docs/deployment.md) — Kustomize base and
// overlays, Dockerfiles, a docker-compose file — as one plan for generate::apply.
#pragma once

#include "eskit/generate/plan.hpp"
#include "eskit/model/model.hpp"

namespace eskit::deploy {

/// Every file under the deploy directory, sorted by path; byte-stable for one model.
generate::Plan deploy_plan(const model::Model& model);

}  // namespace eskit::deploy
