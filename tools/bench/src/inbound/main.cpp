// wms-bench-inbound: the inbound planners at the 20,000-order peak of the
// waves bench. One JSON object on stdout, progress on stderr. Parts (each a
// function below that returns its JSON sub-object; add a part by adding a
// function and a row to kParts):
//
//   slotting       the savings-batched walk of the 20,000 orders with the
//                  SKUs slotted at random (the baseline, same run), then after
//                  the slotting planner's proposal made from a separate
//                  history of orders (the last days), and with a full
//                  velocity re-slot of every face for reference. Target: the
//                  proposal walks at least 15% less than the baseline.
//   replenishment  the waves released one after the other against pick
//                  faces that hold a fraction of the day (min/max rules) with
//                  the rest in reserve, in a real SQLite file: short pick
//                  lines with no replenishment (the baseline, same run)
//                  against ReplenishmentService::plan run at each release and
//                  its moves done; the time of plan(), against a raw read of
//                  the same tables.
//   putaway        5,000 receipt lines (--receipts) put away to the
//                  suggestions (confirmed one after the other): the walk to
//                  the locations and from them to the SKUs' faces, against
//                  each case in the nearest free reserve location (the
//                  baseline, same run); suggest()'s time against a raw read.
//
// The scenario is written here, not taken from the waves bench (its
// generator lives in its main.cpp): the same shape (1-5 lines, Zipf(1.0) SKU
// popularity over 6,000 SKUs, six channels, four carriers with cutoffs,
// released at 11:00 with the same rules) on the multi-block sample layout,
// but every SKU has one pick face at level 1 or 2 (the layouts' "floor and
// waist" faces, as in the demo; higher levels are reserve), chosen at random.
//
// usage: wms-bench-inbound --layout FILE [--orders N] [--history N] [--skus N] [--totes K]
//                          [--max-moves N] [--seed S] [--parts slotting,replenishment,putaway] [--receipts N] [--db FILE]
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "wms/domain/Catalog.h"
#include "wms/inbound/Putaway.h"
#include "wms/inbound/Replenishment.h"
#include "wms/inbound/Schema.h"
#include "wms/inbound/Slotting.h"
#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"
#include "wms/stock/Events.h"
#include "wms/stock/Moves.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/Database.h"
#include "wms/store/Query.h"
#include "wms/waves/Planner.h"
#include "wms/waves/Release.h"

using namespace wms;
using namespace wms::waves;

namespace {

struct Args {
  std::string layout;
  int orders = 20000;
  int history = 60000;  // orders of the days before: what the slotting planner reads
  int skus = 6000;
  int totes = 8;
  int maxMoves = inbound::SlottingOptions{}.maxMoves;  // the service's default cap
  unsigned seed = 20241111;
  std::string parts = "slotting,replenishment,putaway";
  int receipts = 5000;
  std::string db;  // the replenishment part's SQLite file; default: in the temp folder
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    try {
      if (k == "--layout")
        a.layout = v;
      else if (k == "--orders")
        a.orders = std::stoi(v);
      else if (k == "--history")
        a.history = std::stoi(v);
      else if (k == "--skus")
        a.skus = std::stoi(v);
      else if (k == "--totes")
        a.totes = std::stoi(v);
      else if (k == "--max-moves")
        a.maxMoves = std::stoi(v);
      else if (k == "--seed")
        a.seed = static_cast<unsigned>(std::stoul(v));
      else if (k == "--parts")
        a.parts = v;
      else if (k == "--receipts")
        a.receipts = std::stoi(v);
      else if (k == "--db")
        a.db = v;
      else
        return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return (argc % 2) == 1 && !a.layout.empty() && a.orders > 0 && a.history > 0 && a.skus >= 100 &&
         a.totes > 0 && a.maxMoves > 0 && a.receipts > 0 && a.receipts <= 1000000;
}

// This thread's CPU time (the machine is shared with builds) and wall-clock.
struct Stopwatch {
  static double cpu() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
  }
  static double wall() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  double c0 = cpu(), w0 = wall();
  double cpuSince() const { return cpu() - c0; }
  double wallSince() const { return wall() - w0; }
};

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
std::string num(std::int64_t v) {
  return std::to_string(v);
}

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "wms-bench-inbound: " << what << "\n";
  std::exit(1);
}

template <class T>
T must(Result<T> r, const std::string& what) {
  if (!r) fail(what + ": " + r.error().message);
  return std::move(*r);
}

// ---- the scenario ----

struct Scenario {
  const layouts::Layout* layout = nullptr;
  std::vector<SkuInfo> skus;            // by popularity rank (0 sells most); the planner does not know it
  std::vector<PlanOrder> orders;        // the peak day
  std::vector<std::int64_t> history;    // units per SKU in the days before
  std::vector<std::int64_t> dayDemand;  // units per SKU in the peak day
  std::vector<std::uint32_t> faces;     // pick faces (levels 1-2), location indices
  std::vector<std::uint32_t> reserve;   // reserve locations (levels 3+)
  std::vector<std::uint32_t> faceOf;    // per SKU: its pick face at the start (random)
  std::vector<CarrierCutoff> cutoffs;
  Millis now = 0;
};

