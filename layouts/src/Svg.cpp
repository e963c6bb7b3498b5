#include "wms/layouts/Svg.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "LayoutData.h"

namespace wms::layouts {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

class Canvas {
 public:
  Canvas(double scale, Millimetres depth) : scale_(scale), depth_(depth) {}
  // Millimetres to pixels; y flipped so that the front of the site is at the bottom.
  double px(Millimetres v) const { return static_cast<double>(v) / 1000.0 * scale_; }
  double X(Millimetres x) const { return px(x) + margin; }
  double Y(Millimetres y) const { return px(depth_ - y) + margin; }
  std::string num(double v) const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
  }
  void rect(std::string& out, Millimetres x0, Millimetres y0, Millimetres x1, Millimetres y1, const std::string& style,
            const std::string& extra = {}) const {
    out += "<rect x=\"" + num(X(std::min(x0, x1))) + "\" y=\"" + num(Y(std::max(y0, y1))) + "\" width=\"" +
           num(px(std::abs(x1 - x0))) + "\" height=\"" + num(px(std::abs(y1 - y0))) + "\" " + style + extra + "/>\n";
  }
  void text(std::string& out, double x, double y, std::string_view s, const std::string& style) const {
    out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" " + style + ">" + escape(s) + "</text>\n";
  }
  static constexpr double margin = 24;

 private:
  double scale_;
  Millimetres depth_;
};

// Heat colour from pale yellow (few picks) to dark red (the most).
std::string heatColour(double t) {
  t = std::clamp(t, 0.0, 1.0);
  int r = static_cast<int>(255 - 80 * t), g = static_cast<int>(240 - 220 * t), b = static_cast<int>(160 - 140 * t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
  return buf;
}

}  // namespace

