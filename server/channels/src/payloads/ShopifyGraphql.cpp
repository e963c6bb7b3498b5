// Shopify GraphQL Admin API: global ids, and what every answer says besides
// its data (top-level errors, extensions.cost, a mutation's userErrors).
// docs/channels.md names the documentation these shapes follow.
#include <algorithm>

#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

using json::Need;

constexpr std::string_view kGidPrefix = "gid://shopify/";

bool digitsOnly(std::string_view s) {
  return !s.empty() && s.size() <= 20 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "CODE: message" of one top-level error.
std::string describe(const std::string& code, const std::string& message) {
  return code.empty() ? message : code + ": " + message;
}

}  // namespace

std::string shopifyGidNumber(std::string_view type, std::string_view gid) {
  if (gid.substr(0, kGidPrefix.size()) != kGidPrefix) return {};
  gid.remove_prefix(kGidPrefix.size());
  if (gid.substr(0, type.size()) != type || gid.size() <= type.size() || gid[type.size()] != '/') return {};
  gid.remove_prefix(type.size() + 1);
  return digitsOnly(gid) ? std::string(gid) : std::string();
}

Result<std::string> shopifyGid(std::string_view type, std::string_view id, std::string_view what) {
  if (digitsOnly(id)) return std::string(kGidPrefix) + std::string(type) + "/" + std::string(id);
  if (!shopifyGidNumber(type, id).empty()) return std::string(id);
  return Error{ErrorKind::Invalid, std::string(what) + " must be a Shopify " + std::string(type) +
                                       " id (digits or gid://shopify/" + std::string(type) +
                                       "/<digits>), not '" + std::string(id.substr(0, 100)) + "'"};
}

Result<ShopifyGraphqlReply> readShopifyGraphql(std::string_view body, std::string_view mutation) {
  auto parsed = readPayload(body, "Shopify GraphQL answer");
  if (!parsed) return parsed.error();
  json::ObjectReader& r = *parsed;
  ShopifyGraphqlReply out;
  for (auto& e : r.objects("errors", Need::Optional, 100)) {
    const std::string message = e.text("message", Need::Required, 1000);
    const std::string code = e.object("extensions").text("code", Need::Optional, 100);
    if (code == "THROTTLED") out.throttled = true;
    if (out.error.empty()) out.error = describe(code, message);
  }
  // Shopify's own example of a throttled answer has no code, only the message.
  if (!out.error.empty() && out.error == "Throttled") out.throttled = true;
  if (auto ext = r.object("extensions"); ext.has("cost")) {
    auto cost = ext.object("cost");
    out.hasCost = true;
    out.cost.requested = cost.number("requestedQueryCost", Need::Required);
    out.cost.actual = cost.has("actualQueryCost") ? cost.number("actualQueryCost") : -1;
    auto status = cost.object("throttleStatus", Need::Required);
    out.cost.maximumAvailable = status.number("maximumAvailable", Need::Required);
    out.cost.currentlyAvailable = status.number("currentlyAvailable", Need::Required);
    out.cost.restoreRate = status.number("restoreRate", Need::Required);
    if (out.cost.requested < 0 || out.cost.maximumAvailable < 0 || out.cost.currentlyAvailable < 0 ||
        !(out.cost.restoreRate > 0))
      cost.fail("throttleStatus", "must have a positive restoreRate and no negative figures");
  }
  if (!mutation.empty() && out.error.empty()) {
    // A mutation that ran has its payload; one that did not has top-level errors instead.
    auto payload = r.object("data", Need::Required).object(mutation, Need::Required);
    for (auto& u : payload.objects("userErrors", Need::Required, 100)) {
      ShopifyUserError e;
      e.code = u.text("code", Need::Optional, 100);
      e.message = u.text("message", Need::Required, 1000);
      for (const auto& part : u.strings("field", Need::Optional, 20))
        e.field += (e.field.empty() ? "" : ".") + part;
      out.userErrors.push_back(std::move(e));
    }
  }
  return payloads::finish(r, std::move(out));
}

}  // namespace wms::channels
