#include "wms/store/OrderRepository.h"

#include <Poco/Data/Session.h>

#include "Sql.h"
#include "TxImpl.h"

using namespace Poco::Data::Keywords;

namespace wms::store {
namespace {

const char* kOrderColumns =
    "id, channel, external_id, status, service_level, carrier, priority, ship_name, ship_company, ship_line1, "
    "ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone, ship_email, hold_reason, "
    "created_at, updated_at";

// The orders an order query selects (kOrderColumns, in order).
std::vector<domain::Order> selectOrders(Tx& tx, const std::string& where,
                                        const std::vector<std::string>& textArgs,
                                        const std::vector<std::int64_t>& intArgs) {
  Query q(tx, std::string("SELECT ") + kOrderColumns + " FROM orders o " + where);
  for (const auto& a : textArgs) q.bind(a);
  for (const auto& a : intArgs) q.bind(a);
  std::vector<domain::Order> out;
  while (q.step()) {
    domain::Order o;
    o.id = q.integer(0);
    o.channel = domain::channelFromString(q.text(1)).value_or(domain::Channel::Manual);
    o.externalId = q.text(2);
    o.status = domain::orderStatusFromString(q.text(3)).value_or(domain::OrderStatus::Held);
    o.serviceLevel = domain::serviceLevelFromString(q.text(4)).value_or(domain::ServiceLevel::Standard);
    o.carrier = q.text(5);
    o.priority = static_cast<int>(q.integer(6));
    o.shipTo = {q.text(7),  q.text(8),  q.text(9),  q.text(10), q.text(11),
                q.text(12), q.text(13), q.text(14), q.text(15), q.text(16)};
    o.holdReason = q.text(17);
    o.createdAtMs = q.integer(18);
    o.updatedAtMs = q.integer(19);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

Result<domain::OrderId> OrderRepository::insert(const domain::Order& o) {
  if (idByExternal(o.channel, o.externalId))
    return Error{ErrorKind::Conflict, std::string("order ") + domain::toString(o.channel) + "/" + o.externalId +
                                          " already exists"};
  const std::int64_t at = o.createdAtMs ? o.createdAtMs : tx_.nowMs();
  const auto& a = o.shipTo;
  Query insert(tx_,
               "INSERT INTO orders(channel, external_id, status, service_level, carrier, priority, ship_name, "
               "ship_company, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, "
               "ship_phone, ship_email, hold_reason, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  insert.bind(domain::toString(o.channel)).bind(o.externalId).bind(domain::toString(o.status));
  insert.bind(domain::toString(o.serviceLevel)).bind(o.carrier).bind(o.priority);
  insert.bind(a.name).bind(a.company).bind(a.line1).bind(a.line2).bind(a.city).bind(a.region);
  insert.bind(a.postalCode).bind(a.country).bind(a.phone).bind(a.email).bind(o.holdReason).bind(at).bind(tx_.nowMs());
  if (!insert.step()) return Error{ErrorKind::Internal, "order insert returned no id"};
  const std::int64_t id = insert.integer(0);
  insert.run();
  sql::exec(tx_, "INSERT INTO order_history(order_id, at, status) VALUES (?, ?, ?)", id, tx_.nowMs(),
            std::string(domain::toString(o.status)));
  for (const auto& l : o.lines) {
    sql::exec(tx_,
              "INSERT INTO order_lines(order_id, line_no, sku, external_line_id, qty, allocated, picked, short_qty, "
              "shipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              static_cast<std::int64_t>(id), l.lineNo, l.sku, l.externalLineId, l.qty, l.allocated, l.picked,
              l.shortQty, l.shipped);
  }
  return static_cast<domain::OrderId>(id);
}

void OrderRepository::loadLines(domain::Order& order) {
  Query q(
      tx_,
      "SELECT line_no, sku, external_line_id, qty, allocated, picked, short_qty, shipped FROM order_lines "
      "WHERE order_id = ? ORDER BY line_no");
  q.bind(order.id);
  order.lines.clear();
  while (q.step())
    order.lines.push_back({static_cast<int>(q.integer(0)), q.text(1), q.text(2), q.integer(3), q.integer(4),
                           q.integer(5), q.integer(6), q.integer(7)});
}

std::optional<domain::Order> OrderRepository::find(domain::OrderId id) {
  auto orders = selectOrders(tx_, "WHERE id = ?", {}, {id});
  if (orders.empty()) return std::nullopt;
  loadLines(orders[0]);
  return orders[0];
}

std::optional<domain::OrderId> OrderRepository::idByExternal(domain::Channel channel, const std::string& externalId) {
  auto id = queryInteger(tx_, "SELECT id FROM orders WHERE channel = ? AND external_id = ?",
                         std::string_view(domain::toString(channel)), externalId);
  if (!id) return std::nullopt;
  return static_cast<domain::OrderId>(*id);
}

std::optional<domain::Order> OrderRepository::findByExternal(domain::Channel channel, const std::string& externalId) {
  auto orders =
      selectOrders(tx_, "WHERE channel = ? AND external_id = ?", {domain::toString(channel), externalId}, {});
  if (orders.empty()) return std::nullopt;
  loadLines(orders[0]);
  return orders[0];
}

std::vector<domain::Order> OrderRepository::list(const OrderFilter& f) {
  std::string channel = f.channel ? domain::toString(*f.channel) : "";
  std::string status = f.status ? domain::toString(*f.status) : "";
  auto orders =
      selectOrders(tx_,
                   "WHERE (? = '' OR channel = ?) AND (? = '' OR status = ?) AND "
                   "(? = '' OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = ?)) "
                   "AND id > ? ORDER BY id LIMIT ?",
                   {channel, channel, status, status, f.sku, f.sku}, {f.afterId, f.limit});
  for (auto& o : orders) loadLines(o);
  return orders;
}

std::vector<std::pair<domain::OrderStatus, std::int64_t>> OrderRepository::countByStatus() {
  std::vector<std::string> statuses;
  std::vector<Poco::Int64> counts;
  session(tx_) << "SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY status", into(statuses), into(counts),
      now;
  std::vector<std::pair<domain::OrderStatus, std::int64_t>> out;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (auto st = domain::orderStatusFromString(statuses[i])) out.emplace_back(*st, counts[i]);
  }
  return out;
}

void OrderRepository::setStatus(domain::OrderId id, domain::OrderStatus status, const std::string& holdReason) {
  const std::string text = domain::toString(status);
  const auto changed = sql::exec(tx_, "UPDATE orders SET status = ?, hold_reason = ?, updated_at = ? WHERE id = ? AND status <> ?",
                                 text, holdReason, tx_.nowMs(), static_cast<std::int64_t>(id), text);
  if (changed > 0) {
    sql::exec(tx_, "INSERT INTO order_history(order_id, at, status) VALUES (?, ?, ?)", static_cast<std::int64_t>(id),
              tx_.nowMs(), text);
  } else {
    sql::exec(tx_, "UPDATE orders SET hold_reason = ?, updated_at = ? WHERE id = ?", holdReason, tx_.nowMs(),
              static_cast<std::int64_t>(id));
  }
}

void OrderRepository::updateLine(domain::OrderId id, const domain::OrderLine& l) {
  sql::exec(tx_,
            "UPDATE order_lines SET allocated = ?, picked = ?, short_qty = ?, shipped = ? WHERE order_id = ? AND "
            "line_no = ?",
            l.allocated, l.picked, l.shortQty, l.shipped, static_cast<std::int64_t>(id), l.lineNo);
  sql::exec(tx_, "UPDATE orders SET updated_at = ? WHERE id = ?", tx_.nowMs(), static_cast<std::int64_t>(id));
}

std::vector<std::pair<domain::OrderId, std::int64_t>> OrderRepository::unchangedSince(domain::OrderStatus status,
                                                                                      std::int64_t beforeMs,
                                                                                      int limit) {
  Query q(tx_, "SELECT id, updated_at FROM orders WHERE status = ? AND updated_at < ? ORDER BY updated_at LIMIT ?");
  q.bind(domain::toString(status)).bind(beforeMs).bind(limit);
  std::vector<std::pair<domain::OrderId, std::int64_t>> out;
  while (q.step()) out.emplace_back(q.integer(0), q.integer(1));
  return out;
}

std::vector<std::pair<domain::OrderStatus, std::int64_t>> OrderRepository::history(domain::OrderId id) {
  Query q(tx_, "SELECT status, at FROM order_history WHERE order_id = ? ORDER BY at, rowid");
  q.bind(static_cast<std::int64_t>(id));
  std::vector<std::pair<domain::OrderStatus, std::int64_t>> out;
  while (q.step()) {
    if (auto st = domain::orderStatusFromString(q.text(0))) out.emplace_back(*st, q.integer(1));
  }
  return out;
}

std::optional<OrderRepository::StageWait> OrderRepository::longestWaitIn(domain::OrderStatus from) {
  // Each entry into `from` paired with the next entry of the same order.
  Query q(tx_,
          "SELECT h.order_id, n.status, n.at - h.at FROM order_history h "
          "JOIN order_history n ON n.rowid = (SELECT n2.rowid FROM order_history n2 WHERE n2.order_id = h.order_id "
          "AND (n2.at > h.at OR (n2.at = h.at AND n2.rowid > h.rowid)) ORDER BY n2.at, n2.rowid LIMIT 1) "
          "WHERE h.status = ? ORDER BY n.at - h.at DESC LIMIT 1");
  q.bind(domain::toString(from));
  if (!q.step()) return std::nullopt;
  StageWait w;
  w.order = q.integer(0);
  w.next = domain::orderStatusFromString(q.text(1)).value_or(domain::OrderStatus::Held);
  w.ms = q.integer(2);
  return w;
}

void OrderRepository::setLineSku(domain::OrderId id, int lineNo, const std::string& sku) {
  sql::exec(tx_,
            "UPDATE order_lines SET sku = ? WHERE order_id = ? AND line_no = ? AND allocated = 0 AND picked = 0 AND "
            "shipped = 0",
            sku, static_cast<std::int64_t>(id), lineNo);
}

}  // namespace wms::store

namespace wms::store {

void OrderRepository::setShipTo(domain::OrderId id, const domain::Address& a) {
  sql::exec(tx_,
            "UPDATE orders SET ship_name = ?, ship_company = ?, ship_line1 = ?, ship_line2 = ?, ship_city = ?, "
            "ship_region = ?, ship_postal_code = ?, ship_country = ?, ship_phone = ?, ship_email = ?, updated_at = ? "
            "WHERE id = ?",
            a.name, a.company, a.line1, a.line2, a.city, a.region, a.postalCode, a.country, a.phone, a.email,
            tx_.nowMs(), id);
}

}  // namespace wms::store
