#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "WaveImpl.h"
#include "wms/domain/Csv.h"
#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/CrashPoint.h"
#include "wms/store/DeviceRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"
#include "wms/store/StockRepository.h"
#include "wms/waves/Planner.h"
#include "wms/waves/Progress.h"
#include "wms/domain/Catalog.h"
#include "wms/protocol/Codec.h"

namespace wms::server {

static_assert(domain::kMaxBarcodesPerSku == protocol::kMaxBarcodes,
              "every barcode the catalogue takes must reach the handheld");

using waves::BatchStatus;
using waves::StopStatus;
using waves::WaveStatus;

namespace {

Poco::Logger& log() { return Poco::Logger::get("wmsd.waves"); }
Error invalid(std::string m) { return Error{ErrorKind::Invalid, std::move(m)}; }

}  // namespace

std::string cartSlot(int number) {
  const int row = (number - 1) / 4, col = (number - 1) % 4 + 1;
  return std::string(1, static_cast<char>('A' + row % 26)) + std::to_string(col);
}

// ---------------------------------------------------------------------------
// Configuration

Result<WaveConfig> waveConfigFrom(const ServerConfig& config) {
  WaveConfig c;
  const auto& raw = config.raw;
  static const std::set<std::string> known = {
      "waves.layout", "waves.store_layout", "waves.end_at", "waves.cart_totes", "waves.tote_max_units",
      "waves.tote_max_volume_cm3", "waves.tote_max_weight_g", "waves.method", "waves.group_by_carrier",
      "waves.group_by_priority", "waves.group_by_zone", "waves.group_by_channel", "waves.max_orders_per_wave",
      "waves.max_units_per_wave", "waves.auto_every_minutes", "waves.auto_when_orders_waiting",
      "waves.auto_minutes_before_cutoff", "waves.auto_at_latest_safe_release", "waves.safety_margin_minutes",
      "waves.cutoffs", "waves.utc_offset_minutes", "waves.pick_rate_units_per_hour", "waves.tote_pool",
      "waves.auto_check_s", "waves.short_policy", "waves.min_shelf_life_days", "waves.typed_codes"};
  for (const auto& [key, value] : raw) {
    if (key.rfind("waves.", 0) == 0 && !known.count(key))
      return invalid("config " + key + ": unknown setting");
  }
  auto get = [&](const std::string& key) -> const std::string* {
    auto it = raw.find(key);
    return it == raw.end() ? nullptr : &it->second;
  };
  auto integer = [&](const std::string& key, std::int64_t lo, std::int64_t hi, auto& out) -> Status {
    if (const auto* v = get(key)) {
      auto n = domain::parseInt64(*v);
      if (!n || *n < lo || *n > hi)
        return invalid("config " + key + ": must be a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi) + ", got '" + *v + "'");
      out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
    }
    return {};
  };
  auto flag = [&](const std::string& key, bool& out) -> Status {
    if (const auto* v = get(key)) {
      if (*v == "true" || *v == "1" || *v == "yes") out = true;
      else if (*v == "false" || *v == "0" || *v == "no") out = false;
      else return invalid("config " + key + ": must be true or false");
    }
    return {};
  };
  if (const auto* v = get("waves.layout")) c.layout = *v;
  if (const auto* v = get("waves.store_layout")) c.storeLayout = *v;
  if (const auto* v = get("waves.end_at")) c.endAt = *v;
  Status st;
  if (!(st = integer("waves.cart_totes", 1, wms::waves::kMaxCartTotes, c.cart.totes))) return st.error();
  if (!(st = integer("waves.tote_max_units", 0, 100000, c.cart.maxUnits))) return st.error();
  if (!(st = integer("waves.tote_max_volume_cm3", 0, 10000000, c.cart.maxVolumeCm3))) return st.error();
  if (!(st = integer("waves.tote_max_weight_g", 0, 1000000, c.cart.maxWeightG))) return st.error();
  if (const auto* v = get("waves.method")) {
    auto m = wms::waves::parseBatchingMethod(*v);
    if (!m) return invalid("config waves.method: must be fcfs, seed or savings");
    c.method = *m;
  }
  auto& r = c.release;
  if (!(st = flag("waves.group_by_carrier", r.byCarrier))) return st.error();
  if (!(st = flag("waves.group_by_priority", r.byPriorityClass))) return st.error();
  if (!(st = flag("waves.group_by_zone", r.byZone))) return st.error();
  if (!(st = flag("waves.group_by_channel", r.byChannel))) return st.error();
  if (!(st = integer("waves.max_orders_per_wave", 0, 1000000, r.maxOrdersPerWave))) return st.error();
  if (!(st = integer("waves.max_units_per_wave", 0, 100000000, r.maxUnitsPerWave))) return st.error();
  if (!(st = integer("waves.auto_every_minutes", 0, 1440, r.everyMinutes))) return st.error();
  if (!(st = integer("waves.auto_when_orders_waiting", 0, 1000000, r.whenOrdersWaiting))) return st.error();
  if (!(st = integer("waves.auto_minutes_before_cutoff", 0, 1440, r.minutesBeforeCutoff))) return st.error();
  if (!(st = flag("waves.auto_at_latest_safe_release", r.atLatestSafeRelease))) return st.error();
  if (!(st = integer("waves.safety_margin_minutes", 0, 1440, r.safetyMarginMinutes))) return st.error();
  if (auto v = wms::waves::validateReleaseConfig(r); !v) return v.error();
  if (const auto* v = get("waves.cutoffs")) {
    // carrier@HH:MM, comma-separated
    std::size_t start = 0;
    while (start < v->size()) {
      auto comma = v->find(',', start);
      std::string item = v->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? v->size() : comma + 1;
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (item.empty()) continue;
      auto at = item.find('@');
      auto colon = item.rfind(':');
      std::int64_t hh = -1, mm = -1;
      if (at != std::string::npos && at > 0 && colon != std::string::npos && colon > at) {
        hh = domain::parseInt64(item.substr(at + 1, colon - at - 1)).value_or(-1);
        mm = domain::parseInt64(item.substr(colon + 1)).value_or(-1);
      }
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
        return invalid("config waves.cutoffs: '" + item + "' must look like carrier@17:00");
      c.cutoffs.push_back({item.substr(0, at), static_cast<int>(hh * 60 + mm)});
    }
  }
  if (!(st = integer("waves.utc_offset_minutes", -840, 840, c.utcOffsetMinutes))) return st.error();
  if (const auto* v = get("waves.pick_rate_units_per_hour")) {
    auto n = domain::parseInt64(*v);
    if (!n || *n < 1 || *n > 100000) return invalid("config waves.pick_rate_units_per_hour: must be 1 to 100000");
    c.pickRateUnitsPerHour = static_cast<double>(*n);
  }
  if (!(st = integer("waves.tote_pool", 1, 100000, c.totePool))) return st.error();
  std::int64_t check = c.autoCheck.count();
  if (!(st = integer("waves.auto_check_s", 1, 3600, check))) return st.error();
  c.autoCheck = std::chrono::seconds(check);
  if (const auto* v = get("waves.short_policy")) {
    if (*v == "ship_partial") c.shortPolicy = ShortPolicy::ShipPartial;
    else if (*v == "hold") c.shortPolicy = ShortPolicy::Hold;
    else if (*v == "cancel_line") c.shortPolicy = ShortPolicy::CancelLine;
    else return invalid("config waves.short_policy: must be ship_partial, hold or cancel_line");
  }
  if (!(st = integer("waves.min_shelf_life_days", 0, 3650, c.minShelfLifeDays))) return st.error();
  if (!(st = flag("waves.typed_codes", c.typedCodes))) return st.error();
  return c;
}

// ---------------------------------------------------------------------------
// Lifecycle

WaveService::WaveService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WaveService::~WaveService() { stop(); }

const store::Schema& WaveService::schema() { return waves::wavesSchema(); }

Result<std::unique_ptr<WaveService>> WaveService::create(WaveConfig config, store::Database& db, DeviceGateway& gateway,
                                                         Metrics& metrics, const stock::StockEvents& events) {
  auto impl = std::make_unique<Impl>(std::move(config), db, gateway, metrics, events);
  if (!impl->config.layout.empty()) {
    auto dc = layouts::loadLayout(impl->config.layout);
    if (!dc) return invalid("waves.layout " + impl->config.layout.string() + ": " + dc.error().message);
    impl->dc = std::move(*dc);
    if (!impl->config.endAt.empty() && !impl->dc->findPlace(impl->config.endAt))
      return invalid("waves.end_at: the layout has no packing station '" + impl->config.endAt + "'");
  }
  if (!impl->config.storeLayout.empty()) {
    auto store = layouts::loadLayout(impl->config.storeLayout);
    if (!store) return invalid("waves.store_layout " + impl->config.storeLayout.string() + ": " + store.error().message);
    impl->store = std::move(*store);
  }
  impl->registerHandlers();
  return std::unique_ptr<WaveService>(new WaveService(std::move(impl)));
}

Status WaveService::start() {
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    waves::WaveTables(tx).ensureTotePool(impl_->config.totePool);
    return {};
  });
  if (!st) {
    // A disk that cannot write now (full, read-only) does not stop the
    // start: wmsd serves what it can, says so on /healthz, and checks the
    // pool once it can write.
    if (st.error().kind != ErrorKind::Unavailable) return st;
    log().warning("cannot check the tote pool now, will when the database can write: %s", st.error().message);
    impl_->poolPending = true;
  }
  if (impl_->dc) impl_->autoThread = std::thread([this] { impl_->autoLoop(); });
  return {};
}

