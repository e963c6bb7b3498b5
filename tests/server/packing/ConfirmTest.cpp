// Tests for server/packing/src/Confirm.cpp: the ship confirmation takes the
// shipped units off the central stock exactly once.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "PackingWorld.h"
#include "wms/store/ExceptionRepository.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

struct Packed {
  domain::OrderId id = 0;
  std::int64_t shipmentId = 0;
};

// An order of 2 mugs and a T-shirt, picked into T-1, packed, booked.
Packed packedAndBooked(PackingWorld& w, const std::string& ext = "SHOPEE-9") {
  auto id = w.pickedOrder(ext, {{"MUG", 2}, {"TEE", 1}}, "T-1");
  auto packed = w.shipping().packOrder(id, {{"", "M", std::nullopt, {{1, "", 2}, {2, "", 1}}}});
  BOOST_REQUIRE_MESSAGE(packed.ok(), (packed.ok() ? "" : packed.error().message));
  auto s = w.shipping().createShipment(id);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return {id, s->id};
}

ShipResult confirmOk(PackingWorld& w, const ShipConfirmation& c) {
  auto r = w.shipping().confirmShipment(c);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return *r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(confirm)

BOOST_AUTO_TEST_CASE(confirming_takes_the_units_out_of_the_tote_and_off_on_hand_and_allocated) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  BOOST_TEST(w.totals("MUG").onHand == 100);
  BOOST_TEST(w.totals("MUG").allocated == 2);
  BOOST_TEST(w.at("MUG", "TOTE-T-1") == 2);

  auto r = confirmOk(w, {p.id, 0, {{1, 2}, {2, 1}}, "dev-1:evt-7"});
  BOOST_TEST(!r.duplicate);
  BOOST_TEST(r.shipmentId == p.shipmentId);
  BOOST_TEST((r.orderStatus == domain::OrderStatus::Shipped));
  BOOST_TEST((r.changedSkus == std::vector<std::string>{"MUG", "TEE"}));
  BOOST_TEST(r.externalId == "SHOPEE-9");
  BOOST_TEST(!r.trackingNumber.empty());
  BOOST_TEST(w.totals("MUG").onHand == 98);
  BOOST_TEST(w.totals("MUG").allocated == 0);
  BOOST_TEST(w.totals("TEE").onHand == 99);
  BOOST_TEST(w.at("MUG", "TOTE-T-1") == 0);
  auto order = w.order(p.id);
  BOOST_TEST((order.status == domain::OrderStatus::Shipped));
  BOOST_TEST(order.lines[0].shipped == 2);
  BOOST_TEST(order.lines[0].allocated == 0);
  auto ledger = w.ledger("MUG");
  const auto& last = ledger.back();
  BOOST_TEST((last.cause == domain::LedgerCause::Ship));
  BOOST_TEST(last.deltaOnHand == -2);
  BOOST_TEST(last.deltaAllocated == -2);
  BOOST_TEST(last.location == "TOTE-T-1");
  BOOST_TEST(last.reference == "order:" + std::to_string(p.id));
  BOOST_TEST(last.idempotencyKey == "dev-1:evt-7");
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(the_same_confirmation_twice_decrements_once_and_answers_the_same) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  auto first = confirmOk(w, {p.id, 0, {{1, 2}, {2, 1}}, "key-1"});
  const auto ledgerRows = w.ledger("").size();
  auto second = confirmOk(w, {p.id, 0, {{1, 2}, {2, 1}}, "key-1"});
  BOOST_TEST(second.duplicate);
  BOOST_TEST(second.shipmentId == first.shipmentId);
  BOOST_TEST(second.trackingNumber == first.trackingNumber);
  BOOST_TEST(second.lines.size() == first.lines.size());
  BOOST_TEST(second.lines[0].shipped == 2);
  BOOST_TEST(w.totals("MUG").onHand == 98);
  BOOST_TEST(w.ledger("").size() == ledgerRows);
  BOOST_TEST(w.events().inTx().size() == 1u);
  BOOST_TEST(w.events().afterCommit().size() == 1u);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_confirmation_for_an_order_already_shipped_changes_nothing) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  confirmOk(w, {p.id, 0, {}, "key-a"});  // no lines: everything packed
  auto again = confirmOk(w, {p.id, 0, {{1, 2}}, "key-b"});
  BOOST_TEST(again.duplicate);
  BOOST_TEST(w.totals("MUG").onHand == 98);
  auto named = confirmOk(w, {p.id, p.shipmentId, {{1, 1}}, "key-c"});
  BOOST_TEST(named.duplicate);
  BOOST_TEST(w.totals("MUG").onHand == 98);
  BOOST_TEST(w.events().inTx().size() == 1u);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(two_threads_confirming_at_once_decrement_once) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  std::atomic<int> applied{0}, duplicates{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      // Different keys: the second is caught by the order being shipped.
      auto r = w.shipping().confirmShipment({p.id, 0, {{1, 2}, {2, 1}}, "thread-" + std::to_string(t)});
      if (!r)
        ++failed;
      else if (r->duplicate)
        ++duplicates;
      else
        ++applied;
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(applied.load() == 1);
  BOOST_TEST(duplicates.load() == 1);
  BOOST_TEST(failed.load() == 0);
  BOOST_TEST(w.totals("MUG").onHand == 98);
  BOOST_TEST(w.totals("TEE").onHand == 99);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(a_quantity_above_what_was_packed_is_refused_naming_the_line) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  auto r = w.shipping().confirmShipment({p.id, 0, {{1, 3}}, "k"});
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.error().kind == ErrorKind::Invalid));
  BOOST_TEST(r.error().message == "lines[0]: line 1 (MUG): 3 cannot ship, only 2 packed");
  BOOST_TEST(w.shipping().confirmShipment({p.id, 0, {{9, 1}}, "k"}).error().message ==
             "lines[0].line_no: order " + std::to_string(p.id) + " has no line 9");
  BOOST_TEST(w.shipping().confirmShipment({p.id, 0, {{1, 1}, {1, 1}}, "k"}).error().message ==
             "lines[1]: line 1 is listed twice");
  BOOST_TEST(w.shipping().confirmShipment({p.id, 0, {{1, 0}}, "k"}).error().message.find("qty must be") !=
             std::string::npos);
  BOOST_TEST(w.shipping().confirmShipment({p.id, 0, {{1, 1}}, ""}).error().message ==
             "idempotency key is required");
  // Nothing changed, and the key was not used up by the refusals.
  BOOST_TEST(w.totals("MUG").onHand == 100);
  BOOST_TEST((w.order(p.id).status == domain::OrderStatus::Packed));
  BOOST_TEST(!confirmOk(w, {p.id, 0, {}, "k"}).duplicate);
  w.requireInvariants();
}

