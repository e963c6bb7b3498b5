// Replenishment and cycle counts over MQTT against a real wmsd and a real
// mosquitto: a worker in replenish mode is given the faces to refill (and a
// second worker not the same moves), each move confirmed once however often
// it is sent; a counter is given the counts blind, a count within the
// tolerance is booked, one off is counted again and then waits for the
// supervisor; a count that races a pick on the same shelf is explained in
// the ledger. Then the real wms-handheld in replenish and count mode does
// the same from its screens.
#define BOOST_TEST_MODULE server_replenish_count_mode
#include "FloorFixture.h"
#include "RealHandheld.h"

using namespace wms;
using namespace wms::testsupport;
using namespace wms::testsupport::floor;

namespace {

std::string refusal(const std::optional<protocol::Ack>& ack) {
  BOOST_REQUIRE(ack);
  if (ack->result != protocol::AckResult::Rejected || !ack->error) return "";
  return ack->error->message;
}

std::int64_t qtyAt(Floor& f, const std::string& sku, const std::string& location) {
  return f.sqlInteger("SELECT COALESCE(SUM(qty), 0) FROM stock WHERE sku = '" + sku + "' AND location = '" +
                      location + "'");
}

// Reserve rows of cheese (12 at R-01-01-3) and of bread (30 at R-01-02-3);
// the cheese face must hold 25 at least, the bread face at least 10.
void reserveAndRules(Floor& f) {
  f.post("/api/v1/import/locations", "code,zone,kind\nR-01-01-3,A,reserve\nR-01-02-3,A,reserve\n", "text/csv");
  f.post("/api/v1/stock/adjustments", R"({"sku":"CHEESE","location":"R-01-01-3","delta":12,"reason":"receipt"})");
  f.post("/api/v1/stock/adjustments", R"({"sku":"BREAD","location":"R-01-02-3","delta":30,"reason":"receipt"})");
  BOOST_REQUIRE_EQUAL(httpRequest(f.wmsd.port(), "PUT", "/api/v1/inbound/pick-faces/A-01-05-1",
                                  R"({"sku":"CHEESE","min":25,"max":30})", {{"Content-Type", "application/json"}})
                          .status,
                      200);
  BOOST_REQUIRE_EQUAL(httpRequest(f.wmsd.port(), "PUT", "/api/v1/inbound/pick-faces/A-03-02-1",
                                  R"({"sku":"BREAD","min":10,"max":20})", {{"Content-Type", "application/json"}})
                          .status,
                      200);
}

// Cheese in reserve only (12 at R-01-01-3), no face rules: what the
// replenishment plan asks for comes from released picks alone.
void cheeseInReserve(Floor& f) {
  f.post("/api/v1/import/locations", "code,zone,kind\nR-01-01-3,A,reserve\n", "text/csv");
  f.post("/api/v1/stock/adjustments", R"({"sku":"CHEESE","location":"R-01-01-3","delta":12,"reason":"receipt"})");
}

// Releases the order's wave, signs a picker in and reports the cheese face
// empty; returns the batch and the stop the short's task.update added.
std::pair<protocol::TaskAssign, protocol::PickStop> shortAtTheCheeseFace(Floor& f, ScriptedDevice& picker) {
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/waves/release", "{}").status, 201);
  auto batch = nextTask(picker);
  BOOST_REQUIRE(batch);
  BOOST_REQUIRE_EQUAL(batch->stops.size(), 1u);
  const auto stop = batch->stops[0];
  BOOST_REQUIRE_EQUAL(stop.location, "A-01-05-1");
  requireApplied(picker.ackFor(picker.send(shortOf(*batch, stop))), "short at the cheese face");
  auto update = nextOf<protocol::TaskUpdate>(picker);
  BOOST_REQUIRE_MESSAGE(update, "no task.update after the short");
  BOOST_REQUIRE_EQUAL(update->addStops.size(), 1u);
  return {*batch, update->addStops[0]};
}

protocol::ReplenishConfirm confirmOf(const protocol::ReplenishMove& m) {
  protocol::ReplenishConfirm c;
  c.sku = m.sku;
  c.from = m.from;
  c.to = m.to;
  c.qty = m.qty;
  c.lot = m.lot;
  c.expiry = m.expiry;
  return c;
}

protocol::CountConfirm countOf(std::int64_t id, int counted) {
  protocol::CountConfirm c;
  c.countId = id;
  c.counted = counted;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(replenish_mode)

BOOST_AUTO_TEST_CASE(two_workers_refill_different_faces_and_each_move_is_applied_once) {
  Floor f;
  reserveAndRules(f);
  auto first = f.signedIn(0, "B-1", protocol::WorkMode::Replenish);
  auto second = f.signedIn(1, "B-2", protocol::WorkMode::Replenish);

  requireApplied(first->ackFor(first->send(protocol::ReplenishRequest{})), "replenish.request");
  auto task = nextOf<protocol::ReplenishTask>(*first);
  BOOST_REQUIRE(task);
  BOOST_REQUIRE_EQUAL(task->moves.size(), 2u);
  // The cheese face holds 20, below its minimum of 25: up to 30, but the
  // reserve has only 12 (10 are needed). Bread: 5 on the face, up to 20.
  const auto& cheese = task->moves[0].sku == "CHEESE" ? task->moves[0] : task->moves[1];
  const auto& bread = task->moves[0].sku == "CHEESE" ? task->moves[1] : task->moves[0];
  BOOST_TEST(cheese.from == "R-01-01-3");
  BOOST_TEST(cheese.to == "A-01-05-1");
  BOOST_TEST(cheese.qty == 10);
  BOOST_TEST(cheese.barcodes.at(0) == "96385074");
  BOOST_TEST(cheese.reason.find("below its minimum of 25") != std::string::npos, cheese.reason);
  BOOST_TEST(bread.qty == 15);

  // The second worker is not sent to the same faces while the first has them.
  requireApplied(second->ackFor(second->send(protocol::ReplenishRequest{})), "replenish.request (second)");
  auto other = nextOf<protocol::ReplenishTask>(*second);
  BOOST_REQUIRE(other);
  BOOST_TEST(other->moves.empty());
  BOOST_TEST(other->note.value_or("") == "every move needed is with another handheld");

  // The cheese moved; the ack is lost and the move sent again: applied once.
  const auto id = first->send(confirmOf(cheese));
  requireApplied(first->ackFor(id), "replenish.confirm");
  auto next = nextOf<protocol::ReplenishTask>(*first);
  BOOST_REQUIRE(next);
  BOOST_REQUIRE_EQUAL(next->moves.size(), 1u);  // the bread is left
  BOOST_TEST(next->moves[0].sku == "BREAD");
  auto resend = confirmOf(cheese);
  resend.eventId = id;
  auto again = first->ackFor(first->send(resend));
  BOOST_REQUIRE(again);
  BOOST_TEST((again->result == protocol::AckResult::Duplicate));
  BOOST_TEST(qtyAt(f, "CHEESE", "A-01-05-1") == 30);
  BOOST_TEST(qtyAt(f, "CHEESE", "R-01-01-3") == 2);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE sku = 'CHEESE' AND cause = 'transfer' AND "
                          "reference = 'replenishment'") == 2);
}

