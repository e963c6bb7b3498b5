// Tests src/Messages.cpp: every message round-trips; payloads of the wrong
// length, unknown types and out-of-range values are refused with a reason.
#define BOOST_TEST_MODULE fwbridge_messages
#include <boost/test/unit_test.hpp>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/LinkFrame.h"
#include "wms/fwbridge/Messages.h"

using namespace wms;
using namespace wms::fwbridge;

BOOST_AUTO_TEST_CASE(every_up_message_round_trips) {
  const UpMessage all[] = {TriggerMsg{true},
                           TriggerMsg{false},
                           KeyMsg{7},
                           BatteryMsg{81, true},
                           ScanMsg{"]C1",
                                   "0109501101530003\x1d"
                                   "10LOT"},
                           ScanMsg{"", "A-01-02"},
                           FaultMsg{3, "engine timeout"}};
  for (const auto& m : all) {
    auto raw = encodeUp(m);
    auto back = decodeUp(raw.type, raw.payload);
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST((*back == m));
  }
}

BOOST_AUTO_TEST_CASE(every_down_command_round_trips) {
  const DownMessage all[] = {BeepCmd{BeepPattern::Bad}, LedCmd{LedColour::Green, 300}, VibrateCmd{150},
                             EngineCmd{true}, AimerCmd{true, false}};
  for (const auto& m : all) {
    auto raw = encodeDown(m);
    auto back = decodeDown(raw.type, raw.payload);
    BOOST_TEST_REQUIRE(back.ok());
    BOOST_TEST((*back == m));
  }
}

BOOST_AUTO_TEST_CASE(bad_payloads_are_refused_naming_the_problem) {
  const std::vector<std::uint8_t> none;
  BOOST_TEST(decodeUp(type::kTrigger, none).error().message == "trigger payload must be 1 bytes, got 0");
  const std::vector<std::uint8_t> two{2};
  BOOST_TEST(decodeUp(type::kTrigger, two).error().message == "trigger state must be 0 or 1, got 2");
  const std::vector<std::uint8_t> battery{101, 0};
  BOOST_TEST(decodeUp(type::kBattery, battery).error().message == "battery percentage 101 is over 100");
  const std::vector<std::uint8_t> aimTruncated{3, ']', 'C'};
  BOOST_TEST(!decodeUp(type::kScan, aimTruncated).ok());
  const std::vector<std::uint8_t> control{0, 'A', 0x07};
  BOOST_TEST(decodeUp(type::kScan, control).error().message == "scan data has control byte 7 at 2");
  const std::vector<std::uint8_t> badAim{3, 'x', 'C', '1', 'A'};
  BOOST_TEST(decodeUp(type::kScan, badAim).error().message == "scan AIM identifier is malformed");
  BOOST_TEST(decodeUp(0x1F, none).error().message == "unknown message type 31 from the firmware");
  const std::vector<std::uint8_t> colour{9, 0, 0};
  BOOST_TEST(decodeDown(type::kLed, colour).error().message == "LED colour 9 is unknown");
}

BOOST_AUTO_TEST_CASE(a_scan_too_long_for_one_frame_is_a_misuse) {
  BOOST_CHECK_THROW(encodeUp(ScanMsg{"]C0", std::string(kMaxPayload, 'A')}), std::invalid_argument);
}
