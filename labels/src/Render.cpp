// cairo, pango and zlib are wrapped here; their failures become Internal
// errors and every handle is owned by a unique_ptr with its destroy function.
#include "wms/labels/Render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <memory>

namespace wms::labels {
namespace {

// Noto covers Latin incl. Vietnamese, Thai, Arabic and Hebrew; Noto Sans CJK
// covers Chinese (SC forms); DejaVu is the last resort. fontconfig falls
// back per character within this list.
constexpr const char* kFontFamilies =
    "Noto Sans, Noto Sans Thai, Noto Sans CJK SC, Noto Sans Arabic, "
    "Noto Sans Hebrew, DejaVu Sans";

struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;

struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
using ContextPtr = std::unique_ptr<PangoContext, GObjectDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;

struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
struct AttrListDeleter {
  void operator()(PangoAttrList* a) const { pango_attr_list_unref(a); }
};

Error cairoError(const char* what, cairo_status_t status) {
  return makeError(ErrorKind::Internal, std::string(what) + ": " + cairo_status_to_string(status));
}

void drawText(cairo_t* cr, PangoContext* context, const TextItem& t) {
  LayoutPtr layout(pango_layout_new(context));
  std::unique_ptr<PangoFontDescription, FontDescriptionDeleter> font(
      pango_font_description_from_string(kFontFamilies));
  pango_font_description_set_absolute_size(font.get(), static_cast<double>(t.fontDots) * PANGO_SCALE);
  pango_font_description_set_weight(font.get(), t.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), font.get());

  // Lines exactly lineHeight() apart, as the layout reserved them and as the
  // ZPL ^FB spacing places them, whatever the fonts' own line gaps.
  std::unique_ptr<PangoAttrList, AttrListDeleter> attrs(pango_attr_list_new());
  pango_attr_list_insert(attrs.get(),
                         pango_attr_line_height_new_absolute(lineHeight(t.fontDots) * PANGO_SCALE));
  pango_layout_set_attributes(layout.get(), attrs.get());

  pango_layout_set_width(layout.get(), t.box.width * PANGO_SCALE);
  pango_layout_set_height(layout.get(), -t.maxLines);  // at most maxLines lines, the last one ellipsized
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment(layout.get(), t.align == Align::Center  ? PANGO_ALIGN_CENTER
                                           : t.align == Align::Right ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_LEFT);
  pango_layout_set_text(layout.get(), t.text.data(), static_cast<int>(t.text.size()));

  cairo_save(cr);
  // Whatever the font does (tall Thai stacks, a glyph wider than the box),
  // nothing leaves the box: barcodes and other text stay clean.
  cairo_rectangle(cr, t.box.x, t.box.y, t.box.width, t.box.height);
  cairo_clip(cr);
  cairo_move_to(cr, t.box.x, t.box.y);
  pango_cairo_show_layout(cr, layout.get());
  cairo_restore(cr);
}

void drawBarcode(cairo_t* cr, const BarcodeItem& b) {
  const ModuleMatrix& m = b.matrix;
  const int rowHeight = m.isLinear() ? b.barHeightDots : b.moduleDots;
  for (int row = 0; row < m.height; ++row) {
    // One rectangle per run of dark modules, on whole dots.
    int x = 0;
    while (x < m.width) {
      if (!m.at(x, row)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < m.width && m.at(end, row)) ++end;
      cairo_rectangle(cr, b.x + x * b.moduleDots, b.y + row * rowHeight, (end - x) * b.moduleDots, rowHeight);
      x = end;
    }
  }
  cairo_fill(cr);
}

Status draw(cairo_t* cr, const Drawing& d) {
  for (const Box& r : d.rules) cairo_rectangle(cr, r.x, r.y, r.width, r.height);
  cairo_fill(cr);
  for (const BarcodeItem& b : d.barcodes) drawBarcode(cr, b);
  if (!d.texts.empty()) {
    ContextPtr context(pango_cairo_create_context(cr));
    if (!context) return makeError(ErrorKind::Internal, "pango could not create a context");
    for (const TextItem& t : d.texts) drawText(cr, context.get(), t);
  }
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    return cairoError("drawing the label failed", cairo_status(cr));
  return {};
}

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void putBigEndian(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>(value >> 16));
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value));
}

void putChunk(std::string& out, const char* type, const std::string& data) {
  putBigEndian(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t crcStart = out.size();
  out.append(type, 4);
  out += data;
  const auto* bytes = reinterpret_cast<const Bytef*>(out.data() + crcStart);
  putBigEndian(out, static_cast<std::uint32_t>(crc32(0L, bytes, static_cast<uInt>(out.size() - crcStart))));
}

}  // namespace

Result<Raster> rasterize(const Drawing& drawing) {
  if (drawing.widthDots <= 0 || drawing.heightDots <= 0 || drawing.widthDots > 10000 ||
      drawing.heightDots > 10000) {
    return makeError(ErrorKind::Invalid, "drawing size " + std::to_string(drawing.widthDots) + " x " +
                                             std::to_string(drawing.heightDots) + " dots is out of range");
  }
  // A8: one byte of ink coverage per dot, a quarter of the work of RGB.
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_A8, drawing.widthDots, drawing.heightDots));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairoError("cannot create the image", cairo_surface_status(surface.get()));
  }
  {
    CairoPtr cr(cairo_create(surface.get()));
    cairo_set_source_rgba(cr.get(), 0, 0, 0, 1);
    if (auto s = draw(cr.get(), drawing); !s) return s.error();
  }
  cairo_surface_flush(surface.get());
  Raster raster;
  raster.width = drawing.widthDots;
  raster.height = drawing.heightDots;
  raster.gray.resize(static_cast<std::size_t>(raster.width) * raster.height);
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < raster.height; ++y) {
    const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    std::uint8_t* out = raster.gray.data() + static_cast<std::size_t>(y) * raster.width;
    for (int x = 0; x < raster.width; ++x) out[x] = static_cast<std::uint8_t>(255 - row[x]);
  }
  return raster;
}