BOOST_AUTO_TEST_CASE(a_move_from_a_place_that_cannot_give_it_is_refused_and_nothing_moves) {
  Floor f;
  reserveAndRules(f);
  auto d = f.signedIn(0, "B-1", protocol::WorkMode::Replenish);
  const auto ledger = f.sqlInteger("SELECT COUNT(*) FROM ledger");

  protocol::ReplenishConfirm tooMany;
  tooMany.sku = "CHEESE";
  tooMany.from = "R-01-01-3";
  tooMany.to = "A-01-05-1";
  tooMany.qty = 13;  // 12 there
  BOOST_TEST(!refusal(d->ackFor(d->send(tooMany))).empty());
  auto fromPick = tooMany;
  fromPick.from = "A-01-01-1";
  fromPick.qty = 1;
  BOOST_TEST(refusal(d->ackFor(d->send(fromPick))).find("reserve") != std::string::npos);
  auto toReserve = tooMany;
  toReserve.to = "R-01-02-3";
  toReserve.qty = 1;
  BOOST_TEST(refusal(d->ackFor(d->send(toReserve))).find("pick") != std::string::npos);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger") == ledger);
  BOOST_TEST(qtyAt(f, "CHEESE", "R-01-01-3") == 12);
}

// A picker finds a face empty while reserve holds the SKU: not a short but
// an emergency replenishment. The units stay on the order in a stop at the
// end of the walk, the replenisher is sent to that face before anything
// else, and once it is refilled the picker takes them: the order is whole.
BOOST_AUTO_TEST_CASE(a_face_found_empty_with_stock_in_reserve_is_refilled_first_and_the_order_is_not_short) {
  Floor f;
  cheeseInReserve(f);
  f.post("/api/v1/stock/adjustments", R"({"sku":"BREAD","location":"A-03-02-1","delta":-3,"reason":"damage"})");
  BOOST_REQUIRE_EQUAL(httpRequest(f.wmsd.port(), "PUT", "/api/v1/inbound/pick-faces/A-03-02-1",
                                  R"({"sku":"BREAD","min":5,"max":10})", {{"Content-Type", "application/json"}})
                          .status,
                      200);
  const auto order = f.order("EMERGENCY-1", R"({"sku":"CHEESE","qty":3})");
  auto picker = f.signedIn(0, "B-1");
  const auto [batch, again] = shortAtTheCheeseFace(f, *picker);
  BOOST_TEST(again.location == "A-01-05-1");
  BOOST_TEST(again.qty == 3);
  BOOST_TEST(f.sqlInteger("SELECT short_qty FROM order_lines WHERE order_id = " + std::to_string(order)) == 0);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM exceptions WHERE kind = 'short_pick' AND message LIKE "
                          "'%emergency replenishment of 3 from reserve (R-01-01-3)%'") == 1);

  // The replenisher's first move is the emergency, ahead of the bread
  // face's top-up (2 on it, below its minimum of 5).
  auto replenisher = f.signedIn(1, "B-2", protocol::WorkMode::Replenish);
  requireApplied(replenisher->ackFor(replenisher->send(protocol::ReplenishRequest{})), "replenish.request");
  auto task = nextOf<protocol::ReplenishTask>(*replenisher);
  BOOST_REQUIRE(task);
  BOOST_REQUIRE_GE(task->moves.size(), 1u);
  const auto& first = task->moves[0];
  BOOST_TEST(first.sku == "CHEESE");
  BOOST_TEST(first.from == "R-01-01-3");
  BOOST_TEST(first.to == "A-01-05-1");
  BOOST_TEST(first.qty == 3);
  BOOST_TEST(first.reason.rfind("emergency", 0) == 0, first.reason);
  requireApplied(replenisher->ackFor(replenisher->send(confirmOf(first))), "replenish.confirm");
  BOOST_TEST(qtyAt(f, "CHEESE", "R-01-01-3") == 9);
  // Refilled: the face is no longer asked for.
  requireApplied(replenisher->ackFor(replenisher->send(protocol::ReplenishRequest{})), "replenish.request");
  auto after = nextOf<protocol::ReplenishTask>(*replenisher);
  BOOST_REQUIRE(after);
  for (const auto& m : after->moves) BOOST_TEST(m.to != "A-01-05-1");

  requireApplied(picker->ackFor(picker->send(fullConfirmation(batch, again, again.barcodes.front()))),
                 "the emergency stop");
  protocol::BatchDone done;
  done.batchId = batch.batchId;
  requireApplied(picker->ackFor(picker->send(done)), "batch.done");
  BOOST_TEST(f.orderStatus(order) == "picked");
  BOOST_TEST(f.sqlInteger("SELECT picked FROM order_lines WHERE order_id = " + std::to_string(order)) == 3);
}

