// End to end: a real wmsd with all five channels pointed at a real
// wms-channel-emu process. Orders go in as the channels send them (signed
// webhooks, push-then-fetch, Amazon polling) and every stock change comes back
// out to every channel.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "ChannelsWorld.h"
#include "wms/channels/Signatures.h"

using namespace wms;
using wms::testsupport::ChannelsWorld;

namespace {

const char* kChannels[] = {"shopify", "lazada", "shopee", "tiktok", "amazon"};

bool everyChannelShows(const ChannelsWorld& w, const std::string& sku, std::int64_t figure) {
  for (const char* ch : kChannels) {
    if (w.channelShows(ch, sku) != figure) return false;
  }
  return true;
}

std::string orderStatus(const ChannelsWorld& w, const std::string& channel, const std::string& id) {
  auto r = w.wmsd->get("/api/v1/channels/" + channel + "/orders/" + id);
  if (r.status != 200) return "";
  return w.wmsdJson("/api/v1/channels/" + channel + "/orders/" + id)->getValue<std::string>("status");
}

std::int64_t openExceptions(const ChannelsWorld& w, const std::string& kind) {
  auto items = w.wmsdJson("/api/v1/exceptions?limit=1000")->getArray("items");
  std::int64_t n = 0;
  for (unsigned i = 0; i < items->size(); ++i) n += items->getObject(i)->getValue<std::string>("kind") == kind;
  return n;
}

void requireAuditClean(const ChannelsWorld& w) {
  auto audit = w.wmsdJson("/api/v1/audit");
  BOOST_TEST(audit->getValue<bool>("ok"), "audit: " << w.wmsd->get("/api/v1/audit").body);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(channels_end_to_end)

BOOST_AUTO_TEST_CASE(each_channel_orders_in_and_every_channel_gets_the_new_figure) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 10);
  BOOST_REQUIRE_MESSAGE(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 10); }),
                        w.emu.get("/_emu/stock").body);
  std::map<std::string, std::string> ids;
  for (const char* ch : kChannels) ids[ch] = w.order(ch, "APPLE", 1);
  for (const char* ch : kChannels) {
    BOOST_TEST_CONTEXT(ch) {
      BOOST_TEST(ChannelsWorld::eventually([&] { return orderStatus(w, ch, ids[ch]) == "allocated"; }),
                 w.wmsd->get("/api/v1/channels").body << "\n" << w.wmsd->log());
    }
  }
  BOOST_TEST(w.available("APPLE") == 5);
  BOOST_TEST(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 5); }), w.emu.get("/_emu/stock").body);
  // The Shopify order id is above 2^53 and is kept exactly.
  BOOST_TEST(std::stoull(ids["shopify"]) > (1ULL << 53));
  auto verdict = w.emu.json("/_emu/verdict");
  BOOST_TEST(verdict->getValue<bool>("ok"), w.emu.get("/_emu/verdict").body);
  requireAuditClean(w);
}

BOOST_AUTO_TEST_CASE(a_bad_signature_gets_401_and_a_malformed_body_400_and_nothing_is_stored) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 3);
  const std::string body = R"({"id":1001,"created_at":"2026-11-11T00:00:00Z","updated_at":"2026-11-11T00:00:00Z","line_items":[{"id":1,"variant_id":)" +
                           ChannelsWorld::channelSku("shopify", "APPLE") +
                           R"(,"quantity":1}],"shipping_address":{"name":"A","address1":"1 Rd","city":"Singapore","zip":"1","country_code":"SG"}})";
  auto forged = w.wmsd->post("/api/v1/channels/shopify/webhooks", body,
                             {{"X-Shopify-Hmac-Sha256", channels::shopifyWebhookSignature("guess", body)},
                              {"X-Shopify-Webhook-Id", "f-1"}});
  BOOST_TEST(forged.status == 401);
  auto unsigned_ = w.wmsd->post("/api/v1/channels/lazada/webhooks", R"({"message_type":0})");
  BOOST_TEST(unsigned_.status == 401);
  const std::string broken = R"({"seller_id":"1","message_type":0,"data":{"order_status":"pending","trade_order_id":"1"}})";
  auto malformed = w.wmsd->post("/api/v1/channels/lazada/webhooks", broken,
                                {{"Authorization", channels::lazadaPushSignature("100001", "lazada-secret", broken)}});
  BOOST_TEST(malformed.status == 400);
  BOOST_TEST(malformed.body.find("data.status_update_time is required") != std::string::npos, malformed.body);
  BOOST_TEST(w.wmsdJson("/api/v1/orders")->getArray("items")->size() == 0u);
  BOOST_TEST(w.available("APPLE") == 3);
}

