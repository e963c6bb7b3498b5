// Tests src/Daemon.cpp and src/WedgePublisher.cpp through the wms-fwbridge
// executable: a packing station's wedge reads (recorded input events on a
// FIFO) are published to a real mosquitto as station.scan events; SIGTERM
// stops the daemon cleanly; bad arguments and configs exit 2 with a reason.
#define BOOST_TEST_MODULE fwbridge_daemon
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/SerialPort.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/MqttClient.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace std::chrono_literals;
using testsupport::ChildProcess;
using testsupport::MosquittoBroker;
using testsupport::TempDir;

BOOST_AUTO_TEST_CASE(wedge_reads_are_published_as_station_scan_events_and_sigterm_stops_cleanly) {
  MosquittoBroker::Options bo;
  bo.deviceIds = {"PACK-01-SCANNER"};
  MosquittoBroker broker(bo);
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<protocol::MqttMessage> got;
  protocol::MqttOptions so;
  so.server(broker.serverUri())
      .clientId("fwbridge-test")
      .credentials(broker.server().username, broker.server().password);
  protocol::MqttClient server(so);
  server.onMessage([&](const protocol::MqttMessage& m) {
    std::lock_guard lock(mutex);
    got.push_back(m);
    arrived.notify_all();
  });
  BOOST_TEST_REQUIRE(server.connect(10s).ok());
  BOOST_TEST_REQUIRE(server.subscribe("wms/v1/dev/+/evt", 1).ok());

  TempDir dir("fwbridge-daemon");
  const std::string fifo = (dir / "event0").string();
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  testsupport::writeFile(dir / "password", broker.device(0).password + "\n");
  testsupport::writeFile(
      dir / "fwbridge.conf",
      "socket = " + (dir / "bridge.sock").string() + "\nwedge = " + fifo + "\nbroker = " + broker.uri() +
          "\ndevice = PACK-01-SCANNER\nstation = PACK-01\npassword_file = " + (dir / "password").string() +
          "\n");
  ChildProcess bridge({WMS_FWBRIDGE_BINARY, "--config", (dir / "fwbridge.conf").string()},
                      ChildProcess::Options{{}, dir / "bridge.log", {}});

  std::ifstream in(std::string(WMS_FWBRIDGE_FIXTURES) + "/evdev/us-two-reads.bin", std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fwbridge::UniqueFd w(::open(fifo.c_str(), O_WRONLY | O_CLOEXEC));  // waits for the bridge to open it
  BOOST_TEST_REQUIRE(w.valid());
  BOOST_TEST_REQUIRE(::write(w.get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  {
    std::unique_lock lock(mutex);
    BOOST_TEST_REQUIRE(arrived.wait_for(lock, 15s, [&] { return got.size() >= 2; }),
                       testsupport::readFile(dir / "bridge.log"));
    BOOST_TEST(got[0].topic == "wms/v1/dev/PACK-01-SCANNER/evt");
    BOOST_TEST(got[0].payload.find("\"type\":\"station.scan\",\"v\":1,\"device\":\"PACK-01-SCANNER\"") == 1u,
               got[0].payload);
    BOOST_TEST(got[0].payload.find("\"station\":\"PACK-01\",\"barcode\":\"]C10109501101530003\\u001d10LOT42\"") !=
                   std::string::npos,
               got[0].payload);
    // What the bridge publishes is what wmsd's codec takes.
    for (const auto& m : got) {
      auto decoded = protocol::decodeFromTopic(m.topic, m.payload);
      BOOST_TEST_REQUIRE(decoded.ok(), m.payload << ": " << (decoded ? "" : decoded.error().message));
      const auto* scan = std::get_if<protocol::StationScan>(&*decoded);
      BOOST_TEST_REQUIRE(scan != nullptr);
      BOOST_TEST(scan->station == "PACK-01");
    }
    BOOST_TEST(std::get<protocol::StationScan>(*protocol::decode(got[0].payload)).barcode ==
               "]C10109501101530003\x1d" "10LOT42");
    BOOST_TEST(got[1].payload.find("\"barcode\":\"TOTE-17\"") != std::string::npos, got[1].payload);
    // Event ids differ and never repeat within a run.
    BOOST_TEST(got[0].payload.find("\"event_id\":\"wedge-") != std::string::npos);
    BOOST_TEST(got[0].payload.substr(got[0].payload.find("event_id")) !=
               got[1].payload.substr(got[1].payload.find("event_id")));
  }
  BOOST_TEST(ChildProcess::exitCode(bridge.stop()) == 0);
  BOOST_TEST(testsupport::readFile(dir / "bridge.log").find("wms-fwbridge: stopping") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_arguments_and_configs_exit_2_naming_the_problem) {
  TempDir dir("fwbridge-daemon");
  {
    ChildProcess p({WMS_FWBRIDGE_BINARY, "--frobnicate", "1"}, ChildProcess::Options{{}, dir / "a.log", {}});
    auto status = p.wait(10s);
    BOOST_TEST_REQUIRE(status.has_value());
    BOOST_TEST(ChildProcess::exitCode(*status) == 2);
    BOOST_TEST(testsupport::readFile(dir / "a.log").find("unknown option --frobnicate") != std::string::npos);
  }
  {
    testsupport::writeFile(dir / "bad.conf", "mcu = /dev/x\nmcu_baud = 12345\n");
    ChildProcess p(
        {WMS_FWBRIDGE_BINARY, "--config", (dir / "bad.conf").string(), "--socket", (dir / "s.sock").string()},
        ChildProcess::Options{{}, dir / "b.log", {}});
    auto status = p.wait(10s);
    BOOST_TEST_REQUIRE(status.has_value());
    BOOST_TEST(ChildProcess::exitCode(*status) == 2);
    BOOST_TEST(testsupport::readFile(dir / "b.log").find("mcu_baud: baud rate 12345 is not supported") !=
                   std::string::npos,
               testsupport::readFile(dir / "b.log"));
  }
  {
    testsupport::writeFile(dir / "broker.conf", "wedge = /dev/null\nbroker = tcp://127.0.0.1:1\n");
    ChildProcess p({WMS_FWBRIDGE_BINARY, "--config", (dir / "broker.conf").string()},
                   ChildProcess::Options{{}, dir / "c.log", {}});
    auto status = p.wait(10s);
    BOOST_TEST_REQUIRE(status.has_value());
    BOOST_TEST(ChildProcess::exitCode(*status) == 2);
    BOOST_TEST(testsupport::readFile(dir / "c.log").find("device must be 1-64 characters") !=
               std::string::npos);
  }
}
