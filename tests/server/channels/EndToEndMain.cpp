#define BOOST_TEST_MODULE server_channels_end_to_end
#include <boost/test/unit_test.hpp>
