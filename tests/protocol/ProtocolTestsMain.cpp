// protocol_tests: the codec, topics, event ids and resend queue (no broker).
#define BOOST_TEST_MODULE protocol_tests
#include <boost/test/unit_test.hpp>
