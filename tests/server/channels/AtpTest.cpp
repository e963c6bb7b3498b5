#include <boost/test/unit_test.hpp>

#include "wms/channels/Atp.h"

using namespace wms::channels;

BOOST_AUTO_TEST_SUITE(atp)

BOOST_AUTO_TEST_CASE(atp_is_available_minus_buffer_times_percent_capped_and_floored_at_zero) {
  ListingPolicy p;
  BOOST_TEST(availableToPromise(10, p) == 10);
  p.buffer = 2;
  BOOST_TEST(availableToPromise(10, p) == 8);
  BOOST_TEST(availableToPromise(2, p) == 0);
  BOOST_TEST(availableToPromise(1, p) == 0);  // never negative
  BOOST_TEST(availableToPromise(0, p) == 0);
  p.percent = 50;
  BOOST_TEST(availableToPromise(10, p) == 4);  // (10 - 2) * 50%
  BOOST_TEST(availableToPromise(5, p) == 1);   // 1.5 floors to 1
  p.cap = 3;
  BOOST_TEST(availableToPromise(100, p) == 3);
  p.cap = 0;
  BOOST_TEST(availableToPromise(100, p) == 0);
  ListingPolicy none;
  none.percent = 0;
  BOOST_TEST(availableToPromise(100, none) == 0);
}

BOOST_AUTO_TEST_CASE(atp_agrees_with_the_formula_on_a_grid) {
  for (std::int64_t available = -3; available <= 40; ++available) {
    for (std::int64_t buffer : {0, 1, 5}) {
      for (int percent : {0, 33, 50, 100}) {
        for (std::int64_t cap : {-1, 0, 7}) {
          ListingPolicy p{buffer, cap < 0 ? std::nullopt : std::optional<std::int64_t>(cap), percent};
          std::int64_t expected = std::max<std::int64_t>(0, (available - buffer) * percent / 100);
          if (available - buffer < 0) expected = 0;
          if (cap >= 0) expected = std::min(expected, cap);
          BOOST_TEST(availableToPromise(available, p) == expected);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(listing_policy_out_of_range_is_invalid_naming_the_field) {
  BOOST_TEST(validateListingPolicy({}).ok());
  BOOST_TEST(validateListingPolicy({-1, std::nullopt, 100}).error().message.find("buffer") != std::string::npos);
  BOOST_TEST(validateListingPolicy({0, -1, 100}).error().message.find("cap") != std::string::npos);
  BOOST_TEST(validateListingPolicy({0, std::nullopt, 101}).error().message.find("percent") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
