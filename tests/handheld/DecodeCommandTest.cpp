// Tests src/cli/DecodeCommand.cpp through the real wms-handheld binary:
// one JSON line per barcode, one error line per bad file, exit code 0 unless
// the arguments are unusable.
#define BOOST_TEST_MODULE handheld_app
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

using namespace wms::testsupport;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = WMS_HANDHELD_FIXTURES;

struct Run {
  int exitCode;
  std::vector<Poco::JSON::Object::Ptr> lines;
  std::string output;
};

Run decode(std::vector<std::string> args) {
  args.insert(args.begin(), {WMS_HANDHELD_BINARY, "--decode"});
  // Under an emulator (a cross build's suites), the worker's 5 s default
  // limit times WMS_TEST_TIME_SCALE: a stuck-worker line on stderr is not JSON.
  if (const char* scale = std::getenv("WMS_TEST_TIME_SCALE"); scale && std::atoi(scale) > 1)
    args.insert(args.begin() + 2, {"--timeout", std::to_string(5000 * std::atoi(scale))});
  CommandResult r = runCommand(args);
  Run run{r.exitCode, {}, r.output};
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Poco::JSON::Parser parser;
    run.lines.push_back(parser.parse(line).extract<Poco::JSON::Object::Ptr>());  // throws on a non-JSON line
  }
  return run;
}

std::vector<Poco::JSON::Object::Ptr> linesFor(const Run& run, const fs::path& file) {
  std::vector<Poco::JSON::Object::Ptr> out;
  for (const auto& l : run.lines)
    if (l->getValue<std::string>("file") == file.string()) out.push_back(l);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(prints_a_json_line_per_barcode_and_an_error_line_per_bad_file) {
  const fs::path label = kFixtures / "labels/label-4x6.png";
  const fs::path dataBar = kFixtures / "frames/databar-aborts-plain-zxing.png";
  const fs::path blank = kFixtures / "images/valid/gradient-grey.png";
  const fs::path broken = kFixtures / "images/broken/truncated.png";
  const fs::path missing = "/nonexistent/frame.png";
  Run run = decode({label.string(), missing.string(), dataBar.string(), broken.string(), blank.string()});
  BOOST_TEST_REQUIRE(run.exitCode == 0, run.output);

  auto onLabel = linesFor(run, label);
  BOOST_TEST(onLabel.size() == 4u);
  for (const auto& l : onLabel) {
    for (const char* key : {"format", "text", "symbology", "ms", "pass", "corners"})
      BOOST_TEST(l->has(key), key);
  }

  auto onDataBar = linesFor(run, dataBar);
  BOOST_TEST_REQUIRE(onDataBar.size() == 1u);
  BOOST_TEST(onDataBar[0]->getValue<std::string>("format") == "DataBar");
  BOOST_TEST(onDataBar[0]->getValue<std::string>("symbology") == "]e0");
  BOOST_TEST(onDataBar[0]->getObject("gs1")->getValue<std::string>("01") == "89823736799409");

  auto onMissing = linesFor(run, missing);
  BOOST_TEST_REQUIRE(onMissing.size() == 1u);
  BOOST_TEST(onMissing[0]->getValue<std::string>("error") == "/nonexistent/frame.png: no such file");
  auto onBroken = linesFor(run, broken);
  BOOST_TEST_REQUIRE(onBroken.size() == 1u);
  BOOST_TEST(onBroken[0]->has("error"));
  BOOST_TEST(linesFor(run, blank).empty());  // nothing found: no line, and still exit 0
  BOOST_TEST(run.lines.size() == 7u);
}

BOOST_AUTO_TEST_CASE(gs1_text_keeps_its_separators_and_gets_its_elements) {
  const fs::path f = kFixtures / "barcodes/Code128/gs1-gtin-lot-expiry.png";
  Run run = decode({f.string()});
  BOOST_TEST_REQUIRE(run.lines.size() == 1u, run.output);
  BOOST_TEST(run.output.find("\\u001d") != std::string::npos);
  const auto& l = run.lines[0];
  BOOST_TEST(l->getValue<std::string>("text") == std::string("010950110153000310LOT42\x1d"
                                                             "17250600"));
  BOOST_TEST(l->getValue<std::string>("symbology") == "]C1");
  auto gs1 = l->getObject("gs1");
  BOOST_TEST(gs1->getValue<std::string>("01") == "09501101530003");
  BOOST_TEST(gs1->getValue<std::string>("10") == "LOT42");
  BOOST_TEST(gs1->getValue<std::string>("17") == "250600");
}

BOOST_AUTO_TEST_CASE(a_folder_is_expanded_to_its_image_files) {
  TempDir dir("wms-decode-cli");
  fs::copy_file(kFixtures / "barcodes/QRCode/location.png", dir / "a.png");
  fs::copy_file(kFixtures / "barcodes/EAN-8/gtin8.png", dir / "b.png");
  writeFile(dir / "readme.txt", "not an image");
  Run run = decode({dir.path().string()});
  BOOST_TEST_REQUIRE(run.lines.size() == 2u, run.output);
  BOOST_TEST(run.lines[0]->getValue<std::string>("text") == "LOC:B-02-11-1");
  BOOST_TEST(run.lines[1]->getValue<std::string>("text") == "96385074");
}

BOOST_AUTO_TEST_CASE(target_and_formats_narrow_what_is_read) {
  const fs::path ean = kFixtures / "barcodes/EAN-13/gtin13.png";
  BOOST_TEST(decode({"--target", "location", ean.string()}).lines.empty());
  BOOST_TEST(decode({"--target", "item", ean.string()}).lines.size() == 1u);
  BOOST_TEST(decode({"--formats", "QRCode,Code128", ean.string()}).lines.empty());
  BOOST_TEST(decode({"--formats", "ean-13", ean.string()}).lines.size() == 1u);
}

BOOST_AUTO_TEST_CASE(unusable_arguments_exit_2_with_the_reason) {
  CommandResult none = runCommand({WMS_HANDHELD_BINARY, "--decode"});
  BOOST_TEST(none.exitCode == 2);
  BOOST_TEST(none.output.find("no image files given") != std::string::npos, none.output);
  CommandResult badFormat = runCommand({WMS_HANDHELD_BINARY, "--decode", "--formats", "PDF417", "x.png"});
  BOOST_TEST(badFormat.exitCode == 2);
  BOOST_TEST(badFormat.output.find("unknown format 'PDF417'") != std::string::npos, badFormat.output);
  CommandResult badMax = runCommand({WMS_HANDHELD_BINARY, "--decode", "--max", "0", "x.png"});
  BOOST_TEST(badMax.exitCode == 2);
  CommandResult noMode = runCommand({WMS_HANDHELD_BINARY});
  BOOST_TEST(noMode.exitCode == 2);
}
