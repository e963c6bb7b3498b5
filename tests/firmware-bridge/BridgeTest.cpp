// Tests src/Bridge.cpp (and src/SerialPort.cpp) over real pseudo-terminals
// with the firmware simulator (tools/fwsim): a client on the bridge's Unix
// socket sees each scan exactly once, through line noise, garbage, a device
// pulled mid-frame and plugged back, a rebooting firmware, an SSI engine that
// NAKs or stays silent, and a wedge scanner's recorded input events.
#define BOOST_TEST_MODULE fwbridge_bridge
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/Bridge.h"
#include "wms/fwbridge/SerialPort.h"
#include "wms/fwsim/Simulators.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::fwbridge;
using namespace std::chrono_literals;

namespace {

// A client of the bridge's socket, as wms-handheld is.
class Client {
 public:
  explicit Client(const std::string& path) {
    for (int i = 0; i < 200 && !fd_.valid(); ++i) {
      UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
      if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
        fd_ = std::move(fd);
      else
        std::this_thread::sleep_for(10ms);
    }
    BOOST_TEST_REQUIRE(fd_.valid(), "cannot connect to " << path);
  }
  // The next event, or nullopt after `timeout`.
  std::optional<BridgeEvent> next(std::chrono::milliseconds timeout = 5000ms) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto nl = in_.find('\n');
      if (nl != std::string::npos) {
        const std::string line = in_.substr(0, nl);
        in_.erase(0, nl + 1);
        auto e = parseEvent(line);
        BOOST_TEST_REQUIRE(e.ok(), "bad event line " << line << ": " << (e.ok() ? "" : e.error().message));
        return *e;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
      if (n <= 0) return std::nullopt;
      in_.append(buf, static_cast<std::size_t>(n));
    }
  }
  // The next event of `kind`, skipping others.
  std::optional<BridgeEvent> nextOf(BridgeEvent::Kind kind, std::chrono::milliseconds timeout = 5000ms) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      auto e =
          next(std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()));
      if (!e) return std::nullopt;
      if (e->kind == kind) return e;
    }
    return std::nullopt;
  }
  void send(const std::string& line) {
    BOOST_TEST_REQUIRE(::send(fd_.get(), line.data(), line.size(), MSG_NOSIGNAL) ==
                       static_cast<ssize_t>(line.size()));
  }

 private:
  UniqueFd fd_;
  std::string in_;
};

// A bridge running on its own thread, with a client connected before its
// loop starts (so the client sees every event after its hello).
class RunningBridge {
 public:
  explicit RunningBridge(BridgeOptions options) {
    options.reopenMin = 20ms;
    options.reopenMax = 200ms;
    options.log = &log_;
    const std::string path = options.socketPath;
    auto b = Bridge::create(std::move(options));
    BOOST_TEST_REQUIRE(b.ok(), (b.ok() ? "" : b.error().message));
    bridge_ = std::move(*b);
    client.emplace(path);
    thread_ = std::thread([this] { status_ = bridge_->run(); });
  }
  std::optional<Client> client;
  ~RunningBridge() {
    bridge_->stop();
    thread_.join();
    BOOST_TEST(status_.ok());
    BOOST_TEST_MESSAGE("bridge log:\n" << log_.str());
  }
  BridgeStats stats() const { return bridge_->stats(); }

 private:
  std::ostringstream log_;  // written by the bridge's thread; read after join
  std::unique_ptr<Bridge> bridge_;
  std::thread thread_;
  Status status_;
};

// The bridge publishes its counters once per turn of its loop, after it has
// sent that turn's events: a test that just saw an event polls for them.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 100; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

struct McuFixture {
  testsupport::TempDir dir{"fwbridge"};
  std::string tty = (dir / "ttyWMS0").string();
  std::string socket = (dir / "bridge.sock").string();
  std::unique_ptr<fwsim::SimulatedMcu> mcu;

