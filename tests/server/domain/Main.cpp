#define BOOST_TEST_MODULE server_domain
#include <boost/test/unit_test.hpp>
