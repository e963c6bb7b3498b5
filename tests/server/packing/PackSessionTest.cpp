// Tests for server/packing/src/PackSession.cpp: the packing station's way
// through verification, stored as replayed events.
#include <boost/test/unit_test.hpp>

#include "PackingWorld.h"
#include "wms/packing/PackSession.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

SessionView must(const Result<SessionView>& r) {
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return *r;
}

const SessionLine& line(const SessionView& v, int no) {
  for (const auto& l : v.lines) {
    if (l.lineNo == no) return l;
  }
  BOOST_FAIL("no line " << no);
  return v.lines.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pack_session)

BOOST_AUTO_TEST_CASE(scanning_a_tote_starts_a_session_with_the_lines_and_a_carton_suggestion) {
  PackingWorld w;
  auto id = w.pickedOrder("S-1", {{"MUG", 2}, {"TEE", 1}}, "T-9");
  PackSessionService sessions(w.db(), w.shipping());
  auto v = must(sessions.start("T-9\r\n", "PACK-2"));
  BOOST_TEST(v.sessionId > 0);
  BOOST_TEST((v.state == SessionState::Open));
  BOOST_TEST(v.station == "PACK-2");
  BOOST_TEST(v.task.orderId == id);
  BOOST_TEST(v.lines.size() == 2u);
  BOOST_TEST(line(v, 1).toPack == 2);
  BOOST_TEST(line(v, 1).packed == 0);
  BOOST_TEST(!v.complete);
  BOOST_TEST(v.missing.size() == 2u);
  BOOST_REQUIRE(!v.suggestion.cartons.empty());
  BOOST_TEST(v.suggestion.cartons[0].cartonType == "M");
  BOOST_TEST(!v.openCarton.has_value());
  // The same tote again, from another station: the same session follows.
  auto again = must(sessions.start("T-9", "PACK-3"));
  BOOST_TEST(again.sessionId == v.sessionId);
  BOOST_TEST(again.station == "PACK-3");
}

