// Tests for server/packing/src/Verification.cpp: the pack verification state
// machine, step by step.
#include <boost/test/unit_test.hpp>

#include "wms/packing/Verification.h"

using namespace wms;
using namespace wms::packing;

namespace {

// Line 1: 2 mugs; line 2: 3 cans (one short-picked: 2 to pack); line 3: a
// book, the same SKU as line 4 (orders may list a SKU twice).
std::vector<VerifyLine> orderLines() {
  return {
      {1, "MUG", "Mug", 2, 2, {"8851234567898"}, {120, 90, 100}, 350},
      {2, "CAN", "Can", 3, 2, {"09501101530003"}, {66, 66, 115}, 400},
      {3, "BOOK", "Book", 1, 1, {"9780306406157"}, {240, 160, 30}, 500},
      {4, "BOOK", "Book", 1, 1, {"9780306406157"}, {240, 160, 30}, 500},
  };
}

ScanReply scan(PackVerifier& v, std::string_view text, std::int64_t count = 1) {
  auto r = v.scan(text, count);
  BOOST_REQUIRE(r.ok());
  return *r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verification)

BOOST_AUTO_TEST_CASE(a_scan_without_an_open_carton_counts_nothing) {
  PackVerifier v(orderLines());
  auto r = scan(v, "8851234567898");
  BOOST_TEST((r.outcome == ScanOutcome::NoOpenCarton));
  BOOST_TEST(r.sku == "MUG");
  BOOST_TEST(v.packed(1) == 0);
}

BOOST_AUTO_TEST_CASE(accepted_scans_count_per_line_and_say_how_far_along_the_sku_is) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  auto r = scan(v, "8851234567898");
  BOOST_TEST((r.outcome == ScanOutcome::Accepted));
  BOOST_TEST(r.lineNo == 1);
  BOOST_TEST(r.count == 1);
  BOOST_TEST(r.packed == 1);
  BOOST_TEST(r.toPack == 2);
  BOOST_TEST(r.message == "1 x MUG accepted (1 of 2)");
  // The same GTIN as UPC/EAN/GTIN-14 or the SKU code typed by hand.
  BOOST_TEST((scan(v, "08851234567898").outcome == ScanOutcome::Accepted));
  BOOST_TEST(v.packed(1) == 2);
  BOOST_TEST(v.cartons().front().items == (std::vector<CartonContent>{{1, "MUG", 2}}));
}

BOOST_AUTO_TEST_CASE(a_wrong_item_changes_nothing_and_names_the_code) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  auto r = scan(v, "036000291452");
  BOOST_TEST((r.outcome == ScanOutcome::WrongItem));
  BOOST_TEST(r.message == "wrong item: 036000291452 is not in this order");
  BOOST_TEST(v.cartons().front().items.empty());
}

BOOST_AUTO_TEST_CASE(an_over_scan_is_refused_whole_and_says_how_many_remain) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  BOOST_TEST((scan(v, "MUG", 2).outcome == ScanOutcome::Accepted));
  auto r = scan(v, "8851234567898");
  BOOST_TEST((r.outcome == ScanOutcome::OverScan));
  BOOST_TEST(r.message == "over-scan: all 2 of MUG are packed already");
  // A typed count larger than what remains adds nothing at all.
  auto big = scan(v, "09501101530003", 3);
  BOOST_TEST((big.outcome == ScanOutcome::OverScan));
  BOOST_TEST(big.message == "over-scan: only 2 more of CAN to pack, not 3");
  BOOST_TEST(v.packed(2) == 0);
}

BOOST_AUTO_TEST_CASE(a_short_picked_line_packs_what_was_picked) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("M").ok());
  BOOST_TEST((scan(v, "09501101530003", 2).outcome == ScanOutcome::Accepted));
  BOOST_TEST((scan(v, "09501101530003").outcome == ScanOutcome::OverScan));
  auto missing = v.missing();
  for (const auto& m : missing) BOOST_TEST(m.lineNo != 2);
}

BOOST_AUTO_TEST_CASE(gs1_scans_count_by_their_gtin_and_report_lot_and_expiry) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  auto r = scan(v, "]C101095011015300031725063010LOT42");
  BOOST_TEST((r.outcome == ScanOutcome::Accepted));
  BOOST_TEST(r.lineNo == 2);
  BOOST_REQUIRE(r.code.has_value());
  BOOST_TEST(r.code->lot.value_or("") == "LOT42");
  BOOST_TEST(r.code->expiry.value_or("") == "2025-06-30");
}

BOOST_AUTO_TEST_CASE(an_unreadable_scan_is_reported_and_counts_nothing) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  auto r = scan(v, "8851234567891");
  BOOST_TEST((r.outcome == ScanOutcome::Unreadable));
  BOOST_TEST(r.message.find("unreadable: barcode 8851234567891: check digit is 1, expected 8") == 0u);
  BOOST_TEST(v.packed(1) == 0);
  BOOST_TEST(!v.scan("MUG", 0).ok());  // a count of 0 is bad input, not a scan
}

