// The hub in-process on a real SQLite file with the real order and stock
// services (the same wiring as wmsd, without HTTP and without its threads):
// the transactional outbox, webhook handling rules, held orders, POS, returns.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "wms/channelemu/Emulator.h"
#include "wms/channels/ChannelHub.h"
#include "wms/channels/Signatures.h"
#include "wms/server/CatalogService.h"
#include "wms/server/OrderService.h"
#include "wms/server/StockService.h"
#include "wms/packing/Schema.h"
#include "wms/stock/Moves.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>

using namespace wms;

namespace {

const char* kSecret = "hush";

std::string shopifyOrder(const std::string& id, const std::string& updated, const std::string& variant, int qty,
                         bool cancelled = false, const std::string& zip = "238823") {
  return R"({"id":)" + id + R"(,"created_at":"2026-11-11T00:00:00Z","updated_at":")" + updated + R"(","cancelled_at":)" +
         (cancelled ? "\"" + updated + "\"" : "null") + R"(,"line_items":[{"id":1,"variant_id":)" + variant +
         R"(,"quantity":)" + std::to_string(qty) +
         R"(}],"shipping_address":{"name":"Ann Tan","address1":"1 Orchard Rd","city":"Singapore","zip":")" + zip +
         R"(","country_code":"SG"}})";
}

struct Hub {
  testsupport::TempDir dir{"wms-channels-hub"};
  std::unique_ptr<store::Database> db;
  wms::stock::StockEvents events;
  std::unique_ptr<wms::stock::OrderIntake> intake;
  std::unique_ptr<server::CatalogService> catalog;
  std::unique_ptr<server::StockService> stock;
  std::unique_ptr<server::OrderService> orders;
  std::unique_ptr<channels::ChannelHub> hub;

  explicit Hub(domain::ShortagePolicy policy = domain::ShortagePolicy::Reject,
               std::map<std::string, std::string> extra = {}, background::Errors* errors = nullptr) {
    store::DatabaseOptions o;
    o.path = dir / "wms.db";
    o.durability = store::Durability::Normal;
    o.schemas.push_back(channels::channelsSchema());
    o.schemas.push_back(packing::packingSchema());  // picked_units: orders are picked here too
    auto opened = store::Database::open(o);
    BOOST_REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().message));
    db = std::move(*opened);
    catalog = std::make_unique<server::CatalogService>(*db);
    intake = std::make_unique<wms::stock::OrderIntake>(events, wms::stock::IntakeOptions{policy});
    stock = std::make_unique<server::StockService>(*db, events);
    orders = std::make_unique<server::OrderService>(*db, *intake);
    std::map<std::string, std::string> settings = {{"channels.shopify.enabled", "true"},
                                                   {"channels.shopify.api_base", "http://127.0.0.1:9/shopify"},
                                                   {"channels.shopify.secret", kSecret},
                                                   {"channels.lazada.enabled", "true"},
                                                   {"channels.lazada.api_base", "http://127.0.0.1:9/lazada"},
                                                   {"channels.lazada.secret", "lz"},
                                                   {"channels.lazada.app_key", "100001"}};
    for (auto& [k, v] : extra) settings[k] = v;
    auto config = channels::channelsConfigFrom(settings);
    BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error().message));
    hub = std::make_unique<channels::ChannelHub>(*db, *intake, *config, errors);
    events.subscribe(*hub);
    BOOST_REQUIRE(catalog->putLocation({"A-01-01-1", "A", domain::LocationKind::Pick}).ok());
    BOOST_REQUIRE(catalog->putLocation({"STORE-01", "S", domain::LocationKind::Store}).ok());
    for (const char* sku : {"APPLE", "BREAD"}) {
      domain::Sku s;
      s.code = sku;
      BOOST_REQUIRE(catalog->putSku(s).ok());
    }
  }

  void receive(const std::string& sku, const std::string& loc, std::int64_t qty) {
    auto r = stock->adjust({sku, loc, "", "", qty, domain::AdjustReason::Receipt, "", ""});
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  }

  void list(domain::Channel ch, const std::string& sku, const std::string& channelSku, channels::ListingPolicy p = {}) {
    auto r = hub->putListing({ch, sku, channelSku, "", p});
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  }

  channels::WebhookReply shopify(const std::string& body, const std::string& webhookId, const std::string& sig = {}) {
    channels::WebhookRequest r;
    r.channel = domain::Channel::Shopify;
    r.body = body;
    r.headers["x-shopify-hmac-sha256"] = sig.empty() ? channels::shopifyWebhookSignature(kSecret, body) : sig;
    r.headers["x-shopify-webhook-id"] = webhookId;
    return hub->handleWebhook(r);
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = 0;
    BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
                      n = store::queryInteger(tx, sql).value_or(0);
                      return {};
                    }).ok());
    return n;
  }

  // (channel, atp) rows of the outbox for a SKU.
  std::map<std::string, std::int64_t> outbox(const std::string& sku) {
    std::map<std::string, std::int64_t> out;
    BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
                      store::Query q(tx, "SELECT channel, atp FROM channel_outbox WHERE sku = ?");
                      q.bind(sku);
                      while (q.step()) out[q.text(0)] = q.integer(1);
                      return {};
                    }).ok());
    return out;
  }

  static std::string result(const channels::WebhookReply& r) {
    Poco::JSON::Parser p;
    auto o = p.parse(r.body).extract<Poco::JSON::Object::Ptr>();
    return o->has("result") ? o->getValue<std::string>("result") : o->getValue<std::string>("error");
  }

  // Records a notice in a write transaction of its own; what orderShippedInTx
  // answered. `commit` false rolls the transaction back.
  bool ship(const channels::ShippedNotice& n, bool commit = true) {
    bool recorded = false;
    auto st = db->write([&](store::Tx& tx) -> Status {
      recorded = hub->orderShippedInTx(tx, n);
      if (!commit) return Error{ErrorKind::Conflict, "rolled back by the test"};
      return {};
    });
    BOOST_REQUIRE(st.ok() == commit);
    if (commit) hub->shippedCommitted();
    return recorded;
  }

  std::vector<store::SupervisorException> exceptions() {
    std::vector<store::SupervisorException> out;
    BOOST_REQUIRE(db->read([&](store::Tx& tx) -> Status {
                      out = store::ExceptionRepository(tx).list(false, 0, 100);
                      return {};
                    }).ok());
    return out;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(channel_hub)

BOOST_AUTO_TEST_CASE(a_stock_change_writes_each_listing_channels_figure_into_the_outbox_in_its_transaction) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.list(domain::Channel::Lazada, "APPLE", "APPLE-LZ", {2, std::nullopt, 50});
  h.receive("APPLE", "A-01-01-1", 10);
  auto rows = h.outbox("APPLE");
  BOOST_TEST(rows["shopify"] == 10);
  BOOST_TEST(rows["lazada"] == 4);  // (10 - 2) * 50%
  // Coalesced: more changes keep one row per channel with the newest figure.
  h.receive("APPLE", "A-01-01-1", 6);
  auto again = h.outbox("APPLE");
  BOOST_TEST(again.size() == 2u);
  BOOST_TEST(again["shopify"] == 16);
  BOOST_TEST(again["lazada"] == 7);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_outbox") == 2);
  // A change that fails is rolled back together with its outbox rows.
  auto refused = h.stock->adjust({"APPLE", "A-01-01-1", "", "", -100, domain::AdjustReason::Damage, "", ""});
  BOOST_TEST(!refused.ok());
  BOOST_TEST(h.outbox("APPLE")["shopify"] == 16);
}

