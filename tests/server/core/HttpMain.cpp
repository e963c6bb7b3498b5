#define BOOST_TEST_MODULE server_http
#include <boost/test/unit_test.hpp>
