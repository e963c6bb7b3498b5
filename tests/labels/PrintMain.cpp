#define BOOST_TEST_MODULE labels_print
#include <boost/test/unit_test.hpp>