BOOST_AUTO_TEST_CASE(a_bad_signature_gets_401_and_stores_nothing) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 5);
  const std::string body = shopifyOrder("820982911946154508", "2026-11-11T00:00:00Z", "808950810", 1);
  auto wrong = h.shopify(body, "w-1", channels::shopifyWebhookSignature("not-the-secret", body));
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(wrong.body.find("signature mismatch") != std::string::npos);
  channels::WebhookRequest missing{domain::Channel::Shopify, {}, body};
  BOOST_TEST(h.hub->handleWebhook(missing).status == 401);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM orders") == 0);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_events") == 0);
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 0);
}

BOOST_AUTO_TEST_CASE(a_malformed_payload_gets_400_naming_the_field) {
  Hub h;
  const std::string body = R"({"id":1,"created_at":"2026-11-11T00:00:00Z","updated_at":"2026-11-11T00:00:00Z","line_items":[{"id":1,"variant_id":5,"quantity":-2}]})";
  auto r = h.shopify(body, "w-1");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.body.find("line_items[0].quantity") != std::string::npos);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM orders") == 0);
}

BOOST_AUTO_TEST_CASE(duplicate_deliveries_make_one_order) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 5);
  const std::string body = shopifyOrder("820982911946154508", "2026-11-11T00:00:00Z", "808950810", 2);
  auto first = h.shopify(body, "w-1");
  BOOST_TEST(first.status == 200);
  BOOST_TEST(Hub::result(first) == "created");
  BOOST_TEST(Hub::result(h.shopify(body, "w-1")) == "duplicate");  // same webhook id
  BOOST_TEST(Hub::result(h.shopify(body, "w-2")) == "stale");      // same state under another id
  BOOST_TEST(h.count("SELECT COUNT(*) FROM orders") == 1);
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 2);
  auto o = h.orders->getByExternal(domain::Channel::Shopify, "820982911946154508");
  BOOST_REQUIRE(o.ok());
  BOOST_TEST((o->status == domain::OrderStatus::Allocated));
}