std::vector<PlanOrder> makeOrders(int count, std::mt19937_64& rng, const std::vector<SkuInfo>& skus,
                                  std::vector<std::int64_t>& units, Millis now) {
  auto uni = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  std::vector<double> weight(skus.size());
  for (std::size_t r = 0; r < skus.size(); ++r) weight[r] = 1.0 / (double(r) + 1.0);
  std::discrete_distribution<int> popular(weight.begin(), weight.end());
  std::discrete_distribution<int> lineCount({45, 25, 15, 10, 5});
  std::discrete_distribution<int> qtyDist({80, 15, 3, 1, 1});
  const domain::Channel channels[] = {domain::Channel::Shopee, domain::Channel::Lazada,
                                      domain::Channel::TikTok, domain::Channel::Shopify,
                                      domain::Channel::Amazon, domain::Channel::Pos};
  std::discrete_distribution<int> channelDist({35, 25, 20, 10, 5, 5});
  const char* carriers[] = {"flash", "kerry", "jt", "thaipost"};
  std::discrete_distribution<int> carrierDist({35, 30, 25, 10});
  units.assign(skus.size(), 0);
  std::vector<PlanOrder> out;
  for (int i = 0; i < count; ++i) {
    PlanOrder o;
    o.id = 100000 + i;
    o.channel = channels[channelDist(rng)];
    const double level = uni(0, 1);
    o.level = level < 0.04   ? domain::ServiceLevel::StorePickup
              : level < 0.16 ? domain::ServiceLevel::Express
                             : domain::ServiceLevel::Standard;
    o.carrier = o.level == domain::ServiceLevel::StorePickup ? "" : carriers[carrierDist(rng)];
    o.priority = uni(0, 1) < 0.02 ? 5 : 0;
    o.createdAtMs = now - static_cast<Millis>(uni(0, 12 * 3600.0)) * 1000;
    const int lines = lineCount(rng) + 1;
    std::vector<int> used;
    for (int l = 0; l < lines; ++l) {
      int sku = popular(rng);
      while (std::find(used.begin(), used.end(), sku) != used.end()) sku = popular(rng);
      used.push_back(sku);
      const std::int64_t qty = qtyDist(rng) + 1;
      units[static_cast<std::size_t>(sku)] += qty;
      o.lines.push_back({l + 1, skus[static_cast<std::size_t>(sku)].sku, qty});
    }
    out.push_back(std::move(o));
  }
  return out;
}

