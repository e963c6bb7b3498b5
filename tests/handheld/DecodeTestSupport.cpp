#include "DecodeTestSupport.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "wms/handheld/ImageFile.h"

namespace wms::handheld::test {

Frame zxingSymbol(ZXing::BarcodeFormat format, const std::wstring& text, int scale, int canvasWidth,
                  int canvasHeight, int quarterTurns) {
  ZXing::BitMatrix m = ZXing::MultiFormatWriter(format).setMargin(10).encode(text, 0, 0);
  // Linear symbols come back one row high: give them height.
  const bool linear = m.height() == 1;
  const int mw = m.width() * scale, mh = linear ? 60 * scale : m.height() * scale;
  int w = std::max(canvasWidth, mw + 20), h = std::max(canvasHeight, mh + 20);
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h, 220);
  const int ox = (w - mw) / 2, oy = (h - mh) / 2;
  for (int y = 0; y < mh; ++y)
    for (int x = 0; x < mw; ++x)
      px[static_cast<std::size_t>(oy + y) * w + ox + x] = m.get(x / scale, linear ? 0 : y / scale) ? 20 : 235;
  for (int t = 0; t < quarterTurns % 4; ++t) {
    std::vector<std::uint8_t> r(px.size());
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        r[static_cast<std::size_t>(x) * h + (h - 1 - y)] = px[static_cast<std::size_t>(y) * w + x];
    px.swap(r);
    std::swap(w, h);
  }
  return Frame::fromPixels(w, h, std::move(px)).value();
}

Frame fixtureFrame(const std::filesystem::path& relative) {
  auto f = loadImageFile(kFixtures / relative);
  BOOST_TEST_REQUIRE(f.ok(), (f ? "" : f.error().message));
  return std::move(f).value();
}

std::string fixtureText(const std::filesystem::path& relative) {
  std::ifstream in(kFixtures / relative, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "missing fixture " << relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::chrono::milliseconds scaled(std::chrono::milliseconds limit) {
  const char* scale = std::getenv("WMS_TEST_TIME_SCALE");
  const int factor = scale ? std::atoi(scale) : 1;
  return factor > 1 ? limit * factor : limit;
}

DecoderOptions scaledOptions() {
  DecoderOptions o;
  o.timeout = scaled(o.timeout);
  return o;
}

Frame withMarker(const Frame& frame, std::string_view marker) {
  std::vector<std::uint8_t> px = frame.pixels();
  BOOST_TEST_REQUIRE(px.size() >= marker.size());
  std::memcpy(px.data(), marker.data(), marker.size());
  return Frame::fromPixels(frame.width(), frame.height(), std::move(px)).value();
}

}  // namespace wms::handheld::test
