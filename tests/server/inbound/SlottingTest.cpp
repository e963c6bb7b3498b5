// Tests for server/inbound/src/Slotting.cpp (the pure planner) and
// server/inbound/src/SlottingService.cpp (proposals stored, approved and
// carried out on a real SQLite file): fast movers go to the cheapest faces,
// an optimal layout is left alone, the cap and threshold hold, no face ever
// holds two SKUs while the moves are done in order, the moves and the face
// rules follow approval and confirmation, and bad inputs change nothing.
#include <boost/test/unit_test.hpp>
#include <map>
#include <ostream>
#include <random>

#include "Dock.h"
#include "wms/http/Router.h"
#include "wms/inbound/Rest.h"
#include "wms/inbound/Slotting.h"
#include "wms/inbound/SlottingService.h"

using namespace wms;
using namespace wms::inbound;
using wms::inbound::test::Dock;

namespace wms::inbound {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& os, SlotMove::Reason r) {
  return os << toString(r);
}
std::ostream& operator<<(std::ostream& os, ProposalStatus s) {
  return os << toString(s);
}
}  // namespace wms::inbound

namespace {

SlottingProposal planOf(const std::vector<SlotFace>& faces, const std::vector<SlotVelocity>& v,
                        const SlottingOptions& o = {}) {
  auto p = planSlotting(faces, v, o);
  BOOST_REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
  return *p;
}

// Does the moves in order on a map of face -> SKU, failing the test if a
// move takes from a face that does not hold its SKU or puts it on a face
// (other than staging) that holds another one. Returns the faces after.
std::map<std::string, std::string> replay(const std::vector<SlotFace>& faces, const SlottingProposal& p,
                                          const std::string& staging) {
  std::map<std::string, std::string> holds;
  for (const auto& f : faces) holds[f.location] = f.sku;
  std::multiset<std::string> parked;
  for (const auto& m : p.moves) {
    if (m.from == staging) {
      BOOST_REQUIRE_MESSAGE(parked.count(m.sku) == 1,
                            "move " << m.number << ": " << m.sku << " is not at staging");
      parked.erase(parked.find(m.sku));
    } else {
      BOOST_REQUIRE_MESSAGE(holds[m.from] == m.sku,
                            "move " << m.number << ": " << m.from << " does not hold " << m.sku);
      holds[m.from] = "";
    }
    if (m.to == staging) {
      parked.insert(m.sku);
      BOOST_REQUIRE_MESSAGE(parked.size() == 1, "move " << m.number << ": two SKUs parked at staging");
    } else {
      BOOST_REQUIRE_MESSAGE(holds[m.to].empty(),
                            "move " << m.number << ": " << m.to << " holds " << holds[m.to] << " already");
      holds[m.to] = m.sku;
    }
  }
  BOOST_TEST(parked.empty());
  return holds;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(slotting_planner)

BOOST_AUTO_TEST_CASE(a_fast_mover_far_from_the_depot_moves_to_the_free_face_near_it) {
  const std::vector<SlotFace> faces{{"A-01-01-2", 4'000, 2, "", 0},
                                    {"A-01-03-2", 6'000, 2, "SLOW", 3},
                                    {"A-09-01-2", 60'000, 2, "FAST", 40}};
  const auto p = planOf(faces, {{"FAST", 100}, {"SLOW", 1}});
  BOOST_REQUIRE_EQUAL(p.moves.size(), 1u);
  BOOST_TEST(p.moves[0].sku == "FAST");
  BOOST_TEST(p.moves[0].qty == 40);
  BOOST_TEST(p.moves[0].from == "A-09-01-2");
  BOOST_TEST(p.moves[0].to == "A-01-01-2");
  BOOST_TEST(p.moves[0].reason == SlotMove::Reason::ToFreeFace);
  BOOST_TEST(p.moves[0].gainMm == 100 * 56'000);
  BOOST_TEST(p.beforeMm == 100 * 60'000 + 6'000);
  BOOST_TEST(p.afterMm == 100 * 4'000 + 6'000);
  BOOST_TEST(p.moves[0].why ==
             "velocity 100: 60.0 m from the depot at level 2, to 4.0 m from the depot at level 2");
}

BOOST_AUTO_TEST_CASE(a_fast_mover_swaps_with_a_slow_one_through_staging_in_three_moves) {
  const std::vector<SlotFace> faces{{"A-01-01-2", 4'000, 2, "SLOW"}, {"A-09-01-2", 60'000, 2, "FAST"}};
  SlottingOptions o;
  o.staging = "STAGE-1";
  const auto p = planOf(faces, {{"FAST", 100}, {"SLOW", 1}}, o);
  BOOST_REQUIRE_EQUAL(p.moves.size(), 3u);
  BOOST_TEST(p.moves[0].reason == SlotMove::Reason::SwapOut);
  BOOST_TEST((p.moves[0].sku == "SLOW" && p.moves[0].from == "A-01-01-2" && p.moves[0].to == "STAGE-1"));
  BOOST_TEST((p.moves[1].sku == "FAST" && p.moves[1].from == "A-09-01-2" && p.moves[1].to == "A-01-01-2"));
  BOOST_TEST((p.moves[2].sku == "SLOW" && p.moves[2].from == "STAGE-1" && p.moves[2].to == "A-09-01-2"));
  BOOST_TEST(p.moves[2].gainMm == 99 * 56'000);  // what FAST saves less what SLOW loses
  BOOST_TEST(p.afterMm == 100 * 4'000 + 60'000);
  const auto after = replay(faces, p, "STAGE-1");
  BOOST_TEST(after.at("A-01-01-2") == "FAST");

  // Without a staging location there is no swap.
  BOOST_TEST(planOf(faces, {{"FAST", 100}, {"SLOW", 1}}).moves.empty());
}

BOOST_AUTO_TEST_CASE(the_waist_level_beats_the_floor_and_the_top_at_the_same_walk) {
  const std::vector<SlotFace> faces{
      {"A-01-01-1", 4'000, 1, ""}, {"A-01-01-2", 4'000, 2, ""}, {"A-01-01-4", 4'000, 4, "FAST"}};
  const auto p = planOf(faces, {{"FAST", 10}});
  BOOST_REQUIRE_EQUAL(p.moves.size(), 1u);
  BOOST_TEST(p.moves[0].to == "A-01-01-2");
  BOOST_TEST(p.moves[0].gainMm == 10 * 2 * SlottingOptions{}.levelPenaltyMm);
}

BOOST_AUTO_TEST_CASE(an_already_optimal_layout_gives_no_moves) {
  const std::vector<SlotFace> faces{{"A-01-01-2", 4'000, 2, "FAST"},
                                    {"A-01-03-2", 6'000, 2, "MID"},
                                    {"A-05-01-2", 30'000, 2, "SLOW"},
                                    {"A-09-01-2", 60'000, 2, ""}};
  SlottingOptions o;
  o.staging = "STAGE-1";
  const auto p = planOf(faces, {{"FAST", 100}, {"MID", 10}, {"SLOW", 1}}, o);
  BOOST_TEST(p.moves.empty());
  BOOST_TEST(p.beforeMm == p.afterMm);
}

BOOST_AUTO_TEST_CASE(an_exchange_gaining_no_more_than_the_threshold_is_not_proposed) {
  const std::vector<SlotFace> faces{{"A-01-01-2", 4'000, 2, ""}, {"A-01-03-2", 5'000, 2, "SKU1"}};
  SlottingOptions o;
  o.minGainMm = 3'000;  // 3 x 1 m saved is exactly the threshold
  BOOST_TEST(planOf(faces, {{"SKU1", 3}}, o).moves.empty());
  o.minGainMm = 2'999;
  BOOST_TEST(planOf(faces, {{"SKU1", 3}}, o).moves.size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_cap_on_moves_is_honoured_and_what_it_left_out_is_counted) {
  // Ten fast SKUs at the back, ten slow ones at the front: ten swaps worth doing.
  std::vector<SlotFace> faces;
  std::vector<SlotVelocity> v;
  for (int i = 0; i < 10; ++i) {
    const std::string n = std::to_string(i);
    faces.push_back({"A-01-0" + n + "-2", 1'000 + i * 100, 2, "SLOW" + n});
    faces.push_back({"A-09-0" + n + "-2", 60'000 + i * 100, 2, "FAST" + n});
    v.push_back({"SLOW" + n, 1});
    v.push_back({"FAST" + n, 100 + i});
  }
  SlottingOptions o;
  o.staging = "STAGE-1";
  o.maxMoves = 7;
  const auto p = planOf(faces, v, o);
  BOOST_TEST(p.moves.size() == 6u);  // two swaps of three; a third would make nine
  BOOST_TEST(p.skippedForCap == 8);
  BOOST_TEST(p.moves[1].sku == "FAST9");  // the fastest first
  replay(faces, p, "STAGE-1");
}

BOOST_AUTO_TEST_CASE(no_face_ever_holds_two_skus_while_the_moves_are_done_in_order) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::vector<SlotFace> faces;
    std::vector<SlotVelocity> v;
    for (int i = 0; i < 120; ++i) {
      SlotFace f;
      f.location = "L" + std::to_string(i);
      f.distanceMm = std::uniform_int_distribution<int>(1'000, 90'000)(rng);
      f.level = std::uniform_int_distribution<int>(1, 4)(rng);
      if (rng() % 4 != 0) {
        f.sku = "S" + std::to_string(rng() % 80);  // some SKUs on two faces
        v.push_back({f.sku, static_cast<std::int64_t>(rng() % 500)});
      }
      faces.push_back(f);
    }
    faces.push_back({"L3", 500, 2, "MIXED"});  // L3 given twice: holds two SKUs, left alone
    SlottingOptions o;
    o.staging = "STAGE-1";
    o.maxMoves = 60;
    const auto p = planOf(faces, v, o);
    BOOST_TEST(p.moves.size() <= 60u);
    BOOST_TEST(p.afterMm < p.beforeMm);
    for (const auto& m : p.moves) BOOST_TEST((m.from != "L3" && m.to != "L3"));
    std::vector<SlotFace> unique;
    for (const auto& f : faces)
      if (f.location != "L3") unique.push_back(f);
    replay(unique, p, "STAGE-1");
  }
}

BOOST_AUTO_TEST_CASE(bad_options_and_faces_are_refused_naming_the_problem) {
  SlottingOptions o;
  o.maxMoves = 0;
  BOOST_TEST(planSlotting({}, {}, o).error().message == "max_moves must be 1..10000, got 0");
  o = {};
  o.levelPenaltyMm = -1;
  BOOST_TEST(planSlotting({}, {}, o).error().message == "level_penalty_mm must be 0..100000, got -1");
  const std::vector<SlotFace> faces{{"A-01-01-2", -5, 2, ""}};
  BOOST_TEST(planSlotting(faces, {}, {}).error().message ==
             "faces[0] (A-01-01-2): distance must be 0 or more");
  const std::vector<SlotVelocity> v{{"MUG", -1}};
  BOOST_TEST(planSlotting({}, v, {}).error().message == "velocity[0] (MUG): units must be 0 or more");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// The dock with two more pick faces: A-01-01-1 and A-01-02-1 near the
// depot (floor), A-01-01-2 near it at waist height, A-05-01-2 far away.
struct SlottingDock : Dock {
  SlottingService slotting{*db, events};
  std::map<std::string, SlotPlace> places{{"A-01-01-1", {4'000, 1}},
                                          {"A-01-02-1", {4'000, 1}},
                                          {"A-01-01-2", {4'000, 2}},
                                          {"A-05-01-2", {40'000, 2}}};
  std::vector<SkuVelocity> speed{{"MUG", 90, 'A'}, {"TEE", 5, 'B'}, {"VITC", 1, 'C'}};

  SlottingDock() {
    auto st = db->write([&](store::Tx& tx) -> Status {
      store::CatalogRepository c(tx);
      for (const char* code : {"A-01-01-2", "A-05-01-2"})
        if (auto s = c.upsertLocation({code, "A", domain::LocationKind::Pick}); !s) return s;
      return {};
    });
    BOOST_REQUIRE(st.ok());
    slotting.geometryFrom([this](const std::string& code) -> std::optional<SlotPlace> {
      auto it = places.find(code);
      if (it == places.end()) return std::nullopt;
      return it->second;
    });
    slotting.velocityFrom(
        [this](store::Tx&, std::int64_t) -> Result<std::vector<SkuVelocity>> { return speed; });
  }

  SlottingProposalRow propose(SlottingRequest r = {}) {
    auto p = slotting.propose(r);
    BOOST_REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return *p;
  }
  std::int64_t rows(const std::string& table) { return count("SELECT COUNT(*) FROM " + table); }
  std::string state() {
    std::string out;
    auto st = db->read([&](store::Tx& tx) -> Status {
      store::Query q(
          tx, "SELECT sku || '@' || location || '=' || qty FROM stock WHERE qty > 0 ORDER BY sku, location");
      while (q.step()) out += q.text(0) + " ";
      store::Query r(tx, "SELECT location || ':' || sku FROM face_rules ORDER BY location");
      while (r.step()) out += r.text(0) + " ";
      store::Query p(tx, "SELECT id || status || approved_by FROM slotting_proposals ORDER BY id");
      while (p.step()) out += p.text(0) + " ";
      store::Query m(tx, "SELECT COUNT(moved) FROM slotting_moves");
      while (m.step()) out += m.text(0);
      return {};
    });
    BOOST_REQUIRE(st.ok());
    return out;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(slotting_service)

BOOST_AUTO_TEST_CASE(an_approved_swap_moves_the_stock_and_the_face_rules_with_the_skus) {
  SlottingDock d;
  d.stockAt("MUG", "A-05-01-2", 30);  // the fast mover, far away
  d.stockAt("TEE", "A-01-01-2", 12);  // a slow one at the best face
  d.stockAt("VITC", "A-01-01-1", 5, "L1", "2028-05-31");
  d.stockAt("VITC", "A-01-02-1", 3, "L2", "2029-01-31");
  d.speed[2].units = 10;  // 5 a face: TEE gains nothing taking one of them
  ReplenishmentService r(*d.db, d.events);
  BOOST_REQUIRE(r.setRule({"A-05-01-2", "MUG", 5, 40}).ok());
  BOOST_REQUIRE(r.setRule({"A-01-01-2", "TEE", 2, 20}).ok());

  SlottingRequest req;
  req.requestedBy = "planner";
  const auto p = d.propose(req);
  BOOST_TEST(p.status == ProposalStatus::Proposed);
  BOOST_TEST(p.staging == "STAGE-1");  // the first staging location
  BOOST_REQUIRE_EQUAL(p.moves.size(), 3u);
  BOOST_TEST((p.moves[0].sku == "TEE" && p.moves[0].to == "STAGE-1" && p.moves[0].qty == 12));
  BOOST_TEST((p.moves[1].sku == "MUG" && p.moves[1].from == "A-05-01-2" && p.moves[1].to == "A-01-01-2"));
  BOOST_TEST((p.moves[2].sku == "TEE" && p.moves[2].from == "STAGE-1" && p.moves[2].to == "A-05-01-2"));
  BOOST_TEST(p.afterMm < p.beforeMm);

  // Nothing moves before a supervisor approves.
  BOOST_TEST(d.slotting.confirm(p.id, 1, stock::Actor::person("ann")).error().message ==
             "slotting proposal 1 is not approved: a supervisor approves it before its moves");
  auto approved = d.slotting.approve(p.id, "Sue");
  BOOST_REQUIRE(approved.ok());
  BOOST_TEST(approved->approvedBy == "Sue");
  BOOST_TEST(d.slotting.approve(p.id, "Bob").error().message ==
             "slotting proposal 1 was approved by Sue already");
  BOOST_TEST(d.slotting.confirm(p.id, 2, stock::Actor::person("ann")).error().message ==
             "move 2 comes after move 1, which is not done");

  for (int n = 1; n <= 3; ++n) {
    auto c = d.slotting.confirm(p.id, n, stock::Actor::person("ann"));
    BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
    BOOST_TEST(!c->duplicate);
    BOOST_TEST(c->status == (n == 3 ? ProposalStatus::Done : ProposalStatus::Approved));
  }
  BOOST_TEST(d.at("MUG", "A-01-01-2") == 30);
  BOOST_TEST(d.at("TEE", "A-05-01-2") == 12);
  BOOST_TEST(d.at("TEE", "STAGE-1") == 0);
  BOOST_TEST(d.onHand("MUG") == 30);
  auto rules = r.rules();
  BOOST_REQUIRE(rules.ok());
  BOOST_REQUIRE_EQUAL(rules->size(), 2u);
  BOOST_TEST(((*rules)[0].location == "A-01-01-2" && (*rules)[0].sku == "MUG" && (*rules)[0].max == 40));
  BOOST_TEST(((*rules)[1].location == "A-05-01-2" && (*rules)[1].sku == "TEE" && (*rules)[1].min == 2));
  BOOST_TEST(d.count("SELECT COUNT(*) FROM ledger WHERE reference = 'slotting:1' AND cause = 'transfer'") ==
             6);

  // Again: the same answer, nothing moves.
  const auto before = d.state();
  auto again = d.slotting.confirm(p.id, 2, stock::Actor::person("ann"));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->duplicate);
  BOOST_TEST(*again->move.moved == 30);
  BOOST_TEST(d.state() == before);
  BOOST_TEST(d.slotting.get(p.id)->status == ProposalStatus::Done);
}

BOOST_AUTO_TEST_CASE(a_move_to_a_free_face_carries_every_lot_of_the_face) {
  SlottingDock d;
  d.speed = {{"VITC", 50, 'A'}};
  d.stockAt("VITC", "A-05-01-2", 5, "L1", "2028-05-31");
  d.stockAt("VITC", "A-05-01-2", 7, "L2", "2029-01-31");
  const auto p = d.propose();
  BOOST_REQUIRE_EQUAL(p.moves.size(), 1u);
  BOOST_TEST((p.moves[0].to == "A-01-01-2" && p.moves[0].reason == "to_free_face" && p.moves[0].qty == 12));
  BOOST_REQUIRE(d.slotting.approve(p.id, "Sue").ok());
  auto c = d.slotting.confirm(p.id, 1, stock::Actor::person("ann"));
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  BOOST_TEST(
      d.count("SELECT COUNT(*) FROM stock WHERE location = 'A-01-01-2' AND sku = 'VITC' AND qty > 0") == 2);
  BOOST_TEST(d.at("VITC", "A-01-01-2") == 12);
}

BOOST_AUTO_TEST_CASE(bad_requests_are_refused_naming_the_problem_and_nothing_changes) {
  SlottingDock d;
  d.stockAt("MUG", "A-05-01-2", 30);
  d.stockAt("TEE", "A-01-01-2", 12);
  const auto empty = d.state();
  SlottingRequest bad;
  bad.days = 0;
  BOOST_TEST(d.slotting.propose(bad).error().message == "days must be 1..3650, got 0");
  bad = {};
  bad.options.maxMoves = 100'000;
  BOOST_TEST(d.slotting.propose(bad).error().message == "max_moves must be 1..10000, got 100000");
  bad = {};
  bad.options.staging = "A-01-01-1";
  BOOST_TEST(d.slotting.propose(bad).error().message ==
             "staging: A-01-01-1 is a pick location, not a staging location");
  bad.options.staging = "NOPE-1";
  BOOST_TEST(d.slotting.propose(bad).error().message == "staging: no location NOPE-1");
  SlottingService noLayout(*d.db, d.events);
  BOOST_TEST((noLayout.propose({}).error().kind == ErrorKind::Unavailable));
  BOOST_TEST(d.state() == empty);
  BOOST_TEST(d.rows("slotting_proposals") == 0);

  const auto p = d.propose();  // MUG swaps with TEE, then TEE takes a free face near the depot
  BOOST_REQUIRE_EQUAL(p.moves.size(), 4u);
  BOOST_TEST((p.moves[3].sku == "TEE" && p.moves[3].from == "A-05-01-2" && p.moves[3].qty == 12));
  BOOST_TEST((d.slotting.get(99).error().kind == ErrorKind::NotFound));
  BOOST_TEST(d.slotting.approve(99, "Sue").error().message == "no slotting proposal 99");
  BOOST_TEST(d.slotting.approve(p.id, "").error().message == "by: the supervisor who approves is required");
  BOOST_TEST(d.slotting.confirm(p.id, 5, stock::Actor::person("ann")).error().message ==
             "slotting proposal 1 has no move 5 (it has 4)");
  BOOST_TEST(d.slotting.list("maybe", 10).error().message ==
             "status must be proposed, approved, rejected or done, got 'maybe'");
  BOOST_REQUIRE(d.slotting.approve(p.id, "Sue").ok());

  // The source no longer holds the stock (picked, moved by hand).
  const auto approved = d.state();
  d.slotting.demandFrom([](store::Tx&) { return Demand{{{"TEE", "A-01-01-2"}, 4}}; });
  BOOST_TEST(d.slotting.confirm(p.id, 1, stock::Actor::person("ann")).error().message ==
             "released picks still take 4 of TEE from A-01-01-2: do this move once they are picked");
  d.slotting.demandFrom({});
  auto st = d.db->write([&](store::Tx& tx) -> Status {
    stock::Moves moves(tx, d.events, stock::Actor::integration("test"));
    return moves.transfer({"TEE", "A-01-01-2", "", "", 0}, "A-09-01-3", 12, "test", "moved by hand");
  });
  BOOST_REQUIRE(st.ok());
  const auto moved = d.state();
  BOOST_TEST(d.slotting.confirm(p.id, 1, stock::Actor::person("ann")).error().message ==
             "A-01-01-2 no longer holds TEE: nothing to move (it held 12)");
  BOOST_TEST(d.state() == moved);
  BOOST_TEST(approved != moved);

  // Rejected: no move done, so it may be; then nothing more happens to it.
  auto rejected = d.slotting.reject(p.id, "Sue");
  BOOST_REQUIRE(rejected.ok());
  BOOST_TEST(rejected->status == ProposalStatus::Rejected);
  BOOST_TEST(d.slotting.approve(p.id, "Sue").error().message ==
             "slotting proposal 1 was rejected by Sue: make a new one");
  BOOST_TEST(d.slotting.confirm(p.id, 1, stock::Actor::person("ann")).error().message ==
             "slotting proposal 1 was rejected");
}

BOOST_AUTO_TEST_CASE(a_move_onto_a_face_someone_filled_meanwhile_is_refused) {
  SlottingDock d;
  d.stockAt("MUG", "A-05-01-2", 30);
  const auto p = d.propose();
  BOOST_REQUIRE_EQUAL(p.moves.size(), 1u);
  BOOST_REQUIRE(d.slotting.approve(p.id, "Sue").ok());
  d.stockAt("TEE", p.moves[0].to, 3);
  const auto before = d.state();
  BOOST_TEST(d.slotting.confirm(p.id, 1, stock::Actor::person("ann")).error().message ==
             p.moves[0].to + " holds TEE: it must be empty before MUG goes there");
  BOOST_TEST(d.state() == before);
}

BOOST_AUTO_TEST_CASE(the_rest_routes_propose_approve_and_confirm_and_refuse_bad_bodies) {
  SlottingDock d;
  d.stockAt("MUG", "A-05-01-2", 30);
  http::Router router;
  addSlottingRoutes(router, d.slotting);
  auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
    http::Request req;
    req.method = method;
    req.path = path;
    req.body = body;
    return router.route(std::move(req));
  };
  const std::string base = "/api/v1/inbound/slotting/proposals";
  auto bad = call("POST", base, R"({"max_moves": 0})");
  BOOST_TEST(bad.status == 422);
  BOOST_TEST(bad.body.find("max_moves") != std::string::npos);
  BOOST_TEST(call("POST", base, R"({"dayz": 3})").status == 422);
  BOOST_TEST(d.rows("slotting_proposals") == 0);

  auto made = call("POST", base, R"({"days": 14, "requested_by": "planner"})");
  BOOST_REQUIRE_EQUAL(made.status, 201);
  BOOST_TEST(made.body.find(R"("status":"proposed")") != std::string::npos);
  BOOST_TEST(made.body.find(R"("reason":"to_free_face")") != std::string::npos);
  BOOST_TEST(call("POST", base + "/1/moves/1/confirm", "").status == 409);
  BOOST_TEST(call("POST", base + "/1/approve", "{}").status == 422);  // by is required
  BOOST_TEST(call("POST", base + "/1/approve", R"({"by": "Sue"})").status == 200);
  BOOST_TEST(call("POST", base + "/1/approve", R"({"by": "Sue"})").status == 409);
  auto done = call("POST", base + "/1/moves/1/confirm", R"({"by": "ann"})");
  BOOST_REQUIRE_EQUAL(done.status, 200);
  BOOST_TEST(done.body.find(R"("proposal_status":"done")") != std::string::npos);
  BOOST_TEST(done.body.find(R"("done_by":"person:ann")") != std::string::npos);
  BOOST_TEST(call("POST", base + "/1/moves/1/confirm", "").body.find(R"("duplicate":true)") !=
             std::string::npos);
  BOOST_TEST(call("POST", base + "/1/moves/2/confirm", "").status == 404);
  BOOST_TEST(call("GET", base + "/x", "").status == 404);
  http::Request list;
  list.method = "GET";
  list.path = base;
  list.query["status"] = "done";
  BOOST_TEST(router.route(list).body.find(R"("id":1)") != std::string::npos);
  BOOST_TEST(d.at("MUG", "A-01-01-2") == 30);
}

BOOST_AUTO_TEST_SUITE_END()
