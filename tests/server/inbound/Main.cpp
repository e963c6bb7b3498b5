// The inbound suite's one module (server/inbound).
#define BOOST_TEST_MODULE server_inbound
#include <boost/test/unit_test.hpp>
