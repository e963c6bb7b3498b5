// The screen fitted to handheld terminals: 20x16, 40x8, bigger ones.
#define BOOST_TEST_MODULE handheld_ui
#include <boost/test/unit_test.hpp>

#include "wms/handheld/Layout.h"

using namespace wms::handheld;

namespace {

View pickView() {
  View v;
  v.screen.mode = "PICK";
  v.screen.progress = "stop 3/12";
  v.screen.prompt = "SCAN LOCATION";
  v.screen.fields = {{"Go to", "A-01-02-3", true},
                     {"Item", "SKU-10045 Thermal mug 350 ml, blue", false},
                     {"Qty", "3", false}};
  v.screen.keys = "S=short K=skip";
  v.status.online = false;
  v.status.outbox = 4;
  v.status.device = "HH-07";
  v.status.user = "EMP-1";
  return v;
}

bool has(const Panel& p, const std::string& s) {
  for (const auto& l : p.lines)
    if (l.text.find(s) != std::string::npos) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_20x16_screen_has_title_prompt_fields_and_the_link_status_on_the_last_line) {
  auto p = layoutView(pickView(), "12", 20, 16);
  BOOST_TEST(p.width == 20);
  BOOST_TEST(p.height == 16);
  BOOST_TEST(p.left == 0);
  BOOST_REQUIRE_EQUAL(p.lines.size(), 16u);
  for (const auto& l : p.lines) BOOST_TEST(displayWidth(l.text) <= 20u, l.text);
  BOOST_TEST(p.lines[0].text == "PICK stop 3/12 EMP-1");
  BOOST_CHECK(p.lines[0].style == LineStyle::Title);
  BOOST_TEST(p.lines[1].text == "SCAN LOCATION");
  BOOST_CHECK(p.lines[1].style == LineStyle::Strong);
  // The value to act on: its own bold line under its label.
  BOOST_TEST(p.lines[3].text == "Go to");
  BOOST_TEST(p.lines[4].text == " A-01-02-3");
  BOOST_CHECK(p.lines[4].style == LineStyle::Strong);
  BOOST_TEST(p.lines[15].text == "OFFLINE 4 HH-07");
  BOOST_TEST(p.lines[14].text == "> 12_");
  BOOST_TEST(p.lines[13].text == "S=short K=skip");
  // The long item text wraps with an indent rather than being cut.
  BOOST_TEST(has(p, "Item: SKU-10045"));
  BOOST_TEST(has(p, "  Thermal mug 350"));
}

BOOST_AUTO_TEST_CASE(a_40x8_screen_puts_the_status_in_the_title_and_the_keys_beside_the_input) {
  auto v = pickView();
  v.screen.error = "wrong location: scanned A-01-02-1, go to A-01-02-3";
  auto p = layoutView(v, "", 40, 8);
  BOOST_REQUIRE_EQUAL(p.lines.size(), 8u);
  BOOST_TEST(p.lines[0].text == std::string("PICK stop 3/12") + std::string(17, ' ') + "OFFLINE 4");
  BOOST_TEST(p.lines[1].text == "SCAN LOCATION");
  BOOST_TEST(p.lines[7].text.rfind("> _", 0) == 0u);
  BOOST_TEST(p.lines[7].text.find("S=short K=skip") != std::string::npos);
  // The error is kept whole (2 lines here), fields give way.
  BOOST_CHECK(p.lines[5].style == LineStyle::Error);
  BOOST_CHECK(p.lines[6].style == LineStyle::Error);
  BOOST_TEST(p.lines[5].text + " " + p.lines[6].text == v.screen.error);
  BOOST_TEST(has(p, "Go to: A-01-02-3"));
}

BOOST_AUTO_TEST_CASE(a_bigger_terminal_gets_a_centred_40x16_panel) {
  auto p = layoutView(pickView(), "", 100, 40);
  BOOST_TEST(p.width == 40);
  BOOST_TEST(p.height == 16);
  BOOST_TEST(p.left == 30);
  BOOST_TEST(p.top == 12);
}

BOOST_AUTO_TEST_CASE(a_terminal_too_small_says_so) {
  auto p = layoutView(pickView(), "", 10, 4);
  BOOST_REQUIRE_EQUAL(p.lines.size(), 1u);
  BOOST_TEST(p.lines[0].text == "screen too");
}

BOOST_AUTO_TEST_CASE(text_is_measured_in_characters_not_bytes) {
  auto v = pickView();
  v.screen.fields = {{"Item", "ผ้าขนหนูสีฟ้า ขนาดใหญ่ มาก", false}};
  auto p = layoutView(v, "", 20, 16);
  for (const auto& l : p.lines) BOOST_TEST(displayWidth(l.text) <= 20u, l.text);
  BOOST_TEST(has(p, "Item: ผ้าขนหนูสีฟ้า"));
  BOOST_TEST(displayWidth("ผ้า") == 3u);
}

BOOST_AUTO_TEST_CASE(a_long_input_shows_its_end_and_panel_text_pads_every_row) {
  auto p = layoutView(pickView(), "0109501101530003172506301234567890ABCDEF", 20, 16);
  BOOST_TEST(p.lines[14].text == "> 1234567890ABCDEF_");
  const auto text = panelText(p);
  BOOST_TEST(text.find("|PICK stop 3/12 EMP-1|\n") == 0u);
  std::size_t rows = 0;
  for (char c : text) rows += c == '\n';
  BOOST_TEST(rows == 16u);
}

BOOST_AUTO_TEST_CASE(what_does_not_fit_goes_in_order_message_then_fields_and_the_error_stays) {
  auto v = pickView();
  for (int i = 0; i < 10; ++i) v.screen.fields.push_back({"F" + std::to_string(i), "value", false});
  v.screen.message = "a message that would take room";
  v.screen.error = "an error the picker must see";
  auto p = layoutView(v, "", 20, 16);
  BOOST_TEST(p.lines.size() == 16u);
  BOOST_TEST(!has(p, "a message"));
  BOOST_TEST(has(p, "an error the picker"));
  BOOST_TEST(has(p, " A-01-02-3"));
  BOOST_TEST(!has(p, "F9: value"));
}