BOOST_AUTO_TEST_CASE(an_unknown_channel_sku_is_held_raised_and_released_once_mapped) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 5);
  auto r = w.emu.post("/_emu/orders", R"({"channel":"lazada","lines":[{"sku":"NEW-LZ-SKU","qty":2}]})");
  BOOST_REQUIRE(r.status == 200);
  std::string ext;
  {
    Poco::JSON::Parser p;
    ext = p.parse(r.body).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("id");
  }
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return orderStatus(w, "lazada", ext) == "held"; }));
  BOOST_TEST(openExceptions(w, "unknown_channel_sku") == 1);
  auto order = w.wmsdJson("/api/v1/channels/lazada/orders/" + ext);
  const auto orderId = order->getValue<Poco::Int64>("id");
  BOOST_TEST(w.wmsd->post("/api/v1/orders/" + std::to_string(orderId) + "/release-hold", "").status == 409);
  auto map = testsupport::httpRequest(w.wmsd->port(), "PUT", "/api/v1/channels/lazada/sku-map/NEW-LZ-SKU", R"({"sku":"APPLE"})");
  BOOST_TEST(map.status == 200);
  auto released = w.wmsd->post("/api/v1/orders/" + std::to_string(orderId) + "/release-hold", "");
  BOOST_TEST(released.status == 200, released.body);
  BOOST_TEST(orderStatus(w, "lazada", ext) == "allocated");
  BOOST_TEST(w.available("APPLE") == 3);
  BOOST_TEST(openExceptions(w, "unknown_channel_sku") == 0);
  BOOST_TEST(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 3); }));
}

BOOST_AUTO_TEST_CASE(duplicates_and_out_of_order_deliveries_leave_one_order_in_its_latest_state) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 5);
  // Shopify: the create is delivered after the cancel that followed it, then both again.
  const std::string id = w.order("shopify", "APPLE", 2, false);
  BOOST_REQUIRE(w.emu.post("/_emu/orders/shopify/" + id + "/cancel").status == 200);
  BOOST_REQUIRE(w.emu.post("/_emu/orders/shopify/" + id + "/stale").status == 200);
  BOOST_REQUIRE(w.emu.post("/_emu/orders/shopify/" + id + "/redeliver").status == 200);
  // TikTok: a newer status push overtakes the first one, which comes late and twice.
  const std::string tt = w.order("tiktok", "APPLE", 1, false);
  BOOST_REQUIRE(w.emu.post("/_emu/orders/tiktok/" + tt + "/update").status == 200);
  BOOST_REQUIRE(w.emu.post("/_emu/orders/tiktok/" + tt + "/stale").status == 200);
  BOOST_REQUIRE(w.emu.post("/_emu/orders/tiktok/" + tt + "/stale").status == 200);
  BOOST_REQUIRE(w.emu.post("/_emu/drain").status == 200);
  BOOST_TEST(ChannelsWorld::eventually([&] { return orderStatus(w, "shopify", id) == "cancelled" && orderStatus(w, "tiktok", tt) == "allocated"; }),
             w.wmsd->get("/api/v1/orders").body);
  auto all = w.wmsdJson("/api/v1/orders")->getArray("items");
  BOOST_TEST(all->size() == 2u);
  BOOST_TEST(w.available("APPLE") == 4);
  BOOST_TEST(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 4); }));
  requireAuditClean(w);
}

