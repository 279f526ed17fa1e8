#include "eskit/runtime/auth/forwarding.hpp"

#include <stdexcept>

namespace eskit::runtime::auth {

namespace {

bool has_control_character(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

bool valid_role(std::string_view role) {
  if (role.empty()) return false;
  for (char c : role) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == ',') return false;
  }
  return true;
}

std::size_t count_fields(const http::Headers& headers, std::string_view name) {
  std::size_t count = 0;
  for (const auto& [field, value] : headers) count += http::iequals(field, name) ? 1 : 0;
  return count;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

void strip_forwarded_identity(http::Headers& headers, const ForwardedIdentity& names) {
  headers.remove(names.subject_header);
  headers.remove(names.roles_header);
}

void forward_identity(const Identity& identity, http::Headers& headers,
                      const ForwardedIdentity& names) {
  if (identity.subject.empty() || has_control_character(identity.subject) ||
      trim(identity.subject).size() != identity.subject.size())
    throw std::invalid_argument("the subject cannot be forwarded in a header");
  std::string roles;
  for (const std::string& role : identity.roles) {
    if (!valid_role(role)) throw std::invalid_argument("a role cannot be forwarded in a header");
    if (!roles.empty()) roles += ',';
    roles += role;
  }
  strip_forwarded_identity(headers, names);
  headers.set(names.subject_header, identity.subject);
  headers.set(names.roles_header, std::move(roles));
}

std::optional<Identity> read_forwarded_identity(const http::Headers& headers,
                                                const ForwardedIdentity& policy) {
  if (!policy.trusted) return std::nullopt;
  // A repeated header means something other than the gateway added one: trust neither.
  if (count_fields(headers, policy.subject_header) != 1 ||
      count_fields(headers, policy.roles_header) > 1)
    return std::nullopt;
  std::string_view subject = *headers.get(policy.subject_header);
  if (subject.empty() || has_control_character(subject)) return std::nullopt;
  Identity identity;
  identity.subject = std::string(subject);
  identity.source = Identity::Source::gateway;
  std::string_view roles = headers.get(policy.roles_header).value_or("");
  while (!roles.empty()) {
    std::size_t comma = roles.find(',');
    std::string_view role = trim(roles.substr(0, comma));
    if (!role.empty()) {
      if (!valid_role(role)) return std::nullopt;
      identity.roles.emplace_back(role);
    }
    if (comma == std::string_view::npos) break;
    roles.remove_prefix(comma + 1);
  }
  return identity;
}

}  // namespace eskit::runtime::auth
