#include "eskit/generate/view_model.hpp"

#include <gtest/gtest.h>

#include <string>

#include "eskit/model/load.hpp"

namespace {

using eskit::tmpl::Value;

std::shared_ptr<const eskit::model::Model> load(const std::string& text) {
  auto source = std::make_shared<const eskit::model::SourceFile>("test.yaml", text);
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(source, diagnostics);
  for (const auto& d : diagnostics.all()) ADD_FAILURE() << d.where.line << ": " << d.message;
  return model;
}

const Value& at(const Value& v, const std::string& key) {
  const Value* found = v.find(key);
  if (!found) throw std::runtime_error("no key " + key);
  return *found;
}

const Value& named(const Value& list, const std::string& name) {
  for (const Value& item : list.as_list())
    if (at(item, "name").as_string() == name) return item;
  throw std::runtime_error("nothing named " + name);
}

const char* shop = R"(model: shop
version: 1.0.0
contexts:
  ordertaking:
    kind: core
    types:
      Money: { fields: { amount: decimal, currency: string } }
      Basket: { fields: { items: list<LineItem>, total: Money } }
      LineItem: { fields: { sku: string, price: Money } }
      Channel: { enum: [WEB, SHOP] }
    aggregates:
      ShopOrder:
        id: orderID
        fields:
          orderID: uuid
          basket: Basket
          channel: Channel
          note: { type: string, required: false }
          placedAt: datetime
          rush: bool
        lifecycle:
          initial: PLACED
          transitions:
            - { from: PLACED, to: PAID, by: PayOrder }
    commands:
      PlaceOrder:
        aggregate: ShopOrder
        kind: create
        input: { basket: Basket, channel: Channel, note: "string?", placedAt: datetime, rush: bool }
        emits: [OrderPlaced]
      PayOrder:
        aggregate: ShopOrder
        kind: change
        input: { orderID: uuid, method: "enum[CARD, CASH]", tries: int }
        emits: [OrderPaid]
    events:
      OrderPlaced:
        aggregate: ShopOrder
        fields: { orderID: { type: uuid, correlation: true }, rush: bool }
      OrderPaid:
        aggregate: ShopOrder
        version: 2
        fields: { orderID: { type: uuid, correlation: true }, method: "enum[CARD, CASH]" }
)";

TEST(ViewModel, NamesInEveryCaseAndCollectionsSortedByName) {
  auto model = load(shop);
  Value system = eskit::generate::model_view(*model, "model.yaml");
  EXPECT_EQ("model.yaml", at(system, "source").as_string());
  const Value& ctx = at(system, "contexts").as_list().at(0);
  EXPECT_EQ("ordertaking", at(ctx, "snake").as_string());
  const Value& order = named(at(ctx, "aggregates"), "ShopOrder");
  EXPECT_EQ("shop_order", at(order, "snake").as_string());
  EXPECT_EQ("ShopOrder", at(order, "pascal").as_string());
  EXPECT_EQ("shopOrder", at(order, "camel").as_string());
  EXPECT_EQ("shop-order", at(order, "kebab").as_string());
  EXPECT_EQ("SHOP_ORDER", at(order, "screaming").as_string());
  const auto& commands = at(ctx, "commands").as_list();
  ASSERT_EQ(2u, commands.size());
  EXPECT_EQ("PayOrder", at(commands[0], "name").as_string());
  EXPECT_EQ("PlaceOrder", at(commands[1], "name").as_string());
  EXPECT_TRUE(at(commands[1], "creates").as_bool());
  EXPECT_FALSE(at(commands[0], "creates").as_bool());
  EXPECT_EQ("ShopOrder", at(at(commands[0], "aggregate"), "pascal").as_string());
}

TEST(ViewModel, ValueObjectsFollowTheOnesTheyHold) {
  auto model = load(shop);
  Value ctx = eskit::generate::context_view(*model, model->contexts.at(0));
  std::string order;
  for (const Value& r : at(ctx, "records").as_list()) order += at(r, "name").as_string() + " ";
  EXPECT_EQ("Money LineItem Basket ", order);
}

