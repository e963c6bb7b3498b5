#include <boost/test/unit_test.hpp>

#include <set>

#include "support/Fixtures.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/Messages.h"

using namespace wms::protocol;

BOOST_AUTO_TEST_SUITE(messages)

BOOST_AUTO_TEST_CASE(each_message_type_travels_on_its_documented_channel) {
  BOOST_CHECK(topicKindOf(TaskAssign{}) == TopicKind::Commands);
  BOOST_CHECK(topicKindOf(TaskUpdate{}) == TopicKind::Commands);
  BOOST_CHECK(topicKindOf(TaskCancel{}) == TopicKind::Commands);
  BOOST_CHECK(topicKindOf(PackTask{}) == TopicKind::Commands);
  BOOST_CHECK(topicKindOf(LabelReady{}) == TopicKind::Commands);
  BOOST_CHECK(topicKindOf(Ack{}) == TopicKind::Commands);
  BOOST_CHECK(topicKindOf(ServerError{}) == TopicKind::Commands);
  for (const Message& event : {Message{SignIn{}}, Message{SignOut{}}, Message{Scan{}}, Message{PickConfirm{}},
                               Message{PickShort{}}, Message{BatchDone{}}, Message{PackRequest{}},
                               Message{PackConfirm{}}, Message{ShipConfirm{}}, Message{LabelRequest{}}}) {
    BOOST_CHECK(topicKindOf(event) == TopicKind::Events);
    BOOST_TEST(eventIdOf(event) != nullptr, typeName(event));
  }
  BOOST_CHECK(topicKindOf(Presence{}) == TopicKind::Status);
  BOOST_CHECK(topicKindOf(Heartbeat{}) == TopicKind::Heartbeat);
}

BOOST_AUTO_TEST_CASE(only_handheld_events_have_an_event_id) {
  Ack ack;
  ack.eventId = "x-1";  // the acknowledged event's id, not an id of the ack
  BOOST_TEST(eventIdOf(ack) == nullptr);
  BOOST_TEST(eventIdOf(Heartbeat{}) == nullptr);
  BOOST_TEST(eventIdOf(Presence{}) == nullptr);
  PickConfirm pc;
  pc.eventId = "abc-7";
  BOOST_REQUIRE(eventIdOf(pc) != nullptr);
  BOOST_TEST(*eventIdOf(pc) == "abc-7");
}

BOOST_AUTO_TEST_CASE(type_names_are_distinct_and_match_the_fixture_of_each_type) {
  std::set<std::string_view> names;
  for (const auto& [name, text] : test::readFixtures("good")) {
    auto m = decode(text);
    BOOST_REQUIRE_MESSAGE(m.ok(), name << ": " << test::why(m));
    // Fixtures are named "<type>.json" or "<type>-<variant>.json".
    BOOST_TEST(name.rfind(std::string(typeName(*m)), 0) == 0u, name);
    names.insert(typeName(*m));
  }
  BOOST_TEST(names.size() == std::variant_size_v<Message>);
}

BOOST_AUTO_TEST_CASE(topic_of_a_message_is_its_devices_topic_on_its_channel) {
  PickConfirm pc;
  pc.device = "HH-07";
  BOOST_TEST(topicOf(pc) == "wms/v1/dev/HH-07/evt");
  Ack ack;
  ack.device = "HH-07";
  BOOST_TEST(topicOf(ack) == "wms/v1/dev/HH-07/cmd");
  Presence p;
  p.device = "HH-07";
  BOOST_TEST(topicOf(p) == "wms/v1/dev/HH-07/status");
  Message m = Heartbeat{};
  baseOf(m).device = "HH-08";
  BOOST_TEST(topicOf(m) == "wms/v1/dev/HH-08/hb");
}

BOOST_AUTO_TEST_CASE(enum_wire_names_are_the_documented_ones) {
  BOOST_TEST(toString(AckResult::Duplicate) == "duplicate");
  BOOST_TEST(toString(ShortReason::NotFound) == "not_found");
  BOOST_TEST(toString(WorkMode::Pack) == "pack");
  BOOST_TEST(toString(WorkMode::Receive) == "receive");
  BOOST_TEST(toString(WorkMode::Putaway) == "putaway");
  BOOST_TEST(toString(WorkMode::Replenish) == "replenish");
  BOOST_TEST(toString(WorkMode::Count) == "count");
  BOOST_TEST(toString(LabelFormat::Png) == "png");
  BOOST_TEST(toString(PresenceState::Offline) == "offline");
}

BOOST_AUTO_TEST_SUITE_END()
