#define BOOST_TEST_MODULE server_store
#include <boost/test/unit_test.hpp>