Scenario generate(const layouts::Layout& layout, const Args& args) {
  std::mt19937_64 rng(args.seed);
  auto uni = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  Scenario s;
  s.layout = &layout;
  for (int r = 0; r < args.skus; ++r) {
    SkuInfo info;
    char code[32];
    std::snprintf(code, sizeof code, "SKU-%05d", r);
    info.sku = code;
    info.volumeCm3 = static_cast<std::int64_t>(std::exp(uni(std::log(80.0), std::log(6000.0))));
    info.weightG = static_cast<std::int64_t>(std::exp(uni(std::log(30.0), std::log(2500.0))));
    s.skus.push_back(info);
  }
  s.now = 1731297600000;  // 2024-11-11 11:00 Bangkok
  const int cutoffMinutes[] = {14 * 60, 16 * 60, 17 * 60, 18 * 60};
  const char* carriers[] = {"flash", "kerry", "jt", "thaipost"};
  for (int c = 0; c < 4; ++c)
    s.cutoffs.push_back({carriers[c], s.now + Millis{cutoffMinutes[c] - 11 * 60} * 60'000});
  s.orders = makeOrders(args.orders, rng, s.skus, s.dayDemand, s.now);
  std::mt19937_64 past(args.seed + 1);  // the days before: same popularity, other orders
  makeOrders(args.history, past, s.skus, s.history, s.now - 86'400'000);

  for (std::uint32_t i = 0; i < layout.locations().size(); ++i)
    (layout.locations()[i].level <= 2 ? s.faces : s.reserve).push_back(i);
  if (s.faces.size() < s.skus.size()) fail("the layout has fewer pick faces than SKUs: use fewer --skus");
  std::vector<std::uint32_t> shuffled = s.faces;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  s.faceOf.assign(shuffled.begin(), shuffled.begin() + static_cast<std::ptrdiff_t>(s.skus.size()));
  return s;
}

// The savings-batched walk of the peak day with each SKU at faceOf[sku]
// (enough stock there for every order), as the waves bench plans it:
// release, allocation wave after wave, savings batching, pick lists routed
// with Method::Best.
struct Walk {
  double km = 0;
  std::size_t batches = 0;
  double seconds = 0;
};

struct Waves {
  std::vector<std::vector<PlanOrder>> waves;
};

Waves release(const Scenario& s) {
  ReleaseConfig config;
  ReleaseContext context;
  context.cutoffs = s.cutoffs;
  context.rate = PickRate{150, 80};
  context.utcOffsetMinutes = 420;
  auto proposals = must(proposeWaves(s.orders, s.now, config, context), "release");
  std::map<OrderId, std::size_t> byId;
  for (std::size_t i = 0; i < s.orders.size(); ++i) byId[s.orders[i].id] = i;
  Waves out;
  for (const auto& p : proposals) {
    std::vector<PlanOrder> w;
    for (OrderId id : p.orders) w.push_back(s.orders[byId[id]]);
    out.waves.push_back(std::move(w));
  }
  return out;
}

StockIndex stockAt(const Scenario& s, const std::vector<std::uint32_t>& faceOf) {
  std::vector<StockSlot> slots;
  for (std::size_t r = 0; r < s.skus.size(); ++r)
    slots.push_back({s.skus[r].sku, s.layout->locations()[faceOf[r]].code, "", "", s.dayDemand[r] + 1});
  return must(StockIndex::build(*s.layout, s.skus, slots), "stock index");
}

Walk walk(const Scenario& s, const Waves& w, const std::vector<std::uint32_t>& faceOf, int totes) {
  Stopwatch sw;
  const StockIndex stock = stockAt(s, faceOf);
  layouts::Router router(*s.layout);
  BatchingOptions bo;
  bo.method = BatchingMethod::Savings;
  bo.cart = CartSpec{totes, 30, 40000, 15000};
  std::vector<std::int64_t> available;
  for (const auto& slot : stock.slots()) available.push_back(slot.qty);
  Walk out;
  for (const auto& orders : w.waves) {
    auto a = must(allocate(orders, stock, {}, available), "allocation");
    available = a.remaining;
    auto batches = must(makeBatches(a, stock, bo), "batching");
    for (const auto& b : batches)
      out.km += double(must(buildPickList(b, a, stock, router), "pick list").distanceMm) / 1e6;
    out.batches += batches.size();
  }
  out.seconds = sw.cpuSince();
  return out;
}

// ---- part: slotting ----

std::string slottingPart(const Scenario& s, const Args& args) {
  const auto& layout = *s.layout;
  const Waves w = release(s);
  std::cerr << "bench-inbound: slotting: walk before (random slotting)\n";
  const Walk before = walk(s, w, s.faceOf, args.totes);

  // The planner's input: every pick face with what it holds, the history's units.
  inbound::SlottingOptions options;
  options.maxMoves = args.maxMoves;
  options.staging = "STAGE-1";
  std::vector<inbound::SlotFace> faces;
  std::map<std::uint32_t, std::size_t> skuAt;
  for (std::size_t r = 0; r < s.skus.size(); ++r) skuAt[s.faceOf[r]] = r;
  for (std::uint32_t id : s.faces) {
    const auto& l = layout.locations()[id];
    const auto it = skuAt.find(id);
    faces.push_back({l.code, layout.distance(layout.depot(), layouts::LocationId{id}), l.level,
                     it == skuAt.end() ? "" : s.skus[it->second].sku});
  }
  std::vector<inbound::SlotVelocity> velocity;
  for (std::size_t r = 0; r < s.skus.size(); ++r) velocity.push_back({s.skus[r].sku, s.history[r]});
  std::cerr << "bench-inbound: slotting: planning over " << faces.size() << " faces\n";
  Stopwatch sw;
  const auto proposal = must(inbound::planSlotting(faces, velocity, options), "slotting");
  const double planCpu = sw.cpuSince(), planWall = sw.wallSince();

  // Apply it: the moves in order (checking that no face ever holds two SKUs).
  std::map<std::string, std::uint32_t> idOf;
  for (std::uint32_t id : s.faces) idOf[layout.locations()[id].code] = id;
  std::map<std::string, std::size_t> rankOf;
  for (std::size_t r = 0; r < s.skus.size(); ++r) rankOf[s.skus[r].sku] = r;
  std::vector<std::uint32_t> after = s.faceOf;
  std::map<std::uint32_t, std::size_t> holder = skuAt;
  std::size_t conflicts = 0, parked = 0;
  for (const auto& m : proposal.moves) {
    const std::size_t r = rankOf.at(m.sku);
    if (m.from == options.staging)
      --parked;
    else
      holder.erase(idOf.at(m.from));
    if (m.to == options.staging) {
      ++parked;
      continue;
    }
    const std::uint32_t to = idOf.at(m.to);
    if (holder.count(to)) ++conflicts;
    holder[to] = r;
    after[r] = to;
  }
  if (parked != 0) ++conflicts;
  std::cerr << "bench-inbound: slotting: walk after " << proposal.moves.size() << " moves\n";
  const Walk slotted = walk(s, w, after, args.totes);

  // Reference: every face re-slotted by velocity (fastest SKU to the
  // cheapest face), as many moves as it takes.
  std::map<std::uint32_t, std::int64_t> costOf;
  for (std::size_t i = 0; i < s.faces.size(); ++i) costOf[s.faces[i]] = inbound::faceCost(faces[i], options);
  std::vector<std::uint32_t> byCost = s.faces;
  std::stable_sort(byCost.begin(), byCost.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return costOf.at(a) < costOf.at(b); });
  std::vector<std::size_t> bySpeed(s.skus.size());
  std::iota(bySpeed.begin(), bySpeed.end(), 0);
  std::stable_sort(bySpeed.begin(), bySpeed.end(),
                   [&](std::size_t a, std::size_t b) { return s.history[a] > s.history[b]; });
  std::vector<std::uint32_t> ideal(s.skus.size());
  for (std::size_t i = 0; i < bySpeed.size(); ++i) ideal[bySpeed[i]] = byCost[i];
  std::size_t idealMoves = 0;
  for (std::size_t r = 0; r < s.skus.size(); ++r) idealMoves += ideal[r] != s.faceOf[r];
  std::cerr << "bench-inbound: slotting: walk after a full re-slot\n";
  const Walk full = walk(s, w, ideal, args.totes);

  const double saved = 1.0 - slotted.km / before.km;
  int swaps = 0;
  for (const auto& m : proposal.moves) swaps += m.reason == inbound::SlotMove::Reason::SwapIn;
  std::string o = "{";
  o += "\"faces\": " + num(static_cast<std::int64_t>(s.faces.size())) +
       ", \"skus\": " + num(static_cast<std::int64_t>(s.skus.size())) +
       ", \"history_orders\": " + num(args.history) +
       ", \"waves\": " + num(static_cast<std::int64_t>(w.waves.size()));
  o += ", \"options\": {\"max_moves\": " + num(options.maxMoves) +
       ", \"min_gain_mm\": " + num(options.minGainMm) + ", \"waist_level\": " + num(options.waistLevel) +
       ", \"level_penalty_mm\": " + num(options.levelPenaltyMm) + "}";
  o += ", \"planner_s\": " + fmt(planCpu, 4) + ", \"planner_wall_s\": " + fmt(planWall, 4);
  o += ", \"moves\": " + num(static_cast<std::int64_t>(proposal.moves.size())) +
       ", \"to_free_face\": " + num(proposal.exchanges - swaps) + ", \"swaps\": " + num(swaps) +
       ", \"skipped_for_cap\": " + num(proposal.skippedForCap) +
       ", \"faces_holding_two_skus\": " + num(static_cast<std::int64_t>(conflicts));
  o += ", \"weighted_cost_before_km\": " + fmt(double(proposal.beforeMm) / 1e6, 1) +
       ", \"weighted_cost_after_km\": " + fmt(double(proposal.afterMm) / 1e6, 1);
  o += ", \"baseline\": {\"name\": \"random slotting, savings-batched walk of the peak day\", \"walk_km\": " +
       fmt(before.km, 3) + ", \"batches\": " + num(static_cast<std::int64_t>(before.batches)) +
       ", \"walk_planning_s\": " + fmt(before.seconds, 3) + "}";
  o += ", \"after_proposal\": {\"walk_km\": " + fmt(slotted.km, 3) +
       ", \"batches\": " + num(static_cast<std::int64_t>(slotted.batches)) + ", \"saved\": " + fmt(saved, 3) +
       "}";
  o += ", \"full_reslot\": {\"moves_at_least\": " + num(static_cast<std::int64_t>(idealMoves)) +
       ", \"walk_km\": " + fmt(full.km, 3) + ", \"saved\": " + fmt(1.0 - full.km / before.km, 3) + "}";
  o += ", \"target_saved_min\": 0.15, \"meets_target\": " +
       std::string(saved >= 0.15 && conflicts == 0 ? "true" : "false") + "}";
  return o;
}

// ---- part: replenishment ----

std::string replenishmentPart(const Scenario& s, const Args& args) {
  const auto& layout = *s.layout;
  const Waves w = release(s);
  // Where each SKU is picked: its face; the waves' lines per (SKU, face) in
  // release order.
  const StockIndex stock = stockAt(s, s.faceOf);
  std::vector<std::vector<std::pair<std::size_t, std::int64_t>>> lines;  // per wave: (sku rank, qty)
  {
    std::vector<std::int64_t> available;
    for (const auto& slot : stock.slots()) available.push_back(slot.qty);
    for (const auto& orders : w.waves) {
      auto a = must(allocate(orders, stock, {}, available), "allocation");
      available = a.remaining;
      std::vector<std::pair<std::size_t, std::int64_t>> wl;
      for (const auto& o : a.orders)
        for (const auto& l : o.lines) wl.emplace_back(l.sku, l.allocated);
      lines.push_back(std::move(wl));
    }
  }
  // Faces hold a quarter of what the days before sold (at least 6 units),
  // full at the start; the minimum is a quarter of that; reserve has the rest.
  const std::size_t n = s.skus.size();
  std::vector<std::int64_t> max(n), min(n), reserveQty(n);
  for (std::size_t r = 0; r < n; ++r) {
    // The history's units scaled to one day of the peak's size.
    const std::int64_t perDay = s.history[r] * args.orders / args.history;
    max[r] = std::max<std::int64_t>(6, (perDay + 3) / 4);
    min[r] = std::max<std::int64_t>(1, max[r] / 4);
    reserveQty[r] = 2 * s.dayDemand[r] + 20;
  }
  if (s.reserve.size() < n) fail("the layout has fewer reserve locations than SKUs");

  // Without replenishment: the faces only hold what they started with.
  std::int64_t shortLinesNone = 0, shortUnitsNone = 0, linesTotal = 0;
  {
    std::vector<std::int64_t> face = max;
    for (const auto& wl : lines)
      for (const auto& [r, q] : wl) {
        ++linesTotal;
        if (face[r] < q) {
          ++shortLinesNone;
          shortUnitsNone += q - face[r];
        }
        face[r] -= std::min(face[r], q);
      }
  }

  // With it: a real database; at each release plan() with the wave's picks
  // as released demand, its moves done, then the wave picked.
  const std::filesystem::path path = args.db.empty() ? std::filesystem::temp_directory_path() /
                                                           ("wms-bench-inbound-" + num(::getpid()) + ".db")
                                                     : std::filesystem::path(args.db);
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + ext);
  store::DatabaseOptions dbo;
  dbo.path = path;
  dbo.durability = store::Durability::Normal;
  dbo.schemas.push_back(inbound::inboundSchema());
  auto db = must(store::Database::open(dbo), "database " + path.string());
  stock::StockEvents events;
  const auto who = stock::Actor::system("bench");
  std::cerr << "bench-inbound: replenishment: loading " << n << " SKUs, faces and reserve into " << path
            << "\n";
  auto st = db->write([&](store::Tx& tx) -> Status {
    store::CatalogRepository c(tx);
    for (const char* code : {"PICKED"})
      if (auto r = c.upsertLocation({code, "OUT", domain::LocationKind::Staging}); !r) return r;
    for (std::size_t r = 0; r < n; ++r) {
      const auto& face = layout.locations()[s.faceOf[r]];
      const auto& res = layout.locations()[s.reserve[r]];
      if (auto x = c.upsertLocation({face.code, layout.zones()[face.zone].code, domain::LocationKind::Pick});
          !x)
        return x;
      if (auto x = c.upsertLocation({res.code, layout.zones()[res.zone].code, domain::LocationKind::Reserve});
          !x)
        return x;
      domain::Sku sku;
      sku.code = s.skus[r].sku;
      sku.description = "Bench " + sku.code;
      if (auto x = c.upsertSku(sku); !x) return x;
      stock::Moves moves(tx, events, who);
      if (auto x = moves.receive({sku.code, face.code, "", "", 0}, max[r], "bench", {}, {}); !x)
        return x.error();
      if (auto x = moves.receive({sku.code, res.code, "", "", 0}, reserveQty[r], "bench", {}, {}); !x)
        return x.error();
      store::exec(tx, "INSERT INTO face_rules(location, sku, min_units, max_units) VALUES (?, ?, ?, ?)",
                  face.code, sku.code, min[r], max[r]);
    }
    return {};
  });
  if (!st) fail("loading: " + st.error().message);

  inbound::ReplenishmentService service(*db, events);
  inbound::Demand demand;
  service.demandFrom([&demand](store::Tx&) { return demand; });
  std::int64_t shortLines = 0, shortUnits = 0, moves = 0, movedUnits = 0;
  double planCpu = 0, planWall = 0, rawCpu = 0;
  std::vector<std::int64_t> face = max;  // mirrors the database's faces
  for (std::size_t wi = 0; wi < lines.size(); ++wi) {
    demand.clear();
    for (const auto& [r, q] : lines[wi]) demand[{s.skus[r].sku, layout.locations()[s.faceOf[r]].code}] += q;
    std::vector<inbound::ReplenishmentTask> tasks;
    st = db->write([&](store::Tx& tx) -> Status {
      Stopwatch sw;
      auto plan = service.plan(tx);
      planCpu += sw.cpuSince();
      planWall += sw.wallSince();
      if (!plan) return plan.error();
      tasks = std::move(*plan);
      // Baseline: one raw read of what the plan reads (the rules with what
      // each face holds).
      Stopwatch raw;
      store::Query q(
          tx,
          "SELECT f.location, f.sku, f.min_units, f.max_units, COALESCE((SELECT SUM(s.qty) FROM stock s "
          "WHERE s.sku = f.sku AND s.location = f.location), 0) FROM face_rules f ORDER BY f.location");
      std::int64_t rows = 0;
      while (q.step()) rows += q.integer(4) >= 0;
      rawCpu += raw.cpuSince();
      if (rows != static_cast<std::int64_t>(n))
        return Error{ErrorKind::Internal, "raw read found " + num(rows) + " rules"};
      int k = 0;
      for (const auto& t : tasks) {
        inbound::ReplenishmentInput in{t.sku,
                                       t.from,
                                       t.to,
                                       t.lot,
                                       t.expiry,
                                       t.qty,
                                       "bench-" + num(static_cast<std::int64_t>(wi)) + "-" + num(k++),
                                       who};
        auto done = service.confirm(tx, in);
        if (!done) return done.error();
      }
      return {};
    });
    if (!st) fail("wave " + num(static_cast<std::int64_t>(wi)) + ": " + st.error().message);
    for (const auto& t : tasks) {
      ++moves;
      movedUnits += t.qty;
    }
    for (std::size_t r = 0; r < n; ++r) face[r] = 0;
    // Read the faces back (the moves' effect), then pick the wave.
    st = db->write([&](store::Tx& tx) -> Status {
      store::Query q(tx,
                     "SELECT f.sku, COALESCE((SELECT SUM(s.qty) FROM stock s WHERE s.sku = f.sku AND "
                     "s.location = f.location), 0) FROM face_rules f");
      std::map<std::string, std::int64_t> have;
      while (q.step()) have[q.text(0)] = q.integer(1);
      for (std::size_t r = 0; r < n; ++r) face[r] = have[s.skus[r].sku];
      std::vector<std::int64_t> picked(n, 0);
      for (const auto& [r, qty] : lines[wi]) {
        if (face[r] < qty) {
          ++shortLines;
          shortUnits += qty - face[r];
        }
        const std::int64_t take = std::min(face[r], qty);
        face[r] -= take;
        picked[r] += take;
      }
      stock::Moves m(tx, events, who);
      for (std::size_t r = 0; r < n; ++r) {
        if (picked[r] == 0) continue;
        const auto& code = layout.locations()[s.faceOf[r]].code;
        if (auto x = m.transfer({s.skus[r].sku, code, "", "", 0}, "PICKED", picked[r], "bench", "picked"); !x)
          return x;
      }
      return {};
    });
    if (!st) fail("picking wave " + num(static_cast<std::int64_t>(wi)) + ": " + st.error().message);
  }
  db.reset();
  if (args.db.empty())
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + ext);

  std::string o = "{";
  o += "\"skus\": " + num(static_cast<std::int64_t>(n)) +
       ", \"waves\": " + num(static_cast<std::int64_t>(lines.size())) +
       ", \"pick_lines\": " + num(linesTotal);
  o += ", \"faces\": \"max = a quarter of a day of the history, scaled to the peak's orders (at least 6), "
       "min = max / 4, full at the start; "
       "reserve: twice the peak day's units + 20\"";
  o += ", \"baseline\": {\"name\": \"no replenishment\", \"short_lines\": " + num(shortLinesNone) +
       ", \"short_units\": " + num(shortUnitsNone) + "}";
  o += ", \"with_plan\": {\"short_lines\": " + num(shortLines) + ", \"short_units\": " + num(shortUnits) +
       ", \"moves\": " + num(moves) + ", \"moved_units\": " + num(movedUnits) + "}";
  o += ", \"shorts_prevented\": " + num(shortLinesNone - shortLines);
  o += ", \"plan_s\": " + fmt(planCpu, 4) + ", \"plan_wall_s\": " + fmt(planWall, 4) +
       ", \"plan_s_per_wave\": " + fmt(planCpu / double(std::max<std::size_t>(1, lines.size())), 4);
  o += ", \"raw_read_s\": " + fmt(rawCpu, 4) +
       ", \"plan_vs_raw_read\": " + fmt(rawCpu > 0 ? planCpu / rawCpu : 0, 1) + "}";
  return o;
}