void WaveService::stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->autoThread.joinable()) impl_->autoThread.join();
}

// ---------------------------------------------------------------------------
// Planning a release

namespace {

// The orders waiting for a wave (allocated, not released), as the planner sees them.
std::vector<wms::waves::PlanOrder> waitingOrders(store::Tx& tx) {
  store::OrderRepository orders(tx);
  store::OrderFilter f;
  f.status = domain::OrderStatus::Allocated;
  f.limit = 1000000;
  std::vector<wms::waves::PlanOrder> out;
  for (const auto& o : orders.list(f)) {
    wms::waves::PlanOrder p;
    p.id = o.id;
    p.channel = o.channel;
    p.level = o.serviceLevel;
    p.priority = o.priority;
    p.carrier = o.carrier;
    p.createdAtMs = o.createdAtMs;
    for (const auto& l : o.lines) {
      const auto qty = l.allocated;  // what the order holds (all of it, for an allocated order)
      if (qty > 0) p.lines.push_back({l.lineNo, l.sku, qty});
    }
    if (!p.lines.empty()) out.push_back(std::move(p));
  }
  return out;
}

// The stock the planner may take for these SKUs at a site's layout: stock at
// the layout's pick locations less what open stops will already take.
// Reserve shelves are in the layout too (the upper levels), but pickers are
// never sent there: replenishment brings their stock down to the faces.
// Nor to a location `frozen` for a count (LocationFreezes.h).
Result<wms::waves::StockIndex> stockIndexFor(store::Tx& tx, const layouts::Layout& layout,
                                             const std::set<std::string>& skus, const std::set<std::string>& frozen) {
  store::CatalogRepository catalog(tx);
  store::StockRepository stock(tx);
  std::map<std::string, std::int64_t> planned;
  for (auto& [key, qty] : waves::WaveTables(tx).plannedOpenAll()) planned[key] = qty;
  std::vector<wms::waves::SkuInfo> infos;
  std::map<std::string, wms::waves::StockSlot> slots;  // by sku|location|lot
  std::map<std::string, bool> pickFace;                // location -> a pick location (looked up once)
  auto isPickFace = [&](const std::string& location) {
    auto [it, fresh] = pickFace.try_emplace(location, false);
    if (fresh) it->second = catalog.isPickLocation(location);
    return it->second;
  };
  for (const auto& code : skus) {
    auto sku = catalog.findSku(code);
    if (!sku) continue;
    infos.push_back({sku->code, sku->weightG, sku->dims.volumeCm3(), sku->expiryTracked});
    for (const auto& row : stock.at(code, "")) {
      if (!layout.find(row.location) || !isPickFace(row.location)) continue;  // not a pick location of this site
      if (frozen.count(row.location)) continue;                               // being counted
      const std::string key = row.sku + "|" + row.location + "|" + row.lot;
      auto& slot = slots[key];
      if (slot.sku.empty()) slot = {row.sku, row.location, row.lot, row.expiry, 0};
      slot.qty += row.qty;
      if (!row.expiry.empty() && (slot.expiry.empty() || row.expiry < slot.expiry)) slot.expiry = row.expiry;
    }
  }
  std::vector<wms::waves::StockSlot> list;
  for (auto& [key, slot] : slots) {
    auto it = planned.find(key);
    slot.qty = std::max<std::int64_t>(0, slot.qty - (it == planned.end() ? 0 : it->second));
    if (slot.qty > 0) list.push_back(slot);
  }
  return wms::waves::StockIndex::build(layout, infos, list);
}

std::string today(std::int64_t nowMs, int utcOffsetMinutes, int plusDays) {
  return wms::waves::formatLocalTime(nowMs + static_cast<std::int64_t>(plusDays) * 86400000, utcOffsetMinutes)
      .substr(0, 10);
}

}  // namespace

