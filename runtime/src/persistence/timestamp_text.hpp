#pragma once
// Timestamps travel as text: "YYYY-MM-DD HH:MM:SS.ffffff+00:00" when bound (PostgreSQL parses
// it into timestamptz; SQLite stores it, and the fixed width keeps text order chronological).
// Reading accepts what PostgreSQL prints in a UTC session ("...05.12+00", no fraction when zero)
// and what SQLite's strftime produces.
#include <optional>
#include <string>
#include <string_view>

#include "eskit/runtime/db/value.hpp"

namespace eskit::runtime::db::persistence {

std::string format_timestamp(Timestamp t);
std::optional<Timestamp> parse_timestamp(std::string_view text);

}  // namespace eskit::runtime::db::persistence
