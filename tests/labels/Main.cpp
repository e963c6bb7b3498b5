#define BOOST_TEST_MODULE labels
#include <boost/test/unit_test.hpp>
