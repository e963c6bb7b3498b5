#include <boost/test/unit_test.hpp>

#include "wms/protocol/ResendQueue.h"

using namespace wms::protocol;
using namespace std::chrono_literals;
using Clock = ResendQueue::Clock;

namespace {

std::vector<std::string> ids(const std::vector<ResendQueue::Pending>& v) {
  std::vector<std::string> out;
  for (const auto& p : v) out.push_back(p.eventId);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resend_queue)

BOOST_AUTO_TEST_CASE(an_event_is_not_due_before_its_first_retry_and_is_due_after) {
  ResendQueue q(1s, 8s);
  Clock::time_point t0{};
  BOOST_TEST(q.sent("e1", "topic", "payload", t0));
  BOOST_TEST(q.due(t0 + 999ms).empty());
  auto due = q.due(t0 + 1s);
  BOOST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].eventId == "e1");
  BOOST_TEST(due[0].topic == "topic");
  BOOST_TEST(due[0].payload == "payload");
  BOOST_TEST(due[0].attempts == 2);
}

BOOST_AUTO_TEST_CASE(waits_double_after_each_resend_up_to_the_maximum) {
  ResendQueue q(1s, 5s);
  Clock::time_point t{};
  q.sent("e1", "t", "p", t);
  std::vector<std::chrono::milliseconds> waits;
  for (int i = 0; i < 5; ++i) {
    // Step in 100 ms until it is due; the step count is the wait.
    auto start = t;
    std::vector<ResendQueue::Pending> due;
    while ((due = q.due(t)).empty()) t += 100ms;
    waits.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(t - start));
  }
  std::vector<std::chrono::milliseconds> expected = {1000ms, 2000ms, 4000ms, 5000ms, 5000ms};
  BOOST_TEST(waits == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(due_events_come_back_oldest_first) {
  ResendQueue q(1s, 1s);
  Clock::time_point t{};
  q.sent("c", "t", "3", t);
  q.sent("a", "t", "1", t + 1ms);
  q.sent("b", "t", "2", t + 2ms);
  BOOST_TEST(ids(q.due(t + 10s)) == (std::vector<std::string>{"c", "a", "b"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_acknowledged_event_is_never_resent_and_a_second_ack_is_ignored) {
  ResendQueue q(1s, 1s);
  Clock::time_point t{};
  q.sent("e1", "t", "p", t);
  q.sent("e2", "t", "p", t);
  BOOST_TEST(q.acknowledge("e1"));
  BOOST_TEST(!q.acknowledge("e1"));
  BOOST_TEST(!q.acknowledge("never-sent"));
  BOOST_TEST(ids(q.due(t + 1h)) == std::vector<std::string>{"e2"}, boost::test_tools::per_element());
  BOOST_TEST(q.size() == 1u);
  BOOST_TEST(q.acknowledge("e2"));
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(recording_the_same_event_id_twice_keeps_the_first) {
  ResendQueue q(1s, 1s);
  Clock::time_point t{};
  BOOST_TEST(q.sent("e1", "t", "first", t));
  BOOST_TEST(!q.sent("e1", "t", "second", t));
  auto due = q.due(t + 1s);
  BOOST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].payload == "first");
}

BOOST_AUTO_TEST_CASE(resend_all_makes_everything_due_at_once_after_a_reconnect) {
  ResendQueue q(10s, 60s);
  Clock::time_point t{};
  q.sent("e1", "t", "p", t);
  q.sent("e2", "t", "p", t + 1s);
  BOOST_TEST(q.due(t + 2s).empty());
  auto all = q.resendAll(t + 2s);
  BOOST_TEST(ids(all) == (std::vector<std::string>{"e1", "e2"}), boost::test_tools::per_element());
  // ...and they are rescheduled from then.
  BOOST_TEST(q.due(t + 3s).empty());
  BOOST_TEST(q.size() == 2u);
}

BOOST_AUTO_TEST_CASE(nonsensical_retry_settings_are_a_misuse) {
  BOOST_CHECK_THROW(ResendQueue(0ms, 1s), std::invalid_argument);
  BOOST_CHECK_THROW(ResendQueue(2s, 1s), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
