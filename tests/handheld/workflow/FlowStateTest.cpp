// Saved workflow state: round trips, and every broken fixture refused with
// its reason (tests/handheld/fixtures/state).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "FlowTestSupport.h"
#include "wms/handheld/FlowState.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::filesystem::path kStates = std::filesystem::path(WMS_HANDHELD_FIXTURES) / "state";

}  // namespace

BOOST_AUTO_TEST_SUITE(flow_state)

BOOST_AUTO_TEST_CASE(a_pick_state_round_trips_with_every_field) {
  PickFlow::Options o;
  o.device = kDevice;
  PickFlow f(o);
  f.handle(server(batch()));
  auto t = batch();
  t.batchId = "B-2";
  f.handle(server(t));  // waits as the next batch
  f.handle(KeyPress{Key::Skip});
  auto s = f.state();
  s.walk[1].status = StopStatus::Flagged;
  s.walk[1].refusals = 2;
  s.walk[1].note = "stop 2 refused";
  s.walk[1].synced = true;
  s.walk[0].stop.lot = "L1";
  s.walk[0].stop.minExpiry = "2026-01-31";
  s.notice = "n";
  s.doneSent = true;
  s.typedCodes = true;
  s.finished = {FinishedBatch{"B-0", 3, {"S1", "S9"}}, FinishedBatch{"B-00", 1, {}}};
  auto back = decodePickState(encodePickState(s));
  BOOST_REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
  BOOST_CHECK(*back == s);
}

BOOST_AUTO_TEST_CASE(the_typed_codes_setting_of_the_batch_in_hand_survives_a_restart) {
  PickFlow::Options o;
  o.device = kDevice;
  o.gs1.referenceYear = 2025;
  PickFlow f(o);
  auto t = batch();
  t.typedCodes = true;
  f.handle(server(t));
  auto saved = decodePickState(encodePickState(f.state()));
  BOOST_REQUIRE_MESSAGE(saved, (saved ? "" : saved.error().message));
  PickFlow g(o);
  BOOST_REQUIRE(static_cast<bool>(g.restore(*saved)));
  BOOST_TEST(g.state().typedCodes);
  BOOST_CHECK(g.handle(typedCode("A-01-01-1")).signal == Signal::Good);
  // A state saved before the setting existed allows no typed codes.
  auto old = decodePickState(read(kStates / "good/pick-working.json"));
  BOOST_REQUIRE(old);
  BOOST_TEST(!old->typedCodes);
  // Nor did it remember finished batches.
  BOOST_TEST(old->finished.empty());
}

BOOST_AUTO_TEST_CASE(a_pack_state_round_trips_with_cartons_and_label) {
  PackState s;
  s.phase = PackPhase::Ship;
  s.requested = "T-0001";
  protocol::PackTask t;
  t.device = "state";
  t.orderId = "SO-1";
  t.channel = "lazada";
  t.lines = {{"L1", "MUG", "Mug", {"4006381333931"}, 2}};
  s.task = t;
  s.packed = {2};
  s.cartons = {{"SO-1-C1", "M", std::nullopt, {{"MUG", 2}}}};
  protocol::LabelReady l;
  l.device = "state";
  l.orderId = "SO-1";
  l.shipmentId = "SH-1";
  l.carrier = "flash";
  l.tracking = "T1";
  l.url = "http://127.0.0.1/x.pdf";
  s.label = l;
  s.result = "r";
  auto back = decodePackState(encodePackState(s));
  BOOST_REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
  BOOST_CHECK(*back == s);
}