// A line can hold reserved units at the ship confirmation only when fewer
// ship than were picked (a short pick frees its units at once): here 2 of
// the 3 picked and packed ship, and the third stays in the tote.
BOOST_AUTO_TEST_CASE(allocation_left_unshipped_is_released_when_the_policy_says_release) {
  PackingWorld w;
  auto id = w.allocatedOrder("X-1", {{"MUG", 3}});
  w.pick(id, 1, "T-1", 3);
  w.finishPicking(id);
  BOOST_REQUIRE(w.shipping().packOrder(id, {{"", "S", std::nullopt, {{1, "", 3}}}}).ok());
  BOOST_REQUIRE(w.shipping().createShipment(id).ok());
  auto r = confirmOk(w, {id, 0, {{1, 2}}, "k"});
  BOOST_REQUIRE(r.lines.size() == 1u);
  BOOST_TEST(r.lines[0].shipped == 2);
  BOOST_TEST(r.lines[0].released == 1);
  BOOST_TEST((r.orderStatus == domain::OrderStatus::Shipped));
  BOOST_TEST(w.totals("MUG").onHand == 98);
  BOOST_TEST(w.totals("MUG").allocated == 0);
  BOOST_TEST((w.ledger("MUG").back().cause == domain::LedgerCause::Release));
  BOOST_TEST(w.ledger("MUG").back().deltaAllocated == -1);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(with_policy_keep_the_rest_stays_reserved_and_the_order_goes_back_to_allocated) {
  PackingWorld w(std::map<std::string, std::string>{{"packing.unshipped_allocation", "keep"}});
  auto id = w.allocatedOrder("X-2", {{"MUG", 3}});
  w.pick(id, 1, "T-1", 3);
  w.finishPicking(id);
  BOOST_REQUIRE(w.shipping().packOrder(id, {{"", "S", std::nullopt, {{1, "", 3}}}}).ok());
  BOOST_REQUIRE(w.shipping().createShipment(id).ok());
  auto r = confirmOk(w, {id, 0, {{1, 2}}, "k"});
  BOOST_TEST(r.lines[0].released == 0);
  BOOST_TEST((r.orderStatus == domain::OrderStatus::Allocated));
  BOOST_TEST((r.policy == UnshippedPolicy::Keep));
  BOOST_TEST(w.totals("MUG").allocated == 1);
  BOOST_TEST(w.order(id).lines[0].allocated == 1);
  w.requireInvariants();
  // The same key again is still the first answer.
  BOOST_TEST(confirmOk(w, {id, 0, {}, "k"}).duplicate);
}

BOOST_AUTO_TEST_CASE(units_packed_but_not_shipped_stay_in_the_tote_and_a_supervisor_is_told) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  auto r = confirmOk(w, {p.id, 0, {{1, 1}, {2, 1}}, "k"});
  BOOST_TEST(r.lines[0].shipped == 1);
  BOOST_TEST(r.lines[0].released == 1);
  BOOST_TEST(r.lines[0].leftInTote == 1);
  BOOST_TEST(w.at("MUG", "TOTE-T-1") == 1);
  BOOST_TEST(w.totals("MUG").onHand == 99);
  BOOST_TEST(w.totals("MUG").allocated == 0);  // the unit in the tote is free stock again
  std::vector<store::SupervisorException> open;
  BOOST_REQUIRE(w.db()
                    .read([&](store::Tx& tx) -> Status {
                      open = store::ExceptionRepository(tx).list(false, 0, 10);
                      return {};
                    })
                    .ok());
  BOOST_REQUIRE(open.size() == 1u);
  BOOST_TEST(open[0].kind == "unshipped_units");
  BOOST_TEST(open[0].message.find("1 unit(s) of MUG") == 0u);
  BOOST_TEST(open[0].message.find("remain in tote T-1") != std::string::npos);
  w.requireInvariants();
}

