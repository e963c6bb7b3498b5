// Internal: an emulated marketplace order and its payloads in each channel's
// documented shape (the same field names wms::channels reads).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wms/channelemu/Emulator.h"

namespace wms::channelemu {

struct EmuOrder {
  domain::Channel channel = domain::Channel::Shopify;
  std::string id;
  std::vector<Line> lines;
  bool cancelled = false;
  bool updated = false;  // had an update after creation (paid, ready to ship)
  bool pickup = false;
  bool badAddress = false;
  std::int64_t createdSec = 0;
  std::int64_t updatedSec = 0;
  int version = 0;  // deliveries made of this order
};

// The channel's status word for the order's state.
std::string statusOf(const EmuOrder& o);

std::string shopifyOrder(const EmuOrder& o);
std::string lazadaPush(const EmuOrder& o);
std::string lazadaGetOrder(const EmuOrder& o);
std::string lazadaGetOrderItems(const EmuOrder& o);
std::string shopeePush(const EmuOrder& o);
std::string shopeeOrderDetail(const std::vector<EmuOrder>& orders);
std::string tiktokWebhook(const EmuOrder& o, const std::string& notificationId);
std::string tiktokOrderDetail(const std::vector<EmuOrder>& orders);
std::string amazonOrders(const std::vector<EmuOrder>& orders, const std::string& nextToken,
                         const std::string& lastUpdatedBefore);
std::string amazonOrderItems(const EmuOrder& o);

std::string isoUtc(std::int64_t seconds);
std::string lazadaTime(std::int64_t seconds);  // "2026-11-26 18:00:00 +0800"

}  // namespace wms::channelemu