Result<WaveService::Impl::Planned> WaveService::Impl::releaseInTx(store::Tx& tx, const std::vector<std::int64_t>& orderIds,
                                                                  const std::string& site,
                                                                  std::optional<wms::waves::BatchingMethod> method,
                                                                  const std::string& trigger,
                                                                  const std::string& reason, Replies& replies) {
  const layouts::Layout* layout = layoutOf(site);
  if (!layout) return invalid("site '" + site + "' has no layout configured");
  auto all = waitingOrders(tx);
  std::vector<wms::waves::PlanOrder> selected;
  std::set<std::int64_t> wanted(orderIds.begin(), orderIds.end());
  for (auto& o : all) {
    if (siteOf(o.level) != site) continue;
    if (!wanted.empty() && !wanted.count(o.id)) continue;
    selected.push_back(std::move(o));
  }
  if (selected.empty()) return Planned{};

  waves::WaveTables tables(tx);
  const auto now = tx.nowMs();
  auto cutoffs = wms::waves::nextCutoffs(config.cutoffs, now, config.utcOffsetMinutes);
  if (!cutoffs) return cutoffs.error();
  wms::waves::ReleaseContext context;
  context.cutoffs = *cutoffs;
  auto [recentUnits, recentPickers] = tables.recentPicks(now - 3600000);
  std::int64_t pickers = 0;
  for (const auto& d : store::DeviceRepository(tx).list())
    if (!d.badge.empty() && d.mode == "pick" && d.state == "online") ++pickers;
  context.rate.unitsPerHourPerPicker =
      recentUnits >= 50 && recentPickers > 0 ? static_cast<double>(recentUnits) / static_cast<double>(recentPickers)
                                             : config.pickRateUnitsPerHour;
  context.rate.pickers = static_cast<int>(std::max<std::int64_t>(1, pickers));
  context.backlogUnits = tables.backlogUnits();
  context.utcOffsetMinutes = config.utcOffsetMinutes;
  auto proposals = wms::waves::proposeWaves(selected, now, config.release, context);
  if (!proposals) return proposals.error();

  std::map<std::int64_t, const wms::waves::PlanOrder*> byId;
  for (const auto& o : selected) byId[o.id] = &o;
  Planned out;
  std::vector<std::pair<std::int64_t, std::string>> heldForStock;
  layouts::Router router(*layout);
  store::OrderRepository orders(tx);
  store::ExceptionRepository exceptions(tx);
  const std::set<std::string> frozen = frozenAt(tx.nowMs());
  for (const auto& proposal : *proposals) {
    std::vector<wms::waves::PlanOrder> waveOrders;
    std::set<std::string> skus;
    for (auto id : proposal.orders) {
      waveOrders.push_back(*byId.at(id));
      for (const auto& l : byId.at(id)->lines) skus.insert(l.sku);
    }
    // Rebuilt per wave so that each sees what the waves before it took.
    auto index = stockIndexFor(tx, *layout, skus, frozen);
    if (!index) return index.error();
    wms::waves::PlanOptions options;
    options.batching.method = method.value_or(config.method);
    options.batching.cart = config.cart;
    if (!config.endAt.empty()) options.sequence.end = layout->findPlace(config.endAt);
    if (config.minShelfLifeDays > 0)
      options.allocation.notExpiringBefore = today(now, config.utcOffsetMinutes, config.minShelfLifeDays);
    auto plan = wms::waves::planWave(waveOrders, *index, options, router);
    if (!plan && plan.error().kind == ErrorKind::InsufficientStock) {
      // None of its orders has its units at the pick locations: each one's
      // own reason, from the allocation alone.
      if (auto allocation = wms::waves::allocate(waveOrders, *index, options.allocation)) {
        for (const auto& r : allocation->rejected) {
          out.rejected.emplace_back(r.order, r.message);
          heldForStock.emplace_back(r.order, r.message);
        }
        continue;
      }
    }
    if (!plan) {
      for (auto id : proposal.orders) out.rejected.emplace_back(id, plan.error().message);
      continue;
    }
    if (auto problems = wms::waves::checkWavePlan(waveOrders, *index, *plan, config.cart, router); !problems.empty())
      return Error{ErrorKind::Internal, "the wave plan broke an invariant: " + problems.front()};
    for (const auto& r : plan->allocation.rejected) {
      out.rejected.emplace_back(r.order, r.message);
      heldForStock.emplace_back(r.order, r.message);
    }
    if (plan->batches.empty()) continue;

    // The batches that get their totes now, in the planner's order; the
    // orders of the others stay allocated for a later release.
    tables.releaseFinishedTotes();
    std::int64_t free = tables.freeToteCount();
    std::vector<std::size_t> going;
    for (std::size_t b = 0; b < plan->batches.size(); ++b) {
      const auto need = static_cast<std::int64_t>(plan->batches[b].totes.size());
      if (need <= free) {
        going.push_back(b);
        free -= need;
        continue;
      }
      for (auto idx : plan->batches[b].orders)
        out.deferred.emplace_back(plan->allocation.orders[idx].id,
                                  "no free tote: its batch needs " + std::to_string(need) + ", " +
                                      std::to_string(free) + " of " + std::to_string(tables.totePoolSize()) +
                                      " are free (waves.tote_pool)");
    }
    if (going.size() < plan->batches.size()) {
      toteShortageAtMs = now;
      metrics.add("waves_batches_deferred_total", {}, static_cast<std::int64_t>(plan->batches.size() - going.size()));
    }
    if (going.empty()) continue;

    waves::WaveRow wave;
    wave.name = proposal.name;
    wave.site = site;
    wave.status = WaveStatus::Released;
    wave.trigger = trigger;
    wave.reason = reason;
    wave.carrier = proposal.carrier;
    wave.cutoffMs = proposal.cutoffMs.value_or(0);
    wave.method = std::string(wms::waves::toString(options.batching.method));
    wave.releasedAtMs = now;
    std::set<std::size_t> waveOrderIdx;
    for (auto b : going) {
      waveOrderIdx.insert(plan->batches[b].orders.begin(), plan->batches[b].orders.end());
      wave.plannedMm += plan->pickLists[b].distanceMm;
    }
    wave.orders = static_cast<std::int64_t>(waveOrderIdx.size());
    for (auto idx : waveOrderIdx) {
      const auto& ao = plan->allocation.orders[idx];
      wave.lines += static_cast<std::int64_t>(ao.lines.size());
      wave.units += ao.units;
    }
    wave.batches = static_cast<std::int64_t>(going.size());
    wave.id = tables.insertWave(wave);

    for (auto b : going) {
      const auto& batch = plan->batches[b];
      const auto& list = plan->pickLists[b];
      waves::BatchRow row;
      row.waveId = wave.id;
      row.number = batch.number;
      row.status = BatchStatus::Ready;
      row.zone = batch.zone;
      row.totes = static_cast<int>(batch.totes.size());
      row.units = batch.units;
      row.plannedMm = list.distanceMm;
      row.oversize = batch.oversize;
      row.id = tables.insertBatch(row);
      auto codes = tables.takeFreeTotes(row.totes, row.id);
      if (static_cast<int>(codes.size()) != row.totes)
        return Error{ErrorKind::Internal, "the tote pool gave " + std::to_string(codes.size()) + " of the " +
                                              std::to_string(row.totes) + " free totes it counted"};
      for (std::size_t t = 0; t < batch.totes.size(); ++t)
        tables.insertTote({row.id, batch.totes[t].number, codes[t], batch.totes[t].order});
      for (const auto& s : list.stops) {
        waves::StopRow stop{row.id, s.id, s.seq, s.locationCode, s.sku, s.lot, s.expiry, s.qty, 0, 0, StopStatus::Open, "", {}};
        for (const auto& p : s.puts) stop.puts.push_back({p.tote, p.order, p.lineNo, p.qty, 0});
        tables.insertStop(stop);
      }
      for (auto idx : batch.orders) {
        const auto id = plan->allocation.orders[idx].id;
        tables.addWaveOrder(wave.id, id, row.id);
        orders.setStatus(id, domain::OrderStatus::Released);
      }
    }
    noteFreeTotes(tables);
    metrics.add("waves_released_total", "site=\"" + site + "\"");
    log().information("released wave %Ld '%s' (%s): %Ld orders, %Ld units, %Ld batches, %.1f m planned",
                      static_cast<Poco::Int64>(wave.id), wave.name, trigger, static_cast<Poco::Int64>(wave.orders),
                      static_cast<Poco::Int64>(wave.units), static_cast<Poco::Int64>(wave.batches),
                      static_cast<double>(wave.plannedMm) / 1000.0);
    out.waves.push_back(wave);
  }
  for (const auto& [id, message] : out.rejected)
    exceptions.raise("wave_rejected", "order:" + std::to_string(id), message);
  // An order whose units are not at this site's pick locations (they are in
  // reserve, at the other site, or were written off after shorts) cannot be
  // picked by any later wave either: it is held for a person (replenish the
  // pick face or move the stock, then release the hold), not left allocated
  // for ever with its planning repeated at every release.
  // An order whose units are on a shelf being counted waits for the count
  // (a later release), it is not held.
  const auto onFrozenShelf = [&](const domain::Order& o) {
    for (const auto& line : o.lines)
      for (const auto& row : store::StockRepository(tx).at(line.sku, ""))
        if (row.qty > 0 && frozen.count(row.location)) return true;
    return false;
  };
  for (const auto& [id, message] : heldForStock) {
    auto o = orders.find(id);
    if (o && o->status == domain::OrderStatus::Allocated && !onFrozenShelf(*o))
      orders.setStatus(id, domain::OrderStatus::Held, protocol::fitText("not at the " + site + "'s pick locations: " + message));
  }
  assignWork(tx, replies);
  store::crashPoint(tx, "release");  // the chaos day's kill -9 inside a wave release
  return out;
}

