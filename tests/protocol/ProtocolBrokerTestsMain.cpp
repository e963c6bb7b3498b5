// protocol_broker_tests: MqttClient, the broker set-up (tools/broker) and
// whole conversations, against a real mosquitto on a free loopback port.
#define BOOST_TEST_MODULE protocol_broker_tests
#include <boost/test/unit_test.hpp>
