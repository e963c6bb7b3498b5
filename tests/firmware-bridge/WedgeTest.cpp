// Tests src/Wedge.cpp: a recorded stream of struct input_event (a wedge
// scanner typing two reads, fixtures/evdev/) decoded into codes; layouts,
// GS entry, prefix and suffix, and reads refused for a pause, a garbage key
// or a held key.
#define BOOST_TEST_MODULE fwbridge_wedge
#include <linux/input.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>

#include "FwbridgeTestPrinting.h"
#include "wms/fwbridge/Wedge.h"

using namespace wms;
using namespace wms::fwbridge;
using namespace std::chrono_literals;

namespace {

std::vector<Result<std::string>> feed(KeyAssembler& a, const std::vector<InputEvent>& events) {
  std::vector<Result<std::string>> out;
  for (const auto& e : events) {
    auto r = a.onEvent(e);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

std::vector<InputEvent> typed(std::string_view text, KeyboardLayout layout = KeyboardLayout::Us,
                              std::chrono::microseconds start = 1s, std::chrono::microseconds step = 2ms) {
  return typeText(text, layout, start, step).value();
}

std::vector<std::string> goodOf(const std::vector<Result<std::string>>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) {
    if (r) out.push_back(*r);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_recorded_input_event_stream_decodes_into_its_reads) {
  // fixtures/evdev/us-two-reads.bin: 64-bit struct input_event records of a
  // scanner typing "]C10109501101530003<GS>10LOT42\n" and "TOTE-17\n".
  std::ifstream in(std::string(WMS_FWBRIDGE_FIXTURES) + "/evdev/us-two-reads.bin", std::ios::binary);
  BOOST_TEST_REQUIRE(in.good());
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto events = parseInputEvents(bytes);
  BOOST_TEST_REQUIRE(events.ok());
  KeyAssembler a(WedgeOptions{});
  auto reads = feed(a, *events);
  BOOST_TEST_REQUIRE(reads.size() == 2u);
  BOOST_TEST(*reads[0] ==
             "]C10109501101530003\x1d"
             "10LOT42");
  BOOST_TEST(*reads[1] == "TOTE-17");
}

BOOST_AUTO_TEST_CASE(a_stream_that_is_not_whole_events_is_refused) {
  std::vector<std::uint8_t> bytes(inputEventSize() + 3);
  BOOST_TEST(parseInputEvents(bytes).error().kind == ErrorKind::Malformed);
}

BOOST_AUTO_TEST_CASE(the_german_layout_swaps_y_and_z_and_types_at_with_altgr) {
  const std::string text = "Zoll-Y@x.de/1";
  KeyAssembler us(WedgeOptions{});
  WedgeOptions deOptions;
  deOptions.layout = KeyboardLayout::De;
  KeyAssembler de(deOptions);
  auto deKeys = typed(text + "\n", KeyboardLayout::De);
  BOOST_TEST(goodOf(feed(de, deKeys)) == std::vector<std::string>{text});
  // The same key strokes read with the wrong layout are a different text.
  auto wrong = feed(us, deKeys);
  BOOST_TEST((wrong.empty() || !wrong[0] || *wrong[0] != text));
}

BOOST_AUTO_TEST_CASE(gs_comes_as_ctrl_bracket_or_as_an_alt_keypad_code) {
  KeyAssembler a(WedgeOptions{});
  BOOST_TEST(goodOf(feed(a, typed("01\x1d"
                                  "10\n"))) == std::vector<std::string>{"01\x1d"
                                                                        "10"});
  std::vector<InputEvent> alt;
  std::chrono::microseconds t = 5s;
  auto key = [&](std::uint16_t code, int v) {
    alt.push_back(InputEvent{t, EV_KEY, code, v});
    t += 1ms;
  };
  key(KEY_1, 1);
  key(KEY_1, 0);
  key(KEY_LEFTALT, 1);
  for (auto k : {KEY_KP0, KEY_KP2, KEY_KP9}) {
    key(static_cast<std::uint16_t>(k), 1);
    key(static_cast<std::uint16_t>(k), 0);
  }
  key(KEY_LEFTALT, 0);
  key(KEY_2, 1);
  key(KEY_2, 0);
  key(KEY_ENTER, 1);
  key(KEY_ENTER, 0);
  BOOST_TEST(goodOf(feed(a, alt)) == std::vector<std::string>{"1\x1d"
                                                              "2"});
}

BOOST_AUTO_TEST_CASE(prefix_is_required_and_removed_and_a_tab_suffix_ends_a_read) {
  WedgeOptions o;
  o.prefix = "#";
  o.suffix = "\t";
  KeyAssembler a(o);
  auto reads = feed(a, typed("#ABC\tXYZ\t"));
  BOOST_TEST_REQUIRE(reads.size() == 2u);
  BOOST_TEST(*reads[0] == "ABC");
  BOOST_TEST(reads[1].error().message == "read does not start with the configured prefix");
  BOOST_TEST(a.stats().badPrefix == 1u);
}

BOOST_AUTO_TEST_CASE(a_pause_inside_a_read_drops_the_fragment_not_the_next_read) {
  KeyAssembler a(WedgeOptions{});
  auto first = typed("12", KeyboardLayout::Us, 1s);
  auto second = typed("TOTE-9\n", KeyboardLayout::Us, 2s);
  first.insert(first.end(), second.begin(), second.end());
  auto reads = feed(a, first);
  BOOST_TEST_REQUIRE(reads.size() == 2u);
  BOOST_TEST(!reads[0].ok());
  BOOST_TEST(*reads[1] == "TOTE-9");
  BOOST_TEST(a.stats().timeouts == 1u);
}

BOOST_AUTO_TEST_CASE(without_a_suffix_a_read_ends_at_the_timeout) {
  WedgeOptions o;
  o.suffix.clear();
  KeyAssembler a(o);
  BOOST_TEST(feed(a, typed("LOC-4")).empty());
  auto deadline = a.nextDeadline();
  BOOST_TEST_REQUIRE(deadline.has_value());
  auto reads = a.tick(*deadline);
  BOOST_TEST_REQUIRE(reads.size() == 1u);
  BOOST_TEST(*reads[0] == "LOC-4");
}

BOOST_AUTO_TEST_CASE(a_garbage_key_spoils_its_read_and_a_held_key_types_once) {
  KeyAssembler a(WedgeOptions{});
  std::vector<InputEvent> ev;
  std::chrono::microseconds t = 1s;
  auto key = [&](std::uint16_t code, int v) {
    ev.push_back(InputEvent{t, EV_KEY, code, v});
    t += 1ms;
  };
  key(KEY_A, 1);
  key(KEY_F5, 1);
  key(KEY_F5, 0);
  key(KEY_A, 0);
  key(KEY_ENTER, 1);
  key(KEY_ENTER, 0);
  key(KEY_B, 1);
  for (int i = 0; i < 30; ++i) key(KEY_B, 2);  // held: auto-repeat
  key(KEY_B, 0);
  key(KEY_ENTER, 1);
  key(KEY_ENTER, 0);
  auto reads = feed(a, ev);
  BOOST_TEST_REQUIRE(reads.size() == 2u);
  BOOST_TEST(reads[0].error().message == "key 63 types nothing on this layout");
  BOOST_TEST(*reads[1] == "b");
  BOOST_TEST(a.stats().repeats == 30u);
}

BOOST_AUTO_TEST_CASE(a_read_over_the_maximum_is_refused_once) {
  WedgeOptions o;
  o.maxLength = 8;
  KeyAssembler a(o);
  auto reads = feed(a, typed(std::string(40, '7') + "\nOK\n"));
  BOOST_TEST_REQUIRE(reads.size() == 2u);
  BOOST_TEST(reads[0].error().kind == ErrorKind::TooLarge);
  BOOST_TEST(*reads[1] == "OK");
  BOOST_TEST(a.stats().tooLong == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_layout_names_the_accepted_ones) {
  BOOST_TEST(parseKeyboardLayout("fr").error().message == "keyboard layout 'fr' is unknown (us, de)");
}
