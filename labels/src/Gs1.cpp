#include "wms/labels/Gs1.h"

#include <stdexcept>

#include "wms/gs1/Gs1.h"

namespace wms::labels {

int gs1CheckDigit(std::string_view digits) {
  const int digit = digits.empty() ? -1 : gs1::checkDigit(digits);
  if (digit < 0) throw std::invalid_argument("gs1CheckDigit needs a non-empty string of digits");
  return digit;
}

Result<std::string> normalizeSscc(std::string_view digits) {
  if (digits.size() != 17 && digits.size() != 18) {
    return makeError(ErrorKind::Invalid,
                     "sscc must have 17 or 18 digits, got " + std::to_string(digits.size()) + " characters");
  }
  if (gs1::checkDigit(digits) < 0) return makeError(ErrorKind::Invalid, "sscc must contain only digits");
  const int expected = gs1CheckDigit(digits.substr(0, 17));
  if (digits.size() == 17) return std::string(digits) + static_cast<char>('0' + expected);
  if (digits[17] - '0' != expected) {
    return makeError(ErrorKind::Invalid, "sscc check digit is " + std::string(1, digits[17]) + ", expected " +
                                             std::to_string(expected));
  }
  return std::string(digits);
}

std::string ssccElementString(std::string_view sscc) {
  return "00" + std::string(sscc);
}

std::string ssccHumanReadable(std::string_view sscc) {
  return "(00) " + std::string(sscc);
}

}  // namespace wms::labels
