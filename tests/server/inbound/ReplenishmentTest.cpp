// Tests for server/inbound/src/Replenishment.cpp: pick faces below their
// minimum after the released picks are refilled up to their maximum from
// reserve, first expiry first; a face whose released picks need more than
// it holds is refilled without a rule; the move is applied once.
#include <boost/test/unit_test.hpp>

#include "Dock.h"

using namespace wms;
using namespace wms::inbound;
using wms::inbound::test::Dock;

namespace {

std::vector<ReplenishmentTask> planOf(ReplenishmentService& r) {
  auto p = r.plan();
  BOOST_REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
  return *p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replenishment)

BOOST_AUTO_TEST_CASE(a_face_below_its_minimum_is_filled_to_its_maximum_from_the_earliest_expiry) {
  Dock d;
  ReplenishmentService r(*d.db, d.events);
  d.stockAt("VITC", "A-01-01-1", 2, "L1", "2028-05-31");
  d.stockAt("VITC", "A-09-02-3", 30, "L2", "2029-01-31");
  d.stockAt("VITC", "A-09-01-3", 4, "L1", "2028-05-31");
  BOOST_REQUIRE(r.setRule({"A-01-01-1", "VITC", 5, 20}).ok());
  auto tasks = planOf(r);
  BOOST_REQUIRE_EQUAL(tasks.size(), 2u);
  BOOST_TEST(tasks[0].from == "A-09-01-3");  // the earlier expiry first
  BOOST_TEST(tasks[0].qty == 4);
  BOOST_TEST(tasks[1].from == "A-09-02-3");
  BOOST_TEST(tasks[1].qty == 14);
  BOOST_TEST(tasks[0].reason == "2 on the face, below its minimum of 5");

  ReplenishmentInput in{tasks[0].sku, tasks[0].from, tasks[0].to, tasks[0].lot, tasks[0].expiry, tasks[0].qty, "rp-1"};
  auto done = r.confirm(in);
  BOOST_REQUIRE_MESSAGE(done.ok(), (done.ok() ? "" : done.error().message));
  BOOST_TEST(!done->duplicate);
  BOOST_TEST(r.confirm(in)->duplicate);
  BOOST_TEST(d.at("VITC", "A-01-01-1") == 6);
  BOOST_TEST(d.at("VITC", "A-09-01-3") == 0);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger WHERE reference = 'replenishment'") == 2);
  // At 6 of a minimum of 5 it needs nothing more.
  BOOST_TEST(planOf(r).empty());
}

BOOST_AUTO_TEST_CASE(released_picks_count_against_the_face_with_or_without_a_rule) {
  Dock d;
  ReplenishmentService r(*d.db, d.events);
  d.stockAt("MUG", "A-01-01-1", 8);
  d.stockAt("MUG", "A-09-01-3", 50);
  d.stockAt("TEE", "A-01-02-1", 1);
  d.stockAt("TEE", "B-09-01-3", 10);
  BOOST_REQUIRE(r.setRule({"A-01-01-1", "MUG", 5, 20}).ok());
  BOOST_TEST(planOf(r).empty());  // 8 on the face, nothing released
  r.demandFrom([](store::Tx&) {
    return Demand{{{"MUG", "A-01-01-1"}, 6}, {{"TEE", "A-01-02-1"}, 4}};
  });
  auto tasks = planOf(r);
  BOOST_REQUIRE_EQUAL(tasks.size(), 2u);
  BOOST_TEST(tasks[0].sku == "MUG");
  BOOST_TEST(tasks[0].qty == 18);  // to 20 after the 6 picked: 20 + 6 - 8
  BOOST_TEST(tasks[0].reason == "released picks take 6 of the 8 on the face, below its minimum of 5");
  BOOST_TEST(tasks[1].sku == "TEE");
  BOOST_TEST(tasks[1].from == "B-09-01-3");
  BOOST_TEST(tasks[1].qty == 3);
  BOOST_TEST(tasks[1].reason == "released picks need 4, 1 on the face");
}

BOOST_AUTO_TEST_CASE(bad_rules_and_moves_are_refused_and_nothing_moves) {
  Dock d;
  ReplenishmentService r(*d.db, d.events);
  d.stockAt("MUG", "A-09-01-3", 3);
  BOOST_TEST(r.setRule({"A-09-01-3", "MUG", 1, 5}).error().message ==
             "location: A-09-01-3 is a reserve location, not a pick location");
  BOOST_TEST(r.setRule({"A-01-01-1", "MUG", 6, 5}).error().message == "min must be 0..max (5), got 6");
  BOOST_TEST(r.setRule({"A-01-01-1", "NOPE", 1, 5}).error().message == "no SKU 'NOPE' in the catalogue");
  BOOST_TEST((r.removeRule("A-01-01-1").error().kind == ErrorKind::NotFound));
  const auto ledgerRows = d.count("SELECT COUNT(*) FROM ledger");
  auto refused = [&](ReplenishmentInput in) {
    auto res = r.confirm(in);
    BOOST_REQUIRE(!res.ok());
    return res.error();
  };
  BOOST_TEST((refused({"MUG", "A-09-01-3", "A-01-01-1", "", "", 4, "k1"}).kind == ErrorKind::InsufficientStock));
  BOOST_TEST(refused({"MUG", "DOCK-1", "A-01-01-1", "", "", 1, "k2"}).message ==
             "from: DOCK-1 is a dock location, not a reserve location");
  BOOST_TEST(refused({"MUG", "A-09-01-3", "A-09-02-3", "", "", 1, "k3"}).message ==
             "to: A-09-02-3 is a reserve location, not a pick location");
  BOOST_TEST(refused({"MUG", "A-09-01-3", "A-01-01-1", "", "", 0, "k4"}).message == "qty must be 1..1000000, got 0");
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger") == ledgerRows);
}

BOOST_AUTO_TEST_SUITE_END()
