// Secrets: passwords hashed with PBKDF2-HMAC-SHA256 (OpenSSL) and a salt of
// their own, random tokens, and SHA-256 of tokens (a token is random enough
// that one fast hash is the right store; a password is not, hence the slow
// one). Comparisons of secrets take the same time whatever they hold.
//
// Threading: every function may be called from any thread.
#pragma once

#include <string>
#include <string_view>

namespace wms::identity {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
inline constexpr int kPasswordIterations = 600000;

// "pbkdf2-sha256$ITERATIONS$SALT$HASH" (salt and hash base64url, no padding).
std::string hashPassword(std::string_view password, int iterations = kPasswordIterations);
// Whether `password` hashes to `stored`; false for a stored text in any
// other form (nothing to match against is not a match).
bool verifyPassword(std::string_view password, std::string_view stored);

// `bytes` random bytes from the system's generator, base64url without padding.
std::string randomSecret(int bytes = 32);
// Lower-case hex SHA-256 of `text`.
std::string sha256Hex(std::string_view text);
// a == b in time that depends only on their lengths.
bool sameSecret(std::string_view a, std::string_view b);

}  // namespace wms::identity