std::string renderSvg(const Layout& layout, const SvgOptions& options) {
  if (!(options.pixelsPerMetre > 0) || options.pixelsPerMetre > 1000) {
    throw std::invalid_argument("renderSvg: pixelsPerMetre must be in (0, 1000]");
  }
  const auto& d = layout.data();
  const Millimetres W = static_cast<Millimetres>(d.site.width * 1000.0 + 0.5);
  const Millimetres D = static_cast<Millimetres>(d.site.depth * 1000.0 + 0.5);
  Canvas cv(options.pixelsPerMetre, D);
  const double width = cv.px(W) + 2 * Canvas::margin, height = cv.px(D) + 2 * Canvas::margin;

  // Pick counts per bay face: (aisle, bay) summed over levels.
  std::map<std::pair<int, int>, std::uint64_t> heat;
  std::uint64_t maxHeat = 0;
  for (const auto& h : options.heat) {
    const Location& loc = layout.location(h.location);
    auto& v = heat[{loc.aisle, loc.bay}];
    v += h.picks;
    maxHeat = std::max(maxHeat, v);
  }

  std::string out;
  out.reserve(64 * 1024);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + cv.num(width) + "\" height=\"" +
         cv.num(height) + "\" viewBox=\"0 0 " + cv.num(width) + " " + cv.num(height) + "\">\n";
  out += "<title>" + escape(d.site.code) + (d.site.name.empty() ? "" : " " + escape(d.site.name)) + "</title>\n";
  out += "<g id=\"site\">\n";
  cv.rect(out, 0, 0, W, D, "fill=\"#ffffff\" stroke=\"#333333\" stroke-width=\"1.5\"");
  out += "</g>\n<g id=\"cross-aisles\">\n";
  for (const auto& c : d.crossAisles) {
    cv.rect(out, 0, c.y - c.width / 2, W, c.y + c.width / 2, "fill=\"#eef3f8\" stroke=\"none\"");
    if (options.labels) {
      cv.text(out, cv.X(0) + 4, cv.Y(c.y) + 4, c.name, "font-family=\"sans-serif\" font-size=\"10\" fill=\"#557\"");
    }
  }
  out += "</g>\n<g id=\"racks\">\n";
  for (std::size_t a = 0; a < d.aisles.size(); ++a) {
    const Aisle& aisle = d.aisles[a];
    for (std::size_t b = 0; b < d.blocks.size(); ++b) {
      const SectionInfo& s = d.section(a, b);
      if (s.baysPerSide == 0) continue;
      const Block& blk = d.blocks[b];
      for (int side = 0; side < 2; ++side) {
        if (side == 0 && aisle.sides == RackSides::Right) continue;
        if (side == 1 && aisle.sides == RackSides::Left) continue;
        const Millimetres inner = side == 0 ? aisle.x - aisle.width / 2 : aisle.x + (aisle.width + 1) / 2;
        const Millimetres outer = side == 0 ? inner - d.rackDepth : inner + d.rackDepth;
        for (int k = 1; k <= s.baysPerSide; ++k) {
          const int bay = 2 * (d.firstPosition[b] + k - 1) - 1 + side;
          const Millimetres y0 = blk.rackStart + Millimetres(k - 1) * d.bayWidth;
          std::string fill = "#d9d2c3";
          std::string title;
          if (maxHeat > 0) {
            auto it = heat.find({int(a), bay});
            const std::uint64_t v = it == heat.end() ? 0 : it->second;
            fill = v == 0 ? "#f2f2f2" : heatColour(static_cast<double>(v) / static_cast<double>(maxHeat));
            char buf[64];
            std::snprintf(buf, sizeof buf, "%02d-%02d: %llu picks", aisle.number, bay,
                          static_cast<unsigned long long>(v));
            title = buf;
          }
          std::string extra;
          if (!title.empty()) extra = "><title>" + escape(title) + "</title></rect";
          cv.rect(out, std::min(inner, outer), y0, std::max(inner, outer), y0 + d.bayWidth,
                  "fill=\"" + fill + "\" stroke=\"#8a8070\" stroke-width=\"0.5\"", extra);
        }
      }
    }
    if (options.labels) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%02d", aisle.number);
      cv.text(out, cv.X(aisle.x), cv.Y(d.rowY.front()) + 4, buf,
              "font-family=\"sans-serif\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222\"");
    }
  }
  out += "</g>\n";
  if (options.labels) {
    // Zone codes at the middle of each zone's first section.
    out += "<g id=\"zones\">\n";
    for (std::size_t z = 0; z < d.zones.size(); ++z) {
      Millimetres minX = 0, maxX = 0, minY = 0, maxY = 0;
      bool any = false;
      for (std::size_t a = 0; a < d.aisles.size(); ++a) {
        for (std::size_t b = 0; b < d.blocks.size(); ++b) {
          const SectionInfo& s = d.section(a, b);
          if (s.zone != int(z) || s.baysPerSide == 0) continue;
          const Millimetres x0 = d.aisles[a].x - d.aisles[a].width / 2 - d.rackDepth;
          const Millimetres x1 = d.aisles[a].x + d.aisles[a].width / 2 + d.rackDepth;
          const Millimetres y0 = d.blocks[b].rackStart, y1 = y0 + Millimetres(s.baysPerSide) * d.bayWidth;
          minX = any ? std::min(minX, x0) : x0;
          maxX = any ? std::max(maxX, x1) : x1;
          minY = any ? std::min(minY, y0) : y0;
          maxY = any ? std::max(maxY, y1) : y1;
          any = true;
        }
      }
      if (!any) continue;
      cv.rect(out, minX, minY, maxX, maxY,
              "fill=\"none\" stroke=\"#4a7\" stroke-width=\"1\" stroke-dasharray=\"4 3\"");
      cv.text(out, cv.X((minX + maxX) / 2), cv.Y(maxY) - 3, "zone " + d.zones[z].code,
              "font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\" fill=\"#275\"");
    }
    out += "</g>\n";
  }
  out += "<g id=\"places\">\n";
  for (std::size_t i = 0; i < d.places.size(); ++i) {
    const Place& p = d.places[i];
    const std::string colour = i == 0 ? "#1565c0" : "#6a1b9a";
    out += "<rect x=\"" + cv.num(cv.X(p.at.x) - 5) + "\" y=\"" + cv.num(cv.Y(p.at.y) - 5) +
           "\" width=\"10\" height=\"10\" fill=\"" + colour + "\"><title>" + escape(p.name) + "</title></rect>\n";
    if (options.labels) {
      cv.text(out, cv.X(p.at.x), cv.Y(p.at.y) + 16, p.name,
              "font-family=\"sans-serif\" font-size=\"10\" text-anchor=\"middle\" fill=\"" + colour + "\"");
    }
  }
  out += "</g>\n";
  if (options.route) {
    const Route& r = *options.route;
    out += "<g id=\"route\" data-method=\"" + std::string(toString(r.method)) + "\">\n";
    if (r.path.size() >= 2) {
      out += "<polyline fill=\"none\" stroke=\"#d32f2f\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"";
      for (const Point& p : r.path) out += cv.num(cv.X(p.x)) + "," + cv.num(cv.Y(p.y)) + " ";
      out += "\"/>\n";
    }
    for (std::size_t i = 0; i < r.stops.size(); ++i) {
      const Location& loc = layout.location(r.stops[i]);
      out += "<circle cx=\"" + cv.num(cv.X(loc.pick.x)) + "\" cy=\"" + cv.num(cv.Y(loc.pick.y)) +
             "\" r=\"3.5\" fill=\"#d32f2f\"><title>" + std::to_string(i + 1) + ": " + escape(loc.code) +
             "</title></circle>\n";
    }
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace wms::layouts