  McuFixture() {
    auto m = fwsim::SimulatedMcu::start(fwsim::McuOptions{tty, "fwsim-test-2.1", 0, 42});
    BOOST_TEST_REQUIRE(m.ok());
    mcu = std::move(*m);
  }
  BridgeOptions options() const {
    BridgeOptions o;
    o.socketPath = socket;
    o.mcu = SerialDevice{tty, 115200};
    return o;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_scan_arrives_exactly_once_and_feedback_reaches_the_mcu, McuFixture) {
  RunningBridge bridge(options());
  Client& client = *bridge.client;
  auto hello = client.next();
  BOOST_TEST_REQUIRE(hello.has_value());
  BOOST_TEST((hello->kind == BridgeEvent::Kind::Hello));
  auto up = client.nextOf(BridgeEvent::Kind::Link);
  BOOST_TEST_REQUIRE(up.has_value());
  BOOST_TEST(up->flag);
  BOOST_TEST(up->text == "fwsim-test-2.1");

  mcu->trigger(true);
  mcu->scan("]C1",
            "0109501101530003\x1d"
            "10LOT42");
  mcu->trigger(false);
  auto trigger = client.next();
  BOOST_TEST_REQUIRE(trigger.has_value());
  BOOST_TEST((trigger->kind == BridgeEvent::Kind::Trigger && trigger->flag));
  auto scan = client.next();
  BOOST_TEST_REQUIRE(scan.has_value());
  BOOST_TEST((scan->kind == BridgeEvent::Kind::Scan));
  BOOST_TEST(scan->scan.symbology == "]C1");
  BOOST_TEST(scan->scan.data ==
             "0109501101530003\x1d"
             "10LOT42");
  BOOST_TEST((scan->scan.source == ScanSource::Engine));
  auto release = client.next();
  BOOST_TEST_REQUIRE(release.has_value());
  BOOST_TEST((release->kind == BridgeEvent::Kind::Trigger && !release->flag));
  BOOST_TEST(!client.next(300ms).has_value());  // nothing twice

  client.send("{\"cmd\":\"feedback\",\"result\":\"good\"}\n");
  for (int i = 0; i < 100 && mcu->commands().size() < 2; ++i) std::this_thread::sleep_for(20ms);
  auto commands = mcu->commands();
  BOOST_TEST_REQUIRE(commands.size() == 2u);
  BOOST_TEST((std::get<BeepCmd>(commands[0]).pattern == BeepPattern::Good));
  BOOST_TEST((std::get<LedCmd>(commands[1]).colour == LedColour::Green));
  BOOST_TEST(eventually([&] { return bridge.stats().scansDelivered == 1u; }));
}

BOOST_FIXTURE_TEST_CASE(at_one_percent_byte_errors_only_correct_scans_arrive_each_once, McuFixture) {
  RunningBridge bridge(options());
  Client& client = *bridge.client;
  BOOST_TEST_REQUIRE(mcu->waitLinkUp(5s));
  mcu->setByteErrorRate(0.01);
  constexpr int kScans = 60;
  for (int i = 0; i < kScans; ++i) mcu->scan("]C0", "TOTE-" + std::to_string(1000 + i));
  std::vector<std::string> got;
  while (got.size() < static_cast<std::size_t>(kScans)) {
    auto e = client.nextOf(BridgeEvent::Kind::Scan, 20s);
    if (!e) break;
    got.push_back(e->scan.data);
  }
  BOOST_TEST(!client.nextOf(BridgeEvent::Kind::Scan, 500ms).has_value());
  // None altered, none twice, in order: what arrived is a subsequence of
  // what was sent. Within one session every scan arrives; each new session
  // (the noise ate a whole retransmission series) may cost the one scan
  // that was in flight, never a duplicate.
  std::size_t at = 0;
  for (const auto& g : got) {
    while (at < kScans && g != "TOTE-" + std::to_string(1000 + at)) ++at;
    BOOST_TEST_REQUIRE(at < static_cast<std::size_t>(kScans), "unexpected or repeated scan " << g);
    ++at;
  }
  BOOST_TEST_REQUIRE(eventually([&] { return bridge.stats().link.framesIn > 0u; }));
  const std::size_t sessions = bridge.stats().link.handshakes;
  BOOST_TEST(got.size() + (sessions - 1) >= static_cast<std::size_t>(kScans));
  const auto s = bridge.stats();
  BOOST_TEST(s.link.badFrames + s.link.duplicates + s.link.outOfOrder > 0u);
  BOOST_TEST_MESSAGE("bad frames " << s.link.badFrames << ", retransmits by the MCU " << mcu->retransmits()
                                   << ", duplicates " << s.link.duplicates << ", handshakes "
                                   << s.link.handshakes);
}

BOOST_FIXTURE_TEST_CASE(garbage_on_the_line_is_counted_and_the_next_scan_arrives, McuFixture) {
  RunningBridge bridge(options());
  Client& client = *bridge.client;
  BOOST_TEST_REQUIRE(mcu->waitLinkUp(5s));
  mcu->injectGarbage(5000);
  mcu->scan("", "A-01-02-3");
  auto scan = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(scan.has_value());
  BOOST_TEST(scan->scan.data == "A-01-02-3");
  BOOST_TEST(eventually([&] {
    const auto s = bridge.stats();
    return s.frames.crcErrors + s.frames.malformed + s.frames.oversize > 0u;
  }));
}

BOOST_FIXTURE_TEST_CASE(a_device_pulled_mid_frame_and_plugged_back_delivers_the_next_scan_once, McuFixture) {
  RunningBridge bridge(options());
  Client& client = *bridge.client;
  BOOST_TEST_REQUIRE(mcu->waitLinkUp(5s));
  BOOST_TEST_REQUIRE(client.nextOf(BridgeEvent::Kind::Link).has_value());
  mcu->vanishMidFrame();
  auto down = client.nextOf(BridgeEvent::Kind::Link);
  BOOST_TEST_REQUIRE(down.has_value());
  BOOST_TEST(!down->flag);
  std::this_thread::sleep_for(300ms);  // a few failed reopens
  mcu->reappear();
  auto up = client.nextOf(BridgeEvent::Kind::Link);
  BOOST_TEST_REQUIRE(up.has_value());
  BOOST_TEST(up->flag);
  mcu->scan("]E0", "4006381333931");
  auto scan = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(scan.has_value());
  BOOST_TEST(scan->scan.data == "4006381333931");  // not the half frame's HALF-SCAN
  BOOST_TEST(!client.nextOf(BridgeEvent::Kind::Scan, 300ms).has_value());
  BOOST_TEST(eventually([&] { return bridge.stats().reopens >= 1u; }));
}

BOOST_FIXTURE_TEST_CASE(a_rebooting_firmware_is_shaken_hands_with_again, McuFixture) {
  RunningBridge bridge(options());
  Client& client = *bridge.client;
  BOOST_TEST_REQUIRE(mcu->waitLinkUp(5s));
  mcu->scan("", "BEFORE");
  BOOST_TEST_REQUIRE(client.nextOf(BridgeEvent::Kind::Scan).has_value());
  mcu->reboot();
  BOOST_TEST_REQUIRE(mcu->waitLinkUp(5s));
  mcu->scan("", "AFTER");
  auto scan = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(scan.has_value());
  BOOST_TEST(scan->scan.data == "AFTER");
  BOOST_TEST(eventually([&] { return bridge.stats().link.handshakes >= 2u; }));
}

BOOST_FIXTURE_TEST_CASE(bad_commands_get_an_error_and_the_bridge_keeps_serving, McuFixture) {
  RunningBridge bridge(options());
  Client& client = *bridge.client;
  BOOST_TEST_REQUIRE(mcu->waitLinkUp(5s));
  client.send("{\"cmd\":\"blink\"}\nnot json\n{\"cmd\":\"led\",\"colour\":\"pink\"}\n");
  auto e1 = client.nextOf(BridgeEvent::Kind::Error);
  BOOST_TEST_REQUIRE(e1.has_value());
  BOOST_TEST(e1->text == "command: cmd 'blink' is unknown");
  BOOST_TEST_REQUIRE(client.nextOf(BridgeEvent::Kind::Error).has_value());
  auto e3 = client.nextOf(BridgeEvent::Kind::Error);
  BOOST_TEST_REQUIRE(e3.has_value());
  BOOST_TEST(e3->text == "command: colour must be off, green, red, amber or blue");
  mcu->scan("", "STILL-HERE");
  BOOST_TEST(client.nextOf(BridgeEvent::Kind::Scan)->scan.data == "STILL-HERE");
  BOOST_TEST(eventually([&] { return bridge.stats().commandsRefused == 3u; }));
}

BOOST_AUTO_TEST_CASE(an_ssi_engine_scan_arrives_once_and_nak_and_silence_are_reported) {
  testsupport::TempDir dir("fwbridge");
  const std::string tty = (dir / "ttySSI0").string();
  auto engine = fwsim::SimulatedSsiEngine::start(fwsim::SsiEngineOptions{tty, 7});
  BOOST_TEST_REQUIRE(engine.ok());
  BridgeOptions o;
  o.socketPath = (dir / "bridge.sock").string();
  o.ssi = SerialDevice{tty, 9600};
  o.ssiOptions.ackTimeout = 100ms;
  RunningBridge bridge(o);
  Client& client = *bridge.client;
  // The loop opens the engine's port before it accepts the client.
  auto hello = client.next();
  BOOST_TEST_REQUIRE(hello.has_value());
  BOOST_TEST(hello->text == "open");
  (*engine)->decode(0x0B, "5901234123457");
  (*engine)->decode(0x1B, std::string(300, 'M'));  // two packets
  auto ean = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(ean.has_value());
  BOOST_TEST(ean->scan.symbology == "]E0");
  BOOST_TEST(ean->scan.data == "5901234123457");
  BOOST_TEST((ean->scan.source == ScanSource::Ssi));
  auto dm = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(dm.has_value());
  BOOST_TEST(dm->scan.data == std::string(300, 'M'));
  BOOST_TEST(!client.nextOf(BridgeEvent::Kind::Scan, 500ms).has_value());

  (*engine)->setMode(fwsim::SimulatedSsiEngine::Mode::Nak);
  client.send("{\"cmd\":\"scanner\",\"on\":true}\n");
  auto refused = client.nextOf(BridgeEvent::Kind::Fault);
  BOOST_TEST_REQUIRE(refused.has_value());
  BOOST_TEST(refused->text == "the engine refused SCAN_ENABLE (denied)");

  (*engine)->setMode(fwsim::SimulatedSsiEngine::Mode::Silent);
  client.send("{\"cmd\":\"scanner\",\"on\":false}\n");
  auto silent = client.nextOf(BridgeEvent::Kind::Fault);
  BOOST_TEST_REQUIRE(silent.has_value());
  BOOST_TEST(silent->text == "no answer from the engine to SCAN_DISABLE after 2 retransmissions");
  // Sent three times: the first try and two retransmissions.
  const auto sent = (*engine)->commands();
  BOOST_TEST(std::count(sent.begin(), sent.end(), fwbridge::ssi::kScanDisable) == 3);

  (*engine)->setMode(fwsim::SimulatedSsiEngine::Mode::Ack);
  (*engine)->decode(0x03, "AFTER-SILENCE");
  BOOST_TEST(client.nextOf(BridgeEvent::Kind::Scan)->scan.data == "AFTER-SILENCE");
}

BOOST_AUTO_TEST_CASE(wedge_reads_from_input_events_arrive_formatted_and_garbage_is_refused) {
  testsupport::TempDir dir("fwbridge");
  const std::string fifo = (dir / "event0").string();
  BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  BridgeOptions o;
  o.socketPath = (dir / "bridge.sock").string();
  o.wedges = {fifo};
  o.formatter = Formatter::parse("match source=wedge prefix=]C1 => strip-aim gs1-hri\n").value();
  std::vector<Scan> published;
  std::mutex publishedMutex;
  o.onWedgeScan = [&](const Scan& s) {
    std::lock_guard lock(publishedMutex);
    published.push_back(s);
  };
  RunningBridge bridge(o);
  Client& client = *bridge.client;
  // The recorded scanner (fixtures/evdev), then a key the layout lacks.
  std::ifstream in(std::string(WMS_FWBRIDGE_FIXTURES) + "/evdev/us-two-reads.bin", std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto garbage =
      encodeInputEvents({InputEvent{{}, EV_KEY, KEY_F7, 1}, InputEvent{{}, EV_KEY, KEY_F7, 0},
                         InputEvent{{}, EV_KEY, KEY_ENTER, 1}, InputEvent{{}, EV_KEY, KEY_ENTER, 0}});
  bytes.insert(bytes.end(), garbage.begin(), garbage.end());
  UniqueFd w(::open(fifo.c_str(), O_WRONLY | O_CLOEXEC));
  BOOST_TEST_REQUIRE(w.valid());
  BOOST_TEST_REQUIRE(::write(w.get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  auto gs1 = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(gs1.has_value());
  BOOST_TEST(gs1->scan.data == "(01)09501101530003(10)LOT42");
  BOOST_TEST(gs1->scan.symbology == "]C1");
  BOOST_TEST((gs1->scan.source == ScanSource::Wedge));
  auto tote = client.nextOf(BridgeEvent::Kind::Scan);
  BOOST_TEST_REQUIRE(tote.has_value());
  BOOST_TEST(tote->scan.data == "TOTE-17");
  BOOST_TEST(!client.nextOf(BridgeEvent::Kind::Scan, 300ms).has_value());
  BOOST_TEST(eventually([&] { return bridge.stats().wedge.unmappedKeys == 1u; }));
  std::lock_guard lock(publishedMutex);
  BOOST_TEST(published.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_serial_port_is_opened_raw_at_its_baud_rate_and_passes_bytes_untranslated) {
  UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  BOOST_TEST_REQUIRE(master.valid());
  BOOST_TEST_REQUIRE(::grantpt(master.get()) == 0);
  BOOST_TEST_REQUIRE(::unlockpt(master.get()) == 0);
  char name[128];
  BOOST_TEST_REQUIRE(::ptsname_r(master.get(), name, sizeof name) == 0);
  auto port = SerialPort::open(name, 57600);
  BOOST_TEST_REQUIRE(port.ok(), (port.ok() ? "" : port.error().message));
  termios tio{};
  BOOST_TEST_REQUIRE(::tcgetattr(port->fd(), &tio) == 0);
  BOOST_TEST((tio.c_lflag & (ICANON | ECHO | ISIG | IEXTEN)) == 0u);
  BOOST_TEST((tio.c_iflag & (ICRNL | INLCR | IXON | ISTRIP)) == 0u);
  BOOST_TEST((tio.c_oflag & OPOST) == 0u);
  BOOST_TEST((tio.c_cflag & CSIZE) == static_cast<tcflag_t>(CS8));
  BOOST_TEST(::cfgetispeed(&tio) == static_cast<speed_t>(B57600));
  BOOST_TEST(tio.c_cc[VMIN] == 1);
  // Nothing there yet: 0, not an error.
  std::uint8_t buf[16];
  BOOST_TEST(port->read(buf).value() == 0u);
  const std::uint8_t sent[] = {0x00, '\r', '\n', 0x11, 0x13, 0x03, 0xFF};
  BOOST_TEST_REQUIRE(::write(master.get(), sent, sizeof sent) == static_cast<ssize_t>(sizeof sent));
  std::this_thread::sleep_for(50ms);
  auto n = port->read(buf);
  BOOST_TEST_REQUIRE(n.ok());
  BOOST_TEST(std::vector<std::uint8_t>(buf, buf + *n) == std::vector<std::uint8_t>(sent, sent + sizeof sent),
             boost::test_tools::per_element());
  // The other side hangs up: the next read says the device went away.
  master.reset();
  auto gone = port->read(buf);
  BOOST_TEST_REQUIRE(!gone.ok());
  BOOST_TEST(gone.error().kind == ErrorKind::Unavailable);
}

BOOST_AUTO_TEST_CASE(a_serial_port_that_is_not_a_tty_or_absent_is_refused_by_kind) {
  BOOST_TEST(SerialPort::open("/nonexistent/tty", 115200).error().kind == ErrorKind::NotFound);
  BOOST_TEST(SerialPort::open("/dev/null", 115200).error().kind == ErrorKind::Invalid);
  BOOST_TEST(checkBaud(12345).error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(the_example_config_and_rules_in_dist_load) {
  const std::string dist = std::string(WMS_SOURCE_DIR) + "/firmware-bridge/dist/";
  std::ifstream in(dist + "fwbridge.conf");
  std::stringstream text;
  text << in.rdbuf();
  auto config = parseBridgeConfig(text.str());
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error().message));
  config->single["rules"] = dist + "fwbridge.rules";
  auto options = bridgeOptionsFrom(*config);
  BOOST_TEST_REQUIRE(options.ok(), (options.ok() ? "" : options.error().message));
  BOOST_TEST(options->mcu->path == "/dev/wms-mcu");
  BOOST_TEST(options->mcu->baud == 115200);
  BOOST_TEST(options->formatter.ruleCount() == 1u);
}

BOOST_AUTO_TEST_CASE(config_mistakes_are_refused_naming_the_line_or_key) {
  BOOST_TEST(parseBridgeConfig("socket = /tmp/x\nmcu_buad = 9600\n").error().message ==
             "config line 2: unknown key 'mcu_buad'");
  BOOST_TEST(parseBridgeConfig("mcu = /dev/a\nmcu = /dev/b\n").error().message ==
             "config line 2: 'mcu' given twice");
  auto c = parseBridgeConfig("mcu = /dev/a\nmcu_baud = fast\n").value();
  BOOST_TEST(bridgeOptionsFrom(c).error().message ==
             "mcu_baud must be a whole number 1..4000000, got 'fast'");
  auto layout = parseBridgeConfig("wedge = /dev/input/event3\nwedge_layout = fr\n").value();
  BOOST_TEST(bridgeOptionsFrom(layout).error().message ==
             "wedge_layout: keyboard layout 'fr' is unknown (us, de)");
  BridgeOptions none;
  none.socketPath = "/tmp/none.sock";
  BOOST_TEST(Bridge::create(none).error().message == "no device configured (mcu, ssi or wedge)");
}
