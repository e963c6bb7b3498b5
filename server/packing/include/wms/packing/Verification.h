// Pack verification: the packer proves, item by item, that the carton holds
// what the order's picked units are. A state machine over values; no I/O.
//
// It starts from the order's lines, each with the units to pack (what was
// picked and not yet shipped: a short-picked line packs what was picked) and
// the barcodes that identify its SKU. Then, in any order:
//   openCarton(type)     opens a carton (one at a time); an empty open
//                        carton just changes type
//   scan(text, count)    one scan, with a count typed by the packer for big
//                        quantities: Accepted (count units of a line go
//                        into the open carton) | WrongItem (not in this
//                        order) | OverScan (more than remains to pack) |
//                        Unreadable (see interpretScan) | NoOpenCarton.
//                        Only Accepted changes anything.
//   remove(line, count)  takes units back out of the open carton
//   closeCarton(weight)  closes the open carton (weight optional)
//   finish()             the packed cartons, once every unit is packed;
//                        otherwise Conflict naming the missing units by line
// Cartons are numbered 1..m in the order they were opened; empty cartons are
// dropped by finish(). Several lines may share a SKU: a scan fills the first
// of them that still needs units.
//
// Threading: a PackVerifier is a value; use one from one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Catalog.h"
#include "wms/packing/Scan.h"

namespace wms::packing {

struct VerifyLine {
  int lineNo = 0;  // distinct within the order
  std::string sku;
  std::string description;
  std::int64_t ordered = 0;           // what the customer ordered (shown)
  std::int64_t toPack = 0;            // picked and not yet shipped: what must be packed
  std::vector<std::string> barcodes;  // the SKU's barcodes, any form (GTINs compared as GTIN-14)
  domain::Dimensions dims;            // unit size, for carton suggestions (0 = unknown)
  std::int64_t weightG = 0;           // unit weight
};

enum class ScanOutcome { Accepted, WrongItem, OverScan, Unreadable, NoOpenCarton };

// "accepted", "wrong_item", "over_scan", "unreadable", "no_open_carton".
const char* toString(ScanOutcome outcome) noexcept;

struct ScanReply {
  ScanOutcome outcome = ScanOutcome::Unreadable;
  int lineNo = 0;                   // the (first) line the scan counted for; 0 if none
  std::string sku;                  // the SKU recognised, if any
  std::int64_t count = 0;           // units added (Accepted), else 0
  std::int64_t packed = 0;          // the SKU's packed units after this scan (all its lines)
  std::int64_t toPack = 0;          // the SKU's units to pack (all its lines)
  std::optional<ScannedCode> code;  // what was read, when readable
  std::string message;              // for the packer: "1 x SKU-A accepted (2 of 3)", "wrong item: ..."
};

struct CartonContent {
  int lineNo = 0;
  std::string sku;
  std::int64_t qty = 0;
  friend bool operator==(const CartonContent&, const CartonContent&) = default;
};

struct VerifyCarton {
  int number = 0;  // 1-based, in opening order
  std::string cartonType;
  bool closed = false;
  std::optional<std::int64_t> weightG;
  std::vector<CartonContent> items;  // by line, in first-packed order
  std::int64_t units() const;
  friend bool operator==(const VerifyCarton&, const VerifyCarton&) = default;
};

struct MissingUnits {
  int lineNo = 0;
  std::string sku;
  std::int64_t toPack = 0;
  std::int64_t packed = 0;
  std::int64_t missing() const { return toPack - packed; }
  friend bool operator==(const MissingUnits&, const MissingUnits&) = default;
};

class PackVerifier {
 public:
  // Throws std::invalid_argument for duplicate line numbers, negative
  // quantities or toPack above ordered (a misuse: the caller builds lines
  // from stored orders).
  explicit PackVerifier(std::vector<VerifyLine> lines);

  // Opens a carton of `cartonType` (1..32 characters; the caller checks it
  // against its catalogue). Conflict if an open carton already holds
  // items; an open empty carton changes its type instead.
  Status openCarton(std::string_view cartonType);

  // Closes the open carton. Conflict if none is open or it is empty;
  // Invalid for a weight outside 1..1000000 g.
  Status closeCarton(std::optional<std::int64_t> weightG = std::nullopt);

  // One scan of `count` units (1..1000000). The error is only for a count
  // out of range; every scan outcome is a reply.
  Result<ScanReply> scan(std::string_view text, std::int64_t count = 1);

  // Takes `count` units of a line out of the open carton. NotFound for an
  // unknown line, Conflict if no carton is open or it holds fewer.
  Status remove(int lineNo, std::int64_t count);

  // True when every unit to pack is in a carton.
  bool complete() const;
  // Lines with units still to pack.
  std::vector<MissingUnits> missing() const;
  // The packed cartons (the open one closed; empty ones dropped). Conflict
  // listing the missing units ("line 2 (SKU-B): 1 of 3 not packed") unless
  // complete(); the verifier is unchanged then.
  Result<std::vector<VerifyCarton>> finish();

  const std::vector<VerifyLine>& lines() const { return lines_; }
  const std::vector<VerifyCarton>& cartons() const { return cartons_; }
  // Packed units of a line (0 for an unknown line).
  std::int64_t packed(int lineNo) const;
  // The open carton's number, if one is open.
  std::optional<int> openCartonNumber() const;

 private:
  VerifyCarton* open();
  std::vector<VerifyLine> lines_;
  std::vector<std::int64_t> packed_;  // by index into lines_
  std::vector<VerifyCarton> cartons_;
};

}  // namespace wms::packing
