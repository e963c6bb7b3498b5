#include "wms/handheld/ImageFile.h"

#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>

namespace wms::handheld {
namespace {

enum class ImageType { Png, Jpeg, Pnm, Unknown };

ImageType sniff(std::span<const std::uint8_t> b) {
  static constexpr std::uint8_t kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (b.size() >= sizeof kPng && std::equal(std::begin(kPng), std::end(kPng), b.begin())) return ImageType::Png;
  if (b.size() >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) return ImageType::Jpeg;
  // Binary PGM (P5) and PPM (P6) only: stb has no reader for the ASCII kinds.
  if (b.size() >= 3 && b[0] == 'P' && (b[1] == '5' || b[1] == '6') && std::isspace(b[2])) return ImageType::Pnm;
  return ImageType::Unknown;
}

const char* typeName(ImageType t) {
  switch (t) {
    case ImageType::Png: return "PNG";
    case ImageType::Jpeg: return "JPEG";
    case ImageType::Pnm: return "PGM/PPM";
    case ImageType::Unknown: break;
  }
  return "unknown";
}

// Skips whitespace and '#' comments in a PNM header.
std::size_t skipPnmSpace(std::span<const std::uint8_t> b, std::size_t i) {
  while (i < b.size()) {
    if (b[i] == '#') {
      while (i < b.size() && b[i] != '\n') ++i;
    } else if (std::isspace(b[i])) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

// stb does not notice a binary PGM/PPM whose pixel data is cut short (it
// reads zeros), so the length is checked here: the header's three numbers,
// one whitespace byte, then width * height * channels * (1 or 2) bytes.
Status checkPnmLength(std::span<const std::uint8_t> b, int w, int h) {
  const int channels = b[1] == '5' ? 1 : 3;
  std::size_t i = 2;
  long values[3] = {};
  for (long& v : values) {
    i = skipPnmSpace(b, i);
    std::size_t start = i;
    while (i < b.size() && std::isdigit(b[i]) && i - start < 9) v = v * 10 + (b[i++] - '0');
    if (i == start) return makeError(ErrorKind::Malformed, "PGM/PPM header is invalid");
  }
  if (i >= b.size() || !std::isspace(b[i])) return makeError(ErrorKind::Malformed, "PGM/PPM header is invalid");
  ++i;
  const std::uint64_t needed = static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h) * channels *
                               (values[2] > 255 ? 2u : 1u);
  if (b.size() - i < needed)
    return makeError(ErrorKind::Malformed, "PGM/PPM data is truncated: " + std::to_string(b.size() - i) + " of " +
                                               std::to_string(needed) + " bytes");
  return {};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<Frame> decodeImage(std::span<const std::uint8_t> bytes, const ImageLimits& limits) {
  if (bytes.empty()) return makeError(ErrorKind::Malformed, "image is empty (0 bytes)");
  if (bytes.size() > limits.maxFileBytes)
    return makeError(ErrorKind::TooLarge, "image is " + std::to_string(bytes.size()) + " bytes, more than the limit of " +
                                              std::to_string(limits.maxFileBytes));
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return makeError(ErrorKind::TooLarge, "image is too large for the decoder");
  ImageType type = sniff(bytes);
  if (type == ImageType::Unknown)
    return makeError(ErrorKind::Malformed, "not a PNG, JPEG or binary PGM/PPM image (unrecognised signature)");

  // A PNG's size is in its first chunk; stb refuses huge ones too, but under
  // a vaguer message.
  if (type == ImageType::Png && bytes.size() >= 24 && std::equal(bytes.begin() + 12, bytes.begin() + 16, "IHDR")) {
    auto be32 = [&](std::size_t i) {
      return static_cast<std::int64_t>(bytes[i]) << 24 | static_cast<std::int64_t>(bytes[i + 1]) << 16 |
             static_cast<std::int64_t>(bytes[i + 2]) << 8 | static_cast<std::int64_t>(bytes[i + 3]);
    };
    const std::int64_t pw = be32(16), ph = be32(20);
    if (auto st = checkFrameSize(pw, ph); !st) return makeError(st.error().kind, "PNG " + st.error().message);
    if (pw * ph > limits.maxPixels)
      return makeError(ErrorKind::TooLarge, "PNG image " + std::to_string(pw) + "x" + std::to_string(ph) +
                                                " exceeds the limit of " + std::to_string(limits.maxPixels) + " pixels");
  }

  int len = static_cast<int>(bytes.size());
  int w = 0, h = 0, comp = 0;
  // Dimensions come from the header alone; refuse huge ones before stb
  // allocates anything for them.
  if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &comp))
    return makeError(ErrorKind::Malformed, std::string(typeName(type)) + " header is invalid or truncated");
  if (auto st = checkFrameSize(w, h); !st) return makeError(st.error().kind, std::string(typeName(type)) + " " + st.error().message);
  if (static_cast<std::int64_t>(w) * h > limits.maxPixels)
    return makeError(ErrorKind::TooLarge, std::string(typeName(type)) + " image " + std::to_string(w) + "x" +
                                              std::to_string(h) + " exceeds the limit of " +
                                              std::to_string(limits.maxPixels) + " pixels");

  if (type == ImageType::Pnm)
    if (auto st = checkPnmLength(bytes, w, h); !st) return st.error();

  int dw = 0, dh = 0, dc = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(bytes.data(), len, &dw, &dh, &dc, 1),
                                                   stbi_image_free);
  if (!pixels) {
    const char* why = stbi_failure_reason();
    // stb tries its loaders in turn, so its last reason is only about the
    // real type for PNG (JPEG comes before it, PNM after).
    return makeError(ErrorKind::Malformed, std::string(typeName(type)) + " data is corrupt or truncated" +
                                               (why && type == ImageType::Png ? std::string(" (stb_image: ") + why + ")" : ""));
  }
  if (dw != w || dh != h)
    return makeError(ErrorKind::Malformed, std::string(typeName(type)) + " header and data disagree on the size");
  auto n = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
  return Frame::fromPixels(w, h, std::vector<std::uint8_t>(pixels.get(), pixels.get() + n));
}

Result<Frame> loadImageFile(const std::filesystem::path& file, const ImageLimits& limits) {
  std::error_code ec;
  auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status))
    return makeError(ErrorKind::NotFound, file.string() + ": no such file");
  if (!std::filesystem::is_regular_file(status))
    return makeError(ErrorKind::Invalid, file.string() + ": not a regular file");
  auto size = std::filesystem::file_size(file, ec);
  if (ec) return makeError(ErrorKind::Unavailable, file.string() + ": cannot read size: " + ec.message());
  if (size > limits.maxFileBytes)
    return makeError(ErrorKind::TooLarge, file.string() + ": " + std::to_string(size) +
                                              " bytes, more than the limit of " + std::to_string(limits.maxFileBytes));

  std::ifstream in(file, std::ios::binary);
  if (!in) return makeError(ErrorKind::Unavailable, file.string() + ": cannot open: " + std::strerror(errno));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::size_t>(in.gcount()) != bytes.size())
    return makeError(ErrorKind::Unavailable, file.string() + ": read " + std::to_string(in.gcount()) + " of " +
                                                 std::to_string(bytes.size()) + " bytes");
  auto frame = decodeImage(bytes, limits);
  if (!frame) return makeError(frame.error().kind, file.string() + ": " + frame.error().message);
  return frame;
}

