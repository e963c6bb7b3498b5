// Tests for server/packing/src/Carrier.cpp: the built-in carrier's tracking
// numbers and the serial sequences they come from.
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "PackingWorld.h"
#include "wms/packing/Carrier.h"
#include "wms/packing/Tracking.h"

using namespace wms;
using namespace wms::packing;
using wms::packing::test::PackingWorld;

namespace {

ShipmentRequest request(int parcels) {
  ShipmentRequest r;
  r.orderId = 1;
  for (int i = 1; i <= parcels; ++i) r.parcels.push_back({i, "S", {250, 190, 100}, 500, ""});
  return r;
}

std::vector<std::string> book(PackingWorld& w, BuiltInCarrier& carrier, int parcels) {
  DatabaseSerialSource serials(w.db());
  auto b = carrier.book(request(parcels), serials);
  BOOST_REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error().message));
  std::vector<std::string> out;
  for (const auto& p : b->parcels) out.push_back(p.trackingNumber);
  BOOST_TEST(b->trackingNumber == out.front());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(carrier)

BOOST_AUTO_TEST_CASE(the_built_in_carrier_gives_every_parcel_a_valid_s10_number) {
  PackingWorld w;
  BuiltInCarrier carrier({"builtin", "WMS Post", "CP", "TH"});
  auto numbers = book(w, carrier, 3);
  BOOST_REQUIRE(numbers.size() == 3u);
  for (const auto& t : numbers) {
    BOOST_TEST(validateS10(t).ok(), t);
    BOOST_TEST(t.substr(0, 2) == "CP");
    BOOST_TEST(t.substr(11) == "TH");
  }
  BOOST_TEST(numbers[0] == *makeS10("CP", 1, "TH"));
  BOOST_TEST(numbers[2] == *makeS10("CP", 3, "TH"));
}

BOOST_AUTO_TEST_CASE(tracking_numbers_never_repeat_across_a_reopened_database) {
  PackingWorld w;
  BuiltInCarrier carrier;
  std::set<std::string> seen;
  std::string last;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) {
      for (const auto& t : book(w, carrier, 2)) {
        BOOST_TEST(seen.insert(t).second, "repeated " << t);
        BOOST_TEST(t.substr(2, 8) > (last.empty() ? std::string("") : last.substr(2, 8)));  // monotonic
        last = t;
      }
    }
    w.reopen();  // a restart: the sequence continues from the file
  }
  BOOST_TEST(seen.size() == 30u);
}

BOOST_AUTO_TEST_CASE(concurrent_bookings_get_distinct_numbers) {
  PackingWorld w;
  BuiltInCarrier carrier;
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      DatabaseSerialSource serials(w.db());
      for (int i = 0; i < 10; ++i) {
        auto b = carrier.book(request(1), serials);
        if (b) results[static_cast<std::size_t>(t)].push_back(b->trackingNumber);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& r : results) all.insert(r.begin(), r.end());
  BOOST_TEST(all.size() == 40u);
}

BOOST_AUTO_TEST_CASE(a_used_up_sequence_is_a_conflict_not_a_repeat) {
  PackingWorld w;
  DatabaseSerialSource serials(w.db());
  BOOST_TEST(*serials.next("tiny", 2) == 1);
  BOOST_TEST(*serials.next("tiny", 2) == 2);
  auto third = serials.next("tiny", 2);
  BOOST_REQUIRE(!third.ok());
  BOOST_TEST((third.error().kind == ErrorKind::Conflict));
  BOOST_TEST(third.error().message == "sequence tiny is used up (2 values)");
  BOOST_TEST(*serials.next("other", 5) == 1);  // sequences are independent
}

BOOST_AUTO_TEST_CASE(a_shipment_without_parcels_is_refused) {
  PackingWorld w;
  BuiltInCarrier carrier;
  DatabaseSerialSource serials(w.db());
  BOOST_TEST((carrier.book(request(0), serials).error().kind == ErrorKind::Invalid));
  BOOST_CHECK_THROW(BuiltInCarrier({"builtin", "WMS Post", "C1", "TH"}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
