// The packing-station page in headless Chromium against the packing routes.
#define BOOST_TEST_MODULE server_packing_page_tests
#include <boost/test/unit_test.hpp>