BOOST_AUTO_TEST_CASE(an_order_not_packed_or_not_booked_cannot_ship) {
  PackingWorld w;
  auto id = w.pickedOrder("X-3", {{"MUG", 1}}, "T-1");
  auto r = w.shipping().confirmShipment({id, 0, {}, "k"});
  BOOST_TEST((r.error().kind == ErrorKind::Conflict));
  BOOST_TEST(r.error().message == "order " + std::to_string(id) + " is picked: only a packed order can ship");
  BOOST_REQUIRE(w.shipping().packOrder(id, {{"", "S", std::nullopt, {{1, "", 1}}}}).ok());
  BOOST_TEST(w.shipping().confirmShipment({id, 0, {}, "k"}).error().message ==
             "order " + std::to_string(id) + " has no booked shipment: print its label first");
  BOOST_TEST((w.shipping().confirmShipment({id, 77, {}, "k"}).error().kind == ErrorKind::NotFound));
  BOOST_TEST((w.shipping().confirmShipment({4242, 0, {}, "k"}).error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_CASE(a_key_used_for_another_order_is_a_conflict) {
  PackingWorld w;
  auto a = packedAndBooked(w, "A");
  confirmOk(w, {a.id, 0, {}, "shared"});
  auto b = w.pickedOrder("B", {{"BOOK", 1}}, "T-2");
  BOOST_REQUIRE(w.shipping().packOrder(b, {{"", "S", std::nullopt, {{1, "", 1}}}}).ok());
  BOOST_REQUIRE(w.shipping().createShipment(b).ok());
  auto r = w.shipping().confirmShipment({b, 0, {}, "shared"});
  BOOST_TEST((r.error().kind == ErrorKind::Conflict));
  BOOST_TEST(r.error().message == "idempotency key 'shared' was used for order " + std::to_string(a.id) +
                                      ", not order " + std::to_string(b));
}

BOOST_AUTO_TEST_CASE(the_channels_hear_of_the_shipment_with_its_tracking_number_once) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  auto r = confirmOk(w, {p.id, 0, {}, "k"});
  confirmOk(w, {p.id, 0, {}, "k"});
  auto heard = w.events().afterCommit();
  BOOST_REQUIRE(heard.size() == 1u);
  BOOST_TEST(heard[0].trackingNumber == r.trackingNumber);
  BOOST_TEST((heard[0].channel == domain::Channel::Shopee));
  BOOST_TEST(heard[0].externalId == "SHOPEE-9");
  BOOST_TEST(heard[0].parcelTrackingNumbers.size() == 1u);
  BOOST_TEST(heard[0].lines.size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_in_transaction_form_calls_shipped_in_tx_and_leaves_committed_to_the_caller) {
  PackingWorld w;
  auto p = packedAndBooked(w);
  std::optional<ShipResult> result;
  BOOST_REQUIRE(w.db()
                    .write([&](store::Tx& tx) -> Status {
                      auto r = w.shipping().confirmShipment(tx, {p.id, 0, {}, "in-tx"});
                      if (!r) return r.error();
                      result = *r;
                      return {};
                    })
                    .ok());
  BOOST_TEST(w.events().inTx().size() == 1u);
  BOOST_TEST(w.events().afterCommit().empty());
  w.shipping().shipped(*result);
  BOOST_TEST(w.events().afterCommit().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