Result<ReleasedWaves> WaveService::release(const ReleaseRequest& request) {
  if (!impl_->dc) return invalid("waves are off: no waves.layout configured");
  if (!request.site.empty() && request.site != "dc" && request.site != "store")
    return invalid("site must be dc or store");
  ReleasedWaves out;
  Replies replies;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    out = {};
    replies = Replies{};
    if (!request.orders.empty()) {
      store::OrderRepository orders(tx);
      for (auto id : request.orders) {
        auto o = orders.find(id);
        if (!o) return invalid("no order " + std::to_string(id));
        if (o->status != domain::OrderStatus::Allocated)
          return invalid("order " + std::to_string(id) + " is " + domain::toString(o->status) +
                         ", not waiting for a wave");
      }
    }
    bool any = false;
    for (const char* site : {"store", "dc"}) {
      if (!request.site.empty() && request.site != site) continue;
      if (!impl_->layoutOf(site)) continue;
      auto planned = impl_->releaseInTx(tx, request.orders, site, request.method, "manual",
                                        "released by a supervisor", replies);
      if (!planned) return planned.error();
      any = any || !planned->waves.empty() || !planned->rejected.empty();
      out.waves.insert(out.waves.end(), planned->waves.begin(), planned->waves.end());
      out.rejected.insert(out.rejected.end(), planned->rejected.begin(), planned->rejected.end());
      out.deferred.insert(out.deferred.end(), planned->deferred.begin(), planned->deferred.end());
    }
    if (!any && !out.deferred.empty())
      return Error{ErrorKind::Conflict, "no free tote for any batch: " + std::to_string(out.deferred.size()) +
                                            " order(s) wait (" + out.deferred.front().second + ")"};
    if (!any) return invalid("nothing to release: no orders are waiting for a wave");
    DeviceGateway::queue(tx, replies);
    return {};
  });
  if (!st) return st.error();
  impl_->gateway.wake();
  return out;
}

