// Tests for server/packing/src/Shipping.cpp and Shipment.cpp: finding the
// order behind a scan, the pack task, packing, and booking the shipment
// with its labels.
#include <boost/test/unit_test.hpp>
#include <set>

#include "PackingWorld.h"
#include "wms/labels/Gs1.h"
#include "wms/labels/Zpl.h"
#include "wms/packing/Tracking.h"
#include "wms/store/Query.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

PackedCarton carton(const std::string& type, std::vector<PackedItem> items,
                    std::optional<std::int64_t> weight = {}) {
  return PackedCarton{"", type, weight, std::move(items)};
}

PackResult pack(PackingWorld& w, domain::OrderId id, const std::vector<PackedCarton>& cartons) {
  auto r = w.shipping().packOrder(id, cartons);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return *r;
}

ShipmentView book(PackingWorld& w, domain::OrderId id) {
  auto s = w.shipping().createShipment(id);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return *s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shipping)

BOOST_AUTO_TEST_CASE(a_tote_its_location_the_reference_the_id_and_the_channel_number_all_find_the_order) {
  PackingWorld w;
  auto id = w.pickedOrder("SHOPEE-777", {{"MUG", 2}}, "T-000381");
  for (const std::string& code :
       std::vector<std::string>{"T-000381", "TOTE-T-000381", "SO-" + std::to_string(id), std::to_string(id),
                                std::string("SHOPEE-777"), std::string(" T-000381\r\n")}) {
    auto found = w.shipping().findOrder(code);
    BOOST_TEST_REQUIRE(found.ok(), code << ": " << (found.ok() ? "" : found.error().message));
    BOOST_TEST(*found == id);
  }
  auto none = w.shipping().findOrder("T-999");
  BOOST_TEST((none.error().kind == ErrorKind::NotFound));
  BOOST_TEST(none.error().message == "no tote or order 'T-999'");
  BOOST_TEST((w.shipping().findOrder("").error().kind == ErrorKind::Invalid));
  BOOST_TEST((w.shipping().findOrder("a b").error().kind == ErrorKind::Invalid));
}

BOOST_AUTO_TEST_CASE(a_tote_with_units_of_two_orders_asks_for_the_order) {
  PackingWorld w;
  auto a = w.pickedOrder("A-1", {{"MUG", 1}}, "T-1");
  auto b = w.pickedOrder("B-1", {{"TEE", 1}}, "T-1");
  auto found = w.shipping().findOrder("T-1");
  BOOST_REQUIRE(!found.ok());
  BOOST_TEST((found.error().kind == ErrorKind::Conflict));
  BOOST_TEST(found.error().message == "tote T-1 holds units of several orders (SO-" + std::to_string(a) +
                                          ", SO-" + std::to_string(b) + "): scan the order instead");
}

BOOST_AUTO_TEST_CASE(the_pack_task_lists_what_was_picked_with_barcodes_totes_and_a_carton) {
  PackingWorld w;
  auto id = w.allocatedOrder("X-1", {{"MUG", 3}, {"TEE", 1}});
  w.pick(id, 1, "T-1", 2);  // one mug short
  w.pick(id, 2, "T-2", 1);
  w.finishPicking(id);
  auto t = w.shipping().packTask(id);
  BOOST_REQUIRE(t.ok());
  BOOST_TEST(t->reference == "SO-" + std::to_string(id));
  BOOST_TEST((t->totes == std::vector<std::string>{"T-1", "T-2"}));
  BOOST_REQUIRE(t->lines.size() == 2u);
  BOOST_TEST(t->lines[0].ordered == 3);
  BOOST_TEST(t->lines[0].shortQty == 1);
  BOOST_TEST(t->lines[0].toPack == 2);
  BOOST_TEST((t->lines[0].barcodes == std::vector<std::string>{"8851234567898"}));
  BOOST_TEST(t->lines[0].dims.heightMm == 100);
  BOOST_REQUIRE(t->suggestion.cartons.size() == 1u);
  BOOST_TEST(t->suggestion.cartons[0].cartonType == "M");
}

