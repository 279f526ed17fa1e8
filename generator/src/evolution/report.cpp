#include "eskit/evolution/report.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <ostream>
#include <string>

namespace eskit::evolution {

namespace {

std::string file_of(const model::Location& where) {
  return where.file ? where.file->path() : std::string("(model)");
}

// GitHub workflow commands: %, CR and LF always escaped; also : and , inside properties.
std::string github_escape(const std::string& s, bool property) {
  std::string out;
  for (char ch : s) {
    if (ch == '%')
      out += "%25";
    else if (ch == '\r')
      out += "%0D";
    else if (ch == '\n')
      out += "%0A";
    else if (property && ch == ':')
      out += "%3A";
    else if (property && ch == ',')
      out += "%2C";
    else
      out += ch;
  }
  return out;
}

}  // namespace

void report(std::ostream& out, const std::vector<Change>& changes, ReportFormat format) {
  if (format == ReportFormat::json) {
    boost::json::array items;
    for (const auto& c : changes) {
      items.push_back(boost::json::object{{"file", file_of(c.where)},
                                          {"line", c.where.line},
                                          {"column", c.where.column},
                                          {"category", spelling(c.category)},
                                          {"severity", spelling(c.severity)},
                                          {"subject", c.subject},
                                          {"message", c.message}});
    }
    out << boost::json::serialize(items) << '\n';
    return;
  }
  for (const auto& c : changes) {
    const std::string text = c.subject + ": " + c.message;
    if (format == ReportFormat::github) {
      out << (c.severity == Severity::breaking ? "::error" : "::notice")
          << " file=" << github_escape(file_of(c.where), true) << ",line=" << c.where.line
          << ",col=" << c.where.column << ",title="
          << github_escape(std::string(spelling(c.severity)) + "[" + spelling(c.category) + "]",
                           true)
          << "::" << github_escape(text, false) << '\n';
    } else {
      out << file_of(c.where) << ':' << c.where.line << ':' << c.where.column << ": "
          << spelling(c.severity) << '[' << spelling(c.category) << "]: " << text << '\n';
    }
  }
}

}  // namespace eskit::evolution
