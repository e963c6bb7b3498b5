#include "ZbarScanner.h"

#include <zbar.h>

#include <stdexcept>

namespace wms::bench {
namespace {

ZbarSymbology fromZbar(zbar::zbar_symbol_type_t t) {
  switch (t) {
    case zbar::ZBAR_EAN8:
      return ZbarSymbology::Ean8;
    case zbar::ZBAR_EAN13:
      return ZbarSymbology::Ean13;
    case zbar::ZBAR_UPCA:
      return ZbarSymbology::UpcA;
    case zbar::ZBAR_UPCE:
      return ZbarSymbology::UpcE;
    case zbar::ZBAR_CODE128:
      return ZbarSymbology::Code128;
    case zbar::ZBAR_CODE39:
      return ZbarSymbology::Code39;
    case zbar::ZBAR_I25:
      return ZbarSymbology::Itf;
    case zbar::ZBAR_DATABAR:
      return ZbarSymbology::DataBar;
    case zbar::ZBAR_DATABAR_EXP:
      return ZbarSymbology::DataBarExpanded;
    case zbar::ZBAR_QRCODE:
      return ZbarSymbology::QrCode;
    default:
      return ZbarSymbology::Other;
  }
}

zbar::zbar_image_scanner_t* handle(void* p) {
  return static_cast<zbar::zbar_image_scanner_t*>(p);
}

}  // namespace

ZbarScanner::ZbarScanner() : scanner_(zbar::zbar_image_scanner_create()) {
  if (!scanner_) throw std::runtime_error("zbar_image_scanner_create failed");
  zbar::zbar_image_scanner_set_config(handle(scanner_), zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 1);
  zbar::zbar_image_scanner_set_config(handle(scanner_), zbar::ZBAR_ISBN10, zbar::ZBAR_CFG_ENABLE, 0);
  zbar::zbar_image_scanner_set_config(handle(scanner_), zbar::ZBAR_ISBN13, zbar::ZBAR_CFG_ENABLE, 0);
}

ZbarScanner::~ZbarScanner() {
  zbar::zbar_image_scanner_destroy(handle(scanner_));
}

std::vector<ZbarScanner::Symbol> ZbarScanner::scan(const GreyImage& image) {
  std::vector<Symbol> out;
  zbar::zbar_image_t* img = zbar::zbar_image_create();
  zbar::zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
  zbar::zbar_image_set_size(img, static_cast<unsigned>(image.width), static_cast<unsigned>(image.height));
  // zbar only reads the pixels; the image does not free them (no cleanup).
  zbar::zbar_image_set_data(img, image.pixels.data(), image.pixels.size(), nullptr);
  if (zbar::zbar_scan_image(handle(scanner_), img) > 0)
    for (const zbar::zbar_symbol_t* s = zbar::zbar_image_first_symbol(img); s; s = zbar::zbar_symbol_next(s))
      out.push_back({fromZbar(zbar::zbar_symbol_get_type(s)),
                     std::string(zbar::zbar_symbol_get_data(s), zbar::zbar_symbol_get_data_length(s))});
  zbar::zbar_image_destroy(img);
  return out;
}

}  // namespace wms::bench
