// Tests src/Ssi.cpp: the SSI codec against the packets in fixtures/ssi and
// the driver's handling of ACK, NAK, silence, multi-packet and repeated reads.
#define BOOST_TEST_MODULE fwbridge_ssi
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/Ssi.h"

using namespace wms;
using namespace wms::fwbridge;
using namespace std::chrono_literals;

namespace {

std::vector<std::vector<std::uint8_t>> fixture(const std::string& name) {
  std::ifstream in(std::string(WMS_FWBRIDGE_FIXTURES) + "/ssi/" + name);
  BOOST_TEST_REQUIRE(in.good(), "fixture " << name);
  std::vector<std::vector<std::uint8_t>> packets;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::uint8_t> bytes;
    unsigned v = 0;
    while (words >> std::hex >> v) bytes.push_back(static_cast<std::uint8_t>(v));
    if (!bytes.empty()) packets.push_back(bytes);
  }
  return packets;
}

std::vector<std::uint8_t> joined(const std::string& name) {
  std::vector<std::uint8_t> all;
  for (auto& p : fixture(name)) all.insert(all.end(), p.begin(), p.end());
  return all;
}

std::vector<SsiPacket> sentBy(SsiDriver& d) {
  SsiReader r;
  return r.push(d.takeOutput(), {});
}

template <class T>
std::vector<T> eventsOf(SsiDriver& d) {
  std::vector<T> out;
  for (auto& e : d.takeEvents()) {
    if (auto* t = std::get_if<T>(&e)) out.push_back(*t);
  }
  return out;
}

const TimePoint t0{};

}  // namespace

BOOST_AUTO_TEST_CASE(recorded_packets_decode_and_encode_back_to_the_same_bytes) {
  for (const char* name :
       {"ack.hex", "nak-resend.hex", "decode-ean13.hex", "decode-gs1-128.hex", "decode-two-packets.hex"}) {
    for (const auto& bytes : fixture(name)) {
      auto p = decodeSsi(bytes);
      BOOST_TEST_REQUIRE(p.ok(), name);
      BOOST_TEST((encodeSsi(*p) == bytes), name);
    }
  }
  auto ean = decodeSsi(fixture("decode-ean13.hex")[0]).value();
  BOOST_TEST(ean.opcode == ssi::kDecodeData);
  BOOST_TEST(ean.source == ssi::kSourceEngine);
  BOOST_TEST(ean.data[0] == 0x0B);
}

BOOST_AUTO_TEST_CASE(wrong_checksum_and_truncated_packets_are_refused_with_distinct_errors) {
  BOOST_TEST(decodeSsi(fixture("bad-checksum.hex")[0]).error().kind == ErrorKind::Invalid);
  BOOST_TEST(decodeSsi(fixture("truncated.hex")[0]).error().kind == ErrorKind::Malformed);
  const std::vector<std::uint8_t> tiny{0x02, 0xD0};
  BOOST_TEST(decodeSsi(tiny).error().kind == ErrorKind::Malformed);
}

BOOST_AUTO_TEST_CASE(a_decode_is_acknowledged_and_delivered_with_its_aim_identifier) {
  SsiDriver d;
  d.onBytes(joined("decode-gs1-128.hex"), t0);
  auto decodes = eventsOf<SsiDecode>(d);
  BOOST_TEST_REQUIRE(decodes.size() == 1u);
  BOOST_TEST(decodes[0].symbology == "]C1");
  BOOST_TEST(decodes[0].data ==
             "0109501101530003\x1d"
             "10LOT42");
  auto sent = sentBy(d);
  BOOST_TEST_REQUIRE(sent.size() == 1u);
  BOOST_TEST(sent[0].opcode == ssi::kCmdAck);
  BOOST_TEST(sent[0].source == ssi::kSourceHost);
}

