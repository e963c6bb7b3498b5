// Tests for server/inbound/src/Putaway.cpp: where received goods should go
// (the pick face with room, reserve of the same SKU, an empty reserve), and
// the put-away that moves them out of the dock once, refusing what does not
// fit or belongs elsewhere.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "Dock.h"

using namespace wms;
using namespace wms::inbound;
using wms::inbound::test::Dock;

namespace {

PutawaySuggestion suggestion(PutawayService& p, const std::string& sku, std::int64_t qty) {
  auto s = p.suggest(sku, qty);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return *s;
}

PutawayInput put(const std::string& sku, std::int64_t qty, const std::string& to, const std::string& key,
                 const std::string& reason = {}) {
  PutawayInput in;
  in.sku = sku;
  in.from = "DOCK-1";
  in.qty = qty;
  in.to = to;
  in.reason = reason;
  in.idempotencyKey = key;
  return in;
}

// A layout's geometry for codes ZONE-AA-BB-L: 10 m between aisles, 1 m
// between bays, the level the code's last digit.
PutawayGeometry gridGeometry(std::int64_t locationVolumeCm3 = 0) {
  auto parse = [](const std::string& code) -> std::optional<std::array<int, 3>> {
    int aisle = 0, bay = 0, level = 0;
    char zone = 0;
    if (std::sscanf(code.c_str(), "%c-%2d-%2d-%d", &zone, &aisle, &bay, &level) != 4) return std::nullopt;
    return std::array<int, 3>{aisle, bay, level};
  };
  PutawayGeometry g;
  g.walkMm = [parse](const std::string& from, const std::string& to) -> std::optional<std::int64_t> {
    const auto a = parse(from), b = parse(to);
    if (!a || !b) return std::nullopt;
    return 10'000 * std::abs((*a)[0] - (*b)[0]) + 1'000 * std::abs((*a)[1] - (*b)[1]);
  };
  g.level = [parse](const std::string& code) -> std::optional<int> {
    const auto a = parse(code);
    if (!a) return std::nullopt;
    return (*a)[2];
  };
  g.locationVolumeCm3 = locationVolumeCm3;
  return g;
}

// Writes to the catalogue in one transaction.
void catalogue(Dock& d, const std::function<Status(store::CatalogRepository&)>& change) {
  auto st = d.db->write([&](store::Tx& tx) -> Status {
    store::CatalogRepository c(tx);
    return change(c);
  });
  BOOST_REQUIRE_MESSAGE(st.ok(), (st.ok() ? "" : st.error().message));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(putaway)

// With the layout's geometry, reserve is chosen by the walk to the SKU's
// face (not the lowest code), and by level after the SKU's ABC class: a
// SKU that does not move goes up, a fast mover stays low.
BOOST_AUTO_TEST_CASE(with_a_layout_reserve_near_the_face_wins_and_the_level_follows_the_velocity_class) {
  Dock d;
  catalogue(d, [](store::CatalogRepository& c) -> Status {
    for (const char* code : {"A-01-03-3", "A-01-03-5"})
      if (auto st = c.upsertLocation({code, "A", domain::LocationKind::Reserve}); !st) return st;
    return {};
  });
  d.stockAt("MUG", "A-01-01-1", 10);
  PutawayService still(*d.db, d.events);
  BOOST_REQUIRE(still.setCapacity("A-01-01-1", 10).ok());  // the face is full
  still.geometryFrom(gridGeometry());
  // Mugs have not sold (class C): the higher of the two near the face.
  BOOST_TEST(suggestion(still, "MUG", 15).location == "A-01-03-5");

  // Mugs sell fastest (class A): the lower one. (Shipping real orders is
  // the waves' and packing's business: the shipments are given here.)
  PutawayService fast(*d.db, d.events);
  fast.geometryFrom(gridGeometry());
  fast.velocityFrom([](store::Tx&, std::int64_t) -> Result<std::vector<SkuVelocity>> {
    return classify({{"MUG", 100}, {"TEE", 1}, {"VITC", 0}});
  });
  BOOST_TEST(suggestion(fast, "MUG", 15).location == "A-01-03-3");

  // Without the geometry: the lowest code, as before.
  PutawayService plain(*d.db, d.events);
  BOOST_TEST(suggestion(plain, "MUG", 15).location == "A-01-03-3");
}

// Two sites: a store's shelf holding the SKU is never suggested for goods
// at the DC's dock, and a put-away there is refused, nothing moved.
BOOST_AUTO_TEST_CASE(goods_at_one_sites_dock_are_never_put_away_to_another_sites_location) {
  Dock d;
  catalogue(d, [](store::CatalogRepository& c) { return c.upsertLocation({"S-01-01-1", "S", domain::LocationKind::Pick}); });
  d.stockAt("MUG", "S-01-01-1", 2);  // the store's shelf, with room
  d.stockAt("MUG", "A-01-01-1", 10);
  d.stockAt("MUG", "DOCK-1", 6);
  PutawayService p(*d.db, d.events);
  BOOST_REQUIRE(p.setCapacity("A-01-01-1", 10).ok());  // the DC's face is full
  auto geometry = gridGeometry();
  geometry.site = [](const std::string& code) -> std::string { return code.rfind("S-", 0) == 0 ? "store" : "dc"; };
  p.geometryFrom(geometry);
  const auto s = suggestion(p, "MUG", 6);
  BOOST_TEST(s.location != "S-01-01-1");
  BOOST_TEST(s.rule == "empty reserve");
  auto there = p.confirm(put("MUG", 6, "S-01-01-1", "other-site", "closer"));
  BOOST_REQUIRE(!there.ok());
  BOOST_TEST(there.error().message == "to: S-01-01-1 is in site store, the goods wait at DOCK-1 in site dc");
  BOOST_TEST(d.at("MUG", "DOCK-1") == 6);
  BOOST_TEST(d.at("MUG", "S-01-01-1") == 2);
}

// With a location volume from the layout, a SKU with dimensions fits as
// many units as the volume left allows, and no more.
BOOST_AUTO_TEST_CASE(with_location_volumes_a_bulky_sku_fits_only_what_the_volume_left_allows) {
  Dock d;
  catalogue(d, [](store::CatalogRepository& c) -> Status {
    auto tee = c.findSku("TEE");
    if (!tee) return Error{ErrorKind::NotFound, "no TEE"};
    tee->dims = {100, 100, 100};  // 1,000 cm3
    return c.upsertSku(*tee);
  });
  d.stockAt("TEE", "A-01-02-1", 3);
  PutawayService p(*d.db, d.events);
  p.geometryFrom(gridGeometry(5'000));  // five tees per location
  BOOST_TEST(suggestion(p, "TEE", 2).location == "A-01-02-1");  // the face: 2 of 5 left
  BOOST_TEST(suggestion(p, "TEE", 2).room.value_or(-1) == 2);
  const auto reserve = suggestion(p, "TEE", 5);  // not on the face: an empty reserve location
  BOOST_TEST(reserve.rule == "empty reserve");
  BOOST_TEST(reserve.room.value_or(-1) == 5);
  BOOST_TEST(suggestion(p, "TEE", 6).location.empty());  // nowhere holds six
  // A put-away over the volume left is refused.
  d.stockAt("TEE", "DOCK-1", 3);
  auto over = p.confirm(put("TEE", 3, "A-01-02-1", "over", "the face"));
  BOOST_REQUIRE(!over.ok());
  BOOST_TEST(over.error().message == "location A-01-02-1 has room for 2 more units, not 3");
  BOOST_TEST(d.at("TEE", "DOCK-1") == 3);
}

BOOST_AUTO_TEST_CASE(the_pick_face_with_room_comes_first_then_reserve_of_the_sku_then_an_empty_reserve) {
  Dock d;
  PutawayService p(*d.db, d.events);
  d.stockAt("MUG", "A-01-01-1", 10);
  BOOST_REQUIRE(p.setCapacity("A-01-01-1", 20).ok());
  auto face = suggestion(p, "MUG", 8);
  BOOST_TEST(face.location == "A-01-01-1");
  BOOST_TEST(face.rule == "pick face");
  BOOST_TEST(face.room.value_or(-1) == 10);
  // Too many for the face: an empty reserve in the face's zone, lowest code.
  auto empty = suggestion(p, "MUG", 15);
  BOOST_TEST(empty.location == "A-09-01-3");
  BOOST_TEST(empty.rule == "empty reserve");
  // Reserve already holding mugs wins over an empty one.
  d.stockAt("MUG", "A-09-02-3", 5);
  BOOST_TEST(suggestion(p, "MUG", 15).location == "A-09-02-3");
  BOOST_TEST(suggestion(p, "MUG", 15).rule == "reserve with the same SKU");
  // Full everywhere: nowhere, saying so.
  for (const char* loc : {"A-09-01-3", "A-09-02-3", "B-09-01-3"}) BOOST_REQUIRE(p.setCapacity(loc, 5).ok());
  auto nowhere = suggestion(p, "MUG", 15);
  BOOST_TEST(nowhere.location.empty());
  BOOST_TEST(nowhere.rule == "no location has room for 15 x MUG");
  BOOST_TEST(p.suggest("NOPE", 1).error().message == "no SKU 'NOPE' in the catalogue");
  BOOST_TEST(p.suggest("MUG", 0).error().message == "qty must be 1..1000000, got 0");
}

BOOST_AUTO_TEST_CASE(a_put_away_moves_the_units_out_of_the_dock_once_and_the_backlog_empties) {
  Dock d;
  PutawayService p(*d.db, d.events);
  d.stockAt("MUG", "A-01-01-1", 4);
  d.stockAt("MUG", "DOCK-1", 12);
  auto backlog = p.backlog(10);
  BOOST_REQUIRE(backlog.ok());
  BOOST_REQUIRE_EQUAL(backlog->size(), 1u);
  BOOST_TEST((*backlog)[0].qty == 12);
  BOOST_TEST((*backlog)[0].suggestion.location == "A-01-01-1");

  auto done = p.confirm(put("MUG", 12, "A-01-01-1", "hh-3:ev-9"));
  BOOST_REQUIRE_MESSAGE(done.ok(), (done.ok() ? "" : done.error().message));
  BOOST_TEST(!done->duplicate);
  BOOST_TEST(done->suggested == "A-01-01-1");
  BOOST_TEST(d.at("MUG", "DOCK-1") == 0);
  BOOST_TEST(d.at("MUG", "A-01-01-1") == 16);
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger WHERE cause = 'transfer' AND reference = 'putaway'") == 2);
  auto again = p.confirm(put("MUG", 12, "A-01-01-1", "hh-3:ev-9"));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->duplicate);
  BOOST_TEST(d.at("MUG", "A-01-01-1") == 16);
  BOOST_TEST(p.backlog(10)->empty());
}

BOOST_AUTO_TEST_CASE(a_put_away_that_does_not_fit_or_belongs_elsewhere_is_refused_and_nothing_moves) {
  Dock d;
  PutawayService p(*d.db, d.events);
  d.stockAt("MUG", "A-01-01-1", 4);
  d.stockAt("MUG", "DOCK-1", 12);
  d.stockAt("TEE", "B-09-01-3", 3);
  BOOST_REQUIRE(p.setCapacity("A-01-02-1", 10).ok());
  const auto ledgerRows = d.count("SELECT COUNT(*) FROM ledger");
  auto message = [&](const PutawayInput& in) {
    auto r = p.confirm(in);
    BOOST_REQUIRE(!r.ok());
    return r.error().message;
  };
  BOOST_TEST(message(put("MUG", 12, "A-09-01-3", "k1")) ==
             "put away to A-09-01-3, not the suggested A-01-01-1: a reason is required");
  BOOST_TEST(message(put("MUG", 12, "A-01-02-1", "k2", "face blocked")) ==
             "location A-01-02-1 has room for 10 more units, not 12");
  BOOST_TEST(message(put("MUG", 12, "B-09-01-3", "k3", "closer")) == "reserve location B-09-01-3 holds TEE: put MUG elsewhere");
  BOOST_TEST(message(put("MUG", 12, "STAGE-1", "k4", "x")) == "to: STAGE-1 is a staging location, not a pick or reserve location");
  BOOST_TEST(message(put("MUG", 13, "A-01-01-1", "k5")).find("DOCK-1") != std::string::npos);
  auto fromFace = put("MUG", 1, "A-09-01-3", "k6", "x");
  fromFace.from = "A-01-01-1";
  BOOST_TEST(message(fromFace) == "from: A-01-01-1 is a pick location, not a dock or staging location");
  BOOST_TEST(message(put("MUG", 1, "A-01-01-1", "")) == "idempotency_key must be 1..128 characters");
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger") == ledgerRows);
  BOOST_TEST(d.at("MUG", "DOCK-1") == 12);
  // With a reason, the operator may override the suggestion.
  auto overridden = p.confirm(put("MUG", 12, "A-09-01-3", "k7", "face blocked by a pallet"));
  BOOST_REQUIRE_MESSAGE(overridden.ok(), (overridden.ok() ? "" : overridden.error().message));
  BOOST_TEST(overridden->reason == "face blocked by a pallet");
  BOOST_TEST(d.at("MUG", "A-09-01-3") == 12);
}

BOOST_AUTO_TEST_CASE(capacities_are_set_one_by_one_or_from_a_csv_all_or_nothing) {
  Dock d;
  PutawayService p(*d.db, d.events);
  BOOST_TEST((p.setCapacity("NOWHERE", 5).error().kind == ErrorKind::NotFound));
  BOOST_TEST(p.setCapacity("A-09-01-3", -1).error().message == "max_units must be 0 (no limit) or 1..10000000, got -1");
  auto applied = p.importCapacity("location,max_units\nA-09-01-3,40\nA-09-02-3,60\n");
  BOOST_REQUIRE(applied.ok());
  BOOST_TEST(*applied == 2);
  BOOST_TEST(d.count("SELECT max_units FROM location_capacity WHERE location = 'A-09-02-3'") == 60);
  auto bad = p.importCapacity("location,max_units\nA-09-01-3,10\nZZ-1,5\n");
  BOOST_TEST(bad.error().message == "line 3: no location 'ZZ-1'");
  BOOST_TEST(d.count("SELECT max_units FROM location_capacity WHERE location = 'A-09-01-3'") == 40);
  BOOST_REQUIRE(p.setCapacity("A-09-01-3", 0).ok());  // no limit any more
  BOOST_TEST(d.count("SELECT COUNT(*) FROM location_capacity WHERE location = 'A-09-01-3'") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
