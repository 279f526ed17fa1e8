// The text of a contract document: JSON indented by two spaces, keys in the order they were
// added, one trailing newline. Byte-stable, so `eskit contracts --check` can compare files.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace eskit::contracts {

/// `value` as indented JSON text ending in a newline; empty objects and arrays stay on one line.
std::string json_text(const boost::json::value& value);

}  // namespace eskit::contracts
