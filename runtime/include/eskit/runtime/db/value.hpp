#pragma once
// The values that cross the database boundary. Parameters and columns are converted to and
// from one small variant so the typed front end (templates in unit_of_work.hpp) needs no
// driver headers; the binding itself happens in the module's private sources.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace eskit::runtime::db {

// Timestamps are UTC with microsecond precision: PostgreSQL's resolution, and what SQLite
// stores as text "YYYY-MM-DD HH:MM:SS.ffffff+00:00" (which sorts chronologically).
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// std::monostate is SQL NULL.
using Value = std::variant<std::monostate, std::int64_t, double, bool, std::string, Timestamp>;

// How a column is read. The caller says which C++ type it wants; the driver converts.
enum class ColumnType { integer, integer32, real, boolean, text, timestamp };

struct ColumnSpec {
  ColumnType type;
  bool nullable;
};

// ---- parameters -------------------------------------------------------------------------

inline Value to_value(std::nullopt_t) { return std::monostate{}; }
inline Value to_value(bool v) { return v; }
inline Value to_value(double v) { return v; }
inline Value to_value(float v) { return double{v}; }
inline Value to_value(std::string v) { return v; }
inline Value to_value(std::string_view v) { return std::string(v); }
inline Value to_value(const char* v) { return std::string(v); }
template <class Duration>
Value to_value(std::chrono::sys_time<Duration> v) {
  return std::chrono::floor<std::chrono::microseconds>(v);
}
template <std::integral I>
requires(!std::same_as<I, bool>) Value to_value(I v) {
  if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
    if (v > static_cast<I>(std::numeric_limits<std::int64_t>::max()))
      throw std::out_of_range("eskit db: unsigned value exceeds bigint");
  }
  return static_cast<std::int64_t>(v);
}
template <class T>
Value to_value(const std::optional<T>& v) {
  return v ? to_value(*v) : Value{};
}

// ---- columns ----------------------------------------------------------------------------

template <class T>
struct column_traits;
template <>
struct column_traits<std::int64_t> {
  static constexpr ColumnSpec spec{ColumnType::integer, false};
  static std::int64_t from(Value&& v) { return std::get<std::int64_t>(v); }
};
template <>
struct column_traits<int> {
  static constexpr ColumnSpec spec{ColumnType::integer32, false};
  // The private reader has range-checked integer32 columns already.
  static int from(Value&& v) { return static_cast<int>(std::get<std::int64_t>(v)); }
};
template <>
struct column_traits<double> {
  static constexpr ColumnSpec spec{ColumnType::real, false};
  static double from(Value&& v) { return std::get<double>(v); }
};
template <>
struct column_traits<bool> {
  static constexpr ColumnSpec spec{ColumnType::boolean, false};
  static bool from(Value&& v) { return std::get<bool>(v); }
};
template <>
struct column_traits<std::string> {
  static constexpr ColumnSpec spec{ColumnType::text, false};
  static std::string from(Value&& v) { return std::get<std::string>(std::move(v)); }
};
template <>
struct column_traits<Timestamp> {
  static constexpr ColumnSpec spec{ColumnType::timestamp, false};
  static Timestamp from(Value&& v) { return std::get<Timestamp>(v); }
};
template <class T>
struct column_traits<std::optional<T>> {
  static constexpr ColumnSpec spec{column_traits<T>::spec.type, true};
  static std::optional<T> from(Value&& v) {
    if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
    return column_traits<T>::from(std::move(v));
  }
};

}  // namespace eskit::runtime::db
