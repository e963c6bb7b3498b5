#include "wms/packing/Shipping.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "Rows.h"
#include "wms/domain/Ids.h"
#include "wms/packing/Schema.h"
#include "wms/store/CatalogRepository.h"
#include "wms/store/OrderRepository.h"
#include "wms/store/Query.h"

namespace wms::packing {
namespace {

Error invalid(std::string message) {
  return Error{ErrorKind::Invalid, std::move(message)};
}
Error conflict(std::string message) {
  return Error{ErrorKind::Conflict, std::move(message)};
}
std::string n(std::int64_t v) {
  return std::to_string(v);
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

bool printableId(std::string_view s, std::size_t max) {
  return !s.empty() && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

std::string orderIs(domain::OrderId id, domain::OrderStatus status) {
  return "order " + n(id) + " is " + domain::toString(status);
}

// Why an order cannot be packed, for the packer: a held order says why it
// is held, an order packed already says where.
std::string notPickedReason(store::Tx& tx, const domain::Order& order) {
  using S = domain::OrderStatus;
  const domain::OrderId id = order.id;
  switch (order.status) {
    case S::Held:
      if (!order.holdReason.empty()) return orderIs(id, order.status) + ": " + order.holdReason;
      return orderIs(id, order.status) + ": it is not picked yet";
    case S::Backordered:
    case S::Allocated:
    case S::Released:
      return orderIs(id, order.status) + ": it is not picked yet";
    case S::Picking:
      return orderIs(id, order.status) + ": it is still being picked";
    case S::Packed: {
      store::Query q(tx, "SELECT station FROM pack_sessions WHERE order_id = ? AND state = 'packed' AND station <> '' "
                         "ORDER BY id DESC LIMIT 1");
      q.bind(static_cast<std::int64_t>(id));
      if (q.step()) return orderIs(id, order.status) + " already, at " + q.text(0);
      return orderIs(id, order.status) + " already";
    }
    case S::Shipped:
      return orderIs(id, order.status) + " already";
    case S::Cancelled:
      return orderIs(id, order.status) + ": do not ship it";
    case S::Picked:
      break;
  }
  return orderIs(id, order.status);
}

}  // namespace

const char* toString(ShipmentState state) noexcept {
  return state == ShipmentState::Shipped ? "shipped" : "booked";
}

std::int64_t CartonRecord::labelWeightG() const {
  std::int64_t w = weightG > 0 ? weightG : estimatedWeightG;
  return std::clamp<std::int64_t>(w, 1, 1'000'000);
}

std::vector<VerifyLine> PackTask::verifyLines() const {
  std::vector<VerifyLine> out;
  for (const auto& l : lines)
    out.push_back({l.lineNo, l.sku, l.description, l.ordered, l.toPack, l.barcodes, l.dims, l.weightG});
  return out;
}

ShippingService::ShippingService(store::Database& db, PackingConfig config, const stock::StockEvents& stock,
                                 ShipmentEvents& events, std::vector<Carrier*> carriers)
    : db_(db), config_(std::move(config)), stockEvents_(stock), events_(events), carriers_(std::move(carriers)) {
  bool hasBuiltIn = false;
  for (Carrier* c : carriers_) {
    if (!c) throw std::invalid_argument("ShippingService: a carrier is null");
    hasBuiltIn = hasBuiltIn || c->code() == config_.builtInCarrier.code;
  }
  if (!hasBuiltIn) {
    builtIn_ = std::make_unique<BuiltInCarrier>(config_.builtInCarrier);
    carriers_.push_back(builtIn_.get());
  }
  bool hasDefault = false;
  for (Carrier* c : carriers_) hasDefault = hasDefault || c->code() == config_.defaultCarrier;
  if (!hasDefault)
    throw std::invalid_argument("ShippingService: the default carrier '" + config_.defaultCarrier +
                                "' is not known");
}

ShippingService::~ShippingService() = default;

std::string ShippingService::orderReference(domain::OrderId id) const {
  return config_.orderReferencePrefix + n(id);
}

Result<Carrier*> ShippingService::carrierFor(const std::string& requested) {
  for (Carrier* c : carriers_) {
    if (!requested.empty() && c->code() == requested) return c;
  }
  for (Carrier* c : carriers_) {
    if (c->code() == config_.defaultCarrier) return c;
  }
  return Error{ErrorKind::Internal, "no default carrier"};
}

// ---- Finding the order --------------------------------------------------------

Result<domain::OrderId> ShippingService::findOrder(store::Tx& tx, std::string_view raw) {
  const std::string code = trim(raw);
  if (code.empty()) return invalid("nothing was scanned");
  if (!printableId(code, domain::kMaxExternalIdLength))
    return invalid("'" + code.substr(0, 64) + "' is not a tote or order code");
  store::OrderRepository orders(tx);

  // A tote first: that is what packers scan most.
  std::string tote = code;
  if (tote.rfind("TOTE-", 0) == 0 && tote.size() > 5) {
    if (rows::ordersInTote(tx, tote).empty()) tote = tote.substr(5);
  }
  auto inTote = rows::ordersInTote(tx, tote);
  std::vector<domain::OrderId> open;
  for (auto id : inTote) {
    auto o = orders.find(id);
    if (o && o->status != domain::OrderStatus::Shipped && o->status != domain::OrderStatus::Cancelled)
      open.push_back(id);
  }
  if (open.size() == 1) return open.front();
  if (open.size() > 1) {
    std::string ids;
    for (std::size_t i = 0; i < open.size(); ++i) ids += (i ? ", " : "") + orderReference(open[i]);
    return conflict("tote " + tote + " holds units of several orders (" + ids + "): scan the order instead");
  }

  // Our reference ("SO-42") or the bare id.
  std::string digits = code;
  if (!config_.orderReferencePrefix.empty() && code.rfind(config_.orderReferencePrefix, 0) == 0)
    digits = code.substr(config_.orderReferencePrefix.size());
  if (!digits.empty() && digits.size() <= 18 &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    auto id = static_cast<domain::OrderId>(std::stoll(digits));
    if (orders.find(id)) return id;
  }

  // A channel's order number.
  std::vector<domain::OrderId> found;
  for (auto channel : domain::kAllChannels) {
    if (auto id = orders.idByExternal(channel, code)) found.push_back(*id);
  }
  if (found.size() == 1) return found.front();
  if (found.size() > 1)
    return conflict("'" + code +
                    "' is the order number of orders on several channels: scan our order reference");
  return Error{ErrorKind::NotFound, "no tote or order '" + code + "'"};
}

Result<domain::OrderId> ShippingService::findOrder(std::string_view code) {
  Result<domain::OrderId> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = findOrder(tx, code);
    return {};
  });
  if (!st) return st.error();
  return out;
}

// ---- The pack task --------------------------------------------------------------

Result<PackTask> ShippingService::packTask(store::Tx& tx, domain::OrderId id) {
  store::OrderRepository orders(tx);
  auto order = orders.find(id);
  if (!order) return Error{ErrorKind::NotFound, "no order " + n(id)};
  using S = domain::OrderStatus;
  if (order->status != S::Picked && order->status != S::Packed && order->status != S::Shipped)
    return conflict(notPickedReason(tx, *order));

  PackTask t;
  t.orderId = id;
  t.reference = orderReference(id);
  t.channel = order->channel;
  t.externalId = order->externalId;
  t.status = order->status;
  t.serviceLevel = order->serviceLevel;
  t.shipToName = order->shipTo.name;
  t.shipToCity = order->shipTo.city;
  t.shipToCountry = order->shipTo.country;
  std::set<std::string> totes;
  for (const auto& r : rows::pickedUnits(tx, id)) {
    if (r.qty > r.shipped) totes.insert(r.tote);
  }
  t.totes.assign(totes.begin(), totes.end());

  store::CatalogRepository catalog(tx);
  std::vector<CartonItem> items;
  for (const auto& l : order->lines) {
    PackTaskLine pl;
    pl.lineNo = l.lineNo;
    pl.sku = l.sku;
    pl.externalLineId = l.externalLineId;
    pl.ordered = l.qty;
    pl.picked = l.picked;
    pl.shortQty = l.shortQty;
    pl.shipped = l.shipped;
    pl.toPack = std::max<std::int64_t>(0, l.picked - l.shipped);
    if (auto sku = catalog.findSku(l.sku)) {
      pl.description = sku->description;
      for (const auto& b : sku->barcodes) pl.barcodes.push_back(b.value);
      pl.dims = sku->dims;
      pl.weightG = sku->weightG;
    }
    if (pl.toPack > 0) items.push_back({pl.sku, pl.dims, pl.weightG, pl.toPack, pl.lineNo});
    t.lines.push_back(std::move(pl));
  }
  if (!items.empty()) {
    auto s = suggestCarton(config_.cartons, items, config_.fit);
    if (s) t.suggestion = std::move(*s);
  }
  return t;
}

Result<PackTask> ShippingService::packTask(domain::OrderId id) {
  Result<PackTask> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = packTask(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

// ---- Packing ----------------------------------------------------------------------

Result<PackResult> ShippingService::packOrder(store::Tx& tx, domain::OrderId id,
                                              const std::vector<PackedCarton>& cartons, const std::string& station) {
  store::OrderRepository orders(tx);
  auto order = orders.find(id);
  if (!order) return Error{ErrorKind::NotFound, "no order " + n(id)};
  if (order->status != domain::OrderStatus::Picked) return conflict(notPickedReason(tx, *order));
  if (cartons.empty() || cartons.size() > 100)
    return invalid("cartons: an order is packed into 1..100 cartons, got " +
                   n(static_cast<std::int64_t>(cartons.size())));

  std::map<int, const domain::OrderLine*> lineByNo;
  for (const auto& l : order->lines) lineByNo[l.lineNo] = &l;
  std::map<int, std::int64_t> room;  // units each line still takes
  for (const auto& l : order->lines) room[l.lineNo] = std::max<std::int64_t>(0, l.picked - l.shipped);

  store::CatalogRepository catalog(tx);
  std::map<std::string, domain::Sku> skus;
  auto skuOf = [&](const std::string& code) -> const domain::Sku* {
    auto it = skus.find(code);
    if (it == skus.end()) {
      auto s = catalog.findSku(code);
      if (!s) return nullptr;
      it = skus.emplace(code, *s).first;
    }
    return &it->second;
  };

  PackResult result;
  result.orderId = id;
  // An order packed again for what a first shipment left (policy keep)
  // numbers its new cartons after the old ones.
  const auto earlier = rows::cartons(tx, id);
  const int firstNumber = static_cast<int>(earlier.size()) + 1;
  std::set<std::string> cartonIds;
  for (const auto& c : earlier) cartonIds.insert(c.cartonId);
  std::map<int, std::int64_t> packed;
  for (std::size_t ci = 0; ci < cartons.size(); ++ci) {
    const auto& in = cartons[ci];
    const std::string at = "cartons[" + n(static_cast<std::int64_t>(ci)) + "]";
    CartonRecord c;
    c.number = firstNumber + static_cast<int>(ci);
    c.cartonId = in.cartonId.empty() ? "C" + n(c.number) : in.cartonId;
    if (!printableId(c.cartonId, 64))
      return invalid(at + ".carton_id must be 1..64 printable characters without spaces");
    if (!cartonIds.insert(c.cartonId).second)
      return invalid(at + ".carton_id '" + c.cartonId + "' is used twice");
    const CartonType* type = config_.cartons.find(in.cartonType);
    if (!type) return invalid(at + ".carton_type: unknown carton type '" + in.cartonType.substr(0, 64) + "'");
    c.cartonType = type->code;
    if (in.weightG && (*in.weightG < 1 || *in.weightG > 1'000'000))
      return invalid(at + ".weight_g must be 1..1000000, got " + n(*in.weightG));
    c.weightG = in.weightG.value_or(0);
    if (in.items.empty() || in.items.size() > 1000)
      return invalid(at + ".items: a carton holds 1..1000 items");

    std::vector<CartonItem> fitItems;
    std::int64_t itemsWeight = 0;
    for (std::size_t ii = 0; ii < in.items.size(); ++ii) {
      const auto& item = in.items[ii];
      const std::string iat = at + ".items[" + n(static_cast<std::int64_t>(ii)) + "]";
      if (item.qty < 1 || item.qty > domain::kMaxQuantity)
        return invalid(iat + ".qty must be 1.." + n(domain::kMaxQuantity) + ", got " + n(item.qty));
      // The lines these units go to: the named one, or the SKU's lines in order.
      std::vector<int> targets;
      if (item.lineNo != 0) {
        auto it = lineByNo.find(item.lineNo);
        if (it == lineByNo.end())
          return invalid(iat + ".line_no: order " + n(id) + " has no line " + n(item.lineNo));
        if (!item.sku.empty() && item.sku != it->second->sku)
          return invalid(iat + ": line " + n(item.lineNo) + " is SKU " + it->second->sku + ", not " +
                         item.sku);
        targets.push_back(item.lineNo);
      } else {
        if (item.sku.empty()) return invalid(iat + ": sku or line_no is required");
        for (const auto& l : order->lines) {
          if (l.sku == item.sku) targets.push_back(l.lineNo);
        }
        if (targets.empty())
          return invalid(iat + ".sku: " + item.sku.substr(0, 64) + " is not in order " + n(id));
      }
      std::int64_t left = item.qty;
      for (std::size_t k = 0; k < targets.size() && left > 0; ++k) {
        int line = targets[k];
        // The last candidate takes the rest, so an excess is reported on it.
        std::int64_t take = k + 1 == targets.size() ? left : std::min(left, room[line]);
        if (take <= 0) continue;
        room[line] -= take;
        packed[line] += take;
        left -= take;
        bool merged = false;
        for (auto& existing : c.items) {
          if (existing.lineNo == line) {
            existing.qty += take;
            merged = true;
          }
        }
        const auto& sku = lineByNo[line]->sku;
        if (!merged) c.items.push_back({line, sku, take});
        if (const domain::Sku* s = skuOf(sku)) {
          fitItems.push_back({sku, s->dims, s->weightG, take, line});
          itemsWeight += s->weightG * take;
        }
      }
    }
    c.estimatedWeightG = itemsWeight + type->tareG;
    if (type->kind != CartonKind::Own) {
      const std::int64_t gross = c.weightG > 0 ? c.weightG : c.estimatedWeightG;
      if (gross > type->maxWeightG)
        result.warnings.push_back("carton " + n(c.number) + " (" + type->code + ") weighs " + n(gross) +
                                  " g, over its limit of " + n(type->maxWeightG) + " g");
      if (!fitItems.empty()) {
        auto fit = checkFit(*type, fitItems, config_.fit);
        if (fit && !fit->fits)
          result.warnings.push_back("carton " + n(c.number) + " (" + type->code + "): " + fit->reason);
      }
    }
    result.cartons.push_back(std::move(c));
  }

  // Exactly the picked units: more is an error in the input, fewer means
  // items are still missing from the cartons.
  std::vector<std::string> missing;
  for (const auto& l : order->lines) {
    const std::int64_t want = std::max<std::int64_t>(0, l.picked - l.shipped);
    const std::int64_t got = packed[l.lineNo];
    if (got > want)
      return invalid("line " + n(l.lineNo) + " (" + l.sku + "): " + n(got) + " packed but only " + n(want) +
                     " picked to pack");
    if (got < want)
      missing.push_back("line " + n(l.lineNo) + " (" + l.sku + "): " + n(want - got) + " of " + n(want) +
                        " not packed");
  }
  if (!missing.empty()) {
    std::string message = "missing items:";
    for (std::size_t i = 0; i < missing.size(); ++i) message += (i ? "; " : " ") + missing[i];
    return conflict(message);
  }

  for (const auto& c : result.cartons) rows::insertCarton(tx, id, c);
  orders.setStatus(id, domain::OrderStatus::Packed);
  rows::endOpenSessions(tx, id, "packed");
  if (!station.empty()) {
    store::exec(tx,
                "INSERT INTO pack_sessions(order_id, station, state, created_at, updated_at) "
                "SELECT ?, ?, 'packed', ?, ? WHERE NOT EXISTS "
                "(SELECT 1 FROM pack_sessions WHERE order_id = ? AND state = 'packed')",
                id, station, tx.nowMs(), tx.nowMs(), id);
  }
  return result;
}

Result<PackResult> ShippingService::packOrder(domain::OrderId id, const std::vector<PackedCarton>& cartons) {
  Result<PackResult> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.write([&](store::Tx& tx) -> Status {
    out = packOrder(tx, id, cartons);
    return out ? Status{} : Status{out.error()};
  });
  if (!st) return st.error();
  return out;
}

std::vector<CartonRecord> ShippingService::cartonsOf(store::Tx& tx, domain::OrderId id) {
  return rows::cartons(tx, id);
}

// ---- Shipments (views) ---------------------------------------------------------------

namespace {

ShipmentView viewOf(store::Tx& tx, const rows::ShipmentRow& r, const std::string& reference) {
  ShipmentView v;
  v.id = r.id;
  v.orderId = r.orderId;
  v.orderReference = reference;
  v.state = r.state;
  v.carrier = r.carrier;
  v.carrierName = r.carrierName;
  v.service = r.service;
  v.trackingNumber = r.trackingNumber;
  v.createdAtMs = r.createdAtMs;
  v.shippedAtMs = r.shippedAtMs;
  v.cartons = rows::cartons(tx, r.orderId, r.id);
  return v;
}

}  // namespace

Result<ShipmentView> ShippingService::shipment(store::Tx& tx, std::int64_t shipmentId) {
  auto r = rows::shipment(tx, shipmentId);
  if (!r) return Error{ErrorKind::NotFound, "no shipment " + n(shipmentId)};
  return viewOf(tx, *r, orderReference(r->orderId));
}

Result<ShipmentView> ShippingService::shipment(std::int64_t shipmentId) {
  Result<ShipmentView> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = shipment(tx, shipmentId);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::optional<ShipmentView>> ShippingService::shipmentOfOrder(store::Tx& tx, domain::OrderId id) {
  store::OrderRepository orders(tx);
  if (!orders.find(id)) return Error{ErrorKind::NotFound, "no order " + n(id)};
  auto all = rows::shipmentsOf(tx, id);
  if (all.empty()) return std::optional<ShipmentView>{};
  return std::optional<ShipmentView>{viewOf(tx, all.back(), orderReference(id))};
}

Result<std::optional<ShipmentView>> ShippingService::shipmentOfOrder(domain::OrderId id) {
  Result<std::optional<ShipmentView>> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = shipmentOfOrder(tx, id);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<labels::ShippingLabel> ShippingService::label(store::Tx& tx, std::int64_t shipmentId,
                                                     int cartonNumber) {
  if (!rows::shipment(tx, shipmentId)) return Error{ErrorKind::NotFound, "no shipment " + n(shipmentId)};
  auto json = rows::cartonLabelJson(tx, shipmentId, cartonNumber);
  if (!json)
    return Error{ErrorKind::NotFound, "shipment " + n(shipmentId) + " has no carton " + n(cartonNumber)};
  auto label = labels::parseLabelJson(*json);
  if (!label)
    return Error{ErrorKind::Internal, "stored label of shipment " + n(shipmentId) + " carton " +
                                          n(cartonNumber) + " does not parse: " + label.error().message};
  return *label;
}

Result<labels::ShippingLabel> ShippingService::label(std::int64_t shipmentId, int cartonNumber) {
  Result<labels::ShippingLabel> out = Error{ErrorKind::Internal, "not run"};
  auto st = db_.read([&](store::Tx& tx) -> Status {
    out = label(tx, shipmentId, cartonNumber);
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace wms::packing
