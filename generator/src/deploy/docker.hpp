// The container side: a multi-stage Dockerfile per service (and the gateway) and a
// docker-compose.yaml running the whole system with Kafka (KRaft) and PostgreSQL.
#pragma once

#include "eskit/deploy/service_facts.hpp"
#include "eskit/generate/plan.hpp"

namespace eskit::deploy {

void add_docker(const model::Model& model, const std::vector<ServiceFacts>& services,
                generate::Plan& plan);

}  // namespace eskit::deploy
