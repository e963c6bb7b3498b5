// Helpers shared by the labels test suites: example and fixture files, and
// reading barcodes back from a rendered label with ZXing.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Drawing.h"
#include "wms/labels/Label.h"
#include "wms/labels/PrintSpooler.h"
#include "wms/labels/Render.h"
#include "wms/labels/Template.h"

// Boost.Test prints the values it compares; these let it print our enums.
namespace wms {
inline std::ostream& operator<<(std::ostream& out, ErrorKind kind) {
  return out << toString(kind);
}
inline std::ostream& operator<<(std::ostream& out, SalesChannel c) {
  return out << toString(c);
}
}  // namespace wms
namespace wms::labels {
inline std::ostream& operator<<(std::ostream& out, JobState s) {
  return out << toString(s);
}
inline std::ostream& operator<<(std::ostream& out, Symbology s) {
  return out << toString(s);
}
inline std::ostream& operator<<(std::ostream& out, LabelSize s) {
  return out << toString(s);
}
inline std::ostream& operator<<(std::ostream& out, Dpi d) {
  return out << static_cast<int>(d);
}
}  // namespace wms::labels

namespace wms::labels::test {

// The error message of a failed result, "" for a good one (for test messages).
template <class T>
std::string why(const Result<T>& r) {
  return r.ok() ? std::string() : r.error().message;
}

std::filesystem::path sourcePath(const std::string& relative);  // under the source tree
std::string readText(const std::filesystem::path& file);

// The names (without .json) of every example under labels/examples/.
std::vector<std::string> exampleNames();
ShippingLabel exampleLabel(const std::string& name);

// Every size x dpi combination.
std::vector<Template> allTemplates();
std::string templateName(const Template& t);  // "4x6-203"

struct Decoded {
  bool found = false;
  std::string text;
  std::string symbologyIdentifier;  // "]C0", "]C1", "]Q1"...
  std::string ecLevel;              // QR Code: "L", "M", "Q" or "H"
  int count = 0;                    // symbols found in the region
};

// Decodes the one barcode expected in item's quiet zone (plus a few modules
// above and below) of the raster.
Decoded decodeBarcodeRegion(const Raster& raster, const BarcodeItem& item);

// Renders a module matrix into a raster at `scale` dots per module with its
// quiet zone (linear symbols 40 modules tall).
Raster rasterOf(const ModuleMatrix& matrix, Symbology symbology, int scale);
Decoded decodeWhole(const Raster& raster, Symbology symbology);

}  // namespace wms::labels::test
