#include "eskit/runtime/auth/password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <stdexcept>

#include "base64.hpp"
#include "crypto.hpp"

namespace eskit::runtime::auth {

namespace {

constexpr std::string_view prefix = "$scrypt$";
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;
constexpr std::uint64_t max_n = std::uint64_t{1} << 20;
constexpr std::uint64_t max_memory = std::uint64_t{256} << 20;
constexpr std::uint32_t max_r = 32;
constexpr std::uint32_t max_p = 16;

// The bounds apply to stored strings too: a tampered row must not make one login allocate
// gigabytes or run for minutes.
bool within_bounds(const ScryptParams& params) {
  bool power_of_two = params.n >= 2 && (params.n & (params.n - 1)) == 0;
  return power_of_two && params.n <= max_n && params.r >= 1 && params.r <= max_r && params.p >= 1 &&
         params.p <= max_p && 128 * params.n * params.r <= max_memory;
}

std::string derive(std::string_view password, std::string_view salt, const ScryptParams& params,
                   std::size_t length) {
  std::string key(length, '\0');
  // scrypt's own needs (128·r·(N+p+2) bytes) with room to spare; the default cap of 32 MiB
  // would refuse the default parameters.
  std::uint64_t maxmem = 128 * params.r * (params.n + params.p + 2) + (1 << 20);
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), params.n,
                     params.r, params.p, maxmem, reinterpret_cast<unsigned char*>(key.data()),
                     key.size()) != 1)
    throw std::runtime_error("scrypt failed: " + detail::openssl_error());
  return key;
}

// "N=32768" → 32768, requiring the whole text to be digits.
std::optional<std::uint64_t> parameter(std::string_view text, std::string_view name) {
  if (!text.starts_with(name) || text.size() <= name.size() || text[name.size()] != '=')
    return std::nullopt;
  std::string_view digits = text.substr(name.size() + 1);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string hash_password(std::string_view password, const ScryptParams& params) {
  if (!within_bounds(params))
    throw std::invalid_argument("scrypt parameters out of bounds: N=" + std::to_string(params.n) +
                                ",r=" + std::to_string(params.r) +
                                ",p=" + std::to_string(params.p));
  if (password.size() > max_password_bytes)
    throw std::invalid_argument("the password is longer than " +
                                std::to_string(max_password_bytes) + " bytes");
  std::string salt = detail::random_bytes(salt_bytes);
  std::string hash = derive(password, salt, params, hash_bytes);
  std::string out(prefix);
  out += "N=" + std::to_string(params.n) + ",r=" + std::to_string(params.r) +
         ",p=" + std::to_string(params.p) + '$';
  out += detail::base64_encode(salt, detail::Alphabet::standard) + '$';
  out += detail::base64_encode(hash, detail::Alphabet::standard);
  OPENSSL_cleanse(hash.data(), hash.size());
  return out;
}

std::optional<PasswordHash> parse_password_hash(std::string_view stored) {
  if (!stored.starts_with(prefix)) return std::nullopt;
  std::string_view rest = stored.substr(prefix.size());
  std::size_t params_end = rest.find('$');
  if (params_end == std::string_view::npos) return std::nullopt;
  std::string_view params_text = rest.substr(0, params_end);
  rest.remove_prefix(params_end + 1);
  std::size_t salt_end = rest.find('$');
  if (salt_end == std::string_view::npos) return std::nullopt;
  std::string_view salt_text = rest.substr(0, salt_end);
  std::string_view hash_text = rest.substr(salt_end + 1);

  std::size_t comma1 = params_text.find(',');
  std::size_t comma2 =
      comma1 == std::string_view::npos ? comma1 : params_text.find(',', comma1 + 1);
  if (comma2 == std::string_view::npos) return std::nullopt;
  auto n = parameter(params_text.substr(0, comma1), "N");
  auto r = parameter(params_text.substr(comma1 + 1, comma2 - comma1 - 1), "r");
  auto p = parameter(params_text.substr(comma2 + 1), "p");
  if (!n || !r || !p || *r > max_r || *p > max_p) return std::nullopt;
  PasswordHash parsed;
  parsed.params = {*n, static_cast<std::uint32_t>(*r), static_cast<std::uint32_t>(*p)};
  if (!within_bounds(parsed.params)) return std::nullopt;

  auto salt = detail::base64_decode(salt_text, detail::Alphabet::standard);
  auto hash = detail::base64_decode(hash_text, detail::Alphabet::standard);
  if (!salt || !hash || salt->size() < salt_bytes || salt->size() > 64 ||
      hash->size() < hash_bytes || hash->size() > 64)
    return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

bool verify_password(std::string_view password, std::string_view stored) {
  if (password.size() > max_password_bytes) return false;
  auto parsed = parse_password_hash(stored);
  if (!parsed) return false;
  std::string computed = derive(password, parsed->salt, parsed->params, parsed->hash.size());
  bool match = detail::equal_in_constant_time(computed, parsed->hash);
  OPENSSL_cleanse(computed.data(), computed.size());
  return match;
}

bool needs_rehash(std::string_view stored, const ScryptParams& wanted) {
  auto parsed = parse_password_hash(stored);
  if (!parsed) return true;
  const ScryptParams& have = parsed->params;
  return have.n < wanted.n || have.r < wanted.r || have.p < wanted.p;
}

void simulate_password_check(std::string_view password, const ScryptParams& params) {
  if (!within_bounds(params)) return;
  static const std::string salt(salt_bytes, '\x5a');
  std::string discarded = derive(password.substr(0, max_password_bytes), salt, params, hash_bytes);
  OPENSSL_cleanse(discarded.data(), discarded.size());
}

}  // namespace eskit::runtime::auth
