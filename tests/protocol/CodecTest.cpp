#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "support/Fixtures.h"
#include "wms/protocol/Codec.h"
#include "wms/testsupport/TempDir.h"

using namespace wms::protocol;
using wms::ErrorKind;
namespace fs = std::filesystem;

namespace {

// Every stop of a batch with n stops, one put each, all into tote T1.
TaskAssign batchWithStops(int n, const std::string& description) {
  TaskAssign m;
  m.device = "HH-07";
  m.ts = 1;
  m.batchId = "B1";
  m.waveId = "W1";
  m.totes = {{"A1", "T1"}};
  for (int i = 0; i < n; ++i) {
    PickStop s;
    s.stopId = "S" + std::to_string(i);
    s.seq = i + 1;
    s.location = "L-" + std::to_string(i);
    s.sku = "SKU-" + std::to_string(i);
    s.description = description;
    s.barcodes = {"8851234567893"};
    s.qty = 1;
    s.puts = {{"T1", 1, "O1", "O1-" + std::to_string(i)}};
    m.stops.push_back(s);
  }
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codec)

BOOST_AUTO_TEST_CASE(every_good_fixture_decodes_and_survives_an_encode_decode_round_trip) {
  auto fixtures = test::readFixtures("good");
  BOOST_REQUIRE(fixtures.size() >= std::variant_size_v<Message>);
  for (const auto& [name, text] : fixtures) {
    BOOST_TEST_CONTEXT(name) {
      auto m = decode(text);
      BOOST_REQUIRE_MESSAGE(m.ok(), test::why(m));
      std::string once = encode(*m);
      auto again = decode(once);
      BOOST_REQUIRE(again.ok());
      BOOST_CHECK(*again == *m);
      BOOST_TEST(encode(*again) == once);  // the encoding is canonical
      BOOST_TEST(validate(*m).ok());
    }
  }
}

BOOST_AUTO_TEST_CASE(every_bad_fixture_is_rejected_with_the_error_kept_beside_it) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(test::fixturesDir() / "bad")) {
    if (entry.path().extension() != ".json") continue;
    ++count;
    std::string name = entry.path().stem().string();
    BOOST_TEST_CONTEXT(name) {
      std::string payload = wms::testsupport::readFile(entry.path());
      std::istringstream expected(wms::testsupport::readFile(fs::path(entry.path()).replace_extension(".expected")));
      std::string kind, message;
      std::getline(expected, kind);
      std::getline(expected, message);
      auto m = decode(payload);
      BOOST_REQUIRE(!m.ok());
      BOOST_TEST(toString(m.error().kind) == kind);
      // "..." at the end of an expectation means "starts with" (for texts that come from Poco).
      if (message.size() >= 3 && message.compare(message.size() - 3, 3, "...") == 0) {
        BOOST_TEST(m.error().message.rfind(message.substr(0, message.size() - 3), 0) == 0u, m.error().message);
      } else {
        BOOST_TEST(m.error().message == message);
      }
    }
  }
  BOOST_TEST(count >= 80u);
}

BOOST_AUTO_TEST_CASE(every_json_example_in_the_protocol_document_decodes) {
  std::string doc = wms::testsupport::readFile(fs::path(WMS_SOURCE_DIR) / "docs" / "protocol.md");
  std::size_t count = 0;
  for (const auto& example : test::between(doc, "```json\n", "```")) {
    auto m = decode(example);
    BOOST_CHECK_MESSAGE(m.ok(), test::why(m) << "\n" << example);
    ++count;
  }
  BOOST_TEST(count >= std::variant_size_v<Message>);

  // The walkthrough's mosquitto_pub payloads take their ids from what wmsd
  // sent (shell variables), so they are checked by running them against a
  // real wmsd: tests/docs/ProtocolWalkthroughTest.sh.
}

