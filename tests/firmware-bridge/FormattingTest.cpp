// Tests src/Formatting.cpp: rules parsed with errors naming the line, first
// match wins, each action, and results that are not scans refused.
#define BOOST_TEST_MODULE fwbridge_formatting
#include <boost/test/unit_test.hpp>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/Formatting.h"

using namespace wms;
using namespace wms::fwbridge;

namespace {
Scan scanOf(ScanSource src, std::string sym, std::string data) {
  return Scan{src, std::move(sym), std::move(data)};
}

std::string applied(const Formatter& f, Scan s) {
  auto r = f.apply(std::move(s));
  BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
  BOOST_TEST_REQUIRE(r->has_value());
  return (*r)->data;
}
}  // namespace

BOOST_AUTO_TEST_CASE(without_rules_scans_pass_unchanged) {
  Formatter f;
  BOOST_TEST(applied(f, scanOf(ScanSource::Engine, "]C0", "ABC")) == "ABC");
}

BOOST_AUTO_TEST_CASE(the_first_matching_rule_applies_by_source_symbology_length_and_prefix) {
  auto f = Formatter::parse(
      "# packing station scanners\n"
      "match source=wedge prefix=]C1 => strip-aim gs1-hri\n"
      "match source=wedge length=4-6 => add-prefix=LOC- \n"
      "match symbology=]E => strip-leading=1\n"
      "match source=engine,ssi symbology=none => add-suffix=<GS>\n"
      "match prefix=IGNORE => discard\n");
  BOOST_TEST_REQUIRE(f.ok(), (f.ok() ? "" : f.error().message));
  BOOST_TEST(f->ruleCount() == 5u);
  BOOST_TEST(applied(*f, scanOf(ScanSource::Wedge, "",
                                "]C10109501101530003\x1d"
                                "10LOT42")) == "(01)09501101530003(10)LOT42");
  BOOST_TEST(applied(*f, scanOf(ScanSource::Wedge, "", "A0102")) == "LOC-A0102");
  BOOST_TEST(applied(*f, scanOf(ScanSource::Ssi, "]E0", "0065100004327")) == "065100004327");
  BOOST_TEST(applied(*f, scanOf(ScanSource::Ssi, "", "X")) == "X\x1d");
  auto dropped = f->apply(scanOf(ScanSource::Engine, "]C0", "IGNORE-ME"));
  BOOST_TEST_REQUIRE(dropped.ok());
  BOOST_TEST(!dropped->has_value());
}

BOOST_AUTO_TEST_CASE(strip_aim_moves_the_identifier_to_the_symbology) {
  auto f = Formatter::parse("match source=wedge => strip-aim\n").value();
  auto r = f.apply(scanOf(ScanSource::Wedge, "", "]E05901234123457"));
  BOOST_TEST((*r)->symbology == "]E0");
  BOOST_TEST((*r)->data == "5901234123457");
}

BOOST_AUTO_TEST_CASE(map_replaces_every_occurrence) {
  auto f = Formatter::parse("match => map=<GS>:| strip=X map=-:\n").value();
  BOOST_TEST(applied(f, scanOf(ScanSource::Engine, "",
                               "X01\x1d"
                               "10-A")) == "01|10A");
}

BOOST_AUTO_TEST_CASE(an_action_that_cannot_apply_refuses_the_scan) {
  auto f = Formatter::parse("match => gs1-hri\n").value();
  auto r = f.apply(scanOf(ScanSource::Engine, "", "NOT-GS1"));
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().message.find("rule on line 1: not GS1 data") == 0u);
  auto strip = Formatter::parse("match => strip-leading=5\n").value();
  BOOST_TEST(!strip.apply(scanOf(ScanSource::Engine, "", "ABC")).ok());
  auto empty = Formatter::parse("match => strip-leading=3\n").value();
  BOOST_TEST(empty.apply(scanOf(ScanSource::Engine, "", "ABC")).error().message == "scan is empty");
}

BOOST_AUTO_TEST_CASE(bad_rules_are_refused_naming_the_line_and_word) {
  BOOST_TEST(Formatter::parse("\nrule x\n").error().message ==
             "rules line 2: a rule starts with 'match', got 'rule'");
  BOOST_TEST(Formatter::parse("match source=usb => discard\n").error().message ==
             "rules line 1: source 'usb' is unknown (engine, ssi, wedge, any)");
  BOOST_TEST(Formatter::parse("match length=9-3 => discard\n").error().message ==
             "rules line 1: length range 9-3 runs backwards");
  BOOST_TEST(Formatter::parse("match prefix=A\n").error().message ==
             "rules line 1: missing '=>' between conditions and actions");
  BOOST_TEST(Formatter::parse("match => shout\n").error().message ==
             "rules line 1: action 'shout' is unknown");
  BOOST_TEST(Formatter::parse("match => add-prefix=\\q\n").error().message ==
             "rules line 1: unknown escape \\q in '\\q'");
  BOOST_TEST(Formatter::parse("match => add-prefix=\\x4\n").error().message ==
             "rules line 1: \\x needs two hex digits in '\\x4'");
  BOOST_TEST(Formatter::parse("match =>\n").error().message ==
             "rules line 1: a rule needs at least one action after '=>'");
}

BOOST_AUTO_TEST_CASE(scan_data_must_be_printable_ascii_or_gs) {
  BOOST_TEST(checkScanData("A\x1d"
                           "B")
                 .ok());
  BOOST_TEST(checkScanData("A\nB").error().message == "scan has control character 10 at 1");
  BOOST_TEST(checkScanData(std::string(kMaxScanLength + 1, 'A')).error().kind == ErrorKind::TooLarge);
}
