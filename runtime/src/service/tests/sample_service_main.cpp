// A service written the way generated ones are: an "ordering" context whose command
// (POST /orders/{orderId}/place) changes the aggregate and appends OrderPlaced in one unit of
// work, and whose projection handles its own events into a view (GET /orders/{orderId}).
// The process-level tests start it as a child.
#include <boost/json.hpp>

#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/service/service.hpp"

namespace runtime = eskit::runtime;
namespace json = boost::json;

namespace {

runtime::service::Definition ordering() {
  runtime::service::Definition definition;
  definition.name = "ordering";
  definition.migrations = [](runtime::db::Dialect) {
    return std::vector<runtime::db::Migration>{
        {1, "orders", "create table orders (id text primary key, total bigint not null)"},
        {2, "order view",
         "create table order_view (id text primary key, total bigint not null, "
         "correlation_id text not null)"}};
  };
  definition.declare_settings = [](runtime::config::Schema& schema) {
    schema.string("ordering.eventsTopic", "ordering.events", "topic of the context's events");
  };
  definition.wire = [](runtime::service::Service& service) {
    const auto topic = service.config().string("ordering.eventsTopic");
    service.router().post("/orders/{orderId}/place", [&service,
                                                      topic](runtime::http::Request& request) {
      const auto& body = request.json().as_object();
      const auto* total = body.if_contains("total");
      if (total == nullptr || !total->is_int64() || total->as_int64() <= 0)
        throw runtime::http::Problem{400, "invalid-command", "total must be a positive integer"};
      const auto id = std::string(request.param("orderId"));
      auto uow = service.database().begin();
      if (uow.execute("insert into orders (id, total) values (:id, :total) on conflict do nothing",
                      id, total->as_int64()) == 0)
        throw runtime::http::Problem{409, "already-placed", "order " + id + " is already placed"};
      runtime::messaging::Outbox::append(
          uow,
          runtime::messaging::Envelope::make("OrderPlaced", "ordering", id,
                                             json::serialize(json::object{{"total", *total}})),
          topic);
      uow.commit();
      service.events_committed();
      service.logger().info("order placed", {{"orderId", id}});
      return runtime::http::Response::json(json::object{{"orderId", id}}, 201);
    });
    service.router().get("/orders/{orderId}", [&service](runtime::http::Request& request) {
      const auto id = std::string(request.param("orderId"));
      auto uow = service.database().begin();
      const auto total =
          uow.query_scalar<std::int64_t>("select total from order_view where id = :id", id);
      const auto correlation =
          uow.query_scalar<std::string>("select correlation_id from order_view where id = :id", id);
      uow.commit();
      if (!total) throw runtime::http::Problem{404, "not-found", "no order " + id + " in the view"};
      return runtime::http::Response::json(
          json::object{{"orderId", id}, {"total", *total}, {"correlationId", *correlation}});
    });
    service.subscribe("order-view", {topic},
                      [](runtime::db::UnitOfWork& uow, const runtime::messaging::Envelope& event) {
                        if (event.event_type != "OrderPlaced") return;
                        const auto data = json::parse(event.payload).as_object();
                        uow.execute(
                            "insert into order_view (id, total, correlation_id) values (:id, "
                            ":total, :correlation)",
                            event.aggregate_id, data.at("total").as_int64(), event.correlation_id);
                      });
    // A policy: its event is appended in the inbox's unit of work, and published at once.
    service.subscribe(
        "invoicing", {topic},
        [topic](runtime::db::UnitOfWork& uow, const runtime::messaging::Envelope& event) {
          if (event.event_type != "OrderPlaced") return;
          runtime::messaging::Outbox::append(
              uow,
              runtime::messaging::Envelope::make("InvoiceRequested", "ordering", event.aggregate_id,
                                                 event.payload, {}, event.event_id),
              topic);
        });
  };
  return definition;
}

}  // namespace

int main(int argc, char** argv) { return runtime::service::Service::main(ordering(), argc, argv); }
