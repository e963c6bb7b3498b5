#define BOOST_TEST_MODULE server_waves
#include <boost/test/unit_test.hpp>