BOOST_AUTO_TEST_CASE(encode_writes_compact_json_in_documented_field_order_without_absent_optionals) {
  SignIn s;
  s.device = "HH-07";
  s.ts = 1764151200000;
  s.eventId = "abc-1";
  s.badge = "EMP-0193";
  s.mode = WorkMode::Pack;
  BOOST_TEST(encode(s) ==
             R"({"type":"signin","v":1,"device":"HH-07","ts":1764151200000,"event_id":"abc-1","badge":"EMP-0193","mode":"pack"})");

  Heartbeat h;
  h.device = "HH-07";
  h.battery = 100;
  h.rssi = -127;
  BOOST_TEST(encode(h) == R"({"type":"heartbeat","v":1,"device":"HH-07","ts":0,"battery":100,"rssi":-127,"outbox":0})");
}

BOOST_AUTO_TEST_CASE(encoding_an_invalid_message_is_a_misuse_and_throws_with_the_field_named) {
  PickConfirm pc;
  pc.device = "HH-07";
  pc.eventId = "e-1";
  pc.batchId = "B1";
  pc.stopId = "S1";
  pc.qty = 0;
  try {
    (void)encode(pc);
    BOOST_FAIL("encode accepted qty 0");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()) == "encode: pick.confirm: qty must be an integer 1..100000, got 0");
  }
  auto st = validate(pc);
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(a_batch_too_big_for_one_payload_is_reported_as_too_large_by_validate) {
  BOOST_TEST(validate(batchWithStops(100, "Thermal mug 350 ml, blue")).ok());
  auto st = validate(batchWithStops(1000, std::string(200, 'd')));
  BOOST_REQUIRE(!st.ok());
  BOOST_CHECK(st.error().kind == ErrorKind::TooLarge);
  BOOST_TEST(st.error().message.find("the limit is 65536") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_payload_of_exactly_the_size_limit_is_accepted_and_one_byte_more_is_not) {
  std::string base = test::goodFixture("signout");
  base.erase(base.find_last_not_of(" \n") + 1);  // ends with '}'
  std::string exact = base.substr(0, base.size() - 1) + std::string(kMaxPayloadBytes - base.size(), ' ') + "}";
  BOOST_REQUIRE(exact.size() == kMaxPayloadBytes);
  BOOST_TEST(decode(exact).ok());
  auto over = decode(exact + " ");
  BOOST_REQUIRE(!over.ok());
  BOOST_CHECK(over.error().kind == ErrorKind::TooLarge);
  BOOST_TEST(over.error().message == "payload is 65537 bytes, the limit is 65536");
}

BOOST_AUTO_TEST_CASE(limits_are_inclusive_at_both_ends) {
  Heartbeat h;
  h.device = std::string(64, 'd');
  h.ts = kMaxTimestamp;
  h.battery = 0;
  h.rssi = 0;
  h.outbox = 1000000;
  h.batchId = std::string(64, '~');
  auto back = decode(encode(h));
  BOOST_REQUIRE(back.ok());
  BOOST_CHECK(std::get<Heartbeat>(*back) == h);

  PickConfirm pc;
  pc.device = "d";
  pc.eventId = std::string(64, 'e');
  pc.batchId = "!";
  pc.stopId = "~";
  pc.qty = kMaxQty;
  pc.puts = {{"T1", kMaxQty}};
  pc.location = "L";
  pc.barcode = std::string(kMaxBarcodeLength, '9');
  BOOST_TEST(decode(encode(pc)).ok());
}

BOOST_AUTO_TEST_CASE(optional_fields_may_be_absent_or_null_and_decode_the_same) {
  std::string absent = R"({"type":"pack.request","v":1,"device":"PK-02","ts":5,"event_id":"e-1","tote":"T-1"})";
  std::string nulls =
      R"({"type":"pack.request","v":1,"device":"PK-02","ts":5,"event_id":"e-1","tote":"T-1","order_id":null,"station":null})";
  auto a = decode(absent), b = decode(nulls);
  BOOST_REQUIRE(a.ok());
  BOOST_REQUIRE(b.ok());
  BOOST_CHECK(*a == *b);
  BOOST_TEST(!std::get<PackRequest>(*a).orderId.has_value());
}

BOOST_AUTO_TEST_CASE(a_short_pick_of_nothing_may_omit_its_empty_puts) {
  auto m = decode(
      R"({"type":"pick.short","v":1,"device":"HH-07","ts":5,"event_id":"e-2","batch_id":"B1","stop_id":"S1","qty_picked":0,"reason":"empty"})");
  BOOST_REQUIRE_MESSAGE(m.ok(), test::why(m));
  const auto& s = std::get<PickShort>(*m);
  BOOST_TEST(s.puts.empty());
  BOOST_CHECK(s.reason == ShortReason::Empty);
  BOOST_TEST(encode(s).find(R"("puts":[])") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(typed_codes_is_false_when_absent_or_null_and_written_only_when_true) {
  auto absent = decode(test::goodFixture("task.assign"));
  BOOST_REQUIRE_MESSAGE(absent.ok(), test::why(absent));
  TaskAssign t = std::get<TaskAssign>(*absent);
  BOOST_TEST(!t.typedCodes);
  BOOST_TEST(encode(t).find("typed_codes") == std::string::npos);  // peers that predate it see no change
  std::string payload = encode(t);
  payload.insert(payload.size() - 1, R"(,"typed_codes":null)");
  auto nulled = decode(payload);
  BOOST_REQUIRE_MESSAGE(nulled.ok(), test::why(nulled));
  BOOST_TEST(!std::get<TaskAssign>(*nulled).typedCodes);
  t.typedCodes = true;
  const std::string on = encode(t);
  BOOST_TEST(on.substr(on.size() - 20) == R"(,"typed_codes":true})");
  auto back = decode(on);
  BOOST_REQUIRE_MESSAGE(back.ok(), test::why(back));
  BOOST_TEST(std::get<TaskAssign>(*back).typedCodes);
}

BOOST_AUTO_TEST_CASE(the_typed_steps_of_pick_events_round_trip_and_are_absent_when_nothing_was_typed) {
  auto m = decode(test::goodFixture("pick.confirm"));
  BOOST_REQUIRE_MESSAGE(m.ok(), test::why(m));
  PickConfirm c = std::get<PickConfirm>(*m);
  BOOST_TEST(c.typed.empty());
  BOOST_TEST(encode(c).find("typed") == std::string::npos);
  c.typed = {ScanStep::Location, ScanStep::Item, ScanStep::Tote};
  const std::string all = encode(c);
  BOOST_TEST(all.find(R"("typed":["location","item","tote"])") != std::string::npos, all);
  auto back = decode(all);
  BOOST_REQUIRE_MESSAGE(back.ok(), test::why(back));
  BOOST_CHECK(std::get<PickConfirm>(*back) == c);
  // An empty array means the same as none.
  std::string empty = encode(std::get<PickConfirm>(*m));
  empty.insert(empty.size() - 1, R"(,"typed":[])");
  auto none = decode(empty);
  BOOST_REQUIRE_MESSAGE(none.ok(), test::why(none));
  BOOST_TEST(std::get<PickConfirm>(*none).typed.empty());

  auto s = decode(test::goodFixture("pick.short-typed"));
  BOOST_REQUIRE_MESSAGE(s.ok(), test::why(s));
  BOOST_CHECK(std::get<PickShort>(*s).typed == std::vector<ScanStep>({ScanStep::Tote}));
}

BOOST_AUTO_TEST_CASE(typed_steps_given_twice_or_too_many_are_refused_by_validate_and_encode) {
  auto m = decode(test::goodFixture("pick.short"));
  BOOST_REQUIRE_MESSAGE(m.ok(), test::why(m));
  PickShort s = std::get<PickShort>(*m);
  s.typed = {ScanStep::Tote, ScanStep::Tote};
  auto st = validate(s);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message == "pick.short: typed[1] repeats step 'tote' of typed[0]");
  BOOST_CHECK_THROW(encode(s), std::invalid_argument);
  s.typed = {ScanStep::Location, ScanStep::Item, ScanStep::Tote, ScanStep::Item};
  st = validate(s);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message == "pick.short: typed must have 0..3 entries, got 4");
}

BOOST_AUTO_TEST_CASE(unicode_text_and_the_gs1_separator_survive_a_round_trip) {
  PackTask t;
  t.device = "PK-02";
  t.orderId = "SO-1";
  t.channel = "lazada";
  // Thai, Vietnamese, Chinese and an emoji; "\"" and "\\" must be escaped.
  t.lines = {{"L1", "SKU-1", "แก้วน้ำ \"Tiếng Việt\" 保温杯 \\ 😀", {"0108851234000127\x1d" "10L1"}, 1}};
  std::string text = encode(t);
  auto back = decode(text);
  BOOST_REQUIRE_MESSAGE(back.ok(), test::why(back));
  BOOST_CHECK(std::get<PackTask>(*back) == t);
  BOOST_TEST(text.find("\\u001d") != std::string::npos);
  // The same text written with \u escapes decodes to the same bytes.
  auto escaped = decode(
      R"({"type":"scan","v":1,"device":"d","ts":0,"event_id":"e","barcode":"\u0e41\u0e01\u0e49\u0e27 \ud83d\ude00"})");
  BOOST_REQUIRE(escaped.ok());
  BOOST_TEST(std::get<Scan>(*escaped).barcode == "แก้ว 😀");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_utf8_is_rejected_by_validate) {
  Scan s;
  s.device = "d";
  s.eventId = "e";
  s.barcode = "ab\xC0\xAF";  // an overlong '/'
  auto st = validate(s);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.error().message == "scan: barcode is not valid UTF-8 at byte 3");
  s.barcode = "\xED\xA0\x80";  // a UTF-16 surrogate
  BOOST_TEST(!validate(s).ok());
  s.barcode = "\xF4\x90\x80\x80";  // above U+10FFFF
  BOOST_TEST(!validate(s).ok());
  s.barcode = "ok \xE2\x82\xAC";  // the euro sign
  BOOST_TEST(validate(s).ok());
}

