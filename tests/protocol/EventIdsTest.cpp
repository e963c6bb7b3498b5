#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "wms/protocol/EventIds.h"

using namespace wms::protocol;

BOOST_AUTO_TEST_SUITE(event_ids)

BOOST_AUTO_TEST_CASE(event_ids_are_1_to_64_characters_of_the_documented_set) {
  BOOST_TEST(isValidEventId("a"));
  BOOST_TEST(isValidEventId("9f86d081884c7d65-42"));
  BOOST_TEST(isValidEventId("HH-07:2025.11.26_1"));
  BOOST_TEST(isValidEventId(std::string(64, 'e')));
  BOOST_TEST(!isValidEventId(std::string(65, 'e')));
  BOOST_TEST(!isValidEventId(""));
  for (const char* bad : {"a b", "a/b", "a+b", "a#b", "ä", "a\"b"}) BOOST_TEST(!isValidEventId(bad), bad);
}

BOOST_AUTO_TEST_CASE(a_generator_with_a_given_session_counts_up_from_the_first_seq) {
  EventIdGenerator gen("HH-07.boot3", 41);
  BOOST_TEST(gen.next() == "HH-07.boot3-41");
  BOOST_TEST(gen.next() == "HH-07.boot3-42");
  BOOST_TEST(gen.session() == "HH-07.boot3");
}

BOOST_AUTO_TEST_CASE(the_longest_session_still_yields_valid_ids_at_the_largest_seq) {
  EventIdGenerator gen(std::string(43, 's'), UINT64_MAX);
  std::string id = gen.next();
  BOOST_TEST(id.size() == 64u);
  BOOST_TEST(isValidEventId(id));
  BOOST_CHECK_THROW(EventIdGenerator(std::string(44, 's')), std::invalid_argument);
  BOOST_CHECK_THROW(EventIdGenerator(""), std::invalid_argument);
  BOOST_CHECK_THROW(EventIdGenerator("a b"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(random_sessions_differ_between_generators_and_ids_are_valid) {
  EventIdGenerator a, b;
  BOOST_TEST(a.session() != b.session());
  BOOST_TEST(a.session().size() == 16u);
  BOOST_TEST(isValidEventId(a.next()));
}

BOOST_AUTO_TEST_CASE(ids_stay_unique_when_many_threads_draw_from_one_generator) {
  EventIdGenerator gen("s");
  std::mutex m;
  std::set<std::string> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(gen.next());
      std::lock_guard lock(m);
      all.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(all.size() == 20000u);
}

BOOST_AUTO_TEST_SUITE_END()
