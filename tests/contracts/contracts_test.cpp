// The mapping from the typed model to OpenAPI, AsyncAPI and event JSON Schemas: what each
// document says about types, required fields, paths, errors, security and topics.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "eskit/contracts/asyncapi.hpp"
#include "eskit/contracts/event_schema.hpp"
#include "eskit/contracts/json_text.hpp"
#include "eskit/contracts/openapi.hpp"
#include "eskit/contracts/plan.hpp"
#include "eskit/contracts/type_schema.hpp"
#include "eskit/model/load.hpp"

namespace {

namespace json = boost::json;

std::shared_ptr<const eskit::model::Model> load(const std::string& text) {
  auto source = std::make_shared<const eskit::model::SourceFile>("test.yaml", text);
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(source, diagnostics);
  for (const auto& d : diagnostics.all()) ADD_FAILURE() << d.where.line << ": " << d.message;
  return model;
}

/// `doc` at a JSON pointer, failing the test (not crashing) when it is absent.
const json::value& at(const json::value& doc, const std::string& pointer) {
  static const json::value missing;
  boost::system::error_code ec;
  const json::value* found = doc.find_pointer(pointer, ec);
  if (found == nullptr) {
    ADD_FAILURE() << "no " << pointer << " in " << json::serialize(doc).substr(0, 400);
    return missing;
  }
  return *found;
}

bool has(const json::value& doc, const std::string& pointer) {
  boost::system::error_code ec;
  return doc.find_pointer(pointer, ec) != nullptr;
}

const char* shop = R"(model: shop
version: 2.1.0
roles: [CLERK, MANAGER]
contexts:
  ordering:
    kind: core
    description: Takes orders.
    types:
      Money: { fields: { amount: decimal, currency: string } }
      Line: { fields: { sku: string, price: Money } }
      Channel: { enum: [WEB, SHOP] }
    aggregates:
      Purchase:
        id: orderId
        fields:
          orderId: long
          lines: list<Line>
          channel: Channel
          note: string?
          placedOn: date
          placedAt: datetime
          token: uuid
          weight: double
          count: int
          rush: bool
        lifecycle:
          initial: PLACED
          transitions:
            - { from: PLACED, to: SHIPPED, by: ShipOrder }
    commands:
      PlaceOrder:
        description: A customer places an order.
        aggregate: Purchase
        kind: create
        http: POST /orders
        roles: [CLERK, MANAGER]
        input:
          lines: list<Line>
          channel: Channel
          note: { type: string, required: false }
          placedOn: date
          placedAt: datetime
          token: uuid
          weight: double
          count: int
          rush: bool
          total: Money
        emits: [OrderPlaced]
      ShipOrder:
        aggregate: Purchase
        kind: change
        http: PUT /orders/{orderId}/shipment
        input: { orderId: long, carrier: "enum[DHL, UPS]" }
        preconditions:
          - check: carrier != UPS
            message: no UPS today
        emits: [OrderShipped]
      CancelOrder:
        aggregate: Purchase
        kind: delete
        http: DELETE /orders/{orderId}
        input: { orderId: long }
        emits: [OrderCancelled]
      GetOrder:
        aggregate: Purchase
        kind: query
        http: GET /orders/{orderId}
        input: { orderId: long }
      Archive:
        aggregate: Purchase
        kind: change
        input: { orderId: long }
        emits: [OrderArchived]
    events:
      OrderPlaced:
        description: An order was placed.
        aggregate: Purchase
        fields: { orderId: { type: long, correlation: true }, channel: Channel, total: Money, note: "string?" }
      OrderShipped:
        aggregate: Purchase
        version: 3
        fields: { orderId: { type: long, correlation: true }, carrier: "enum[DHL, UPS]" }
      OrderCancelled:
        aggregate: Purchase
        fields: { orderId: { type: long, correlation: true } }
      OrderArchived:
        aggregate: Purchase
        fields: { orderId: { type: long, correlation: true } }
  shipping:
    kind: supporting
    aggregates:
      Parcel:
        id: parcelId
        fields: { parcelId: long, orderId: long }
    commands:
      PackParcel:
        aggregate: Parcel
        kind: create
        input: { orderId: long }
        emits: [ParcelPacked]
    events:
      ParcelPacked:
        aggregate: Parcel
        fields: { parcelId: long, orderId: { type: long, correlation: true } }
    policies:
      PackOnPlaced:
        when: ordering.OrderPlaced
        then: PackParcel
    views:
      Shipments:
        key: orderId
        fields: { orderId: long, channel: "string?", parcels: int }
        projections:
          - { on: ordering.OrderPlaced, do: create, set: { orderId: orderId, parcels: "0" } }
          - { on: ordering.OrderShipped, do: update, where: { orderId: orderId }, set: { channel: "'x'" } }
          - { on: ParcelPacked, do: update, where: { orderId: orderId }, increment: [parcels] }
        queries:
          ShipmentOf: { http: "GET /shipments/{orderId}" }
          ShipmentsBy: { http: GET /shipments, filter: [channel, parcels] }
)";

