#pragma once
// One statement through SOCI: values bound by position (never spliced into the text), columns
// read into the C++ type the caller asked for and converted to Values.
#include <soci/session.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "eskit/runtime/db/value.hpp"

namespace eskit::runtime::db::persistence {

struct StatementResult {
  std::uint64_t affected_rows = 0;
  std::vector<std::vector<Value>> rows;
};

// Throws soci errors (translated by the caller, who knows the database and statement name)
// or DatabaseError for values that do not fit the requested columns.
StatementResult run_bound_statement(soci::session& session, std::string_view sql,
                                    std::span<const Value> params,
                                    std::span<const ColumnSpec> columns, std::size_t max_rows);

}  // namespace eskit::runtime::db::persistence