BOOST_AUTO_TEST_CASE(decode_from_topic_accepts_each_fixture_on_its_own_topic) {
  for (const auto& [name, text] : test::readFixtures("good")) {
    auto m = decode(text);
    BOOST_REQUIRE(m.ok());
    auto viaTopic = decodeFromTopic(topicOf(*m), text);
    BOOST_CHECK_MESSAGE(viaTopic.ok(), name << ": " << test::why(viaTopic));
  }
}

BOOST_AUTO_TEST_CASE(decode_from_topic_rejects_a_payload_naming_another_device) {
  auto m = decodeFromTopic("wms/v1/dev/HH-08/evt", test::goodFixture("pick.confirm"));
  BOOST_REQUIRE(!m.ok());
  BOOST_CHECK(m.error().kind == ErrorKind::Forbidden);
  BOOST_TEST(m.error().message ==
             "payload device 'HH-07' does not match the device 'HH-08' of topic wms/v1/dev/HH-08/evt");
}

BOOST_AUTO_TEST_CASE(decode_from_topic_rejects_a_message_on_the_wrong_channel) {
  auto ack = decodeFromTopic("wms/v1/dev/HH-07/evt", test::goodFixture("ack"));
  BOOST_REQUIRE(!ack.ok());
  BOOST_CHECK(ack.error().kind == ErrorKind::Forbidden);
  BOOST_TEST(ack.error().message == "ack does not belong on channel 'evt' (it goes on 'cmd')");
  auto event = decodeFromTopic("wms/v1/dev/HH-07/status", test::goodFixture("pick.confirm"));
  BOOST_REQUIRE(!event.ok());
  BOOST_TEST(event.error().message == "pick.confirm does not belong on channel 'status' (it goes on 'evt')");
}

