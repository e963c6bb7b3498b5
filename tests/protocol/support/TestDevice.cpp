// A stand-in handheld for the last-will test: connects with the protocol's
// last will (retained "offline" status), publishes its retained "online"
// status, prints "ready" and waits to be killed.
//
// usage: protocol_test_device URI DEVICE PASSWORD
#include <chrono>
#include <iostream>
#include <thread>

#include "wms/protocol/Codec.h"
#include "wms/protocol/MqttClient.h"

using namespace wms::protocol;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: protocol_test_device URI DEVICE PASSWORD\n";
    return 2;
  }
  std::string uri = argv[1], device = argv[2], password = argv[3];
  Presence offline;
  offline.device = device;
  offline.state = PresenceState::Offline;
  offline.app = "protocol_test_device";
  Presence online = offline;
  online.state = PresenceState::Online;

  MqttClient client(MqttOptions()
                        .server(uri)
                        .clientId(device)
                        .credentials(device, password)
                        .keepAlive(std::chrono::seconds(2))
                        .lastWill(topicFor(device, TopicKind::Status), encode(offline), 1, true));
  if (auto st = client.connect(); !st) {
    std::cerr << "connect: " << st.error().message << "\n";
    return 1;
  }
  if (auto st = client.publish(topicFor(device, TopicKind::Status), encode(online), 1, true); !st) {
    std::cerr << "publish: " << st.error().message << "\n";
    return 1;
  }
  if (auto st = client.flush(std::chrono::seconds(10)); !st) {
    std::cerr << "flush: " << st.error().message << "\n";
    return 1;
  }
  std::cout << "ready" << std::endl;
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(60));
}