BOOST_AUTO_TEST_CASE(the_first_accepted_scan_opens_the_suggested_carton) {
  PackingWorld w;
  w.pickedOrder("S-2", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto v = must(sessions.start("T-1", ""));
  auto wrong = must(sessions.scan(v.sessionId, "9780306406157"));
  BOOST_TEST((wrong.lastScan->outcome == ScanOutcome::WrongItem));
  BOOST_TEST(!wrong.openCarton.has_value());  // a wrong item opens nothing
  auto ok = must(sessions.scan(v.sessionId, "8851234567898"));
  BOOST_TEST((ok.lastScan->outcome == ScanOutcome::Accepted));
  BOOST_TEST(ok.openCarton.value_or(0) == 1);
  BOOST_TEST(ok.cartons.at(0).cartonType == "M");
  BOOST_TEST(line(ok, 1).packed == 1);
}

BOOST_AUTO_TEST_CASE(wrong_items_over_scans_and_misreads_are_answers_that_change_nothing_but_are_kept) {
  PackingWorld w;
  w.pickedOrder("S-3", {{"MUG", 1}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto v = must(sessions.start("T-1", ""));
  BOOST_TEST((must(sessions.scan(v.sessionId, "MUG")).lastScan->outcome == ScanOutcome::Accepted));
  auto over = must(sessions.scan(v.sessionId, "8851234567898"));
  BOOST_TEST((over.lastScan->outcome == ScanOutcome::OverScan));
  BOOST_TEST(over.lastScan->message == "over-scan: all 1 of MUG are packed already");
  auto misread = must(sessions.scan(v.sessionId, "8851234567891"));
  BOOST_TEST((misread.lastScan->outcome == ScanOutcome::Unreadable));
  auto bell = must(sessions.scan(v.sessionId, "885\x07"));
  BOOST_TEST((bell.lastScan->outcome == ScanOutcome::Unreadable));
  BOOST_TEST(line(bell, 1).packed == 1);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM pack_session_events WHERE kind = 'scan'") == 4);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM pack_session_events WHERE outcome = 'over_scan'") == 1);
  BOOST_TEST(w.count("SELECT COUNT(*) FROM pack_session_events WHERE text = '885?'") == 1);  // kept printable
  BOOST_TEST((sessions.scan(v.sessionId, "MUG", 0).error().kind == ErrorKind::Invalid));
}

BOOST_AUTO_TEST_CASE(a_session_survives_a_restart_by_replaying_its_steps) {
  PackingWorld w;
  w.pickedOrder("S-4", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  std::int64_t sessionId = 0;
  {
    PackSessionService sessions(w.db(), w.shipping());
    sessionId = must(sessions.start("T-1", "PACK-1")).sessionId;
    must(sessions.openCarton(sessionId, "S"));
    must(sessions.scan(sessionId, "MUG", 2));
    must(sessions.closeCarton(sessionId, 950));
    must(sessions.openCarton(sessionId, "MAILER-S"));
    must(sessions.scan(sessionId, "036000291452"));
  }
  w.reopen();
  PackSessionService sessions(w.db(), w.shipping());
  auto v = must(sessions.get(sessionId));
  BOOST_REQUIRE(v.cartons.size() == 2u);
  BOOST_TEST(v.cartons[0].closed);
  BOOST_TEST(v.cartons[0].weightG.value_or(0) == 950);
  BOOST_TEST(v.cartons[1].cartonType == "MAILER-S");
  BOOST_TEST(!v.cartons[1].closed);
  BOOST_TEST(v.complete);
  BOOST_TEST(v.suggestion.cartons.size() == 1u);  // for what is not in a closed carton: the T-shirt
  // Scanning the tote again resumes it rather than starting over.
  BOOST_TEST(must(sessions.start("T-1", "PACK-1")).sessionId == sessionId);
}

BOOST_AUTO_TEST_CASE(a_gs1_scan_with_group_separators_replays_as_it_was_accepted) {
  PackingWorld w;
  w.pickedOrder("S-4b", {{"CAN", 2}}, "T-1");
  std::int64_t sessionId = 0;
  {
    PackSessionService sessions(w.db(), w.shipping());
    sessionId = must(sessions.start("T-1", "")).sessionId;
    // Without the GS the lot would run into the serial and be too long.
    auto v = must(sessions.scan(sessionId,
                                "]C10109501101530003"
                                "10ABCDEFGHIJKLMNO\x1d"
                                "21SERIAL1234",
                                2));
    BOOST_TEST((v.lastScan->outcome == ScanOutcome::Accepted));
  }
  w.reopen();
  PackSessionService sessions(w.db(), w.shipping());
  auto v = must(sessions.get(sessionId));
  BOOST_TEST(line(v, 1).packed == 2);
  BOOST_TEST(v.complete);
}

BOOST_AUTO_TEST_CASE(completing_packs_the_order_with_the_sessions_cartons) {
  PackingWorld w;
  auto id = w.pickedOrder("S-5", {{"MUG", 2}, {"TEE", 1}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto sid = must(sessions.start("T-1", "")).sessionId;
  must(sessions.scan(sid, "MUG"));
  auto early = sessions.complete(sid);
  BOOST_REQUIRE(!early.ok());
  BOOST_TEST((early.error().kind == ErrorKind::Conflict));
  BOOST_TEST(
      early.error().message ==
      "not every picked unit is packed: line 1 (MUG): 1 of 2 not packed; line 2 (TEE): 1 of 1 not packed");
  must(sessions.scan(sid, "MUG"));
  must(sessions.closeCarton(sid, std::nullopt));
  must(sessions.scan(sid, "TEE"));  // opens the next suggested carton itself
  auto done = must(sessions.complete(sid));
  BOOST_TEST((done.state == SessionState::Packed));
  BOOST_REQUIRE(done.packedCartons.size() == 2u);
  BOOST_TEST(done.packedCartons[1].cartonType == "MAILER-M");  // what is left: the T-shirt
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Packed));
  // Steps on a packed session are refused; scanning the tote shows the packed order.
  BOOST_TEST((sessions.scan(sid, "MUG").error().kind == ErrorKind::Conflict));
  auto shown = must(sessions.start("SO-" + std::to_string(id), ""));
  BOOST_TEST((shown.state == SessionState::Packed));
  BOOST_TEST(shown.packedCartons.size() == 2u);
  BOOST_TEST(line(shown, 1).packed == 2);
  BOOST_TEST(!shown.shipment.has_value());
  BOOST_REQUIRE(w.shipping().createShipment(id).ok());
  BOOST_TEST(must(sessions.get(sid)).shipment.has_value());
}

BOOST_AUTO_TEST_CASE(units_can_be_taken_out_and_cartons_changed) {
  PackingWorld w;
  w.pickedOrder("S-6", {{"MUG", 2}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto sid = must(sessions.start("T-1", "")).sessionId;
  must(sessions.openCarton(sid, "M"));
  must(sessions.openCarton(sid, "S"));  // still empty: the type changes
  must(sessions.scan(sid, "MUG", 2));
  auto out = must(sessions.remove(sid, 1, 1));
  BOOST_TEST(line(out, 1).packed == 1);
  BOOST_TEST((sessions.openCarton(sid, "L").error().kind == ErrorKind::Conflict));  // holds a mug
  BOOST_TEST((sessions.openCarton(sid, "CRATE").error().kind == ErrorKind::Invalid));
  BOOST_TEST((sessions.remove(sid, 1, 5).error().kind == ErrorKind::Conflict));
  auto v = must(sessions.get(sid));
  BOOST_TEST(v.cartons.size() == 1u);
  BOOST_TEST(v.cartons[0].cartonType == "S");
  BOOST_TEST(line(v, 1).packed == 1);
}

BOOST_AUTO_TEST_CASE(an_abandoned_session_leaves_the_order_picked_and_a_new_scan_starts_afresh) {
  PackingWorld w;
  auto id = w.pickedOrder("S-7", {{"MUG", 1}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto sid = must(sessions.start("T-1", "")).sessionId;
  must(sessions.scan(sid, "MUG"));
  BOOST_TEST((must(sessions.abandon(sid)).state == SessionState::Abandoned));
  BOOST_TEST((w.order(id).status == domain::OrderStatus::Picked));
  auto fresh = must(sessions.start("T-1", ""));
  BOOST_TEST(fresh.sessionId != sid);
  BOOST_TEST(line(fresh, 1).packed == 0);
  BOOST_TEST((sessions.get(999).error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_CASE(a_handheld_packing_the_order_ends_an_open_station_session) {
  PackingWorld w;
  auto id = w.pickedOrder("S-8", {{"MUG", 1}}, "T-1");
  PackSessionService sessions(w.db(), w.shipping());
  auto sid = must(sessions.start("T-1", "")).sessionId;
  BOOST_REQUIRE(w.shipping().packOrder(id, {{"CT-1", "S", 400, {{0, "MUG", 1}}}}).ok());
  auto v = must(sessions.get(sid));
  BOOST_TEST((v.state == SessionState::Packed));
  BOOST_TEST(v.packedCartons.at(0).cartonId == "CT-1");
  BOOST_TEST((sessions.scan(sid, "MUG").error().kind == ErrorKind::Conflict));
}

BOOST_AUTO_TEST_CASE(an_unknown_code_or_an_unpicked_order_starts_nothing) {
  PackingWorld w;
  auto id = w.allocatedOrder("S-9", {{"MUG", 1}});
  PackSessionService sessions(w.db(), w.shipping());
  BOOST_TEST((sessions.start("T-404", "").error().kind == ErrorKind::NotFound));
  BOOST_TEST((sessions.start(std::to_string(id), "").error().kind == ErrorKind::Conflict));
  BOOST_TEST((sessions.start("T-1", "PACK 2").error().kind == ErrorKind::Invalid));
  BOOST_TEST(w.count("SELECT COUNT(*) FROM pack_sessions") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
