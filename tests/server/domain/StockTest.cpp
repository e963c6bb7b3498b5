#include <boost/test/unit_test.hpp>

#include "wms/domain/Stock.h"

using namespace wms::domain;

BOOST_AUTO_TEST_SUITE(stock)

BOOST_AUTO_TEST_CASE(dates_must_exist_on_the_calendar) {
  BOOST_TEST(checkDate("2028-02-29", "expiry").ok());
  BOOST_TEST(!checkDate("2027-02-29", "expiry").ok());
  BOOST_TEST(!checkDate("2027-13-01", "expiry").ok());
  BOOST_TEST(!checkDate("27-01-01", "expiry").ok());
  BOOST_TEST(!checkDate("2027-01-00", "expiry").ok());
}

BOOST_AUTO_TEST_CASE(an_adjustment_needs_a_non_zero_delta_whose_sign_fits_its_reason) {
  Adjustment a{"A1", "A-01-01-1", "", "", 0, AdjustReason::Correction, "", ""};
  BOOST_TEST(!validateAdjustment(a).ok());
  a.delta = -2;
  a.reason = AdjustReason::Receipt;
  BOOST_TEST(!validateAdjustment(a).ok());
  a.reason = AdjustReason::Damage;
  BOOST_TEST(validateAdjustment(a).ok());
  a.delta = 2;
  BOOST_TEST(!validateAdjustment(a).ok());
}

BOOST_AUTO_TEST_CASE(consistent_figures_break_no_invariant) {
  SkuFigures f{"A1", 10, 4, 10, 10, 4, 4};
  BOOST_TEST(checkInvariants({f}).empty());
}

BOOST_AUTO_TEST_CASE(each_broken_invariant_is_reported_with_its_figures) {
  SkuFigures over{"A1", 3, 5, 3, 3, 5, 5};
  auto v = checkInvariants({over});
  BOOST_REQUIRE(v.size() == 1u);
  BOOST_TEST(v[0].message == "allocated 5 exceeds on_hand 3");

  SkuFigures drift{"B2", 10, 0, 9, 11, 0, 0};
  BOOST_TEST(checkInvariants({drift}).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
