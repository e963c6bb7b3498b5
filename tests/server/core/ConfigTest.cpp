// wmsd's settings (server/core/src/Config.cpp): the HTTP limits for slow and
// idle clients are read with their ranges, and a bad value is refused naming
// the setting and what it must be.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "wms/server/Config.h"

using wms::server::configFromProperties;

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(the_http_limits_for_slow_and_idle_clients_have_defaults_and_can_be_set) {
  auto defaults = configFromProperties({});
  BOOST_REQUIRE(defaults.ok());
  BOOST_TEST(defaults->httpHeaderTimeoutS == 10);
  BOOST_TEST(defaults->httpBodyTimeoutS == 30);
  BOOST_TEST(defaults->httpKeepAliveTimeoutS == 5);
  BOOST_TEST(defaults->httpKeepAliveMaxRequests == 100);
  BOOST_TEST(defaults->httpMaxConnectionsPerAddress == 8);
  BOOST_TEST(defaults->httpUncappedAddresses == (std::vector<std::string>{"127.0.0.1", "::1"}),
             boost::test_tools::per_element());
  auto set = configFromProperties({{"http.header_timeout_s", "3"},
                                   {"http.body_timeout_s", "60"},
                                   {"http.keep_alive_timeout_s", "0"},
                                   {"http.keep_alive_max_requests", "1000"},
                                   {"http.max_connections_per_address", "0"},
                                   {"http.uncapped_addresses", " 10.0.0.5 , ::1"}});
  BOOST_REQUIRE(set.ok());
  BOOST_TEST(set->httpHeaderTimeoutS == 3);
  BOOST_TEST(set->httpBodyTimeoutS == 60);
  BOOST_TEST(set->httpKeepAliveTimeoutS == 0);
  BOOST_TEST(set->httpKeepAliveMaxRequests == 1000);
  BOOST_TEST(set->httpMaxConnectionsPerAddress == 0);
  BOOST_TEST(set->httpUncappedAddresses == (std::vector<std::string>{"10.0.0.5", "::1"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_bad_http_limit_is_refused_naming_the_setting_and_its_range) {
  struct Case {
    const char* key;
    const char* value;
    const char* message;
  } cases[] = {
      {"http.header_timeout_s", "0", "http.header_timeout_s: must be a whole number from 1 to 300, got '0'"},
      {"http.body_timeout_s", "ten", "http.body_timeout_s: must be a whole number from 1 to 3600, got 'ten'"},
      {"http.keep_alive_timeout_s", "-1", "http.keep_alive_timeout_s: must be a whole number from 0 to 300"},
      {"http.keep_alive_max_requests", "0", "http.keep_alive_max_requests: must be a whole number from 1 to 100000"},
      {"http.max_connections_per_address", "1.5",
       "http.max_connections_per_address: must be a whole number from 0 to 100000"},
      {"http.uncapped_addresses", "10.0.0.5, proxy.local", "http.uncapped_addresses: 'proxy.local' is not an IP address"},
  };
  for (const auto& c : cases) {
    auto r = configFromProperties({{c.key, c.value}});
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message.find(c.message) != std::string::npos, r.error().message);
  }
}

BOOST_AUTO_TEST_CASE(live_streams_are_capped_below_the_worker_threads) {
  auto defaults = configFromProperties({});
  BOOST_REQUIRE(defaults.ok());
  BOOST_TEST(defaults->httpMaxStreams == 4);
  auto set = configFromProperties({{"http.max_streams", "0"}});
  BOOST_REQUIRE(set.ok());
  BOOST_TEST(set->httpMaxStreams == 0);
  // The default gives way to a small pool of threads...
  auto small = configFromProperties({{"http.threads", "3"}});
  BOOST_REQUIRE(small.ok());
  BOOST_TEST(small->httpMaxStreams == 2);
  // ...a value set must fit in it.
  auto tooMany = configFromProperties({{"http.threads", "4"}, {"http.max_streams", "4"}});
  BOOST_REQUIRE(!tooMany.ok());
  BOOST_TEST(tooMany.error().message.find("http.max_streams") != std::string::npos, tooMany.error().message);
  BOOST_TEST(tooMany.error().message.find("http.threads") != std::string::npos, tooMany.error().message);
  BOOST_TEST(!configFromProperties({{"http.max_streams", "-1"}}).ok());
}

BOOST_AUTO_TEST_SUITE_END()
