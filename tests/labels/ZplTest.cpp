#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>

#include "LabelsTestSupport.h"
#include "wms/labels/Zpl.h"

using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

struct Command {
  std::string name;  // "^FO", "^FD", "~HS"...
  std::string rest;  // parameters or field data up to the next prefix
};

// Splits ZPL as a printer's parser does: every '^' or '~' starts a command.
std::vector<Command> commands(const std::string& zpl) {
  std::vector<Command> out;
  for (std::size_t i = 0; i < zpl.size();) {
    if (zpl[i] != '^' && zpl[i] != '~') {
      ++i;
      continue;
    }
    std::size_t next = zpl.find_first_of("^~", i + 1);
    if (next == std::string::npos) next = zpl.size();
    Command c;
    c.name = zpl.substr(i, std::min<std::size_t>(3, next - i));
    if (c.name == "^A@" || c.name.substr(0, 2) != "^A") {
      c.rest = zpl.substr(i + c.name.size(), next - i - c.name.size());
    } else {
      c.name = "^A";  // ^A0 and friends: the font letter is a parameter
      c.rest = zpl.substr(i + 2, next - i - 2);
    }
    while (!c.rest.empty() && c.rest.back() == '\n') c.rest.pop_back();
    out.push_back(c);
    i = next;
  }
  return out;
}

