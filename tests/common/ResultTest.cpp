#define BOOST_TEST_MODULE common
#include <boost/test/unit_test.hpp>

#include "wms/common/Result.h"

using wms::Error;
using wms::ErrorKind;
using wms::Result;

BOOST_AUTO_TEST_CASE(a_result_holds_either_its_value_or_its_error) {
  Result<int> good = 42;
  BOOST_TEST(good.ok());
  BOOST_TEST(*good == 42);

  Result<int> bad = Error{ErrorKind::NotFound, "no SKU 'X'"};
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.error().message == "no SKU 'X'");
  BOOST_CHECK(bad.error().kind == ErrorKind::NotFound);
}

BOOST_AUTO_TEST_CASE(reading_the_value_of_a_failed_result_is_a_misuse_that_throws) {
  Result<int> bad = Error{ErrorKind::Invalid, "quantity must be positive"};
  BOOST_CHECK_THROW(bad.value(), std::logic_error);
  Result<int> good = 1;
  BOOST_CHECK_THROW(good.error(), std::logic_error);
}

BOOST_AUTO_TEST_CASE(a_void_result_is_success_or_an_error) {
  wms::Status ok;
  BOOST_TEST(ok.ok());
  wms::Status failed = Error{ErrorKind::Conflict, "already shipped"};
  BOOST_TEST(!failed.ok());
  BOOST_TEST(std::string(wms::toString(failed.error().kind)) == "conflict");
}