BOOST_AUTO_TEST_CASE(the_latest_state_by_the_channels_timestamp_wins) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 5);
  const std::string created = shopifyOrder("1001", "2026-11-11T00:00:00Z", "808950810", 1);
  const std::string cancelled = shopifyOrder("1001", "2026-11-11T00:05:00Z", "808950810", 1, true);
  BOOST_TEST(Hub::result(h.shopify(created, "a")) == "created");
  BOOST_TEST(Hub::result(h.shopify(cancelled, "b")) == "cancelled");
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 0);
  // The older create arriving again (a retry) changes nothing.
  BOOST_TEST(Hub::result(h.shopify(created, "c")) == "stale");
  BOOST_TEST((h.orders->getByExternal(domain::Channel::Shopify, "1001")->status == domain::OrderStatus::Cancelled));
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 0);
}

BOOST_AUTO_TEST_CASE(a_cancel_after_picking_started_holds_the_order_and_a_supervisor_puts_its_units_back) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 5);
  BOOST_TEST(Hub::result(h.shopify(shopifyOrder("3003", "2026-11-11T00:00:00Z", "808950810", 3), "a")) == "created");
  const auto id = h.orders->getByExternal(domain::Channel::Shopify, "3003")->id;
  // Two of the three are picked into a tote (the pick handler's move).
  BOOST_REQUIRE(h.db->write([&](store::Tx& tx) -> Status {
                    if (auto s = store::CatalogRepository(tx).upsertLocation(
                            {wms::stock::toteLocation("T-9"), "TOTES", domain::LocationKind::Tote});
                        !s)
                      return s;
                    wms::stock::Moves moves(tx, h.events, wms::stock::Actor::device("HH-1"));
                    if (auto s = moves.pick({id, 1, {"APPLE", "A-01-01-1", "", "", 0}, "T-9", 2, "batch:1/stop:1", ""}); !s)
                      return s;
                    store::OrderRepository(tx).setStatus(id, domain::OrderStatus::Picking);
                    return {};
                  }).ok());

  // The channel cancels: it must not ship. Held; the unpicked unit is free.
  BOOST_TEST(Hub::result(h.shopify(shopifyOrder("3003", "2026-11-11T00:05:00Z", "808950810", 3, true), "b")) ==
             "intercepted");
  auto held = h.orders->get(id);
  BOOST_TEST((held->status == domain::OrderStatus::Held));
  BOOST_TEST(held->holdReason.find("do not ship") != std::string::npos);
  BOOST_TEST(held->lines[0].allocated == 2);
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 2);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM exceptions WHERE kind = 'channel_cancel_after_pick'") == 1);

  // A plain cancel would orphan the tote's units: refused, naming the tote.
  auto refused = h.orders->cancel(id, "channel cancelled");
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().message.find("T-9") != std::string::npos);
  // With the location they go back to: cancelled, units back, nothing reserved.
  auto cancelled = h.orders->cancel(id, "channel cancelled", "A-01-01-1");
  BOOST_REQUIRE_MESSAGE(cancelled, (cancelled ? "" : cancelled.error().message));
  BOOST_TEST((cancelled->status == domain::OrderStatus::Cancelled));
  auto apple = h.stock->skuStock("APPLE");
  BOOST_TEST(apple->totals.onHand == 5);
  BOOST_TEST(apple->totals.allocated == 0);
  for (const auto& l : apple->locations) BOOST_TEST((l.location == "A-01-01-1" && l.qty == 5));
  auto audit = h.stock->audit();
  BOOST_REQUIRE(audit.ok());
  for (const auto& v : audit->violations) BOOST_ERROR(v.sku << ": " << v.message);
}

BOOST_AUTO_TEST_CASE(a_cancel_that_arrives_before_the_create_is_remembered) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 5);
  BOOST_TEST(Hub::result(h.shopify(shopifyOrder("2002", "2026-11-11T00:05:00Z", "808950810", 3, true), "b")) == "cancelled");
  BOOST_TEST(Hub::result(h.shopify(shopifyOrder("2002", "2026-11-11T00:00:00Z", "808950810", 3), "a")) == "stale");
  auto o = h.orders->getByExternal(domain::Channel::Shopify, "2002");
  BOOST_REQUIRE(o.ok());
  BOOST_TEST((o->status == domain::OrderStatus::Cancelled));
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 0);
}

BOOST_AUTO_TEST_CASE(an_unknown_channel_sku_keeps_the_order_held_and_raises_it_until_mapped) {
  Hub h;
  h.receive("BREAD", "A-01-01-1", 4);
  auto r = h.shopify(shopifyOrder("3003", "2026-11-11T00:00:00Z", "555000111", 2), "a");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(Hub::result(r) == "held");
  auto o = h.orders->getByExternal(domain::Channel::Shopify, "3003");
  BOOST_REQUIRE(o.ok());
  BOOST_TEST((o->status == domain::OrderStatus::Held));
  BOOST_TEST(o->holdReason.find("unknown channel SKU") != std::string::npos);
  BOOST_TEST(o->lines[0].sku == "555000111");  // the channel's SKU text, kept
  auto ex = h.exceptions();
  BOOST_REQUIRE(ex.size() == 1u);
  BOOST_TEST(ex[0].kind == "unknown_channel_sku");
  BOOST_TEST(ex[0].reference == "order:" + std::to_string(o->id));
  // Releasing before the mapping exists names the SKU.
  auto early = h.hub->releaseHold(o->id);
  BOOST_TEST(early.error().message.find("555000111") != std::string::npos);
  BOOST_REQUIRE(h.hub->putMapping({domain::Channel::Shopify, "555000111", "BREAD"}).ok());
  auto released = h.hub->releaseHold(o->id);
  BOOST_REQUIRE_MESSAGE(released.ok(), (released.ok() ? "" : released.error().message));
  BOOST_TEST((released->status == domain::OrderStatus::Allocated));
  BOOST_TEST(released->lines[0].sku == "BREAD");
  BOOST_TEST(h.stock->skuStock("BREAD")->totals.allocated == 2);
  BOOST_TEST(h.exceptions().empty());  // resolved
  auto audit = h.stock->audit();
  BOOST_REQUIRE(audit.ok());
  BOOST_TEST(audit->violations.empty());
}