BOOST_AUTO_TEST_CASE(an_aim_identifier_the_engine_sends_itself_wins_over_the_type_code) {
  SsiDriver d;
  d.onBytes(joined("decode-aim-prefixed.hex"), t0);
  auto decodes = eventsOf<SsiDecode>(d);
  BOOST_TEST_REQUIRE(decodes.size() == 1u);
  BOOST_TEST(decodes[0].symbology == "]C1");
  BOOST_TEST(decodes[0].data == "A-01-02-3");
}

BOOST_AUTO_TEST_CASE(a_read_in_two_packets_is_joined_into_one_scan) {
  SsiDriver d;
  d.onBytes(joined("decode-two-packets.hex"), t0);
  auto decodes = eventsOf<SsiDecode>(d);
  BOOST_TEST_REQUIRE(decodes.size() == 1u);
  BOOST_TEST(decodes[0].data == std::string(200, 'A') + std::string(50, 'B'));
  BOOST_TEST(decodes[0].symbology == "]d1");
  BOOST_TEST(sentBy(d).size() == 2u);  // each packet acknowledged
}

BOOST_AUTO_TEST_CASE(a_retransmitted_read_is_acknowledged_but_not_delivered_twice) {
  SsiDriver d;
  d.onBytes(joined("decode-retransmitted.hex"), t0);
  BOOST_TEST(eventsOf<SsiDecode>(d).size() == 1u);
  BOOST_TEST(d.stats().duplicates == 1u);
  BOOST_TEST(sentBy(d).size() == 2u);
  // The same barcode scanned again (no retransmit bit) is a new read.
  d.onBytes(fixture("decode-retransmitted.hex")[0], t0);
  BOOST_TEST(eventsOf<SsiDecode>(d).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_packet_with_a_wrong_checksum_is_naked_once_and_the_next_one_read) {
  SsiDriver d;
  d.onBytes(joined("bad-checksum.hex"), t0);
  BOOST_TEST(eventsOf<SsiDecode>(d).empty());
  // SSI has no delimiter: what follows the bad packet waits for the gap.
  d.tick(t0 + 60ms);
  d.onBytes(joined("decode-ean13.hex"), t0 + 80ms);
  auto decodes = eventsOf<SsiDecode>(d);
  BOOST_TEST_REQUIRE(decodes.size() == 1u);
  BOOST_TEST(decodes[0].data == "5901234123457");
  BOOST_TEST(decodes[0].symbology == "]E0");
  auto sent = sentBy(d);
  BOOST_TEST_REQUIRE(sent.size() == 2u);
  BOOST_TEST(sent[0].opcode == ssi::kCmdNak);
  BOOST_TEST(sent[0].data[0] == ssi::kNakResend);
  BOOST_TEST(sent[1].opcode == ssi::kCmdAck);
}

BOOST_AUTO_TEST_CASE(noise_bytes_below_the_minimum_length_are_skipped_at_once) {
  SsiDriver d;
  std::vector<std::uint8_t> stream{0x00, 0x01, 0x03, 0x00};
  auto good = joined("decode-ean13.hex");
  stream.insert(stream.end(), good.begin(), good.end());
  d.onBytes(stream, t0);
  BOOST_TEST(eventsOf<SsiDecode>(d).size() == 1u);
  BOOST_TEST(d.readerStats().skippedBytes == 4u);
}

BOOST_AUTO_TEST_CASE(a_packet_cut_off_is_dropped_after_the_gap_and_the_next_one_read) {
  SsiDriver d;
  d.onBytes(joined("truncated.hex"), t0);
  BOOST_TEST(eventsOf<SsiDecode>(d).empty());
  BOOST_TEST(d.nextDeadline().has_value());
  d.tick(t0 + 60ms);
  d.onBytes(joined("decode-ean13.hex"), t0 + 70ms);
  BOOST_TEST(eventsOf<SsiDecode>(d).size() == 1u);
  BOOST_TEST(d.readerStats().stalePartials > 0u);
}

BOOST_AUTO_TEST_CASE(a_command_is_done_when_the_engine_acknowledges_it) {
  SsiDriver d;
  BOOST_TEST(d.command(ssi::kScanEnable, {}, t0).ok());
  auto sent = sentBy(d);
  BOOST_TEST_REQUIRE(sent.size() == 1u);
  BOOST_TEST(sent[0].opcode == ssi::kScanEnable);
  d.onBytes(joined("ack.hex"), t0 + 5ms);
  auto done = eventsOf<SsiCommandDone>(d);
  BOOST_TEST_REQUIRE(done.size() == 1u);
  BOOST_TEST(done[0].opcode == ssi::kScanEnable);
}

BOOST_AUTO_TEST_CASE(nak_resend_retransmits_with_the_retransmit_bit_and_denied_fails) {
  SsiDriver d;
  BOOST_TEST(d.command(ssi::kBeep, {0x01}, t0).ok());
  (void)sentBy(d);
  d.onBytes(joined("nak-resend.hex"), t0 + 5ms);
  auto again = sentBy(d);
  BOOST_TEST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].opcode == ssi::kBeep);
  BOOST_TEST((again[0].status & ssi::kStatusRetransmit) != 0);
  d.onBytes(joined("nak-denied.hex"), t0 + 10ms);
  auto failed = eventsOf<SsiCommandFailed>(d);
  BOOST_TEST_REQUIRE(failed.size() == 1u);
  BOOST_TEST(failed[0].reason == "the engine refused BEEP (denied)");
}

