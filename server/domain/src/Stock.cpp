#include "wms/domain/Stock.h"

#include "wms/domain/Ids.h"

namespace wms::domain {
namespace {

Error invalid(std::string message) { return Error{ErrorKind::Invalid, std::move(message)}; }

constexpr LedgerCause kAllCauses[] = {LedgerCause::Receipt,     LedgerCause::Adjustment, LedgerCause::CycleCount,
                                      LedgerCause::Damage,      LedgerCause::Reservation, LedgerCause::Release,
                                      LedgerCause::Pick,        LedgerCause::Ship,       LedgerCause::Return,
                                      LedgerCause::PosSale,     LedgerCause::Transfer};
constexpr AdjustReason kAllReasons[] = {AdjustReason::Receipt, AdjustReason::Count, AdjustReason::Damage,
                                        AdjustReason::Correction, AdjustReason::Return, AdjustReason::Found,
                                        AdjustReason::Lost};

}  // namespace

const char* toString(LedgerCause cause) noexcept {
  switch (cause) {
    case LedgerCause::Receipt: return "receipt";
    case LedgerCause::Adjustment: return "adjustment";
    case LedgerCause::CycleCount: return "cycle_count";
    case LedgerCause::Damage: return "damage";
    case LedgerCause::Reservation: return "reservation";
    case LedgerCause::Release: return "release";
    case LedgerCause::Pick: return "pick";
    case LedgerCause::Ship: return "ship";
    case LedgerCause::Return: return "return";
    case LedgerCause::PosSale: return "pos_sale";
    case LedgerCause::Transfer: return "transfer";
  }
  return "adjustment";
}

std::optional<LedgerCause> ledgerCauseFromString(std::string_view text) noexcept {
  for (auto c : kAllCauses) {
    if (text == toString(c)) return c;
  }
  return std::nullopt;
}

const char* toString(AdjustReason reason) noexcept {
  switch (reason) {
    case AdjustReason::Receipt: return "receipt";
    case AdjustReason::Count: return "count";
    case AdjustReason::Damage: return "damage";
    case AdjustReason::Correction: return "correction";
    case AdjustReason::Return: return "return";
    case AdjustReason::Found: return "found";
    case AdjustReason::Lost: return "lost";
  }
  return "correction";
}

std::optional<AdjustReason> adjustReasonFromString(std::string_view text) noexcept {
  for (auto r : kAllReasons) {
    if (text == toString(r)) return r;
  }
  return std::nullopt;
}

LedgerCause causeOf(AdjustReason reason) noexcept {
  switch (reason) {
    case AdjustReason::Receipt: return LedgerCause::Receipt;
    case AdjustReason::Count: return LedgerCause::CycleCount;
    case AdjustReason::Damage: return LedgerCause::Damage;
    case AdjustReason::Return: return LedgerCause::Return;
    case AdjustReason::Correction:
    case AdjustReason::Found:
    case AdjustReason::Lost: return LedgerCause::Adjustment;
  }
  return LedgerCause::Adjustment;
}

Status checkDate(std::string_view v, std::string_view what) {
  auto bad = [&] { return invalid(std::string(what) + " must be a date YYYY-MM-DD, got '" + std::string(v) + "'"); };
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return bad();
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (v[i] < '0' || v[i] > '9') return bad();
  }
  int y = std::stoi(std::string(v.substr(0, 4)));
  int m = std::stoi(std::string(v.substr(5, 2)));
  int d = std::stoi(std::string(v.substr(8, 2)));
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || m < 1 || m > 12) return bad();
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int maxDay = days[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d < 1 || d > maxDay) return bad();
  return {};
}

Status validateAdjustment(const Adjustment& a) {
  if (auto st = checkSku(a.sku); !st) return st;
  if (auto st = checkLocationCode(a.location); !st) return st;
  if (a.delta == 0) return invalid("delta must not be zero");
  if (a.delta > kMaxQuantity || a.delta < -kMaxQuantity)
    return invalid("delta must be between -" + std::to_string(kMaxQuantity) + " and " + std::to_string(kMaxQuantity));
  switch (a.reason) {
    case AdjustReason::Receipt:
    case AdjustReason::Return:
    case AdjustReason::Found:
      if (a.delta < 0) return invalid(std::string("reason '") + toString(a.reason) + "' needs a positive delta");
      break;
    case AdjustReason::Damage:
    case AdjustReason::Lost:
      if (a.delta > 0) return invalid(std::string("reason '") + toString(a.reason) + "' needs a negative delta");
      break;
    case AdjustReason::Count:
    case AdjustReason::Correction: break;
  }
  if (!a.lot.empty()) {
    if (auto st = checkCode(a.lot, "lot", 20); !st) return st;
  }
  if (!a.expiry.empty()) {
    if (auto st = checkDate(a.expiry, "expiry"); !st) return st;
  }
  if (auto st = checkText(a.note, "note", 500); !st) return st;
  if (!a.idempotencyKey.empty()) {
    if (auto st = checkExternalId(a.idempotencyKey, "idempotency_key"); !st) return st;
  }
  return {};
}

std::vector<InvariantViolation> checkInvariants(const std::vector<SkuFigures>& figures) {
  std::vector<InvariantViolation> out;
  auto add = [&](const SkuFigures& f, std::string what) { out.push_back({f.sku, std::move(what)}); };
  for (const auto& f : figures) {
    const auto n = [](std::int64_t v) { return std::to_string(v); };
    if (f.onHand < 0) add(f, "on_hand is negative (" + n(f.onHand) + ")");
    if (f.allocated < 0) add(f, "allocated is negative (" + n(f.allocated) + ")");
    if (f.allocated > f.onHand) add(f, "allocated " + n(f.allocated) + " exceeds on_hand " + n(f.onHand));
    if (f.sumAtLocations != f.onHand)
      add(f, "on_hand " + n(f.onHand) + " differs from the sum over locations " + n(f.sumAtLocations));
    if (f.ledgerOnHand != f.onHand)
      add(f, "on_hand " + n(f.onHand) + " differs from the ledger's sum " + n(f.ledgerOnHand));
    if (f.ledgerAllocated != f.allocated)
      add(f, "allocated " + n(f.allocated) + " differs from the ledger's sum " + n(f.ledgerAllocated));
    if (f.openOrderAllocation != f.allocated)
      add(f, "allocated " + n(f.allocated) + " differs from open orders' allocation " + n(f.openOrderAllocation));
  }
  return out;
}

}  // namespace wms::domain
