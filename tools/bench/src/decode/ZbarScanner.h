// zbar's image scanner (libzbar), the decode benchmark's second baseline,
// wrapped once. zbar's headers stay in ZbarScanner.cpp: their C++ part
// clashes with ZXing's error macros.
#pragma once

#include <string>
#include <vector>

#include "CameraFrames.h"

namespace wms::bench {

// The symbologies the benchmark compares (zbar has no DataMatrix reader).
enum class ZbarSymbology {
  Other,
  Ean8,
  Ean13,
  UpcA,
  UpcE,
  Code128,
  Code39,
  Itf,
  DataBar,
  DataBarExpanded,
  QrCode
};

// Every symbology zbar knows switched on (as plain ZXing gets all of its
// formats), ISBN off (it would rename EAN-13s starting 978/979), its
// defaults otherwise (every row and column scanned). Not thread-safe; not
// copyable.
class ZbarScanner {
 public:
  ZbarScanner();  // throws std::runtime_error if zbar cannot make a scanner
  ~ZbarScanner();
  ZbarScanner(const ZbarScanner&) = delete;
  ZbarScanner& operator=(const ZbarScanner&) = delete;

  struct Symbol {
    ZbarSymbology type = ZbarSymbology::Other;
    std::string text;
  };
  // Every symbol zbar finds in `image`.
  std::vector<Symbol> scan(const GreyImage& image);

 private:
  void* scanner_;  // zbar_image_scanner_t
};

}  // namespace wms::bench
