#include "wms/identity/Secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace wms::identity {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const unsigned char* data, std::size_t n) {
  std::string out;
  out.reserve((n * 4 + 2) / 3);
  for (std::size_t i = 0; i < n; i += 3) {
    unsigned v = static_cast<unsigned>(data[i]) << 16;
    if (i + 1 < n) v |= static_cast<unsigned>(data[i + 1]) << 8;
    if (i + 2 < n) v |= data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (i + 1 < n) out += kAlphabet[(v >> 6) & 63];
    if (i + 2 < n) out += kAlphabet[v & 63];
  }
  return out;
}

bool pbkdf2(std::string_view password, std::string_view salt, int iterations, unsigned char* out, int outLen) {
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                           reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                           iterations, EVP_sha256(), outLen, out) == 1;
}

}  // namespace

std::string randomSecret(int bytes) {
  std::vector<unsigned char> buf(static_cast<std::size_t>(bytes));
  // Without randomness no secret can be made; that is not a state to go on in.
  if (RAND_bytes(buf.data(), bytes) != 1) throw std::runtime_error("the system's random generator failed");
  return base64url(buf.data(), buf.size());
}

std::string sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char c : digest) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

bool sameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hashPassword(std::string_view password, int iterations) {
  const std::string salt = randomSecret(16);
  unsigned char hash[32];
  if (!pbkdf2(password, salt, iterations, hash, sizeof hash)) throw std::runtime_error("PBKDF2 failed");
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt + "$" + base64url(hash, sizeof hash);
}

bool verifyPassword(std::string_view password, std::string_view stored) {
  constexpr std::string_view kScheme = "pbkdf2-sha256$";
  if (stored.substr(0, kScheme.size()) != kScheme) return false;
  stored.remove_prefix(kScheme.size());
  const auto d1 = stored.find('$');
  const auto d2 = stored.find('$', d1 == std::string_view::npos ? d1 : d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos) return false;
  int iterations = 0;
  for (char c : stored.substr(0, d1)) {
    if (c < '0' || c > '9' || iterations > 100000000) return false;
    iterations = iterations * 10 + (c - '0');
  }
  if (iterations < 1000) return false;
  const auto salt = stored.substr(d1 + 1, d2 - d1 - 1);
  const auto expected = stored.substr(d2 + 1);
  unsigned char hash[32];
  if (!pbkdf2(password, salt, iterations, hash, sizeof hash)) return false;
  return sameSecret(base64url(hash, sizeof hash), expected);
}

}  // namespace wms::identity