Result<std::vector<wms::waves::WaveProposal>> WaveService::preview(const std::string& site) {
  if (!impl_->dc) return invalid("waves are off: no waves.layout configured");
  std::vector<wms::waves::WaveProposal> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    std::vector<wms::waves::PlanOrder> selected;
    for (auto& o : waitingOrders(tx))
      if (site.empty() || impl_->siteOf(o.level) == site) selected.push_back(std::move(o));
    if (selected.empty()) return {};
    auto cutoffs = wms::waves::nextCutoffs(impl_->config.cutoffs, tx.nowMs(), impl_->config.utcOffsetMinutes);
    if (!cutoffs) return cutoffs.error();
    wms::waves::ReleaseContext context;
    context.cutoffs = *cutoffs;
    context.rate = {impl_->config.pickRateUnitsPerHour, 1};
    context.backlogUnits = waves::WaveTables(tx).backlogUnits();
    context.utcOffsetMinutes = impl_->config.utcOffsetMinutes;
    auto proposals = wms::waves::proposeWaves(selected, tx.nowMs(), impl_->config.release, context);
    if (!proposals) return proposals.error();
    out = std::move(*proposals);
    return {};
  });
  if (!st) return st.error();
  return out;
}

// ---------------------------------------------------------------------------
// Automatic release

void WaveService::Impl::autoLoop() {
  for (;;) {
    {
      std::unique_lock lock(mutex);
      if (cv.wait_for(lock, config.autoCheck, [&] { return stopping; })) return;
    }
    Replies replies;
    int released = 0;
    const bool pool = poolPending;
    auto st = db.write([&](store::Tx& tx) -> Status {
      replies = Replies{};
      released = 0;
      if (pool) waves::WaveTables(tx).ensureTotePool(config.totePool);
      for (const char* site : {"store", "dc"}) {
        const layouts::Layout* layout = layoutOf(site);
        if (!layout) continue;
        std::vector<wms::waves::PlanOrder> waiting;
        for (auto& o : waitingOrders(tx))
          if (siteOf(o.level) == site) waiting.push_back(std::move(o));
        if (waiting.empty()) continue;
        auto cutoffs = wms::waves::nextCutoffs(config.cutoffs, tx.nowMs(), config.utcOffsetMinutes);
        if (!cutoffs) return cutoffs.error();
        waves::WaveTables tables(tx);
        std::optional<wms::waves::Millis> last;
        for (const auto& w : tables.waves(std::nullopt, 0, 50))
          if (w.site == site) last = std::max(last.value_or(0), w.releasedAtMs);
        wms::waves::ReleaseState state;
        state.waiting = waiting;
        state.lastReleaseMs = last;
        state.context.cutoffs = *cutoffs;
        state.context.rate = {config.pickRateUnitsPerHour, 1};
        state.context.backlogUnits = tables.backlogUnits();
        state.context.utcOffsetMinutes = config.utcOffsetMinutes;
        auto decision = wms::waves::autoRelease(state, tx.nowMs(), config.release);
        if (!decision) return decision.error();
        if (!*decision) continue;
        std::vector<std::int64_t> ids;
        for (const auto& w : (*decision)->waves) ids.insert(ids.end(), w.orders.begin(), w.orders.end());
        std::string trigger = (*decision)->triggers.empty() ? "auto" : wms::waves::toString((*decision)->triggers.front());
        auto planned = releaseInTx(tx, ids, site, std::nullopt, trigger, (*decision)->reason, replies);
        if (!planned) return planned.error();
        released += static_cast<int>(planned->waves.size());
      }
      DeviceGateway::queue(tx, replies);
      return {};
    });
    auto& health = metrics.background().loop("waves.auto_release");
    if (!health.check("releasing waves automatically", st)) {
      metrics.add("waves_auto_release_failures_total");
      // Backed off beyond the usual check, so that a broken disk is not hammered.
      std::unique_lock lock(mutex);
      if (cv.wait_for(lock, health.backoff(), [&] { return stopping; })) return;
      continue;
    }
    if (pool) {
      poolPending = false;
      log().information("the tote pool was checked now that the database can write");
    }
    if (released > 0) gateway.wake();
  }
}

// ---------------------------------------------------------------------------
// Assignment

protocol::TaskAssign WaveService::Impl::taskAssign(store::Tx& tx, const waves::BatchRow& batch) {
  waves::WaveTables tables(tx);
  store::CatalogRepository catalog(tx);
  protocol::TaskAssign task;
  task.device = batch.device;
  task.ts = tx.nowMs();
  task.batchId = std::to_string(batch.id);
  task.waveId = std::to_string(batch.waveId);
  task.rev = batch.rev;
  task.typedCodes = config.typedCodes;
  std::map<int, std::string> toteCode;
  for (const auto& t : tables.totes(batch.id)) {
    toteCode[t.number] = t.tote;
    // A tote whose order was taken off went back to the pool: not on this cart.
    if (t.bound) task.totes.push_back({cartSlot(t.number), t.tote});
  }
  std::map<std::string, domain::Sku> skus;
  for (const auto& s : tables.stops(batch.id)) {
    if (s.status != StopStatus::Open) continue;
    if (!skus.count(s.sku)) {
      auto sku = catalog.findSku(s.sku);
      skus[s.sku] = sku.value_or(domain::Sku{});
    }
    const auto& sku = skus[s.sku];
    protocol::PickStop stop;
    stop.stopId = std::to_string(s.stopId);
    stop.seq = s.seq;
    stop.location = s.location;
    stop.sku = s.sku;
    stop.description = protocol::fitText(sku.description.empty() ? s.sku : sku.description);
    for (const auto& b : sku.barcodes) {
      if (stop.barcodes.size() < protocol::kMaxBarcodes) stop.barcodes.push_back(b.value);
    }
    if (stop.barcodes.empty()) stop.barcodes.push_back(s.sku);  // an internal label with the SKU code
    stop.qty = static_cast<int>(s.qty - s.picked - s.shortQty);
    if (!s.lot.empty()) stop.lot = s.lot;
    for (const auto& p : s.puts) {
      if (p.qty - p.picked <= 0) continue;
      stop.puts.push_back({toteCode[p.tote], static_cast<int>(p.qty - p.picked), std::to_string(p.orderId),
                           std::to_string(p.lineNo)});
    }
    task.stops.push_back(std::move(stop));
  }
  return task;
}

