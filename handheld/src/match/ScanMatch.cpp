#include "wms/handheld/ScanMatch.h"

#include <algorithm>
#include <stdexcept>

namespace wms::handheld {
namespace {

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 48)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  return s.size() > 48 ? out + "..." : out;
}

std::string listed(const std::vector<std::string>& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size() && i < 5; ++i) out += (i ? ", " : "") + shown(codes[i]);
  if (codes.size() > 5) out += ", ... (" + std::to_string(codes.size()) + " in all)";
  return out.empty() ? "none registered" : out;
}

Error wrongKind(const Barcode& b, ScanTarget target) {
  return makeError(ErrorKind::Invalid, std::string("scanned ") + formatName(b.format) + " barcode " +
                                           shown(b.text) + " where " +
                                           (target == ScanTarget::Item       ? "an item barcode"
                                            : target == ScanTarget::Location ? "a location label"
                                                                             : "a tote label") +
                                           " is expected (" + formatsFor(target).toString() + ")");
}

Result<ScanMatch> matchLabel(const Barcode& b, const ScanExpectation& expected,
                             const Gs1ParseOptions& options) {
  ScanMatch m{b, {}, std::nullopt, std::nullopt};
  std::string_view want = trimmed(expected.code);
  if (want.empty()) throw std::invalid_argument("matchScan: expected location/tote code is empty");
  std::vector<std::string> candidates{std::string(trimmed(b.text))};
  if (b.isGs1()) {
    auto gs1 = parseGs1(b, options);
    if (!gs1) return gs1.error();
    for (const char* ai : {"414", "00"})
      if (const auto* e = gs1->find(ai)) candidates.push_back(e->value);
    m.gs1 = std::move(gs1).value();
  }
  for (const auto& c : candidates)
    if (c == want) {
      m.matched = std::string(want);
      return m;
    }
  return makeError(ErrorKind::Conflict, std::string("wrong ") + toString(expected.target) + ": scanned " +
                                            shown(candidates.size() > 1 ? candidates[1] : candidates[0]) +
                                            ", expected " + shown(want));
}

Result<ScanMatch> matchItem(const Barcode& b, const ScanExpectation& expected,
                            const Gs1ParseOptions& options) {
  ScanMatch m{b, {}, std::nullopt, std::nullopt};
  if (b.isGs1()) {
    auto gs1 = parseGs1(b, options);
    if (!gs1) return gs1.error();
    m.gs1 = std::move(gs1).value();
  }
  auto gtin = gtinOf(b, options);
  if (!gtin) return gtin.error();
  m.gtin = *gtin;

  for (const auto& registered : expected.itemBarcodes) {
    std::string_view r = trimmed(registered);
    if (m.gtin && allDigits(r)) {
      auto norm = normalizeGtin(r);
      if (norm && *norm == *m.gtin) {
        m.matched = registered;
        return m;
      }
    }
    // Internal codes, and UPC-E registered in its 8-digit printed form.
    if (r == trimmed(b.text)) {
      m.matched = registered;
      return m;
    }
  }
  std::string what = m.gtin ? "GTIN " + *m.gtin : "code " + shown(b.text);
  return makeError(ErrorKind::Conflict, "wrong item: scanned " + what + ", which is not a barcode of SKU " +
                                            shown(expected.sku) + " (" + listed(expected.itemBarcodes) + ")");
}

}  // namespace

Result<std::string> normalizeGtin(std::string_view digits) {
  if (!allDigits(digits))
    return makeError(ErrorKind::Invalid, "GTIN '" + shown(digits) + "' has a non-digit");
  std::size_t n = digits.size();
  if (n != 8 && n != 12 && n != 13 && n != 14)
    return makeError(ErrorKind::Invalid, "GTIN '" + shown(digits) + "' has " + std::to_string(n) +
                                             " digits, expected 8, 12, 13 or 14");
  int expected = gs1CheckDigit(digits.substr(0, n - 1));
  if (expected != digits.back() - '0')
    return makeError(ErrorKind::Invalid, "GTIN " + std::string(digits) + " check digit is " + digits.back() +
                                             ", expected " + std::to_string(expected));
  return std::string(14 - n, '0') + std::string(digits);
}

Result<std::string> expandUpcE(std::string_view e) {
  if (e.size() != 8 || !allDigits(e))
    return makeError(ErrorKind::Invalid, "UPC-E '" + shown(e) + "' is not 8 digits");
  if (e[0] != '0' && e[0] != '1')
    return makeError(ErrorKind::Invalid,
                     "UPC-E " + std::string(e) + " has number system " + e[0] + ", expected 0 or 1");
  std::string d(e.substr(1, 6));
  std::string body;
  switch (d[5]) {
    case '0':
    case '1':
    case '2':
      body = d.substr(0, 2) + d[5] + "0000" + d.substr(2, 3);
      break;
    case '3':
      body = d.substr(0, 3) + "00000" + d.substr(3, 2);
      break;
    case '4':
      body = d.substr(0, 4) + "00000" + d[4];
      break;
    default:
      body = d.substr(0, 5) + "0000" + d[5];
      break;
  }
  std::string upca = std::string(1, e[0]) + body + e[7];
  int expected = gs1CheckDigit(std::string_view(upca).substr(0, 11));
  if (expected != upca.back() - '0')
    return makeError(ErrorKind::Invalid, "UPC-E " + std::string(e) + " check digit is " + e[7] +
                                             ", expected " + std::to_string(expected));
  return upca;
}

Result<std::optional<std::string>> gtinOf(const Barcode& b, const Gs1ParseOptions& options) {
  using R = Result<std::optional<std::string>>;
  auto fromDigits = [](std::string_view d) -> R {
    auto g = normalizeGtin(d);
    if (!g) return g.error();
    return std::optional<std::string>(std::move(g).value());
  };
  switch (b.format) {
    case BarcodeFormat::Ean8:
    case BarcodeFormat::Ean13:
    case BarcodeFormat::UpcA:
      return fromDigits(b.text);
    case BarcodeFormat::UpcE: {
      auto a = expandUpcE(b.text);
      if (!a) return a.error();
      return fromDigits(*a);
    }
    case BarcodeFormat::Itf:
      // Only ITF-14 carries a GTIN; other ITF lengths are internal codes.
      if (b.text.size() == 14 && allDigits(b.text)) return fromDigits(b.text);
      return std::optional<std::string>();
    default:
      break;
  }
  if (!b.isGs1()) return std::optional<std::string>();
  auto gs1 = parseGs1(b, options);
  if (!gs1) return gs1.error();
  return gs1->gtin();
}

Result<ScanMatch> matchScan(const Barcode& barcode, const ScanExpectation& expected,
                            const Gs1ParseOptions& options) {
  if (!formatsFor(expected.target).contains(barcode.format)) return wrongKind(barcode, expected.target);
  if (expected.target == ScanTarget::Item) return matchItem(barcode, expected, options);
  return matchLabel(barcode, expected, options);
}

Result<ScanMatch> matchAnyScan(const std::vector<Barcode>& barcodes, const ScanExpectation& expected,
                               const Gs1ParseOptions& options) {
  if (barcodes.empty()) return makeError(ErrorKind::Invalid, "nothing was scanned");
  std::optional<Error> firstRightKind;
  std::optional<Error> first;
  for (const auto& b : barcodes) {
    auto m = matchScan(b, expected, options);
    if (m) return m;
    if (!first) first = m.error();
    if (!firstRightKind && formatsFor(expected.target).contains(b.format)) firstRightKind = m.error();
  }
  return firstRightKind ? *firstRightKind : *first;
}

}  // namespace wms::handheld
