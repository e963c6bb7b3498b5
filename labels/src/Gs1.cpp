#include "wms/labels/Gs1.h"

#include <stdexcept>

namespace wms::labels {
namespace {

bool allDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

int gs1CheckDigit(std::string_view digits) {
  if (digits.empty() || !allDigits(digits)) {
    throw std::invalid_argument("gs1CheckDigit needs a non-empty string of digits");
  }
  // Weights alternate 3,1,3... starting from the digit next to the check
  // digit (the rightmost), whatever the length.
  int sum = 0;
  int weight = 3;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

Result<std::string> normalizeSscc(std::string_view digits) {
  if (digits.size() != 17 && digits.size() != 18) {
    return makeError(ErrorKind::Invalid,
                     "sscc must have 17 or 18 digits, got " + std::to_string(digits.size()) + " characters");
  }
  if (!allDigits(digits)) return makeError(ErrorKind::Invalid, "sscc must contain only digits");
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
