#include "wms/domain/Order.h"

#include <algorithm>
#include <iterator>

namespace wms::domain {
namespace {

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }

template <class Enum, std::size_t N>
std::optional<Enum> fromString(std::string_view text, const Enum (&all)[N]) {
  for (Enum e : all) {
    if (text == toString(e)) return e;
  }
  return std::nullopt;
}

}  // namespace

const char* toString(OrderStatus status) noexcept {
  switch (status) {
    case OrderStatus::Backordered: return "backordered";
    case OrderStatus::Held: return "held";
    case OrderStatus::Allocated: return "allocated";
    case OrderStatus::Released: return "released";
    case OrderStatus::Picking: return "picking";
    case OrderStatus::Picked: return "picked";
    case OrderStatus::Packed: return "packed";
    case OrderStatus::Shipped: return "shipped";
    case OrderStatus::Cancelled: return "cancelled";
  }
  return "held";
}

std::optional<OrderStatus> orderStatusFromString(std::string_view text) noexcept {
  static constexpr OrderStatus all[] = {OrderStatus::Backordered, OrderStatus::Held,    OrderStatus::Allocated,
                                        OrderStatus::Released,    OrderStatus::Picking, OrderStatus::Picked,
                                        OrderStatus::Packed,      OrderStatus::Shipped, OrderStatus::Cancelled};
  return fromString(text, all);
}

bool isCancellable(OrderStatus status) noexcept {
  return status == OrderStatus::Backordered || status == OrderStatus::Held || status == OrderStatus::Allocated ||
         status == OrderStatus::Released;
}

const char* toString(ServiceLevel level) noexcept {
  switch (level) {
    case ServiceLevel::Standard: return "standard";
    case ServiceLevel::Express: return "express";
    case ServiceLevel::StorePickup: return "store_pickup";
  }
  return "standard";
}

std::optional<ServiceLevel> serviceLevelFromString(std::string_view text) noexcept {
  static constexpr ServiceLevel all[] = {ServiceLevel::Standard, ServiceLevel::Express, ServiceLevel::StorePickup};
  return fromString(text, all);
}

std::optional<ShortagePolicy> shortagePolicyFromString(std::string_view text) noexcept {
  if (text == "reject") return ShortagePolicy::Reject;
  if (text == "backorder") return ShortagePolicy::Backorder;
  return std::nullopt;
}

bool postalCodeRequired(std::string_view country) noexcept {
  // ISO 3166-1 alpha-2, sorted: countries without a postal code system in
  // general use, and Vietnam, whose five-digit codes (2018) the marketplaces
  // neither send nor carriers need.
  static constexpr std::string_view none[] = {
      "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG", "CI", "CK", "CM",
      "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "JM", "KI", "KM", "KN", "LC", "ML",
      "MO", "MR", "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SO", "SR", "ST", "SY", "TD", "TG", "TK",
      "TL", "TO", "TT", "TV", "UG", "VN", "VU", "YE", "ZW"};
  return !std::binary_search(std::begin(none), std::end(none), country);
}

Status validateAddress(const Address& a, ServiceLevel level, std::string_view prefix) {
  const std::string p(prefix);
  struct Field {
    const std::string* value;
    const char* name;
    std::size_t max;
    bool requiredForShipping;
  };
  const Field fields[] = {
      {&a.name, "name", 200, true},          {&a.company, "company", 200, false},
      {&a.line1, "line1", 200, true},        {&a.line2, "line2", 200, false},
      {&a.city, "city", 100, true},          {&a.region, "region", 100, false},
      {&a.postalCode, "postal_code", 20, true}, {&a.country, "country", 2, true},
      {&a.phone, "phone", 40, false},        {&a.email, "email", 200, false},
  };
  for (const auto& f : fields) {
    bool required = level == ServiceLevel::StorePickup ? std::string_view(f.name) == "name" : f.requiredForShipping;
    if (f.value == &a.postalCode && !postalCodeRequired(a.country)) required = false;
    if (auto st = checkText(*f.value, p + "." + f.name, f.max, required); !st) return st;
  }
  if (!a.country.empty()) {
    bool ok = a.country.size() == 2 && std::all_of(a.country.begin(), a.country.end(),
                                                   [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!ok) return invalid(p + ".country must be a two-letter ISO 3166 code such as 'SG'");
  }
  return {};
}

Status validateNewOrder(const NewOrder& order) {
  if (auto st = checkExternalId(order.externalId, "external_id"); !st) return st;
  if (auto st = checkText(order.carrier, "carrier", 64); !st) return st;
  if (order.priority < 0 || order.priority > 100) return invalid("priority must be between 0 and 100");
  if (order.lines.empty()) return invalid("lines must not be empty");
  if (order.lines.size() > kMaxOrderLines)
    return invalid("an order may have at most " + std::to_string(kMaxOrderLines) + " lines");
  for (std::size_t i = 0; i < order.lines.size(); ++i) {
    const auto& line = order.lines[i];
    const std::string path = "lines[" + std::to_string(i) + "]";
    if (auto st = checkSku(line.sku); !st) return invalid(path + "." + st.error().message);
    if (auto st = checkPositiveQuantity(line.qty, path + ".qty"); !st) return st;
    if (!line.externalLineId.empty()) {
      if (auto st = checkExternalId(line.externalLineId, path + ".external_line_id"); !st) return st;
    }
  }
  return validateAddress(order.shipTo, order.serviceLevel);
}

std::vector<std::pair<std::string, std::int64_t>> quantitiesBySku(const std::vector<NewOrderLine>& lines) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& line : lines) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == line.sku; });
    if (it == out.end()) out.emplace_back(line.sku, line.qty);
    else it->second += line.qty;
  }
  return out;
}

}  // namespace wms::domain
