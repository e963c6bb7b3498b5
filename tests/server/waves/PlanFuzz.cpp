// Fuzz target for the wave planner: bytes become a small planning problem
// (SKUs, stock slots, orders, cart, options; some fields deliberately out of
// range) on one of three small layouts (depot on the front, on the back, and
// trips ending on the opposite cross aisle). Release, planning, the invariant
// checks, a short-pick replan and progress must never crash, and a plan that
// was accepted must pass checkWavePlan.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wms/layouts/Layout.h"
#include "wms/layouts/Router.h"
#include "wms/waves/Planner.h"
#include "wms/waves/Progress.h"
#include "wms/waves/Release.h"

using namespace wms;
using namespace wms::waves;

namespace {

// Reads the input front to back; past the end every read is zero.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  int upTo(int n) { return n <= 0 ? 0 : byte() % (n + 1); }
  std::int64_t signedValue(int range) { return static_cast<std::int64_t>(upTo(2 * range)) - range; }
  bool flag() { return byte() & 1; }
  bool done() const { return pos_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

layouts::Layout makeLayout(const char* depotCross, const char* stationCross) {
  layouts::LayoutSpec s;
  s.site = {"F", "fuzz", 20.0, 30.0};
  s.racks = {1.0, 2.0};
  s.crossAisles = {{"front", 2.0, 2.0}, {"middle", 14.5, 2.0}, {"back", 27.0, 2.0}};
  s.blocks = {{"B1", 5, 2}, {"B2", 5, 1}};
  s.aisles = {{1, 3.0, 2.0, layouts::RackSides::Both, {}, {}},
              {2, 9.0, 2.0, layouts::RackSides::Both, {4, 5}, {}},
              {3, 15.0, 2.0, layouts::RackSides::Left, {}, {}}};
  s.zones = {{"A", "a", 1, 3, {"B1"}}, {"B", "b", 1, 3, {"B2"}}};
  s.depot = {"DEPOT", depotCross, 6.0};
  s.packingStations = {{"PACK", stationCross, 18.0}};
  auto layout = layouts::Layout::build(s);
  if (!layout) {
    std::fprintf(stderr, "fuzz layout: %s\n", layout.error().message.c_str());
    std::abort();
  }
  return *layout;
}

struct World {
  layouts::Layout layout;
  layouts::Router router;
  explicit World(layouts::Layout l) : layout(l), router(l) {}
};

std::vector<World>& worlds() {
  static std::vector<World> w = [] {
    std::vector<World> v;
    v.emplace_back(makeLayout("front", "front"));
    v.emplace_back(makeLayout("back", "back"));
    v.emplace_back(makeLayout("back", "front"));
    return v;
  }();
  return w;
}

std::string skuName(Bytes& in) {
  static const char* names[] = {"A", "B", "C", "D", "E", "F", "G", "H", "bad sku", ""};
  return names[in.upTo(9)];
}

void fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Bytes in(data, size);
  World& world = worlds()[static_cast<std::size_t>(in.upTo(2))];
  const auto locations = world.layout.locations();

  std::vector<SkuInfo> skus;
  const int skuCount = in.upTo(8);
  for (int i = 0; i < skuCount; ++i) {
    skus.push_back({skuName(in), in.signedValue(2) * 1000 + in.upTo(9) * 500, in.upTo(20) * 3000 - in.upTo(1),
                    in.flag()});
  }
  std::vector<StockSlot> slots;
  const int slotCount = in.upTo(16);
  for (int i = 0; i < slotCount; ++i) {
    StockSlot s;
    s.sku = skuName(in);
    s.location = in.upTo(15) == 0 ? "Z-99-99-9"
                                  : locations[static_cast<std::size_t>(in.upTo(255)) % locations.size()].code;
    s.lot = in.flag() ? "L" + std::to_string(in.upTo(2)) : "";
    static const char* dates[] = {"", "2025-01-31", "2025-03-01", "2024-02-30", "soon"};
    s.expiry = dates[in.upTo(4)];
    s.qty = in.signedValue(3) + in.upTo(30);
    slots.push_back(s);
  }
  auto stock = StockIndex::build(world.layout, skus, slots);

  std::vector<PlanOrder> orders;
  const int orderCount = in.upTo(24);
  for (int i = 0; i < orderCount; ++i) {
    PlanOrder o;
    o.id = in.upTo(40) == 0 ? 0 : 1 + in.upTo(60);
    o.level = static_cast<domain::ServiceLevel>(in.upTo(2));
    o.channel = static_cast<domain::Channel>(in.upTo(6));
    o.priority = in.upTo(3);
    o.carrier = in.flag() ? "kerry" : (in.flag() ? "flash" : "");
    o.zone = in.flag() ? "A" : "";
    o.createdAtMs = 1'700'000'000'000 + in.signedValue(100) * 60'000;
    const int lines = in.upTo(5);
    for (int l = 0; l < lines; ++l)
      o.lines.push_back({1 + in.upTo(5), skuName(in), in.signedValue(1) + in.upTo(12)});
    orders.push_back(std::move(o));
  }

  // Release.
  ReleaseConfig config;
  config.byZone = in.flag();
  config.byChannel = in.flag();
  config.byCarrier = !in.flag();
  config.maxOrdersPerWave = in.upTo(4) - 1;
  config.everyMinutes = in.upTo(30);
  config.whenOrdersWaiting = in.upTo(10);
  config.minutesBeforeCutoff = in.upTo(90);
  std::vector<CarrierCutoff> cutoffs{{"kerry", 1'700'000'000'000 + in.upTo(200) * 60'000}};
  if (in.flag()) cutoffs.push_back({"flash", 1'700'000'000'000 + in.upTo(200) * 60'000});
  ReleaseContext context{cutoffs, {static_cast<double>(in.upTo(200)), in.upTo(4)}, in.upTo(50), 420};
  (void)proposeWaves(orders, 1'700'000'000'000, config, context);
  (void)autoRelease(ReleaseState{orders, std::nullopt, context}, 1'700'000'000'000 + in.upTo(100) * 60'000,
                    config);

  if (!stock) return 0;
  PlanOptions options;
  options.batching.method = static_cast<BatchingMethod>(in.upTo(2));
  options.batching.cart = {in.upTo(6), in.upTo(8), in.upTo(10) * 2000, in.upTo(6) * 1500};
  options.batching.byZone = in.flag();
  options.batching.neighbours = 2 + in.upTo(20);
  options.allocation.onShortfall = in.flag() ? ShortfallPolicy::PickAvailable : ShortfallPolicy::HoldOrder;
  options.allocation.notExpiringBefore = in.flag() ? "2025-02-01" : "";
  if (in.flag()) options.sequence.end = world.layout.findPlace("PACK");
  auto plan = planWave(orders, *stock, options, world.router);
  if (!plan) return 0;
  const auto problems = checkWavePlan(orders, *stock, *plan, options.batching.cart, world.router);
  if (!problems.empty()) fail("invariant broken: " + problems.front());

  // A short pick somewhere on the first list, against some availability.
  if (!plan->pickLists.empty() && !plan->pickLists[0].stops.empty()) {
    const auto& list = plan->pickLists[0];
    const auto& stop = list.stops[static_cast<std::size_t>(in.upTo(255)) % list.stops.size()];
    std::vector<std::int64_t> available = plan->allocation.remaining;
    for (auto& a : available) a = in.flag() ? a : in.upTo(5);
    std::vector<int> done;
    for (const auto& s : list.stops) {
      if (in.flag()) done.push_back(s.id);
    }
    auto r = replanAfterShort(
        list,
        {stop.id, in.signedValue(1) + in.upTo(static_cast<int>(std::min<std::int64_t>(stop.qty, 50))),
         static_cast<ShortReason>(in.upTo(2))},
        *stock, available, world.router, done);
    if (r) {
      std::int64_t before = stop.qty, after = 0;
      for (const auto& s : r->pickList.stops) {
        if (s.id == stop.id) after += s.qty + s.shortQty;
      }
      if (after != before) fail("replan changed the short stop's total");
      for (std::size_t i = 1; i < r->pickList.stops.size(); ++i) {
        if (r->pickList.stops[i - 1].seq >= r->pickList.stops[i].seq) fail("replan broke the seq order");
      }
    }
  }
  WaveCounts counts{in.signedValue(2) + 5, in.upTo(6), in.upTo(2), 20,
                    in.upTo(20),           in.upTo(3), 4,          in.upTo(4)};
  (void)waveProgress(counts, 1'700'000'000'000, {static_cast<double>(in.upTo(100)), in.upTo(3)}, std::nullopt,
                     in.upTo(30));
  return 0;
}
