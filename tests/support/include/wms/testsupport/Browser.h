// Headless Chromium driven over WebDriver (a chromedriver of its own, on a
// free loopback port, with a profile of its own), for tests of pages that
// change while they are open: a page that never finishes loading (a live
// event stream) cannot be read with `chromium --dump-dom`.
//
// Threading: use from one thread. Each call is one WebDriver command; a
// failed command throws std::runtime_error with chromedriver's answer.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace wms::testsupport {

class ChildProcess;
class TempDir;

class Browser {
 public:
  // Starts chromedriver and a headless Chromium session; its log and the
  // profile go into `dir`. Throws if either does not start.
  explicit Browser(const TempDir& dir);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Navigates and waits for the page's load event.
  void open(const std::string& url);
  // Runs `script` (a function body) in the page; its return value.
  Poco::Dynamic::Var run(const std::string& script);
  // Runs `script` every 20 ms until it returns true; false after `deadline`.
  bool waitUntil(const std::string& script, std::chrono::milliseconds deadline);
  // run() as text ("" for null).
  std::string text(const std::string& script);
  // A PNG of the window, written to `file` (its folder is created).
  void screenshot(const std::filesystem::path& file);

 private:
  Poco::Dynamic::Var command(const std::string& method, const std::string& path, const std::string& body);

  std::uint16_t port_;
  std::unique_ptr<ChildProcess> driver_;
  std::string session_;
};

}  // namespace wms::testsupport
