#define BOOST_TEST_MODULE server_channels_hub
#include <boost/test/unit_test.hpp>
