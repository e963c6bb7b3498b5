// Tests src/frames/ImageFile.cpp (and Frame.cpp): PNG, JPEG and PGM decode to
// luminance; every broken image is refused with a clear error; the file
// source walks a folder in order and survives bad files.
#define BOOST_TEST_MODULE handheld_frames
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "HandheldTestPrinting.h"
#include "wms/handheld/ImageFile.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::handheld;
namespace fs = std::filesystem;

namespace {

const fs::path kImages = fs::path(WMS_HANDHELD_FIXTURES) / "images";

std::vector<std::uint8_t> bytesOf(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_AUTO_TEST_CASE(frames_refuse_mismatched_or_oversized_pixel_buffers) {
  BOOST_TEST(Frame::fromPixels(4, 2, std::vector<std::uint8_t>(8)).ok());
  auto wrong = Frame::fromPixels(4, 2, std::vector<std::uint8_t>(7));
  BOOST_TEST_REQUIRE(!wrong.ok());
  BOOST_TEST(wrong.error().message == "frame 4x2 needs 8 bytes, got 7");
  BOOST_TEST(Frame::fromPixels(0, 2, {}).error().kind == ErrorKind::Invalid);
  BOOST_TEST(Frame::fromPixels(kMaxFrameSide + 1, 1, {}).error().kind == ErrorKind::TooLarge);
  BOOST_TEST(checkFrameSize(10000, 10000).error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(grey_png_pgm_and_jpeg_decode_to_the_same_luminance) {
  auto png = loadImageFile(kImages / "valid/gradient-grey.png");
  auto pgm = loadImageFile(kImages / "valid/gradient-grey.pgm");
  auto jpg = loadImageFile(kImages / "valid/gradient-grey.jpg");
  BOOST_TEST_REQUIRE(png.ok(), (png ? "" : png.error().message));
  BOOST_TEST_REQUIRE(pgm.ok());
  BOOST_TEST_REQUIRE(jpg.ok());
  BOOST_TEST(png->width() == 24);
  BOOST_TEST(png->height() == 16);
  for (int x = 0; x < 24; ++x) {
    BOOST_TEST(png->at(x, 5) == x * 10);
    BOOST_TEST(pgm->at(x, 5) == x * 10);
    BOOST_TEST(std::abs(jpg->at(x, 5) - x * 10) <= 6);  // lossy
  }
}

BOOST_AUTO_TEST_CASE(colour_images_become_luminance) {
  auto rgb = loadImageFile(kImages / "valid/gradient-rgb.png");
  BOOST_TEST_REQUIRE(rgb.ok());
  // r = 10x, g = 15y, b = 100: stb's weights are about 0.30/0.59/0.11.
  int expected = (77 * 100 + 150 * 45 + 29 * 100) >> 8;
  BOOST_TEST(std::abs(rgb->at(10, 3) - expected) <= 2);
}

BOOST_AUTO_TEST_CASE(every_broken_image_is_refused_with_an_error_naming_the_file) {
  int n = 0;
  for (const auto& entry : fs::directory_iterator(kImages / "broken")) {
    auto frame = loadImageFile(entry.path());
    BOOST_TEST_REQUIRE(!frame.ok(), entry.path().filename() << " decoded");
    BOOST_TEST(frame.error().message.rfind(entry.path().string() + ": ", 0) == 0, frame.error().message);
    ++n;
  }
  BOOST_TEST(n >= 10);
}

BOOST_AUTO_TEST_CASE(broken_images_get_the_specific_reason) {
  auto msg = [](const char* name) { return decodeImage(bytesOf(kImages / "broken" / name)).error(); };
  BOOST_TEST(msg("empty.png").message == "image is empty (0 bytes)");
  BOOST_TEST(msg("not-an-image.png").message ==
             "not a PNG, JPEG or binary PGM/PPM image (unrecognised signature)");
  BOOST_TEST(msg("gif-unsupported.gif").kind == ErrorKind::Malformed);
  BOOST_TEST(msg("ascii-pgm.pgm").kind == ErrorKind::Malformed);
  // The bomb is refused from its header, before anything is allocated for it.
  auto huge = msg("huge-dimensions.png");
  BOOST_TEST(huge.kind == ErrorKind::TooLarge);
  BOOST_TEST(huge.message.find("60000x60000") != std::string::npos, huge.message);
  BOOST_TEST(msg("truncated.png").message.rfind("PNG data is corrupt or truncated", 0) == 0);
  BOOST_TEST(msg("signature-only.png").message == "PNG header is invalid or truncated");
  BOOST_TEST(msg("zero-width.png").message == "PNG frame size 0x10 is empty");
  BOOST_TEST(msg("short-data.pgm").message == "PGM/PPM data is truncated: 100 of 384 bytes");
  BOOST_TEST(msg("sixteen-bit.ppm").message ==
             "PGM/PPM maximum value 526 is not 1-255 (16-bit files are not supported)");
  // stb does not check CRCs; given this file it copied output it had not
  // written yet (a reserved distance code) and, depending on the heap,
  // sometimes "decoded" it.
  BOOST_TEST(msg("corrupt-idat.png").message ==
             "PNG data is corrupt or truncated: chunk IDAT at byte 33 fails its CRC check");
  BOOST_TEST(msg("truncated.jpg").message.rfind("JPEG", 0) == 0);
  // stb_image would reserve a gigabyte for this one, and write past its
  // tables on the next: neither must reach it.
  BOOST_TEST(msg("chunk-claims-a-gigabyte.png").message ==
             "PNG chunk at byte 33 claims 1073741824 bytes, only 40 follow");
  BOOST_TEST(msg("huffman-overflow.jpg").message ==
             "JPEG structure is invalid: Huffman table at byte 177 has 4080 codes, at most 256");
}

BOOST_AUTO_TEST_CASE(limits_refuse_large_files_and_images_before_decoding) {
  ImageLimits tight;
  tight.maxPixels = 100;
  auto big = loadImageFile(kImages / "valid/gradient-grey.png", tight);
  BOOST_TEST_REQUIRE(!big.ok());
  BOOST_TEST(big.error().kind == ErrorKind::TooLarge);
  tight = ImageLimits{};
  tight.maxFileBytes = 10;
  BOOST_TEST(loadImageFile(kImages / "valid/gradient-grey.jpg", tight).error().kind == ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_CASE(missing_files_and_folders_are_not_found) {
  auto missing = loadImageFile("/nonexistent/frame.png");
  BOOST_TEST(missing.error().kind == ErrorKind::NotFound);
  BOOST_TEST(missing.error().message == "/nonexistent/frame.png: no such file");
  BOOST_TEST(loadImageFile(kImages).error().message == kImages.string() + ": not a regular file");
  BOOST_TEST(ImageFilesSource::directory("/nonexistent").error().kind == ErrorKind::NotFound);
}

BOOST_AUTO_TEST_CASE(directory_source_yields_image_files_in_name_order_and_skips_a_bad_one) {
  testsupport::TempDir dir("wms-frames");
  fs::copy_file(kImages / "valid/gradient-grey.png", dir / "b.png");
  fs::copy_file(kImages / "valid/gradient-grey.pgm", dir / "a.PGM");
  fs::copy_file(kImages / "broken/truncated.png", dir / "c.png");
  fs::copy_file(kImages / "valid/gradient-grey.jpg", dir / "d.jpeg");
  testsupport::writeFile(dir / "notes.txt", "not an image");

  auto source = ImageFilesSource::directory(dir.path());
  BOOST_TEST_REQUIRE(source.ok());
  BOOST_TEST(source->size() == 4u);
  BOOST_TEST(source->next().ok());
  BOOST_TEST(source->currentFile().filename() == "a.PGM");
  BOOST_TEST(source->next().ok());
  auto bad = source->next();
  BOOST_TEST(!bad.ok());
  BOOST_TEST(source->currentFile().filename() == "c.png");
  BOOST_TEST(source->next().ok());  // a bad file does not stop the source
  auto end = source->next();
  BOOST_TEST(end.error().kind == ErrorKind::NotFound);
}

BOOST_AUTO_TEST_CASE(a_looping_source_starts_again_and_an_empty_one_ends_at_once) {
  ImageFilesSource loop({kImages / "valid/gradient-grey.png"}, true);
  for (int i = 0; i < 3; ++i) BOOST_TEST(loop.next().ok());
  ImageFilesSource empty({}, true);
  BOOST_TEST(empty.next().error().kind == ErrorKind::NotFound);
}
