// The demo's warehouse contents, generated deterministically from a seed and
// the sample layouts: locations, a catalogue with real-looking GTINs, and
// the opening stock. Pure: returns CSV text, does no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wms/layouts/Layout.h"

namespace wms::demo {

struct DemoSku {
  std::string code;
  std::string description;
  std::string gtin;
  bool fresh = false;          // lot- and expiry-tracked
  std::vector<std::string> locations;
  std::int64_t openingQty = 0; // per location
};

struct DemoData {
  std::string locationsCsv;
  std::string catalogueCsv;
  std::string stockCsv;
  std::vector<DemoSku> skus;  // in popularity order: skus[0] sells most
};

// `dc` is the distribution centre's layout, `store` the store backroom's
// (its locations get kind "store"). The DC's floor and waist levels are pick
// faces, the levels above reserve; DOCK-1 and DOCK-2 are its dock doors.
// Every SKU is slotted in the DC; the first
// `storeSkus` are also stocked in the store. DC pick faces hold 40-160
// units each and store locations 40, times `stockScale` (a bigger day needs
// more stock).
DemoData generateDemoData(const layouts::Layout& dc, const layouts::Layout& store, int skuCount, int storeSkus,
                          std::uint64_t seed, int stockScale = 1);

// A GTIN-13 with a correct check digit, from a 12-digit body.
std::string gtin13(const std::string& body12);

}  // namespace wms::demo