void WaveService::Impl::assignWork(store::Tx& tx, Replies& replies) {
  waves::WaveTables tables(tx);
  store::DeviceRepository devices(tx);
  auto ready = tables.batches(0, BatchStatus::Ready, 10000);
  if (ready.empty()) return;
  // The picker who has been free the longest gets the next batch: free
  // since signing in, or since finishing the last batch, whichever is later.
  // (By sign-in time alone, whoever signed in first would take every batch
  // as long as they kept finishing before the next one was ready.)
  auto all = devices.list();
  std::map<std::string, std::int64_t> freeSince;
  for (const auto& d : all) freeSince[d.device] = std::max(d.signedInAtMs, tables.lastFinishedMs(d.device));
  std::sort(all.begin(), all.end(), [&](const store::Device& a, const store::Device& b) {
    return std::tie(freeSince[a.device], a.device) < std::tie(freeSince[b.device], b.device);
  });
  for (const auto& d : all) {
    if (ready.empty()) return;
    if (d.badge.empty() || d.mode != "pick" || d.state != "online") continue;
    if (!tables.batchesOfDevice(d.device, BatchStatus::Assigned).empty()) continue;
    std::set<std::string> zones;
    {
      const std::string text = devices.zonesOf(d.badge);
      std::size_t start = 0;
      while (start < text.size()) {
        auto comma = text.find(',', start);
        std::string z = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        z.erase(0, z.find_first_not_of(' '));
        z.erase(z.find_last_not_of(' ') + 1);
        if (!z.empty()) zones.insert(z);
        start = comma == std::string::npos ? text.size() : comma + 1;
      }
    }
    // The first batch of the picker's zones that still has something to
    // pick; one emptied meanwhile (its orders cancelled) is finished instead.
    std::optional<waves::BatchRow> next;
    while (!next) {
      auto it = std::find_if(ready.begin(), ready.end(), [&](const waves::BatchRow& b) {
        return zones.empty() || b.zone.empty() || zones.count(b.zone);
      });
      if (it == ready.end()) break;
      waves::BatchRow candidate = *it;
      ready.erase(it);
      if (!finishIfNothingLeft(tx, candidate, "nothing is left to pick on it", replies)) next = candidate;
    }
    if (!next) continue;
    waves::BatchRow batch = *next;
    batch.device = d.device;
    batch.badge = d.badge;
    batch.status = BatchStatus::Assigned;
    tables.assignBatch(batch.id, batch.device, batch.badge, batch.rev);
    replies.send(taskAssign(tx, batch));
    metrics.add("batches_assigned_total");
  }
}

bool WaveService::Impl::finishIfNothingLeft(store::Tx& tx, const waves::BatchRow& batch, const std::string& why,
                                             Replies& replies) {
  waves::WaveTables tables(tx);
  if (batch.status != BatchStatus::Ready && batch.status != BatchStatus::Assigned) return false;
  if (tables.openStopCount(batch.id) > 0) return false;
  bool anything = false;
  for (const auto& s : tables.stops(batch.id))
    if (s.picked > 0 || s.shortQty > 0) anything = true;
  if (anything) {
    // Its device sends batch.done once it has the update; that is then a no-op.
    tables.setBatchStatus(batch.id, BatchStatus::Done);
  } else {
    if (batch.status == BatchStatus::Assigned && !batch.device.empty()) {
      protocol::TaskCancel cancel;
      cancel.device = batch.device;
      cancel.ts = tx.nowMs();
      cancel.batchId = std::to_string(batch.id);
      cancel.reason = protocol::fitText("batch withdrawn: " + why + "; return the empty totes");
      replies.send(cancel);
    }
    tables.setBatchStatus(batch.id, BatchStatus::Cancelled);
  }
  tables.releaseFinishedTotes();
  noteFreeTotes(tables);
  refreshWaveStatus(tx, batch.waveId);
  metrics.add("batches_emptied_total", std::string("was=\"") + toString(batch.status) + "\"");
  log().information("batch %Ld finished early (%s): %s", static_cast<Poco::Int64>(batch.id),
                    std::string(anything ? "done" : "cancelled"), why);
  return true;
}

void WaveService::Impl::noteFreeTotes(waves::WaveTables& tables) {
  const auto free = tables.freeToteCount();
  metrics.counter("totes_free") = free;
  auto lowest = lowestFreeTotes.load();
  while ((lowest < 0 || free < lowest) && !lowestFreeTotes.compare_exchange_weak(lowest, free)) {
  }
  metrics.counter("totes_free_lowest") = lowestFreeTotes.load();
}

void WaveService::orderShippedInTx(store::Tx& tx, domain::OrderId) {
  waves::WaveTables tables(tx);
  if (tables.releaseFinishedTotes() > 0) impl_->noteFreeTotes(tables);
}

const layouts::Layout* WaveService::dcLayout() const noexcept { return impl_->layoutOf("dc"); }
const layouts::Layout* WaveService::storeLayout() const noexcept { return impl_->layoutOf("store"); }

std::map<std::pair<std::string, std::string>, std::int64_t> WaveService::openPicks(store::Tx& tx) {
  std::map<std::pair<std::string, std::string>, std::int64_t> out;
  store::Query q(tx,
                 "SELECT s.sku, s.location, SUM(s.qty - s.picked - s.short_qty) FROM stops s JOIN batches b ON "
                 "b.id = s.batch_id JOIN locations l ON l.code = s.location AND l.kind = 'pick' "
                 "WHERE s.status = 'open' AND b.status IN ('ready', 'assigned') "
                 "GROUP BY s.sku, s.location");
  while (q.step())
    if (q.integer(2) > 0) out[{q.text(0), q.text(1)}] = q.integer(2);
  return out;
}

void WaveService::frozenFrom(FrozenLocations frozen) { impl_->frozenSource = std::move(frozen); }

std::set<std::pair<std::string, std::string>> WaveService::emergencyFaces(store::Tx& tx) {
  std::set<std::pair<std::string, std::string>> out;
  store::Query q(tx,
                 "SELECT DISTINCT s.sku, s.location FROM stops s JOIN batches b ON b.id = s.batch_id "
                 "JOIN locations l ON l.code = s.location AND l.kind = 'pick' "
                 "WHERE s.status = 'open' AND s.reason = ? AND b.status IN ('ready', 'assigned')");
  q.bind(std::string(waves::kEmergencyStop));
  while (q.step()) out.insert({q.text(0), q.text(1)});
  return out;
}

