// Tests src/engine/ScanEngine.cpp: hardware scan-engine reads split into
// symbology and data, mapped to barcode formats, and queued across threads.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "HandheldTestPrinting.h"
#include "wms/handheld/ScanEngine.h"

using namespace wms;
using namespace wms::handheld;
using namespace std::chrono_literals;

namespace {
const auto kAt = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));

Barcode barcodeOf(const std::string& raw) {
  return toBarcode(parseEngineOutput(raw, kAt).value()).value();
}
}  // namespace

BOOST_AUTO_TEST_CASE(engine_output_splits_the_symbology_identifier_and_drops_the_line_end) {
  auto s = parseEngineOutput(
      "]C10109501101530003\x1d"
      "10LOT\r\n",
      kAt);
  BOOST_TEST_REQUIRE(s.ok());
  BOOST_TEST(s->symbology == "]C1");
  BOOST_TEST(s->text ==
             "0109501101530003\x1d"
             "10LOT");
  BOOST_TEST((s->at == kAt));
  auto bare = parseEngineOutput("A-01-02", kAt);
  BOOST_TEST(bare->symbology.empty());
}

BOOST_AUTO_TEST_CASE(broken_engine_output_is_refused_with_the_reason) {
  BOOST_TEST(parseEngineOutput("\r\n", kAt).error().message == "scan has no data");
  BOOST_TEST(parseEngineOutput("]C", kAt).error().message == "scan ends inside its symbology identifier");
  BOOST_TEST(parseEngineOutput("]C1", kAt).error().message == "scan has no data");
  BOOST_TEST(parseEngineOutput("AB\x07"
                               "C",
                               kAt)
                 .error()
                 .message == "scan has control character 0x07 at position 3");
  BOOST_TEST(parseEngineOutput(std::string(kMaxEngineScanLength + 1, 'A'), kAt).error().kind ==
             ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(aim_identifiers_map_to_formats) {
  BOOST_TEST((barcodeOf("]E04006381333931").format == BarcodeFormat::Ean13));
  BOOST_TEST((barcodeOf("]E0036000291452").format == BarcodeFormat::UpcA));
  BOOST_TEST((barcodeOf("]E006543217").format == BarcodeFormat::UpcE));
  BOOST_TEST((barcodeOf("]E496385074").format == BarcodeFormat::Ean8));
  BOOST_TEST((barcodeOf("]C0A-01").format == BarcodeFormat::Code128));
  BOOST_TEST((barcodeOf("]A0TOTE-1").format == BarcodeFormat::Code39));
  BOOST_TEST((barcodeOf("]I115400141288763").format == BarcodeFormat::Itf));
  BOOST_TEST((barcodeOf("]d2010950110153000310A").format == BarcodeFormat::DataMatrix));
  BOOST_TEST((barcodeOf("]Q1LOC").format == BarcodeFormat::QrCode));
  BOOST_TEST((barcodeOf("]e00109501101530003").format == BarcodeFormat::DataBar));
  BOOST_TEST((barcodeOf("]e001095011015300033103001750").format == BarcodeFormat::DataBarExpanded));
  auto odd = toBarcode(parseEngineOutput("]X0ABC", kAt).value());
  BOOST_TEST(odd.error().message == "scan symbology ]X0 is not one a warehouse label uses");
  BOOST_TEST(toBarcode(parseEngineOutput("]E012345", kAt).value()).error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(without_an_identifier_only_a_valid_gtin_counts_as_ean_or_upc) {
  BOOST_TEST((barcodeOf("4006381333931").format == BarcodeFormat::Ean13));
  BOOST_TEST((barcodeOf("4006381333932").format == BarcodeFormat::Code128));
  BOOST_TEST((barcodeOf("96385074").format == BarcodeFormat::Ean8));
  BOOST_TEST((barcodeOf("A-01-02").format == BarcodeFormat::Code128));
}

BOOST_AUTO_TEST_CASE(a_queue_hands_scans_from_a_reader_thread_to_the_consumer_in_order) {
  ScanQueue queue("test engine", 8);
  std::thread reader([&] {
    for (int i = 0; i < 5; ++i) queue.push(EngineScan{"S" + std::to_string(i), "]C0", kAt});
  });
  for (int i = 0; i < 5; ++i) {
    auto s = queue.next(10s);
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST_REQUIRE(s->has_value());
    BOOST_TEST((*s)->text == "S" + std::to_string(i));
  }
  reader.join();
  auto none = queue.next(0ms);
  BOOST_TEST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());
}

BOOST_AUTO_TEST_CASE(a_full_queue_drops_the_oldest_and_a_closed_one_drains_then_reports_closed) {
  ScanQueue queue("test engine", 2);
  for (int i = 0; i < 3; ++i) BOOST_TEST(queue.push(EngineScan{"S" + std::to_string(i), {}, kAt}));
  queue.close();
  BOOST_TEST(!queue.push(EngineScan{"late", {}, kAt}));
  BOOST_TEST((*queue.next(0ms))->text == "S1");
  BOOST_TEST((*queue.next(0ms))->text == "S2");
  auto closed = queue.next(10s);
  BOOST_TEST_REQUIRE(!closed.ok());
  BOOST_TEST(closed.error().message == "test engine is closed");
}

BOOST_AUTO_TEST_CASE(close_wakes_a_waiting_consumer) {
  ScanQueue queue;
  std::thread closer([&] { queue.close(); });
  auto r = queue.next(std::chrono::hours(1));  // returns because of close(), not the timeout
  closer.join();
  BOOST_TEST(!r.ok());
}
