// Tests for server/packing/src/PackingConfig.cpp: the packing.* and
// printing.* settings.
#include <boost/test/unit_test.hpp>

#include "wms/packing/PackingConfig.h"

using namespace wms;
using namespace wms::packing;

namespace {

std::string errorOf(const std::map<std::string, std::string>& raw) {
  auto c = packingConfigFrom(raw);
  BOOST_REQUIRE_MESSAGE(!c.ok(), "expected an error");
  return c.error().message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(packing_config)

BOOST_AUTO_TEST_CASE(without_keys_the_defaults_apply_and_other_components_keys_are_ignored) {
  auto c = packingConfigFrom({{"channels.shopify.enabled", "true"}, {"http.port", "1"}});
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->orderReferencePrefix == "SO-");
  BOOST_TEST((c->unshipped == UnshippedPolicy::Release));
  BOOST_TEST(c->defaultCarrier == "builtin");
  BOOST_TEST(c->cartons.find("M") != nullptr);
  BOOST_TEST(c->printers.empty());
  BOOST_TEST(c->retry.maxAttempts == 10);
}

BOOST_AUTO_TEST_CASE(ship_from_and_policies_are_read) {
  auto c = packingConfigFrom({{"packing.ship_from.name", "Acme"},
                              {"packing.ship_from.country", "VN"},
                              {"packing.unshipped_allocation", "keep"},
                              {"packing.order_reference_prefix", "WH1-"},
                              {"packing.gs1_company_prefix", "8851234"},
                              {"packing.sscc_extension", "3"}});
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->shipFrom.name == "Acme");
  BOOST_TEST((c->unshipped == UnshippedPolicy::Keep));
  BOOST_TEST(c->orderReferencePrefix == "WH1-");
  BOOST_TEST(c->gs1CompanyPrefix == "8851234");
  BOOST_TEST(c->ssccExtension == 3);
  BOOST_TEST(c->builtInCarrier.country == "VN");  // follows the ship-from country unless set
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_bad_values_are_refused_naming_the_key) {
  BOOST_TEST(errorOf({{"packing.ship_form.name", "x"}}) == "config packing.ship_form.name: unknown setting");
  BOOST_TEST(errorOf({{"packing.unshipped_allocation", "drop"}}) ==
             "config packing.unshipped_allocation: must be release or keep, got 'drop'");
  BOOST_TEST(errorOf({{"packing.gs1_company_prefix", "12"}}).find("config packing.gs1_company_prefix") == 0u);
  BOOST_TEST(errorOf({{"packing.sscc_extension", "10"}}).find("from 0 to 9") != std::string::npos);
  BOOST_TEST(errorOf({{"packing.builtin_carrier.country", "th"}}).find("two capital letters") !=
             std::string::npos);
  BOOST_TEST(errorOf({{"packing.box_fill", "1.5"}}).find("config packing.box_fill") == 0u);
  BOOST_TEST(errorOf({{"printing.max_attempts", "0"}}).find("config printing.max_attempts") == 0u);
  BOOST_TEST(errorOf({{"printing.initial_backoff_ms", "5000"}, {"printing.max_backoff_ms", "100"}})
                 .find("must not exceed") != std::string::npos);
  BOOST_TEST(errorOf({{"packing.ship_from.name", "bell\x07"}}).find("config packing.ship_from.name") == 0u);
}

BOOST_AUTO_TEST_CASE(cartons_can_be_listed_changed_and_added) {
  auto c = packingConfigFrom({{"packing.cartons", "S, M, TUBE"},
                              {"packing.carton.M.max_weight_g", "12000"},
                              {"packing.carton.TUBE.inner_mm", "80x80x600"},
                              {"packing.carton.TUBE.max_weight_g", "3000"},
                              {"packing.carton.TUBE.kind", "box"}});
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  BOOST_TEST(c->cartons.types.size() == 4u);  // S, M, TUBE and OWN
  BOOST_TEST(c->cartons.find("M")->maxWeightG == 12000);
  BOOST_TEST(c->cartons.find("M")->inner.heightMm == 150);
  BOOST_TEST(c->cartons.find("TUBE")->inner.heightMm == 600);
  BOOST_TEST(c->cartons.find("XL") == nullptr);
  BOOST_TEST(errorOf({{"packing.cartons", "S"}, {"packing.carton.M.tare_g", "1"}}).find("not listed") !=
             std::string::npos);
  BOOST_TEST(errorOf({{"packing.cartons", "S,NEW"}}).find("needs its inner size") != std::string::npos);
  BOOST_TEST(errorOf({{"packing.carton.NEW.inner_mm", "10x10"}}).find("LENGTHxWIDTHxHEIGHT") !=
             std::string::npos);
  BOOST_TEST(errorOf({{"packing.carton.NEW.inner_mm", "10x10x10"}}).find("weight limit") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(printers_stations_and_the_default_printer_are_checked_against_each_other) {
  auto c = packingConfigFrom({{"printing.printer.ZEBRA-1.uri", "tcp://10.0.0.7:9100"},
                              {"printing.printer.ZEBRA-1.dpi", "300"},
                              {"printing.printer.LASER.uri", "cups:Laser_2"},
                              {"printing.printer.LASER.format", "pdf"},
                              {"printing.printer.LASER.size", "a6"},
                              {"printing.default_printer", "ZEBRA-1"},
                              {"packing.station.PACK-2.printer", "LASER"}});
  BOOST_REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  BOOST_TEST(c->printers.size() == 2u);
  BOOST_TEST((c->printer("ZEBRA-1")->dpi == labels::Dpi::D300));
  BOOST_TEST((c->printer("LASER")->format == labels::DocumentFormat::Pdf));
  BOOST_TEST(c->stationPrinters.at("PACK-2") == "LASER");
  BOOST_TEST(errorOf({{"printing.printer.Z.uri", "lpt1"}}).find("config printing.printer.Z.uri") == 0u);
  BOOST_TEST(errorOf({{"printing.printer.Z.format", "zpl"}}).find("needs its uri") != std::string::npos);
  BOOST_TEST(errorOf({{"printing.default_printer", "NOPE"}}).find("no printer 'NOPE'") != std::string::npos);
  BOOST_TEST(errorOf({{"packing.station.P1.printer", "NOPE"}}).find("no printer 'NOPE'") !=
             std::string::npos);
  // One printer is the default without saying so.
  auto one = packingConfigFrom({{"printing.printer.Z.uri", "tcp://127.0.0.1:9100"}});
  BOOST_TEST(one->defaultPrinter == "Z");
}

BOOST_AUTO_TEST_SUITE_END()
