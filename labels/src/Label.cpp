// The label JSON gate, over the one reader of untrusted JSON (wms::json).
#include "wms/labels/Label.h"

#include <sstream>

#include "wms/common/TextChecks.h"
#include "wms/json/ObjectReader.h"

#include "Text.h"
#include "wms/labels/Gs1.h"

namespace wms::labels {
namespace {

Error invalid(const std::string& message) {
  return makeError(ErrorKind::Invalid, message);
}

// --- field rules, shared by the parser and validateLabel -------------------

Status checkText(const std::string& path, const std::string& value, bool required, std::size_t maxChars) {
  if (!isValidUtf8(value)) return invalid(path + " is not valid UTF-8");
  if (required && text::trim(value).empty()) return invalid(path + " is required");
  const std::size_t chars = text::codePointCount(value);
  if (chars > maxChars) {
    return invalid(path + " is " + std::to_string(chars) + " characters long, at most " +
                   std::to_string(maxChars) + " are allowed");
  }
  return {};
}

bool isAsciiPrintable(char c) {
  return c >= 0x20 && c <= 0x7E;
}

Status checkAddress(const std::string& path, const Address& a) {
  const std::pair<const char*, const std::string*> required[] = {{"name", &a.name},
                                                                 {"line1", &a.line1},
                                                                 {"city", &a.city},
                                                                 {"postal_code", &a.postalCode},
                                                                 {"country", &a.country}};
  for (const auto& [key, value] : required) {
    if (auto s = checkText(path + "." + key, *value, true, kMaxTextChars); !s) return s;
  }
  const std::pair<const char*, const std::string*> optional[] = {
      {"company", &a.company}, {"line2", &a.line2}, {"region", &a.region}};
  for (const auto& [key, value] : optional) {
    if (auto s = checkText(path + "." + key, *value, false, kMaxTextChars); !s) return s;
  }
  if (auto s = checkText(path + ".phone", a.phone, false, 40); !s) return s;
  if (a.postalCode.size() > 16) return invalid(path + ".postal_code is longer than 16 characters");
  for (char c : a.postalCode) {
    const bool ok =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-';
    if (!ok) return invalid(path + ".postal_code may contain only letters, digits, spaces and '-'");
  }
  if (a.country.size() != 2 || a.country[0] < 'A' || a.country[0] > 'Z' || a.country[1] < 'A' ||
      a.country[1] > 'Z') {
    return invalid(path + ".country must be a two-letter ISO 3166 code in capitals, like \"TH\"");
  }
  return {};
}

Status checkLabel(const ShippingLabel& label) {
  if (auto s = checkAddress("ship_from", label.shipFrom); !s) return s;
  if (auto s = checkAddress("ship_to", label.shipTo); !s) return s;

  const std::string& ref = label.orderReference;
  if (text::trim(ref).empty()) return invalid("order.reference is required");
  if (ref.size() > kMaxOrderReferenceChars) {
    return invalid("order.reference is longer than " + std::to_string(kMaxOrderReferenceChars) +
                   " characters");
  }
  for (char c : ref) {
    if (!isAsciiPrintable(c)) return invalid("order.reference may contain only printable ASCII characters");
  }
  if (auto s = checkText("order.channel_order_id", label.channelOrderId, false, 64); !s) return s;
  if (auto s = checkText("carrier.name", label.carrier, true, 64); !s) return s;
  if (auto s = checkText("carrier.service", label.service, true, 64); !s) return s;

  const std::string& tn = label.trackingNumber;
  if (tn.empty()) return invalid("tracking_number is required");
  if (tn.size() > kMaxTrackingChars) {
    return invalid("tracking_number is longer than " + std::to_string(kMaxTrackingChars) + " characters");
  }
  for (char c : tn) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    if (!ok) return invalid("tracking_number may contain only letters, digits and '-'");
  }