// Found empty a second time (the picker came back before the refill): the
// units are short, and no second emergency is raised.
BOOST_AUTO_TEST_CASE(an_emergency_stop_found_empty_again_is_short_and_raises_no_second_emergency) {
  Floor f;
  cheeseInReserve(f);
  const auto order = f.order("EMERGENCY-2", R"({"sku":"CHEESE","qty":2})");
  auto picker = f.signedIn(0, "B-1");
  const auto [batch, again] = shortAtTheCheeseFace(f, *picker);
  requireApplied(picker->ackFor(picker->send(shortOf(batch, again))), "short at the emergency stop");
  BOOST_TEST(!picker->waitFor([](const protocol::Message& m) { return std::holds_alternative<protocol::TaskUpdate>(m); },
                              std::chrono::milliseconds(800)));
  BOOST_TEST(f.sqlInteger("SELECT short_qty FROM order_lines WHERE order_id = " + std::to_string(order)) == 2);
  BOOST_TEST(qtyAt(f, "CHEESE", "R-01-01-3") == 12);
  protocol::BatchDone done;
  done.batchId = batch.batchId;
  requireApplied(picker->ackFor(picker->send(done)), "batch.done");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(count_mode)

BOOST_AUTO_TEST_CASE(a_counter_counts_a_shelf_blind_and_a_difference_is_recounted_then_approved) {
  Floor f;
  auto d = f.signedIn(0, "B-1", protocol::WorkMode::Count);

  // Standing at the eggs' first shelf, the counter asks for its counts.
  protocol::CountRequest here;
  here.location = "A-02-01-1";
  requireApplied(d->ackFor(d->send(here)), "count.request");
  auto task = nextOf<protocol::CountTask>(*d);
  BOOST_REQUIRE(task);
  BOOST_REQUIRE_EQUAL(task->counts.size(), 1u);
  const auto& egg = task->counts[0];
  BOOST_TEST(egg.location == "A-02-01-1");
  BOOST_TEST(egg.sku == "EGGS");
  BOOST_TEST(!egg.recount);

  // 4 counted, 6 recorded: counted again; the ack of the first is lost.
  const auto id = d->send(countOf(egg.countId, 4));
  requireApplied(d->ackFor(id), "count.confirm");
  auto recount = nextOf<protocol::CountTask>(*d);
  BOOST_REQUIRE(recount);
  BOOST_REQUIRE_EQUAL(recount->counts.size(), 1u);
  BOOST_TEST(recount->counts[0].recount);
  auto resend = countOf(egg.countId, 4);
  resend.eventId = id;
  auto again = d->ackFor(d->send(resend));
  BOOST_REQUIRE(again);
  BOOST_TEST((again->result == protocol::AckResult::Duplicate));

  // 4 again: it waits for the supervisor; nothing is booked yet.
  requireApplied(d->ackFor(d->send(countOf(egg.countId, 4))), "count.confirm (recount)");
  auto none = nextOf<protocol::CountTask>(*d);
  BOOST_REQUIRE(none);
  BOOST_TEST(none->counts.empty());
  BOOST_TEST(qtyAt(f, "EGGS", "A-02-01-1") == 6);
  BOOST_TEST(refusal(d->ackFor(d->send(countOf(egg.countId, 5)))).find("waiting for a supervisor") !=
             std::string::npos);

  auto approved = f.post("/api/v1/inbound/counts/" + std::to_string(egg.countId) + "/approve", R"({"by":"sup-1"})");
  BOOST_REQUIRE_EQUAL(approved.status, 200);
  BOOST_TEST(qtyAt(f, "EGGS", "A-02-01-1") == 4);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE sku = 'EGGS' AND cause = 'cycle_count' AND delta_on_hand = -2 "
                          "AND reference = 'count:" + std::to_string(egg.countId) + "'") == 1);
  BOOST_TEST(refusal(d->ackFor(d->send(countOf(999, 1)))).find("999") != std::string::npos);
}

