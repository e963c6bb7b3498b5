// Identifiers on a parcel: the carrier's tracking number and the shipper's
// SSCC.
//
// Tracking numbers of the built-in carrier follow UPU S10, the format of
// postal items worldwide: two letters (service indicator), an eight-digit
// serial, a check digit and the ISO 3166 country code, e.g. EE123456785SG.
// The check digit weighs the serial's digits 8, 6, 4, 2, 3, 5, 9, 7; with S
// their weighted sum, C = 11 - (S mod 11), except that 10 becomes 0 and 11
// becomes 5.
//
// An SSCC (GS1 Serial Shipping Container Code, AI 00) is 18 digits: an
// extension digit, the GS1 company prefix (7-10 digits), a serial reference
// filling up to 17 digits, and the GS1 mod-10 check digit.
//
// Pure functions over values: no I/O, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::packing {

// The S10 check digit of an eight-digit serial. Throws std::invalid_argument
// if `serial` is not exactly eight ASCII digits (a misuse: callers validate).
int s10CheckDigit(std::string_view serial);

// The S10 identifier for a serial 0..99,999,999. Invalid if the service
// indicator or country is not two capital letters A-Z, or the serial is out
// of range.
Result<std::string> makeS10(std::string_view serviceIndicator, std::int64_t serial, std::string_view country);

// Checks an S10 identifier: 13 characters, letters and digits where they
// belong, and the check digit. Invalid naming what is wrong.
Status validateS10(std::string_view tracking);

// The largest serial reference an SSCC with this company prefix can carry
// (10^(16 - prefix length) - 1). Precondition: the prefix is 7..10 digits.
std::int64_t maxSsccSerial(std::string_view companyPrefix);

// The 18-digit SSCC: extension digit 0..9, company prefix 7..10 digits,
// serial 0..maxSsccSerial(prefix). Invalid for anything out of range.
Result<std::string> makeSscc(int extensionDigit, std::string_view companyPrefix, std::int64_t serial);

}  // namespace wms::packing
