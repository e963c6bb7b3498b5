// Orders from every channel, normalised into one model. Plain data and the
// pure rules about it (validation, status transitions); no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/common/SalesChannel.h"
#include "wms/domain/Ids.h"

namespace wms::domain {

// The channel an order came from is the system's one SalesChannel; these
// names keep the order model's vocabulary short.
using Channel = SalesChannel;
using wms::toString;  // toString(Channel): "shopify", ..., "pos", "manual"
inline std::optional<Channel> channelFromString(std::string_view text) noexcept { return salesChannelFrom(text); }
inline constexpr const auto& kAllChannels = kAllSalesChannels;

// Backordered: waits for stock. Held: stopped for a person (unknown channel
// SKU, short-pick policy, supervisor). Allocated: holds its stock, ready for a
// wave. Released..Shipped: in the warehouse flow. Cancelled: final.
enum class OrderStatus { Backordered, Held, Allocated, Released, Picking, Picked, Packed, Shipped, Cancelled };

const char* toString(OrderStatus status) noexcept;
std::optional<OrderStatus> orderStatusFromString(std::string_view text) noexcept;

// True if an order in `status` may still be cancelled and its stock freed
// (nothing has left its location yet).
bool isCancellable(OrderStatus status) noexcept;

enum class ServiceLevel { Standard, Express, StorePickup };
const char* toString(ServiceLevel level) noexcept;  // "standard", "express", "store_pickup"
std::optional<ServiceLevel> serviceLevelFromString(std::string_view text) noexcept;

struct Address {
  std::string name;
  std::string company;
  std::string line1;
  std::string line2;
  std::string city;
  std::string region;
  std::string postalCode;
  std::string country;  // ISO 3166-1 alpha-2
  std::string phone;
  std::string email;
};

// Whether addresses in a country need a postal code to ship. Countries whose
// addresses carry none (Hong Kong, Macau, the UAE, Qatar and others) or where
// the marketplaces send none (Vietnam: Shopee and Lazada leave it empty) do
// not; an unknown or empty country does. docs/channels.md lists them.
bool postalCodeRequired(std::string_view countryCode) noexcept;

// Validates an address for shipping; for store pickup only the name is needed.
// The postal code is required where postalCodeRequired(country).
// Errors name the field with `prefix` ("ship_to.postal_code is required").
Status validateAddress(const Address& address, ServiceLevel level, std::string_view prefix = "ship_to");

struct OrderLine {
  int lineNo = 0;
  std::string sku;
  std::string externalLineId;
  std::int64_t qty = 0;
  std::int64_t allocated = 0;  // units reserved from the central stock
  std::int64_t picked = 0;
  std::int64_t shortQty = 0;   // units the pickers could not find
  std::int64_t shipped = 0;
};

struct Order {
  OrderId id = 0;
  Channel channel = Channel::Manual;
  std::string externalId;
  OrderStatus status = OrderStatus::Allocated;
  ServiceLevel serviceLevel = ServiceLevel::Standard;
  std::string carrier;
  int priority = 0;  // higher first
  Address shipTo;
  std::vector<OrderLine> lines;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
  std::string holdReason;
};

// What to do when an order cannot be fully reserved.
enum class ShortagePolicy {
  Reject,     // store nothing; the caller learns which SKUs are short
  Backorder,  // store the order without allocation; it waits for stock
};
std::optional<ShortagePolicy> shortagePolicyFromString(std::string_view text) noexcept;

struct NewOrderLine {
  std::string sku;
  std::int64_t qty = 0;
  std::string externalLineId;
};

// An order as it arrives, before it is stored.
struct NewOrder {
  Channel channel = Channel::Manual;
  std::string externalId;
  ServiceLevel serviceLevel = ServiceLevel::Standard;
  std::string carrier;
  int priority = 0;
  Address shipTo;
  std::vector<NewOrderLine> lines;
  std::optional<ShortagePolicy> onShortage;  // unset: the server's configured default
};

inline constexpr std::size_t kMaxOrderLines = 500;

// Validates everything that can be checked without the database. Errors
// name the field path ("lines[2].qty must be a positive whole number").
Status validateNewOrder(const NewOrder& order);

// The order's quantities summed per SKU, in first-seen order (an order may list
// the same SKU on two lines; reservation works per SKU).
std::vector<std::pair<std::string, std::int64_t>> quantitiesBySku(const std::vector<NewOrderLine>& lines);

}  // namespace wms::domain
