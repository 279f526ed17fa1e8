// A context's HTTP API as an OpenAPI 3.1 document: its commands with an `http:` binding, its
// aggregate queries and its view queries, answered the way the generated service answers
// (templates/cpp/service.cpp.tmpl) and refused with RFC 9457 problems (runtime http::Problem).
#pragma once

#include <boost/json/object.hpp>

#include "eskit/model/model.hpp"

namespace eskit::contracts {

/// Whether the context has any HTTP operation (a command with `http:` or a view query with one);
/// a context without one gets no OpenAPI document.
bool has_http_api(const model::Context& context);

boost::json::object openapi_document(const model::Model& model, const model::Context& context);

}  // namespace eskit::contracts