BOOST_AUTO_TEST_CASE(an_engine_that_never_answers_fails_the_command_after_the_retries) {
  SsiDriver d;
  BOOST_TEST(d.command(ssi::kStartDecode, {}, t0).ok());
  BOOST_TEST(d.command(ssi::kStopDecode, {}, t0).ok());
  for (auto t = t0; t < t0 + 1000ms; t += 10ms) d.tick(t);
  auto failed = eventsOf<SsiCommandFailed>(d);
  BOOST_TEST_REQUIRE(failed.size() == 1u);
  BOOST_TEST(failed[0].reason == "no answer from the engine to START_DECODE after 2 retransmissions");
  BOOST_TEST(d.stats().retransmits >= 2u);
  // The next command went out after the first was given up.
  BOOST_TEST(sentBy(d).back().opcode == ssi::kStopDecode);
}

BOOST_AUTO_TEST_CASE(param_send_carries_pairs_after_a_no_beep_code) {
  SsiDriver d;
  BOOST_TEST(d.sendParams({{0x08, 0x01}, {0x2D, 0x00}}, true, t0).ok());
  auto sent = sentBy(d);
  BOOST_TEST_REQUIRE(sent.size() == 1u);
  BOOST_TEST(sent[0].opcode == ssi::kParamSend);
  BOOST_TEST(sent[0].status == ssi::kStatusPermanent);
  BOOST_TEST((sent[0].data == std::vector<std::uint8_t>{0xFF, 0x08, 0x01, 0x2D, 0x00}));
  BOOST_TEST(d.sendParams({{0x1F0, 1}}, false, t0).error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(a_read_with_control_characters_is_reported_not_delivered) {
  SsiDriver d;
  const SsiPacket p{ssi::kDecodeData, ssi::kSourceEngine, 0, {0x03, 'A', 0x07, 'B'}};
  d.onBytes(encodeSsi(p), t0);
  BOOST_TEST(d.takeEvents().size() == 1u);
  BOOST_TEST(d.stats().badDecodes == 1u);
  BOOST_TEST(d.stats().decodes == 0u);
}

BOOST_AUTO_TEST_CASE(a_read_repeated_after_the_port_was_reopened_is_not_delivered_twice) {
  SsiDriver d;
  auto packets = fixture("decode-retransmitted.hex");
  d.onBytes(packets[0], t0);
  BOOST_TEST(eventsOf<SsiDecode>(d).size() == 1u);
  d.reset();  // the engine's cable was pulled before our ACK reached it
  d.onBytes(packets[1], t0 + 1s);  // it sends the read again, retransmit bit set
  BOOST_TEST(eventsOf<SsiDecode>(d).empty());
  BOOST_TEST(d.stats().duplicates == 1u);
}