BOOST_AUTO_TEST_CASE(five_channels_ordering_the_last_three_units_at_once_allocate_exactly_three) {
  ChannelsWorld w;
  w.stockAndList("LAST", 3);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return everyChannelShows(w, "LAST", 3); }));
  std::map<std::string, std::string> ids;
  for (const char* ch : kChannels) ids[ch] = w.order(ch, "LAST", 1);
  // Every order gets an answer: allocated, or rejected and raised (reject policy).
  auto settled = [&] {
    int allocated = 0;
    for (const char* ch : kChannels) allocated += orderStatus(w, ch, ids[ch]) == "allocated";
    return allocated + openExceptions(w, "channel_order_rejected") == 5;
  };
  BOOST_REQUIRE_MESSAGE(ChannelsWorld::eventually(settled, std::chrono::seconds(30)),
                        w.wmsd->get("/api/v1/orders").body << "\n" << w.wmsd->get("/api/v1/channels").body << "\n" << w.wmsd->log());
  int allocated = 0;
  for (const char* ch : kChannels) allocated += orderStatus(w, ch, ids[ch]) == "allocated";
  BOOST_TEST(allocated == 3);
  BOOST_TEST(openExceptions(w, "channel_order_rejected") == 2);
  auto stock = w.wmsdJson("/api/v1/stock/LAST");
  BOOST_TEST(stock->getValue<Poco::Int64>("allocated") == 3);
  BOOST_TEST(stock->getValue<Poco::Int64>("available") == 0);
  BOOST_TEST(ChannelsWorld::eventually([&] { return everyChannelShows(w, "LAST", 0); }), w.emu.get("/_emu/stock").body);
  requireAuditClean(w);
}

BOOST_AUTO_TEST_CASE(a_channel_that_is_down_gets_only_the_latest_figure_when_it_returns) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 10);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 10); }));
  BOOST_REQUIRE(w.emu.post("/_emu/faults/shopify", R"({"mode":"down","seconds":3})").status == 200);
  for (int delta : {-1, -2, -3}) {
    auto r = w.wmsd->post("/api/v1/stock/adjustments", R"({"sku":"APPLE","location":"A-01-01-1","delta":)" +
                                                           std::to_string(delta) + R"(,"reason":"damage"})");
    BOOST_REQUIRE(r.status == 201);
  }
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return w.channelShows("lazada", "APPLE") == 4; }));
  BOOST_TEST(w.channelShows("shopify", "APPLE") == 10);  // still down
  auto status = w.wmsdJson("/api/v1/channels/shopify/sync");
  BOOST_TEST(!status->getValue<bool>("in_sync"));
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return w.channelShows("shopify", "APPLE") == 4; }, std::chrono::seconds(20)));
  // Exactly one update after the outage, with the latest figure.
  auto log = w.emu.json("/_emu/stock?channel=shopify");
  BOOST_TEST(log->getValue<Poco::Int64>("updates") == 2);  // 10 before, 4 after
  BOOST_TEST(ChannelsWorld::eventually([&] { return w.wmsdJson("/api/v1/channels/shopify/sync")->getValue<bool>("in_sync"); }));
}

BOOST_AUTO_TEST_CASE(a_stock_change_committed_before_a_kill_9_reaches_the_channel_after_restart) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 10);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 10); }));
  // The channel cannot take the push, so the figure is only in the outbox when wmsd dies.
  BOOST_REQUIRE(w.emu.post("/_emu/faults/amazon", R"({"mode":"down","seconds":3600})").status == 200);
  auto r = w.wmsd->post("/api/v1/stock/adjustments", R"({"sku":"APPLE","location":"A-01-01-1","delta":-7,"reason":"damage"})");
  BOOST_REQUIRE(r.status == 201);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return w.channelShows("shopee", "APPLE") == 3; }));
  BOOST_TEST(w.channelShows("amazon", "APPLE") == 10);
  w.crashAndRestartWmsd();
  BOOST_REQUIRE(w.emu.post("/_emu/faults/amazon", R"({"mode":"none","seconds":1})").status == 200);
  BOOST_TEST(ChannelsWorld::eventually([&] { return w.channelShows("amazon", "APPLE") == 3; }), w.emu.get("/_emu/stock").body);
  BOOST_TEST(everyChannelShows(w, "APPLE", 3));
}