// The picker takes a cheese from the shelf while it is being counted: the
// count is compared with the figure when it is entered (19), so the count
// of what is left is no variance, and the ledger shows the pick before the
// count.
BOOST_AUTO_TEST_CASE(a_count_that_races_a_pick_on_the_same_shelf_is_consistent_and_explained_in_the_ledger) {
  Floor f;
  const auto order = f.order("RACE-1", R"({"sku":"CHEESE","qty":1})");
  // The pick is on the picker's list before the counter comes.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/waves/release", "{}").status, 201);
  auto picker = f.signedIn(0, "B-1");
  auto batch = nextTask(*picker);
  BOOST_REQUIRE(batch);

  auto counter = f.signedIn(1, "B-2", protocol::WorkMode::Count);
  protocol::CountRequest here;
  here.location = "A-01-05-1";
  requireApplied(counter->ackFor(counter->send(here)), "count.request");
  auto task = nextOf<protocol::CountTask>(*counter);
  BOOST_REQUIRE(task);
  BOOST_REQUIRE_EQUAL(task->counts.size(), 1u);

  // The picker takes one while the shelf is counted.
  pickAll(*picker, *batch, {});
  BOOST_TEST(f.orderStatus(order) == "picked");
  BOOST_TEST(qtyAt(f, "CHEESE", "A-01-05-1") == 19);

  requireApplied(counter->ackFor(counter->send(countOf(task->counts[0].countId, 19))), "count.confirm");
  auto done = parse(f.wmsd.get("/api/v1/inbound/counts/" + std::to_string(task->counts[0].countId)).body);
  BOOST_TEST(done->getValue<std::string>("status") == "done");
  BOOST_TEST(done->getValue<std::int64_t>("first_expected") == 19);
  BOOST_TEST(done->getValue<std::int64_t>("booked") == 0);
  BOOST_TEST(qtyAt(f, "CHEESE", "A-01-05-1") == 19);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE sku = 'CHEESE' AND cause = 'cycle_count'") == 0);
}

