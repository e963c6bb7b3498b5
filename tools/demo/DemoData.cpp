#include "DemoData.h"

#include <algorithm>
#include <random>
#include <set>

#include "wms/domain/Catalog.h"
#include "wms/gs1/Gs1.h"

namespace wms::demo {
namespace {

const char* kProducts[] = {"Jasmine rice 5kg",  "Instant noodles 5-pack", "Coconut milk 400ml", "Fish sauce 700ml",
                           "Green tea 20 bags", "Dried mango 200g",       "Shampoo 400ml",      "Toothpaste 160g",
                           "Phone case",        "USB-C cable 1m",         "Power bank 10000mAh", "Bluetooth earbuds",
                           "Cotton T-shirt M",  "Batik sarong",           "Running socks",      "Water bottle 750ml",
                           "Sunscreen SPF50",   "Face mask 10-pack",      "Baby wipes 80",      "Kaya jam 250g"};
const char* kFresh[] = {"Fresh milk 1L", "Yoghurt 4-pack", "Chicken breast 500g", "Tofu 300g", "Durian cake"};

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string gtin13(const std::string& body12) {
  return body12 + std::to_string(gs1::checkDigit(body12));
}

DemoData generateDemoData(const layouts::Layout& dc, const layouts::Layout& store, int skuCount, int storeSkus,
                          std::uint64_t seed, int stockScale) {
  std::mt19937_64 rng(seed);
  DemoData out;

  out.locationsCsv = "code,zone,kind\n";
  std::vector<std::string> dcCodes, storeCodes;
  for (const auto& l : dc.locations()) {
    // Floor and waist levels are the pick faces; higher levels are reserve
    // (empty at the opening: the trucks' overflow is put away there).
    const bool face = l.level <= 2;
    out.locationsCsv += l.code + "," + dc.zones()[l.zone].code + (face ? ",pick\n" : ",reserve\n");
    if (face) dcCodes.push_back(l.code);
  }
  // The dock doors, where the trucks are received.
  out.locationsCsv += "DOCK-1,DOCK,dock\nDOCK-2,DOCK,dock\n";
  for (const auto& l : store.locations()) {
    out.locationsCsv += l.code + "," + store.zones()[l.zone].code + ",store\n";
    storeCodes.push_back(l.code);
  }
  std::shuffle(dcCodes.begin(), dcCodes.end(), rng);
  std::shuffle(storeCodes.begin(), storeCodes.end(), rng);

  out.catalogueCsv = "sku,description,barcodes,weight_g,length_mm,width_mm,height_mm,lot_tracked,expiry_tracked\n";
  out.stockCsv = "sku,location,qty,lot,expiry\n";
  std::size_t nextDc = 0, nextStore = 0;
  std::uniform_int_distribution<int> weight(80, 4000), dim(30, 350), stockQty(40, 160);
  for (int i = 0; i < skuCount; ++i) {
    DemoSku s;
    char code[16];
    std::snprintf(code, sizeof code, "SKU-%05d", i + 1);
    s.code = code;
    s.fresh = i % 10 == 7;
    s.description = s.fresh ? std::string(kFresh[i % 5]) : std::string(kProducts[i % 20]);
    char body[16];
    std::snprintf(body, sizeof body, "955%09d", (100000 + i) % 1000000000);  // a demo company prefix; never a real product
    s.gtin = gtin13(body);
    // Popular SKUs get two pick faces, the long tail one.
    int faces = i < skuCount / 10 ? 2 : 1;
    for (int f = 0; f < faces && nextDc < dcCodes.size(); ++f) s.locations.push_back(dcCodes[nextDc++]);
    s.openingQty = stockQty(rng) * stockScale;
    out.catalogueCsv += s.code + "," + csvField(s.description) + "," + s.gtin + "," + std::to_string(weight(rng)) + "," +
                        std::to_string(dim(rng)) + "," + std::to_string(dim(rng)) + "," + std::to_string(dim(rng)) +
                        "," + (s.fresh ? "1,1" : "0,0") + "\n";
    for (const auto& loc : s.locations) {
      std::string lot = s.fresh ? "L" + std::to_string(2600 + i % 50) : "";
      std::string expiry = s.fresh ? "2027-0" + std::to_string(1 + i % 9) + "-15" : "";
      out.stockCsv += s.code + "," + loc + "," + std::to_string(s.openingQty) + "," + lot + "," + expiry + "\n";
    }
    if (i < storeSkus && nextStore < storeCodes.size()) {
      std::string loc = storeCodes[nextStore++];
      std::string lot = s.fresh ? "L" + std::to_string(2600 + i % 50) : "";
      std::string expiry = s.fresh ? "2027-0" + std::to_string(1 + i % 9) + "-15" : "";
      // Enough for a day of store pickups (about one order in twelve, on
      // these SKUs): the store's backroom is not refilled during the day.
      out.stockCsv += s.code + "," + loc + "," + std::to_string(40 * stockScale) + "," + lot + "," + expiry + "\n";
    }
    out.skus.push_back(std::move(s));
  }
  return out;
}

}  // namespace wms::demo