BOOST_AUTO_TEST_CASE(an_order_not_yet_picked_has_no_pack_task) {
  PackingWorld w;
  auto id = w.allocatedOrder("X-2", {{"MUG", 1}});
  auto t = w.shipping().packTask(id);
  BOOST_TEST((t.error().kind == ErrorKind::Conflict));
  BOOST_TEST(t.error().message == "order " + std::to_string(id) + " is allocated: it is not picked yet");
  BOOST_TEST((w.shipping().packTask(999).error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_CASE(packing_records_cartons_and_makes_the_order_packed) {
  PackingWorld w;
  auto id = w.pickedOrder("X-3", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  auto r = pack(w, id, {carton("S", {{1, "", 2}}, 1020), carton("MAILER-M", {{0, "TEE", 1}})});
  BOOST_TEST(r.warnings.empty());
  BOOST_REQUIRE(r.cartons.size() == 2u);
  BOOST_TEST(r.cartons[0].cartonId == "C1");
  BOOST_TEST(r.cartons[0].weightG == 1020);
  BOOST_TEST(r.cartons[1].estimatedWeightG == 200 + 30);
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Packed));
  auto stored = w.shipping().shipmentOfOrder(id);
  BOOST_TEST(stored.ok());
  BOOST_TEST(!stored->has_value());  // packed, not booked yet
  // Packing again is refused: the order is packed.
  auto again = w.shipping().packOrder(id, {carton("S", {{1, "", 2}})});
  BOOST_TEST(again.error().message == "order " + std::to_string(id) + " is packed already");
}

BOOST_AUTO_TEST_CASE(more_than_picked_fewer_than_picked_and_bad_cartons_are_refused_naming_the_line) {
  PackingWorld w;
  auto id = w.pickedOrder("X-4", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  auto over = w.shipping().packOrder(id, {carton("M", {{1, "", 3}, {2, "", 1}})});
  BOOST_TEST((over.error().kind == ErrorKind::Invalid));
  BOOST_TEST(over.error().message == "line 1 (MUG): 3 packed but only 2 picked to pack");
  auto missing = w.shipping().packOrder(id, {carton("M", {{1, "", 1}})});
  BOOST_TEST((missing.error().kind == ErrorKind::Conflict));
  BOOST_TEST(missing.error().message ==
             "missing items: line 1 (MUG): 1 of 2 not packed; line 2 (TEE): 1 of 1 not packed");
  BOOST_TEST(w.shipping().packOrder(id, {carton("BAG", {{1, "", 2}, {2, "", 1}})}).error().message ==
             "cartons[0].carton_type: unknown carton type 'BAG'");
  BOOST_TEST(w.shipping().packOrder(id, {carton("M", {{7, "", 1}})}).error().message ==
             "cartons[0].items[0].line_no: order " + std::to_string(id) + " has no line 7");
  BOOST_TEST(w.shipping().packOrder(id, {carton("M", {{0, "BOOK", 1}})}).error().message ==
             "cartons[0].items[0].sku: BOOK is not in order " + std::to_string(id));
  BOOST_TEST(w.shipping().packOrder(id, {carton("M", {{1, "", 0}})}).error().message.find("qty must be") !=
             std::string::npos);
  BOOST_TEST(w.shipping()
                 .packOrder(id, {carton("M", {{1, "", 2}, {2, "", 1}}, 0)})
                 .error()
                 .message.find("weight_g must be") != std::string::npos);
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Picked));
  BOOST_TEST(w.count("SELECT COUNT(*) FROM cartons") == 0);
}

BOOST_AUTO_TEST_CASE(a_sku_packed_by_code_spreads_over_its_lines_in_order) {
  PackingWorld w;
  auto id = w.pickedOrder("X-5", {{"BOOK", 1}, {"BOOK", 2}}, "T-1");
  auto r = pack(w, id, {carton("M", {{0, "BOOK", 3}})});
  BOOST_TEST((r.cartons[0].items == std::vector<CartonContent>{{1, "BOOK", 1}, {2, "BOOK", 2}}));
}

BOOST_AUTO_TEST_CASE(a_carton_over_its_limits_is_packed_with_a_warning) {
  PackingWorld w;
  auto id = w.pickedOrder("X-6", {{"BIG", 1}}, "T-1");
  auto r = pack(w, id, {carton("S", {{1, "", 1}})});
  BOOST_REQUIRE(r.warnings.size() == 2u);
  BOOST_TEST(r.warnings[0] == "carton 1 (S) weighs 15120 g, over its limit of 5000 g");
  BOOST_TEST(r.warnings[1].find("carton 1 (S): ") == 0u);
}

BOOST_AUTO_TEST_CASE(booking_gives_each_carton_an_sscc_a_tracking_number_and_a_label_n_of_m) {
  PackingWorld w;
  auto id = w.pickedOrder("SHOPEE-1", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  pack(w, id, {carton("S", {{1, "", 2}}, 1020), carton("MAILER-M", {{2, "", 1}})});
  auto s = book(w, id);
  BOOST_TEST((s.state == ShipmentState::Booked));
  BOOST_TEST(s.carrier == "builtin");
  BOOST_TEST(s.carrierName == "WMS Post");
  BOOST_TEST(s.service == "Standard");
  BOOST_REQUIRE(s.cartons.size() == 2u);
  BOOST_TEST(s.trackingNumber == s.cartons[0].trackingNumber);
  std::set<std::string> ssccs, tracking;
  for (const auto& c : s.cartons) {
    BOOST_TEST(validateS10(c.trackingNumber).ok());
    BOOST_TEST(c.trackingNumber.substr(11) == "TH");
    BOOST_TEST(labels::normalizeSscc(c.sscc).ok());
    BOOST_TEST(c.sscc.substr(0, 8) == "00614141");
    ssccs.insert(c.sscc);
    tracking.insert(c.trackingNumber);
  }
  BOOST_TEST(ssccs.size() == 2u);
  BOOST_TEST(tracking.size() == 2u);

  auto label = w.shipping().label(s.id, 2);
  BOOST_REQUIRE(label.ok());
  BOOST_TEST(label->cartonNumber == 2);
  BOOST_TEST(label->cartonCount == 2);
  BOOST_TEST(label->shipTo.name == "Somchai Jaidee");
  BOOST_TEST(label->shipFrom.name == "Acme Fulfilment Warehouse");
  BOOST_TEST(label->orderReference == "SO-" + std::to_string(id));
  BOOST_TEST(label->channelOrderId == "SHOPEE-1");
  BOOST_TEST((label->channel == SalesChannel::Shopee));
  BOOST_TEST(label->trackingNumber == s.cartons[1].trackingNumber);
  BOOST_TEST(label->sscc == s.cartons[1].sscc);
  BOOST_TEST(label->weightGrams == 230);                         // estimated: the T-shirt and the mailer
  BOOST_TEST(w.shipping().label(s.id, 1)->weightGrams == 1020);  // weighed
  BOOST_TEST((w.shipping().label(s.id, 3).error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_CASE(asking_for_the_shipment_again_books_nothing_new) {
  PackingWorld w;
  auto id = w.pickedOrder("X-7", {{"MUG", 1}}, "T-1");
  pack(w, id, {carton("S", {{1, "", 1}})});
  auto first = book(w, id);
  auto second = book(w, id);
  BOOST_TEST(second.id == first.id);
  BOOST_TEST(second.trackingNumber == first.trackingNumber);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM shipments") == 1);
}

BOOST_AUTO_TEST_CASE(a_missing_address_field_stops_the_booking_naming_the_field) {
  PackingWorld w;
  auto to = PackingWorld::defaultShipTo();
  to.postalCode = "";
  auto id = w.pickedOrder("X-8", {{"MUG", 1}}, "T-1", to);
  pack(w, id, {carton("S", {{1, "", 1}})});
  auto s = w.shipping().createShipment(id);
  BOOST_REQUIRE(!s.ok());
  BOOST_TEST((s.error().kind == ErrorKind::Invalid));
  BOOST_TEST(s.error().message ==
             "order " + std::to_string(id) + " cannot be labelled: ship_to.postal_code is required");
  BOOST_TEST(w.count("SELECT COUNT(*) FROM shipments") == 0);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM packing_sequences") == 0);  // no number was used up
  BOOST_TEST(w.count("SELECT COUNT(*) FROM cartons WHERE sscc <> ''") == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_ship_from_names_the_config_keys) {
  PackingWorld w(std::map<std::string, std::string>{{"packing.ship_from.city", ""}});
  auto id = w.pickedOrder("X-9", {{"MUG", 1}}, "T-1");
  pack(w, id, {carton("S", {{1, "", 1}})});
  auto s = w.shipping().createShipment(id);
  BOOST_TEST(s.error().message ==
             "order " + std::to_string(id) +
                 " cannot be labelled: ship_from.city is required (set packing.ship_from.* in "
                 "the server's config)");
}

BOOST_AUTO_TEST_CASE(long_names_control_characters_rtl_and_cjk_text_go_on_the_label) {
  PackingWorld w;
  auto to = PackingWorld::defaultShipTo();
  to.name = std::string(200, 'N');
  to.company = "Tab\there\x01and a bell\x07";
  to.line1 = "شارع الملك فهد 12";
  to.line2 = "北京市朝阳区建国路88号";
  to.city = "תל אביב";
  auto id = w.pickedOrder("X-10", {{"MUG", 1}}, "T-1", to);
  pack(w, id, {carton("S", {{1, "", 1}})});
  auto s = book(w, id);
  auto label = w.shipping().label(s.id, 1);
  BOOST_REQUIRE(label.ok());
  BOOST_TEST(label->shipTo.name == to.name);  // kept as given; the printer side wraps and replaces
  BOOST_TEST(label->shipTo.line2 == to.line2);
  auto zpl = labels::renderZpl(*label, labels::makeTemplate(labels::LabelSize::FourBySix, labels::Dpi::D203));
  BOOST_REQUIRE(zpl.ok());
  BOOST_TEST(zpl->find('\x07') == std::string::npos);  // control characters never reach the printer
}

BOOST_AUTO_TEST_CASE(store_pickup_orders_are_labelled_to_the_store) {
  PackingWorld w;
  domain::Address to;
  to.name = "Ann Tan";
  auto id = w.allocatedOrder("POS-1", {{"MUG", 1}}, to, domain::Channel::Pos);
  BOOST_REQUIRE(w.db()
                    .write([&](store::Tx& tx) -> Status {
                      store::exec(tx, "UPDATE orders SET service_level = 'store_pickup' WHERE id = ?", id);
                      return {};
                    })
                    .ok());
  w.pick(id, 1, "T-1", 1);
  w.finishPicking(id);
  pack(w, id, {carton("S", {{1, "", 1}})});
  auto s = book(w, id);
  BOOST_TEST(s.service == "Store pickup");
  auto label = w.shipping().label(s.id, 1);
  BOOST_TEST(label->shipTo.name == "Ann Tan");
  BOOST_TEST(label->shipTo.city == "Bang Sao Thong");
  BOOST_TEST((label->channel == SalesChannel::Pos));
}

BOOST_AUTO_TEST_CASE(only_a_packed_order_is_booked) {
  PackingWorld w;
  auto id = w.pickedOrder("X-11", {{"MUG", 1}}, "T-1");
  auto s = w.shipping().createShipment(id);
  BOOST_TEST((s.error().kind == ErrorKind::Conflict));
  BOOST_TEST(s.error().message == "order " + std::to_string(id) + " is picked: only a packed order ships");
  BOOST_TEST((w.shipping().createShipment(12345).error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_SUITE_END()
