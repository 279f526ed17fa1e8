// libFuzzer target over the server's request path without sockets: the bytes of one request
// through Beast's parser with the server's limits, then the Dispatcher (routing, path
// parameters, the JSON body contract, query filters, problems) over routes shaped like a
// generated service's. Any bytes must end in a refusal or a response with a 2xx–4xx status,
// never a crash, a hang, a leak or a 500: the handlers here only throw what generated ones do.
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "dispatcher.hpp"
#include "eskit/runtime/http/command_input.hpp"
#include "eskit/runtime/http/server.hpp"

namespace {

namespace http = eskit::runtime::http;
namespace bhttp = boost::beast::http;

http::Dispatcher& dispatcher() {
  static http::Dispatcher instance = [] {
    http::Router router;
    static constexpr std::array<http::PathParameter, 1> order_id{{{"orderId", true}}};
    static constexpr std::array<http::PathParameter, 1> code{{{"code", false}}};
    router.post("/orders", [](http::Request& request) {
      return http::Response::json(http::command_input(request, true, {}), 201);
    });
    router.post("/orders/{orderId}/lines", [](http::Request& request) {
      return http::Response::json(http::command_input(request, true, order_id));
    });
    router.patch("/coupons/{code}/cancel", [](http::Request& request) {
      return http::Response::json(http::command_input(request, false, code));
    });
    router.get("/orders", [](http::Request& request) {
      boost::json::object filters;
      if (auto status = http::text_filter(request, "status")) filters["status"] = *status;
      if (auto customer = http::integer_filter(request, "customerId"))
        filters["customerId"] = *customer;
      return http::Response::json(filters);
    });
    router.get("/orders/{orderId}", [](http::Request& request) {
      return http::Response::json({{"orderId", request.param("orderId")}});
    });
    return http::Dispatcher(std::move(router), std::make_shared<http::MetricsRegistry>(),
                            std::make_shared<http::Readiness>(), [](std::string_view) {});
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const http::ServerOptions limits;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code error;
  // As the connection's reads feed it: the parser may take the bytes in several calls.
  std::size_t offset = 0;
  while (!error && !parser.is_done() && offset < size) {
    const auto used = parser.put(boost::asio::buffer(data + offset, size - offset), error);
    if (used == 0) break;
    offset += used;
  }
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error || !parser.is_done()) return 0;  // the connection answers 400/413/431 or closes
  auto request = parser.release();
  http::Headers headers;
  for (const auto& field : request)
    headers.add(std::string(field.name_string()), std::string(field.value()));
  const auto response =
      dispatcher().handle(std::string(request.method_string()), std::string(request.target()),
                          std::move(headers), std::move(request.body()), "127.0.0.1");
  if (response.status < 200 || response.status >= 500) std::abort();
  return 0;
}
