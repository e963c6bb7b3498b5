// Tests the wms-label command (labels/app/main.cpp) as a packer's script
// would run it: real process, real files, a fake 9100 printer on loopback.
#include <boost/test/unit_test.hpp>

#include "FakePrinter.h"
#include "LabelsTestSupport.h"
#include "wms/labels/Zpl.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

using namespace std::chrono_literals;
using namespace wms::labels;
using namespace wms::labels::test;
using wms::testsupport::CommandResult;
using wms::testsupport::runCommand;
using wms::testsupport::TempDir;

namespace {

const std::string kTool = std::string(WMS_BINARY_DIR) + "/labels/wms-label";

CommandResult label(std::vector<std::string> args) {
  args.insert(args.begin(), kTool);
  return runCommand(args, {}, 120s);
}

std::string example(const std::string& name) {
  return sourcePath("labels/examples/" + name + ".json").string();
}

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wms_label)

BOOST_AUTO_TEST_CASE(renders_zpl_png_and_pdf_files) {
  TempDir dir("wms-label");
  const auto zpl = label({"--in", example("basic-th"), "--format", "zpl", "--out", (dir / "l.zpl").string()});
  BOOST_REQUIRE_MESSAGE(zpl.exitCode == 0, zpl.output);
  BOOST_TEST(readText(dir / "l.zpl") ==
             renderZpl(exampleLabel("basic-th"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value());

  const auto png = label({"--in", example("thai-address"), "--format", "png", "--size", "4x4", "--dpi", "300",
                          "--out", (dir / "l.png").string()});
  BOOST_REQUIRE_MESSAGE(png.exitCode == 0, png.output);
  BOOST_TEST(readText(dir / "l.png").substr(1, 3) == "PNG");

  const auto pdf = label({"--in", example("chinese-address"), "--format", "pdf", "--size", "a6", "--out",
                          (dir / "l.pdf").string()});
  BOOST_REQUIRE_MESSAGE(pdf.exitCode == 0, pdf.output);
  BOOST_TEST(readText(dir / "l.pdf").rfind("%PDF-", 0) == 0);
  BOOST_TEST(!std::filesystem::exists(dir / "l.pdf.tmp"));
}

BOOST_AUTO_TEST_CASE(help_prints_the_usage_and_exits_0) {
  const auto out = label({"--help"});
  BOOST_TEST(out.exitCode == 0);
  BOOST_TEST(out.output.find("usage: wms-label --in LABEL.json") == 0);
}

BOOST_AUTO_TEST_CASE(zpl_goes_to_standard_output_with_dash) {
  const auto out = label({"--in", example("basic-th"), "--format", "zpl", "--out", "-"});
  BOOST_REQUIRE_EQUAL(out.exitCode, 0);
  BOOST_TEST(out.output.rfind("^XA\n^CI28\n", 0) == 0);
}

BOOST_AUTO_TEST_CASE(a_missing_address_field_is_one_clear_line_exit_2_and_no_file) {
  TempDir dir("wms-label");
  ShippingLabel broken = exampleLabel("basic-th");
  broken.shipTo.postalCode.clear();
  wms::testsupport::writeFile(dir / "broken.json", labelToJson(broken));
  const auto out =
      label({"--in", (dir / "broken.json").string(), "--format", "png", "--out", (dir / "l.png").string()});
  BOOST_TEST(out.exitCode == 2);
  BOOST_TEST(lines(out.output) == 1);
  BOOST_TEST(out.output.find("ship_to.postal_code is required") != std::string::npos, out.output);
  BOOST_TEST(out.output.rfind("wms-label: ", 0) == 0);
  BOOST_TEST(!std::filesystem::exists(dir / "l.png"));
}

BOOST_AUTO_TEST_CASE(bad_usage_is_one_clear_line_and_exit_2) {
  TempDir dir("wms-label");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--in", example("basic-th"), "--format", "bmp", "--out", "x"}, "--format must be zpl, png or pdf"},
      {{"--in", example("basic-th"), "--format", "zpl", "--size", "5x7", "--out", "x"},
       "label size must be 4x6"},
      {{"--in", example("basic-th"), "--format", "zpl", "--dpi", "600", "--out", "x"},
       "dpi must be 203 or 300"},
      {{"--in", example("basic-th"), "--format", "zpl"}, "nothing to do"},
      {{"--format", "zpl", "--out", "x"}, "give exactly one of --in and --locations"},
      {{"--in", (dir / "nope.json").string(), "--format", "zpl", "--out", "x"}, "cannot read"},
      {{"--in", example("basic-th"), "--format", "zpl", "--print", "lpr://x"}, "is not a printer address"},
      {{"--in", example("basic-th"), "--frobnicate", "1"}, "unknown option --frobnicate"},
      {{"--in"}, "missing value after --in"},
      {{"--in", example("basic-th"), "--format", "zpl", "--copies", "0", "--out", "x"}, "--copies must be"},
      {{"--in", sourcePath("tests/labels/fixtures/bad/deep-nesting.json").string(), "--format", "zpl",
        "--out", "x"},
       "nested deeper"},
      {{"--in", example("basic-th"), "--format", "pdf", "--copies", "2", "--out", "x"},
       "--copies applies to zpl only"},
      {{"--in", example("basic-th"), "--format", "zpl", "--caption", "TOTE", "--out", "x"},
       "--caption applies to"},
      {{"--locations", example("basic-th"), "--format", "png", "--out", "x"}, "not png"},
      {{"--locations", example("basic-th"), "--format", "pdf", "--size", "4x4", "--out", "x"},
       "--size applies to"},
  };
  for (const auto& [args, message] : cases) {
    const auto out = label(args);
    BOOST_TEST(!std::filesystem::exists("x"));
    BOOST_TEST_CONTEXT(message) {
      BOOST_TEST(out.exitCode == 2);
      BOOST_TEST(lines(out.output) == 1);
      BOOST_TEST(out.output.find(message) != std::string::npos, out.output);
    }
  }
}

BOOST_AUTO_TEST_CASE(prints_exactly_the_zpl_to_a_9100_printer) {
  FakePrinter fake;
  const auto out = label({"--in", example("basic-th"), "--format", "zpl", "--print",
                          "tcp://127.0.0.1:" + std::to_string(fake.port())});
  BOOST_REQUIRE_MESSAGE(out.exitCode == 0, out.output);
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_TEST(fake.jobs().at(0) ==
             renderZpl(exampleLabel("basic-th"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value());
}

BOOST_AUTO_TEST_CASE(a_printer_that_is_off_is_waited_for_then_reported_with_exit_2) {
  const auto out = label({"--in", example("basic-th"), "--format", "zpl", "--attempts", "2", "--print",
                          "tcp://127.0.0.1:" + std::to_string(closedPort())});
  BOOST_TEST(out.exitCode == 2);
  BOOST_TEST(out.output.find("waiting for the printer") != std::string::npos, out.output);
  BOOST_TEST(out.output.find("attempt 2 of 2") != std::string::npos, out.output);
  BOOST_TEST(out.output.find("printing failed after 2 attempt(s)") != std::string::npos, out.output);
}

BOOST_AUTO_TEST_CASE(location_codes_become_a_pdf_sheet_or_zpl_labels) {
  TempDir dir("wms-label");
  wms::testsupport::writeFile(dir / "codes.txt",
                              "# aisle A\nA-01-01-1\nA-01-01-2\n\n  A-01-02-1  \nT-0001\n");
  const auto pdf = label(
      {"--locations", (dir / "codes.txt").string(), "--format", "pdf", "--out", (dir / "s.pdf").string()});
  BOOST_REQUIRE_MESSAGE(pdf.exitCode == 0, pdf.output);
  BOOST_TEST(readText(dir / "s.pdf").rfind("%PDF-", 0) == 0);
  const auto zpl = label({"--locations", (dir / "codes.txt").string(), "--format", "zpl", "--caption",
                          "LOCATION", "--out", "-"});
  BOOST_REQUIRE_EQUAL(zpl.exitCode, 0);
  BOOST_TEST(zpl.output.find("^FDA-01-02-1^FS") != std::string::npos);
  BOOST_TEST(zpl.output.find("^FDT-0001^FS") != std::string::npos);
  std::size_t formats = 0;
  for (auto at = zpl.output.find("^XA"); at != std::string::npos; at = zpl.output.find("^XA", at + 1))
    ++formats;
  BOOST_TEST(formats == 4u);
}

BOOST_AUTO_TEST_CASE(every_location_of_the_store_sample_layout_gets_a_label) {
  TempDir dir("wms-label");
  const std::string codes = sourcePath("labels/examples/locations-store-backroom.txt").string();
  const auto pdf = label({"--locations", codes, "--format", "pdf", "--out", (dir / "s.pdf").string()});
  BOOST_REQUIRE_MESSAGE(pdf.exitCode == 0, pdf.output);
  BOOST_TEST(readText(dir / "s.pdf").find("/Count 16") != std::string::npos);  // 216 codes, 14 per A4 sheet
  const auto zpl = label({"--locations", codes, "--format", "zpl", "--out", "-"});
  BOOST_REQUIRE_EQUAL(zpl.exitCode, 0);
  std::size_t formats = 0;
  for (auto at = zpl.output.find("^XA"); at != std::string::npos; at = zpl.output.find("^XA", at + 1))
    ++formats;
  BOOST_TEST(formats == 216u);
  BOOST_TEST(zpl.output.find("^FDS-01-02-1^FS") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_location_line_is_named_by_its_line_number) {
  TempDir dir("wms-label");
  wms::testsupport::writeFile(dir / "codes.txt", "A-01\nA-02\nA 03\n");
  const auto out = label(
      {"--locations", (dir / "codes.txt").string(), "--format", "pdf", "--out", (dir / "s.pdf").string()});
  BOOST_TEST(out.exitCode == 2);
  BOOST_TEST(out.output.find("codes.txt line 3: location code \"A 03\"") != std::string::npos, out.output);
  BOOST_TEST(!std::filesystem::exists(dir / "s.pdf"));
}

BOOST_AUTO_TEST_SUITE_END()
