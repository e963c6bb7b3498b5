#include "wms/packing/PackingConfig.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>

#include "wms/domain/Csv.h"
#include "wms/domain/Ids.h"
#include "wms/packing/Tracking.h"

namespace wms::packing {
namespace {

Error invalid(const std::string& key, const std::string& message) {
  return Error{ErrorKind::Invalid, "config " + key + ": " + message};
}

Result<std::int64_t> whole(const std::string& key, const std::string& text, std::int64_t lo,
                           std::int64_t hi) {
  auto v = domain::parseInt64(text);
  if (!v || *v < lo || *v > hi)
    return invalid(key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                            ", got '" + text + "'");
  return *v;
}

Result<double> fraction(const std::string& key, const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(v > 0.0 && v <= 1.0))
    return invalid(key, "must be a number above 0 and at most 1, got '" + text + "'");
  return v;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',') {
      auto b = cur.find_first_not_of(" \t");
      auto e = cur.find_last_not_of(" \t");
      if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// "350x250x150" in millimetres.
Result<domain::Dimensions> dims(const std::string& key, const std::string& text) {
  domain::Dimensions d;
  std::int64_t* parts[3] = {&d.lengthMm, &d.widthMm, &d.heightMm};
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    std::size_t x = i < 2 ? text.find('x', start) : text.size();
    if (x == std::string::npos) return invalid(key, "must be LENGTHxWIDTHxHEIGHT in mm, got '" + text + "'");
    auto v = domain::parseInt64(std::string_view(text).substr(start, x - start));
    if (!v || *v < 1 || *v > 10000)
      return invalid(key, "must be LENGTHxWIDTHxHEIGHT with each 1..10000 mm, got '" + text + "'");
    *parts[i] = *v;
    start = x + 1;
  }
  return d;
}

// What the keys of one carton said; unset fields keep the default type's.
struct CartonKeys {
  std::optional<std::string> name;
  std::optional<CartonKind> kind;
  std::optional<domain::Dimensions> inner;
  std::optional<std::int64_t> maxWeightG;
  std::optional<std::int64_t> tareG;
};

}  // namespace

const char* toString(UnshippedPolicy policy) noexcept {
  return policy == UnshippedPolicy::Keep ? "keep" : "release";
}

