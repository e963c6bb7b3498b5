#include "wms/packing/Verification.h"

#include <set>
#include <stdexcept>

#include "wms/domain/Ids.h"

namespace wms::packing {
namespace {

Error conflict(std::string message) {
  return Error{ErrorKind::Conflict, std::move(message)};
}
std::string n(std::int64_t v) {
  return std::to_string(v);
}

}  // namespace

const char* toString(ScanOutcome outcome) noexcept {
  switch (outcome) {
    case ScanOutcome::Accepted:
      return "accepted";
    case ScanOutcome::WrongItem:
      return "wrong_item";
    case ScanOutcome::OverScan:
      return "over_scan";
    case ScanOutcome::Unreadable:
      return "unreadable";
    case ScanOutcome::NoOpenCarton:
      return "no_open_carton";
  }
  return "unreadable";
}

std::int64_t VerifyCarton::units() const {
  std::int64_t total = 0;
  for (const auto& i : items) total += i.qty;
  return total;
}

PackVerifier::PackVerifier(std::vector<VerifyLine> lines)
    : lines_(std::move(lines)), packed_(lines_.size(), 0) {
  std::set<int> seen;
  for (const auto& l : lines_) {
    if (!seen.insert(l.lineNo).second)
      throw std::invalid_argument("PackVerifier: line " + std::to_string(l.lineNo) + " is given twice");
    if (l.toPack < 0 || l.ordered < 0 || l.toPack > l.ordered)
      throw std::invalid_argument("PackVerifier: line " + std::to_string(l.lineNo) +
                                  " needs 0 <= toPack <= ordered");
  }
}

VerifyCarton* PackVerifier::open() {
  if (!cartons_.empty() && !cartons_.back().closed) return &cartons_.back();
  return nullptr;
}

std::optional<int> PackVerifier::openCartonNumber() const {
  if (!cartons_.empty() && !cartons_.back().closed) return cartons_.back().number;
  return std::nullopt;
}

Status PackVerifier::openCarton(std::string_view cartonType) {
  if (cartonType.empty() || cartonType.size() > 32)
    return Error{ErrorKind::Invalid, "carton type must be 1..32 characters"};
  if (VerifyCarton* c = open()) {
    if (!c->items.empty())
      return conflict("carton " + n(c->number) + " is open with " + n(c->units()) +
                      " units in it: close it before opening another");
    c->cartonType = std::string(cartonType);
    return {};
  }
  VerifyCarton c;
  c.number = static_cast<int>(cartons_.size()) + 1;
  c.cartonType = std::string(cartonType);
  cartons_.push_back(std::move(c));
  return {};
}

Status PackVerifier::closeCarton(std::optional<std::int64_t> weightG) {
  VerifyCarton* c = open();
  if (!c) return conflict("no carton is open");
  if (c->items.empty()) return conflict("carton " + n(c->number) + " is empty: scan items into it first");
  if (weightG && (*weightG < 1 || *weightG > 1'000'000))
    return Error{ErrorKind::Invalid, "carton weight must be 1..1000000 g, got " + n(*weightG)};
  c->weightG = weightG;
  c->closed = true;
  return {};
}

Result<ScanReply> PackVerifier::scan(std::string_view text, std::int64_t count) {
  if (count < 1 || count > domain::kMaxQuantity)
    return Error{ErrorKind::Invalid, "quantity must be 1.." + n(domain::kMaxQuantity) + ", got " + n(count)};
  ScanReply reply;
  auto code = interpretScan(text);
  if (!code) {
    reply.outcome = ScanOutcome::Unreadable;
    reply.message = "unreadable: " + code.error().message;
    return reply;
  }
  reply.code = *code;

  // The lines this code identifies: by any of their barcodes (GTINs as
  // GTIN-14) or by the SKU code typed by hand.
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const auto& l = lines_[i];
    bool hit = l.sku == code->text || domain::barcodeKey(l.sku) == code->key;
    for (std::size_t b = 0; b < l.barcodes.size() && !hit; ++b)
      hit = domain::barcodeKey(l.barcodes[b]) == code->key;
    if (hit) matches.push_back(i);
  }
  if (matches.empty()) {
    reply.outcome = ScanOutcome::WrongItem;
    reply.message = "wrong item: " + code->text + " is not in this order";
    return reply;
  }
  const VerifyLine& first = lines_[matches.front()];
  reply.sku = first.sku;
  reply.lineNo = first.lineNo;
  std::int64_t remaining = 0;
  for (auto i : matches) {
    remaining += lines_[i].toPack - packed_[i];
    reply.packed += packed_[i];
    reply.toPack += lines_[i].toPack;
  }
  if (remaining <= 0) {
    reply.outcome = ScanOutcome::OverScan;
    reply.message = "over-scan: all " + n(reply.toPack) + " of " + first.sku + " are packed already";
    return reply;
  }
  if (count > remaining) {
    reply.outcome = ScanOutcome::OverScan;
    reply.message = "over-scan: only " + n(remaining) + " more of " + first.sku + " to pack, not " + n(count);
    return reply;
  }
  VerifyCarton* carton = open();
  if (!carton) {
    reply.outcome = ScanOutcome::NoOpenCarton;
    reply.message = "no carton is open: choose a carton first";
    return reply;
  }

