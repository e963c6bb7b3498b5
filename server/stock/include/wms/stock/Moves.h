// wms::stock: the one owner of every stock move.
//
// A Moves object works inside a caller's write transaction and is the only
// code outside wms::store that writes the central stock (sku_stock), the
// stock per location, the order lines' allocation and the ledger (a test
// greps the tree for it). Each move validates its input once, writes exactly
// its ledger row(s) with cause, reference, idempotency key and who caused it
// (Actor), keeps the totals in step (on_hand = sum over locations,
// 0 <= allocated <= on_hand, allocated = what open order lines hold), and
// calls the stock-changed hook (Events.h) for the SKUs whose available
// quantity it changed. An error leaves the transaction as it was (each move
// runs in a savepoint).
//
// Threading and lifetime: a Moves belongs to one write transaction's work
// function and must not outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Order.h"
#include "wms/domain/Stock.h"
#include "wms/stock/Events.h"
#include "wms/store/Tx.h"

namespace wms::stock {

// Who caused a move; every ledger row names one, as "kind:id".
struct Actor {
  std::string id;
  static Actor person(const std::string& who) { return {"person:" + who}; }        // a badge or a user
  static Actor device(const std::string& device) { return {"device:" + device}; }  // a handheld, a station
  static Actor integration(const std::string& name) { return {"integration:" + name}; }  // a channel, an import
  static Actor system(const std::string& component) { return {"system:" + component}; }   // a rule of wmsd
};

// The location that holds the units picked into a tote: "TOTE-<code>".
std::string toteLocation(const std::string& tote);

// SKUs an order's lines want more of than is available: (sku, wanted, available).
struct Shortage {
  std::string sku;
  std::int64_t wanted = 0;
  std::int64_t available = 0;
};

// A change of on-hand units at one location (adjust, receive, a return, a
// till sale, a write-off).
struct OnHandChange {
  domain::StockAtLocation where;  // where.qty is ignored
  std::int64_t delta = 0;         // > 0 adds units, < 0 takes them
  domain::LedgerCause cause = domain::LedgerCause::Adjustment;
  std::string reference;       // "adjustment:count", "return:R-17", ...
  std::string idempotencyKey;  // on the ledger row; "" if the caller keys it itself
  std::string note;
};

// Units of an order line picked from a location into a tote.
struct PickToTote {
  domain::OrderId order = 0;
  int lineNo = 0;
  domain::StockAtLocation from;  // sku, location, lot, expiry (qty ignored)
  std::string tote;              // the tote's code
  std::int64_t qty = 0;
  std::string reference;  // "batch:12/stop:3"
  std::string note;       // e.g. "item typed"
};

// Units of an order line shipped out of the totes that hold them.
struct ShipFromTotes {
  domain::OrderId order = 0;
  int lineNo = 0;
  std::int64_t qty = 0;
  std::string reference;       // "order:42"
  std::string idempotencyKey;  // on the first ledger row of the shipment ("" for the others)
  std::string note;            // "shipment 7, Carrier TRACK"
};

// Units of an order line a packer found damaged or missing in its totes.
struct LostFromTotes {
  int lineNo = 0;
  std::int64_t qty = 0;
  domain::LedgerCause cause = domain::LedgerCause::Damage;  // Damage, or Adjustment for units not there
  std::string reference;  // "order:42/pack-short"
  std::string note;       // "damaged at PACK-7"
};

// One picked_units row: units of an order line in a tote, and how many of
// them shipped (the pick-to-pack hand-off, read by packing).
struct PickedUnits {
  int lineNo = 0;
  std::string tote;
  std::string sku, lot, expiry;
  std::int64_t qty = 0;
  std::int64_t shipped = 0;
};

class Moves {
 public:
  Moves(store::Tx& tx, const StockEvents& events, Actor who);
  Moves(const Moves&) = delete;
  Moves& operator=(const Moves&) = delete;

  // ---- Reservations (order lines <-> sku_stock.allocated) -------------------
  // What the lines still want beyond their allocation, against what is available.
  std::vector<Shortage> shortages(const std::vector<domain::OrderLine>& lines);
  // Stores a new order (order.id == 0) with every line reserved in full:
  // one reservation row per SKU, order.id set. InsufficientStock (nothing
  // stored) naming the SKU if any is short; Conflict if the (channel,
  // external id) pair is stored already.
  Status insertReserved(domain::Order& order);
  // Reserves what every line of a stored order still wants, in full, with
  // one reservation row per SKU. InsufficientStock (nothing reserved) naming
  // the SKU if any is short.
  Status reserve(domain::Order& order);
  // Frees everything the order's lines hold (a cancel), one release row per
  // SKU with `note` as the reason.
  Status release(domain::Order& order, const std::string& note);
  // Frees up to `qty` of one line's allocation (an unshipped remainder);
  // returns the units freed.
  Result<std::int64_t> releaseLine(domain::Order& order, int lineNo, std::int64_t qty, const std::string& note);
  // `qty` units of a line could not be found by the pickers: the line's
  // short count rises and as much of its allocation is freed. Invalid if the
  // line would be short beyond what is left to pick of it.
  Status shortLine(domain::Order& order, int lineNo, std::int64_t qty, const std::string& note);
  // Reserves the backordered orders holding one of `skus`, oldest first, that
  // can now be filled in full; their ids.
  Result<std::vector<domain::OrderId>> fillBackorders(const std::set<std::string>& skus);

