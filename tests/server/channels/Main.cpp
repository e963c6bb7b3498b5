#define BOOST_TEST_MODULE server_channels
#include <boost/test/unit_test.hpp>