void WaveService::emergencyRefilled(store::Tx& tx, const std::string& sku, const std::string& location,
                                    std::int64_t qty) {
  std::vector<std::pair<std::int64_t, int>> covered;
  {
    store::Query q(tx,
                   "SELECT s.batch_id, s.stop_id, s.qty - s.picked - s.short_qty FROM stops s JOIN batches b ON "
                   "b.id = s.batch_id WHERE s.sku = ? AND s.location = ? AND s.status = 'open' AND s.reason = ? AND "
                   "b.status IN ('ready', 'assigned') ORDER BY s.batch_id, s.stop_id");
    q.bind(sku).bind(location).bind(std::string(waves::kEmergencyStop));
    while (qty > 0 && q.step()) {
      covered.push_back({q.integer(0), static_cast<int>(q.integer(1))});
      qty -= q.integer(2);
    }
  }
  for (const auto& [batch, stop] : covered)
    store::exec(tx, "UPDATE stops SET reason = ? WHERE batch_id = ? AND stop_id = ?",
                std::string(waves::kEmergencyRefilled), batch, static_cast<std::int64_t>(stop));
}

std::string WaveService::whyStuck(store::Tx& tx, Stage stage, const domain::Order& order) {
  waves::WaveTables tables(tx);
  const auto ago = [&](std::int64_t ms) {
    const auto s = std::max<std::int64_t>(0, (tx.nowMs() - ms) / 1000);
    return s < 120 ? std::to_string(s) + " s" : std::to_string(s / 60) + " min";
  };
  if (stage == Stage::Allocated) {
    const std::string site = impl_->siteOf(order.serviceLevel);
    if (!impl_->layoutOf(site)) return "waves are off for site " + site + " (no layout configured)";
    if (auto why = store::ExceptionRepository(tx).openMessage("wave_rejected", "order:" + std::to_string(order.id)))
      return "the wave planner could not take it: " + *why;
    const auto free = tables.freeToteCount();
    const auto shortage = impl_->toteShortageAtMs.load();
    if (free == 0 || (shortage > order.updatedAtMs && shortage > 0))
      return "no free tote: " + std::to_string(free) + " of " + std::to_string(tables.totePoolSize()) +
             " totes are free (waves.tote_pool), the rest hold picked orders not shipped yet";
    return "no wave has taken it yet (waves are released by a supervisor or by the waves.auto_* rules)";
  }
  if (stage != Stage::Released) return {};
  auto batches = tables.openBatchesOfOrder(order.id);
  if (batches.empty()) return "it is on no open batch";
  auto batch = tables.batch(batches.front());
  if (!batch) return {};
  const std::string name = "batch " + std::to_string(batch->id);
  if (batch->status == BatchStatus::Ready) {
    int pickers = 0, busy = 0;
    store::DeviceRepository devices(tx);
    for (const auto& d : devices.list()) {
      if (d.badge.empty() || d.mode != "pick" || d.state != "online") continue;
      ++pickers;
      if (!tables.batchesOfDevice(d.device, BatchStatus::Assigned).empty()) ++busy;
    }
    if (pickers == 0) return name + " waits for a picker: nobody is signed in to pick";
    if (busy == pickers)
      return name + " waits for a picker: all " + std::to_string(pickers) + " signed-in pickers have a batch";
    return name + " waits for a picker" + (batch->zone.empty() ? "" : " of zone " + batch->zone) +
           ": none of the free pickers works its zone";
  }
  auto device = store::DeviceRepository(tx).find(batch->device);
  const std::string state = device ? device->state : "unknown";
  if (state != "online")
    return name + " is with handheld " + batch->device + ", which is " + state + " (last heard " +
           ago(device ? device->lastSeenMs : 0) + " ago)";
  return name + " is with handheld " + batch->device + " (badge " + batch->badge +
         "), which has not confirmed a pick of it for " + ago(order.updatedAtMs);
}

// ---------------------------------------------------------------------------
// Queries and supervisor actions

Result<std::vector<waves::WaveRow>> WaveService::listWaves(std::optional<waves::WaveStatus> status, std::int64_t beforeId,
                                                           int limit) {
  std::vector<waves::WaveRow> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    out = waves::WaveTables(tx).waves(status, beforeId, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<WaveDetail> WaveService::wave(std::int64_t id) {
  std::optional<WaveDetail> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    waves::WaveTables tables(tx);
    auto w = tables.wave(id);
    if (!w) return {};
    WaveDetail d;
    d.wave = *w;
    d.batches = tables.batches(id, std::nullopt, 100000);
    std::set<std::pair<std::int64_t, int>> lines, linesOpen, linesShort;
    for (const auto& b : d.batches) {
      if (b.status == BatchStatus::Cancelled) continue;
      std::map<int, bool> toteOpen;
      for (const auto& s : tables.stops(b.id)) {
        if (s.status == StopStatus::Removed) continue;
        d.counts.unitsTotal += s.qty;
        d.counts.unitsPicked += s.picked;
        d.counts.unitsShort += s.shortQty;
        for (const auto& p : s.puts) {
          lines.insert({p.orderId, p.lineNo});
          if (s.status == StopStatus::Open) {
            linesOpen.insert({p.orderId, p.lineNo});
            toteOpen[p.tote] = true;
          } else {
            toteOpen.try_emplace(p.tote, false);
          }
          if (s.status == StopStatus::Short) linesShort.insert({p.orderId, p.lineNo});
        }
      }
      for (const auto& [tote, open] : toteOpen) {
        ++d.counts.totesTotal;
        if (!open) ++d.counts.totesDone;
      }
    }
    d.counts.linesTotal = static_cast<std::int64_t>(lines.size());
    d.counts.linesDone = static_cast<std::int64_t>(lines.size() - linesOpen.size());
    d.counts.linesShort = static_cast<std::int64_t>(linesShort.size());
    std::optional<wms::waves::Millis> cutoff;
    if (w->cutoffMs) cutoff = w->cutoffMs;
    auto progress = wms::waves::waveProgress(d.counts, tx.nowMs(), {impl_->config.pickRateUnitsPerHour, 1}, cutoff,
                                             impl_->config.release.safetyMarginMinutes);
    if (progress) d.progress = *progress;
    out = std::move(d);
    return {};
  });
  if (!st) return st.error();
  if (!out) return Error{ErrorKind::NotFound, "no wave " + std::to_string(id)};
  return *out;
}

Result<std::vector<waves::BatchRow>> WaveService::listBatches(std::int64_t waveId, std::optional<waves::BatchStatus> status,
                                                              int limit) {
  std::vector<waves::BatchRow> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    out = waves::WaveTables(tx).batches(waveId, status, limit);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<BatchDetail> WaveService::batch(std::int64_t id) {
  std::optional<BatchDetail> out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    waves::WaveTables tables(tx);
    auto b = tables.batch(id);
    if (!b) return {};
    out = BatchDetail{*b, tables.totes(id), tables.stops(id)};
    return {};
  });
  if (!st) return st.error();
  if (!out) return Error{ErrorKind::NotFound, "no batch " + std::to_string(id)};
  return *out;
}

