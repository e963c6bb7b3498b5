#include "wms/packing/Tracking.h"

#include <algorithm>
#include <stdexcept>

#include "wms/gs1/Gs1.h"

namespace wms::packing {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isDigit);
}
bool twoLetters(std::string_view s) {
  return s.size() == 2 && isUpper(s[0]) && isUpper(s[1]);
}

std::string padded(std::int64_t value, std::size_t width) {
  std::string s = std::to_string(value);
  return std::string(width > s.size() ? width - s.size() : 0, '0') + s;
}

}  // namespace

int s10CheckDigit(std::string_view serial) {
  if (serial.size() != 8 || !allDigits(serial))
    throw std::invalid_argument("s10CheckDigit: the serial must be eight digits");
  static constexpr int kWeights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += (serial[i] - '0') * kWeights[i];
  int c = 11 - sum % 11;
  if (c == 10) return 0;
  if (c == 11) return 5;
  return c;
}

Result<std::string> makeS10(std::string_view serviceIndicator, std::int64_t serial,
                            std::string_view country) {
  if (!twoLetters(serviceIndicator))
    return invalid("S10 service indicator must be two capital letters, got '" +
                   std::string(serviceIndicator) + "'");
  if (!twoLetters(country))
    return invalid("S10 country must be an ISO 3166 code of two capital letters, got '" +
                   std::string(country) + "'");
  if (serial < 0 || serial > 99'999'999)
    return invalid("S10 serial must be 0..99999999, got " + std::to_string(serial));
  std::string digits = padded(serial, 8);
  return std::string(serviceIndicator) + digits + std::to_string(s10CheckDigit(digits)) +
         std::string(country);
}

Status validateS10(std::string_view t) {
  if (t.size() != 13)
    return invalid("an S10 tracking number has 13 characters, got " + std::to_string(t.size()));
  if (!twoLetters(t.substr(0, 2))) return invalid("an S10 tracking number starts with two capital letters");
  if (!allDigits(t.substr(2, 9)))
    return invalid("an S10 tracking number has nine digits after its two letters");
  if (!twoLetters(t.substr(11, 2)))
    return invalid("an S10 tracking number ends with a two-letter country code");
  int expected = s10CheckDigit(t.substr(2, 8));
  int actual = t[10] - '0';
  if (expected != actual)
    return invalid("S10 check digit is " + std::to_string(actual) + ", expected " + std::to_string(expected));
  return {};
}

std::int64_t maxSsccSerial(std::string_view companyPrefix) {
  std::int64_t max = 1;
  for (std::size_t i = companyPrefix.size(); i < 16; ++i) max *= 10;
  return max - 1;
}

Result<std::string> makeSscc(int extensionDigit, std::string_view companyPrefix, std::int64_t serial) {
  if (extensionDigit < 0 || extensionDigit > 9)
    return invalid("SSCC extension digit must be 0..9, got " + std::to_string(extensionDigit));
  if (companyPrefix.size() < 7 || companyPrefix.size() > 10 || !allDigits(companyPrefix))
    return invalid("GS1 company prefix must be 7 to 10 digits, got '" + std::string(companyPrefix) + "'");
  const std::int64_t max = maxSsccSerial(companyPrefix);
  if (serial < 0 || serial > max)
    return invalid("SSCC serial reference must be 0.." + std::to_string(max) + " for company prefix " +
                   std::string(companyPrefix) + ", got " + std::to_string(serial));
  std::string body =
      std::to_string(extensionDigit) + std::string(companyPrefix) + padded(serial, 16 - companyPrefix.size());
  return body + std::to_string(gs1::checkDigit(body));
}

}  // namespace wms::packing
