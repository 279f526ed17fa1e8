#include "persistence/connection_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <regex>
#include <string>

#include "eskit/runtime/db/error.hpp"

namespace eskit::runtime::db::persistence {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

[[noreturn]] void bad_url(std::string_view redacted, std::string_view why) {
  throw DatabaseError(
      ErrorKind::usage, std::string(redacted), {},
      std::string(why) +
          " (expected sqlite:/path/file.db, postgresql://user@host:port/db or a libpq "
          "keyword string like \"host=... dbname=...\")");
}

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string redact_uri(std::string_view uri) {
  std::string out(uri);
  const auto scheme_end = out.find("://");
  const auto at = out.find('@', scheme_end == std::string::npos ? 0 : scheme_end);
  if (scheme_end != std::string::npos && at != std::string::npos) {
    const auto colon = out.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // ...?password=secret as a query parameter
  static const std::regex password_param(R"(([?&]password=)[^&]*)", std::regex::icase);
  return std::regex_replace(out, password_param, "$1***");
}

// "host=h password='s e' dbname=d" -> "host=h password=*** dbname=d"
std::string redact_keywords(std::string_view keywords) {
  static const std::regex password(R"((password\s*=\s*)('([^'\\]|\\.)*'|\S+))", std::regex::icase);
  return std::regex_replace(std::string(keywords), password, "$1***");
}

bool looks_like_libpq_keywords(std::string_view s) {
  static const std::regex keyword(R"(^\s*[A-Za-z_]+\s*=)");
  return std::regex_search(s.begin(), s.end(), keyword);
}

// libpq quoting: 'value' with \\ and \' escaped.
std::string quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// postgresql://user:secret@host:5432/db?sslmode=require -> libpq keywords. SOCI 4.0.3 does
// not hand a URI to libpq intact (postgresql://u@h:p/db fails as database "db="), so the
// URI is taken apart here, percent-decoding included, and never reaches SOCI as a URI.
std::string libpq_keywords(std::string_view uri) {
  const auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) bad_url(redact_uri(uri), "not a valid URI: " + parsed.error().message());
  const boost::urls::url_view& url = *parsed;
  std::string out;
  auto add = [&out](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += ' ';
    out.append(key).append("=").append(quoted(value));
  };
  add("host", url.host());
  add("port", url.port());
  add("user", url.user());
  add("password", url.password());
  std::string path = url.path();
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  add("dbname", path);
  for (const auto& param : url.params()) {
    if (!param.has_value) bad_url(redact_uri(uri), "parameter '" + param.key + "' has no value");
    add(param.key, param.value);
  }
  return out;
}

ConnectionTarget postgres(std::string connect_string, std::string description) {
  ConnectionTarget target;
  target.backend = Backend::postgresql;
  target.connect_string = std::move(connect_string);
  target.description = std::move(description);
  return target;
}

}  // namespace

ConnectionTarget parse_connection_url(std::string_view url) {
  if (starts_with(url, "sqlite:")) {
    std::string path(url.substr(7));
    // Accept sqlite:///abs/path too (URL style with an empty authority).
    if (starts_with(path, "//")) path.erase(0, 2);
    if (path.empty()) bad_url(url, "sqlite URL without a file path");
    ConnectionTarget target;
    target.backend = Backend::sqlite;
    target.description = "sqlite:" + path;
    target.in_memory = path == ":memory:";
    target.sqlite_path = path;
    // SOCI's sqlite3 backend reads "db=<path>"; quoting keeps spaces in paths intact.
    target.connect_string = "db=\"" + path + "\"";
    return target;
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return postgres(libpq_keywords(url), redact_uri(url));
  }
  if (looks_like_libpq_keywords(url)) {
    return postgres(std::string(url), "postgresql: " + redact_keywords(url));
  }
  const auto colon = url.find(':');
  bad_url(
      colon == std::string_view::npos ? std::string_view("(no scheme)") : url.substr(0, colon + 1),
      "unsupported database URL");
}

}  // namespace eskit::runtime::db::persistence