// While a counter counts a shelf, no new wave sends a picker there; the
// rest of the warehouse is released as usual, and once the count is
// entered the shelf's orders are released too.
BOOST_AUTO_TEST_CASE(a_shelf_being_counted_is_left_out_of_new_waves_until_its_count_is_entered) {
  Floor f;
  auto counter = f.signedIn(1, "B-2", protocol::WorkMode::Count);
  protocol::CountRequest here;
  here.location = "A-01-05-1";
  requireApplied(counter->ackFor(counter->send(here)), "count.request");
  auto task = nextOf<protocol::CountTask>(*counter);
  BOOST_REQUIRE(task);
  BOOST_REQUIRE_EQUAL(task->counts.size(), 1u);

  const auto cheese = f.order("FROZEN-1", R"({"sku":"CHEESE","qty":1})");
  const auto bread = f.order("FROZEN-2", R"({"sku":"BREAD","qty":1})");
  f.wmsd.post("/api/v1/waves/release", "{}");
  BOOST_TEST(f.orderStatus(bread) == "released");
  BOOST_TEST(f.orderStatus(cheese) == "allocated");  // waits for the count, not held

  requireApplied(counter->ackFor(counter->send(countOf(task->counts[0].countId, 20))), "count.confirm");
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/waves/release", "{}").status, 201);
  BOOST_TEST(f.orderStatus(cheese) == "released");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The real handheld ---------------------------------------------------------

BOOST_AUTO_TEST_SUITE(real_handheld)

// The real wms-handheld, headless, in replenish mode: Enter asks for work,
// each move is worked from its screens (reserve, item, Enter for the whole
// quantity, pick face); wmsd moves the stock once per move.
BOOST_AUTO_TEST_CASE(the_real_handheld_refills_the_faces_from_reserve_and_the_stock_moves_once) {
  Floor f;
  reserveAndRules(f);
  TempDir dir;
  const std::string move = "wait-for SCAN RESERVE 30\nscan @location\nwait-for SCAN ITEM 10\nscan @item\n"
                           "wait-for TYPE QTY 10\nenter\nwait-for SCAN PICK FACE 10\nscan @location\n";
  auto handheld = realHandheld(f, 1, dir.path(),
                               "wait-online 60\nscan B-1\nwait-for PRESS ENTER FOR WORK 60\n"
                               "scan R-01-01-3\nexpect press Enter\nenter\n" +
                                   move + move + "wait-synced 60\nwait-for PRESS ENTER FOR WORK 30\nstats\n",
                               {"--mode", "replenish", "--size", "40x16"});
  // signin, replenish.request, the two moves.
  requireScriptApplied(*handheld, dir.path(), 4);
  BOOST_TEST(qtyAt(f, "CHEESE", "A-01-05-1") == 30);
  BOOST_TEST(qtyAt(f, "CHEESE", "R-01-01-3") == 2);
  BOOST_TEST(qtyAt(f, "BREAD", "A-03-02-1") == 20);
  BOOST_TEST(qtyAt(f, "BREAD", "R-01-02-3") == 15);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE cause = 'transfer' AND reference = 'replenishment'") == 4);
}

// The real wms-handheld, headless, in count mode: the counter scans the
// eggs' shelf at the start prompt (count where I stand), counts 4 where 6
// are recorded, is asked to count again ("COUNT AGAIN"), counts 4 again;
// the count waits for the supervisor, whose approval books it in the ledger.
BOOST_AUTO_TEST_CASE(the_real_handheld_counts_a_shelf_blind_a_difference_is_recounted_and_the_ledger_shows_it) {
  Floor f;
  TempDir dir;
  auto handheld =
      realHandheld(f, 1, dir.path(),
                   "wait-online 60\nscan B-1\nwait-for ENTER OR SCAN HERE 60\nscan A-02-01-1\n"
                   "wait-for SCAN LOCATION 30\nscan A-02-03-1\nexpect wrong location\nscan @location\n"
                   "wait-for COUNT ITEM 10\nexpect EGGS\ntype 4\n"
                   "wait-for SCAN LOCATION 30\nscan @location\nwait-for COUNT AGAIN 10\ntype 4\n"
                   "wait-synced 60\nwait-for ENTER OR SCAN HERE 30\nstats\n",
                   {"--mode", "count", "--size", "40x16"});
  // signin, count.request, two counts.
  requireScriptApplied(*handheld, dir.path(), 4);
  const auto id = f.sqlInteger("SELECT id FROM count_tasks WHERE sku = 'EGGS' AND location = 'A-02-01-1'");
  auto waiting = parse(f.wmsd.get("/api/v1/inbound/counts/" + std::to_string(id)).body);
  BOOST_TEST(waiting->getValue<std::string>("status") == "approval");
  BOOST_TEST(qtyAt(f, "EGGS", "A-02-01-1") == 6);
  BOOST_REQUIRE_EQUAL(f.post("/api/v1/inbound/counts/" + std::to_string(id) + "/approve", R"({"by":"sup-1"})").status,
                      200);
  BOOST_TEST(qtyAt(f, "EGGS", "A-02-01-1") == 4);
  BOOST_TEST(f.sqlInteger("SELECT COUNT(*) FROM ledger WHERE sku = 'EGGS' AND cause = 'cycle_count' AND "
                          "delta_on_hand = -2 AND reference = 'count:" + std::to_string(id) + "'") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