BOOST_AUTO_TEST_CASE(a_sku_on_two_lines_fills_the_first_line_then_the_next) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("M").ok());
  auto first = scan(v, "9780306406157");
  BOOST_TEST(first.lineNo == 3);
  auto second = scan(v, "9780306406157");
  BOOST_TEST(second.lineNo == 4);
  BOOST_TEST(second.packed == 2);
  BOOST_TEST((scan(v, "9780306406157").outcome == ScanOutcome::OverScan));
}

BOOST_AUTO_TEST_CASE(multi_carton_orders_number_their_cartons_and_finish_complete) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  BOOST_TEST((scan(v, "MUG", 2).outcome == ScanOutcome::Accepted));
  // Another carton cannot be opened while this one holds items.
  BOOST_TEST((v.openCarton("M").error().kind == ErrorKind::Conflict));
  BOOST_REQUIRE(v.closeCarton(900).ok());
  BOOST_REQUIRE(v.openCarton("S").ok());
  BOOST_REQUIRE(v.openCarton("M").ok());  // an empty open carton just changes type
  BOOST_TEST((scan(v, "CAN", 2).outcome == ScanOutcome::Accepted));
  BOOST_TEST((scan(v, "BOOK", 2).outcome == ScanOutcome::Accepted));
  BOOST_TEST(v.complete());
  auto cartons = v.finish();
  BOOST_REQUIRE(cartons.ok());
  BOOST_REQUIRE(cartons->size() == 2u);
  BOOST_TEST((*cartons)[0].number == 1);
  BOOST_TEST((*cartons)[0].cartonType == "S");
  BOOST_TEST((*cartons)[0].weightG.value_or(0) == 900);
  BOOST_TEST((*cartons)[1].number == 2);
  BOOST_TEST((*cartons)[1].cartonType == "M");
  BOOST_TEST((*cartons)[1].closed);
  BOOST_TEST((*cartons)[1].units() == 4);
}

BOOST_AUTO_TEST_CASE(finishing_with_missing_items_names_them_by_line_and_changes_nothing) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  BOOST_TEST((scan(v, "MUG").outcome == ScanOutcome::Accepted));
  auto r = v.finish();
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.error().kind == ErrorKind::Conflict));
  BOOST_TEST(
      r.error().message ==
      "not every picked unit is packed: line 1 (MUG): 1 of 2 not packed; line 2 (CAN): 2 of 2 not packed; "
      "line 3 (BOOK): 1 of 1 not packed; line 4 (BOOK): 1 of 1 not packed");
  BOOST_TEST(v.openCartonNumber().value_or(0) == 1);
  BOOST_TEST(v.missing().size() == 4u);
}

BOOST_AUTO_TEST_CASE(units_taken_out_of_the_open_carton_are_missing_again) {
  PackVerifier v(orderLines());
  BOOST_REQUIRE(v.openCarton("S").ok());
  BOOST_TEST((scan(v, "MUG", 2).outcome == ScanOutcome::Accepted));
  BOOST_REQUIRE(v.remove(1, 1).ok());
  BOOST_TEST(v.packed(1) == 1);
  BOOST_TEST((v.remove(1, 5).error().kind == ErrorKind::Conflict));
  BOOST_TEST((v.remove(9, 1).error().kind == ErrorKind::NotFound));
  BOOST_REQUIRE(v.remove(1, 1).ok());
  BOOST_TEST(v.cartons().front().items.empty());
  BOOST_TEST((v.closeCarton().error().kind == ErrorKind::Conflict));  // empty
}

BOOST_AUTO_TEST_CASE(closing_needs_an_open_carton_and_a_sane_weight) {
  PackVerifier v(orderLines());
  BOOST_TEST((v.closeCarton().error().kind == ErrorKind::Conflict));
  BOOST_REQUIRE(v.openCarton("S").ok());
  BOOST_TEST((scan(v, "MUG").outcome == ScanOutcome::Accepted));
  BOOST_TEST((v.closeCarton(0).error().kind == ErrorKind::Invalid));
  BOOST_TEST((v.closeCarton(2'000'000).error().kind == ErrorKind::Invalid));
  BOOST_TEST(v.closeCarton().ok());
  BOOST_TEST(!v.openCartonNumber().has_value());
}

BOOST_AUTO_TEST_CASE(an_order_with_nothing_to_pack_cannot_finish) {
  PackVerifier v({{1, "MUG", "Mug", 2, 0, {"8851234567898"}, {}, 0}});
  BOOST_TEST(v.complete());
  BOOST_TEST((v.finish().error().kind == ErrorKind::Conflict));
}

BOOST_AUTO_TEST_CASE(lines_that_contradict_themselves_are_a_misuse) {
  BOOST_CHECK_THROW(PackVerifier({{1, "A", "", 1, 1, {}, {}, 0}, {1, "B", "", 1, 1, {}, {}, 0}}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(PackVerifier({{1, "A", "", 1, 2, {}, {}, 0}}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
