// Test-local helpers: the protocol's fixture files.
#pragma once

#include <filesystem>
#include <map>
#include <string>

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

// The error message of a failed result, "" for a success (for test messages).
template <class R>
std::string why(const R& result) {
  return result.ok() ? std::string() : result.error().message;
}

}  // namespace wms::protocol::test
