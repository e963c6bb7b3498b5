// Tests src/SocketProtocol.cpp: the local socket's events and commands
// round-trip, and bad lines are refused naming the field.
#define BOOST_TEST_MODULE fwbridge_socket_protocol
#include <boost/test/unit_test.hpp>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/SocketProtocol.h"

using namespace wms;
using namespace wms::fwbridge;

namespace {
BridgeEvent event(BridgeEvent::Kind k) {
  BridgeEvent e;
  e.kind = k;
  return e;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_event_round_trips_through_one_json_line) {
  std::vector<BridgeEvent> all;
  auto hello = event(BridgeEvent::Kind::Hello);
  hello.source = "up";
  hello.text = "none";
  hello.number = 1;
  all.push_back(hello);
  auto link = event(BridgeEvent::Kind::Link);
  link.source = "mcu";
  link.flag = true;
  link.text = "fw \"1.0\"";
  all.push_back(link);
  auto scan = event(BridgeEvent::Kind::Scan);
  scan.seq = 7;
  scan.scan = Scan{ScanSource::Wedge, "]C1",
                   "0109501101530003\x1d"
                   "10LOT42"};
  all.push_back(scan);
  auto trigger = event(BridgeEvent::Kind::Trigger);
  trigger.flag = true;
  all.push_back(trigger);
  auto key = event(BridgeEvent::Kind::Key);
  key.number = 13;
  all.push_back(key);
  auto battery = event(BridgeEvent::Kind::Battery);
  battery.number = 81;
  battery.flag = true;
  all.push_back(battery);
  auto fault = event(BridgeEvent::Kind::Fault);
  fault.source = "ssi";
  fault.number = 0xE9;
  fault.text = "the engine refused SCAN_ENABLE (denied)";
  all.push_back(fault);
  auto error = event(BridgeEvent::Kind::Error);
  error.text = "command: cmd 'x' is unknown";
  all.push_back(error);
  for (const auto& e : all) {
    const std::string line = encodeEvent(e);
    BOOST_TEST(line.back() == '\n');
    BOOST_TEST(line.find('\n') == line.size() - 1);  // one line, GS escaped
    auto back = parseEvent(line);
    BOOST_TEST_REQUIRE(back.ok(), line << (back.ok() ? "" : back.error().message));
    BOOST_TEST((*back == e), line);
  }
  BOOST_TEST(encodeEvent(scan).find("\\u001d") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_command_round_trips) {
  const BridgeCommand all[] = {
      FeedbackCmd{true}, FeedbackCmd{false}, BeepCmd{BeepPattern::Long}, LedCmd{LedColour::Amber, 250},
      VibrateCmd{100},   EngineCmd{false},   AimerCmd{false, true}};
  for (const auto& c : all) {
    auto back = parseCommand(encodeCommand(c));
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST((*back == c));
  }
}

BOOST_AUTO_TEST_CASE(bad_command_lines_are_refused_naming_the_field) {
  BOOST_TEST(parseCommand("").error().kind == ErrorKind::Malformed);
  BOOST_TEST(parseCommand("{\"cmd\":\"vibrate\",\"ms\":0}").error().message == "ms is out of range");
  BOOST_TEST(parseCommand("{\"cmd\":\"led\",\"colour\":\"green\",\"ms\":20000}").error().message ==
             "ms is out of range");
  BOOST_TEST(parseCommand("{\"cmd\":\"beep\",\"pattern\":\"good\",\"loud\":true}").error().message ==
             "unknown field 'loud'");
  BOOST_TEST(parseCommand("{\"cmd\":\"scanner\"}").error().message == "on is required");
  BOOST_TEST(parseCommand("{\"cmd\":\"feedback\",\"result\":\"ok\"}").error().message ==
             "result must be good or bad");
  BOOST_TEST(parseCommand("[1]").error().kind == ErrorKind::Invalid);
  BOOST_TEST(parseCommand(std::string(kMaxSocketLine + 1, ' ')).error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(a_scan_event_with_control_characters_is_refused) {
  BOOST_TEST(
      !parseEvent(
           "{\"event\":\"scan\",\"seq\":1,\"source\":\"engine\",\"symbology\":\"\",\"data\":\"A\\u0007\"}")
           .ok());
  BOOST_TEST(
      parseEvent("{\"event\":\"scan\",\"seq\":0,\"source\":\"engine\",\"data\":\"A\"}").error().message ==
      "seq is out of range");
  BOOST_TEST(parseEvent("{\"event\":\"teleport\"}").error().message == "event 'teleport' is unknown");
}
