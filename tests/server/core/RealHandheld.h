// The real wms-handheld, headless (docs/handheld.md, "Headless"), on a
// Floor's device account: started with a script, waited for, and its
// output and sync counters read back. For the suites whose CMake target
// defines WMS_HANDHELD_BINARY (and depends on wms-handheld).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "FloorFixture.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

namespace wms::testsupport::floor {

// Starts wms-handheld on device `index` running `script` (written to
// dir/handheld.script), with `args` added (--mode, --station, --dock ...).
// Its output goes to dir/handheld.out, its outbox to dir/hh.db.
inline std::unique_ptr<ChildProcess> realHandheld(Floor& f, std::size_t index, const std::filesystem::path& dir,
                                                  const std::string& script, const std::vector<std::string>& args) {
  writeFile(dir / "handheld.script", script);
  ChildProcess::Options po;
  po.output = dir / "handheld.out";
  const auto& account = f.broker.device(index);
  std::vector<std::string> argv{WMS_HANDHELD_BINARY, "--script", (dir / "handheld.script").string(), "--broker",
                                f.broker.uri(),      "--device", account.username,
                                "--password",        account.password, "--db", (dir / "hh.db").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<ChildProcess>(argv, po);
}

// What the handheld printed so far.
inline std::string handheldOutput(const std::filesystem::path& dir) {
  return std::filesystem::exists(dir / "handheld.out") ? readFile(dir / "handheld.out") : "";
}

// The handheld's last `stats` line.
inline Poco::JSON::Object::Ptr lastStats(const std::string& out) {
  const auto last = out.rfind("{\"created\"");
  BOOST_REQUIRE_MESSAGE(last != std::string::npos, out);
  return parse(out.substr(last, out.find('\n', last) - last));
}

// Waits for a file the handheld's script creates (its `signal`).
inline bool awaitSignal(const std::filesystem::path& f, ChildProcess& handheld) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < until) {
    if (std::filesystem::exists(f)) return true;
    if (!handheld.running()) return std::filesystem::exists(f);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// Waits for the handheld's script to end and checks it ended well with
// `applied` events applied once each (its last `stats`), none refused,
// none left in its outbox.
inline void requireScriptApplied(ChildProcess& handheld, const std::filesystem::path& dir, int applied) {
  auto exit = handheld.wait(std::chrono::seconds(150));
  const std::string out = handheldOutput(dir);
  BOOST_REQUIRE_MESSAGE(exit.has_value(), out);
  BOOST_REQUIRE_MESSAGE(ChildProcess::exitCode(*exit) == 0, out);
  auto stats = lastStats(out);
  BOOST_TEST(stats->getValue<int>("applied") == applied, out);
  BOOST_TEST(stats->getValue<int>("rejected") == 0);
  BOOST_TEST(stats->getValue<int>("outbox") == 0);
}

}  // namespace wms::testsupport::floor