TEST(ViewModel, FieldTypesInCppAndBothSqlDialects) {
  auto model = load(shop);
  Value ctx = eskit::generate::context_view(*model, model->contexts.at(0));
  const Value& order = named(at(ctx, "aggregates"), "ShopOrder");
  EXPECT_EQ("orderID", at(at(order, "id"), "name").as_string());
  EXPECT_EQ("shop_order", at(order, "table").as_string());
  const Value& fields = at(order, "fields");

  const Value& id = named(fields, "orderID");
  EXPECT_EQ("order_id", at(id, "snake").as_string());
  EXPECT_EQ("std::string", at(id, "cpp").as_string());
  EXPECT_EQ("uuid", at(at(id, "sql"), "postgresql").as_string());
  EXPECT_EQ("text", at(at(id, "sql"), "sqlite").as_string());

  const Value& basket = named(fields, "basket");
  EXPECT_EQ("Basket", at(basket, "cpp").as_string());
  EXPECT_TRUE(at(basket, "json_column").as_bool());
  EXPECT_EQ("jsonb", at(at(basket, "sql"), "postgresql").as_string());

  const Value& note = named(fields, "note");
  EXPECT_EQ("std::optional<std::string>", at(note, "cpp").as_string());
  EXPECT_EQ("std::string", at(note, "value_cpp").as_string());
  EXPECT_TRUE(at(note, "optional").as_bool());

  const Value& channel = named(fields, "channel");
  EXPECT_TRUE(at(channel, "is_enum").as_bool());
  EXPECT_EQ("{}", at(channel, "init").as_string());
  EXPECT_EQ(2u, at(channel, "enum_values").as_list().size());

  EXPECT_EQ(" = false", at(named(fields, "rush"), "init").as_string());
  EXPECT_EQ("timestamptz", at(at(named(fields, "placedAt"), "sql"), "postgresql").as_string());

  const Value& status = named(fields, "status");
  EXPECT_EQ("ShopOrderStatus", at(status, "cpp").as_string());
  EXPECT_EQ(" = ShopOrderStatus::kPlaced", at(status, "init").as_string());

  const Value& tries = named(at(named(at(ctx, "commands"), "PayOrder"), "fields"), "tries");
  EXPECT_EQ("std::int32_t", at(tries, "cpp").as_string());
  EXPECT_EQ(" = 0", at(tries, "init").as_string());
}

TEST(ViewModel, InlineEnumsAreNamedAfterOwnerAndFieldAndCollectedOnce) {
  auto model = load(shop);
  Value ctx = eskit::generate::context_view(*model, model->contexts.at(0));
  std::string names;
  for (const Value& e : at(ctx, "enums").as_list()) names += at(e, "name").as_string() + " ";
  EXPECT_EQ("Channel OrderPaidMethod PayOrderMethod ShopOrderStatus ", names);
  const Value& status = named(at(ctx, "enums"), "ShopOrderStatus");
  const Value& first = at(status, "values").as_list().at(0);
  EXPECT_EQ("PLACED", at(first, "name").as_string());
  EXPECT_EQ("kPlaced", at(first, "enumerator").as_string());
}

TEST(ViewModel, LongDescriptionsBecomeCommentLinesThatFit) {
  std::string text = shop;
  std::string words;
  for (int i = 0; i < 40; ++i) words += "word" + std::to_string(i) + " ";
  text.replace(text.find("      PlaceOrder:\n"), 18,
               "      PlaceOrder:\n        description: " + words + "\n");
  auto model = load(text);
  Value ctx = eskit::generate::context_view(*model, model->contexts.at(0));
  const Value& doc = at(named(at(ctx, "commands"), "PlaceOrder"), "doc");
  ASSERT_GT(doc.as_list().size(), 2u);
  std::string joined;
  for (const Value& line : doc.as_list()) {
    EXPECT_LE(line.as_string().size(), 88u);
    joined += line.as_string() + " ";
  }
  EXPECT_EQ(words, joined);
}

TEST(ViewModel, SameModelSameTree) {
  auto a = load(shop);
  auto b = load(shop);
  EXPECT_EQ(eskit::generate::model_view(*a, "m"), eskit::generate::model_view(*b, "m"));
}

}  // namespace