// ---- part: put-away ----

// --receipts lines received at one dock (SKUs drawn by the peak's
// popularity, cases of 12 to 96 units), every SKU's pick face full (its
// capacity is what it holds), so each line goes to reserve. Each line is
// put away to PutawayService's suggestion (and confirmed, so the next sees
// it) in a real SQLite file, with the layout's geometry and the SKUs' ABC
// classes from a ledger of the history's shipments. Walks: the put-away's
// (the depot, where the dock is, to the location) and the replenishment's
// it prepares (the location to the SKU's face), against the baseline of
// putting each case in the nearest free reserve location to the dock.
// Time: suggest() against a raw read of the empty reserve locations it
// ranks.
std::string putawayPart(const Scenario& s, const Args& args) {
  const auto& layout = *s.layout;
  const std::size_t n = s.skus.size();
  if (s.reserve.empty()) fail("the layout has no reserve locations");
  const std::filesystem::path path = args.db.empty() ? std::filesystem::temp_directory_path() /
                                                           ("wms-bench-putaway-" + num(::getpid()) + ".db")
                                                     : std::filesystem::path(args.db + ".putaway");
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + ext);
  store::DatabaseOptions dbo;
  dbo.path = path;
  dbo.durability = store::Durability::Normal;
  dbo.schemas.push_back(inbound::inboundSchema());
  auto db = must(store::Database::open(dbo), "database " + path.string());
  stock::StockEvents events;
  const auto who = stock::Actor::system("bench");

  // The receipt lines.
  std::mt19937_64 rng(args.seed + 7);
  std::vector<double> weight(n);
  for (std::size_t r = 0; r < n; ++r) weight[r] = 1.0 / (double(r) + 1.0);
  std::discrete_distribution<int> popular(weight.begin(), weight.end());
  std::uniform_int_distribution<int> cases(1, 8);
  std::vector<std::pair<std::size_t, std::int64_t>> receipts;  // (sku rank, units)
  std::vector<std::int64_t> atDock(n, 0);
  for (int i = 0; i < args.receipts; ++i) {
    const auto r = static_cast<std::size_t>(popular(rng));
    const std::int64_t units = 12 * cases(rng);
    receipts.emplace_back(r, units);
    atDock[r] += units;
  }

  std::cerr << "bench-inbound: put-away: loading " << n << " SKUs, " << s.reserve.size()
            << " reserve locations and " << args.receipts << " receipt lines into " << path << "\n";
  auto st = db->write([&](store::Tx& tx) -> Status {
    store::CatalogRepository c(tx);
    if (auto x = c.upsertLocation({"DOCK-1", "DOCK", domain::LocationKind::Dock}); !x) return x;
    for (auto id : s.reserve) {
      const auto& loc = layout.locations()[id];
      if (auto x = c.upsertLocation({loc.code, layout.zones()[loc.zone].code, domain::LocationKind::Reserve}); !x)
        return x;
    }
    stock::Moves moves(tx, events, who);
    for (std::size_t r = 0; r < n; ++r) {
      const auto& face = layout.locations()[s.faceOf[r]];
      if (auto x = c.upsertLocation({face.code, layout.zones()[face.zone].code, domain::LocationKind::Pick}); !x)
        return x;
      domain::Sku sku;
      sku.code = s.skus[r].sku;
      sku.description = "Bench " + sku.code;
      const auto side = static_cast<std::int64_t>(std::cbrt(double(s.skus[r].volumeCm3)) * 10.0);  // mm
      sku.dims = {side, side, side};
      if (auto x = c.upsertSku(sku); !x) return x;
      if (auto x = moves.receive({sku.code, face.code, "", "", 0}, 10, "bench", {}, {}); !x) return x.error();
      store::exec(tx, "INSERT INTO location_capacity(location, max_units) VALUES (?, 10)", face.code);
      if (atDock[r] > 0)
        if (auto x = moves.receive({sku.code, "DOCK-1", "", "", 0}, atDock[r], "bench", {}, {}); !x)
          return x.error();
    }
    return {};
  });
  if (!st) fail("loading: " + st.error().message);

  inbound::PutawayService service(*db, events);
  inbound::PutawayGeometry geometry;
  geometry.walkMm = [&layout](const std::string& from, const std::string& to) -> std::optional<std::int64_t> {
    const auto a = layout.find(from), b = layout.find(to);
    if (!a || !b) return std::nullopt;
    return layout.distance(*a, *b);
  };
  geometry.level = [&layout](const std::string& code) -> std::optional<int> {
    const auto id = layout.find(code);
    if (!id) return std::nullopt;
    return layout.location(*id).level;
  };
  geometry.locationVolumeCm3 = layout.locationVolumeCm3();
  service.geometryFrom(geometry);
  // The ABC classes from the history's units (what the ledger's shipments
  // would say after those days).
  service.velocityFrom([&s](store::Tx&, std::int64_t) -> Result<std::vector<inbound::SkuVelocity>> {
    std::vector<std::pair<std::string, std::int64_t>> units;
    for (std::size_t r = 0; r < s.skus.size(); ++r) units.emplace_back(s.skus[r].sku, s.history[r]);
    return inbound::classify(std::move(units));
  });

  // Suggested: each line to its suggestion, confirmed.
  double suggestCpu = 0, suggestWall = 0, rawCpu = 0;
  std::int64_t putWalk = 0, replWalk = 0, nowhere = 0;
  std::map<std::string, int> rules;
  std::set<std::string> used;
  int k = 0;
  for (const auto& [r, units] : receipts) {
    const std::string& sku = s.skus[r].sku;
    st = db->write([&](store::Tx& tx) -> Status {
      Stopwatch sw;
      auto suggestion = service.suggest(tx, sku, units, "", "");
      suggestCpu += sw.cpuSince();
      suggestWall += sw.wallSince();
      if (!suggestion) return suggestion.error();
      Stopwatch raw;
      store::Query q(tx,
                     "SELECT l.code, l.zone, c.max_units FROM locations l LEFT JOIN location_capacity c ON "
                     "c.location = l.code WHERE l.kind = 'reserve' AND NOT EXISTS "
                     "(SELECT 1 FROM stock s WHERE s.location = l.code AND s.qty > 0) ORDER BY l.code LIMIT 20000");
      std::int64_t rows = 0;
      while (q.step()) ++rows;
      rawCpu += raw.cpuSince();
      if (suggestion->location.empty()) {
        ++nowhere;
        return {};
      }
      ++rules[suggestion->rule];
      used.insert(suggestion->location);
      const auto to = *layout.find(suggestion->location);
      putWalk += layout.distance(layout.depot(), to);
      replWalk += layout.distance(to, layouts::LocationId{s.faceOf[r]});
      inbound::PutawayInput in;
      in.sku = sku;
      in.from = "DOCK-1";
      in.qty = units;
      in.to = suggestion->location;
      in.idempotencyKey = "bench-" + num(k++);
      in.who = who;
      auto done = service.confirm(tx, in);
      return done ? Status{} : Status{done.error()};
    });
    if (!st) fail("put-away " + num(k) + ": " + st.error().message);
  }
  db.reset();
  if (args.db.empty())
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + ext);

  // Baseline: each case to the nearest free reserve location to the dock.
  std::vector<std::uint32_t> byWalk = s.reserve;
  std::sort(byWalk.begin(), byWalk.end(), [&](auto a, auto b) {
    return layout.distance(layout.depot(), layouts::LocationId{a}) <
           layout.distance(layout.depot(), layouts::LocationId{b});
  });
  std::int64_t basePut = 0, baseRepl = 0, baseNowhere = 0;
  std::size_t next = 0;
  for (const auto& [r, units] : receipts) {
    (void)units;
    if (next >= byWalk.size()) {
      ++baseNowhere;
      continue;
    }
    const auto to = byWalk[next++];
    basePut += layout.distance(layout.depot(), layouts::LocationId{to});
    baseRepl += layout.distance(layouts::LocationId{to}, layouts::LocationId{s.faceOf[r]});
  }

  auto km = [](std::int64_t mm) { return fmt(double(mm) / 1e6, 3); };
  const auto lines = static_cast<double>(std::max(1, args.receipts));
  std::string o = "{";
  o += "\"receipt_lines\": " + num(args.receipts) + ", \"reserve_locations\": " +
       num(static_cast<std::int64_t>(s.reserve.size())) +
       ", \"location_volume_cm3\": " + num(layout.locationVolumeCm3());
  o += ", \"baseline\": {\"name\": \"each case to the nearest free reserve location to the dock\", "
       "\"putaway_walk_km\": " + km(basePut) + ", \"replenishment_walk_km\": " + km(baseRepl) +
       ", \"total_km\": " + km(basePut + baseRepl) +
       ", \"locations_used\": " + num(std::min<std::int64_t>(args.receipts, static_cast<std::int64_t>(byWalk.size()))) +
       ", \"nowhere\": " + num(baseNowhere) + "}";
  o += ", \"suggested\": {\"putaway_walk_km\": " + km(putWalk) + ", \"replenishment_walk_km\": " + km(replWalk) +
       ", \"total_km\": " + km(putWalk + replWalk) + ", \"locations_used\": " + num(static_cast<std::int64_t>(used.size())) +
       ", \"nowhere\": " + num(nowhere) + ", \"rules\": {";
  bool first = true;
  for (const auto& [rule, count] : rules) {
    o += std::string(first ? "" : ", ") + "\"" + rule + "\": " + num(count);
    first = false;
  }
  o += "}}";
  o += ", \"walk_saved\": " + fmt(basePut + baseRepl > 0 ? 1.0 - double(putWalk + replWalk) / double(basePut + baseRepl) : 0, 3);
  o += ", \"suggest_s\": " + fmt(suggestCpu, 4) + ", \"suggest_wall_s\": " + fmt(suggestWall, 4) +
       ", \"suggest_ms_per_line\": " + fmt(suggestCpu * 1000.0 / lines, 3) + ", \"raw_read_s\": " + fmt(rawCpu, 4) +
       ", \"suggest_vs_raw_read\": " + fmt(rawCpu > 0 ? suggestCpu / rawCpu : 0, 1) + "}";
  return o;
}