BOOST_AUTO_TEST_CASE(an_order_we_cannot_ship_to_is_held_not_dropped) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 5);
  auto r = h.shopify(shopifyOrder("4004", "2026-11-11T00:00:00Z", "808950810", 1, false, ""), "a");
  BOOST_TEST(Hub::result(r) == "held");
  BOOST_TEST(r.body.find("postal_code") != std::string::npos);
  BOOST_TEST(h.exceptions().at(0).kind == "channel_order_invalid");
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.allocated == 0);
  auto o = h.orders->getByExternal(domain::Channel::Shopify, "4004");
  BOOST_REQUIRE(o.ok());
  auto release = h.hub->releaseHold(o->id);
  BOOST_TEST((release.error().kind == ErrorKind::Conflict));
  BOOST_TEST(release.error().message.find("postal_code") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(under_the_reject_policy_an_order_short_of_stock_is_recorded_and_raised) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "A-01-01-1", 1);
  auto r = h.shopify(shopifyOrder("5005", "2026-11-11T00:00:00Z", "808950810", 2), "a");
  BOOST_TEST(r.status == 200);  // the channel must not retry it forever
  BOOST_TEST(Hub::result(r) == "rejected");
  BOOST_TEST(!h.orders->getByExternal(domain::Channel::Shopify, "5005").ok());
  BOOST_TEST(h.exceptions().at(0).kind == "channel_order_rejected");
  BOOST_TEST(Hub::result(h.shopify(shopifyOrder("5005", "2026-11-11T00:00:00Z", "808950810", 2), "b")) == "stale");
}

BOOST_AUTO_TEST_CASE(under_the_backorder_policy_an_order_short_of_stock_waits) {
  Hub h(domain::ShortagePolicy::Backorder);
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  auto r = h.shopify(shopifyOrder("6006", "2026-11-11T00:00:00Z", "808950810", 2), "a");
  BOOST_TEST(Hub::result(r) == "backordered");
  h.receive("APPLE", "A-01-01-1", 2);
  BOOST_TEST((h.orders->getByExternal(domain::Channel::Shopify, "6006")->status == domain::OrderStatus::Allocated));
  BOOST_TEST(h.outbox("APPLE")["shopify"] == 0);  // received and reserved at once: nothing to sell
}

BOOST_AUTO_TEST_CASE(a_lazada_push_is_queued_durably_and_its_duplicate_is_not) {
  Hub h;
  const std::string body =
      R"({"seller_id":"1","message_type":0,"data":{"order_status":"pending","status_update_time":1603698638,"trade_order_id":"260422900198363"},"timestamp":1603766859530,"site":"lazada_sg"})";
  channels::WebhookRequest r{domain::Channel::Lazada, {{"authorization", channels::lazadaPushSignature("100001", "lz", body)}}, body};
  auto first = h.hub->handleWebhook(r);
  BOOST_TEST(first.status == 200);  // Lazada's documented acknowledgement
  BOOST_TEST(Hub::result(first) == "queued");
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_inbox") == 1);
  BOOST_TEST(Hub::result(h.hub->handleWebhook(r)) == "duplicate");
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_inbox") == 1);
  r.headers["authorization"] = "00" + r.headers["authorization"].substr(2);
  BOOST_TEST(h.hub->handleWebhook(r).status == 401);
  // A signed empty body is the channel checking its callback URL.
  channels::WebhookRequest check{domain::Channel::Lazada, {{"authorization", channels::lazadaPushSignature("100001", "lz", "")}}, ""};
  BOOST_TEST(h.hub->handleWebhook(check).status == 200);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_inbox") == 1);
}