bool isImageFileName(const std::filesystem::path& file) {
  std::string ext = lower(file.extension().string());
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".pgm" || ext == ".ppm";
}

ImageFilesSource::ImageFilesSource(std::vector<std::filesystem::path> files, bool loop, ImageLimits limits)
    : files_(std::move(files)), loop_(loop), limits_(limits) {
  description_ = "image files (" + std::to_string(files_.size()) + ")";
}

Result<std::vector<std::filesystem::path>> listImageFiles(const std::filesystem::path& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    return makeError(ErrorKind::NotFound, folder.string() + ": not a folder");
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (isImageFileName(it->path()) && it->is_regular_file(ec)) files.push_back(it->path());
  if (ec) return makeError(ErrorKind::NotFound, folder.string() + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<ImageFilesSource> ImageFilesSource::directory(const std::filesystem::path& folder, bool loop,
                                                     ImageLimits limits) {
  auto files = listImageFiles(folder);
  if (!files) return files.error();
  ImageFilesSource source(std::move(files).value(), loop, limits);
  source.description_ = "image folder " + folder.string() + " (" + std::to_string(source.size()) + " files)";
  return source;
}

Result<Frame> ImageFilesSource::next() {
  if (index_ >= files_.size()) {
    if (!loop_ || files_.empty()) return makeError(ErrorKind::NotFound, "no more images in " + description_);
    index_ = 0;
  }
  current_ = files_[index_++];
  return loadImageFile(current_, limits_);
}

std::string ImageFilesSource::describe() const { return description_; }

}  // namespace wms::handheld
