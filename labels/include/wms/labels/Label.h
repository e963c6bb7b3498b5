// The shipping label model and its JSON form (docs/labels.md has the schema).
//
// A ShippingLabel is plain data. parseLabelJson is the gate for outside input:
// it returns a label that passed validateLabel, or an Error whose message
// names the offending field ("ship_to.postal_code is required"). Text fields
// are kept as given (valid UTF-8); control characters in them are replaced
// by the renderers, not here (see sanitizeForPrint in Drawing.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/common/SalesChannel.h"

namespace wms::labels {

// Largest label JSON document parseLabelJson accepts, in bytes.
inline constexpr std::size_t kMaxLabelJsonBytes = 64 * 1024;
// Longest free-text field (names, address lines), in Unicode code points.
inline constexpr std::size_t kMaxTextChars = 300;
// Longest tracking number: 1..30 of [A-Za-z0-9-], so that a Code 128 of it
// fits every template at a scannable module width.
inline constexpr std::size_t kMaxTrackingChars = 30;
// Longest order reference (printable ASCII; encoded in the QR code).
inline constexpr std::size_t kMaxOrderReferenceChars = 64;

struct Address {
  std::string name;        // required
  std::string company;     // optional
  std::string line1;       // required
  std::string line2;       // optional
  std::string city;        // required
  std::string region;      // optional (state, province)
  std::string postalCode;  // required: 1..16 of [A-Za-z0-9 -]
  std::string country;     // required: ISO 3166-1 alpha-2, upper case ("TH")
  std::string phone;       // optional, at most 40 characters

  friend bool operator==(const Address&, const Address&) = default;
};

// The sales channel an order came from is the system's one SalesChannel
// (wms/common/SalesChannel.h): toString gives its JSON spelling ("tiktok"),
// displayName the printed name ("TikTok Shop").
using Channel = SalesChannel;

struct ShippingLabel {
  Address shipFrom;
  Address shipTo;
  std::string orderReference;  // our order id: printed and in the QR code
  Channel channel = Channel::Shopify;
  std::string channelOrderId;    // optional: the channel's own order number
  std::string carrier;           // required, at most 64 characters
  std::string service;           // required, at most 64 characters
  std::string trackingNumber;    // required, see kMaxTrackingChars
  std::int64_t weightGrams = 0;  // 1 .. 1,000,000
  int cartonNumber = 1;          // 1 .. cartonCount
  int cartonCount = 1;           // 1 .. 999
  std::string sscc;              // 18 digits, GS1 check digit correct

  friend bool operator==(const ShippingLabel&, const ShippingLabel&) = default;
};

// Parses and validates a label JSON document. Errors: TooLarge (over
// kMaxLabelJsonBytes), Malformed (not JSON, or not an object), Invalid (a
// field missing, of the wrong type, unknown or out of range; the message
// names the field by its JSON path). A 17-digit "sscc" gets its check digit
// appended; an 18-digit one must carry the right check digit.
Result<ShippingLabel> parseLabelJson(std::string_view json);

// Checks a label built in code against the same rules as parseLabelJson
// (the SSCC must already be 18 digits). Renderers call it first.
Status validateLabel(const ShippingLabel& label);

// The JSON form of a label, accepted back by parseLabelJson (round trip).
std::string labelToJson(const ShippingLabel& label);

}  // namespace wms::labels
