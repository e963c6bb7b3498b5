#include <boost/test/unit_test.hpp>

#include <atomic>
#include <barrier>
#include <thread>

#include "ServiceFixture.h"

using namespace wms;
using wms::testsupport::ServiceFixture;

BOOST_AUTO_TEST_SUITE(reservation_race)

BOOST_AUTO_TEST_CASE(threads_racing_for_the_last_units_allocate_exactly_what_is_available) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 25);
  constexpr int kThreads = 16;
  constexpr int kOrdersPerThread = 10;  // 160 one-unit orders for 25 units
  std::atomic<int> won{0}, refused{0}, other{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kOrdersPerThread; ++i) {
        auto r = f.orders->create(ServiceFixture::order("race-" + std::to_string(t) + "-" + std::to_string(i),
                                                        {{"APPLE", 1, ""}}));
        if (r.ok()) ++won;
        else if (r.error().kind == ErrorKind::InsufficientStock) ++refused;
        else ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(won == 25);
  BOOST_TEST(refused == kThreads * kOrdersPerThread - 25);
  BOOST_TEST(other == 0);
  auto t = f.totals("APPLE");
  BOOST_TEST(t.allocated == 25);
  BOOST_TEST(t.available() == 0);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_CASE(multi_line_orders_racing_never_over_allocate_any_sku) {
  ServiceFixture f;
  f.receive("APPLE", "A-01-01-1", 10);
  f.receive("BREAD", "A-01-02-1", 7);
  constexpr int kThreads = 8;
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> won{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 10; ++i) {
        auto r = f.orders->create(ServiceFixture::order("m-" + std::to_string(t) + "-" + std::to_string(i),
                                                        {{"APPLE", 2, ""}, {"BREAD", 1, ""}}));
        if (r.ok()) ++won;
      }
    });
  }
  for (auto& th : threads) th.join();
  // APPLE allows 5 orders, BREAD 7: exactly 5 win, and BREAD keeps 2.
  BOOST_TEST(won == 5);
  BOOST_TEST(f.totals("APPLE").available() == 0);
  BOOST_TEST(f.totals("BREAD").available() == 2);
  f.requireAuditClean();
}

BOOST_AUTO_TEST_SUITE_END()
