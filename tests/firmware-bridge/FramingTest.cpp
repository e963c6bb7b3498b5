// Tests src/Crc16.cpp, src/Cobs.cpp and src/LinkFrame.cpp: the CRC variant's
// check value, COBS round trips, and the frame reader finding good frames in
// a stream of garbage, truncated, corrupted and oversized frames.
#define BOOST_TEST_MODULE fwbridge_framing
#include <boost/test/unit_test.hpp>
#include <random>
#include <string>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/Cobs.h"
#include "wms/fwbridge/Crc16.h"
#include "wms/fwbridge/LinkFrame.h"

using namespace wms;
using namespace wms::fwbridge;

namespace {
std::vector<std::uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}
}  // namespace

BOOST_AUTO_TEST_CASE(crc16_is_ccitt_false_with_check_value_29b1) {
  BOOST_TEST(crc16(bytes("123456789")) == 0x29B1);
  BOOST_TEST(crc16({}) == 0xFFFF);
  // Continuing over two halves is the CRC of the whole.
  BOOST_TEST(crc16Update(crc16(bytes("1234")), bytes("56789")) == 0x29B1);
}

BOOST_AUTO_TEST_CASE(cobs_round_trips_zeros_and_long_runs_without_a_zero_on_the_wire) {
  std::mt19937 rng(7);
  for (std::size_t n : {0u, 1u, 253u, 254u, 255u, 508u, 600u}) {
    for (int zeros = 0; zeros < 3; ++zeros) {
      std::vector<std::uint8_t> data(n);
      for (auto& b : data)
        b = static_cast<std::uint8_t>(zeros == 0 ? (rng() % 255 + 1) : zeros == 1 ? 0 : rng());
      auto enc = cobsEncode(data);
      BOOST_TEST(enc.size() <= cobsMaxEncodedSize(n));
      BOOST_TEST(std::count(enc.begin(), enc.end(), 0) == 0);
      auto dec = cobsDecode(enc);
      BOOST_TEST_REQUIRE(dec.ok());
      BOOST_TEST((*dec == data));
    }
  }
}

BOOST_AUTO_TEST_CASE(cobs_refuses_a_block_running_past_the_end_and_an_inner_zero) {
  const std::uint8_t pastEnd[] = {0x05, 'a', 'b'};
  BOOST_TEST(cobsDecode(pastEnd).error().kind == ErrorKind::Malformed);
  const std::uint8_t innerZero[] = {0x03, 'a', 0x00};
  BOOST_TEST(cobsDecode(innerZero).error().kind == ErrorKind::Malformed);
}

BOOST_AUTO_TEST_CASE(frame_round_trips_and_ends_in_the_delimiter) {
  LinkFrame f{0x13, 42, bytes("\x03]C1ABC")};
  auto wire = encodeFrame(f);
  BOOST_TEST(wire.front() == 0);
  BOOST_TEST(wire.back() == 0);
  auto back = decodeFrame(std::span<const std::uint8_t>(wire.data() + 1, wire.size() - 2));
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST((*back == f));
}

BOOST_AUTO_TEST_CASE(frame_with_a_flipped_bit_fails_its_crc) {
  auto wire = encodeFrame(LinkFrame{0x10, 1, {1}});
  wire[3] ^= 0x04;
  auto r = decodeFrame(std::span<const std::uint8_t>(wire.data() + 1, wire.size() - 2));
  BOOST_TEST(!r.ok());
}

BOOST_AUTO_TEST_CASE(frame_payload_over_the_maximum_is_a_misuse) {
  BOOST_CHECK_THROW(encodeFrame(LinkFrame{0x13, 0, std::vector<std::uint8_t>(kMaxPayload + 1, 'x')}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(reader_resynchronises_after_garbage_truncation_and_oversize) {
  FrameReader reader;
  const LinkFrame a{0x10, 0, {1}};
  const LinkFrame b{0x13, 1,
                    bytes("\x00"
                          "0123")};
  std::vector<std::uint8_t> stream = {0x41, 0x42, 0x43};  // line noise before anything
  auto wa = encodeFrame(a);
  stream.insert(stream.end(), wa.begin(), wa.end());
  auto wb = encodeFrame(b);
  stream.insert(stream.end(), wb.begin(), wb.begin() + 4);  // cut off: the device vanished mid-frame
  stream.insert(stream.end(), wb.begin(), wb.end());        // and sent it again when it came back
  stream.insert(stream.end(), 600, 0x55);                   // longer than any frame
  stream.insert(stream.end(), wb.begin(), wb.end());
  std::vector<LinkFrame> good;
  int bad = 0;
  // Byte by byte, as a slow UART delivers it.
  for (auto byte : stream) {
    for (auto& r : reader.push(std::span<const std::uint8_t>(&byte, 1))) {
      if (r)
        good.push_back(*r);
      else
        ++bad;
    }
  }
  BOOST_TEST_REQUIRE(good.size() == 3u);
  BOOST_TEST((good[0] == a));
  BOOST_TEST((good[1] == b));
  BOOST_TEST((good[2] == b));
  BOOST_TEST(bad == 3);
  BOOST_TEST(reader.stats().oversize == 1u);
  BOOST_TEST(reader.stats().crcErrors + reader.stats().malformed == 2u);
}

BOOST_AUTO_TEST_CASE(reader_never_accepts_a_frame_damaged_by_random_byte_errors) {
  std::mt19937 rng(11);
  FrameReader reader;
  int delivered = 0;
  int intact = 0;
  for (int i = 0; i < 5000; ++i) {
    LinkFrame f{0x13, static_cast<std::uint8_t>(i), bytes("\x03]C1" + std::to_string(1000000 + i))};
    auto wire = encodeFrame(f);
    bool damaged = false;
    for (auto& b : wire) {
      if (rng() % 100 == 0) {
        b = static_cast<std::uint8_t>(rng());
        damaged = true;
      }
    }
    if (!damaged) ++intact;
    for (auto& r : reader.push(wire)) {
      if (!r) continue;
      ++delivered;
      BOOST_TEST((r->payload == f.payload));  // never a corrupted frame
    }
    const std::uint8_t zero = 0;
    (void)reader.push(std::span<const std::uint8_t>(&zero, 1));  // as the link's next frame would resync
  }
  BOOST_TEST(delivered >= intact);
}