BOOST_AUTO_TEST_CASE(decode_from_topic_rejects_a_topic_outside_the_tree_before_reading_the_payload) {
  auto m = decodeFromTopic("wms/v1/dev/HH-07/evt/x", "not json");
  BOOST_REQUIRE(!m.ok());
  BOOST_TEST(m.error().message.find("unknown channel") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_event_id_of_a_rejected_event_can_still_be_read_to_answer_it) {
  BOOST_TEST(peekEventId(R"({"type":"pick.confirm","v":1,"event_id":"abc-9","qty":0})").value_or("") == "abc-9");
  BOOST_TEST(peekEventId(R"({"type":"pick.confirm","v":7,"device":"x","event_id":"abc-10"})").value_or("") ==
             "abc-10");
  BOOST_TEST(!peekEventId("{\"event_id\":\"abc").has_value());             // not JSON
  BOOST_TEST(!peekEventId(R"({"event_id":"has space"})").has_value());      // not a valid id
  BOOST_TEST(!peekEventId(R"({"event_id":12})").has_value());
  BOOST_TEST(!peekEventId(R"(["event_id","abc-1"])").has_value());
  BOOST_TEST(!peekEventId(R"({"a":{"event_id":"abc-1"}})").has_value());   // only at the top
}

// The refusals the decoder makes before it reads any field (too large, too
// deep, a repeated key) still name the event, so the device gets a rejected
// ack and stops resending instead of resending for ever (docs/protocol.md,
// "Bad input").
BOOST_AUTO_TEST_CASE(an_event_refused_for_its_shape_can_still_be_named) {
  std::string big = R"({"event_id":"abc-1","pad":")" + std::string(kMaxPayloadBytes, 'x') + "\"}";
  BOOST_TEST(!decode(big).ok());
  BOOST_TEST(peekEventId(big).value_or("") == "abc-1");
  std::string deep = R"({"type":"pick.confirm","event_id":"abc-2","x":)" + std::string(100, '[') + std::string(100, ']') + "}";
  BOOST_TEST(!decode(deep).ok());
  BOOST_TEST(peekEventId(deep).value_or("") == "abc-2");
  BOOST_TEST(peekEventId(R"({"event_id":"abc-3","v":1,"v":1})").value_or("") == "abc-3");
  BOOST_TEST(peekEventId(R"({"event_id":"abc-4","event_id":"abc-4"})").value_or("") == "abc-4");
  BOOST_TEST(peekEventId(R"( {"s":"a\"}{[,","n":-1.5e3,"b":[true,{"k":null}],"event_id":"abc-5"} )").value_or("") ==
             "abc-5");
  // Not one event: two different ids, an escaped id, trailing bytes, a
  // server message sent where events go.
  BOOST_TEST(!peekEventId(R"({"event_id":"abc-6","event_id":"abc-7"})").has_value());
  BOOST_TEST(!peekEventId(R"({"event_id":"abc\u002d8"})").has_value());
  BOOST_TEST(!peekEventId(R"({"event_id":"abc-9"} x)").has_value());
  BOOST_TEST(!peekEventId(R"({"event_id":"abc-9",})").has_value());
  BOOST_TEST(!peekEventId(R"({"event_id":"abc-9" "a":1})").has_value());
  BOOST_TEST(!peekEventId(R"({"type":"task.cancel","event_id":"abc-10"})").has_value());
  BOOST_TEST(peekEventId(R"({"type":"no.such.type","event_id":"abc-11"})").value_or("") == "abc-11");
}

