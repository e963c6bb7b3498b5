// Tests for server/packing/src/Cartons.cpp: the carton catalogue and the
// choice of the smallest carton the items fit into.
#include <boost/test/unit_test.hpp>
#include <map>
#include <random>

#include "wms/packing/Cartons.h"

using namespace wms;
using namespace wms::packing;

namespace {

CartonItem item(const std::string& sku, std::int64_t l, std::int64_t w, std::int64_t h, std::int64_t g,
                std::int64_t qty) {
  return {sku, {l, w, h}, g, qty, 0};
}

CartonSuggestion suggest(const std::vector<CartonItem>& items,
                         const CartonCatalog& catalog = defaultCartonCatalog(),
                         const FitOptions& options = {}) {
  auto s = suggestCarton(catalog, items, options);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return *s;
}

bool fits(const CartonType& c, const std::vector<CartonItem>& items, const FitOptions& options = {}) {
  auto f = checkFit(c, items, options);
  BOOST_REQUIRE(f.ok());
  return f->fits;
}

// One cube carton, for geometric cases.
CartonCatalog cube(std::int64_t side) {
  return CartonCatalog{{{"CUBE", "Cube", CartonKind::Box, {side, side, side}, 100000, 0}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cartons)

BOOST_AUTO_TEST_CASE(the_default_catalogue_is_valid_and_keeps_own_packaging) {
  auto c = validateCatalog(defaultCartonCatalog());
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->find("S") != nullptr);
  BOOST_TEST(c->find("XL") != nullptr);
  BOOST_TEST(c->find("MAILER-S") != nullptr);
  BOOST_TEST((c->find("OWN")->kind == CartonKind::Own));
}

BOOST_AUTO_TEST_CASE(a_bad_catalogue_is_refused_naming_the_carton) {
  auto dup = defaultCartonCatalog();
  dup.types.push_back(dup.types.front());
  BOOST_TEST(validateCatalog(dup).error().message == "carton MAILER-S is listed twice");
  CartonCatalog flat{{{"FLAT", "Flat", CartonKind::Box, {100, 100, 0}, 1000, 0}}};
  BOOST_TEST(validateCatalog(flat).error().message.find("carton FLAT: inner dimensions") == 0u);
  CartonCatalog heavy{{{"B", "Box", CartonKind::Box, {100, 100, 100}, 1000, 1000}}};
  BOOST_TEST(validateCatalog(heavy).error().message.find("carton B: its own weight") == 0u);
}

BOOST_AUTO_TEST_CASE(the_smallest_carton_by_volume_that_holds_the_items_is_chosen) {
  // A mug is 100 mm tall: too tall for the mailers, so the small box.
  auto s = suggest({item("MUG", 120, 90, 100, 350, 1)});
  BOOST_REQUIRE(s.cartons.size() == 1u);
  BOOST_TEST(s.cartons[0].cartonType == "S");
  BOOST_TEST(s.cartons[0].grossWeightG == 350 + 120);
  // A T-shirt, folded flat, goes into a mailer.
  BOOST_TEST(suggest({item("TEE", 220, 150, 20, 200, 1)}).cartons[0].cartonType == "MAILER-S");
  BOOST_TEST(!s.split);
}

BOOST_AUTO_TEST_CASE(an_item_fits_by_turning_it) {
  // 30 x 150 x 220 is the same T-shirt standing on its side.
  BOOST_TEST(suggest({item("TEE", 30, 150, 220, 200, 1)}).cartons[0].cartonType == "MAILER-S");
  // A tube of 400 mm only fits boxes with a side of 400 or more.
  BOOST_TEST(suggest({item("TUBE", 60, 60, 430, 300, 1)}).cartons[0].cartonType == "MAILER-L");
}

BOOST_AUTO_TEST_CASE(the_weight_limit_moves_heavy_items_to_a_stronger_carton) {
  // Small enough for S by size; 6 kg is over S's 5 kg.
  auto s = suggest({item("IRON", 100, 100, 100, 6000, 1)});
  BOOST_TEST(s.cartons[0].cartonType == "M");
  auto reason = checkFit(*defaultCartonCatalog().find("S"), {item("IRON", 100, 100, 100, 6000, 1)});
  BOOST_TEST(reason->reason == "weight 6120 g over the limit of 5000 g");
}

BOOST_AUTO_TEST_CASE(the_fill_factor_leaves_room_for_padding) {
  // Three 1-litre bricks in a 4-litre box: 75% full, fits at 85%, not at 70%.
  const CartonType box{"B", "Box", CartonKind::Box, {200, 200, 100}, 10000, 0};
  const std::vector<CartonItem> items{item("BRICK", 100, 100, 100, 100, 3)};
  BOOST_TEST(fits(box, items));
  FitOptions tight;
  tight.boxFill = 0.70;
  BOOST_TEST(!fits(box, items, tight));
  BOOST_TEST(checkFit(box, items, tight)->reason == "items take more than the carton's usable volume");
}

BOOST_AUTO_TEST_CASE(items_that_pass_the_volume_check_but_cannot_be_arranged_do_not_fit) {
  // Two 60 mm cubes fill 43% of a 100 mm cube, but no two of them fit side by side.
  FitOptions all;
  all.boxFill = 1.0;
  const auto catalog = cube(100);
  BOOST_TEST(!fits(catalog.types[0], {item("C60", 60, 60, 60, 1, 2)}, all));
  BOOST_TEST(checkFit(catalog.types[0], {item("C60", 60, 60, 60, 1, 2)}, all)->reason ==
             "no arrangement of the items fits in 100x100x100 mm");
  BOOST_TEST(fits(catalog.types[0], {item("C60", 60, 60, 60, 1, 1)}, all));
}

BOOST_AUTO_TEST_CASE(items_that_tile_the_carton_exactly_are_found_to_fit) {
  FitOptions all;
  all.boxFill = 1.0;
  const auto catalog = cube(100);
  BOOST_TEST(fits(catalog.types[0], {item("C50", 50, 50, 50, 1, 8)}, all));
  BOOST_TEST(!fits(catalog.types[0], {item("C50", 50, 50, 50, 1, 9)}, all));
  // Mixed sizes that tile a 100 cube: a 100x100x50 slab and two bars on it.
  BOOST_TEST(fits(catalog.types[0], {item("SLAB", 100, 100, 50, 1, 1), item("BAR", 50, 100, 50, 1, 2)}, all));
  // Bars lying any way round still tile it.
  BOOST_TEST(fits(catalog.types[0], {item("BAR", 50, 50, 100, 1, 4)}, all));
}

BOOST_AUTO_TEST_CASE(what_no_single_carton_holds_is_split_over_several) {
  // Three 15 kg appliances: only XL holds one, and two with the box weigh over its 30 kg.
  auto s = suggest({item("APPL", 400, 300, 300, 15000, 3)});
  BOOST_TEST(s.split);
  const auto catalog = defaultCartonCatalog();
  std::int64_t units = 0;
  for (const auto& c : s.cartons) {
    const CartonType* t = catalog.find(c.cartonType);
    BOOST_REQUIRE(t != nullptr);
    BOOST_TEST(fits(*t, c.items));
    for (const auto& i : c.items) units += i.qty;
  }
  BOOST_TEST(units == 3);
  BOOST_TEST(s.cartons.size() == 3u);
}

BOOST_AUTO_TEST_CASE(an_item_no_carton_takes_ships_in_its_own_packaging) {
  auto s = suggest({item("SOFA", 2000, 900, 800, 40000, 1), item("MUG", 120, 90, 100, 350, 1)});
  BOOST_TEST(s.split);
  BOOST_REQUIRE(s.cartons.size() == 2u);
  BOOST_TEST(s.cartons[0].cartonType == "S");
  BOOST_TEST(s.cartons[1].cartonType == "OWN");
  BOOST_TEST(s.cartons[1].items[0].sku == "SOFA");
  BOOST_TEST(s.notes.back() == "SOFA fits no carton: it ships in its own packaging");
}

BOOST_AUTO_TEST_CASE(unknown_dimensions_count_for_weight_and_are_noted) {
  auto s = suggest({item("GIFT", 0, 0, 0, 800, 2)});
  BOOST_TEST(s.cartons[0].cartonType == "MAILER-M");  // 1600 g: over MAILER-S's 1 kg
  BOOST_REQUIRE(!s.notes.empty());
  BOOST_TEST(s.notes.front() == "dimensions of GIFT are unknown: the suggestion counts only its weight");
}

BOOST_AUTO_TEST_CASE(bad_items_are_refused) {
  auto catalog = defaultCartonCatalog();
  BOOST_TEST(suggestCarton(catalog, {}).error().message == "no items to pack");
  BOOST_TEST(suggestCarton(catalog, {item("X", 1, 1, 1, 1, 0)}).error().message.find("quantity must be") !=
             std::string::npos);
  BOOST_TEST(suggestCarton(catalog, {item("X", -1, 1, 1, 1, 1)}).error().message.find("dimensions") !=
             std::string::npos);
}

// On random orders: every suggested carton holds its items (checkFit), the
// units are all there, a single suggestion is the smallest carton that
// fits, and the same input gives the same answer.
BOOST_AUTO_TEST_CASE(random_orders_get_sound_smallest_and_repeatable_suggestions) {
  std::mt19937 rng(20240611);
  const auto catalog = defaultCartonCatalog();
  for (int round = 0; round < 300; ++round) {
    std::vector<CartonItem> items;
    const int kinds = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < kinds; ++k) {
      items.push_back(item("SKU" + std::to_string(k), 10 + rng() % 500, 10 + rng() % 400, 5 + rng() % 300,
                           1 + rng() % 8000, 1 + rng() % 5));
    }
    auto s = suggest(items, catalog);
    auto again = suggest(items, catalog);
    BOOST_TEST((s.cartons == again.cartons));
    std::map<std::string, std::int64_t> units;
    for (const auto& c : s.cartons) {
      const CartonType* t = catalog.find(c.cartonType);
      BOOST_REQUIRE(t != nullptr);
      BOOST_TEST(fits(*t, c.items), "round " << round << " carton " << c.cartonType);
      for (const auto& i : c.items) units[i.sku] += i.qty;
    }
    for (const auto& i : items) BOOST_TEST(units[i.sku] == i.qty);
    if (!s.split) {
      const CartonType* chosen = catalog.find(s.cartons[0].cartonType);
      for (const auto& t : catalog.types) {
        if (t.kind == CartonKind::Own || t.innerVolumeMm3() >= chosen->innerVolumeMm3()) continue;
        BOOST_TEST(!fits(t, items), "round " << round << ": " << t.code << " is smaller and fits");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
