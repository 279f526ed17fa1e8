#pragma once
// The sagas' history over HTTP:
//   GET /sagas/{saga}/{correlationId}  → 200, the instance and its history (SagaStore's to_json)
//                                       404 for a saga not served here or an unknown instance
#include <string>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/http/router.hpp"

namespace eskit::runtime::saga {

// `sagas`: the names of the sagas this service orchestrates or tracks.
void add_routes(http::Router& router, db::Database database, std::vector<std::string> sagas);

}  // namespace eskit::runtime::saga