BOOST_AUTO_TEST_CASE(a_pos_sale_decrements_the_store_at_once_and_only_once) {
  Hub h;
  h.list(domain::Channel::Shopify, "APPLE", "808950810");
  h.receive("APPLE", "STORE-01", 3);
  h.receive("APPLE", "A-01-01-1", 2);
  auto sale = h.hub->posSale({"TILL1-0001", "STORE-01", {{"APPLE", 2, "", ""}}});
  BOOST_REQUIRE_MESSAGE(sale.ok(), (sale.ok() ? "" : sale.error().message));
  BOOST_TEST(!sale->replayed);
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.onHand == 3);
  BOOST_TEST(h.outbox("APPLE")["shopify"] == 3);
  auto ledger = h.stock->ledger("APPLE", 0, 100);
  BOOST_TEST((ledger->back().cause == domain::LedgerCause::PosSale));
  BOOST_TEST(ledger->back().location == "STORE-01");
  auto again = h.hub->posSale({"TILL1-0001", "STORE-01", {{"APPLE", 2, "", ""}}});
  BOOST_TEST(again->replayed);
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.onHand == 3);
  // The store has 1 left: selling 2 is refused and changes nothing.
  auto tooMany = h.hub->posSale({"TILL1-0002", "STORE-01", {{"APPLE", 2, "", ""}}});
  BOOST_TEST((tooMany.error().kind == ErrorKind::InsufficientStock));
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.onHand == 3);
  auto notStore = h.hub->posSale({"TILL1-0003", "A-01-01-1", {{"APPLE", 1, "", ""}}});
  BOOST_TEST(notStore.error().message.find("not a store location") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(returns_restock_sellable_units_write_off_damaged_and_never_exceed_what_was_sold) {
  Hub h;
  h.receive("APPLE", "STORE-01", 5);
  BOOST_REQUIRE(h.hub->posSale({"S-9", "STORE-01", {{"APPLE", 3, "", ""}}}).ok());
  channels::ReturnInput in;
  in.returnId = "R-1";
  in.posSaleId = "S-9";
  in.location = "A-01-01-1";  // bought in store, returned to the warehouse
  in.lines = {{"APPLE", 1, channels::ReturnCondition::Sellable, "", ""}, {"APPLE", 1, channels::ReturnCondition::Damaged, "", ""}};
  auto r = h.hub->receiveReturn(in);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  BOOST_TEST(r->restocked == 1);
  BOOST_TEST(r->writtenOff == 1);
  BOOST_TEST(h.stock->skuStock("APPLE")->totals.onHand == 3);
  BOOST_TEST((h.stock->ledger("APPLE", 0, 100)->back().cause == domain::LedgerCause::Return));
  BOOST_TEST(h.hub->receiveReturn(in)->replayed);
  in.returnId = "R-2";
  in.lines = {{"APPLE", 2, channels::ReturnCondition::Sellable, "", ""}};
  auto over = h.hub->receiveReturn(in);
  BOOST_TEST(over.error().message.find("1 shipped and not yet returned") != std::string::npos);
  in.posSaleId = "NOPE";
  BOOST_TEST((h.hub->receiveReturn(in).error().kind == ErrorKind::NotFound));
  // A channel order's return is checked against what was shipped.
  BOOST_REQUIRE(h.db->write([&](store::Tx& tx) -> Status {
                    domain::Order o;
                    o.channel = domain::Channel::Shopee;
                    o.externalId = "220810QYP6D1UB";
                    o.status = domain::OrderStatus::Shipped;
                    o.lines.push_back({1, "APPLE", "", 2, 0, 2, 0, 2});
                    return store::OrderRepository(tx).insert(o).ok() ? Status{} : Status(Error{ErrorKind::Internal, "insert"});
                  }).ok());
  channels::ReturnInput ch;
  ch.returnId = "R-3";
  ch.channel = domain::Channel::Shopee;
  ch.externalId = "220810QYP6D1UB";
  ch.location = "STORE-01";
  ch.lines = {{"APPLE", 2, channels::ReturnCondition::Sellable, "", ""}};
  auto ok = h.hub->receiveReturn(ch);
  BOOST_REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? "" : ok.error().message));
  BOOST_TEST(ok->orderId > 0);
  auto audit = h.stock->audit();
  BOOST_REQUIRE(audit.ok());
  BOOST_TEST(audit->violations.empty());
}

