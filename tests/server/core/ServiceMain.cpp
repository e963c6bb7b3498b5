#define BOOST_TEST_MODULE server_services
#include <boost/test/unit_test.hpp>
