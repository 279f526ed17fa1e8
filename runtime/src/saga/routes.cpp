#include "eskit/runtime/saga/routes.hpp"

#include <algorithm>

#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "eskit/runtime/text/did_you_mean.hpp"

namespace eskit::runtime::saga {

void add_routes(http::Router& router, db::Database database, std::vector<std::string> sagas) {
  router.get("/sagas/{saga}/{correlationId}",
             [database = std::move(database), sagas = std::move(sagas)](http::Request& request) {
               const auto& saga = request.param("saga");
               const auto& correlation_id = request.param("correlationId");
               if (std::find(sagas.begin(), sagas.end(), saga) == sagas.end()) {
                 std::string detail = "no saga '" + saga + "' here";
                 if (const auto hint = text::did_you_mean(saga, sagas); !hint.empty())
                   detail += "; " + hint;
                 throw http::Problem(404, "unknown-saga", detail);
               }
               const auto instance = SagaStore::find(database, saga, correlation_id);
               if (!instance)
                 throw http::Problem(404, "unknown-saga-instance",
                                     "saga " + saga + " has no instance with correlation id '" +
                                         correlation_id + "'");
               http::Response response;
               response.headers.set("Content-Type", "application/json");
               response.body = to_json(*instance);
               return response;
             });
}

}  // namespace eskit::runtime::saga
