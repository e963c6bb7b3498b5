#include "wms/domain/Ids.h"
#include "wms/common/TextChecks.h"

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
