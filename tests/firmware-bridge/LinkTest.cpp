// Tests src/Link.cpp: the link state machine driven on a virtual clock with
// the bridge (host) and a microcontroller (device) on a simulated wire that
// loses, corrupts and repeats bytes.
#define BOOST_TEST_MODULE fwbridge_link
#include <boost/test/unit_test.hpp>
#include <functional>
#include <random>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/Link.h"

using namespace wms;
using namespace wms::fwbridge;
using namespace std::chrono_literals;

namespace {

LinkOptions opts(LinkOptions::Role role) {
  LinkOptions o;
  o.role = role;
  o.firmwareVersion = "mcu-1.4.2";
  return o;
}

// Two links joined by a wire; `filter` may change or drop what one side wrote.
struct Pair {
  Link host{opts(LinkOptions::Role::Host)};
  Link device{opts(LinkOptions::Role::Device)};
  TimePoint now{};
  std::function<std::vector<std::uint8_t>(std::vector<std::uint8_t>, bool toDevice)> filter =
      [](std::vector<std::uint8_t> b, bool) { return b; };
  std::vector<RawMessage> atHost, atDevice;
  int ups = 0, downs = 0;

  void collect() {
    for (auto& e : host.takeEvents()) {
      if (auto* m = std::get_if<RawMessage>(&e)) atHost.push_back(*m);
      if (std::holds_alternative<LinkUp>(e)) ++ups;
      if (std::holds_alternative<LinkDown>(e)) ++downs;
    }
    for (auto& e : device.takeEvents()) {
      if (auto* m = std::get_if<RawMessage>(&e)) atDevice.push_back(*m);
    }
  }
  // Moves bytes both ways until quiet, advancing the clock by 1 ms a round.
  void run(std::chrono::milliseconds total) {
    for (auto end = now + total; now < end; now += 1ms) {
      host.tick(now);
      device.tick(now);
      auto toDevice = filter(host.takeOutput(), true);
      if (!toDevice.empty()) device.onBytes(toDevice, now);
      auto toHost = filter(device.takeOutput(), false);
      if (!toHost.empty()) host.onBytes(toHost, now);
      collect();
    }
  }
  void start() {
    host.start(now);
    device.start(now);
    run(20ms);
  }
};

RawMessage scan(int i) {
  return encodeUp(ScanMsg{"]C0", "SCAN-" + std::to_string(i)});
}

}  // namespace

BOOST_AUTO_TEST_CASE(handshake_brings_the_link_up_with_the_firmware_version) {
  Pair p;
  p.host.start(p.now);
  p.device.start(p.now);
  auto out = p.host.takeOutput();
  p.device.onBytes(out, p.now);
  p.host.onBytes(p.device.takeOutput(), p.now);
  auto events = p.host.takeEvents();
  BOOST_TEST_REQUIRE(events.size() == 1u);
  const auto* up = std::get_if<LinkUp>(&events[0]);
  BOOST_TEST_REQUIRE(up != nullptr);
  BOOST_TEST(up->firmware == "mcu-1.4.2");
  BOOST_TEST(up->peerVersion == kProtocolVersion);
  BOOST_TEST((p.host.state() == Link::State::Up));
  BOOST_TEST((p.device.state() == Link::State::Up));
}