BOOST_AUTO_TEST_CASE(the_good_fixtures_decode) {
  BOOST_TEST(static_cast<bool>(decodePickState(read(kStates / "good/pick-working.json"))));
  auto pack = decodePackState(read(kStates / "good/pack-verify.json"));
  BOOST_REQUIRE_MESSAGE(pack, (pack ? "" : pack.error().message));
  BOOST_TEST(pack->packed == std::vector<int>({1}));
  auto receive = decodeReceiveState(read(kStates / "good/receive-quantity.json"));
  BOOST_REQUIRE_MESSAGE(receive, (receive ? "" : receive.error().message));
  BOOST_TEST(receive->pending.size() == 1u);
  BOOST_TEST(static_cast<bool>(ReceiveFlow({kDevice, std::string("DOCK-1"), 10000, {}}).restore(*receive)));
  auto putaway = decodePutawayState(read(kStates / "good/putaway-quantity.json"));
  BOOST_REQUIRE_MESSAGE(putaway, (putaway ? "" : putaway.error().message));
  BOOST_TEST(putaway->reason == "suggestion blocked");
  BOOST_TEST(static_cast<bool>(PutawayFlow({kDevice, std::string("DOCK-1"), {}}).restore(*putaway)));
  auto replenish = decodeReplenishState(read(kStates / "good/replenish-scan-to.json"));
  BOOST_REQUIRE_MESSAGE(replenish, (replenish ? "" : replenish.error().message));
  BOOST_TEST(replenish->qty == 7);
  BOOST_TEST(replenish->sent.size() == 1u);
  BOOST_TEST(static_cast<bool>(ReplenishFlow({kDevice, {}}).restore(*replenish)));
  auto count = decodeCountState(read(kStates / "good/count-count.json"));
  BOOST_REQUIRE_MESSAGE(count, (count ? "" : count.error().message));
  BOOST_TEST(count->counts.at(0).recount);
  BOOST_TEST(count->sent.at(0).counted == 4);
  BOOST_TEST(static_cast<bool>(CountFlow({kDevice, {}}).restore(*count)));
}

BOOST_AUTO_TEST_CASE(replenish_and_count_states_round_trip_with_their_unanswered_confirmations) {
  ReplenishState r;
  r.phase = ReplenishPhase::Quantity;
  protocol::ReplenishMove m{"CHEESE", "Cheese", {"96385074"}, "R-01-01-3", "A-01-05-1", "L5", "2029-01-31", 10, "low"};
  r.moves = {m};
  r.note = "n";
  protocol::ReplenishConfirm c;
  c.sku = "CHEESE";
  c.from = "R-01-01-3";
  c.to = "A-01-05-1";
  c.qty = 3;
  c.lot = "L5";
  r.sent = {{m, c}};
  r.result = "r";
  auto back = decodeReplenishState(encodeReplenishState(r));
  BOOST_REQUIRE_MESSAGE(back, (back ? "" : back.error().message));
  BOOST_CHECK(*back == r);

  CountState s;
  s.phase = CountPhase::ScanLocation;
  protocol::CountItem item{17, "A-02-01-1", "EGGS", "Eggs", {"4006381333931"}, "L1", "2027-02-28", true};
  s.counts = {item};
  s.sent = {{item, 0}};
  s.result = "r";
  auto counted = decodeCountState(encodeCountState(s));
  BOOST_REQUIRE_MESSAGE(counted, (counted ? "" : counted.error().message));
  BOOST_CHECK(*counted == s);
}

BOOST_AUTO_TEST_CASE(every_broken_fixture_is_refused_with_its_reason) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kStates / "broken")) {
    if (entry.path().extension() != ".json") continue;
    const std::string text = read(entry.path());
    auto errPath = entry.path();
    errPath.replace_extension(".err");
    const std::string expected = read(errPath);
    const std::string name = entry.path().filename().string();
    auto errorOf = [&](const auto& decoded) -> std::optional<Error> {
      if (decoded) return std::nullopt;
      return decoded.error();
    };
    const auto error = name.rfind("pack-", 0) == 0      ? errorOf(decodePackState(text))
                       : name.rfind("receive-", 0) == 0 ? errorOf(decodeReceiveState(text))
                       : name.rfind("putaway-", 0) == 0 ? errorOf(decodePutawayState(text))
                       : name.rfind("replenish-", 0) == 0 ? errorOf(decodeReplenishState(text))
                       : name.rfind("count-", 0) == 0   ? errorOf(decodeCountState(text))
                                                        : errorOf(decodePickState(text));
    BOOST_TEST_CONTEXT(entry.path().filename()) {
      BOOST_REQUIRE(error.has_value());
      BOOST_TEST(error->message.find(expected) != std::string::npos, error->message);
    }
    ++checked;
  }
  BOOST_TEST(checked >= 29);
}

BOOST_AUTO_TEST_CASE(a_state_over_the_size_limit_is_refused_unread) {
  auto r = decodePickState(std::string(kMaxStateBytes + 1, ' '));
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_SUITE_END()
