#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include "wms/protocol/Topics.h"

using namespace wms::protocol;

BOOST_AUTO_TEST_SUITE(topics)

BOOST_AUTO_TEST_CASE(topic_for_builds_the_documented_tree) {
  BOOST_TEST(topicFor("HH-07", TopicKind::Events) == "wms/v1/dev/HH-07/evt");
  BOOST_TEST(topicFor("HH-07", TopicKind::Heartbeat) == "wms/v1/dev/HH-07/hb");
  BOOST_TEST(topicFor("HH-07", TopicKind::Status) == "wms/v1/dev/HH-07/status");
  BOOST_TEST(topicFor("HH-07", TopicKind::Commands) == "wms/v1/dev/HH-07/cmd");
  BOOST_TEST(filterForAllDevices(TopicKind::Events) == "wms/v1/dev/+/evt");
  BOOST_TEST(filterForAllDevices(TopicKind::Status) == "wms/v1/dev/+/status");
}

BOOST_AUTO_TEST_CASE(only_heartbeats_are_qos0_and_only_status_is_retained) {
  BOOST_TEST(qosOf(TopicKind::Events) == 1);
  BOOST_TEST(qosOf(TopicKind::Commands) == 1);
  BOOST_TEST(qosOf(TopicKind::Status) == 1);
  BOOST_TEST(qosOf(TopicKind::Heartbeat) == 0);
  BOOST_TEST(retainedOn(TopicKind::Status));
  BOOST_TEST(!retainedOn(TopicKind::Events));
  BOOST_TEST(!retainedOn(TopicKind::Commands));
  BOOST_TEST(!retainedOn(TopicKind::Heartbeat));
}

BOOST_AUTO_TEST_CASE(device_ids_are_1_to_64_characters_of_letters_digits_dash_underscore) {
  BOOST_TEST(isValidDeviceId("a"));
  BOOST_TEST(isValidDeviceId("HH_07-x9Z"));
  BOOST_TEST(isValidDeviceId(std::string(64, 'd')));
  BOOST_TEST(!isValidDeviceId(std::string(65, 'd')));
  BOOST_TEST(!isValidDeviceId(""));
  for (const char* bad : {"a/b", "a+b", "a#", "a b", "a.b", "a:b", "é"}) BOOST_TEST(!isValidDeviceId(bad), bad);
}

BOOST_AUTO_TEST_CASE(topic_for_an_invalid_device_id_is_a_misuse_and_throws) {
  BOOST_CHECK_THROW(topicFor("", TopicKind::Events), std::invalid_argument);
  BOOST_CHECK_THROW(topicFor("+", TopicKind::Events), std::invalid_argument);
  BOOST_CHECK_THROW(topicFor("a/b", TopicKind::Commands), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(parse_topic_reads_back_every_channel_of_a_device) {
  for (TopicKind c : {TopicKind::Events, TopicKind::Heartbeat, TopicKind::Status, TopicKind::Commands}) {
    auto parsed = parseTopic(topicFor("dev_1", c));
    BOOST_REQUIRE(parsed.ok());
    BOOST_TEST(parsed->device == "dev_1");
    BOOST_CHECK(parsed->channel == c);
  }
}

BOOST_AUTO_TEST_CASE(parse_topic_rejects_anything_outside_the_tree_and_names_the_problem) {
  struct Case {
    const char* topic;
    const char* message;
  } cases[] = {
      {"", "topic '': does not start with 'wms/v1/dev/'"},
      {"wms/v2/dev/a/evt", "topic 'wms/v2/dev/a/evt': does not start with 'wms/v1/dev/'"},
      {"wms/v1/dev/a", "topic 'wms/v1/dev/a': has no channel after the device id"},
      {"wms/v1/dev//evt", "topic 'wms/v1/dev//evt': device id must be 1-64 characters of [A-Za-z0-9_-]"},
      {"wms/v1/dev/a+b/evt", "topic 'wms/v1/dev/a+b/evt': device id must be 1-64 characters of [A-Za-z0-9_-]"},
      {"wms/v1/dev/+/evt", "topic 'wms/v1/dev/+/evt': device id must be 1-64 characters of [A-Za-z0-9_-]"},
      {"wms/v1/dev/a/events", "topic 'wms/v1/dev/a/events': unknown channel 'events' (expected evt, hb, status or cmd)"},
      {"wms/v1/dev/a/evt/x", "topic 'wms/v1/dev/a/evt/x': unknown channel 'evt/x' (expected evt, hb, status or cmd)"},
      {"wms/v1/dev/a/evt\n", "topic 'wms/v1/dev/a/evt?': unknown channel 'evt?' (expected evt, hb, status or cmd)"},
  };
  for (const auto& c : cases) {
    auto parsed = parseTopic(c.topic);
    BOOST_REQUIRE(!parsed.ok());
    BOOST_CHECK(parsed.error().kind == wms::ErrorKind::Invalid);
    BOOST_TEST(parsed.error().message == c.message);
  }
}

BOOST_AUTO_TEST_CASE(parse_topic_rejects_a_device_id_over_64_characters_and_overlong_topics) {
  BOOST_TEST(parseTopic("wms/v1/dev/" + std::string(64, 'x') + "/status").ok());
  BOOST_TEST(!parseTopic("wms/v1/dev/" + std::string(65, 'x') + "/evt").ok());
  auto huge = parseTopic("wms/v1/dev/" + std::string(100000, 'x') + "/evt");
  BOOST_REQUIRE(!huge.ok());
  BOOST_TEST(huge.error().message.size() < 300u);
}

BOOST_AUTO_TEST_SUITE_END()
