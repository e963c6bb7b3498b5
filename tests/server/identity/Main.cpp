#define BOOST_TEST_MODULE server_identity
#include <boost/test/unit_test.hpp>
