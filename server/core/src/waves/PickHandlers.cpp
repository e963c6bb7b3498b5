// The floor's events: picks into totes, short picks, finished batches,
// sign-ins that take work, and work taken back from a silent device.
#include <Poco/Logger.h>

#include <algorithm>
#include <map>
#include <set>

#include "WaveImpl.h"
#include "wms/domain/Catalog.h"
#include "wms/domain/Csv.h"
#include "wms/gs1/Gs1.h"
#include "wms/layouts/Router.h"
#include "wms/protocol/Codec.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/DeviceRepository.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"
#include "wms/stock/Moves.h"
#include "wms/store/StockRepository.h"
#include "wms/waves/PickList.h"

namespace wms::server {

using waves::BatchStatus;
using waves::StopStatus;
using waves::WaveStatus;

namespace {

Poco::Logger& log() { return Poco::Logger::get("wmsd.waves"); }
Error invalid(std::string m) { return Error{ErrorKind::Invalid, std::move(m)}; }
Error conflict(std::string m) { return Error{ErrorKind::Conflict, std::move(m)}; }

// The GTIN in a scanned GS1 element string ("]C1" / "]d2" / "(01)..." /
// a bare "01" + GTIN), else the text itself: pickers may scan the GS1-128 or
// DataMatrix on a case. Read with the shared GS1 parser, as packing does.
std::string itemCode(const std::string& text) {
  if (auto parsed = gs1::parse(text)) {
    if (auto gtin = parsed->gtin()) return *gtin;
  }
  for (const char* id : {"]C1", "]d2", "]e0", "]Q3"}) {
    if (text.rfind(id, 0) == 0) return text.substr(3);
  }
  return text;
}

// The steps a picker typed instead of scanning: refused unless the
// supervisor allows typed codes (waves.typed_codes); else counted, and
// named in the ledger notes of the picked units ("item typed").
Result<std::string> typedNote(const std::vector<protocol::ScanStep>& typed, bool allowed, Metrics& metrics) {
  if (typed.empty()) return std::string();
  std::string steps;
  for (auto step : typed) steps += (steps.empty() ? "" : ", ") + std::string(protocol::toString(step));
  if (!allowed) return invalid("typed codes are not allowed (waves.typed_codes): " + steps + " must be scanned");
  for (auto step : typed) metrics.add("picks_typed_total", "step=\"" + std::string(protocol::toString(step)) + "\"");
  return "; " + steps + " typed";
}

// Who picks: the handheld and the badge signed in on it.
stock::Actor pickerOf(const DeviceContext& ctx) {
  return stock::Actor::device(ctx.device + (ctx.badge.empty() ? std::string() : "/" + ctx.badge));
}

struct BatchAndStop {
  waves::BatchRow batch;
  waves::StopRow stop;
  std::map<std::string, int> toteNumber;  // code -> number
  std::map<int, std::string> toteCode;
  // The server changed the stop while the picker was at it: removed (its
  // order cancelled, its walk replanned after a short) or already covered
  // by the pick of such a stop. Picking it is taken, not refused: see
  // pickOvertaken.
  bool overtaken = false;
};

bool isCovered(const waves::StopRow& stop) {
  return stop.status == StopStatus::Picked && stop.reason.rfind(waves::kCoveredStop, 0) == 0;
}

// A refusal the picker cannot fix by picking again: the device acted on a
// batch or a stop the server has already closed. That is the conversation
// between device and server gone out of step (a batch offered again while
// its done events were in flight, issue 20), not the picker's doing, so the
// supervisor sees it, once per device and batch, beside the refusal.
Error outOfStep(Replies& replies, const DeviceContext& ctx, const std::string& batchId, std::string why) {
  const std::string reference = "device:" + ctx.device + "/batch:" + batchId;
  const std::string message = ctx.device + (ctx.badge.empty() ? "" : " (" + ctx.badge + ")") + " sent work for " + why +
                              ": the handheld and the server disagree about this batch; check the cart";
  replies.onRefusalInTx([reference, message](store::Tx& tx) {
    store::ExceptionRepository(tx).raise("device_out_of_step", reference, message);
  });
  log().warning("%s", message);
  return conflict(std::move(why));
}

// Finds the batch and stop an event refers to and checks that this device
// may act on them now.
Result<BatchAndStop> locate(store::Tx& tx, const DeviceContext& ctx, const std::string& batchId,
                            const std::string& stopId, Replies& replies) {
  auto b = domain::parseInt64(batchId);
  auto s = domain::parseInt64(stopId);
  waves::WaveTables tables(tx);
  auto batch = b ? tables.batch(*b) : std::nullopt;
  if (!batch) return Error{ErrorKind::NotFound, "no batch '" + batchId + "'"};
  auto stop = s ? tables.stop(*b, static_cast<int>(*s)) : std::nullopt;
  // A stop removed under the picker (its order cancelled, its walk
  // replanned, its wave cancelled), or one such a stop's pick covered, was
  // on the picker's screen until the task.update or task.cancel reached the
  // handheld: its units are in the totes whatever the server planned since,
  // even if the change finished or withdrew the batch.
  const bool overtaken =
      stop && batch->device == ctx.device && (stop->status == StopStatus::Removed || isCovered(*stop));
  if (batch->status == BatchStatus::Cancelled && !overtaken)
    return conflict("batch " + batchId + " was cancelled; return what you picked");
  if (batch->device != ctx.device) return Error{ErrorKind::Forbidden, "batch " + batchId + " is not assigned to this device"};
  if (batch->status == BatchStatus::Done && !overtaken)
    return outOfStep(replies, ctx, batchId, "batch " + batchId + " is already done");
  if (!stop) return Error{ErrorKind::NotFound, "no stop '" + stopId + "' in batch " + batchId};
  if (stop->status != StopStatus::Open && !overtaken)
    return outOfStep(replies, ctx, batchId,
                     "stop " + stopId + " of batch " + batchId + ", which is already " + waves::toString(stop->status));
  BatchAndStop out{*batch, *stop, {}, {}, overtaken};
  for (const auto& t : tables.totes(*b)) {
    out.toteNumber[t.tote] = t.number;
    out.toteCode[t.number] = t.tote;
  }
  return out;
}

// Splits the units a device put into each tote over the stop's puts (its
// order lines) in that tote. Invalid if a tote is not on the cart or gets
// more than planned.
Result<std::vector<std::int64_t>> distributePuts(const BatchAndStop& at, const std::vector<protocol::TotePut>& puts) {
  std::vector<std::int64_t> picked(at.stop.puts.size(), 0);
  for (const auto& put : puts) {
    auto number = at.toteNumber.find(put.tote);
    if (number == at.toteNumber.end()) return invalid("tote " + put.tote + " is not on this cart");
    std::int64_t left = put.qty;
    for (std::size_t i = 0; i < at.stop.puts.size() && left > 0; ++i) {
      const auto& p = at.stop.puts[i];
      if (p.tote != number->second) continue;
      const auto room = p.qty - p.picked - picked[i];
      const auto take = std::min(room, left);
      picked[i] += take;
      left -= take;
    }
    if (left > 0) {
      std::int64_t planned = 0;
      for (const auto& p : at.stop.puts)
        if (p.tote == number->second) planned += p.qty - p.picked;
      return invalid("tote " + put.tote + " should get " + std::to_string(planned) + " at this stop, not " +
                     std::to_string(put.qty));
    }
  }
  return picked;
}

// Moves picked units from the stop's location into totes (the stock core's
// pick move: ledger rows, the order lines' picked counts, picked_units).
Status applyPicked(stock::Moves& moves, store::Tx& tx, const BatchAndStop& at, const std::vector<std::int64_t>& picked,
                   const std::string& noteSuffix) {
  waves::WaveTables tables(tx);
  const std::string ref = "batch:" + std::to_string(at.batch.id) + "/stop:" + std::to_string(at.stop.stopId);
  for (std::size_t i = 0; i < at.stop.puts.size(); ++i) {
    if (picked[i] == 0) continue;
    const auto& p = at.stop.puts[i];
    stock::PickToTote move{p.orderId,
                           p.lineNo,
                           {at.stop.sku, at.stop.location, at.stop.lot, at.stop.expiry, 0},
                           at.toteCode.at(p.tote),
                           picked[i],
                           ref,
                           noteSuffix};
    if (auto st = moves.pick(move); !st) {
      // As before the stock core: the picker's stop is refused as a conflict
      // (redoing the same pick cannot help), naming the location.
      if (st.error().kind == ErrorKind::InsufficientStock) return conflict(st.error().message);
      return st;
    }
    tables.setPutPicked(at.batch.id, at.stop.stopId, p.tote, p.orderId, p.lineNo, p.picked + picked[i]);
  }
  return {};
}

// The reserve stock a face's emergency replenishment would bring down:
// the first row first-expiry-first-out, as ReplenishmentService::plan takes
// it, and the units of that lot in reserve.
struct ReserveLot {
  std::string location, lot, expiry;
  std::int64_t qty = 0;
};
std::optional<ReserveLot> reserveLotFor(store::Tx& tx, const std::string& sku) {
  std::optional<ReserveLot> out;
  store::Query q(tx,
                 "SELECT s.location, s.lot, s.expiry, s.qty FROM stock s JOIN locations l ON l.code = s.location "
                 "WHERE s.sku = ? AND l.kind = 'reserve' AND s.qty > 0 ORDER BY s.expiry = '', s.expiry, s.location");
  q.bind(sku);
  while (q.step()) {
    if (!out) out = ReserveLot{q.text(0), q.text(1), q.text(2), 0};
    if (q.text(1) == out->lot && q.text(2) == out->expiry) out->qty += q.integer(3);
  }
  return out;
}

protocol::PickStop pickStopOf(store::Tx& tx, const waves::StopRow& s, const std::map<int, std::string>& toteCode) {
  auto sku = store::CatalogRepository(tx).findSku(s.sku);
  protocol::PickStop stop;
  stop.stopId = std::to_string(s.stopId);
  stop.seq = s.seq;
  stop.location = s.location;
  stop.sku = s.sku;
  stop.description = protocol::fitText(sku && !sku->description.empty() ? sku->description : s.sku);
  if (sku)
    for (const auto& b : sku->barcodes)
      if (stop.barcodes.size() < protocol::kMaxBarcodes) stop.barcodes.push_back(b.value);
  if (stop.barcodes.empty()) stop.barcodes.push_back(s.sku);
  stop.qty = static_cast<int>(s.qty - s.picked - s.shortQty);
  if (!s.lot.empty()) stop.lot = s.lot;
  for (const auto& p : s.puts)
    if (p.qty - p.picked > 0)
      stop.puts.push_back({toteCode.at(p.tote), static_cast<int>(p.qty - p.picked), std::to_string(p.orderId),
                           std::to_string(p.lineNo)});
  return stop;
}

// The units a handheld was asked for at a stop when it showed it: for a
// stop a removed stop's pick covered, all of it (it was new then).
std::int64_t askedAt(const waves::StopRow& stop) {
  return stop.qty - stop.shortQty - (isCovered(stop) ? 0 : stop.picked);
}

// A pick (or the picked part of a short) of an overtaken stop (issue 20:
// the 20,000-order day under faults refused these as "no stop"): nothing
// the picker did is refused, and no unit is counted twice.
// - The units for orders still on the batch do the work of the open stops
//   that replaced this one at the same slot (the rest of a stop after a
//   cancel, a replanned stop): picked from the shelf into those totes now.
//   A replacement so covered is picked; one covered in part is replaced by
//   a stop with what is left. The handheld gets a task.update removing
//   them, so the picker is not sent to pick them again.
// - What no open stop wants (a cancelled order's share, a covered stop
//   picked again) was never taken in the books: the units are still
//   counted on the shelf, and the supervisor gets a pick_put_back
//   exception naming the totes to take them from and the shelf.
// Returns the orders whose lines were picked.
Result<std::set<domain::OrderId>> pickOvertaken(store::Tx& tx, stock::Moves& moves, Metrics& metrics,
                                                const DeviceContext& ctx, const BatchAndStop& at, std::int64_t qty,
                                                const std::vector<protocol::TotePut>& puts, const std::string& note,
                                                Replies& replies) {
  waves::WaveTables tables(tx);
  std::int64_t total = 0;
  for (const auto& put : puts) total += put.qty;
  if (total != qty) return invalid("the puts add up to " + std::to_string(total) + ", not " + std::to_string(qty));
  std::vector<std::int64_t> perPut(at.stop.puts.size(), 0);
  std::map<std::string, std::int64_t> back;  // tote code -> units no stop wants
  if (at.stop.status == StopStatus::Removed) {
    auto picked = distributePuts(at, puts);
    if (!picked) return picked.error();
    perPut = std::move(*picked);
  } else {
    for (const auto& put : puts) {
      if (!at.toteNumber.count(put.tote)) return invalid("tote " + put.tote + " is not on this cart");
      if (put.qty > 0) back[put.tote] += put.qty;
    }
  }

  std::vector<waves::StopRow> successors;
  if (at.batch.status == BatchStatus::Ready || at.batch.status == BatchStatus::Assigned)
    for (auto& row : tables.stops(at.batch.id))
      if (row.stopId > at.stop.stopId && row.status == StopStatus::Open && row.sku == at.stop.sku &&
          row.location == at.stop.location && row.lot == at.stop.lot)
        successors.push_back(std::move(row));
  std::vector<std::vector<std::int64_t>> takes;
  for (const auto& row : successors) takes.emplace_back(row.puts.size(), 0);
  for (std::size_t i = 0; i < at.stop.puts.size(); ++i) {
    const auto& p = at.stop.puts[i];
    std::int64_t left = perPut[i];
    for (std::size_t k = 0; k < successors.size() && left > 0; ++k)
      for (std::size_t j = 0; j < successors[k].puts.size() && left > 0; ++j) {
        const auto& q = successors[k].puts[j];
        if (q.tote != p.tote || q.orderId != p.orderId || q.lineNo != p.lineNo) continue;
        const auto take = std::min(left, q.qty - q.picked - takes[k][j]);
        if (take <= 0) continue;
        takes[k][j] += take;
        left -= take;
      }
    if (left > 0) back[at.toteCode.at(p.tote)] += left;
  }

  protocol::TaskUpdate update;
  update.device = ctx.device;
  update.ts = tx.nowMs();
  update.batchId = std::to_string(at.batch.id);
  update.rev = at.batch.rev + 1;
  update.reason = "picked as stop " + std::to_string(at.stop.stopId);
  const std::string covered = waves::kCoveredStop + std::to_string(at.stop.stopId);
  std::set<domain::OrderId> touched;
  for (std::size_t k = 0; k < successors.size(); ++k) {
    const auto& row = successors[k];
    std::int64_t took = 0;
    for (auto t : takes[k]) took += t;
    if (took == 0) continue;
    const BatchAndStop there{at.batch, row, at.toteNumber, at.toteCode, false};
    if (auto st = applyPicked(moves, tx, there, takes[k], note); !st) return st.error();
    for (const auto& p : row.puts) touched.insert(p.orderId);
    update.removeStops.push_back(std::to_string(row.stopId));
    waves::StopRow rest = row;
    rest.picked = 0;
    rest.shortQty = 0;
    rest.qty = 0;
    rest.puts.clear();
    for (std::size_t j = 0; j < row.puts.size(); ++j) {
      const auto& q = row.puts[j];
      if (const auto open = q.qty - q.picked - takes[k][j]; open > 0) {
        rest.puts.push_back({q.tote, q.orderId, q.lineNo, open, 0});
        rest.qty += open;
      }
    }
    if (rest.qty == 0) {
      tables.setStopDone(at.batch.id, row.stopId, row.picked + took, row.shortQty, StopStatus::Picked, covered);
      continue;
    }
    tables.setStopDone(at.batch.id, row.stopId, row.picked + took, row.shortQty, StopStatus::Removed, "partly " + covered);
    rest.stopId = tables.maxStopId(at.batch.id) + 1;
    tables.insertStop(rest);
    update.addStops.push_back(pickStopOf(tx, rest, at.toteCode));
  }
  if (!update.removeStops.empty() && at.batch.status == BatchStatus::Assigned) {
    tables.setBatchRev(at.batch.id, update.rev);
    replies.send(update);
  }

  if (!back.empty()) {
    std::int64_t units = 0;
    std::string totes;
    for (const auto& [tote, n] : back) {
      units += n;
      totes += (totes.empty() ? "" : ", ") + tote + " (" + std::to_string(n) + ")";
    }
    const std::string why = at.stop.status == StopStatus::Removed
                                ? "after the server removed it (" + at.stop.reason + ")"
                                : "when it was already " + at.stop.reason;
    store::ExceptionRepository(tx).raise(
        "pick_put_back", "batch:" + std::to_string(at.batch.id) + "/stop:" + std::to_string(at.stop.stopId),
        ctx.device + (ctx.badge.empty() ? "" : " (" + ctx.badge + ")") + " picked " + std::to_string(units) + " of " +
            at.stop.sku + " at " + at.stop.location + " for stop " + std::to_string(at.stop.stopId) + " of batch " +
            std::to_string(at.batch.id) + " " + why + ": no order wants them; take them out of tote " + totes +
            " and put them back at " + at.stop.location + " (the stock still counts them there)");
    metrics.add("picks_put_back_units_total", {}, units);
  }
  metrics.add("picks_overtaken_total");
  log().information("batch %Ld: stop %d picked after it was %s; %z replacement stop(s) covered",
                    static_cast<Poco::Int64>(at.batch.id), at.stop.stopId, std::string(waves::toString(at.stop.status)),
                    update.removeStops.size());
  return touched;
}

}  // namespace

void WaveService::Impl::refreshOrderStatus(store::Tx& tx, domain::OrderId id) {
  store::OrderRepository orders(tx);
  auto o = orders.find(id);
  if (!o) return;
  if (o->status != domain::OrderStatus::Released && o->status != domain::OrderStatus::Picking) return;
  bool allDone = true, anyPicked = false, anyShort = false;
  for (const auto& l : o->lines) {
    if (l.picked + l.shortQty < l.qty) allDone = false;
    if (l.picked > 0) anyPicked = true;
    if (l.shortQty > 0) anyShort = true;
  }
  if (!allDone) {
    if (anyPicked && o->status == domain::OrderStatus::Released) orders.setStatus(id, domain::OrderStatus::Picking);
    return;
  }
  if (!anyPicked) {
    orders.setStatus(id, domain::OrderStatus::Held, "nothing of it could be picked");
    store::ExceptionRepository(tx).raise("order_not_picked", "order:" + std::to_string(id),
                                         "order " + std::to_string(id) + ": every line was short");
  } else if (anyShort && config.shortPolicy == ShortPolicy::Hold) {
    orders.setStatus(id, domain::OrderStatus::Held, "short pick");
  } else {
    orders.setStatus(id, domain::OrderStatus::Picked);
  }
}

void WaveService::Impl::refreshWaveStatus(store::Tx& tx, std::int64_t waveId) {
  waves::WaveTables tables(tx);
  auto w = tables.wave(waveId);
  if (!w || w->status == WaveStatus::Done || w->status == WaveStatus::Cancelled) return;
  bool allDone = true, anyStarted = false;
  for (const auto& b : tables.batches(waveId, std::nullopt, 100000)) {
    if (b.status != BatchStatus::Done && b.status != BatchStatus::Cancelled) allDone = false;
    if (b.status == BatchStatus::Assigned || b.status == BatchStatus::Done) anyStarted = true;
  }
  if (allDone) tables.setWaveStatus(waveId, WaveStatus::Done);
  else if (anyStarted && w->status == WaveStatus::Released) tables.setWaveStatus(waveId, WaveStatus::Picking);
}

void WaveService::Impl::registerHandlers() {
  // The pick of an overtaken stop (pickOvertaken), then the statuses of the
  // orders and the wave it changed.
  auto pickedOvertaken = [this](store::Tx& tx, const DeviceContext& ctx, const BatchAndStop& at, std::int64_t qty,
                                const std::vector<protocol::TotePut>& puts,
                                const std::vector<protocol::ScanStep>& typedSteps, Replies& replies) -> Status {
    auto typed = typedNote(typedSteps, config.typedCodes, metrics);
    if (!typed) return typed.error();
    stock::Moves moves(tx, events, pickerOf(ctx));
    auto touched = pickOvertaken(tx, moves, metrics, ctx, at, qty, puts, *typed, replies);
    if (!touched) return touched.error();
    for (auto id : *touched) refreshOrderStatus(tx, id);
    if (!touched->empty()) refreshWaveStatus(tx, at.batch.waveId);
    return {};
  };
  gateway.handle<protocol::PickConfirm>([this, pickedOvertaken](store::Tx& tx, const DeviceContext& ctx, const protocol::PickConfirm& msg,
                                        Replies& replies) -> Status {
    auto at = locate(tx, ctx, msg.batchId, msg.stopId, replies);
    if (!at) return at.error();
    const auto remaining = askedAt(at->stop);
    if (msg.location != at->stop.location)
      return invalid("wrong location: scanned " + msg.location + ", this stop is at " + at->stop.location);
    const std::string code = itemCode(msg.barcode);
    auto sku = store::CatalogRepository(tx).skuForBarcode(code);
    if (code != at->stop.sku && (!sku || *sku != at->stop.sku))
      return invalid("wrong item: " + msg.barcode + " is " + (sku ? "SKU " + *sku : "not a known barcode") +
                     ", this stop wants " + at->stop.sku);
    if (msg.qty > remaining)
      return invalid("quantity " + std::to_string(msg.qty) + " is more than the " + std::to_string(remaining) +
                     " asked at this stop");
    if (msg.qty < remaining)
      return invalid("quantity " + std::to_string(msg.qty) + " is less than the " + std::to_string(remaining) +
                     " asked; report a short pick instead");
    if (!at->stop.lot.empty() && msg.lot && *msg.lot != at->stop.lot)
      return invalid("wrong lot: " + *msg.lot + ", this stop takes lot " + at->stop.lot);
    if (at->overtaken) return pickedOvertaken(tx, ctx, *at, msg.qty, msg.puts, msg.typed, replies);
    auto picked = distributePuts(*at, msg.puts);
    if (!picked) return picked.error();
    std::int64_t total = 0;
    for (auto q : *picked) total += q;
    if (total != remaining) return invalid("the puts add up to " + std::to_string(total) + ", not " + std::to_string(remaining));
    auto typed = typedNote(msg.typed, config.typedCodes, metrics);
    if (!typed) return typed.error();
    stock::Moves moves(tx, events, pickerOf(ctx));
    if (auto st = applyPicked(moves, tx, *at, *picked, *typed); !st) return st;
    waves::WaveTables(tx).setStopDone(at->batch.id, at->stop.stopId, at->stop.picked + total, at->stop.shortQty,
                                      StopStatus::Picked, "");
    std::set<std::int64_t> orders;
    for (const auto& p : at->stop.puts) orders.insert(p.orderId);
    for (auto id : orders) refreshOrderStatus(tx, id);
    // Only the first pick changes the wave's status (released -> picking).
    if (auto w = waves::WaveTables(tx).wave(at->batch.waveId); w && w->status == WaveStatus::Released)
      refreshWaveStatus(tx, at->batch.waveId);
    metrics.add("picks_confirmed_total");
    return {};
  });

  gateway.handle<protocol::PickShort>([this, pickedOvertaken](store::Tx& tx, const DeviceContext& ctx, const protocol::PickShort& msg,
                                      Replies& replies) -> Status {
    auto at = locate(tx, ctx, msg.batchId, msg.stopId, replies);
    if (!at) return at.error();
    const auto remaining = askedAt(at->stop);
    if (msg.qtyPicked >= remaining)
      return invalid("a short pick must pick fewer than the " + std::to_string(remaining) + " asked");
    // What was missing at a stop removed under the picker is for its
    // replacement to find (its picker reports that short in turn).
    if (at->overtaken) return pickedOvertaken(tx, ctx, *at, msg.qtyPicked, msg.puts, msg.typed, replies);
    auto picked = distributePuts(*at, msg.puts);
    if (!picked) return picked.error();
    std::int64_t total = 0;
    for (auto q : *picked) total += q;
    if (total != msg.qtyPicked)
      return invalid("the puts add up to " + std::to_string(total) + ", not " + std::to_string(msg.qtyPicked));
    auto typed = typedNote(msg.typed, config.typedCodes, metrics);
    if (!typed) return typed.error();
    stock::Moves moves(tx, events, pickerOf(ctx));
    if (auto st = applyPicked(moves, tx, *at, *picked, *typed); !st) return st;
    // What was picked now counts as done on the stop's puts.
    for (std::size_t i = 0; i < at->stop.puts.size(); ++i) at->stop.puts[i].picked += (*picked)[i];
    const std::int64_t missing = remaining - total;
    const auto reason = msg.reason == protocol::ShortReason::Damaged  ? wms::waves::ShortReason::Damaged
                        : msg.reason == protocol::ShortReason::NotFound ? wms::waves::ShortReason::NotFound
                                                                        : wms::waves::ShortReason::Empty;

    // Look for the missing units elsewhere: the library replans the rest of
    // the walk; what nobody has becomes short on the order lines.
    waves::WaveTables tables(tx);
    auto wave = tables.wave(at->batch.waveId);
    const layouts::Layout* layout = layoutOf(wave ? wave->site : "dc");
    std::vector<waves::StopRow> rows = tables.stops(at->batch.id);
    std::vector<wms::waves::Put> shortPuts;
    std::vector<int> added, changed;
    std::optional<wms::waves::PickList> replanned;
    if (layout && layout->find(at->stop.location)) {
      store::CatalogRepository catalog(tx);
      store::StockRepository stock(tx);
      std::vector<wms::waves::SkuInfo> infos;
      std::set<std::string> skuCodes;
      for (const auto& r : rows) skuCodes.insert(r.sku);
      for (const auto& code : skuCodes) {
        auto sku = catalog.findSku(code);
        infos.push_back({code, sku ? sku->weightG : 0, sku ? sku->dims.volumeCm3() : 0, sku && sku->expiryTracked});
      }
      std::map<std::string, wms::waves::StockSlot> slotMap;
      auto key = [](const std::string& sku, const std::string& loc, const std::string& lot) {
        return sku + "|" + loc + "|" + lot;
      };
      for (const auto& r : rows) {
        if (r.status == StopStatus::Removed || !layout->find(r.location)) continue;
        slotMap.try_emplace(key(r.sku, r.location, r.lot), wms::waves::StockSlot{r.sku, r.location, r.lot, r.expiry, 0});
      }
      for (const auto& row : stock.at(at->stop.sku, "")) {
        if (!layout->find(row.location) || !catalog.isPickLocation(row.location)) continue;  // reserve: never picked
        auto& slot = slotMap.try_emplace(key(row.sku, row.location, row.lot),
                                         wms::waves::StockSlot{row.sku, row.location, row.lot, row.expiry, 0})
                         .first->second;
        (void)slot;
      }
      std::vector<wms::waves::StockSlot> slots;
      for (auto& [k, slot] : slotMap) slots.push_back(slot);
      auto index = wms::waves::StockIndex::build(*layout, infos, slots);
      if (index) {
        // Slots this batch found short (this one included) are not trusted
        // until counted: the picker is never sent back to them.
        std::set<std::string> distrusted = {key(at->stop.sku, at->stop.location, at->stop.lot)};
        for (const auto& r : rows)
          if (r.status == StopStatus::Short) distrusted.insert(key(r.sku, r.location, r.lot));
        // Units each slot can still give: on the shelf less what open stops
        // will take.
        // ...nor are shelves being counted (LocationFreezes.h).
        const std::set<std::string> frozen = frozenAt(tx.nowMs());
        std::vector<std::int64_t> available;
        for (const auto& slot : index->slots()) {
          const std::string& sku = index->skus()[slot.sku].sku;
          std::int64_t have = 0;
          for (const auto& row : stock.at(sku, slot.locationCode))
            if (row.lot == slot.lot) have += row.qty;
          if (distrusted.count(key(sku, slot.locationCode, slot.lot)) || frozen.count(slot.locationCode)) have = 0;
          have -= tables.plannedOpen(sku, slot.locationCode, slot.lot);
          available.push_back(std::max<std::int64_t>(0, have));
        }
        wms::waves::PickList list;
        list.batch = at->batch.number;
        list.start = layout->depot();
        list.end = config.endAt.empty() ? layout->depot() : layout->findPlace(config.endAt).value_or(layout->depot());
        std::vector<int> done;
        for (const auto& r : rows) {
          if (r.status == StopStatus::Removed || !layout->find(r.location)) continue;
          wms::waves::Stop s;
          s.id = r.stopId;
          s.seq = r.seq;
          s.location = *layout->find(r.location);
          s.locationCode = r.location;
          s.sku = r.sku;
          s.lot = r.lot;
          s.expiry = r.expiry;
          for (std::uint32_t i = 0; i < index->slots().size(); ++i) {
            const auto& sl = index->slots()[i];
            if (index->skus()[sl.sku].sku == r.sku && sl.locationCode == r.location && sl.lot == r.lot) s.slot = i;
          }
          const bool isShortStop = r.stopId == at->stop.stopId;
          s.qty = r.qty;
          s.shortQty = isShortStop ? 0 : r.shortQty;
          for (const auto& p : (isShortStop ? at->stop.puts : r.puts)) s.puts.push_back({p.tote, p.orderId, p.lineNo, p.qty});
          if (r.status != StopStatus::Open && !isShortStop) done.push_back(r.stopId);
          list.stops.push_back(std::move(s));
        }
        std::sort(list.stops.begin(), list.stops.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
        layouts::Router router(*layout);
        wms::waves::ShortReport report{at->stop.stopId, at->stop.picked + total, reason};
        wms::waves::AllocationOptions rules;
        auto replan = wms::waves::replanAfterShort(list, report, *index, available, router, done, rules);
        if (replan) {
          replanned = replan->pickList;
          added = replan->addedStops;
          changed = replan->changedStops;
          shortPuts = replan->shortPuts;
        } else {
          log().warning("replanning after a short at batch %Ld stop %d failed: %s",
                        static_cast<Poco::Int64>(at->batch.id), at->stop.stopId, replan.error().message);
        }
      }
    }
    if (!replanned) {
      // No replanning possible: every missing unit is short, on its puts in tote order.
      std::int64_t left = missing;
      for (const auto& p : at->stop.puts) {
        const auto open = p.qty - p.picked;
        if (open <= 0 || left <= 0) continue;
        const auto q = std::min(open, left);
        shortPuts.push_back({p.tote, p.orderId, p.lineNo, q});
        left -= q;
      }
    }

    tables.setStopDone(at->batch.id, at->stop.stopId, at->stop.picked + total, at->stop.shortQty + missing, StopStatus::Short,
                       wms::waves::toString(reason));

    // The stops added or changed by the replan: new rows with new ids, so
    // that the device can take the update as removes and adds.
    protocol::TaskUpdate update;
    update.device = ctx.device;
    update.ts = tx.nowMs();
    update.batchId = std::to_string(at->batch.id);
    update.rev = at->batch.rev + 1;
    update.reason = "short at " + at->stop.location;
    if (replanned) {
      int nextId = tables.maxStopId(at->batch.id);
      std::set<int> addedSet(added.begin(), added.end()), changedSet(changed.begin(), changed.end());
      std::map<int, const waves::StopRow*> byId;
      for (const auto& r : rows) byId[r.stopId] = &r;
      for (const auto& s : replanned->stops) {
        const bool isNew = addedSet.count(s.id) > 0;
        auto old = byId.find(s.id);
        const bool moved = !isNew && old != byId.end() && old->second->status == StopStatus::Open &&
                           s.id != at->stop.stopId && old->second->seq != s.seq;
        if (!isNew && !changedSet.count(s.id) && !moved) continue;
        if (!isNew && old != byId.end()) {
          tables.setStopDone(at->batch.id, s.id, old->second->picked, old->second->shortQty, StopStatus::Removed, "replanned");
          update.removeStops.push_back(std::to_string(s.id));
        }
        waves::StopRow row{at->batch.id, ++nextId, s.seq, s.locationCode, s.sku, s.lot, s.expiry, s.qty, 0, 0, StopStatus::Open, "", {}};
        for (const auto& p : s.puts) row.puts.push_back({p.tote, p.order, p.lineNo, p.qty, 0});
        tables.insertStop(row);
        update.addStops.push_back(pickStopOf(tx, row, at->toteCode));
      }
    }

    // What no face can give but reserve holds is not short: an emergency
    // replenishment. Those units stay on their orders in a new stop at this
    // face, at the end of the walk, and the replenishment plan puts this
    // face first (WaveService::emergencyFaces). A stop that is itself an
    // emergency is never one again: found empty twice, its units are short.
    std::int64_t emergencyUnits = 0;
    std::string emergencyFrom;
    // Only a warehouse face is refilled from reserve: a store's shelf found
    // empty is short (the store restocks it).
    if (!shortPuts.empty() && at->stop.reason != waves::kEmergencyStop && at->stop.reason != waves::kEmergencyRefilled &&
        store::CatalogRepository(tx).isWarehouseFace(at->stop.location)) {
      if (auto lot = reserveLotFor(tx, at->stop.sku)) {
        std::int64_t left = 0;
        for (const auto& p : shortPuts) left += p.qty;
        left = std::min(left, lot->qty);
        int seq = 0;
        for (const auto& r : rows) seq = std::max(seq, r.seq);
        if (replanned)
          for (const auto& s : replanned->stops) seq = std::max(seq, s.seq);
        waves::StopRow row{at->batch.id, tables.maxStopId(at->batch.id) + 1, seq + wms::waves::kSeqGap, at->stop.location, at->stop.sku,
                           lot->lot, lot->expiry, 0, 0, 0, StopStatus::Open, waves::kEmergencyStop, {}};
        std::vector<wms::waves::Put> stillShort;
        for (const auto& p : shortPuts) {
          const auto q = std::min(p.qty, left);
          if (q > 0) row.puts.push_back({p.tote, p.order, p.lineNo, q, 0});
          if (p.qty > q) stillShort.push_back({p.tote, p.order, p.lineNo, p.qty - q});
          left -= q;
          row.qty += q;
        }
        shortPuts = std::move(stillShort);
        tables.insertStop(row);
        update.addStops.push_back(pickStopOf(tx, row, at->toteCode));
        emergencyUnits = row.qty;
        emergencyFrom = lot->location;
        metrics.add("replenishments_emergency_total");
      }
    }

    // The missing units at this location are presumably not there: they
    // are written off until the count requested here says otherwise, so
    // that no channel is offered them again.
    moves.requestCount(at->stop.sku, at->stop.location);
    store::OrderRepository orders(tx);
    std::set<domain::OrderId> touched;
    std::int64_t shortUnits = 0;
    std::string shortLines;
    for (const auto& p : shortPuts) {
      auto o = orders.find(p.order);
      if (!o) continue;
      if (auto st = moves.shortLine(*o, p.lineNo, p.qty, "short pick at " + at->stop.location); !st) return st;
      touched.insert(p.order);
      shortUnits += p.qty;
      shortLines += " order " + std::to_string(p.order) + " line " + std::to_string(p.lineNo) + " (" +
                    std::to_string(p.qty) + ")";
    }
    auto writtenOff = moves.writeOffMissing({at->stop.sku, at->stop.location, at->stop.lot, at->stop.expiry, 0}, missing,
                                            reason == wms::waves::ShortReason::Damaged ? domain::LedgerCause::Damage
                                                                                       : domain::LedgerCause::CycleCount,
                                            "short:batch:" + std::to_string(at->batch.id),
                                            std::string("short pick (") + wms::waves::toString(reason) +
                                                "); count requested");
    if (!writtenOff)
      log().warning("could not write off %Ld of %s at %s: %s", static_cast<Poco::Int64>(missing), at->stop.sku,
                    at->stop.location, writtenOff.error().message);
    store::ExceptionRepository(tx).raise(
        "short_pick", "batch:" + std::to_string(at->batch.id) + "/stop:" + std::to_string(at->stop.stopId),
        "short pick of " + at->stop.sku + " at " + at->stop.location + ": " + std::to_string(missing) + " missing (" +
            wms::waves::toString(reason) + ")" +
            (shortUnits > 0 ? "; short on" + shortLines : emergencyUnits > 0 ? "" : "; found elsewhere") +
            (emergencyUnits > 0 ? "; emergency replenishment of " + std::to_string(emergencyUnits) + " from reserve (" +
                                      emergencyFrom + "), picked at the end of the walk"
                                : "") +
            "; count requested");
    for (const auto& p : at->stop.puts) touched.insert(p.orderId);
    for (auto id : touched) refreshOrderStatus(tx, id);
    if (!update.addStops.empty() || !update.removeStops.empty()) {
      tables.setBatchRev(at->batch.id, update.rev);
      replies.send(update);
    }
    refreshWaveStatus(tx, at->batch.waveId);
    metrics.add("picks_short_total", std::string("reason=\"") + wms::waves::toString(reason) + "\"");
    return {};
  });

  gateway.handle<protocol::BatchDone>([this](store::Tx& tx, const DeviceContext& ctx, const protocol::BatchDone& msg,
                                      Replies& replies) -> Status {
    auto id = domain::parseInt64(msg.batchId);
    waves::WaveTables tables(tx);
    auto batch = id ? tables.batch(*id) : std::nullopt;
    if (!batch) return Error{ErrorKind::NotFound, "no batch '" + msg.batchId + "'"};
    if (batch->device != ctx.device) return Error{ErrorKind::Forbidden, "batch " + msg.batchId + " is not assigned to this device"};
    if (batch->status == BatchStatus::Cancelled) return conflict("batch " + msg.batchId + " was cancelled");
    if (batch->status == BatchStatus::Done) return {};
    if (const int open = tables.openStopCount(*id); open > 0) {
      // The device finished what it knew of: the stops added since (a
      // short's replacement) crossed its batch.done on the wire (their
      // task.update leaves through the commands outbox, after the short's
      // ack). Nobody did anything wrong, so nothing is refused: the batch
      // stays assigned and goes to the device again, at its new revision,
      // with what is left; the device's next batch.done closes it.
      replies.send(taskAssign(tx, *batch));
      metrics.add("batches_done_before_their_added_stops_total");
      log().information("batch %s: done on %s before its %d added stop(s) reached it; sent again", msg.batchId,
                        ctx.device, open);
      return {};
    }
    tables.setBatchStatus(*id, BatchStatus::Done);
    // Totes with nothing in them (every stop short) are free at once.
    if (tables.releaseFinishedTotes() > 0) noteFreeTotes(tables);
    refreshWaveStatus(tx, batch->waveId);
    assignWork(tx, replies);
    metrics.add("batches_done_total");
    return {};
  });

  // A picker who signs in gets work, and a device that signs in again (its
  // app restarted) gets its batch again.
  gateway.also<protocol::SignIn>([this](store::Tx& tx, const DeviceContext& ctx, const protocol::SignIn& msg,
                                Replies& replies) -> Status {
    if (msg.mode != protocol::WorkMode::Pick) return {};
    waves::WaveTables tables(tx);
    for (auto b : tables.batchesOfDevice(ctx.device, BatchStatus::Assigned)) {
      b.badge = msg.badge;
      resendBatch(tx, b, replies);
    }
    assignWork(tx, replies);
    return {};
  });

  // A device back online gets its batch again; one without a batch (its
  // picker idle, still signed in) takes the next ready one: batches
  // released while every picker was away (a frozen fleet, a broker down)
  // are handed out by nothing else.
  gateway.onOnline([this](store::Tx& tx, const std::string& device, Replies& replies) -> Status {
    for (const auto& b : waves::WaveTables(tx).batchesOfDevice(device, BatchStatus::Assigned)) resendBatch(tx, b, replies);
    assignWork(tx, replies);
    return {};
  });

  gateway.onReclaim([this](store::Tx& tx, const std::string& device, SilentPolicy policy, Replies& replies) {
    return reclaim(tx, device, policy, replies);
  });
}

void WaveService::Impl::resendBatch(store::Tx& tx, const waves::BatchRow& batch, Replies& replies) {
  // Every stop done and its batch.done not in yet (it may be in the
  // device's outbox, or lost with the device's state): there is nothing to
  // send (a task.assign needs a stop), and the batch is finished here; the
  // device's batch.done, if it comes, finds it done and changes nothing.
  // Found by the 20,000-order chaos day: the empty task.assign failed the
  // whole transaction that recorded the device back online.
  if (finishIfNothingLeft(tx, batch, "every stop was done before its device came back", replies)) return;
  replies.send(taskAssign(tx, batch));
}

Status WaveService::Impl::reclaim(store::Tx& tx, const std::string& device, SilentPolicy policy, Replies& replies) {
  if (policy == SilentPolicy::Keep) return {};
  waves::WaveTables tables(tx);
  for (const auto& b : tables.batchesOfDevice(device, BatchStatus::Assigned)) {
    tables.assignBatch(b.id, "", "", b.rev + 1);
    protocol::TaskCancel cancel;
    cancel.device = device;
    cancel.ts = tx.nowMs();
    cancel.batchId = std::to_string(b.id);
    cancel.reason = "this device was away too long; the batch went to another picker";
    replies.send(cancel);
    store::ExceptionRepository(tx).raise("batch_reclaimed", "batch:" + std::to_string(b.id),
                                         "batch " + std::to_string(b.id) + " was taken from " + device +
                                             "; fetch its cart before another picker continues it");
  }
  assignWork(tx, replies);
  return {};
}

Status WaveService::Impl::dropOrder(store::Tx& tx, domain::OrderId order, Replies& replies) {
  waves::WaveTables tables(tx);
  for (auto batchId : tables.openBatchesOfOrder(order)) {
    auto b = tables.batch(batchId);
    if (!b) continue;
    auto totes = tables.totes(b->id);
    std::map<int, std::string> toteCode;
    for (const auto& t : totes) toteCode[t.number] = t.tote;
    protocol::TaskUpdate update;
    update.device = b->device;
    update.ts = tx.nowMs();
    update.batchId = std::to_string(b->id);
    update.rev = b->rev + 1;
    update.reason = "order " + std::to_string(order) + " was cancelled";
    int nextId = tables.maxStopId(b->id);
    for (const auto& s : tables.stops(b->id)) {
      if (s.status != StopStatus::Open) continue;
      bool hasOrder = std::any_of(s.puts.begin(), s.puts.end(), [&](const waves::PutRow& p) { return p.orderId == order; });
      if (!hasOrder) continue;
      tables.setStopDone(b->id, s.stopId, s.picked, s.shortQty, StopStatus::Removed, "order cancelled");
      update.removeStops.push_back(std::to_string(s.stopId));
      waves::StopRow rest = s;
      rest.puts.clear();
      rest.qty = 0;
      for (const auto& p : s.puts)
        if (p.orderId != order) {
          rest.puts.push_back(p);
          rest.qty += p.qty;
        }
      if (rest.qty > 0) {
        rest.stopId = ++nextId;
        rest.status = StopStatus::Open;
        tables.insertStop(rest);
        update.addStops.push_back(pickStopOf(tx, rest, toteCode));
      }
    }
    // A cancelled order's totes are empty and go back to the pool; an
    // intercepted one's hold its picked units until they are put back.
    for (const auto& t : totes)
      if (t.orderId == order && t.bound && !tables.toteHoldsStock(t.tote)) tables.freeTote(t.tote);
    if (finishIfNothingLeft(tx, *b, "order " + std::to_string(order) + " on it was cancelled", replies)) {
      // A device in the middle of it still gets the removals (then it finishes).
      if (b->status == BatchStatus::Assigned && !b->device.empty() && !update.removeStops.empty() &&
          tables.batch(b->id)->status == BatchStatus::Done) {
        tables.setBatchRev(b->id, update.rev);
        replies.send(update);
      }
      assignWork(tx, replies);
      continue;
    }
    if (b->status == BatchStatus::Assigned && !b->device.empty() && (!update.addStops.empty() || !update.removeStops.empty())) {
      tables.setBatchRev(b->id, update.rev);
      replies.send(update);
    }
  }
  noteFreeTotes(tables);
  return {};
}

}  // namespace wms::server
