// A temporary folder that is removed with everything in it when the object
// goes out of scope. Non-copyable; movable.
#pragma once

#include <filesystem>
#include <string>

namespace wms::testsupport {

class TempDir {
 public:
  // Creates a fresh folder under $TMPDIR (or /tmp) whose name starts with prefix.
  explicit TempDir(const std::string& prefix = "wms-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Keeps the folder after destruction (for looking at a failed test's files).
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

// Writes text to a file, creating parent folders; throws on failure.
void writeFile(const std::filesystem::path& file, const std::string& text);
// Reads a whole file; throws on failure.
std::string readFile(const std::filesystem::path& file);

}  // namespace wms::testsupport