  std::int64_t left = count;
  bool firstHit = true;
  for (auto i : matches) {
    std::int64_t take = std::min(left, lines_[i].toPack - packed_[i]);
    if (take <= 0) continue;
    if (firstHit) reply.lineNo = lines_[i].lineNo;
    firstHit = false;
    packed_[i] += take;
    left -= take;
    bool merged = false;
    for (auto& item : carton->items) {
      if (item.lineNo == lines_[i].lineNo) {
        item.qty += take;
        merged = true;
      }
    }
    if (!merged) carton->items.push_back({lines_[i].lineNo, lines_[i].sku, take});
    if (left == 0) break;
  }
  reply.outcome = ScanOutcome::Accepted;
  reply.count = count;
  reply.packed += count;
  reply.message =
      n(count) + " x " + first.sku + " accepted (" + n(reply.packed) + " of " + n(reply.toPack) + ")";
  return reply;
}

Status PackVerifier::remove(int lineNo, std::int64_t count) {
  std::size_t index = lines_.size();
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (lines_[i].lineNo == lineNo) index = i;
  }
  if (index == lines_.size()) return Error{ErrorKind::NotFound, "the order has no line " + n(lineNo)};
  if (count < 1 || count > domain::kMaxQuantity)
    return Error{ErrorKind::Invalid, "quantity must be 1.." + n(domain::kMaxQuantity) + ", got " + n(count)};
  VerifyCarton* c = open();
  if (!c) return conflict("no carton is open: units can only be taken out of the open carton");
  for (auto it = c->items.begin(); it != c->items.end(); ++it) {
    if (it->lineNo != lineNo) continue;
    if (it->qty < count)
      return conflict("carton " + n(c->number) + " holds " + n(it->qty) + " of line " + n(lineNo) + ", not " +
                      n(count));
    it->qty -= count;
    packed_[index] -= count;
    if (it->qty == 0) c->items.erase(it);
    return {};
  }
  return conflict("carton " + n(c->number) + " holds nothing of line " + n(lineNo));
}

bool PackVerifier::complete() const {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (packed_[i] < lines_[i].toPack) return false;
  }
  return true;
}

std::vector<MissingUnits> PackVerifier::missing() const {
  std::vector<MissingUnits> out;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (packed_[i] < lines_[i].toPack)
      out.push_back({lines_[i].lineNo, lines_[i].sku, lines_[i].toPack, packed_[i]});
  }
  return out;
}

std::int64_t PackVerifier::packed(int lineNo) const {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (lines_[i].lineNo == lineNo) return packed_[i];
  }
  return 0;
}

Result<std::vector<VerifyCarton>> PackVerifier::finish() {
  auto gaps = missing();
  if (!gaps.empty()) {
    std::string message = "not every picked unit is packed:";
    for (std::size_t i = 0; i < gaps.size(); ++i) {
      message += (i ? "; " : " ") + std::string("line ") + n(gaps[i].lineNo) + " (" + gaps[i].sku +
                 "): " + n(gaps[i].missing()) + " of " + n(gaps[i].toPack) + " not packed";
    }
    return conflict(message);
  }
  bool anything = false;
  for (const auto& c : cartons_) anything = anything || !c.items.empty();
  if (!anything) return conflict("nothing is packed: the order has no units to pack");
  std::vector<VerifyCarton> out;
  for (auto c : cartons_) {
    if (c.items.empty()) continue;
    c.closed = true;
    c.number = static_cast<int>(out.size()) + 1;
    out.push_back(std::move(c));
  }
  cartons_ = out;
  return out;
}

}  // namespace wms::packing