Result<std::string> encodePng(const Raster& raster, Dpi dpi) {
  if (raster.width <= 0 || raster.height <= 0 ||
      raster.gray.size() != static_cast<std::size_t>(raster.width) * raster.height) {
    return makeError(ErrorKind::Invalid, "raster size does not match its pixel data");
  }
  // Each row is stored with filter type 0 (none): label images are mostly
  // long white runs that deflate well as they are, and it keeps this fast.
  const std::size_t rowBytes = static_cast<std::size_t>(raster.width) + 1;
  std::string filtered(rowBytes * raster.height, '\0');
  for (int y = 0; y < raster.height; ++y) {
    std::memcpy(filtered.data() + y * rowBytes + 1,
                raster.gray.data() + static_cast<std::size_t>(y) * raster.width, raster.width);
  }
  uLongf compressedSize = compressBound(static_cast<uLong>(filtered.size()));
  std::string compressed(compressedSize, '\0');
  const int rc = compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressedSize,
                           reinterpret_cast<const Bytef*>(filtered.data()),
                           static_cast<uLong>(filtered.size()), Z_BEST_SPEED);
  if (rc != Z_OK)
    return makeError(ErrorKind::Internal, "zlib compress2 failed with code " + std::to_string(rc));
  compressed.resize(compressedSize);

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  putBigEndian(header, static_cast<std::uint32_t>(raster.width));
  putBigEndian(header, static_cast<std::uint32_t>(raster.height));
  header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grayscale, deflate, no interlace
  putChunk(png, "IHDR", header);
  // pHYs in dots per metre, so a viewer or laser printer prints the label
  // at its real size.
  std::string physical;
  const auto perMetre = static_cast<std::uint32_t>(static_cast<int>(dpi) / 0.0254 + 0.5);
  putBigEndian(physical, perMetre);
  putBigEndian(physical, perMetre);
  physical.push_back('\x01');
  putChunk(png, "pHYs", physical);
  putChunk(png, "IDAT", compressed);
  putChunk(png, "IEND", std::string());
  return png;
}

Result<std::string> drawingToPng(const Drawing& drawing) {
  auto raster = rasterize(drawing);
  if (!raster) return raster.error();
  return encodePng(raster.value(), drawing.dpi);
}

Result<std::string> drawingsToPdf(const std::vector<Drawing>& drawings) {
  if (drawings.empty()) return makeError(ErrorKind::Invalid, "a PDF needs at least one page");
  std::string out;
  const auto points = [](int dotsValue, Dpi dpi) { return dotsValue * 72.0 / static_cast<int>(dpi); };
  SurfacePtr surface(cairo_pdf_surface_create_for_stream(appendToString, &out,
                                                         points(drawings[0].widthDots, drawings[0].dpi),
                                                         points(drawings[0].heightDots, drawings[0].dpi)));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairoError("cannot create the PDF", cairo_surface_status(surface.get()));
  }
  {
    CairoPtr cr(cairo_create(surface.get()));
    for (const Drawing& d : drawings) {
      if (d.widthDots <= 0 || d.heightDots <= 0)
        return makeError(ErrorKind::Invalid, "a PDF page has no size");
      cairo_pdf_surface_set_size(surface.get(), points(d.widthDots, d.dpi), points(d.heightDots, d.dpi));
      cairo_save(cr.get());
      // Draw in printer dots, exactly as for the raster.
      const double scale = 72.0 / static_cast<int>(d.dpi);
      cairo_scale(cr.get(), scale, scale);
      cairo_set_source_rgb(cr.get(), 0, 0, 0);
      if (auto s = draw(cr.get(), d); !s) return s.error();
      cairo_restore(cr.get());
      cairo_show_page(cr.get());
    }
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return cairoError("writing the PDF failed", cairo_surface_status(surface.get()));
  }
  surface.reset();
  return out;
}

int missingGlyphCount(std::string_view text) {
  if (text.empty()) return 0;
  ContextPtr context(pango_font_map_create_context(pango_cairo_font_map_get_default()));
  LayoutPtr layout(pango_layout_new(context.get()));
  std::unique_ptr<PangoFontDescription, FontDescriptionDeleter> font(
      pango_font_description_from_string(kFontFamilies));
  pango_font_description_set_absolute_size(font.get(), 20.0 * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font.get());
  const std::string clean = sanitizeForPrint(text);
  pango_layout_set_text(layout.get(), clean.data(), static_cast<int>(clean.size()));
  return pango_layout_get_unknown_glyphs_count(layout.get());
}

Result<std::string> renderPng(const ShippingLabel& label, const Template& tmpl) {
  auto drawing = layoutShippingLabel(label, tmpl);
  if (!drawing) return drawing.error();
  return drawingToPng(drawing.value());
}

Result<std::string> renderPdf(const ShippingLabel& label, const Template& tmpl) {
  auto drawing = layoutShippingLabel(label, tmpl);
  if (!drawing) return drawing.error();
  return drawingsToPdf({drawing.value()});
}

}  // namespace wms::labels
