// Test-local helpers: the protocol's fixture files.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "wms/testsupport/TempDir.h"

namespace wms::protocol::test {

inline std::filesystem::path fixturesDir() {
  return std::filesystem::path(WMS_SOURCE_DIR) / "tests" / "protocol" / "fixtures";
}

// name (file name without .json) -> contents, for one folder of fixtures.
inline std::map<std::string, std::string> readFixtures(const std::string& folder) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(fixturesDir() / folder)) {
    if (entry.path().extension() == ".json") {
      out[entry.path().stem().string()] = wms::testsupport::readFile(entry.path());
    }
  }
  return out;
}

inline std::string goodFixture(const std::string& name) {
  return wms::testsupport::readFile(fixturesDir() / "good" / (name + ".json"));
}

}  // namespace wms::protocol::test

namespace wms::protocol::test {

// Every piece of text between `open` and the next `close`, in order. (No
// std::regex: GCC 12 warns inside it under -fsanitize, and warnings are errors.)
inline std::vector<std::string> between(const std::string& text, const std::string& open, const std::string& close) {
  std::vector<std::string> out;
  for (auto at = text.find(open); at != std::string::npos; at = text.find(open, at)) {
    at += open.size();
    auto end = text.find(close, at);
    if (end == std::string::npos) break;
    out.push_back(text.substr(at, end - at));
    at = end + close.size();
  }
  return out;
}

// The error message of a failed result, "" for a success (for test messages).
template <class R>
std::string why(const R& result) {
  return result.ok() ? std::string() : result.error().message;
}

}  // namespace wms::protocol::test
