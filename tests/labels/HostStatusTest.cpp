#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "LabelsTestSupport.h"
#include "wms/labels/HostStatus.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

std::string answer(const std::string& s1, const std::string& s2, const std::string& s3 = "1234,0") {
  return "\x02" + s1 + "\x03\r\n\x02" + s2 + "\x03\r\n\x02" + s3 + "\x03\r\n";
}

const std::string kReady1 = "030,0,0,1218,000,0,0,0,000,0,0,0";
const std::string kReady2 = "001,0,0,0,1,2,6,0,00000000,1,000";

}  // namespace

BOOST_AUTO_TEST_SUITE(host_status)

BOOST_AUTO_TEST_CASE(a_ready_printer_reports_no_problem) {
  auto status = parseZebraHostStatus(answer(kReady1, kReady2));
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(status->problem() == "");
  BOOST_TEST(status->labelLengthDots == 1218);
  BOOST_TEST(status->formatsInBuffer == 0);
}

BOOST_AUTO_TEST_CASE(paper_out_pause_and_head_open_are_reported_in_words) {
  auto status =
      parseZebraHostStatus(answer("030,1,1,1218,002,0,0,0,000,0,0,0", "001,0,1,0,1,2,6,0,00000000,1,000"));
  BOOST_REQUIRE(status.ok());
  BOOST_TEST(status->paperOut);
  BOOST_TEST(status->paused);
  BOOST_TEST(status->headUp);
  BOOST_TEST(status->formatsInBuffer == 2);
  BOOST_TEST(status->problem() == "paper out, head open, paused");
  auto ribbon = parseZebraHostStatus(answer(kReady1, "001,0,0,1,1,2,6,0,00000000,1,000"));
  BOOST_TEST(ribbon->problem() == "ribbon out");
}

BOOST_AUTO_TEST_CASE(completeness_needs_three_strings) {
  const std::string full = answer(kReady1, kReady2);
  BOOST_TEST(hostStatusComplete(full));
  BOOST_TEST(!hostStatusComplete(full.substr(0, full.size() - 5)));
  BOOST_TEST(!hostStatusComplete(""));
}

BOOST_AUTO_TEST_CASE(each_broken_answer_fixture_is_malformed_or_too_large) {
  // The garbage printers and truncated answers the parser was tested with.
  int checked = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(sourcePath("tests/labels/fixtures/host_status"))) {
    if (entry.path().filename().string().rfind("bad-", 0) != 0) continue;
    auto status = parseZebraHostStatus(readText(entry.path()));
    BOOST_TEST_CONTEXT(entry.path().filename().string()) {
      BOOST_REQUIRE(!status.ok());
      BOOST_TEST((status.error().kind == ErrorKind::Malformed || status.error().kind == ErrorKind::TooLarge));
      BOOST_TEST(status.error().message.rfind("printer status answer", 0) == 0);
    }
    ++checked;
  }
  BOOST_TEST(checked >= 8);
  for (const auto& entry :
       std::filesystem::directory_iterator(sourcePath("tests/labels/fixtures/host_status"))) {
    if (entry.path().filename().string().rfind("good-", 0) == 0) {
      BOOST_TEST(parseZebraHostStatus(readText(entry.path())).ok(), entry.path().filename().string());
    }
  }
}

BOOST_AUTO_TEST_CASE(specific_framing_errors_say_what_is_wrong) {
  BOOST_TEST(parseZebraHostStatus("").error().message ==
             "printer status answer is truncated: 0 of 3 strings");
  BOOST_TEST(parseZebraHostStatus("HELLO").error().message ==
             "printer status answer does not start a string with STX");
  BOOST_TEST(parseZebraHostStatus(answer("030,0,0", kReady2)).error().message ==
             "printer status answer string 1 has 3 fields, expected 12");
  BOOST_TEST(parseZebraHostStatus(answer("030,2,0,1218,000,0,0,0,000,0,0,0", kReady2)).error().message ==
             "printer status answer has a flag that is not 0 or 1 (string 1, field 2)");
  BOOST_TEST(parseZebraHostStatus(std::string(kMaxHostStatusBytes + 1, '\x02')).error().kind ==
             ErrorKind::TooLarge);
}

BOOST_AUTO_TEST_SUITE_END()