// Which check answers first does not depend on the fields: a server message
// on the events channel is refused as out of place, with or without fields
// it does not have.
BOOST_AUTO_TEST_CASE(a_message_on_the_wrong_channel_is_refused_as_such_before_its_fields_are_read) {
  const std::string topic = "wms/v1/dev/HH-07/evt";
  auto bare = decodeFromTopic(topic, R"({"type":"task.cancel","v":1,"device":"HH-07","ts":1,"batch_id":"9","reason":"x"})");
  auto extra = decodeFromTopic(
      topic, R"({"type":"task.cancel","v":1,"device":"HH-07","ts":1,"batch_id":"9","reason":"x","event_id":"e-1"})");
  BOOST_REQUIRE(!bare.ok());
  BOOST_REQUIRE(!extra.ok());
  BOOST_TEST((bare.error().kind == ErrorKind::Forbidden));
  BOOST_TEST((extra.error().kind == ErrorKind::Forbidden));
  BOOST_TEST(extra.error().message == bare.error().message);
  // The channel is checked before the device named in the payload.
  auto both = decodeFromTopic(topic, R"({"type":"heartbeat","v":1,"device":"HH-99","ts":1})");
  BOOST_REQUIRE(!both.ok());
  BOOST_TEST(both.error().message.find("does not belong on channel") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fit_text_turns_any_string_into_valid_protocol_text) {
  auto valid = [](const std::string& text) {
    ServerError e;
    e.device = "d";
    e.error = {ErrorKind::Internal, text};
    return validate(e).ok();
  };
  BOOST_TEST(fitText("stop S1 is already confirmed") == "stop S1 is already confirmed");
  BOOST_TEST(fitText("") == "-");
  BOOST_TEST(fitText("a\nb\x01" "c\x7f") == "a?b?c?");
  BOOST_TEST(fitText("bad \xC0\xAF end") == "bad ?? end");
  BOOST_TEST(fitText("แก้ว") == "แก้ว");
  // 600 bytes of a 3-byte character: cut on a character boundary.
  std::string thai;
  for (int i = 0; i < 200; ++i) thai += "ก";
  std::string cut = fitText(thai);
  BOOST_TEST(cut.size() <= kMaxTextLength);
  BOOST_TEST(cut.substr(cut.size() - 3) == "...");
  BOOST_TEST(valid(cut));
  BOOST_TEST(fitText(std::string(kMaxTextLength, 'x')) == std::string(kMaxTextLength, 'x'));
  BOOST_TEST(fitText(std::string(kMaxTextLength + 1, 'x')).size() == kMaxTextLength);
  for (const std::string& s : {std::string("\xF4\x90\x80\x80"), std::string("\xED\xA0\x80x"), std::string(3, '\0')}) {
    BOOST_TEST(valid(fitText(s)));
  }
}

BOOST_AUTO_TEST_CASE(error_kinds_travel_by_their_wire_names) {
  for (ErrorKind k : {ErrorKind::Malformed, ErrorKind::Invalid, ErrorKind::NotFound, ErrorKind::Conflict,
                      ErrorKind::InsufficientStock, ErrorKind::TooLarge, ErrorKind::Unauthorized,
                      ErrorKind::Forbidden, ErrorKind::Unavailable, ErrorKind::Internal}) {
    auto back = errorKindFromString(wms::toString(k));
    BOOST_REQUIRE(back.ok());
    BOOST_CHECK(*back == k);
  }
  BOOST_TEST(!errorKindFromString("Invalid").ok());
}

BOOST_AUTO_TEST_CASE(every_truncation_and_byte_flip_of_a_valid_payload_is_handled_without_throwing) {
  for (const auto& [name, text] : test::readFixtures("good")) {
    std::string compact = encode(*decode(text));
    for (std::size_t n = 0; n < compact.size(); ++n) {
      auto m = decode(std::string_view(compact).substr(0, n));
      BOOST_TEST(!m.ok(), name << " cut at " << n);
    }
    for (std::size_t i = 0; i < compact.size(); ++i) {
      std::string flipped = compact;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
      auto m = decode(flipped);
      if (m.ok()) BOOST_TEST(validate(*m).ok());  // whatever decodes is valid
    }
  }
}

BOOST_AUTO_TEST_CASE(the_decode_fuzz_corpus_holds_every_fixture) {
  fs::path corpus = fs::path(WMS_SOURCE_DIR) / "tests" / "protocol" / "fuzz" / "corpus" / "decode";
  for (const char* folder : {"good", "bad"}) {
    for (const auto& [name, text] : test::readFixtures(folder)) {
      fs::path seed = corpus / (std::string(folder) + "-" + name + ".json");
      BOOST_REQUIRE_MESSAGE(fs::exists(seed), seed << " is missing (copy the fixture into the corpus)");
      BOOST_TEST(wms::testsupport::readFile(seed) == text, seed);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
