#include "wms/handheld/ImageFile.h"

#include <stb/stb_image.h>
#include <zlib.h>

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
  if (b.size() >= sizeof kPng && std::equal(std::begin(kPng), std::end(kPng), b.begin()))
    return ImageType::Png;
  if (b.size() >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) return ImageType::Jpeg;
  // Binary PGM (P5) and PPM (P6) only: stb has no reader for the ASCII kinds.
  if (b.size() >= 3 && b[0] == 'P' && (b[1] == '5' || b[1] == '6') && std::isspace(b[2]))
    return ImageType::Pnm;
  return ImageType::Unknown;
}

const char* typeName(ImageType t) {
  switch (t) {
    case ImageType::Png:
      return "PNG";
    case ImageType::Jpeg:
      return "JPEG";
    case ImageType::Pnm:
      return "PGM/PPM";
    case ImageType::Unknown:
      break;
  }
  return "unknown";
}

// Skips whitespace and '#' comments in a PNM header. A comment ends at CR or
// LF, as stb_image reads it: the two readers must agree on every number.
std::size_t skipPnmSpace(std::span<const std::uint8_t> b, std::size_t i) {
  while (i < b.size()) {
    if (b[i] == '#') {
      while (i < b.size() && b[i] != '\n' && b[i] != '\r') ++i;
    } else if (std::isspace(b[i])) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

// stb does not notice a binary PGM/PPM whose pixel data is cut short (it
// reads zeros) and overflows an int on long numbers, so the header is read
// here: three numbers, one whitespace byte, then width * height * channels
// bytes of pixels.
Status checkPnm(std::span<const std::uint8_t> b, const ImageLimits& limits) {
  const int channels = b[1] == '5' ? 1 : 3;
  std::size_t i = 2;
  std::int64_t values[3] = {};
  for (std::int64_t& v : values) {
    i = skipPnmSpace(b, i);
    std::size_t start = i;
    while (i < b.size() && std::isdigit(b[i])) {
      if (i - start >= 6) return makeError(ErrorKind::Malformed, "PGM/PPM header number is too long");
      v = v * 10 + (b[i++] - '0');
    }
    if (i == start) return makeError(ErrorKind::Malformed, "PGM/PPM header is invalid or truncated");
  }
  if (i >= b.size() || !std::isspace(b[i]))
    return makeError(ErrorKind::Malformed, "PGM/PPM header is invalid or truncated");
  ++i;
  if (auto st = checkFrameSize(values[0], values[1]); !st)
    return makeError(st.error().kind, "PGM/PPM " + st.error().message);
  if (values[0] * values[1] > limits.maxPixels)
    return makeError(ErrorKind::TooLarge, "PGM/PPM image " + std::to_string(values[0]) + "x" +
                                              std::to_string(values[1]) + " exceeds the limit of " +
                                              std::to_string(limits.maxPixels) + " pixels");
  // 16-bit files are refused: Debian's stb_image converts them to grey with
  // its 8-bit code and reads past the buffer (found by fuzz_handheld_image).
  if (values[2] < 1 || values[2] > 255)
    return makeError(ErrorKind::Malformed, "PGM/PPM maximum value " + std::to_string(values[2]) +
                                               " is not 1-255 (16-bit files are not supported)");
  const auto needed = static_cast<std::uint64_t>(values[0] * values[1] * channels);
  if (b.size() - i < needed)
    return makeError(ErrorKind::Malformed, "PGM/PPM data is truncated: " + std::to_string(b.size() - i) +
                                               " of " + std::to_string(needed) + " bytes");
  return {};
}

// Debian's stb_image (2022) trusts a JPEG Huffman table's code counts and
// writes past its 256-entry arrays when they sum higher (found by
// fuzz_handheld_image). stb reads a table wherever the bytes FF C4 reach its
// marker reader (after fill bytes, between scans, ...), so rather than
// guess which ones it will see, every FF C4 in the file is read the way stb
// reads a DHT segment, and any table with too many codes refuses the file.
// Valid entropy-coded data never contains FF C4.
Status checkJpegTables(std::span<const std::uint8_t> b) {
  auto at = [&](std::size_t i) -> unsigned { return i < b.size() ? b[i] : 0u; };  // stb reads 0 past the end
  for (std::size_t i = 0; i + 1 < b.size(); ++i) {
    if (b[i] != 0xff || b[i + 1] != 0xc4) continue;
    long left = static_cast<long>(at(i + 2) << 8 | at(i + 3)) - 2;
    std::size_t p = i + 4;
    while (left > 0 && p < b.size()) {
      const unsigned id = at(p++);
      if ((id >> 4) > 1 || (id & 15) > 3) break;  // stb refuses this table itself
      unsigned codes = 0;
      for (int k = 0; k < 16; ++k) codes += at(p++);
      if (codes > 256)
        return makeError(ErrorKind::Malformed, "JPEG structure is invalid: Huffman table at byte " +
                                                   std::to_string(p - 17) + " has " + std::to_string(codes) +
                                                   " codes, at most 256");
      p += codes;
      left -= 17 + static_cast<long>(codes);
    }
  }
  return {};
}

// stb_image allocates for a PNG chunk's declared length before it checks
// that the data is there: a 100-byte file could make it reserve gigabytes
// (found by fuzz_handheld_image). Chunk lengths are checked against the
// bytes actually present first. stb ignores the chunks' CRCs; they are
// checked here, since damage in transit or on disk is what they catch.
// A chunk type for a message: four letters, anything else shown as '?'.
std::string printable(std::string type) {
  for (auto& c : type)
    if (!std::isalpha(static_cast<unsigned char>(c))) c = '?';
  return type;
}

Status checkPngChunks(std::span<const std::uint8_t> b) {
  std::size_t pos = 8;  // after the signature
  while (pos + 8 <= b.size()) {
    const std::uint64_t len = static_cast<std::uint64_t>(b[pos]) << 24 |
                              static_cast<std::uint64_t>(b[pos + 1]) << 16 |
                              static_cast<std::uint64_t>(b[pos + 2]) << 8 | b[pos + 3];
    if (len > b.size() - pos - 8)
      return makeError(ErrorKind::Malformed, "PNG chunk at byte " + std::to_string(pos) + " claims " +
                                                 std::to_string(len) + " bytes, only " +
                                                 std::to_string(b.size() - pos - 8) + " follow");
    const std::string type(b.begin() + static_cast<std::ptrdiff_t>(pos + 4),
                           b.begin() + static_cast<std::ptrdiff_t>(pos + 8));
    if (len + 12 > b.size() - pos)
      return makeError(ErrorKind::Malformed, "PNG data is corrupt or truncated: chunk " + printable(type) +
                                                 " at byte " + std::to_string(pos) + " has no CRC");
    const auto stored = static_cast<std::uint32_t>(b[pos + 8 + len]) << 24 |
                        static_cast<std::uint32_t>(b[pos + 9 + len]) << 16 |
                        static_cast<std::uint32_t>(b[pos + 10 + len]) << 8 | b[pos + 11 + len];
    // The CRC covers the chunk type and data.
    const auto computed = static_cast<std::uint32_t>(::crc32(0L, b.data() + pos + 4, static_cast<uInt>(len + 4)));
    if (stored != computed)
      return makeError(ErrorKind::Malformed, "PNG data is corrupt or truncated: chunk " + printable(type) +
                                                 " at byte " + std::to_string(pos) + " fails its CRC check");
    if (type == "IEND") return {};
    pos += 12 + len;  // length, type, data, CRC
  }
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
    return makeError(ErrorKind::TooLarge, "image is " + std::to_string(bytes.size()) +
                                              " bytes, more than the limit of " +
                                              std::to_string(limits.maxFileBytes));
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return makeError(ErrorKind::TooLarge, "image is too large for the decoder");
  ImageType type = sniff(bytes);
  if (type == ImageType::Unknown)
    return makeError(ErrorKind::Malformed,
                     "not a PNG, JPEG or binary PGM/PPM image (unrecognised signature)");

  // A PNG's size is in its first chunk; stb refuses huge ones too, but under
  // a vaguer message.
  if (type == ImageType::Png && bytes.size() >= 24 &&
      std::equal(bytes.begin() + 12, bytes.begin() + 16, "IHDR")) {
    auto be32 = [&](std::size_t i) {
      return static_cast<std::int64_t>(bytes[i]) << 24 | static_cast<std::int64_t>(bytes[i + 1]) << 16 |
             static_cast<std::int64_t>(bytes[i + 2]) << 8 | static_cast<std::int64_t>(bytes[i + 3]);
    };
    const std::int64_t pw = be32(16), ph = be32(20);
    if (auto st = checkFrameSize(pw, ph); !st) return makeError(st.error().kind, "PNG " + st.error().message);
    if (pw * ph > limits.maxPixels)
      return makeError(ErrorKind::TooLarge, "PNG image " + std::to_string(pw) + "x" + std::to_string(ph) +
                                                " exceeds the limit of " + std::to_string(limits.maxPixels) +
                                                " pixels");
  }

  if (type == ImageType::Png)
    if (auto st = checkPngChunks(bytes); !st) return st.error();
  if (type == ImageType::Jpeg)
    if (auto st = checkJpegTables(bytes); !st) return st.error();
  if (type == ImageType::Pnm)
    if (auto st = checkPnm(bytes, limits); !st) return st.error();

  int len = static_cast<int>(bytes.size());
  int w = 0, h = 0, comp = 0;
  // Dimensions come from the header alone; refuse huge ones before stb
  // allocates anything for them.
  if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &comp))
    return makeError(ErrorKind::Malformed, std::string(typeName(type)) + " header is invalid or truncated");
  if (auto st = checkFrameSize(w, h); !st)
    return makeError(st.error().kind, std::string(typeName(type)) + " " + st.error().message);
  if (static_cast<std::int64_t>(w) * h > limits.maxPixels)
    return makeError(ErrorKind::TooLarge, std::string(typeName(type)) + " image " + std::to_string(w) + "x" +
                                              std::to_string(h) + " exceeds the limit of " +
                                              std::to_string(limits.maxPixels) + " pixels");

  int dw = 0, dh = 0, dc = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(bytes.data(), len, &dw, &dh, &dc, 1),
                                                   stbi_image_free);
  if (!pixels) {
    const char* why = stbi_failure_reason();
    // stb tries its loaders in turn, so its last reason is only about the
    // real type for PNG (JPEG comes before it, PNM after).
    return makeError(ErrorKind::Malformed,
                     std::string(typeName(type)) + " data is corrupt or truncated" +
                         (why && type == ImageType::Png ? std::string(" (stb_image: ") + why + ")" : ""));
  }
  if (dw != w || dh != h)
    return makeError(ErrorKind::Malformed,
                     std::string(typeName(type)) + " header and data disagree on the size");
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
                                              " bytes, more than the limit of " +
                                              std::to_string(limits.maxFileBytes));

  std::ifstream in(file, std::ios::binary);
  if (!in) return makeError(ErrorKind::Unavailable, file.string() + ": cannot open: " + std::strerror(errno));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::size_t>(in.gcount()) != bytes.size())
    return makeError(ErrorKind::Unavailable, file.string() + ": read " + std::to_string(in.gcount()) +
                                                 " of " + std::to_string(bytes.size()) + " bytes");
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

std::string ImageFilesSource::describe() const {
  return description_;
}

}  // namespace wms::handheld
