#include "eskit/runtime/http/on_behalf_of.hpp"

#include <utility>

namespace eskit::runtime::http {

ClientRequest on_behalf_of(ClientRequest call, const Request& incoming) {
  if (const auto authorization = incoming.headers().get("Authorization"))
    call.headers.set("Authorization", std::string(*authorization));
  return call;
}

}  // namespace eskit::runtime::http
