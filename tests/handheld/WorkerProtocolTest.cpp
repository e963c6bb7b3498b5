// Tests src/decode/WorkerProtocol.cpp: messages round-trip, and every
// truncated, oversized or inconsistent message is an error, never a crash.
#include <boost/test/unit_test.hpp>

#include "HandheldTestPrinting.h"
#include "decode/WorkerProtocol.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::detail;

namespace {

std::span<const std::uint8_t> bodyOf(const std::vector<std::uint8_t>& message) {
  return std::span<const std::uint8_t>(message).subspan(kHeaderSize);
}

Barcode sample() {
  Barcode b;
  b.format = BarcodeFormat::Code128;
  b.text = std::string("0109501101530003") + '\x1d' + "10LOT";
  b.symbology = "]C1";
  b.corners = {1, -2, 300, 4, 305, 90, 0, 88};
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(requests_round_trip_and_bad_ones_are_refused) {
  DecodeRequest q{7, FormatSet{BarcodeFormat::Ean13, BarcodeFormat::QrCode}, 4, 2, kFlagSafe, 640, 480};
  auto bytes = encodeRequest(q);
  BOOST_TEST_REQUIRE(bytes.size() == kHeaderSize + kRequestFixedSize);
  auto h = decodeHeader(bytes, kRequestFixedSize);
  BOOST_TEST_REQUIRE(h.ok());
  BOOST_TEST((h->type == MessageType::Request));
  BOOST_TEST(h->length == kRequestFixedSize);
  auto back = decodeRequest(bodyOf(bytes));
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST(back->id == 7u);
  BOOST_TEST((back->formats == q.formats));
  BOOST_TEST(back->maxSymbols == 4);
  BOOST_TEST(back->firstPass == 2);
  BOOST_TEST(back->flags == kFlagSafe);
  BOOST_TEST(back->width == 640);
  BOOST_TEST(back->height == 480);

  BOOST_TEST(decodeRequest(bodyOf(bytes).first(kRequestFixedSize - 1)).error().message ==
             "decode worker message: request of 23 bytes");
  q.width = 0;
  BOOST_TEST(decodeRequest(bodyOf(encodeRequest(q))).error().message ==
             "decode worker message: request frame size 0x480 is empty");
  q = DecodeRequest{1, FormatSet{}, 1, 0, 0, 2, 2};
  BOOST_TEST(decodeRequest(bodyOf(encodeRequest(q))).error().message ==
             "decode worker message: request has no formats");
  q = DecodeRequest{1, FormatSet::all(), 0, 0, 0, 2, 2};
  BOOST_TEST(!decodeRequest(bodyOf(encodeRequest(q))).ok());
}

BOOST_AUTO_TEST_CASE(headers_with_bad_magic_type_or_length_are_refused) {
  auto ok = encodeHeader(MessageType::Done, 8);
  BOOST_TEST(decodeHeader(ok, 64).ok());
  BOOST_TEST(decodeHeader(std::span<const std::uint8_t>(ok).first(11), 64).error().message ==
             "decode worker message: truncated header");
  auto bad = ok;
  bad[0] ^= 1;
  BOOST_TEST(decodeHeader(bad, 64).error().message == "decode worker message: bad magic");
  auto type = encodeHeader(static_cast<MessageType>(2), 0);
  BOOST_TEST(decodeHeader(type, 64).error().message == "decode worker message: unknown type 2");
  BOOST_TEST(decodeHeader(ok, 7).error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(worker_messages_round_trip) {
  auto found = encodeFound(3, 2, sample());
  auto m = decodeWorkerMessage(MessageType::Found, bodyOf(found));
  BOOST_TEST_REQUIRE(m.ok(), (m ? "" : m.error().message));
  BOOST_TEST(m->id == 3u);
  BOOST_TEST(m->pass == 2);
  BOOST_TEST((m->barcode == sample()));

  auto done = decodeWorkerMessage(MessageType::Done, bodyOf(encodeDone(3, 4, 2)));
  BOOST_TEST(done->passesRun == 4);
  BOOST_TEST(done->count == 2);
}

BOOST_AUTO_TEST_CASE(every_truncation_of_a_found_message_is_an_error) {
  auto found = encodeFound(3, 2, sample());
  auto body = bodyOf(found);
  for (std::size_t n = 0; n < body.size(); ++n)
    BOOST_TEST(!decodeWorkerMessage(MessageType::Found, body.first(n)).ok(), "prefix of " << n << " bytes");
  std::vector<std::uint8_t> longer(body.begin(), body.end());
  longer.push_back(0);
  BOOST_TEST(decodeWorkerMessage(MessageType::Found, longer).error().message ==
             "decode worker message: 1 unexpected trailing bytes");
}

BOOST_AUTO_TEST_CASE(found_messages_with_impossible_fields_are_refused) {
  auto found = encodeFound(3, 2, sample());
  std::vector<std::uint8_t> body(found.begin() + kHeaderSize, found.end());
  auto badFormat = body;
  badFormat[6] = 200;
  BOOST_TEST(decodeWorkerMessage(MessageType::Found, badFormat).error().message ==
             "decode worker message: unknown barcode format 200");
  auto hugeText = body;
  const std::size_t textLenAt = 4 + 2 + 1 + 32;
  hugeText[textLenAt + 3] = 0x7f;  // claims ~2 GB of text
  BOOST_TEST(!decodeWorkerMessage(MessageType::Found, hugeText).ok());
  BOOST_TEST(!decodeWorkerMessage(MessageType::Request, body).ok());
}
