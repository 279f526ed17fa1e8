#include <gtest/gtest.h>

#include "template_support.hpp"

namespace eskit::tmpl {
namespace {

using testing::render_ok;

std::string convert(std::string_view filter, std::string_view input) {
  return render_ok("{{ s | " + std::string(filter) + " }}", Object{{"s", input}});
}

struct CaseRow {
  const char* input;
  const char* snake;
  const char* camel;
  const char* pascal;
  const char* kebab;
  const char* screaming;
};

TEST(TemplateFilter, CaseConversionsOfTrickyIdentifiers) {
  const CaseRow rows[] = {
      {"HTTPServer", "http_server", "httpServer", "HttpServer", "http-server", "HTTP_SERVER"},
      {"order_id", "order_id", "orderId", "OrderId", "order-id", "ORDER_ID"},
      {"OrderID", "order_id", "orderId", "OrderId", "order-id", "ORDER_ID"},
      {"already-kebab", "already_kebab", "alreadyKebab", "AlreadyKebab", "already-kebab",
       "ALREADY_KEBAB"},
      {"XMLHttpRequest", "xml_http_request", "xmlHttpRequest", "XmlHttpRequest", "xml-http-request",
       "XML_HTTP_REQUEST"},
      {"sha256Hash", "sha256_hash", "sha256Hash", "Sha256Hash", "sha256-hash", "SHA256_HASH"},
      {"Http2Server", "http2_server", "http2Server", "Http2Server", "http2-server", "HTTP2_SERVER"},
      {"userID2", "user_id2", "userId2", "UserId2", "user-id2", "USER_ID2"},
      {"order2", "order2", "order2", "Order2", "order2", "ORDER2"},
      {"3dModel", "3d_model", "3dModel", "3dModel", "3d-model", "3D_MODEL"},
      {"MAX_RETRY_COUNT", "max_retry_count", "maxRetryCount", "MaxRetryCount", "max-retry-count",
       "MAX_RETRY_COUNT"},
      {"  spaced  out. name ", "spaced_out_name", "spacedOutName", "SpacedOutName",
       "spaced-out-name", "SPACED_OUT_NAME"},
      {"__private", "private", "private", "Private", "private", "PRIVATE"},
      {"a", "a", "a", "A", "a", "A"},
      {"", "", "", "", "", ""},
      // Bytes beyond ASCII stay as they are, inside their word.
      {"größeOrder", "größe_order", "größeOrder", "GrößeOrder", "größe-order", "GRößE_ORDER"},
  };
  for (const CaseRow& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(convert("snake", row.input), row.snake);
    EXPECT_EQ(convert("camel", row.input), row.camel);
    EXPECT_EQ(convert("pascal", row.input), row.pascal);
    EXPECT_EQ(convert("kebab", row.input), row.kebab);
    EXPECT_EQ(convert("screaming", row.input), row.screaming);
  }
}

TEST(TemplateFilter, UpperAndLowerKeepEverythingElse) {
  EXPECT_EQ(convert("upper", "order_id-2x"), "ORDER_ID-2X");
  EXPECT_EQ(convert("lower", "HTTPServer_X"), "httpserver_x");
}

TEST(TemplateFilter, CaseConversionsAreStable) {
  for (const char* input : {"HTTPServer", "order_id", "OrderID", "already-kebab"}) {
    for (const char* f : {"snake", "camel", "pascal", "kebab", "screaming"}) {
      std::string once = convert(f, input);
      EXPECT_EQ(convert(f, once), once) << f << " of " << input;
    }
  }
}

TEST(TemplateFilter, Join) {
  Value ctx = Object{{"xs", List{1, "a", true}}, {"none", List{}}, {"sep", " | "}};
  EXPECT_EQ(render_ok("{{ xs | join(', ') }}", ctx), "1, a, true");
  EXPECT_EQ(render_ok("{{ xs | join }}", ctx), "1atrue");
  EXPECT_EQ(render_ok("{{ xs | join(sep) }}", ctx), "1 | a | true");
  EXPECT_EQ(render_ok("[{{ none | join(', ') }}]", ctx), "[]");
}

TEST(TemplateFilter, DefaultReplacesOnlyNull) {
  Value ctx = Object{{"nothing", Value()}, {"empty", ""}, {"zero", 0}, {"name", "n"}};
  EXPECT_EQ(render_ok("{{ nothing | default('x') }}", ctx), "x");
  EXPECT_EQ(render_ok("[{{ empty | default('x') }}]", ctx), "[]");
  EXPECT_EQ(render_ok("{{ zero | default(1) }}", ctx), "0");
  EXPECT_EQ(render_ok("{{ nothing | default(name) | upper }}", ctx), "N");
  EXPECT_EQ(render_ok("{{ nothing | default(nothing) | default('second') }}", ctx), "second");
}

TEST(TemplateFilter, Length) {
  Value ctx = Object{{"s", "héllo"}, {"xs", List{1, 2}}, {"o", Object{{"a", 1}}}};
  EXPECT_EQ(render_ok("{{ s | length }} {{ xs | length }} {{ o | length }}", ctx), "6 2 1");
  EXPECT_EQ(render_ok("{% if xs | length > 1 %}many{% endif %}", ctx), "many");
}

TEST(TemplateFilter, QuoteMakesACppStringLiteral) {
  Value ctx = Object{{"s", std::string("say \"hi\"\n\tC:\\dir\r\x01"
                                       "7\x7f é")}};
  EXPECT_EQ(render_ok("{{ s | quote }}", ctx), R"("say \"hi\"\n\tC:\\dir\r\0017\177 é")");
  EXPECT_EQ(render_ok("{{ '' | quote }}"), R"("")");
}

TEST(TemplateFilter, IndentLeavesTheFirstLineAndBlankLines) {
  Value ctx = Object{{"body", "a;\n\nb;\n  c;\n"}};
  EXPECT_EQ(render_ok("  {{ body | indent(2) }}", ctx), "  a;\n\n  b;\n    c;\n");
  EXPECT_EQ(render_ok("{{ 'x' | indent(4) }}"), "x");
  EXPECT_EQ(render_ok("{{ body | indent(0) }}", ctx), "a;\n\nb;\n  c;\n");
}

TEST(TemplateFilter, ChainsAndArguments) {
  Value ctx = Object{{"names", List{"OrderID", "HTTPServer"}}, {"w", 3}};
  EXPECT_EQ(render_ok("{% for n in names %}{{ n | snake | upper | quote }} {% endfor %}", ctx),
            "\"ORDER_ID\" \"HTTP_SERVER\" ");
  EXPECT_EQ(render_ok("{{ 'a\\nb' | indent(w) }}", ctx), "a\n   b");
}

}  // namespace
}  // namespace eskit::tmpl