BOOST_AUTO_TEST_CASE(a_burst_with_duplicates_late_cancels_and_reordering_ends_in_sync_and_consistent) {
  ChannelsWorld w;
  const char* skus[] = {"A1", "A2", "A3", "A4"};
  for (const char* s : skus) w.stockAndList(s, 1000);
  std::string skuJson;
  for (const char* ch : kChannels) {
    skuJson += std::string(skuJson.empty() ? "" : ",") + "\"" + ch + "\":[";
    for (int i = 0; i < 4; ++i) skuJson += std::string(i ? "," : "") + "\"" + ChannelsWorld::channelSku(ch, skus[i]) + "\"";
    skuJson += "]";
  }
  auto start = w.emu.post("/_emu/scenario", R"({"orders":300,"per_second":150,"duplicates":0.2,"late_cancels":0.1,"out_of_order":0.2,"seed":7,"skus":{)" + skuJson + "}}");
  BOOST_REQUIRE_MESSAGE(start.status == 200, start.body);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return !w.emu.json("/_emu/scenario")->getValue<bool>("running"); }, std::chrono::seconds(30)));
  BOOST_REQUIRE(w.emu.post("/_emu/drain").status == 200);
  auto progress = w.emu.json("/_emu/scenario");
  const auto created = progress->getValue<Poco::Int64>("created");
  BOOST_TEST(created == 300);
  // Every order the channels created reached wmsd exactly once (an Amazon
  // order cancelled before its first poll is recorded without an order).
  auto seen = [&] {
    auto arr = w.wmsdJson("/api/v1/channels")->getArray("channels");
    std::int64_t n = 0;
    for (unsigned i = 0; i < arr->size(); ++i) n += arr->getObject(i)->getValue<Poco::Int64>("orders_seen");
    return n;
  };
  BOOST_TEST(ChannelsWorld::eventually([&] { return seen() == created; }, std::chrono::seconds(30)),
             "channel orders seen by wmsd: " << seen() << " of " << created);
  std::int64_t stored = 0;
  for (std::string after = "0";;) {
    auto page = w.wmsdJson("/api/v1/orders?limit=1000&after=" + after);
    stored += page->getArray("items")->size();
    if (page->isNull("next_after")) break;
    after = page->getValue<std::string>("next_after");
  }
  BOOST_TEST(stored <= created);
  BOOST_TEST(stored >= created - progress->getValue<Poco::Int64>("cancels"));
  // 4xx answers would mean a delivery was refused; there must be none.
  auto statuses = progress->getObject("statuses");
  for (const auto& name : statuses->getNames()) BOOST_TEST((name == "200" || name == "202"), "status " << name);
  BOOST_TEST(ChannelsWorld::eventually([&] { return w.emu.json("/_emu/verdict")->getValue<bool>("ok"); }, std::chrono::seconds(30)),
             w.emu.get("/_emu/verdict").body);
  requireAuditClean(w);
}

BOOST_AUTO_TEST_CASE(a_pos_sale_at_the_store_reaches_every_channel) {
  ChannelsWorld w;
  w.stockAndList("APPLE", 0);
  auto r = w.wmsd->post("/api/v1/stock/adjustments", R"({"sku":"APPLE","location":"STORE-01","delta":4,"reason":"receipt"})");
  BOOST_REQUIRE(r.status == 201);
  BOOST_REQUIRE(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 4); }));
  auto sale = w.wmsd->post("/api/v1/pos/sales", R"({"sale_id":"TILL-7","location":"STORE-01","lines":[{"sku":"APPLE","qty":3}]})");
  BOOST_TEST(sale.status == 201, sale.body);
  BOOST_TEST(w.wmsd->post("/api/v1/pos/sales", R"({"sale_id":"TILL-7","location":"STORE-01","lines":[{"sku":"APPLE","qty":3}]})").status == 200);
  BOOST_TEST(w.available("APPLE") == 1);
  BOOST_TEST(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 1); }));
  auto ret = w.wmsd->post("/api/v1/returns", R"({"return_id":"RET-1","pos_sale_id":"TILL-7","location":"STORE-01","lines":[{"sku":"APPLE","qty":1,"condition":"sellable"},{"sku":"APPLE","qty":1,"condition":"damaged"}]})");
  BOOST_TEST(ret.status == 201, ret.body);
  BOOST_TEST(ChannelsWorld::eventually([&] { return everyChannelShows(w, "APPLE", 2); }));
  requireAuditClean(w);
}

BOOST_AUTO_TEST_SUITE_END()
