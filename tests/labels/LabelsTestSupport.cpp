#define ZX_USE_UTF8
#include "LabelsTestSupport.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wms::labels::test {
namespace {

ZXing::BarcodeFormat formatOf(Symbology symbology) {
  return symbology == Symbology::QrCode ? ZXing::BarcodeFormat::QRCode : ZXing::BarcodeFormat::Code128;
}

// Why one region and one format at a time, with tryHarder off: Debian's
// ZXing 1.4.0 aborts the process (assert `lineCount() == 1` in
// Result::operator==) when ReadBarcodes sees a whole 300 dpi label with two
// Code 128 symbols on it; we saw it with tryHarder on and off. With one
// symbol in view and one format asked for, no two linear results are ever
// compared, and every symbol on every template decodes.
Decoded decode(const ZXing::ImageView& view, Symbology symbology) {
  ZXing::DecodeHints hints;
  hints.setFormats(formatOf(symbology));
  hints.setTryHarder(false);
  hints.setTryRotate(false);
  const ZXing::Results results = ZXing::ReadBarcodes(view, hints);
  Decoded out;
  out.count = static_cast<int>(results.size());
  if (!results.empty() && results.front().isValid()) {
    out.found = true;
    out.text = results.front().text();
    out.symbologyIdentifier = results.front().symbologyIdentifier();
    out.ecLevel = results.front().ecLevel();
  }
  return out;
}

}  // namespace

std::filesystem::path sourcePath(const std::string& relative) {
  return std::filesystem::path(WMS_SOURCE_DIR) / relative;
}

std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> exampleNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(sourcePath("labels/examples"))) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

ShippingLabel exampleLabel(const std::string& name) {
  auto label = parseLabelJson(readText(sourcePath("labels/examples/" + name + ".json")));
  if (!label) throw std::runtime_error("example " + name + " does not parse: " + label.error().message);
  return label.value();
}

std::vector<Template> allTemplates() {
  std::vector<Template> out;
  for (LabelSize size : {LabelSize::FourBySix, LabelSize::FourByFour, LabelSize::A6}) {
    for (Dpi dpi : {Dpi::D203, Dpi::D300}) out.push_back(makeTemplate(size, dpi));
  }
  return out;
}

std::string templateName(const Template& t) {
  return std::string(toString(t.size)) + "-" + std::to_string(t.dotsPerInch());
}

Decoded decodeBarcodeRegion(const Raster& raster, const BarcodeItem& item) {
  const ZXing::ImageView whole(raster.gray.data(), raster.width, raster.height, ZXing::ImageFormat::Lum);
  const int pad = 4 * item.moduleDots;
  const Box q = item.quietZone;
  return decode(whole.cropped(q.x, q.y - pad, q.width, q.height + 2 * pad), item.symbology);
}

Raster rasterOf(const ModuleMatrix& matrix, Symbology symbology, int scale) {
  const int quiet = quietZoneModules(symbology);
  Raster r;
  r.width = (matrix.width + 2 * quiet) * scale;
  r.height = matrix.isLinear() ? 40 * scale : (matrix.height + 2 * quiet) * scale;
  r.gray.assign(static_cast<std::size_t>(r.width) * r.height, 255);
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      const int mx = x / scale - quiet;
      const int my = matrix.isLinear() ? 0 : y / scale - quiet;
      if (mx >= 0 && mx < matrix.width && my >= 0 && my < matrix.height && matrix.at(mx, my)) {
        r.gray[static_cast<std::size_t>(y) * r.width + x] = 0;
      }
    }
  }
  return r;
}

Decoded decodeWhole(const Raster& raster, Symbology symbology) {
  return decode(ZXing::ImageView(raster.gray.data(), raster.width, raster.height, ZXing::ImageFormat::Lum),
                symbology);
}

}  // namespace wms::labels::test