class Contracts : public ::testing::Test {
 protected:
  void SetUp() override {
    model = load(shop);
    ASSERT_TRUE(model);
    ordering = model->find_context("ordering");
    shipping = model->find_context("shipping");
    ASSERT_TRUE(ordering && shipping);
  }
  std::shared_ptr<const eskit::model::Model> model;
  const eskit::model::Context* ordering = nullptr;
  const eskit::model::Context* shipping = nullptr;
};

TEST_F(Contracts, TypesMapAsTheyTravelInJson) {
  const json::value api = eskit::contracts::openapi_document(*model, *ordering);
  const std::string body = "/components/schemas/PlaceOrderRequest/properties";
  EXPECT_EQ(json::value(json::object{{"type", "integer"}, {"format", "int32"}}),
            at(api, body + "/count"));
  EXPECT_EQ(json::value(json::object{{"type", "number"}, {"format", "double"}}),
            at(api, body + "/weight"));
  EXPECT_EQ(json::value(json::object{{"type", "boolean"}}), at(api, body + "/rush"));
  EXPECT_EQ("date", at(api, body + "/placedOn/format"));
  EXPECT_EQ("date-time", at(api, body + "/placedAt/format"));
  EXPECT_EQ("uuid", at(api, body + "/token/format"));
  EXPECT_EQ("array", at(api, body + "/lines/type"));
  EXPECT_EQ("#/components/schemas/Line", at(api, body + "/lines/items/$ref"));
  EXPECT_EQ("#/components/schemas/Channel", at(api, body + "/channel/$ref"));
  // An optional field admits null (OpenAPI 3.1 is JSON Schema 2020-12: a type pair).
  EXPECT_EQ(json::value(json::array{"string", "null"}), at(api, body + "/note/type"));
  // Value objects and enums become components, with the ones they use in turn.
  EXPECT_EQ(json::value(json::array{"WEB", "SHOP"}), at(api, "/components/schemas/Channel/enum"));
  EXPECT_EQ("#/components/schemas/Money",
            at(api, "/components/schemas/Line/properties/price/$ref"));
  const json::value& amount = at(api, "/components/schemas/Money/properties/amount");
  EXPECT_EQ("string", at(amount, "/type"));  // exact text, never a double
  EXPECT_EQ(eskit::contracts::decimal_pattern, at(amount, "/pattern"));
  // The aggregate's state: its fields, the lifecycle's status, and the version.
  const json::value& state = at(api, "/components/schemas/Purchase");
  EXPECT_EQ(json::value(json::array{"PLACED", "SHIPPED"}), at(state, "/properties/status/enum"));
  EXPECT_EQ("integer", at(state, "/properties/version/type"));
}

