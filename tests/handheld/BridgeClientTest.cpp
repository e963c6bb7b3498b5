// Tests src/engine/BridgeClient.cpp: the app driven entirely through the
// firmware bridge. A simulated microcontroller (tools/fwsim) on a real pty
// sends every scan and keypad key of a whole pick through a real
// wms-fwbridge loop (wms::fwbridge::Bridge) to the app, against a real
// mosquitto and a scripted server; the app's good and bad reads come back
// to the MCU as beep and LED commands.
#define BOOST_TEST_MODULE handheld_bridge
#include <boost/test/unit_test.hpp>
#include <sstream>
#include <thread>

#include "session/ScriptedServer.h"
#include "wms/fwbridge/Bridge.h"
#include "wms/fwsim/Simulators.h"
#include "wms/handheld/BridgeClient.h"
#include "wms/handheld/Handheld.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"
#include "workflow/FlowTestSupport.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;
using namespace std::chrono_literals;
using testsupport::MosquittoBroker;
using testsupport::TempDir;

namespace {

// A bridge on its own thread, stopped and joined at the end.
struct BridgeThread {
  std::ostringstream log;
  std::unique_ptr<fwbridge::Bridge> bridge;
  std::thread thread;
  explicit BridgeThread(fwbridge::BridgeOptions o) {
    o.log = &log;
    o.reopenMin = 20ms;
    auto b = fwbridge::Bridge::create(std::move(o));
    BOOST_TEST_REQUIRE(b.ok(), (b.ok() ? "" : b.error().message));
    bridge = std::move(*b);
    thread = std::thread([this] { (void)bridge->run(); });
  }
  ~BridgeThread() {
    bridge->stop();
    thread.join();
    BOOST_TEST_MESSAGE("bridge log:\n" << log.str());
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_whole_pick_is_driven_through_the_bridge_with_feedback_on_the_hardware) {
  MosquittoBroker::Options bo;
  bo.deviceIds = {"HH-07"};
  MosquittoBroker broker(bo);
  ScriptedServer server(broker);
  TempDir dir("hh-bridge");
  const std::string tty = (dir / "ttyWMS0").string();
  auto mcu = fwsim::SimulatedMcu::start(fwsim::McuOptions{tty, "fwsim-pick", 0.0, 3});
  BOOST_TEST_REQUIRE(mcu.ok());
  fwbridge::BridgeOptions o;
  o.socketPath = (dir / "bridge.sock").string();
  o.mcu = fwbridge::SerialDevice{tty, 115200};
  BridgeThread bridge(o);
  BOOST_TEST_REQUIRE((*mcu)->waitLinkUp(5s));

  auto client = BridgeClient::connect(o.socketPath);
  BOOST_TEST_REQUIRE(client.ok());
  LinkOptions lo;
  lo.uri = broker.uri();
  lo.device = "HH-07";
  for (const auto& a : broker.devices())
    if (a.username == "HH-07") lo.password = a.password;
  DeviceLink link(lo);
  link.start();
  HandheldOptions ho;
  ho.device = "HH-07";
  ho.gs1ReferenceYear = 2025;
  auto app = Handheld::open(ho, dir / "hh.db", &link, client->get());
  BOOST_TEST_REQUIRE(app.ok());
  Handheld& hh = **app;
  // The app's loop: the bridge's events in, the app's own polling.
  auto until = [&](auto pred, std::chrono::milliseconds timeout = 10s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      (*client)->pump(hh);
      hh.poll();
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  };
  auto& sim = **mcu;
  auto keys = [&](const std::string& text) {
    for (char c : text) sim.send(fwbridge::KeyMsg{static_cast<std::uint8_t>(c)});
    sim.send(fwbridge::KeyMsg{0x0D});
  };
  BOOST_TEST_REQUIRE(until([&] { return hh.online(); }));

  sim.scan("", "EMP-1");
  BOOST_TEST_REQUIRE(until([&] { return hh.signedIn(); }));
  auto task = batch("HH-07");
  task.stops = {stop("S1", 10, "A-01-01-1", "APPLE", {"4006381333931"}, {{"T-1", 2}}),
                stop("S2", 20, "A-02-01-1", "BREAD", {"036000291452"}, {{"T-2", 1}})};
  server.send(task);
  BOOST_TEST_REQUIRE(until([&] { return hh.pick().phase() == PickPhase::ScanLocation; }));

  // Stop 1: location, a wrong item first (a bad read), the item, quantity 2
  // on the keypad, the tote; each through the trigger and the engine.
  sim.trigger(true);
  sim.scan("]C0", "A-01-01-1");
  sim.trigger(false);
  BOOST_TEST_REQUIRE(until([&] { return hh.pick().phase() == PickPhase::ScanItem; }));
  sim.scan("]E0", "0036000291452");
  sim.scan("]E0", "4006381333931");
  keys("2");
  sim.scan("]C0", "T-1");
  BOOST_TEST_REQUIRE(until([&] { return hh.pick().state().walk[0].status != StopStatus::Open; }));
  // Stop 2.
  sim.scan("]C0", "A-02-01-1");
  sim.scan("]E0", "0036000291452");
  sim.scan("]C0", "T-2");
  BOOST_TEST_REQUIRE(until([&] { return hh.pick().phase() == PickPhase::Done; }));
  BOOST_TEST_REQUIRE(until([&] { return hh.outboxCount() == 0; }, 20s));
  BOOST_TEST(server.waitForEvents("pick.confirm", 2));
  BOOST_TEST((*client)->scans() == 8u);

  // Every accepted scan beeped good on the hardware; the wrong item beeped bad.
  BOOST_TEST_REQUIRE(sim.waitIdle(5s));
  std::this_thread::sleep_for(300ms);
  int good = 0, bad = 0;
  for (const auto& c : sim.commands()) {
    if (const auto* b = std::get_if<fwbridge::BeepCmd>(&c)) {
      if (b->pattern == fwbridge::BeepPattern::Good) ++good;
      if (b->pattern == fwbridge::BeepPattern::Bad) ++bad;
    }
  }
  BOOST_TEST(bad >= 1);
  BOOST_TEST(good >= 7);
  link.stop();
}

BOOST_AUTO_TEST_CASE(without_a_bridge_connect_says_so_and_the_app_keeps_its_camera_path) {
  TempDir dir("hh-bridge");
  auto client = BridgeClient::connect((dir / "none.sock").string());
  BOOST_TEST_REQUIRE(!client.ok());
  BOOST_TEST((client.error().kind == ErrorKind::Unavailable));
  BOOST_TEST(client.error().message.find("no firmware bridge at") == 0u);
}
