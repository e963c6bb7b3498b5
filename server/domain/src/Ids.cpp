#include "wms/domain/Ids.h"

#include <string>

namespace wms::domain {
namespace {

bool isCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool isAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }

}  // namespace

Status checkCode(std::string_view value, std::string_view what, std::size_t maxLength) {
  if (value.empty()) return invalid(std::string(what) + " is required");
  if (value.size() > maxLength)
    return invalid(std::string(what) + " is longer than " + std::to_string(maxLength) + " characters");
  if (!isAlnum(value.front()))
    return invalid(std::string(what) + " must start with a letter or digit");
  for (char c : value) {
    if (!isCodeChar(c))
      return invalid(std::string(what) + " may contain only letters, digits, '.', '_' and '-'");
  }
  return {};
}

Status checkExternalId(std::string_view value, std::string_view what) {
  if (value.empty()) return invalid(std::string(what) + " is required");
  if (value.size() > kMaxExternalIdLength)
    return invalid(std::string(what) + " is longer than " + std::to_string(kMaxExternalIdLength) + " characters");
  for (char c : value) {
    if (c < 0x21 || c > 0x7e) return invalid(std::string(what) + " may contain only printable ASCII without spaces");
  }
  return {};
}

bool isValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Status checkText(std::string_view value, std::string_view what, std::size_t maxChars, bool required) {
  if (value.empty()) {
    if (required) return invalid(std::string(what) + " is required");
    return {};
  }
  if (!isValidUtf8(value)) return invalid(std::string(what) + " is not valid UTF-8");
  std::size_t chars = 0;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7F) return invalid(std::string(what) + " contains a control character");
  }
  if (chars > maxChars)
    return invalid(std::string(what) + " is longer than " + std::to_string(maxChars) + " characters");
  return {};
}

Status checkPositiveQuantity(std::int64_t qty, std::string_view what) {
  if (qty <= 0) return invalid(std::string(what) + " must be a positive whole number, got " + std::to_string(qty));
  if (qty > kMaxQuantity)
    return invalid(std::string(what) + " must be at most " + std::to_string(kMaxQuantity) + ", got " +
                   std::to_string(qty));
  return {};
}

}  // namespace wms::domain