TEST_F(Contracts, RequiredIsEveryFieldThatIsNotOptional) {
  const json::value api = eskit::contracts::openapi_document(*model, *ordering);
  const json::array& required =
      at(api, "/components/schemas/PlaceOrderRequest/required").as_array();
  EXPECT_EQ(9u, required.size());  // every input but `note`
  EXPECT_EQ(required.end(), std::find(required.begin(), required.end(), json::value("note")));
  const json::array& state = at(api, "/components/schemas/Purchase/required").as_array();
  EXPECT_EQ(state.end(), std::find(state.begin(), state.end(), json::value("note")));
  EXPECT_NE(state.end(), std::find(state.begin(), state.end(), json::value("status")));
  EXPECT_NE(state.end(), std::find(state.begin(), state.end(), json::value("version")));
}

TEST_F(Contracts, PathParametersAreTypedFromTheInputAndLeaveTheBody) {
  const json::value api = eskit::contracts::openapi_document(*model, *ordering);
  const json::value& ship = at(api, "/paths/~1orders~1{orderId}~1shipment/put");
  EXPECT_EQ("ShipOrder", at(ship, "/operationId"));
  EXPECT_EQ("orderId", at(ship, "/parameters/0/name"));
  EXPECT_EQ("path", at(ship, "/parameters/0/in"));
  EXPECT_EQ(true, at(ship, "/parameters/0/required"));
  EXPECT_EQ("int64", at(ship, "/parameters/0/schema/format"));
  const json::value& body = at(api, "/components/schemas/ShipOrderRequest");
  EXPECT_FALSE(has(body, "/properties/orderId"));
  EXPECT_EQ(json::value(json::array{"DHL", "UPS"}), at(body, "/properties/carrier/enum"));
  EXPECT_EQ(json::value(json::array{"carrier"}), at(body, "/required"));
  // A command without `http:` is not part of the API.
  EXPECT_EQ(std::string::npos, json::serialize(api).find("Archive"));
}

TEST_F(Contracts, AnswersAreWhatTheServiceSends) {
  const json::value api = eskit::contracts::openapi_document(*model, *ordering);
  const json::value& place = at(api, "/paths/~1orders/post/responses");
  EXPECT_EQ("#/components/schemas/Purchase",
            at(place, "/201/content/application~1json/schema/$ref"));
  EXPECT_FALSE(has(place, "/404"));  // nothing to find before it exists
  for (const char* status : {"/400", "/409", "/413", "/415", "/503"})
    EXPECT_TRUE(has(place, status)) << status;
  const json::value& ship = at(api, "/paths/~1orders~1{orderId}~1shipment/put/responses");
  EXPECT_TRUE(has(ship, "/200"));
  EXPECT_EQ("#/components/responses/NotFound", at(ship, "/404/$ref"));
  EXPECT_EQ("#/components/responses/Conflict", at(ship, "/409/$ref"));
  const json::value& cancel = at(api, "/paths/~1orders~1{orderId}/delete");
  EXPECT_TRUE(has(cancel, "/responses/204"));
  EXPECT_FALSE(has(cancel, "/responses/204/content"));
  EXPECT_FALSE(has(cancel, "/requestBody"));  // DELETE and GET take no body
  EXPECT_FALSE(has(cancel, "/responses/415"));
  const json::value& get = at(api, "/paths/~1orders~1{orderId}/get/responses");
  EXPECT_EQ("#/components/schemas/Purchase", at(get, "/200/content/application~1json/schema/$ref"));
  EXPECT_TRUE(has(get, "/404"));
  // Errors are RFC 9457 problems.
  EXPECT_EQ(
      "#/components/schemas/Problem",
      at(api, "/components/responses/Conflict/content/application~1problem+json/schema/$ref"));
  EXPECT_EQ(json::value(json::array{"type", "title", "status"}),
            at(api, "/components/schemas/Problem/required"));
  EXPECT_NE(std::string::npos, at(api, "/paths/~1orders~1{orderId}~1shipment/put/description")
                                   .as_string()
                                   .find("no UPS today"));
}

