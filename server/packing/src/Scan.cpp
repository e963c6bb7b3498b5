#include "wms/packing/Scan.h"
#include "wms/common/TextChecks.h"

#include <algorithm>
#include <cstdio>

#include "wms/domain/Catalog.h"
#include "wms/domain/Ids.h"
#include "wms/gs1/Gs1.h"

namespace wms::packing {
namespace {

constexpr char kGS = '\x1d';

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isDigit);
}

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}
Error malformed(std::string message) {
  return Error{ErrorKind::Malformed, std::move(message)};
}

std::string hexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// What a keyboard wedge wraps a scan in: the Enter it types after the code
// (CR, LF or both), and spaces a person may add when typing by hand.
std::string_view trimmed(std::string_view s) {
  auto isPad = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && isPad(s.front())) s.remove_prefix(1);
  while (!s.empty() && isPad(s.back())) s.remove_suffix(1);
  return s;
}

// AIM symbology identifiers that mark GS1 data; gs1::parse takes them.
bool isGs1SymbologyId(std::string_view s) {
  return s.size() >= 3 && (s.substr(0, 3) == "]C1" || s.substr(0, 3) == "]e0" || s.substr(0, 3) == "]d2" ||
                           s.substr(0, 3) == "]Q3" || s.substr(0, 3) == "]J1");
}

Result<ScannedCode> fromGs1(std::string_view text, std::string_view original) {
  auto parsed = gs1::parse(text);
  if (!parsed) return Error{parsed.error().kind, "unreadable GS1 data: " + parsed.error().message};
  ScannedCode code;
  code.text = std::string(original);
  code.kind = CodeKind::Gs1;
  auto gtin = parsed->gtin();
  if (!gtin) {
    if (auto sscc = parsed->sscc())
      return invalid("this is a carton label (SSCC " + *sscc + "), not an item");
    return invalid("GS1 data without a GTIN (AI 01): " + parsed->humanReadable());
  }
  code.key = *gtin;
  code.lot = parsed->lot();
  code.serial = parsed->serial();
  if (auto e = parsed->expiry()) code.expiry = e->iso();
  return code;
}

Result<ScannedCode> fromDigits(std::string_view digits) {
  switch (digits.size()) {
    case 8:
    case 12:
    case 13:
    case 14: {
      int expected = gs1::checkDigit(digits.substr(0, digits.size() - 1));
      int actual = digits.back() - '0';
      if (expected != actual)
        return invalid("barcode " + std::string(digits) + ": check digit is " + std::to_string(actual) +
                       ", expected " + std::to_string(expected) + " (a misread: scan again)");
      ScannedCode code;
      code.text = std::string(digits);
      code.kind = CodeKind::Gtin;
      code.key = std::string(14 - digits.size(), '0') + std::string(digits);
      return code;
    }
    default:
      break;
  }
  // GS1-128 and DataBar read by a wedge that drops the FNC1 characters:
  // digits that start with AI 01 or 02 and are longer than a GTIN.
  if (digits.size() >= 16 &&
      (digits.substr(0, 2) == "01" || digits.substr(0, 2) == "02" || digits.substr(0, 2) == "00"))
    return fromGs1(digits, digits);
  ScannedCode code;
  code.text = std::string(digits);
  code.kind = CodeKind::Internal;
  code.key = code.text;
  return code;
}

}  // namespace

const char* toString(CodeKind kind) noexcept {
  switch (kind) {
    case CodeKind::Gtin:
      return "gtin";
    case CodeKind::Gs1:
      return "gs1";
    case CodeKind::Internal:
      return "internal";
  }
  return "internal";
}

Result<ScannedCode> interpretScan(std::string_view raw) {
  // Length first: nothing beyond the limit is looked at.
  if (raw.size() > kMaxScanBytes + 2)
    return Error{ErrorKind::TooLarge, "scan is longer than " + std::to_string(kMaxScanBytes) + " bytes"};
  std::string_view text = trimmed(raw);
  if (text.empty()) return invalid("nothing was scanned");
  if (text.size() > kMaxScanBytes)
    return Error{ErrorKind::TooLarge, "scan is longer than " + std::to_string(kMaxScanBytes) + " bytes"};
  if (!isValidUtf8(text)) return malformed("scan is not valid text (invalid UTF-8): scan again");
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != static_cast<unsigned char>(kGS)) || c == 0x7F)
      return malformed("scan contains control character " + hexByte(c) + " at position " +
                       std::to_string(i + 1));
  }

  if (text.front() == ']') {
    if (isGs1SymbologyId(text)) return fromGs1(text, text);
    // Another symbology identifier (]E0 EAN-13, ]C0 Code 128, ]A0 Code 39...)
    // says nothing about the item: the data after it is the code.
    if (text.size() < 4) return malformed("scan '" + std::string(text) + "' is only a symbology identifier");
    std::string_view data = text.substr(3);
    if (data.find(kGS) != std::string_view::npos || data.front() == '(') return fromGs1(data, text);
    if (allDigits(data)) return fromDigits(data);
    ScannedCode code;
    code.text = std::string(data);
    code.key = code.text;
    return code;
  }
  if (text.find(kGS) != std::string_view::npos) return fromGs1(text, text);
  if (text.front() == '(' && text.size() > 3 && isDigit(text[1])) return fromGs1(text, text);
  if (allDigits(text)) return fromDigits(text);

  ScannedCode code;
  code.text = std::string(text);
  code.kind = CodeKind::Internal;
  code.key = code.text;
  return code;
}

}  // namespace wms::packing
