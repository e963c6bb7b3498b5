#include <boost/test/unit_test.hpp>

#include "wms/channels/SyncPolicy.h"

using namespace wms::channels;

BOOST_AUTO_TEST_SUITE(sync_policy)

BOOST_AUTO_TEST_CASE(backoff_doubles_from_the_base_up_to_the_maximum) {
  RetryPolicy p{500, 30000, 0.0};
  BOOST_TEST(backoffMs(p, 1, 0.5) == 500);
  BOOST_TEST(backoffMs(p, 2, 0.5) == 1000);
  BOOST_TEST(backoffMs(p, 3, 0.5) == 2000);
  BOOST_TEST(backoffMs(p, 7, 0.5) == 30000);  // 32000 capped
  BOOST_TEST(backoffMs(p, 1000, 0.5) == 30000);
  BOOST_TEST(backoffMs(p, 0, 0.5) == 500);  // attempts below 1 count as the first
}

BOOST_AUTO_TEST_CASE(backoff_jitter_stays_within_its_band) {
  RetryPolicy p{1000, 60000, 0.2};
  BOOST_TEST(backoffMs(p, 1, 0.0) == 800);
  BOOST_TEST(backoffMs(p, 1, 0.5) == 1000);
  BOOST_TEST(backoffMs(p, 1, 0.999999) == 1199);
  BOOST_TEST(backoffMs(p, 10, 0.0) == 48000);  // the cap is jittered too: retries spread out
}

BOOST_AUTO_TEST_CASE(token_bucket_allows_a_burst_then_the_rate) {
  TokenBucket b(2.0, 3.0, 0);  // 2 per second, burst 3
  BOOST_TEST(b.tryTake(0) == 0);
  BOOST_TEST(b.tryTake(0) == 0);
  BOOST_TEST(b.tryTake(0) == 0);
  BOOST_TEST(b.tryTake(0) == 500);  // the next token in half a second
  BOOST_TEST(b.tryTake(499) == 2);
  BOOST_TEST(b.tryTake(500) == 0);
  BOOST_TEST(b.tryTake(10000) == 0);  // refilled, but only up to the burst
  BOOST_TEST(b.tokens(10000) == 2.0);
}

BOOST_AUTO_TEST_CASE(a_pause_empties_the_bucket_until_it_ends) {
  TokenBucket b(10.0, 10.0, 0);
  b.pauseUntil(2000);
  BOOST_TEST(b.tryTake(1000) == 1000);
  BOOST_TEST(b.tryTake(2000) == 100);  // empty when the pause ends, refills from there
  BOOST_TEST(b.tryTake(2100) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
