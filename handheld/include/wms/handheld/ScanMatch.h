// ScanMatch: is what was scanned what the step asked for? Checks a decoded
// barcode against the expected location, tote or item (any of the SKU's
// barcodes, GTINs compared as GTIN-14 whatever their printed form) and
// returns the GS1 data (lot, expiry, serial) that the pick confirmation
// needs, or a mismatch reason a picker can act on.
//
// Pure functions over values: no I/O, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"
#include "wms/handheld/Gs1.h"

namespace wms::handheld {

struct ScanExpectation {
  ScanTarget target = ScanTarget::Item;
  // Location and Tote: the code on the label ("A-01-02-3", "TOTE-0042"), or
  // for GS1 labels the GLN (AI 414) or SSCC (AI 00) it carries.
  std::string code;
  // Item: the SKU and every barcode registered for it: GTIN-8/12/13/14 in any
  // form (leading zeros or not), or internal codes compared as text.
  std::string sku;
  std::vector<std::string> itemBarcodes;
};

struct ScanMatch {
  Barcode barcode;                  // the barcode that matched
  std::string matched;              // the expected code or registered barcode it matched
  std::optional<std::string> gtin;  // GTIN-14 of an item scan, if it has one
  std::optional<Gs1Data> gs1;       // parsed GS1 data, when the barcode carries it
};

// Checks one barcode. Errors: Invalid when the barcode is of a kind the step
// does not take ("an EAN-13 where a location label is expected") or its data
// is bad (GS1 check digit, GTIN check digit); Conflict when it is the right
// kind but not the expected location/tote/item (the message names both).
Result<ScanMatch> matchScan(const Barcode& barcode, const ScanExpectation& expected,
                            const Gs1ParseOptions& options = {});

// Checks several barcodes from one frame: the first that matches wins.
// With none matching, the error is that of the first barcode of an
// acceptable kind (else the first barcode's). Invalid if `barcodes` is empty.
Result<ScanMatch> matchAnyScan(const std::vector<Barcode>& barcodes, const ScanExpectation& expected,
                               const Gs1ParseOptions& options = {});

// A GTIN-8, -12, -13 or -14 (digits only) as GTIN-14. Errors: Invalid for a
// wrong length, non-digits or a bad check digit (the message says which).
Result<std::string> normalizeGtin(std::string_view digits);

// Expands an 8-digit UPC-E (number system 0 or 1) to its 12-digit UPC-A.
Result<std::string> expandUpcE(std::string_view upce);

// The GTIN-14 a barcode carries, if any: EAN-8/13, UPC-A/E, ITF-14, GS1
// DataBar, or AI 01 of GS1 data. nullopt for barcodes without a GTIN;
// an Error when the barcode claims one but it is malformed.
Result<std::optional<std::string>> gtinOf(const Barcode& barcode, const Gs1ParseOptions& options = {});

}  // namespace wms::handheld
