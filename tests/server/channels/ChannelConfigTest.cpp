#include <boost/test/unit_test.hpp>

#include "wms/channels/ChannelConfig.h"

using namespace wms;
using namespace wms::channels;

BOOST_AUTO_TEST_SUITE(channel_config)

BOOST_AUTO_TEST_CASE(no_channels_keys_gives_every_marketplace_disabled) {
  auto c = channelsConfigFrom({{"http.port", "0"}});
  BOOST_REQUIRE(c.ok());
  for (auto ch : kMarketplaces) BOOST_TEST(!c->settings(ch).enabled);
  BOOST_TEST(!c->settings(domain::Channel::Pos).enabled);
}

BOOST_AUTO_TEST_CASE(an_enabled_channel_reads_its_settings) {
  auto c = channelsConfigFrom({{"channels.shopify.enabled", "true"},
                               {"channels.shopify.api_base", "http://127.0.0.1:9000/shopify/"},
                               {"channels.shopify.secret", "s"},
                               {"channels.shopify.push_rate", "2.5"},
                               {"channels.retry_max_ms", "5000"},
                               {"channels.on_shortage", "backorder"}});
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  const auto& s = c->settings(domain::Channel::Shopify);
  BOOST_TEST(s.enabled);
  BOOST_TEST(s.apiBase == "http://127.0.0.1:9000/shopify");  // trailing slash dropped
  BOOST_TEST(s.pushRate == 2.5);
  BOOST_TEST(c->retry.maxMs == 5000);
  BOOST_TEST((c->onShortage == domain::ShortagePolicy::Backorder));
}

BOOST_AUTO_TEST_CASE(typos_and_bad_values_are_refused_naming_the_key) {
  auto msg = [](std::map<std::string, std::string> m) {
    auto c = channelsConfigFrom(m);
    return c.ok() ? std::string() : c.error().message;
  };
  BOOST_TEST(msg({{"channels.shopfy.enabled", "true"}}).find("channels.shopfy.enabled: unknown setting") != std::string::npos);
  BOOST_TEST(msg({{"channels.shopify.secert", "x"}}).find("unknown setting") != std::string::npos);
  BOOST_TEST(msg({{"channels.pos.enabled", "true"}}).find("unknown setting") != std::string::npos);
  BOOST_TEST(msg({{"channels.lazada.enabled", "yes"}}).find("must be true or false") != std::string::npos);
  BOOST_TEST(msg({{"channels.lazada.push_rate", "fast"}}).find("channels.lazada.push_rate") != std::string::npos);
  BOOST_TEST(msg({{"channels.tiktok.api_base", "ftp://x"}}).find("http://") != std::string::npos);
  BOOST_TEST(msg({{"channels.shopee.enabled", "true"}, {"channels.shopee.api_base", "http://x"}, {"channels.shopee.secret", "k"}})
                 .find("channels.shopee.callback_url") != std::string::npos);
  BOOST_TEST(msg({{"channels.amazon.enabled", "true"}, {"channels.amazon.api_base", "http://x"}})
                 .find("channels.amazon.marketplace_id") != std::string::npos);
  BOOST_TEST(msg({{"channels.retry_base_ms", "1000"}, {"channels.retry_max_ms", "10"}}).find("retry_max_ms") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
