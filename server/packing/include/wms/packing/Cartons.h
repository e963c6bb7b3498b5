// Cartons: the catalogue of boxes and mailers a packing station stocks, and
// the choice of the smallest one an order's items fit into.
//
// suggestCarton tries the catalogue's types from the smallest inner volume
// up and takes the first that passes every check of checkFit:
//   1. weight: the items plus the carton's own weight stay within its limit;
//   2. every item fits through the carton in some orientation (its sides,
//      sorted, each within the carton's sorted inner sides);
//   3. the items' total volume stays within the fill factor of the inner
//      volume (room for padding and for the shapes not fitting perfectly);
//   4. a 3-D placement exists: units go in largest first at "extreme
//      points" (the corners that placed units leave: bottom-left-back
//      first), trying the six orientations of each; no two units overlap and
//      none sticks out. The heuristic may miss a packing that exists (then a
//      larger carton is suggested), but a placement it finds is real.
// If no single carton holds everything, the units are split over several
// cartons (first fit, largest units first, into the largest type; then each
// carton is shrunk to the smallest type that still holds its contents).
// Units that fit no carton at all go into "OWN" (shipped in their own
// packaging, labelled as they are).
//
// Pure functions over values: no I/O, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/domain/Catalog.h"

namespace wms::packing {

enum class CartonKind {
  Box,     // a rigid box
  Mailer,  // a padded or poly mailer: inner height is the thickness it takes
  Own,     // no carton: the item ships in its own packaging
};

// "box", "mailer", "own".
const char* toString(CartonKind kind) noexcept;

// The carton code of "ship in own packaging": always in a catalogue,
// never chosen when a real carton fits.
inline constexpr std::string_view kOwnPackaging = "OWN";

struct CartonType {
  std::string code;  // e.g. "S", "MAILER-M": 1..32 of [A-Za-z0-9._-]
  std::string name;  // shown to the packer: "Box S 250x190x100"
  CartonKind kind = CartonKind::Box;
  domain::Dimensions inner;     // inner dimensions in mm (all > 0 except for Own)
  std::int64_t maxWeightG = 0;  // gross weight limit, carton included (> 0 except for Own)
  std::int64_t tareG = 0;       // the carton's own weight

  std::int64_t innerVolumeMm3() const { return inner.lengthMm * inner.widthMm * inner.heightMm; }
};

// A set of carton types. find() is by code.
struct CartonCatalog {
  std::vector<CartonType> types;

  const CartonType* find(std::string_view code) const;
};

// The default set: mailers S/M/L and boxes S/M/L/XL, plus OWN.
CartonCatalog defaultCartonCatalog();

// Checks a catalogue: codes valid and distinct, dimensions and weights
// positive, tare below the limit; OWN is added if missing. Invalid names the
// carton and the problem.
Result<CartonCatalog> validateCatalog(CartonCatalog catalog);

// Items to pack: a SKU's unit dimensions, unit weight and quantity. A unit
// with any dimension 0 has unknown dimensions: it counts for weight only,
// and the suggestion says so in its notes.
struct CartonItem {
  std::string sku;
  domain::Dimensions dims;
  std::int64_t weightG = 0;
  std::int64_t qty = 0;
  int lineNo = 0;  // optional, carried through to the suggestion
};

// Field by field (domain::Dimensions has no comparison of its own).
bool operator==(const CartonItem& a, const CartonItem& b) noexcept;

struct FitOptions {
  double boxFill = 0.85;     // share of a box's inner volume items may take
  double mailerFill = 0.95;  // mailers give: items may fill more of them
  // Above this many units the 3-D placement (check 4) is skipped and the
  // volume check alone decides, so a huge order cannot take long.
  std::size_t maxPlacedUnits = 400;
};

struct FitCheck {
  bool fits = false;
  std::string reason;  // why not, for a person: "weight 5300 g over the limit of 5000 g"
};

// Whether all the items fit in one carton of this type (checks 1-4).
// Invalid for an item with a quantity below 1 or a negative size.
Result<FitCheck> checkFit(const CartonType& carton, const std::vector<CartonItem>& items,
                          const FitOptions& options = {});

struct SuggestedCarton {
  std::string cartonType;         // a code of the catalogue (kOwnPackaging for oversize units)
  std::vector<CartonItem> items;  // what goes in, per SKU (and line when given)
  std::int64_t grossWeightG = 0;  // items plus the carton's tare
  double fill = 0;                // items' known volume / inner volume, 0..1

  friend bool operator==(const SuggestedCarton&, const SuggestedCarton&) = default;
};

struct CartonSuggestion {
  std::vector<SuggestedCarton> cartons;  // one unless split
  bool split = false;
  std::vector<std::string> notes;  // unknown dimensions, oversize items, placement skipped
};

// The carton(s) to use for the items (see the top of this file). Invalid if
// there are no items or an item is invalid (quantity below 1, negative
// size or weight). Deterministic: the same input gives the same answer.
Result<CartonSuggestion> suggestCarton(const CartonCatalog& catalog, const std::vector<CartonItem>& items,
                                       const FitOptions& options = {});

}  // namespace wms::packing
