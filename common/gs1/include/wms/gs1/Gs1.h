// wms::gs1: GS1 element strings, application identifiers and check digits,
// once for the whole system: what GS1-128, GS1 DataBar, GS1 DataMatrix and
// GS1 QR Code carry (GTIN, lot, expiry, serial, weight, SSCC, ...). The
// handheld reads scans with it, packing reads station scans, the pick
// handler reads the GTIN out of a scanned case label, labels and the
// catalogue compute check digits with it.
//
// parse() accepts the forms that reach us:
//  - raw element strings as ZXing returns them and scan engines send them,
//    with GS (0x1D) after each variable-length value, optionally led by a
//    symbology identifier (]C1, ]e0, ]d2, ]Q3, ]J1) and/or a leading GS;
//  - the human-readable form "(01)09501101530003(17)250630(10)LOT42", which
//    ZXing 1.4 returns for GS1 DataBar Expanded.
// Every value is checked: its length and character set for the AI, check
// digits (GTIN, SSCC, GLN), and dates (YYMMDD; DD = 00 means the month's last
// day). The first problem found is returned as an Error naming the AI and
// what was wrong ("AI 01 check digit is 3, expected 7").
//
// Pure functions over values: no I/O, no clock, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::gs1 {

struct Date {
  int year = 0;   // four digits, from YY by the GS1 century rule (ParseOptions)
  int month = 0;  // 1-12
  int day = 0;    // 1-31; the month's last day when the label said 00
  bool dayWasZero = false;
  // "2025-06-30"
  std::string iso() const;
  friend bool operator==(const Date&, const Date&) = default;
};

struct Element {
  std::string ai;            // "01", "3103", "91"
  std::string value;         // as encoded, e.g. "001750" for 3103
  std::optional<Date> date;  // for date AIs (11, 12, 13, 15, 16, 17)
  // For measure and price AIs (31xx-36xx, 392x): the value with the implied
  // decimal point applied, e.g. 1.750 for (3103)001750.
  std::optional<double> number;
  bool known = true;  // false for an AI outside our table, kept as text
};

class Data {
 public:
  const std::vector<Element>& elements() const noexcept { return elements_; }
  // The element with this AI, or nullptr.
  const Element* find(std::string_view ai) const noexcept;
  // Convenience: AI 01 (GTIN-14), 10 (lot), 21 (serial), 17 (expiry),
  // 15 (best before), 00 (SSCC); nullopt when absent.
  std::optional<std::string> gtin() const;
  std::optional<std::string> lot() const;
  std::optional<std::string> serial() const;
  std::optional<std::string> sscc() const;
  std::optional<Date> expiry() const;
  std::optional<Date> bestBefore() const;
  // Net weight in kilograms from 310x, if present.
  std::optional<double> netWeightKg() const;
  // "(01)09501101530003(10)LOT42"
  std::string humanReadable() const;

 private:
  friend class Parser;
  std::vector<Element> elements_;
};

struct ParseOptions {
  // The current year, for turning YY into a four-digit year by the GS1 rule
  // (within 49 years back to 50 years ahead). 0 means 2000 + YY.
  int referenceYear = 0;
};

// Inputs longer than this are refused (TooLarge) unread.
inline constexpr std::size_t kMaxLength = 4096;

// Parses GS1 data in any of the forms above. Errors: Malformed (not GS1 at
// all, truncated, unknown AI, bad characters), Invalid (a check digit, date
// or decimal position is wrong), TooLarge.
Result<Data> parse(std::string_view text, const ParseOptions& options = {});

// True if `digits` (all ASCII digits, at least 2) ends in a correct GS1
// mod-10 check digit.
bool hasValidCheckDigit(std::string_view digits) noexcept;
// The GS1 mod-10 check digit for `digits` (without it); -1 if not all digits.
int checkDigit(std::string_view digits) noexcept;

}  // namespace wms::gs1
