#define BOOST_TEST_MODULE server_channels_platform_semantics
#include <boost/test/unit_test.hpp>
