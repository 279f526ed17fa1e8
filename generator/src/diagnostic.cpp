#include "eskit/model/diagnostic.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <ostream>
#include <tuple>

namespace eskit::model {

void Diagnostics::error(Location where, std::string message, std::string hint) {
  items_.push_back({Severity::error, std::move(where), std::move(message), std::move(hint)});
  ++errors_;
}

void Diagnostics::warning(Location where, std::string message, std::string hint) {
  items_.push_back({Severity::warning, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    const std::string& pa = a.where.file ? a.where.file->path() : std::string();
    const std::string& pb = b.where.file ? b.where.file->path() : std::string();
    return std::tie(pa, a.where.line, a.where.column) < std::tie(pb, b.where.line, b.where.column);
  });
}

namespace {

const char* severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

std::string position(const Location& where) {
  std::string out = where.file ? where.file->path() : std::string("<input>");
  if (where.line > 0) {
    out += ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
  }
  return out;
}

void render_text(std::ostream& out, const Diagnostic& d, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* reset = color ? "\033[0m" : "";
  const char* tint = !color ? "" : d.severity == Severity::error ? "\033[1;31m" : "\033[1;35m";
  const char* caret_tint = color ? "\033[1;32m" : "";
  out << bold << position(d.where) << ": " << reset << tint << severity_name(d.severity) << ": "
      << reset << bold << d.message << reset << '\n';
  if (d.where.known()) {
    std::string_view line = d.where.file->line(d.where.line);
    // A binary or minified line would only bury the message.
    bool printable = line.size() <= 400 && std::none_of(line.begin(), line.end(), [](char ch) {
                       auto u = static_cast<unsigned char>(ch);
                       return (u < 0x20 && ch != '\t') || u == 0x7f;
                     });
    if (!line.empty() && printable) {
      out << "  " << line << '\n' << "  ";
      // Keep tabs so the caret lines up under the offending byte.
      std::size_t column = d.where.column == 0 ? 1 : d.where.column;
      for (std::size_t i = 0; i + 1 < column && i < line.size(); ++i) {
        out << (line[i] == '\t' ? '\t' : ' ');
      }
      out << caret_tint << '^' << reset << '\n';
    }
  }
  if (!d.hint.empty()) out << "  note: " << d.hint << '\n';
}

// GitHub workflow commands need %, \r, \n escaped in the message and also : and , in properties.
std::string github_escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

void render(std::ostream& out, const std::vector<Diagnostic>& diagnostics, ErrorFormat format,
            bool color) {
  switch (format) {
    case ErrorFormat::text:
      for (const auto& d : diagnostics) render_text(out, d, color);
      break;
    case ErrorFormat::json: {
      boost::json::array items;
      for (const auto& d : diagnostics) {
        boost::json::object o;
        o["file"] = d.where.file ? d.where.file->path() : std::string();
        o["line"] = d.where.line;
        o["column"] = d.where.column;
        o["severity"] = severity_name(d.severity);
        o["message"] = d.message;
        if (!d.hint.empty()) o["hint"] = d.hint;
        items.push_back(std::move(o));
      }
      out << boost::json::serialize(items) << '\n';
      break;
    }
    case ErrorFormat::github:
      for (const auto& d : diagnostics) {
        out << "::" << severity_name(d.severity)
            << " file=" << github_escape(d.where.file ? d.where.file->path() : "", true);
        if (d.where.line > 0) out << ",line=" << d.where.line << ",col=" << d.where.column;
        std::string text = d.message;
        if (!d.hint.empty()) text += " (" + d.hint + ")";
        out << "::" << github_escape(text, false) << '\n';
      }
      break;
  }
}

}  // namespace eskit::model