// Undoes ^FH_ hex escapes and the ^FB backslash escape.
std::string unescape(const std::string& data) {
  std::string out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '_' && i + 2 < data.size()) {
      out.push_back(static_cast<char>(std::stoi(data.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(data[i]);
    }
  }
  std::string collapsed;
  for (std::size_t i = 0; i < out.size(); ++i) {
    collapsed.push_back(out[i]);
    if (out[i] == '\\' && i + 1 < out.size() && out[i + 1] == '\\') ++i;
  }
  return collapsed;
}

std::vector<std::string> fieldData(const std::string& zpl) {
  std::vector<std::string> out;
  for (const auto& c : commands(zpl)) {
    if (c.name == "^FD") out.push_back(c.rest);
  }
  return out;
}

std::string zplOf(const std::string& example, LabelSize size, Dpi dpi) {
  return renderZpl(exampleLabel(example), makeTemplate(size, dpi)).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(zpl)

BOOST_AUTO_TEST_CASE(zpl_of_fixed_inputs_matches_the_golden_files) {
  // WMS_UPDATE_GOLDEN=1 rewrites the files (then review the diff).
  const bool update = std::getenv("WMS_UPDATE_GOLDEN") != nullptr;
  std::vector<std::pair<std::string, Template>> cases;
  for (const Template& t : allTemplates()) cases.emplace_back("basic-th", t);
  cases.emplace_back("hostile-text", makeTemplate(LabelSize::FourBySix, Dpi::D203));
  cases.emplace_back("thai-address", makeTemplate(LabelSize::FourByFour, Dpi::D203));
  cases.emplace_back("chinese-address", makeTemplate(LabelSize::A6, Dpi::D300));
  cases.emplace_back("long-name", makeTemplate(LabelSize::FourBySix, Dpi::D300));
  cases.emplace_back("vietnamese-address", makeTemplate(LabelSize::FourBySix, Dpi::D203));
  for (const auto& [example, t] : cases) {
    const std::string zpl = renderZpl(exampleLabel(example), t).value();
    const auto golden = sourcePath("tests/labels/golden/" + example + "-" + templateName(t) + ".zpl");
    if (update) {
      std::ofstream(golden, std::ios::binary) << zpl;
      BOOST_TEST_MESSAGE("rewrote " << golden);
      continue;
    }
    BOOST_TEST_CONTEXT(golden.filename().string()) {
      BOOST_REQUIRE_MESSAGE(std::filesystem::exists(golden),
                            "missing golden file; run with WMS_UPDATE_GOLDEN=1");
      BOOST_TEST(zpl == readText(golden));
    }
  }
}

BOOST_AUTO_TEST_CASE(zpl_injection_in_a_name_prints_as_text) {
  const ShippingLabel hostile = exampleLabel("hostile-text");
  const std::string zpl = renderZpl(hostile, makeTemplate(LabelSize::FourBySix, Dpi::D203)).value();

  // The same commands, in the same order, as a label with harmless text:
  // nothing in the data became a command.
  ShippingLabel harmless = hostile;
  harmless.shipTo.name = "Mallory";
  harmless.shipTo.company = "Company";
  harmless.shipTo.line1 = "Street";
  harmless.orderReference = "SO-1";
  const auto got = commands(zpl);
  const auto expected = commands(renderZpl(harmless, makeTemplate(LabelSize::FourBySix, Dpi::D203)).value());
  BOOST_REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) BOOST_TEST(got[i].name == expected[i].name);
  BOOST_TEST(std::count_if(got.begin(), got.end(), [](const Command& c) { return c.name == "^XA"; }) == 1);
  BOOST_TEST(std::count_if(got.begin(), got.end(), [](const Command& c) { return c.name == "^XZ"; }) == 1);
  BOOST_TEST(std::count_if(got.begin(), got.end(), [](const Command& c) { return c.name[0] == '~'; }) == 0);

  // And the printed text is the name itself, ^XZ^XA included.
  const auto data = fieldData(zpl);
  const std::string name = sanitizeForPrint(hostile.shipTo.name);
  BOOST_TEST(name.find("^XZ^XA") != std::string::npos);
  BOOST_TEST(std::count(data.begin(), data.end(), escapeZplFieldData(name, true)) == 1);
  BOOST_TEST((std::find_if(data.begin(), data.end(),
                           [&](const std::string& d) { return unescape(d) == name; }) != data.end()));
  // The QR code still carries the order reference byte for byte.
  BOOST_TEST(
      std::count(data.begin(), data.end(), "MA," + escapeZplFieldData(hostile.orderReference, false)) == 1);
}

BOOST_AUTO_TEST_CASE(escaping_hexes_command_prefixes_the_indicator_backslash_and_control_bytes) {
  BOOST_TEST(escapeZplFieldData("plain text, 123", true) == "plain text, 123");
  BOOST_TEST(escapeZplFieldData("^XZ~JA_", false) == "_5EXZ_7EJA_5F");
  BOOST_TEST(escapeZplFieldData("a\\&b", false) == "a_5C&b");
  BOOST_TEST(escapeZplFieldData("a\\&b", true) == "a_5C_5C&b");  // ^FB: "\\" is one backslash, never "\&"
  BOOST_TEST(escapeZplFieldData(std::string("\x01\x1f\x7f", 3), false) == "_01_1F_7F");
  BOOST_TEST(escapeZplFieldData("สมชาย 王", true) == "สมชาย 王");  // UTF-8 bytes pass; ^CI28 reads them
}

BOOST_AUTO_TEST_CASE(a_label_declares_utf8_and_its_page_size) {
  const std::string zpl = zplOf("basic-th", LabelSize::FourBySix, Dpi::D300);
  BOOST_TEST(zpl.rfind("^XA\n^CI28\n^PW1200\n^LL1800\n", 0) == 0);
  BOOST_TEST(zpl.size() > 10u);
  BOOST_TEST(zpl.substr(zpl.size() - 9) == "^PQ1\n^XZ\n");
}

BOOST_AUTO_TEST_CASE(sscc_is_encoded_as_gs1_128_with_start_c_and_fnc1) {
  const std::string zpl = zplOf("basic-th", LabelSize::FourBySix, Dpi::D203);
  BOOST_TEST(zpl.find("^BCN,120,N,N,N,N^FD>;>800106141411234567897^FS") != std::string::npos);
  BOOST_TEST(zpl.find("^BCN,120,N,N,N,A^FH_^FDKEX1234567890^FS") != std::string::npos);
  BOOST_TEST(zpl.find("^BQN,2,7,M^FH_^FDMA,SO-2024-000042^FS") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_200_character_name_is_cut_to_its_block_with_an_ellipsis) {
  const std::string zpl = zplOf("long-name", LabelSize::FourByFour, Dpi::D203);
  const auto data = fieldData(zpl);
  const auto name = std::find_if(data.begin(), data.end(),
                                 [](const std::string& d) { return d.rfind("Pimchanok", 0) == 0; });
  BOOST_REQUIRE(name != data.end());
  BOOST_TEST(name->size() < 200u);
  BOOST_TEST(name->substr(name->size() - 3) == "...");
  BOOST_TEST(zpl.find("^FB") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_ascii_text_uses_the_unicode_font_and_ascii_the_builtin_one) {
  const std::string zpl = zplOf("thai-address", LabelSize::FourBySix, Dpi::D203);
  BOOST_TEST(zpl.find("^A@N,37,37,E:TT0003M_.TTF^FB764,2,10,L,0^FH_^FDสมชาย ใจดี^FS") != std::string::npos);
  BOOST_TEST(zpl.find("^A0N,18,18^FB464,1,5,L,0^FH_^FDFROM^FS") != std::string::npos);
  ZplOptions options;
  options.unicodeFont = "E:NOTOTHAI.TTF";
  const std::string custom =
      renderZpl(exampleLabel("thai-address"), makeTemplate(LabelSize::FourBySix, Dpi::D203), options).value();
  BOOST_TEST(custom.find("^A@N,37,37,E:NOTOTHAI.TTF^FB") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(options_cannot_inject_commands_either) {
  const ShippingLabel label = exampleLabel("basic-th");
  const Template t = makeTemplate(LabelSize::FourBySix, Dpi::D203);
  ZplOptions font;
  font.unicodeFont = "E:X.TTF^XZ";
  BOOST_TEST(renderZpl(label, t, font).error().kind == ErrorKind::Invalid);
  ZplOptions copies;
  copies.copies = 0;
  BOOST_TEST(renderZpl(label, t, copies).error().message == "copies must be between 1 and 99, got 0");
  copies.copies = 3;
  BOOST_TEST(renderZpl(label, t, copies).value().find("^PQ3\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(several_drawings_become_consecutive_formats) {
  const Drawing d =
      layoutShippingLabel(exampleLabel("basic-th"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value();
  const std::string zpl = drawingsToZpl({d, d, d}).value();
  const auto all = commands(zpl);
  BOOST_TEST(std::count_if(all.begin(), all.end(), [](const Command& c) { return c.name == "^XA"; }) == 3);
  BOOST_TEST(zpl == drawingToZpl(d).value() + drawingToZpl(d).value() + drawingToZpl(d).value());
}

BOOST_AUTO_TEST_SUITE_END()