Result<TotePool> WaveService::totePool() {
  TotePool out;
  auto st = impl_->db.read([&](store::Tx& tx) -> Status {
    waves::WaveTables tables(tx);
    out.size = tables.totePoolSize();
    out.free = tables.freeToteCount();
    out.onCarts = *store::queryInteger(tx,
                                       "SELECT COUNT(*) FROM batch_totes bt JOIN batches b ON b.id = bt.batch_id "
                                       "WHERE bt.freed_at = 0 AND b.status IN ('ready', 'assigned')");
    out.holding = *store::queryInteger(tx,
                                       "SELECT COUNT(*) FROM batch_totes bt JOIN batches b ON b.id = bt.batch_id "
                                       "WHERE bt.freed_at = 0 AND b.status IN ('done', 'cancelled')");
    out.boundTwice = *store::queryInteger(
        tx,
        "SELECT COUNT(*) FROM (SELECT bt.tote FROM batch_totes bt JOIN batches b ON b.id = bt.batch_id "
        "WHERE bt.freed_at = 0 AND b.status IN ('ready', 'assigned') GROUP BY bt.tote HAVING COUNT(*) > 1)");
    return {};
  });
  if (!st) return st.error();
  out.lowestFree = impl_->lowestFreeTotes.load();
  return out;
}

namespace {

protocol::TaskCancel taskCancel(const std::string& device, std::int64_t batchId, const std::string& reason,
                                std::int64_t nowMs) {
  protocol::TaskCancel c;
  c.device = device;
  c.ts = nowMs;
  c.batchId = std::to_string(batchId);
  c.reason = protocol::fitText(reason.empty() ? "withdrawn by a supervisor" : reason);
  return c;
}

bool anythingPicked(waves::WaveTables& tables, std::int64_t batchId) {
  for (const auto& s : tables.stops(batchId))
    if (s.picked > 0 || s.shortQty > 0) return true;
  return false;
}

}  // namespace

Result<waves::WaveRow> WaveService::cancelWave(std::int64_t id, const std::string& reason) {
  if (auto st = domain::checkText(reason, "reason", 200); !st) return st.error();
  waves::WaveRow out;
  Replies replies;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    replies = Replies{};
    waves::WaveTables tables(tx);
    auto w = tables.wave(id);
    if (!w) return Error{ErrorKind::NotFound, "no wave " + std::to_string(id)};
    if (w->status == WaveStatus::Cancelled) {
      out = *w;
      return {};
    }
    if (w->status == WaveStatus::Done) return Error{ErrorKind::Conflict, "wave " + std::to_string(id) + " is done"};
    auto batches = tables.batches(id, std::nullopt, 100000);
    for (const auto& b : batches) {
      if (b.status == BatchStatus::Done || anythingPicked(tables, b.id))
        return Error{ErrorKind::Conflict, "picking has started on batch " + std::to_string(b.id) + " of wave " +
                                              std::to_string(id) + "; cancel its orders one by one instead"};
    }
    store::OrderRepository orders(tx);
    for (const auto& b : batches) {
      if (b.status == BatchStatus::Cancelled) continue;
      if (b.status == BatchStatus::Assigned && !b.device.empty())
        replies.send(taskCancel(b.device, b.id, "wave cancelled: " + reason, tx.nowMs()));
      for (const auto& s : tables.stops(b.id))
        if (s.status == StopStatus::Open) tables.setStopDone(b.id, s.stopId, 0, 0, StopStatus::Removed, "wave cancelled");
      for (const auto& t : tables.totes(b.id)) tables.freeTote(t.tote);
      tables.setBatchStatus(b.id, BatchStatus::Cancelled);
    }
    for (auto orderId : tables.waveOrders(id)) {
      auto o = orders.find(orderId);
      if (o && o->status == domain::OrderStatus::Released) orders.setStatus(orderId, domain::OrderStatus::Allocated);
    }
    tables.setWaveStatus(id, WaveStatus::Cancelled);
    DeviceGateway::queue(tx, replies);
    out = *tables.wave(id);
    return {};
  });
  if (!st) return st.error();
  impl_->gateway.wake();
  return out;
}

Result<waves::BatchRow> WaveService::reassignBatch(std::int64_t id, const std::string& device) {
  waves::BatchRow out;
  Replies replies;
  auto st = impl_->db.write([&](store::Tx& tx) -> Status {
    replies = Replies{};
    waves::WaveTables tables(tx);
    store::DeviceRepository devices(tx);
    auto b = tables.batch(id);
    if (!b) return Error{ErrorKind::NotFound, "no batch " + std::to_string(id)};
    if (b->status != BatchStatus::Ready && b->status != BatchStatus::Assigned)
      return Error{ErrorKind::Conflict, "batch " + std::to_string(id) + " is " + toString(b->status)};
    if (tables.openStopCount(id) == 0)
      return Error{ErrorKind::Conflict, "batch " + std::to_string(id) +
                                            " has nothing left to pick: its device's batch.done closes it"};
    std::string badge;
    if (!device.empty()) {
      auto d = devices.find(device);
      if (!d || d->badge.empty() || d->mode != "pick")
        return Error{ErrorKind::Conflict, "device '" + device + "' has no picker signed in"};
      if (d->device != b->device && !tables.batchesOfDevice(device, BatchStatus::Assigned).empty())
        return Error{ErrorKind::Conflict, "device '" + device + "' already has a batch"};
      badge = d->badge;
    }
    if (!b->device.empty() && b->device != device)
      replies.send(taskCancel(b->device, b->id, "given to another picker", tx.nowMs()));
    const int rev = b->rev + 1;
    tables.assignBatch(id, device, badge, rev);
    out = *tables.batch(id);
    if (!device.empty()) replies.send(impl_->taskAssign(tx, out));
    else impl_->assignWork(tx, replies);
    DeviceGateway::queue(tx, replies);
    out = *tables.batch(id);
    return {};
  });
  if (!st) return st.error();
  impl_->gateway.wake();
  return out;
}

Status WaveService::dropReleasedOrder(store::Tx& tx, domain::OrderId order) {
  Replies replies;
  if (auto st = impl_->dropOrder(tx, order, replies); !st) return st;
  DeviceGateway::queue(tx, replies);
  return {};
}

}  // namespace wms::server