  // ---- On-hand at a location ---------------------------------------------------
  // Adds or takes units at a location (not a tote: totes change only by
  // picking and shipping). Invalid: an unknown SKU or location, lot or expiry
  // not matching the SKU's tracking, a zero delta. InsufficientStock: the
  // location holds fewer, or the units are reserved by orders. Units added
  // fill backorders at once. Returns the ledger id.
  Result<std::int64_t> changeOnHand(const OnHandChange& change);
  // Writes off up to `qty` units a picker found missing at a location: at
  // most what the location holds and what is not reserved elsewhere (the
  // rest stays until the count). Returns the units written off (0: none).
  Result<std::int64_t> writeOffMissing(const domain::StockAtLocation& where, std::int64_t qty,
                                       domain::LedgerCause cause, const std::string& reference,
                                       const std::string& note);
  // Flags a location's stock of a SKU for a count (after a short pick).
  void requestCount(const std::string& sku, const std::string& location);

  // ---- Picking and shipping ------------------------------------------------------
  // Location -> tote for an order line: the units move (two ledger rows,
  // on-hand unchanged), the line's picked count rises, and the tote's
  // picked_units row records them. InsufficientStock if the location holds
  // fewer ("report a short pick"); Invalid if the line would be picked beyond
  // its quantity.
  Status pick(const PickToTote& move);
  // Ships units of an order line out of the totes that hold them, first tote
  // first: on-hand and allocated fall (one ship row per tote), the line's
  // shipped count rises, picked_units records them. Conflict if the line
  // holds fewer reserved units or the totes fewer picked ones.
  Status ship(domain::Order& order, const ShipFromTotes& move);
  // Writes off units of an order line that a packer found damaged or
  // missing in its totes, first tote first: on-hand and allocated fall (one
  // row per tote, `cause`), the line's picked count falls and its short
  // count rises by `qty`, so the line is short as if the picker had not
  // found them and nothing will ship them silently. Invalid for a cause
  // other than Damage or Adjustment or a bad quantity; Conflict if the totes
  // hold fewer unshipped units of the line.
  Status loseFromTotes(domain::Order& order, const LostFromTotes& move);
  // The order's picked_units rows, by line, tote, lot, expiry.
  std::vector<PickedUnits> pickedUnits(domain::OrderId order);
  // Puts an order's picked, unshipped units back from its totes to
  // `location` (an order that will not ship: cancelled by its channel after
  // picking started): two transfer rows per tote and lot, the lines' picked
  // counts and picked_units fall by what went back, and the lines'
  // allocation of those units is freed. Returns the units put back.
  // Invalid for an unknown location or a tote location.
  Result<std::int64_t> returnFromTotes(domain::Order& order, const std::string& location, const std::string& reference);

  // ---- Inbound (contracts for receiving, put-away, replenishment, counts) ------
  // Goods received into a dock or staging location: on-hand rises (cause
  // receipt). Same errors as changeOnHand; fills backorders.
  Result<std::int64_t> receive(const domain::StockAtLocation& where, std::int64_t qty, const std::string& reference,
                               const std::string& idempotencyKey, const std::string& note);
  // Units moved between two locations (put-away, replenishment of a pick
  // face from reserve): two transfer rows, on-hand unchanged.
  // InsufficientStock if `from` holds fewer; Invalid for a tote or unknown location.
  Status transfer(const domain::StockAtLocation& from, const std::string& to, std::int64_t qty,
                  const std::string& reference, const std::string& note);
  // A count found `counted` units at a location: the difference is booked
  // (cause cycle_count) and the count request cleared. InsufficientStock if
  // the SKU's reservations exceed what would be left. Returns the difference.
  Result<std::int64_t> count(const domain::StockAtLocation& where, std::int64_t counted, const std::string& reference,
                             const std::string& note);

  // The SKUs whose available quantity the moves so far changed: pass them to
  // StockEvents::committed after the commit.
  const std::set<std::string>& changed() const { return changed_; }

 private:
  Status validateLocationStock(const domain::StockAtLocation& where, bool allowTote);
  std::int64_t ledger(domain::LedgerEntry entry);
  // One reservation (sign +1) or release (-1) row per SKU, then the hook.
  void allocationRows(const std::map<std::string, std::int64_t>& bySku, int sign, const std::string& reference,
                      const std::string& note);
  // The two rows of units moved between locations (on-hand unchanged).
  void locationRows(const domain::StockAtLocation& from, const domain::StockAtLocation& to, std::int64_t qty,
                    domain::LedgerCause cause, const std::string& reference, const std::string& noteSuffix);
  void changedSku(const std::string& sku);
  // Units of an order line leaving the building from the totes that hold
  // them, first tote first: the shared part of ship (the units count as
  // shipped in picked_units) and loseFromTotes (they are gone from it). One
  // ledger row per tote (on-hand and allocated down, `cause`, the key on
  // the first row), then the SKU's on-hand and allocation. Conflict, naming
  // `verb`, if the totes hold fewer. Runs inside the caller's savepoint.
  struct OutOfTotes {
    domain::LedgerCause cause = domain::LedgerCause::Ship;
    bool shipped = true;
    std::string reference, idempotencyKey, note;
    const char* verb = "ship";
  };
  Status outOfTotes(domain::OrderId order, int lineNo, const std::string& sku, std::int64_t qty, const OutOfTotes& how);

  store::Tx& tx_;
  const StockEvents& events_;
  const Actor who_;
  std::set<std::string> changed_;
};

}  // namespace wms::stock