  if (label.weightGrams < 1 || label.weightGrams > 1'000'000) {
    return invalid("weight_grams must be between 1 and 1000000, got " + std::to_string(label.weightGrams));
  }
  if (label.cartonCount < 1 || label.cartonCount > 999) {
    return invalid("carton.count must be between 1 and 999, got " + std::to_string(label.cartonCount));
  }
  if (label.cartonNumber < 1 || label.cartonNumber > label.cartonCount) {
    return invalid("carton.number must be between 1 and carton.count (" + std::to_string(label.cartonCount) +
                   "), got " + std::to_string(label.cartonNumber));
  }
  if (label.sscc.size() != 18) return invalid("sscc must have 18 digits");
  if (auto normalized = normalizeSscc(label.sscc); !normalized) return normalized.error();
  return {};
}

// --- JSON reading -----------------------------------------------------------

using json::Need;
using json::ObjectReader;

// Misspelt keys are reported, not silently ignored; anything that is not a
// JSON object is Malformed (docs/labels.md).
constexpr json::Rules kLabelRules{
    .maxBytes = kMaxLabelJsonBytes,
    .maxDepth = 16,  // the schema needs 3
    .notJsonObjectKind = ErrorKind::Malformed,
    .wording = {.tooLarge = "{what} is too large: at most {n} bytes are accepted",
                .notJsonObject = "{what} must be an object",
                .unknown = "unknown field {path}"}};

// Strings are read whole; their lengths in characters are checkLabel's.
constexpr std::size_t kAnyLength = kMaxLabelJsonBytes;

// An object's unknown fields are named as soon as it has been read, before
// the fields after it.
Status readAddress(ObjectReader& parent, const std::string& key, Address& out) {
  ObjectReader r = parent.object(key, Need::Required);
  const std::pair<const char*, std::string*> fields[] = {{"name", &out.name},
                                                         {"company", &out.company},
                                                         {"line1", &out.line1},
                                                         {"line2", &out.line2},
                                                         {"city", &out.city},
                                                         {"region", &out.region},
                                                         {"postal_code", &out.postalCode},
                                                         {"country", &out.country},
                                                         {"phone", &out.phone}};
  for (const auto& [name, target] : fields) *target = r.text(name, Need::Optional, kAnyLength);
  return r.finish();
}

Result<ShippingLabel> readLabel(ObjectReader& r) {
  ShippingLabel label;
  if (auto s = readAddress(r, "ship_from", label.shipFrom); !s) return s.error();
  if (auto s = readAddress(r, "ship_to", label.shipTo); !s) return s.error();

  {
    ObjectReader o = r.object("order", Need::Required);
    label.orderReference = o.text("reference", Need::Optional, kAnyLength);
    const std::string channel = o.text("channel", Need::Optional, kAnyLength);
    label.channelOrderId = o.text("channel_order_id", Need::Optional, kAnyLength);
    if (auto s = o.finish(); !s) return s.error();
    if (channel.empty()) return invalid("order.channel is required");
    auto known = salesChannelFrom(channel);
    if (!known) {
      return invalid("order.channel must be one of shopify, lazada, shopee, tiktok, amazon, pos, manual");
    }
    label.channel = *known;
  }

  {
    ObjectReader c = r.object("carrier", Need::Required);
    label.carrier = c.text("name", Need::Optional, kAnyLength);
    label.service = c.text("service", Need::Optional, kAnyLength);
    if (auto s = c.finish(); !s) return s.error();
  }

  label.trackingNumber = r.text("tracking_number", Need::Optional, kAnyLength);
  label.weightGrams = r.integer("weight_grams", Need::Required);
  if (auto s = r.status(); !s) return s.error();

  {
    ObjectReader c = r.object("carton", Need::Required);
    const std::int64_t number = c.integer("number", Need::Required);
    const std::int64_t count = c.integer("count", Need::Required);
    if (auto s = c.finish(); !s) return s.error();
    if (count < 1 || count > 999)
      return invalid("carton.count must be between 1 and 999, got " + std::to_string(count));
    if (number < 1 || number > count) {
      return invalid("carton.number must be between 1 and carton.count (" + std::to_string(count) +
                     "), got " + std::to_string(number));
    }
    label.cartonNumber = static_cast<int>(number);
    label.cartonCount = static_cast<int>(count);
  }

  const std::string sscc = r.text("sscc", Need::Optional, kAnyLength);
  if (auto s = r.status(); !s) return s.error();
  if (sscc.empty()) return invalid("sscc is required");
  auto normalized = normalizeSscc(sscc);
  if (!normalized) return normalized.error();
  label.sscc = normalized.value();

  if (auto s = r.finish(); !s) return s.error();
  if (auto s = checkLabel(label); !s) return s.error();
  return label;
}

void writeString(std::ostringstream& out, const std::string& value) {
  static const char* hex = "0123456789abcdef";
  out << '"';
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\n':
        out << "\\n";
        break;
      case '\r':
        out << "\\r";
        break;
      case '\t':
        out << "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out << "\\u00" << hex[c >> 4] << hex[c & 0xF];
        } else {
          out << ch;
        }
    }
  }
  out << '"';
}

void writeAddress(std::ostringstream& out, const Address& a) {
  out << "{\"name\": ";
  writeString(out, a.name);
  const std::pair<const char*, const std::string*> optional[] = {
      {"company", &a.company}, {"line1", &a.line1},   {"line2", &a.line2},
      {"city", &a.city},       {"region", &a.region}, {"postal_code", &a.postalCode},
      {"country", &a.country}, {"phone", &a.phone}};
  for (const auto& [key, value] : optional) {
    if (value->empty()) continue;
    out << ", \"" << key << "\": ";
    writeString(out, *value);
  }
  out << '}';
}

}  // namespace

Result<ShippingLabel> parseLabelJson(std::string_view json) {
  auto r = ObjectReader::parse(json, "label JSON", kLabelRules);
  if (!r) return r.error();
  return readLabel(*r);
}

Status validateLabel(const ShippingLabel& label) {
  return checkLabel(label);
}

std::string labelToJson(const ShippingLabel& label) {
  std::ostringstream out;
  out << "{\n  \"ship_from\": ";
  writeAddress(out, label.shipFrom);
  out << ",\n  \"ship_to\": ";
  writeAddress(out, label.shipTo);
  out << ",\n  \"order\": {\"reference\": ";
  writeString(out, label.orderReference);
  out << ", \"channel\": \"" << toString(label.channel) << '"';
  if (!label.channelOrderId.empty()) {
    out << ", \"channel_order_id\": ";
    writeString(out, label.channelOrderId);
  }
  out << "},\n  \"carrier\": {\"name\": ";
  writeString(out, label.carrier);
  out << ", \"service\": ";
  writeString(out, label.service);
  out << "},\n  \"tracking_number\": ";
  writeString(out, label.trackingNumber);
  out << ",\n  \"weight_grams\": " << label.weightGrams;
  out << ",\n  \"carton\": {\"number\": " << label.cartonNumber << ", \"count\": " << label.cartonCount
      << '}';
  out << ",\n  \"sscc\": ";
  writeString(out, label.sscc);
  out << "\n}\n";
  return out.str();
}

}  // namespace wms::labels