BOOST_AUTO_TEST_CASE(commands_are_refused_before_the_handshake_and_beyond_the_queue) {
  Link host(opts(LinkOptions::Role::Host));
  BOOST_TEST(host.send(encodeDown(BeepCmd{}), {}).error().kind == ErrorKind::Unavailable);
  Pair p;
  p.start();
  BOOST_TEST(p.host.send(RawMessage{type::kAck, {}}, p.now).error().kind == ErrorKind::Invalid);
  for (int i = 0; i < 33; ++i)
    BOOST_TEST(p.host.send(encodeDown(BeepCmd{}), p.now).ok());  // 1 in flight + 32
  BOOST_TEST(p.host.send(encodeDown(BeepCmd{}), p.now).error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(a_lost_ack_makes_a_retransmission_that_is_not_delivered_twice) {
  Pair p;
  p.start();
  bool dropAck = true;
  p.filter = [&](std::vector<std::uint8_t> b, bool toDevice) {
    if (toDevice && dropAck && !b.empty()) {
      dropAck = false;
      return std::vector<std::uint8_t>{};
    }
    return b;
  };
  BOOST_TEST(p.device.send(scan(1), p.now).ok());
  p.run(500ms);
  BOOST_TEST(p.atHost.size() == 1u);
  BOOST_TEST(p.host.stats().duplicates == 1u);
  BOOST_TEST(p.device.stats().retransmits == 1u);
  BOOST_TEST(p.device.pending() == 0u);
}

BOOST_AUTO_TEST_CASE(a_corrupted_frame_is_naked_and_sent_again_before_the_timeout) {
  Pair p;
  p.start();
  bool corrupt = true;
  p.filter = [&](std::vector<std::uint8_t> b, bool toDevice) {
    if (!toDevice && corrupt && b.size() > 4) {
      corrupt = false;
      b[3] ^= 0x10;
    }
    return b;
  };
  BOOST_TEST(p.device.send(scan(1), p.now).ok());
  p.run(10ms);  // well inside the 100 ms timeout
  BOOST_TEST(p.atHost.size() == 1u);
  BOOST_TEST(p.host.stats().naksSent == 1u);
  BOOST_TEST(p.device.stats().naksReceived == 1u);
}

BOOST_AUTO_TEST_CASE(an_out_of_order_sequence_number_is_naked_and_not_delivered) {
  Pair p;
  p.start();
  // Sequence 5 when 0 is expected: a frame from a previous session.
  auto frame = encodeFrame(LinkFrame{type::kTrigger, 5, {1}});
  p.host.onBytes(frame, p.now);
  p.collect();
  BOOST_TEST(p.atHost.empty());
  BOOST_TEST(p.host.stats().outOfOrder == 1u);
  auto out = p.host.takeOutput();
  FrameReader r;
  auto frames = r.push(out);
  BOOST_TEST_REQUIRE(frames.size() == 1u);
  BOOST_TEST(frames[0]->type == type::kNak);
  BOOST_TEST(frames[0]->seq == 0);
}

BOOST_AUTO_TEST_CASE(a_silent_device_takes_the_link_down_and_the_handshake_restarts) {
  Pair p;
  p.start();
  bool silent = true;
  p.filter = [&](std::vector<std::uint8_t> b, bool toDevice) {
    return silent && toDevice ? std::vector<std::uint8_t>{} : b;
  };
  BOOST_TEST(p.host.send(encodeDown(BeepCmd{}), p.now).ok());
  p.run(700ms);  // 100 ms + 5 retransmissions
  BOOST_TEST(p.downs == 1);
  BOOST_TEST((p.host.state() == Link::State::Handshaking));
  BOOST_TEST(p.host.stats().dropped == 1u);
  silent = false;
  p.run(300ms);
  BOOST_TEST((p.host.state() == Link::State::Up));
  BOOST_TEST(p.ups == 2);
}

BOOST_AUTO_TEST_CASE(a_device_restart_is_noticed_and_its_messages_still_arrive_once) {
  Pair p;
  p.start();
  BOOST_TEST(p.device.send(scan(1), p.now).ok());
  p.run(10ms);
  // The firmware reboots: it announces itself and numbers from 0 again.
  p.device.start(p.now);
  BOOST_TEST(p.device.send(scan(2), p.now).ok());
  p.run(50ms);
  BOOST_TEST(p.downs == 1);
  BOOST_TEST(p.ups == 2);
  BOOST_TEST_REQUIRE(p.atHost.size() == 2u);
  BOOST_TEST((p.atHost[1] == scan(2)));
}

BOOST_AUTO_TEST_CASE(a_frame_in_flight_when_the_session_ends_is_never_delivered_twice) {
  Pair p;
  p.start();
  // The bridge gets the scan, but its ACK never reaches the device.
  bool dropToDevice = true;
  p.filter = [&](std::vector<std::uint8_t> b, bool toDevice) {
    return toDevice && dropToDevice ? std::vector<std::uint8_t>{} : b;
  };
  BOOST_TEST(p.device.send(scan(1), p.now).ok());
  p.run(5ms);
  BOOST_TEST_REQUIRE(p.atHost.size() == 1u);
  // The firmware restarts with the scan still unacknowledged, and has
  // another one queued.
  p.device.start(p.now);
  BOOST_TEST(p.device.send(scan(2), p.now).ok());
  dropToDevice = false;
  p.run(500ms);
  BOOST_TEST_REQUIRE(p.atHost.size() == 2u);
  BOOST_TEST((p.atHost[1] == scan(2)));
  BOOST_TEST(p.device.stats().dropped == 1u);
}

BOOST_AUTO_TEST_CASE(firmware_speaking_another_protocol_version_is_refused) {
  Link host(opts(LinkOptions::Role::Host));
  host.start({});
  (void)host.takeOutput();
  // HELLO_REPLY version 2 to our nonce 1.
  auto reply = encodeFrame(LinkFrame{type::kHelloReply, 0, {2, 1, 'v', '2'}});
  host.onBytes(reply, {});
  auto events = host.takeEvents();
  BOOST_TEST_REQUIRE(events.size() == 1u);
  BOOST_TEST(std::get<LinkDown>(events[0]).reason ==
             "firmware v2 speaks protocol version 2, the bridge speaks 1");
  BOOST_TEST((host.state() == Link::State::Handshaking));
  BOOST_TEST(host.stats().versionMismatches == 1u);
}

BOOST_AUTO_TEST_CASE(at_one_percent_byte_errors_every_message_arrives_once_and_in_order) {
  Pair p;
  std::mt19937 rng(2026);
  p.filter = [&](std::vector<std::uint8_t> b, bool) {
    std::vector<std::uint8_t> out;
    for (auto byte : b) {
      const auto roll = rng() % 300;
      if (roll == 0) continue;                                 // lost
      if (roll == 1) byte = static_cast<std::uint8_t>(rng());  // changed
      out.push_back(byte);
      if (roll == 2) out.push_back(static_cast<std::uint8_t>(rng()));  // inserted
    }
    return out;
  };
  p.start();
  p.run(500ms);
  BOOST_TEST_REQUIRE((p.host.state() == Link::State::Up));
  int sentUp = 0, sentDown = 0;
  for (int round = 0; round < 400; ++round) {
    if (p.device.send(scan(sentUp), p.now).ok()) ++sentUp;
    if (round % 2 == 0 &&
        p.host.send(encodeDown(LedCmd{LedColour::Green, static_cast<std::uint16_t>(round)}), p.now).ok())
      ++sentDown;
    p.run(15ms);
  }
  p.filter = [](std::vector<std::uint8_t> b, bool) { return b; };
  p.run(2000ms);
  // Up: one session held (this seed), so every scan arrived, once, in order.
  BOOST_TEST_REQUIRE(p.host.stats().handshakes == 1u);
  BOOST_TEST_REQUIRE(p.atHost.size() == static_cast<std::size_t>(sentUp));
  for (int i = 0; i < sentUp; ++i) BOOST_TEST((p.atHost[static_cast<std::size_t>(i)] == scan(i)));
  // Down: never a duplicate and never out of order (a reconnect may drop some).
  int last = -1;
  for (const auto& m : p.atDevice) {
    auto led = std::get<LedCmd>(decodeDown(m.type, m.payload).value());
    BOOST_TEST(static_cast<int>(led.milliseconds) > last);
    last = led.milliseconds;
  }
  BOOST_TEST(p.host.stats().badFrames > 0u);
  BOOST_TEST_MESSAGE("up " << sentUp << " down " << sentDown << "/" << p.atDevice.size() << " bad "
                           << p.host.stats().badFrames << " retransmits " << p.device.stats().retransmits);
}