const PrinterSettings* PackingConfig::printer(const std::string& id) const {
  for (const auto& p : printers) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

Result<PackingConfig> packingConfigFrom(const std::map<std::string, std::string>& raw) {
  PackingConfig c;
  std::map<std::string, CartonKeys> cartonKeys;
  std::vector<std::string> cartonList;
  bool cartonListSet = false;
  bool carrierCountrySet = false;
  std::map<std::string, PrinterSettings> printers;
  std::int64_t initialBackoff = c.retry.initialBackoff.count(), maxBackoff = c.retry.maxBackoff.count();

  for (const auto& [key, value] : raw) {
    const bool packing = key.rfind("packing.", 0) == 0;
    const bool printing = key.rfind("printing.", 0) == 0;
    if (!packing && !printing) continue;
    const std::string rest = key.substr(packing ? 8 : 9);

    if (packing && rest.rfind("ship_from.", 0) == 0) {
      const std::string f = rest.substr(10);
      auto& a = c.shipFrom;
      std::string* field = f == "name"          ? &a.name
                           : f == "company"     ? &a.company
                           : f == "line1"       ? &a.line1
                           : f == "line2"       ? &a.line2
                           : f == "city"        ? &a.city
                           : f == "region"      ? &a.region
                           : f == "postal_code" ? &a.postalCode
                           : f == "country"     ? &a.country
                           : f == "phone"       ? &a.phone
                                                : nullptr;
      if (!field) return invalid(key, "unknown setting");
      if (auto st = domain::checkText(value, key, labels::kMaxTextChars); !st)
        return invalid(key, st.error().message);
      *field = value;
    } else if (packing && rest == "order_reference_prefix") {
      if (value.size() > 16 ||
          !std::all_of(value.begin(), value.end(), [](char ch) { return ch > 0x20 && ch < 0x7F; }))
        return invalid(key, "must be 0..16 printable ASCII characters without spaces, got '" + value + "'");
      c.orderReferencePrefix = value;
    } else if (packing && rest == "unshipped_allocation") {
      if (value == "release")
        c.unshipped = UnshippedPolicy::Release;
      else if (value == "keep")
        c.unshipped = UnshippedPolicy::Keep;
      else
        return invalid(key, "must be release or keep, got '" + value + "'");
    } else if (packing && rest == "gs1_company_prefix") {
      if (!makeSscc(0, value, 0))
        return invalid(key, "must be a GS1 company prefix of 7 to 10 digits, got '" + value + "'");
      c.gs1CompanyPrefix = value;
    } else if (packing && rest == "sscc_extension") {
      auto v = whole(key, value, 0, 9);
      if (!v) return v.error();
      c.ssccExtension = static_cast<int>(*v);
    } else if (packing && rest == "default_carrier") {
      if (auto st = domain::checkCode(value, key, 32); !st) return invalid(key, st.error().message);
      c.defaultCarrier = value;
    } else if (packing && rest.rfind("builtin_carrier.", 0) == 0) {
      const std::string f = rest.substr(16);
      auto& b = c.builtInCarrier;
      if (f == "code") {
        if (auto st = domain::checkCode(value, key, 32); !st) return invalid(key, st.error().message);
        b.code = value;
      } else if (f == "name") {
        if (value.empty() || value.size() > 64 || !domain::checkText(value, key, 64))
          return invalid(key, "must be 1..64 characters of text");
        b.name = value;
      } else if (f == "service_indicator" || f == "country") {
        if (value.size() != 2 ||
            !std::all_of(value.begin(), value.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
          return invalid(key, "must be two capital letters, got '" + value + "'");
        (f == "country" ? b.country : b.serviceIndicator) = value;
        if (f == "country") carrierCountrySet = true;
      } else {
        return invalid(key, "unknown setting");
      }
    } else if (packing && rest == "cartons") {
      cartonList = splitList(value);
      cartonListSet = true;
      if (cartonList.empty()) return invalid(key, "must list at least one carton code");
    } else if (packing && rest.rfind("carton.", 0) == 0) {
      const std::string tail = rest.substr(7);
      auto dot = tail.rfind('.');
      if (dot == std::string::npos || dot == 0) return invalid(key, "unknown setting");
      const std::string code = tail.substr(0, dot), f = tail.substr(dot + 1);
      if (auto st = domain::checkCode(code, "carton code", 32); !st) return invalid(key, st.error().message);
      auto& ck = cartonKeys[code];
      if (f == "name") {
        if (auto st = domain::checkText(value, key, 100, true); !st) return invalid(key, st.error().message);
        ck.name = value;
      } else if (f == "kind") {
        if (value == "box")
          ck.kind = CartonKind::Box;
        else if (value == "mailer")
          ck.kind = CartonKind::Mailer;
        else
          return invalid(key, "must be box or mailer, got '" + value + "'");
      } else if (f == "inner_mm") {
        auto d = dims(key, value);
        if (!d) return d.error();
        ck.inner = *d;
      } else if (f == "max_weight_g") {
        auto v = whole(key, value, 1, 1'000'000);
        if (!v) return v.error();
        ck.maxWeightG = *v;
      } else if (f == "tare_g") {
        auto v = whole(key, value, 0, 1'000'000);
        if (!v) return v.error();
        ck.tareG = *v;
      } else {
        return invalid(key, "unknown setting");
      }
    } else if (packing && (rest == "box_fill" || rest == "mailer_fill")) {
      auto v = fraction(key, value);
      if (!v) return v.error();
      (rest == "box_fill" ? c.fit.boxFill : c.fit.mailerFill) = *v;
    } else if (packing && rest.rfind("station.", 0) == 0) {
      const std::string tail = rest.substr(8);
      auto dot = tail.rfind('.');
      if (dot == std::string::npos || tail.substr(dot + 1) != "printer")
        return invalid(key, "unknown setting");
      const std::string station = tail.substr(0, dot);
      if (auto st = domain::checkCode(station, "station", 64); !st) return invalid(key, st.error().message);
      c.stationPrinters[station] = value;
    } else if (printing && rest.rfind("printer.", 0) == 0) {
      const std::string tail = rest.substr(8);
      auto dot = tail.rfind('.');
      if (dot == std::string::npos || dot == 0) return invalid(key, "unknown setting");
      const std::string id = tail.substr(0, dot), f = tail.substr(dot + 1);
      if (auto st = domain::checkCode(id, "printer id", 64); !st) return invalid(key, st.error().message);
      auto& p = printers[id];
      p.id = id;
      if (f == "uri") {
        auto printer = labels::makePrinter(value);
        if (!printer) return invalid(key, printer.error().message);
        p.uri = value;
      } else if (f == "format") {
        if (value == "zpl")
          p.format = labels::DocumentFormat::Zpl;
        else if (value == "pdf")
          p.format = labels::DocumentFormat::Pdf;
        else if (value == "png")
          p.format = labels::DocumentFormat::Png;
        else
          return invalid(key, "must be zpl, pdf or png, got '" + value + "'");
      } else if (f == "size") {
        auto s = labels::parseLabelSize(value);
        if (!s) return invalid(key, s.error().message);
        p.size = *s;
      } else if (f == "dpi") {
        auto d = labels::parseDpi(value);
        if (!d) return invalid(key, d.error().message);
        p.dpi = *d;
      } else {
        return invalid(key, "unknown setting");
      }
    } else if (printing && rest == "default_printer") {
      c.defaultPrinter = value;
    } else if (printing && rest == "max_attempts") {
      auto v = whole(key, value, 1, 1000);
      if (!v) return v.error();
      c.retry.maxAttempts = static_cast<int>(*v);
    } else if (printing && rest == "initial_backoff_ms") {
      auto v = whole(key, value, 1, 600000);
      if (!v) return v.error();
      initialBackoff = *v;
    } else if (printing && rest == "max_backoff_ms") {
      auto v = whole(key, value, 1, 3600000);
      if (!v) return v.error();
      maxBackoff = *v;
    } else {
      return invalid(key, "unknown setting");
    }
  }

  if (initialBackoff > maxBackoff)
    return invalid("printing.initial_backoff_ms", "must not exceed printing.max_backoff_ms");
  c.retry.initialBackoff = std::chrono::milliseconds(initialBackoff);
  c.retry.maxBackoff = std::chrono::milliseconds(maxBackoff);

  if (!carrierCountrySet && c.shipFrom.country.size() == 2 &&
      std::all_of(c.shipFrom.country.begin(), c.shipFrom.country.end(),
                  [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
    c.builtInCarrier.country = c.shipFrom.country;

  // Cartons: the listed codes (defaults keep their sizes unless overridden),
  // or the default set plus any carton defined by keys.
  const CartonCatalog defaults = defaultCartonCatalog();
  std::vector<std::string> codes;
  if (cartonListSet) {
    codes = cartonList;
    for (const auto& [code, ck] : cartonKeys) {
      if (std::find(codes.begin(), codes.end(), code) == codes.end())
        return invalid("packing.carton." + code, "carton " + code + " is not listed in packing.cartons");
    }
  } else {
    for (const auto& t : defaults.types) codes.push_back(t.code);
    for (const auto& [code, ck] : cartonKeys) {
      if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    }
  }
  CartonCatalog catalog;
  for (const auto& code : codes) {
    const CartonType* base = defaults.find(code);
    auto it = cartonKeys.find(code);
    if (!base && (it == cartonKeys.end() || !it->second.inner))
      return invalid("packing.carton." + code + ".inner_mm", "carton " + code + " needs its inner size");
    CartonType t = base ? *base : CartonType{code, "", CartonKind::Box, {}, 0, 0};
    if (it != cartonKeys.end()) {
      const auto& k = it->second;
      if (t.kind == CartonKind::Own)
        return invalid("packing.carton." + code, "OWN (own packaging) has no settings");
      if (k.name) t.name = *k.name;
      if (k.kind) t.kind = *k.kind;
      if (k.inner) t.inner = *k.inner;
      if (k.maxWeightG) t.maxWeightG = *k.maxWeightG;
      if (k.tareG) t.tareG = *k.tareG;
    }
    if (t.name.empty())
      t.name = code + " " + std::to_string(t.inner.lengthMm) + "x" + std::to_string(t.inner.widthMm) + "x" +
               std::to_string(t.inner.heightMm);
    if (t.maxWeightG == 0 && t.kind != CartonKind::Own)
      return invalid("packing.carton." + code + ".max_weight_g",
                     "carton " + code + " needs its weight limit");
    catalog.types.push_back(t);
  }
  auto checked = validateCatalog(std::move(catalog));
  if (!checked) return invalid("packing.cartons", checked.error().message);
  c.cartons = std::move(*checked);

  for (auto& [id, p] : printers) {
    if (p.uri.empty()) return invalid("printing.printer." + id + ".uri", "printer " + id + " needs its uri");
    c.printers.push_back(p);
  }
  if (!c.defaultPrinter.empty() && !c.printer(c.defaultPrinter))
    return invalid("printing.default_printer", "no printer '" + c.defaultPrinter + "' is configured");
  if (c.defaultPrinter.empty() && c.printers.size() == 1) c.defaultPrinter = c.printers.front().id;
  for (const auto& [station, printer] : c.stationPrinters) {
    if (!c.printer(printer))
      return invalid("packing.station." + station + ".printer", "no printer '" + printer + "' is configured");
  }
  return c;
}

}  // namespace wms::packing
