// The terminal UI for real: wms-handheld in a detached tmux session sized
// like a handheld (20x16, then 40x8), keys sent with send-keys, the screen
// read with capture-pane; a scripted server on a real mosquitto plays wmsd.
#define BOOST_TEST_MODULE handheld_tui
#include <boost/test/unit_test.hpp>

#include <thread>

#include "../session/ScriptedServer.h"
#include "../workflow/FlowTestSupport.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::handheld::test;
using namespace wms::testsupport;

namespace {

// A private tmux server (its own socket) with one session; killed with
// everything in it when the test ends.
class Tmux {
 public:
  Tmux(const std::string& command, int columns, int rows, const std::filesystem::path& dir)
      : socket_("wms-tui-" + std::to_string(::getpid())) {
    auto r = tmux({"new-session", "-d", "-s", "hh", "-x", std::to_string(columns), "-y", std::to_string(rows),
                   command});
    if (r.exitCode != 0) throw std::runtime_error("tmux new-session failed: " + r.output);
    (void)dir;
  }
  ~Tmux() { tmux({"kill-server"}); }
  Tmux(const Tmux&) = delete;
  Tmux& operator=(const Tmux&) = delete;

  CommandResult tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-L", socket_, "-f", "/dev/null"});
    return runCommand(args, {}, std::chrono::seconds(10));
  }
  void keys(const std::vector<std::string>& keys) {
    std::vector<std::string> args{"send-keys", "-t", "hh"};
    args.insert(args.end(), keys.begin(), keys.end());
    auto r = tmux(args);
    BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  }
  // Types text literally, then Enter.
  void line(const std::string& text) {
    if (!text.empty()) {
      auto r = tmux({"send-keys", "-t", "hh", "-l", text});
      BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
    }
    keys({"Enter"});
  }
  std::string screen(bool escapes = false) {
    std::vector<std::string> args{"capture-pane", "-p", "-t", "hh"};
    if (escapes) args.push_back("-e");
    return tmux(args).output;
  }
  // Waits until the screen shows `text`; the last screen on failure.
  bool shows(const std::string& text, std::chrono::seconds deadline = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
      if (screen().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  bool alive() { return tmux({"has-session", "-t", "hh"}).exitCode == 0; }

 private:
  std::string socket_;
};

std::vector<std::string> lines(const std::string& screen) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < screen.size()) {
    auto end = screen.find('\n', start);
    if (end == std::string::npos) end = screen.size();
    out.push_back(screen.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_picker_signs_in_and_picks_a_stop_on_a_20x16_screen_and_the_40x8_layout_follows_a_resize) {
  if (runCommand({"tmux", "-V"}).exitCode != 0) BOOST_FAIL("tmux is not installed (tools/bootstrap installs it)");
  MosquittoBroker::Options bo;
  bo.deviceIds = {"HH-07"};
  MosquittoBroker broker(bo);
  ScriptedServer server(broker);
  TempDir dir;
  const std::string command = emulatorPrefix() + WMS_HANDHELD_BINARY + " --device HH-07 --broker " + broker.uri() +
                              " --password " + broker.device(0).password + " --db " + (dir / "hh.db").string() +
                              " --log " + (dir / "hh.log").string();
  Tmux tmux(command, 20, 16, dir.path());

  BOOST_REQUIRE_MESSAGE(tmux.shows("SCAN YOUR BADGE"), tmux.screen());
  BOOST_REQUIRE_MESSAGE(tmux.shows("ONLINE 0 HH-07"), tmux.screen());
  tmux.line("EMP-1");
  BOOST_REQUIRE_MESSAGE(tmux.shows("WAIT FOR WORK"), tmux.screen());
  BOOST_REQUIRE(server.waitFor([](const protocol::Message& m) { return std::holds_alternative<protocol::SignIn>(m); }));

  auto task = batch();
  task.stops = {stop("S1", 10, "A-01-01-1", "APPLE", {"4006381333931"}, {{"T-1", 2}})};
  task.typedCodes = true;  // every code below is typed on the keypad
  server.send(task);
  BOOST_REQUIRE_MESSAGE(tmux.shows("SCAN LOCATION"), tmux.screen());
  auto screen = lines(tmux.screen());
  BOOST_REQUIRE_GE(screen.size(), 16u);
  BOOST_TEST(screen[0].find("PICK stop 1/1") == 0u, screen[0]);
  BOOST_TEST(tmux.screen().find(" A-01-01-1") != std::string::npos);
  BOOST_TEST(screen[15].find("ONLINE") == 0u, screen[15]);

  // A wrong location: the error in reverse video, nothing sent.
  tmux.line("A-01-02-9");
  BOOST_REQUIRE_MESSAGE(tmux.shows("wrong location"), tmux.screen());
  const std::string styled = tmux.screen(true);
  BOOST_TEST(styled.find("\x1b[7m") != std::string::npos, styled);

  tmux.line("A-01-01-1");
  BOOST_REQUIRE_MESSAGE(tmux.shows("SCAN ITEM"), tmux.screen());
  tmux.line("4006381333931");
  BOOST_REQUIRE_MESSAGE(tmux.shows("1 of 2"), tmux.screen());
  // The keypad line echoes what is typed before Enter.
  tmux.keys({"2"});
  BOOST_REQUIRE_MESSAGE(tmux.shows("> 2_"), tmux.screen());
  tmux.keys({"Enter"});
  BOOST_REQUIRE_MESSAGE(tmux.shows("PUT INTO A1"), tmux.screen());
  BOOST_TEST(tmux.screen().find("A1 T-1") != std::string::npos);
  // Enter alone does not confirm the put: the tote's code does.
  tmux.line("");
  BOOST_REQUIRE_MESSAGE(tmux.shows("slot A1"), tmux.screen());
  BOOST_TEST(tmux.screen().find("PUT INTO A1") != std::string::npos);
  tmux.line("T-1");
  BOOST_REQUIRE_MESSAGE(tmux.shows("BATCH DONE"), tmux.screen());
  auto confirm = server.waitFor([](const protocol::Message& m) { return std::holds_alternative<protocol::PickConfirm>(m); });
  BOOST_REQUIRE(confirm);
  const auto& picked = std::get<protocol::PickConfirm>(confirm->message);
  BOOST_TEST(picked.qty == 2);
  BOOST_CHECK(picked.typed ==
              std::vector<protocol::ScanStep>(
                  {protocol::ScanStep::Location, protocol::ScanStep::Item, protocol::ScanStep::Tote}));
  BOOST_REQUIRE(server.waitFor([](const protocol::Message& m) { return std::holds_alternative<protocol::BatchDone>(m); }));
  BOOST_REQUIRE_MESSAGE(tmux.shows("ONLINE 0"), tmux.screen());

  // A 40x8 terminal: status at the right of the title, keys beside the input.
  tmux.tmux({"resize-window", "-t", "hh", "-x", "40", "-y", "8"});
  BOOST_REQUIRE_MESSAGE(tmux.shows("BATCH DONE"), tmux.screen());
  const auto small = lines(tmux.screen());
  BOOST_REQUIRE_GE(small.size(), 8u);
  BOOST_TEST(small[0].find("PICK") == 0u, small[0]);
  BOOST_TEST(small[0].find("ONLINE 0") != std::string::npos, small[0]);
  BOOST_TEST(small[7].find("> _") == 0u, small[7]);
  BOOST_TEST(small[7].find("Enter=next") != std::string::npos, small[7]);

  // F10 quits and the terminal is given back.
  tmux.keys({"F10"});
  for (int i = 0; i < 200 && tmux.alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  BOOST_TEST(!tmux.alive());
  BOOST_REQUIRE(server.waitFor([](const protocol::Message& m) {
    const auto* p = std::get_if<protocol::Presence>(&m);
    return p && p->state == protocol::PresenceState::Offline;
  }));
}

BOOST_AUTO_TEST_CASE(a_badge_refused_for_its_pin_asks_for_it_masks_it_and_signs_in_with_it) {
  if (runCommand({"tmux", "-V"}).exitCode != 0) BOOST_FAIL("tmux is not installed (tools/bootstrap installs it)");
  MosquittoBroker::Options bo;
  bo.deviceIds = {"HH-07"};
  MosquittoBroker broker(bo);
  ScriptedServer server(broker);
  server.rejectType("signin", Error{ErrorKind::Unauthorized, "badge EMP-7 needs its PIN"});
  TempDir dir;
  const std::string command = emulatorPrefix() + WMS_HANDHELD_BINARY + " --device HH-07 --broker " + broker.uri() +
                              " --password " + broker.device(0).password + " --db " + (dir / "hh.db").string() +
                              " --log " + (dir / "hh.log").string();
  Tmux tmux(command, 40, 16, dir.path());
  BOOST_REQUIRE_MESSAGE(tmux.shows("ONLINE"), tmux.screen());
  tmux.line("EMP-7");
  BOOST_REQUIRE_MESSAGE(tmux.shows("TYPE YOUR PIN"), tmux.screen());
  BOOST_TEST(tmux.screen().find("badge EMP-7 refused") != std::string::npos, tmux.screen());
  server.rejectType("signin", std::nullopt);
  // What is typed shows as stars.
  tmux.keys({"0", "4", "2", "7"});
  BOOST_REQUIRE_MESSAGE(tmux.shows("> ****_"), tmux.screen());
  BOOST_TEST(tmux.screen().find("0427") == std::string::npos, tmux.screen());
  tmux.keys({"Enter"});
  BOOST_REQUIRE_MESSAGE(tmux.shows("WAIT FOR WORK"), tmux.screen());
  auto signin = server.waitFor([](const protocol::Message& m) {
    const auto* in = std::get_if<protocol::SignIn>(&m);
    return in && in->pin.has_value();
  });
  BOOST_REQUIRE(signin);
  const auto& in = std::get<protocol::SignIn>(signin->message);
  BOOST_TEST(in.badge == "EMP-7");
  BOOST_TEST(*in.pin == "0427");
  // The PIN is in no log line.
  tmux.keys({"F10"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto log = runCommand({"cat", (dir / "hh.log").string()});
  BOOST_TEST(log.output.find("0427") == std::string::npos, log.output);
}
