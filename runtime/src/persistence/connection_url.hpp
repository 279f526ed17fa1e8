#pragma once
// Which backend a database URL names, what SOCI must be given to open it, and how to name it
// in logs without leaking a password.
#include <string>
#include <string_view>

#include "eskit/runtime/db/dialect.hpp"

namespace eskit::runtime::db::persistence {

struct ConnectionTarget {
  Backend backend = Backend::sqlite;
  std::string connect_string;  // for soci::session::open
  std::string description;     // redacted, for messages
  bool in_memory = false;   // sqlite::memory: (one connection only: each would be its own database)
  std::string sqlite_path;  // sqlite only
};

// Throws DatabaseError(usage) for URLs it cannot read.
ConnectionTarget parse_connection_url(std::string_view url);

}  // namespace eskit::runtime::db::persistence