// ---- the parts ----

struct Part {
  const char* name;
  std::function<std::string(const Scenario&, const Args&)> run;
};
const Part kParts[] = {
    {"slotting", slottingPart},
    {"replenishment", replenishmentPart},
    {"putaway", putawayPart},
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse(argc, argv, args)) {
    std::cerr << "usage: wms-bench-inbound --layout FILE [--orders N] [--history N] [--skus N] [--totes K] "
                 "[--max-moves N] [--seed S] [--parts slotting,replenishment,putaway] [--receipts N] [--db FILE]\n";
    return 2;
  }
  auto layout = layouts::loadLayout(args.layout);
  if (!layout) fail(layout.error().message);
  std::cerr << "bench-inbound: generating " << args.orders << " orders (and " << args.history
            << " of history) over " << args.skus << " SKUs\n";
  const Scenario scenario = generate(*layout, args);

  std::string out = "{\"benchmark\": \"inbound\", \"layout\": \"" + layout->site().code + "\"";
  out +=
      ", \"orders\": " + num(args.orders) + ", \"skus\": " + num(args.skus) + ", \"seed\": " + num(args.seed);
  out += ", \"time\": \"seconds of this thread's CPU time (wall-clock in *_wall_s)\"";
  bool any = false;
  for (const auto& part : kParts) {
    if (("," + args.parts + ",").find(std::string(",") + part.name + ",") == std::string::npos) continue;
    std::cerr << "bench-inbound: part " << part.name << "\n";
    out += ", \"" + std::string(part.name) + "\": " + part.run(scenario, args);
    any = true;
  }
  if (!any) fail("--parts names no part (slotting, replenishment, putaway)");
  std::cout << out << "}" << std::endl;
  return 0;
}
