// Tests for server/packing/src/Short.cpp: a short at packing takes the
// units off the tote and the stock, holds the order with a supervisor
// exception, and only a person's decision (pack what is left) lets it ship
// less.
#include <boost/test/unit_test.hpp>

#include "PackingWorld.h"
#include "wms/stock/OrderIntake.h"
#include "wms/store/ExceptionRepository.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

PackShortReport shortOf(domain::OrderId id, std::vector<PackShortLine> lines, const std::string& station = "PACK-3") {
  PackShortReport r;
  r.orderId = id;
  r.lines = std::move(lines);
  r.station = station;
  return r;
}

PackShortResult reportShort(PackingWorld& w, const PackShortReport& report) {
  auto r = w.shipping().reportShort(report);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return *r;
}

const domain::OrderLine& line(const domain::Order& o, int lineNo) { return o.lines.at(static_cast<std::size_t>(lineNo - 1)); }

std::int64_t openPackShorts(PackingWorld& w) {
  return w.count("SELECT COUNT(*) FROM exceptions WHERE kind = 'pack_short' AND resolved_at = 0");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(short_at_packing)

BOOST_AUTO_TEST_CASE(a_damaged_and_a_missing_unit_leave_the_tote_and_the_stock_and_the_order_is_held) {
  PackingWorld w;
  auto id = w.pickedOrder("S-1", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  const auto mugBefore = w.totals("MUG");
  const auto teeBefore = w.totals("TEE");
  auto r = reportShort(w, shortOf(id, {{1, "", 1, PackShortReason::Damaged}, {0, "TEE", 1, PackShortReason::Missing}}));

  const auto o = w.order(id);
  BOOST_TEST((o.status == domain::OrderStatus::Held));
  BOOST_TEST(o.holdReason == "short at packing at PACK-3: 1 x MUG (line 1) damaged, 1 x TEE (line 2) missing; "
                             "pack what is left, or cancel it");
  BOOST_TEST(r.holdReason == o.holdReason);
  BOOST_TEST(line(o, 1).picked == 1);
  BOOST_TEST(line(o, 1).shortQty == 1);
  BOOST_TEST(line(o, 1).allocated == 1);
  BOOST_TEST(line(o, 2).picked == 0);
  BOOST_TEST(line(o, 2).shortQty == 1);
  BOOST_TEST(line(o, 2).allocated == 0);
  // On-hand and allocated fall together: what the channels may sell stays.
  BOOST_TEST(w.totals("MUG").onHand == mugBefore.onHand - 1);
  BOOST_TEST(w.totals("MUG").available() == mugBefore.available());
  BOOST_TEST(w.totals("TEE").onHand == teeBefore.onHand - 1);
  BOOST_TEST(w.totals("TEE").available() == teeBefore.available());
  BOOST_TEST(w.at("MUG", "TOTE-T-1") == 1);
  BOOST_TEST(w.at("TEE", "TOTE-T-1") == 0);
  BOOST_TEST((w.ledger("MUG").back().cause == domain::LedgerCause::Damage));
  BOOST_TEST(w.ledger("MUG").back().note == "damaged at packing at PACK-3");
  BOOST_TEST((w.ledger("TEE").back().cause == domain::LedgerCause::Adjustment));
  BOOST_TEST(openPackShorts(w) == 1);
  BOOST_TEST(r.exceptionId > 0);
  w.requireInvariants();
  // Held, it is not packed: the packer is told why.
  auto pack = w.shipping().packOrder(id, {PackedCarton{"", "S", {}, {{1, "", 1}}}});
  BOOST_TEST((pack.error().kind == ErrorKind::Conflict));
  BOOST_TEST(pack.error().message == "order " + std::to_string(id) + " is held: " + o.holdReason);
}

BOOST_AUTO_TEST_CASE(a_short_the_order_cannot_have_is_refused_and_changes_nothing) {
  PackingWorld w;
  auto id = w.pickedOrder("S-2", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  auto allocated = w.allocatedOrder("S-3", {{"MUG", 1}});
  const auto ledgerRows = w.count("SELECT COUNT(*) FROM ledger");
  auto refused = [&](std::vector<PackShortLine> lines) {
    auto r = w.shipping().reportShort(shortOf(id, std::move(lines)));
    BOOST_REQUIRE(!r.ok());
    return r.error();
  };
  auto tooMany = refused({{1, "", 3, PackShortReason::Damaged}});
  BOOST_TEST((tooMany.kind == ErrorKind::Conflict));
  BOOST_TEST(tooMany.message == "line 1 (MUG): 3 short but only 2 picked to pack");
  BOOST_TEST(refused({{7, "", 1, PackShortReason::Damaged}}).message == "lines[0].line_no: SO-" + std::to_string(id) + " has no line 7");
  BOOST_TEST(refused({{0, "BOOK", 1, PackShortReason::Missing}}).message ==
             "lines[0].sku: BOOK has nothing to pack in SO-" + std::to_string(id));
  BOOST_TEST(refused({{1, "TEE", 1, PackShortReason::Missing}}).message == "lines[0]: line 1 is SKU MUG, not TEE");
  BOOST_TEST(refused({{1, "", 1, PackShortReason::Missing}, {0, "MUG", 1, PackShortReason::Damaged}}).message ==
             "lines[1]: line 1 is named twice");
  BOOST_TEST(refused({{1, "", 0, PackShortReason::Missing}}).message == "lines[0].qty must be 1..1000000, got 0");
  BOOST_TEST(refused({}).message == "lines: a short names 1..1000 lines");
  // An order not picked yet has nothing to be short of at packing.
  auto early = w.shipping().reportShort(shortOf(allocated, {{1, "", 1, PackShortReason::Missing}}));
  BOOST_TEST((early.error().kind == ErrorKind::Conflict));
  BOOST_TEST(early.error().message.find("not picked yet") != std::string::npos);

  BOOST_TEST((w.order(id).status == domain::OrderStatus::Picked));
  BOOST_TEST(line(w.order(id), 1).picked == 2);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM ledger") == ledgerRows);
  BOOST_TEST(openPackShorts(w) == 0);
}

BOOST_AUTO_TEST_CASE(packing_what_is_left_ships_less_and_the_channel_hears_what_shipped) {
  PackingWorld w;
  auto id = w.pickedOrder("S-4", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  reportShort(w, shortOf(id, {{0, "TEE", 1, PackShortReason::Missing}}));
  auto task = w.shipping().packWhatIsLeft(id, "B-9");
  BOOST_REQUIRE_MESSAGE(task.ok(), (task.ok() ? "" : task.error().message));
  BOOST_TEST((task->status == domain::OrderStatus::Picked));
  BOOST_TEST(task->lines.at(0).toPack == 2);
  BOOST_TEST(task->lines.at(1).toPack == 0);
  BOOST_TEST(openPackShorts(w) == 0);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM exceptions WHERE kind = 'pack_short' AND resolution = 'pack what is left (B-9)'") == 1);

  BOOST_REQUIRE(w.shipping().packOrder(id, {PackedCarton{"", "S", {}, {{1, "", 2}}}}).ok());
  auto booked = w.shipping().createShipment(id);
  BOOST_REQUIRE(booked.ok());
  auto shipped = w.shipping().confirmShipment(ShipConfirmation{id, booked->id, {}, "short-4"});
  BOOST_REQUIRE_MESSAGE(shipped.ok(), (shipped.ok() ? "" : shipped.error().message));
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Shipped));
  auto heard = w.events().afterCommit();
  BOOST_REQUIRE(heard.size() == 1u);
  BOOST_REQUIRE(heard[0].lines.size() == 1u);
  BOOST_TEST(heard[0].lines[0].sku == "MUG");
  BOOST_TEST(heard[0].lines[0].shipped == 2);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(only_an_order_held_by_a_short_at_packing_is_packed_with_what_is_left) {
  PackingWorld w;
  auto picked = w.pickedOrder("S-5", {{"MUG", 1}}, "T-1");
  auto notHeld = w.shipping().packWhatIsLeft(picked, "");
  BOOST_TEST((notHeld.error().kind == ErrorKind::Conflict));
  BOOST_TEST(notHeld.error().message ==
             "SO-" + std::to_string(picked) + " is picked: only an order held by a short at packing is packed with what is left");

  // Everything short: there is nothing to pack, only to cancel.
  reportShort(w, shortOf(picked, {{1, "", 1, PackShortReason::Damaged}}));
  BOOST_TEST(w.shipping().packWhatIsLeft(picked, "").error().message ==
             "SO-" + std::to_string(picked) + " has nothing left to pack: cancel it");
  BOOST_TEST((w.order(picked).status == domain::OrderStatus::Held));
}

BOOST_AUTO_TEST_CASE(a_channel_cancel_while_held_by_a_short_intercepts_it_and_nothing_of_it_is_packed) {
  PackingWorld w;
  auto id = w.pickedOrder("S-6", {{"MUG", 2}}, "T-1");
  reportShort(w, shortOf(id, {{1, "", 1, PackShortReason::Damaged}}));
  stock::StockEvents events;
  stock::OrderIntake intake(events);
  auto st = w.db().write([&](store::Tx& tx) -> Status {
    auto r = intake.intercept(tx, stock::Actor::integration("shopee"), id, "cancelled on shopee");
    if (!r) return r.error();
    return {};
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
  BOOST_TEST(w.order(id).holdReason.rfind("intercepted", 0) == 0);
  auto left = w.shipping().packWhatIsLeft(id, "");
  BOOST_TEST((left.error().kind == ErrorKind::Conflict));
  BOOST_TEST(left.error().message.find("only an order held by a short at packing") != std::string::npos);
  BOOST_TEST(w.at("MUG", "TOTE-T-1") == 1);  // still there, for a person to put back when cancelling
  w.requireInvariants();
}

BOOST_AUTO_TEST_SUITE_END()