TEST_F(Contracts, SecurityOnlyWhereRolesAreDeclared) {
  const json::value api = eskit::contracts::openapi_document(*model, *ordering);
  EXPECT_EQ("bearer", at(api, "/components/securitySchemes/bearerAuth/scheme"));
  EXPECT_EQ("JWT", at(api, "/components/securitySchemes/bearerAuth/bearerFormat"));
  // Any one of the roles is enough: one requirement per role.
  const json::value& place = at(api, "/paths/~1orders/post");
  EXPECT_EQ(json::value(json::array{json::object{{"bearerAuth", json::array{"CLERK"}}},
                                    json::object{{"bearerAuth", json::array{"MANAGER"}}}}),
            at(place, "/security"));
  EXPECT_TRUE(has(place, "/responses/401"));
  EXPECT_TRUE(has(place, "/responses/403"));
  // No roles: public, said explicitly, and no 401/403.
  const json::value& ship = at(api, "/paths/~1orders~1{orderId}~1shipment/put");
  EXPECT_EQ(json::value(json::array{}), at(ship, "/security"));
  EXPECT_FALSE(has(ship, "/responses/401"));
  EXPECT_FALSE(has(ship, "/responses/403"));
  // A context without roles has no scheme at all.
  const json::value views = eskit::contracts::openapi_document(*model, *shipping);
  EXPECT_FALSE(has(views, "/components/securitySchemes"));
  EXPECT_FALSE(has(views, "/components/responses/Unauthorized"));
}

TEST_F(Contracts, ViewQueriesAnswerOneRowByKeyOrAListFilteredByQueryParameters) {
  const json::value api = eskit::contracts::openapi_document(*model, *shipping);
  const json::value& one = at(api, "/paths/~1shipments~1{orderId}/get");
  EXPECT_EQ("#/components/schemas/Shipments",
            at(one, "/responses/200/content/application~1json/schema/$ref"));
  EXPECT_TRUE(has(one, "/responses/404"));
  const json::value& list = at(api, "/paths/~1shipments/get");
  EXPECT_EQ("query", at(list, "/parameters/0/in"));
  EXPECT_EQ("channel", at(list, "/parameters/0/name"));
  EXPECT_EQ(false, at(list, "/parameters/0/required"));
  EXPECT_EQ("integer", at(list, "/parameters/1/schema/type"));
  EXPECT_FALSE(has(list, "/responses/404"));
  EXPECT_EQ("#/components/schemas/Shipments",
            at(api, "/components/schemas/ShipmentsList/properties/items/items/$ref"));
  EXPECT_EQ(json::value(json::array{"items"}),
            at(api, "/components/schemas/ShipmentsList/required"));
}

TEST_F(Contracts, AsyncApiSendsOwnEventsAndReceivesWhatPoliciesAndViewsRead) {
  const json::value own = eskit::contracts::asyncapi_document(*model, *ordering);
  EXPECT_EQ("3.0.0", at(own, "/asyncapi"));
  EXPECT_EQ("ordering.events", at(own, "/channels/orderingEvents/address"));
  EXPECT_EQ("send", at(own, "/operations/sendOrderPlaced/action"));
  EXPECT_EQ("#/channels/orderingEvents/messages/OrderPlaced",
            at(own, "/operations/sendOrderPlaced/messages/0/$ref"));
  const json::value& placed = at(own, "/components/messages/ordering.OrderPlaced.v1");
  EXPECT_EQ("OrderPlaced", at(placed, "/headers/properties/eskit-event-type/const"));
  EXPECT_EQ("1", at(placed, "/headers/properties/eskit-schema-version/const"));
  EXPECT_EQ("ordering", at(placed, "/payload/properties/source/const"));
  EXPECT_EQ("#/components/schemas/ordering.OrderPlaced.v1",
            at(placed, "/payload/properties/data/$ref"));
  EXPECT_EQ("string", at(placed, "/bindings/kafka/key/type"));
  EXPECT_EQ(3, at(own,
                  "/components/messages/ordering.OrderShipped.v3/payload/properties/"
                  "schemaVersion/const"));
  // Types of several contexts meet here, so their keys name the context.
  EXPECT_EQ("#/components/schemas/ordering.Money",
            at(own, "/components/schemas/ordering.OrderPlaced.v1/properties/total/$ref"));

  const json::value other = eskit::contracts::asyncapi_document(*model, *shipping);
  EXPECT_EQ("receive", at(other, "/operations/PackOnPlaced/action"));
  EXPECT_EQ("#/channels/orderingEvents", at(other, "/operations/PackOnPlaced/channel/$ref"));
  EXPECT_EQ("ordering.events", at(other, "/channels/orderingEvents/address"));
  // The view reads two topics: one receive per topic, with just the events it projects.
  EXPECT_EQ(2u, at(other, "/operations/projectShipmentsFromOrdering/messages").as_array().size());
  EXPECT_EQ(1u, at(other, "/operations/projectShipmentsFromShipping/messages").as_array().size());
  EXPECT_FALSE(has(other, "/channels/orderingEvents/messages/OrderCancelled"));
  EXPECT_TRUE(has(other, "/components/schemas/ordering.Money"));
}

