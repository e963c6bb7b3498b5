// wmsctl against a real wmsd: what an operator sees.
#define BOOST_TEST_MODULE tools_wmsctl
#include <boost/test/unit_test.hpp>

#include "wms/testsupport/TempDir.h"
#include "wms/testsupport/WmsdProcess.h"

using namespace wms::testsupport;

namespace {

struct Ctl {
  WmsdProcess wmsd;
  TempDir files{"wmsctl"};

  CommandResult run(std::vector<std::string> args) {
    std::vector<std::string> argv = {builtProgram("tools/wmsctl/wmsctl").string(), "--server",
                                     "http://127.0.0.1:" + std::to_string(wmsd.port())};
    argv.insert(argv.end(), args.begin(), args.end());
    return runCommand(argv);
  }
  std::string file(const std::string& name, const std::string& text) {
    writeFile(files / name, text);
    return (files / name).string();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_catalogue_with_a_bad_row_is_refused_naming_its_line_and_imports_nothing) {
  Ctl c;
  auto bad = c.file("cat.csv", "sku,description,barcodes\nA1,One,4006381333931\nA2,Two,12345\nA3,Three,\n");
  auto r = c.run({"import", "catalogue", bad});
  BOOST_TEST(r.exitCode == 1);
  BOOST_TEST(r.output.find("cat.csv: line 3: barcode '12345'") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("0 of 3 rows imported") != std::string::npos, r.output);
  BOOST_TEST(c.run({"sku", "A1"}).exitCode == 1);

  auto skip = c.run({"import", "catalogue", bad, "--skip-bad"});
  BOOST_TEST(skip.exitCode == 0);
  BOOST_TEST(skip.output.find("2 of 3 rows imported") != std::string::npos, skip.output);
}

BOOST_AUTO_TEST_CASE(importing_the_same_stock_file_twice_receives_it_once) {
  Ctl c;
  BOOST_REQUIRE(c.run({"import", "locations", c.file("loc.csv", "code,zone\nA-01-01-1,A\n")}).exitCode == 0);
  BOOST_REQUIRE(c.run({"import", "catalogue", c.file("cat.csv", "sku,description\nA1,One\n")}).exitCode == 0);
  auto stock = c.file("stock.csv", "sku,location,qty\nA1,A-01-01-1,12\n");
  BOOST_REQUIRE(c.run({"import", "stock", stock}).exitCode == 0);
  auto again = c.run({"import", "stock", stock});
  BOOST_TEST(again.exitCode == 0);
  BOOST_TEST(again.output.find("imported before") != std::string::npos, again.output);
  auto s = c.run({"stock", "A1"});
  BOOST_TEST(s.output.find("A1: on hand 12, allocated 0, available 12") != std::string::npos, s.output);
}

BOOST_AUTO_TEST_CASE(adjust_and_audit_speak_plainly) {
  Ctl c;
  BOOST_REQUIRE(c.run({"import", "locations", c.file("loc.csv", "code\nL1\n")}).exitCode == 0);
  BOOST_REQUIRE(c.run({"import", "catalogue", c.file("cat.csv", "sku,description\nA1,One\n")}).exitCode == 0);
  auto up = c.run({"adjust", "A1", "L1", "5", "--reason", "receipt"});
  BOOST_TEST(up.exitCode == 0);
  BOOST_TEST(up.output.find("on hand 5") != std::string::npos, up.output);
  auto down = c.run({"adjust", "A1", "L1", "-9", "--reason", "lost"});
  BOOST_TEST(down.exitCode == 1);
  BOOST_TEST(down.output.find("holds 5 of A1") != std::string::npos, down.output);
  BOOST_TEST(c.run({"adjust", "A1", "L1", "two", "--reason", "lost"}).exitCode == 2);
  auto audit = c.run({"audit"});
  BOOST_TEST(audit.exitCode == 0);
  BOOST_TEST(audit.output.find("every invariant holds") != std::string::npos, audit.output);
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_is_a_clear_error) {
  auto r = runCommand({builtProgram("tools/wmsctl/wmsctl").string(), "--server", "http://127.0.0.1:1", "audit"});
  BOOST_TEST(r.exitCode == 1);
  BOOST_TEST(r.output.find("cannot reach wmsd") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(wmsctl_sends_the_token_from_its_file_and_says_plainly_when_it_is_refused) {
  Ctl ctl;
  auto good = ctl.run({"--token-file", ctl.file("good", ctl.wmsd.token() + "\n"), "stock"});
  BOOST_TEST(good.exitCode == 0, good.output);
  auto bad = ctl.run({"--token-file", ctl.file("bad", "wms_not-a-token\n"), "stock"});
  BOOST_TEST(bad.exitCode != 0);
  BOOST_TEST(bad.output.find("token is not valid") != std::string::npos, bad.output);
  BOOST_TEST(bad.output.find("401") != std::string::npos, bad.output);
  auto missing = ctl.run({"--token-file", (ctl.files / "none").string(), "stock"});
  BOOST_TEST(missing.exitCode == 2);
  BOOST_TEST(missing.output.find("cannot read a token") != std::string::npos, missing.output);
}