namespace {

channels::ShippedNotice notice(domain::Channel channel, const std::string& externalId, std::int64_t shipmentId) {
  channels::ShippedNotice n;
  n.channel = channel;
  n.externalId = externalId;
  n.orderId = 7;
  n.shipmentId = shipmentId;
  n.carrierCode = "JNT";
  n.carrierName = "J&T Express";
  n.service = "EZ";
  n.trackingNumber = "JT0001234567";
  n.parcelTrackingNumbers = {"JT0001234567", "JT0001234568"};
  n.lines = {{"1001", "APPLE", 2}, {"1002", "BREAD", 1}};
  n.shippedAtMs = 1764000000000;
  return n;
}

bool eventually(const std::function<bool()>& pred) {
  for (int i = 0; i < 400; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return pred();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_shipped_channel_order_is_recorded_with_its_transaction_and_not_when_that_rolls_back) {
  Hub h;
  BOOST_TEST(h.ship(notice(domain::Channel::Shopify, "9007199254741000", 1), false));
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_fulfilments") == 0);
  BOOST_TEST(h.ship(notice(domain::Channel::Shopify, "9007199254741000", 1)));
  auto rows = h.hub->fulfilments(domain::Channel::Shopify);
  BOOST_REQUIRE(rows.ok());
  BOOST_REQUIRE(rows->size() == 1u);
  const auto& v = rows->front();
  BOOST_TEST(!v.sent);
  BOOST_TEST(v.attempts == 0);
  BOOST_TEST(v.notice.externalId == "9007199254741000");
  BOOST_TEST(v.notice.orderId == 7);
  BOOST_TEST(v.notice.carrierCode == "JNT");
  BOOST_TEST(v.notice.carrierName == "J&T Express");
  BOOST_TEST(v.notice.service == "EZ");
  BOOST_TEST(v.notice.trackingNumber == "JT0001234567");
  BOOST_TEST(v.notice.parcelTrackingNumbers.size() == 2u);
  BOOST_TEST(v.notice.shippedAtMs == 1764000000000);
  BOOST_REQUIRE(v.notice.lines.size() == 2u);
  BOOST_TEST(v.notice.lines[0].externalLineId == "1001");
  BOOST_TEST(v.notice.lines[0].sku == "APPLE");
  BOOST_TEST(v.notice.lines[0].qty == 2);
  auto status = h.hub->status();
  BOOST_REQUIRE(status.ok());
  for (const auto& c : *status)
    BOOST_TEST(c.pendingFulfilments == (c.channel == domain::Channel::Shopify ? 1 : 0), domain::toString(c.channel));
}

BOOST_AUTO_TEST_CASE(nobody_is_told_about_manual_or_pos_orders_disabled_channels_empty_notices_or_a_shipment_twice) {
  Hub h;
  BOOST_TEST(!h.ship(notice(domain::Channel::Manual, "M-1", 1)));
  BOOST_TEST(!h.ship(notice(domain::Channel::Pos, "P-1", 2)));
  BOOST_TEST(!h.ship(notice(domain::Channel::Shopee, "2611100001ABCD", 3)));  // not enabled here
  auto nothingShipped = notice(domain::Channel::Lazada, "260422900000001", 4);
  for (auto& l : nothingShipped.lines) l.qty = 0;
  BOOST_TEST(!h.ship(nothingShipped));
  BOOST_TEST(!h.ship(notice(domain::Channel::Lazada, "", 5)));
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_fulfilments") == 0);

  BOOST_TEST(h.ship(notice(domain::Channel::Lazada, "260422900000001", 6)));
  BOOST_TEST(!h.ship(notice(domain::Channel::Lazada, "260422900000001", 6)));  // a replay
  BOOST_TEST(h.ship(notice(domain::Channel::Lazada, "260422900000001", 7)));   // a second shipment of the order
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_fulfilments") == 2);
}

BOOST_AUTO_TEST_CASE(the_pusher_sends_a_notice_once_retries_while_the_channel_is_down_and_raises_a_refusal) {
  auto started = channelemu::Emulator::start({});
  BOOST_REQUIRE(started.ok());
  auto& emu = **started;
  Hub h(domain::ShortagePolicy::Reject, {{"channels.retry_base_ms", "20"},
                                         {"channels.retry_max_ms", "100"},
                                         {"channels.shopee.enabled", "true"},
                                         {"channels.shopee.api_base", emu.baseUrl(domain::Channel::Shopee)},
                                         {"channels.shopee.app_key", "2001"},
                                         {"channels.shopee.secret", "shopee-key"},
                                         {"channels.shopee.shop_id", "601412"},
                                         {"channels.shopee.access_token", "sp-token"},
                                         {"channels.shopee.callback_url", "https://wms.example/api/v1/channels/shopee/webhooks"}});
  channelemu::NewOrder order;
  order.channel = domain::Channel::Shopee;
  order.lines = {{"3000001:4000001", 2}};
  auto id = emu.createOrder(order, false);
  BOOST_REQUIRE(id.ok());
  emu.setFault(domain::Channel::Shopee, channelemu::FaultMode::Down, 60000);
  h.hub->start();
  auto pending = [&](const std::string& ext) -> std::optional<channels::FulfilmentView> {
    auto rows = h.hub->fulfilments(domain::Channel::Shopee);
    if (!rows) return std::nullopt;
    for (const auto& v : *rows) {
      if (v.notice.externalId == ext) return v;
    }
    return std::nullopt;
  };

  BOOST_REQUIRE(h.ship(notice(domain::Channel::Shopee, *id, 1)));
  BOOST_REQUIRE(eventually([&] { return pending(*id)->attempts >= 2; }));
  BOOST_TEST(!pending(*id)->sent);
  BOOST_TEST(pending(*id)->lastError.find("503") != std::string::npos);
  BOOST_TEST(emu.fulfilments(domain::Channel::Shopee).empty());

  emu.setFault(domain::Channel::Shopee, channelemu::FaultMode::None, 0);
  BOOST_REQUIRE(eventually([&] { return pending(*id)->sent; }));
  auto told = emu.fulfilments(domain::Channel::Shopee);
  BOOST_REQUIRE(told.size() == 1u);
  BOOST_TEST(told[0].orderId == *id);
  BOOST_TEST(told[0].trackingNumber == "JT0001234567");
  BOOST_REQUIRE(told[0].lines.size() == 1u);
  BOOST_TEST(told[0].lines[0].channelSku == "3000001:4000001");
  BOOST_TEST(told[0].lines[0].qty == 2);

  // An order the channel does not know: refused, kept with the reason,
  // raised once and not retried by itself (issue 20: a notice refused for
  // an order cancelled there was sent every 30 s for ever); a person's
  // retry sends it once more.
  BOOST_REQUIRE(h.ship(notice(domain::Channel::Shopee, "2611999999ZZZZ", 2)));
  BOOST_REQUIRE(eventually([&] { return pending("2611999999ZZZZ")->attempts >= 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  BOOST_TEST(pending("2611999999ZZZZ")->attempts == 1);
  BOOST_TEST(pending("2611999999ZZZZ")->refusedAtMs > 0);
  BOOST_TEST(!pending("2611999999ZZZZ")->sent);
  BOOST_TEST(pending("2611999999ZZZZ")->lastError.find("not found") != std::string::npos);
  BOOST_REQUIRE(h.hub->retryFulfilment(domain::Channel::Shopee, "2611999999ZZZZ").ok());
  BOOST_REQUIRE(eventually([&] { return pending("2611999999ZZZZ")->attempts == 2; }));
  BOOST_REQUIRE(eventually([&] { return pending("2611999999ZZZZ")->refusedAtMs > 0; }));
  auto none = h.hub->retryFulfilment(domain::Channel::Shopee, *id);  // sent: nothing waits
  BOOST_REQUIRE(!none.ok());
  BOOST_CHECK(none.error().kind == ErrorKind::NotFound);
  int raised = 0;
  for (const auto& e : h.exceptions())
    raised += e.kind == "channel_fulfilment_refused" && e.reference == "shopee:2611999999ZZZZ";
  BOOST_TEST(raised == 1);
  BOOST_TEST(emu.fulfilments(domain::Channel::Shopee).size() == 1u);
  auto status = h.hub->status();
  BOOST_REQUIRE(status.ok());
  for (const auto& c : *status) {
    if (c.channel != domain::Channel::Shopee) continue;
    BOOST_TEST(c.fulfilmentsSent == 1);
    BOOST_TEST(c.pendingFulfilments == 1);
  }
  h.hub->stop();
}

// LevelDB's rule for background errors, with the store's fault seam: while
// commits and reads keep failing, the fetch workers, the Amazon poller and
// the pushers log and count the failures, back off, and retry; afterwards
// every order is taken in once, the channel is told of the shipment once,
// and every channel shows the right figure.
BOOST_AUTO_TEST_CASE(every_channel_loop_survives_failing_commits_and_reads_without_losing_or_repeating_work) {
  auto started = channelemu::Emulator::start({});
  BOOST_REQUIRE(started.ok());
  auto& emu = **started;
  background::Errors errors;
  std::map<std::string, std::string> settings = {
      {"channels.retry_base_ms", "20"},
      {"channels.retry_max_ms", "200"},
      {"channels.shopify.enabled", "false"},
      {"channels.lazada.api_base", emu.baseUrl(domain::Channel::Lazada)},
      {"channels.lazada.secret", "lazada-secret"},
      {"channels.lazada.access_token", "lz-token"},
      {"channels.shopee.enabled", "true"},
      {"channels.shopee.api_base", emu.baseUrl(domain::Channel::Shopee)},
      {"channels.shopee.app_key", "2001"},
      {"channels.shopee.secret", "shopee-key"},
      {"channels.shopee.shop_id", "601412"},
      {"channels.shopee.access_token", "sp-token"},
      {"channels.shopee.callback_url", "https://wms.example/api/v1/channels/shopee/webhooks"},
      {"channels.amazon.enabled", "true"},
      {"channels.amazon.api_base", emu.baseUrl(domain::Channel::Amazon)},
      {"channels.amazon.access_token", "Atza|test"},
      {"channels.amazon.shop_id", "A1SELLER"},
      {"channels.amazon.marketplace_id", "A19VAU5U5O7RUS"},
      {"channels.amazon.restricted_data_token", "true"},
      {"channels.amazon.poll_ms", "100"},
      {"channels.amazon.orders_rate", "50"},
      {"channels.amazon.items_rate", "50"}};
  Hub h(domain::ShortagePolicy::Reject, settings, &errors);
  h.receive("APPLE", "A-01-01-1", 50);
  h.list(domain::Channel::Lazada, "APPLE", "APPLE-lazada");
  h.list(domain::Channel::Amazon, "APPLE", "APPLE-amazon");
  BOOST_REQUIRE(h.hub->putListing({domain::Channel::Shopee, "APPLE", "3000001:4000001", "3000001:4000001", {}}).ok());

  // Work for every loop: two Lazada orders to fetch (their pushes are in the
  // inbox), two Amazon orders to poll, a Shopee shipment to tell, figures to push.
  std::vector<std::string> lazada, amazon;
  for (int i = 0; i < 2; ++i) {
    channelemu::NewOrder o;
    o.channel = domain::Channel::Lazada;
    o.lines = {{"APPLE-lazada", 1}};
    auto id = emu.createOrder(o, false);
    BOOST_REQUIRE(id.ok());
    lazada.push_back(*id);
    const std::string body = R"({"seller_id":"1","message_type":0,"data":{"order_status":"pending","status_update_time":)" +
                             std::to_string(1700000000 + i) + R"(,"trade_order_id":")" + *id +
                             R"("},"timestamp":1766000000000,"site":"lazada_sg"})";
    channels::WebhookRequest r{domain::Channel::Lazada,
                               {{"authorization", channels::lazadaPushSignature("100001", "lazada-secret", body)}},
                               body};
    BOOST_REQUIRE(h.hub->handleWebhook(r).status == 200);
    o.channel = domain::Channel::Amazon;
    o.lines = {{"APPLE-amazon", 2}};
    auto az = emu.createOrder(o, false);
    BOOST_REQUIRE(az.ok());
    amazon.push_back(*az);
  }
  channelemu::NewOrder sp;
  sp.channel = domain::Channel::Shopee;
  sp.lines = {{"3000001:4000001", 2}};
  auto shopeeId = emu.createOrder(sp, false);
  BOOST_REQUIRE(shopeeId.ok());
  BOOST_REQUIRE(h.ship(notice(domain::Channel::Shopee, *shopeeId, 1)));

  // A failing disk while every loop runs: first a second in which no commit
  // succeeds but reads do (the channels accept pushes whose record cannot be
  // written), then a second and a half of commits and reads failing now and then.
  std::atomic<bool> failing{true};
  std::thread disk([&] {
    const auto start = std::chrono::steady_clock::now();
    while (failing) {
      const bool noCommits = std::chrono::steady_clock::now() - start < std::chrono::seconds(1);
      h.db->injectFault(store::Fault::Commit, noCommits ? 1000000 : 2);
      h.db->injectFault(store::Fault::Read, noCommits ? 0 : 2);
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
    h.db->injectFault(store::Fault::Commit, 0);
    h.db->injectFault(store::Fault::Read, 0);
  });
  h.hub->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  failing = false;
  disk.join();

  auto figures = [&] {
    std::map<std::string, background::LoopFigures> out;
    for (auto& f : errors.figures()) out[f.loop] = f;
    return out;
  };
  BOOST_TEST(figures()["channels.fetch"].errors > 0);
  BOOST_TEST(figures()["channels.amazon_poll"].errors > 0);
  BOOST_TEST(figures()["channels.push"].errors > 0);
  BOOST_TEST(errors.render().find("background_errors_total{loop=\"channels.push\"}") != std::string::npos);

  // Afterwards: each order once, the shipment told once, the right figures.
  auto shows = [&](domain::Channel ch, const std::string& key) -> std::int64_t {
    auto latest = emu.latestStock(ch);
    auto it = latest.find(key);
    return it == latest.end() ? -1 : it->second.quantity;
  };
  BOOST_REQUIRE(eventually([&] {
    return h.count("SELECT COUNT(*) FROM orders") == 4 && emu.fulfilments(domain::Channel::Shopee).size() == 1u &&
           shows(domain::Channel::Lazada, "APPLE-lazada") == 44 && shows(domain::Channel::Amazon, "APPLE-amazon") == 44 &&
           shows(domain::Channel::Shopee, "3000001:4000001") == 44;
  }));
  for (const auto& id : lazada)
    BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_orders WHERE channel = 'lazada' AND external_id = '" + id + "'") == 1);
  for (const auto& id : amazon)
    BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_orders WHERE channel = 'amazon' AND external_id = '" + id + "'") == 1);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM channel_inbox") == 0);
  BOOST_TEST(h.count("SELECT allocated FROM sku_stock WHERE sku = 'APPLE'") == 6);
  // Nothing more arrives later either: the shipment was sent once (one
  // attempt, never refused as a repeat) and stays told once.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  BOOST_TEST(emu.fulfilments(domain::Channel::Shopee).size() == 1u);
  auto views = h.hub->fulfilments(domain::Channel::Shopee);
  BOOST_REQUIRE(views.ok());
  BOOST_REQUIRE(views->size() == 1u);
  BOOST_TEST(views->front().sent);
  BOOST_TEST(views->front().attempts == 1);
  for (const auto& e : h.exceptions()) BOOST_TEST(e.kind != "channel_fulfilment_refused", e.message);
  BOOST_TEST(h.count("SELECT COUNT(*) FROM orders") == 4);
  for (const auto& [name, f] : figures()) BOOST_TEST(!f.failing, name << " still failing: " << f.lastError);
  auto audit = h.stock->audit();
  BOOST_REQUIRE(audit.ok());
  BOOST_TEST(audit->violations.empty());
  h.hub->stop();
}

BOOST_AUTO_TEST_SUITE_END()