TEST_F(Contracts, EventSchemaIsDraft202012WithItsTypesUnderDefs) {
  const auto& placed = ordering->events.at(0);
  const json::value schema = eskit::contracts::event_schema(*model, *ordering, placed);
  EXPECT_EQ("https://json-schema.org/draft/2020-12/schema", at(schema, "/$schema"));
  EXPECT_EQ("urn:eskit:shop:ordering:OrderPlaced:v1", at(schema, "/$id"));
  EXPECT_EQ("#/$defs/Money", at(schema, "/properties/total/$ref"));
  EXPECT_EQ("#/$defs/Channel", at(schema, "/properties/channel/$ref"));
  EXPECT_TRUE(has(schema, "/$defs/Money"));
  EXPECT_FALSE(has(schema, "/$defs/Line"));  // only what the event uses
  EXPECT_EQ(json::value(json::array{"orderId", "channel", "total"}), at(schema, "/required"));
  EXPECT_EQ("An order was placed.", at(schema, "/description"));
}

TEST_F(Contracts, PlanNamesEveryFileAndIsByteStable) {
  const auto plan = eskit::contracts::contracts_plan(*model);
  std::vector<std::string> paths;
  for (const auto& f : plan.files) paths.push_back(f.path);
  const std::vector<std::string> expected = {"ordering/asyncapi.json",
                                             "ordering/events/OrderArchived.v1.schema.json",
                                             "ordering/events/OrderCancelled.v1.schema.json",
                                             "ordering/events/OrderPlaced.v1.schema.json",
                                             "ordering/events/OrderShipped.v3.schema.json",
                                             "ordering/openapi.json",
                                             "shipping/asyncapi.json",
                                             "shipping/events/ParcelPacked.v1.schema.json",
                                             "shipping/openapi.json"};
  EXPECT_EQ(expected, paths);
  const auto again = eskit::contracts::contracts_plan(*load(shop));
  ASSERT_EQ(plan.files.size(), again.files.size());
  for (std::size_t i = 0; i < plan.files.size(); ++i)
    EXPECT_EQ(plan.files[i].content, again.files[i].content) << plan.files[i].path;
}

TEST(JsonText, IndentsByTwoKeepsKeyOrderAndEndsInANewline) {
  const json::value doc = json::object{
      {"b", 1}, {"a", json::array{"x", json::object{}}}, {"e", json::array{}}, {"s", "\"q\"\n"}};
  EXPECT_EQ(
      "{\n  \"b\": 1,\n  \"a\": [\n    \"x\",\n    {}\n  ],\n  \"e\": [],\n  \"s\": "
      "\"\\\"q\\\"\\n\"\n}\n",
      eskit::contracts::json_text(doc));
}

TEST(Words, SummariesFromPascalCase) {
  EXPECT_EQ("Make call", eskit::contracts::words("MakeCall"));
  EXPECT_EQ("Get URL", eskit::contracts::words("GetURL"));
  EXPECT_EQ("Pay", eskit::contracts::words("Pay"));
}

}  // namespace
