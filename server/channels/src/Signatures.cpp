#include "wms/channels/Signatures.h"

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <array>

namespace wms::channels {
namespace {

// POCO 1.11's SHA2Engine lacks the block and digest sizes HMACEngine needs.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string hex(std::string_view bytes, const char* digits) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    auto b = static_cast<unsigned char>(ch);
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

Error unauthorized(std::string message) { return Error{ErrorKind::Unauthorized, std::move(message)}; }

// Compares a hex signature header with the expected digest bytes. The header
// is decoded (either case) and compared as bytes, in constant time.
Status verifyHex(std::string_view header, const std::string& expectedDigest, const char* headerName) {
  const std::string h = trimmed(header);
  if (h.empty()) return unauthorized(std::string("missing signature: no ") + headerName + " header");
  auto raw = fromHex(h);
  if (!raw) return unauthorized(std::string(headerName) + " is not a hex HMAC-SHA256 signature");
  if (!constantTimeEquals(*raw, expectedDigest))
    return unauthorized(std::string("signature mismatch: ") + headerName + " does not match the body");
  return {};
}

}  // namespace

std::string hmacSha256(std::string_view key, std::string_view message) {
  Poco::HMACEngine<Sha256Engine> engine{std::string(key)};
  engine.update(message.data(), static_cast<unsigned>(message.size()));
  const auto& d = engine.digest();
  return std::string(d.begin(), d.end());
}

std::string toBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                      static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string toHexLower(std::string_view bytes) { return hex(bytes, "0123456789abcdef"); }
std::string toHexUpper(std::string_view bytes) { return hex(bytes, "0123456789ABCDEF"); }

Result<std::string> fromBase64(std::string_view text) {
  if (text.size() % 4 != 0) return Error{ErrorKind::Invalid, "base64 text must be a multiple of 4 characters"};
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=') {
        // Padding only at the very end, and at most two.
        if (i + 4 != text.size() || k < 2) return Error{ErrorKind::Invalid, "misplaced '=' in base64 text"};
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return Error{ErrorKind::Invalid, "misplaced '=' in base64 text"};
        v[k] = b64Value(c);
        if (v[k] < 0) return Error{ErrorKind::Invalid, "not a base64 character in the text"};
      }
    }
    std::uint32_t n = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                      (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

Result<std::string> fromHex(std::string_view text) {
  if (text.size() % 2 != 0) return Error{ErrorKind::Invalid, "hex text must have an even number of digits"};
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = hexValue(text[i]), lo = hexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return Error{ErrorKind::Invalid, "not a hex digit in the text"};
    out += static_cast<char>((hi << 4) | lo);
  }
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) noexcept {
  // The lengths of digests are public; only their content must not leak.
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  return diff == 0;
}

std::string shopifyWebhookSignature(std::string_view secret, std::string_view body) {
  return toBase64(hmacSha256(secret, body));
}

Status verifyShopifyWebhook(std::string_view secret, std::string_view body, std::string_view header) {
  const std::string h = trimmed(header);
  if (h.empty()) return unauthorized("missing signature: no X-Shopify-Hmac-Sha256 header");
  auto raw = fromBase64(h);
  if (!raw) return unauthorized("X-Shopify-Hmac-Sha256 is not a base64 HMAC-SHA256 signature");
  if (!constantTimeEquals(*raw, hmacSha256(secret, body)))
    return unauthorized("signature mismatch: X-Shopify-Hmac-Sha256 does not match the body");
  return {};
}

std::string lazadaPushSignature(std::string_view appKey, std::string_view appSecret, std::string_view body) {
  return toHexLower(hmacSha256(appSecret, std::string(appKey) + std::string(body)));
}

Status verifyLazadaPush(std::string_view appKey, std::string_view appSecret, std::string_view body,
                        std::string_view header) {
  return verifyHex(header, hmacSha256(appSecret, std::string(appKey) + std::string(body)), "Authorization");
}

std::string shopeePushSignature(std::string_view partnerKey, std::string_view callbackUrl, std::string_view body) {
  return toHexLower(hmacSha256(partnerKey, std::string(callbackUrl) + "|" + std::string(body)));
}

Status verifyShopeePush(std::string_view partnerKey, std::string_view callbackUrl, std::string_view body,
                        std::string_view header) {
  return verifyHex(header, hmacSha256(partnerKey, std::string(callbackUrl) + "|" + std::string(body)),
                   "Authorization");
}

std::string tiktokWebhookSignature(std::string_view appKey, std::string_view appSecret, std::string_view body) {
  return toHexLower(hmacSha256(appSecret, std::string(appKey) + std::string(body)));
}

Status verifyTikTokWebhook(std::string_view appKey, std::string_view appSecret, std::string_view body,
                           std::string_view header) {
  return verifyHex(header, hmacSha256(appSecret, std::string(appKey) + std::string(body)), "Authorization");
}

std::string lazadaRequestSignature(std::string_view appSecret, std::string_view apiPath,
                                   const std::vector<std::pair<std::string, std::string>>& params) {
  auto sorted = params;
  std::sort(sorted.begin(), sorted.end());
  std::string text(apiPath);
  for (const auto& [k, v] : sorted) text += k + v;
  return toHexUpper(hmacSha256(appSecret, text));
}

std::string shopeeRequestSignature(std::string_view partnerKey, std::string_view partnerId, std::string_view apiPath,
                                   std::string_view timestamp, std::string_view accessToken,
                                   std::string_view shopId) {
  std::string text;
  text.append(partnerId).append(apiPath).append(timestamp).append(accessToken).append(shopId);
  return toHexLower(hmacSha256(partnerKey, text));
}

}  // namespace wms::channels
