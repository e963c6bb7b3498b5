// The printing suite: the print job log over the database and label
// printing against a fake 9100 printer on a loopback port.
#define BOOST_TEST_MODULE server_packing_print_tests
#include <boost/test/unit_test.hpp>
