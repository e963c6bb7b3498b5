// Image files as frames: PNG, JPEG and binary PGM/PPM decoded to luminance,
// and a FrameSource over a list or folder of such files (tests, the
// simulator, `wms-handheld --decode`).
//
// Image bytes are outside input: the type is recognised by its signature,
// sizes are checked against ImageLimits before any pixel is decoded, and a
// broken file is an Error value, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/Frame.h"

namespace wms::handheld {

struct ImageLimits {
  std::size_t maxFileBytes = 64u << 20;  // larger files are refused unread
  std::int64_t maxPixels = 16'000'000;   // width * height, checked from the header
};

// Decodes an image held in memory. Errors: Malformed (unknown signature,
// corrupt or truncated data; the message names the type and the cause),
// TooLarge (beyond `limits`).
Result<Frame> decodeImage(std::span<const std::uint8_t> bytes, const ImageLimits& limits = {});

// Reads and decodes one file. Errors as decodeImage, plus NotFound/
// Unavailable when the file cannot be read; messages start with the path.
Result<Frame> loadImageFile(const std::filesystem::path& file, const ImageLimits& limits = {});

// True if the file name ends in an extension this loader reads
// (.png, .jpg, .jpeg, .pgm, .ppm; any case).
bool isImageFileName(const std::filesystem::path& file);

// The image files (isImageFileName) directly in `folder`, sorted by name.
// Errors: NotFound if the folder does not exist or cannot be listed.
Result<std::vector<std::filesystem::path>> listImageFiles(const std::filesystem::path& folder);

// Frames from a list of image files, in order. Not copyable.
class ImageFilesSource : public FrameSource {
 public:
  // `loop`: start again after the last file instead of reporting the end.
  explicit ImageFilesSource(std::vector<std::filesystem::path> files, bool loop = false,
                            ImageLimits limits = {});
  // The files listImageFiles(folder) finds; its errors.
  static Result<ImageFilesSource> directory(const std::filesystem::path& folder, bool loop = false,
                                            ImageLimits limits = {});

  ImageFilesSource(const ImageFilesSource&) = delete;
  ImageFilesSource& operator=(const ImageFilesSource&) = delete;
  ImageFilesSource(ImageFilesSource&&) = default;
  ImageFilesSource& operator=(ImageFilesSource&&) = default;

  // The next file's frame; a file that cannot be decoded gives its error and
  // is skipped on the following call. NotFound after the last file unless
  // looping (or at once, if there are no files).
  Result<Frame> next() override;
  std::string describe() const override;

  // The file the last next() read (empty before the first call).
  const std::filesystem::path& currentFile() const noexcept { return current_; }
  std::size_t size() const noexcept { return files_.size(); }

 private:
  std::vector<std::filesystem::path> files_;
  bool loop_ = false;
  ImageLimits limits_;
  std::size_t index_ = 0;
  std::filesystem::path current_;
  std::string description_;
};

}  // namespace wms::handheld
