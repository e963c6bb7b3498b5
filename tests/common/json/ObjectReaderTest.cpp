#define BOOST_TEST_MODULE common_json
// The one reader of untrusted JSON objects (wms/json/ObjectReader.h).
#include <boost/test/unit_test.hpp>

#include <string>

#include "wms/json/ObjectReader.h"

using namespace wms;
using json::Need;
using json::ObjectReader;
using json::Range;
using json::Rules;

namespace {

ObjectReader read(std::string_view body, const Rules& rules = {}) {
  auto r = ObjectReader::parse(body, "the body", rules);
  BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return *r;
}

Error parseError(std::string_view body, const Rules& rules = {}) {
  auto r = ObjectReader::parse(body, "the body", rules);
  BOOST_REQUIRE(!r.ok());
  return r.error();
}

std::string problem(ObjectReader& r) {
  auto st = r.finish();
  return st.ok() ? std::string("(none)") : st.error().message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(object_reader)

BOOST_AUTO_TEST_CASE(fields_of_nested_objects_and_array_items_are_named_by_their_path) {
  auto r = read(R"({"order": {"lines": [{"qty": 1}, {"qty": "two"}]}})");
  auto order = r.object("order", Need::Required);
  for (auto& line : order.objects("lines", Need::Required, 10)) (void)line.integer("qty", Need::Required);
  BOOST_TEST(problem(r) == "order.lines[1].qty must be a whole number");
  BOOST_TEST(order.path("lines") == "order.lines");
  BOOST_TEST(r.path() == "");
}

BOOST_AUTO_TEST_CASE(the_first_problem_wins_and_later_reads_return_their_defaults) {
  auto r = read(R"({"a": 5, "b": "text", "c": true, "d": {"e": 1}, "f": [1]})");
  BOOST_TEST(r.text("a", Need::Required, 10) == "");  // a number is not converted
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.text("b", Need::Required, 10) == "");
  BOOST_TEST(r.integer("missing", Need::Required, {}, 7) == 7);
  BOOST_TEST(r.flag("c", false) == false);
  BOOST_TEST(r.object("d").integer("e") == 0);
  BOOST_TEST(r.integers("f", Need::Required, 5).empty());
  r.fail("b", "is wrong too");
  BOOST_TEST(problem(r) == "a must be a string");
  BOOST_TEST((r.status().error().kind == ErrorKind::Invalid));
}

BOOST_AUTO_TEST_CASE(absent_and_null_are_the_same_and_only_required_fields_miss) {
  auto r = read(R"({"x": null, "s": ""})");
  BOOST_TEST(!r.has("x"));
  BOOST_TEST(r.text("x", Need::Optional, 10) == "");
  BOOST_TEST(r.integer("y", Need::Optional, {}, 3) == 3);
  BOOST_TEST(r.text("s", Need::Required, 10) == "");
  BOOST_TEST(r.ok());
  r.text("s", Need::NonEmpty, 10);
  BOOST_TEST(problem(r) == "s is required");
  auto r2 = read(R"({"x": null})");
  r2.integer("x", Need::Required);
  BOOST_TEST(problem(r2) == "x is required");
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_refused_at_finish_in_every_nested_object_by_default) {
  auto r = read(R"({"a": 1, "lines": [{"qty": 1, "qyt": 2}]})");
  r.integer("a");
  for (auto& l : r.objects("lines", Need::Required, 10)) l.integer("qty");
  BOOST_TEST(r.status().ok());  // status() does not look for them
  BOOST_TEST(problem(r) == "unknown field 'lines[0].qyt'");
}

BOOST_AUTO_TEST_CASE(a_read_problem_comes_before_an_unknown_field) {
  auto r = read(R"({"priorty": 5, "lines": []})");
  r.text("external_id", Need::Required, 10);
  BOOST_TEST(problem(r) == "external_id is required");
}

BOOST_AUTO_TEST_CASE(unknown_fields_may_be_allowed_or_be_comments) {
  Rules lenient;
  lenient.unknown = json::Unknown::Allow;
  auto r = read(R"({"a": 1, "new_field": {"x": 1}})", lenient);
  r.integer("a");
  BOOST_TEST(r.finish().ok());

  Rules layouts;
  layouts.commentPrefix = "_";
  auto c = read(R"({"_comment": "why", "a": 1})", layouts);
  c.integer("a");
  BOOST_TEST(c.finish().ok());
}

BOOST_AUTO_TEST_CASE(known_fields_name_a_misspelt_field_before_the_missing_one_it_stands_for) {
  auto r = read(R"({"name": "x", "widht": 2})");
  r.knownFields({"name", "width"});
  r.integer("width", Need::Required);
  BOOST_TEST(problem(r) == "unknown field 'widht'");

  // Declared fields count as read, even if never read (a null optional one).
  auto d = read(R"({"sides": null})");
  d.knownFields({"sides"});
  BOOST_TEST(d.finish().ok());
}

BOOST_AUTO_TEST_CASE(copies_share_the_problem_and_the_fields_read) {
  auto r = read(R"({"a": 1, "b": 2})");
  ObjectReader copy = r;
  copy.integer("a");
  r.integer("b");
  BOOST_TEST(copy.finish().ok());
  copy.fail("a", "is odd");
  BOOST_TEST(problem(r) == "a is odd");
}

BOOST_AUTO_TEST_CASE(the_body_is_checked_before_it_is_parsed) {
  Rules small;
  small.maxBytes = 16;
  small.maxDepth = 2;
  const Error large = parseError(R"({"a": "0123456789ab"})", small);
  BOOST_TEST((large.kind == ErrorKind::TooLarge));
  BOOST_TEST(large.message == "the body is larger than 16 bytes");

  const Error deep = parseError(R"({"a":[[1]]})", small);
  BOOST_TEST((deep.kind == ErrorKind::Malformed));
  BOOST_TEST(deep.message == "the body is nested deeper than 2 levels");
  BOOST_TEST(ObjectReader::parse(R"({"a":[1]})", "x", small).ok());
  BOOST_TEST(ObjectReader::parse(R"({"a":"[[[["})", "x", small).ok());  // brackets in strings do not count

  const Error utf8 = parseError("{\"a\": \"caf\xC3\"}");
  BOOST_TEST((utf8.kind == ErrorKind::Malformed));
  BOOST_TEST(utf8.message == "the body is not valid JSON: byte 10 is not valid UTF-8");

  const Error empty = parseError("");
  BOOST_TEST((empty.kind == ErrorKind::Malformed));
  BOOST_TEST(empty.message == "the body is not valid JSON: it is empty");
}

BOOST_AUTO_TEST_CASE(non_json_is_malformed_and_json_that_is_not_an_object_is_invalid) {
  // POCO's parser takes no scalar at the top level: those are not JSON to it.
  for (const char* body : {"{", "{\"a\": 1,}", "{'a': 1}", "{\"a\": 1} x", "nul", " ", "42", "\"text\"", "null"}) {
    const Error e = parseError(body);
    BOOST_TEST((e.kind == ErrorKind::Malformed), body);
    BOOST_TEST(e.message.rfind("the body is not valid JSON: ", 0) == 0u, e.message);
  }
  for (const char* body : {"[1, 2]", "[]", "[{}]"}) {
    const Error e = parseError(body);
    BOOST_TEST((e.kind == ErrorKind::Invalid), body);
    BOOST_TEST(e.message == "the body must be a JSON object");
  }
  Rules labels;
  labels.notJsonObjectKind = ErrorKind::Malformed;
  BOOST_TEST((parseError("[]", labels).kind == ErrorKind::Malformed));
}

BOOST_AUTO_TEST_CASE(each_document_keeps_its_own_wording) {
  Rules rules;
  rules.wording.missing = "{path}: missing";
  rules.wording.unknown = "unknown field {path}";
  rules.wording.notWhole = "{path} must be a whole number from {lo} to {hi}";
  rules.wording.outOfRange = "{path} must be a whole number from {lo} to {hi}";
  rules.wording.other = "{path}: {detail}";
  rules.wording.notJsonObject = "{what} must be an object";

  auto a = read(R"({"x": 1})", rules);
  a.object("site", Need::Required);
  BOOST_TEST(problem(a) == "site: missing");
  auto b = read(R"({"lines": [{"qyt": 1}]})", rules);
  b.objects("lines", Need::Required, 5);
  BOOST_TEST(problem(b) == "unknown field lines[0].qyt");
  auto c = read(R"({"qty": 0})", rules);
  c.integer("qty", Need::Required, {1, 1000000});
  BOOST_TEST(problem(c) == "qty must be a whole number from 1 to 1000000");
  auto d = read(R"({"qty": "1"})", rules);
  d.integer("qty", Need::Required, {1, 9});
  BOOST_TEST(problem(d) == "qty must be a whole number from 1 to 9");
  auto e = read(R"({"sides": "up"})", rules);
  e.fail("sides", "expected both, left or right");
  BOOST_TEST(problem(e) == "sides: expected both, left or right");
  BOOST_TEST(parseError("[]", rules).message == "the body must be an object");
}

BOOST_AUTO_TEST_CASE(text_is_a_string_of_at_most_max_bytes) {
  auto r = read(R"({"a": "caf\u00e9", "b": "abcd"})");
  BOOST_TEST(r.text("a", Need::Required, 5) == "caf\xC3\xA9");  // five bytes
  r.text("b", Need::Required, 3);
  BOOST_TEST(problem(r) == "b is longer than 3 bytes");
  for (const char* body : {R"({"t": 1})", R"({"t": true})", R"({"t": {}})", R"({"t": ["x"]})"}) {
    auto n = read(body);
    n.text("t", Need::Optional, 10);
    BOOST_TEST(problem(n) == "t must be a string", body);
  }
}

BOOST_AUTO_TEST_CASE(an_id_is_a_string_or_a_whole_number_as_its_exact_text) {
  auto r = read(R"({"s": "A-1", "n": 450789469, "big": 18446744073709551615, "neg": -3})");
  BOOST_TEST(r.id("s") == "A-1");
  BOOST_TEST(r.id("n") == "450789469");
  BOOST_TEST(r.id("big") == "18446744073709551615");  // beyond int64: no digit lost
  BOOST_TEST(r.id("neg") == "-3");
  BOOST_TEST(r.ok());
  const std::pair<const char*, const char*> bad[] = {
      {R"({"id": 1.5})", "id must be a string or a whole number"},
      {R"({"id": true})", "id must be a string or a whole number"},
      {R"({"id": {}})", "id must be a string or a whole number"},
      {R"({"id": ""})", "id must be 1 to 128 characters"},
      {R"({"id": "a b"})", "id may contain only printable ASCII without spaces"},
      {R"({"id": "caf\u00e9"})", "id may contain only printable ASCII without spaces"},
      {R"({})", "id is required"},
  };
  for (const auto& [body, message] : bad) {
    auto b = read(body);
    b.id("id");
    BOOST_TEST(problem(b) == message, body);
  }
  auto longId = read("{\"id\": \"" + std::string(129, 'x') + "\"}");
  longId.id("id");
  BOOST_TEST(problem(longId) == "id must be 1 to 128 characters");
}

BOOST_AUTO_TEST_CASE(integers_are_whole_json_numbers_within_64_bits_and_the_range) {
  auto r = read(R"({"max": 9223372036854775807, "min": -9223372036854775808, "z": 0})");
  BOOST_TEST(r.integer("max") == INT64_MAX);
  BOOST_TEST(r.integer("min") == INT64_MIN);
  BOOST_TEST(r.integer("z", Need::Required, {0, 0}) == 0);
  BOOST_TEST(r.ok());
  const std::pair<const char*, const char*> bad[] = {
      {R"({"n": 9223372036854775808})", "n is out of range"},   // held as UInt64 by POCO
      {R"({"n": 18446744073709551615})", "n is out of range"},
      {R"({"n": 1.5})", "n must be a whole number"},
      {R"({"n": 2.0})", "n must be a whole number"},             // written as a fraction
      {R"({"n": 1e3})", "n must be a whole number"},
      {R"({"n": true})", "n must be a whole number"},
      {R"({"n": "12"})", "n must be a whole number"},            // strings only if the rules say so
      {R"({"n": 11})", "n is out of range"},                     // the range below
  };
  for (const auto& [body, message] : bad) {
    auto b = read(body);
    b.integer("n", Need::Optional, {-10, 10});
    BOOST_TEST(problem(b) == message, body);
  }
}

BOOST_AUTO_TEST_CASE(integers_may_be_decimal_strings_when_the_rules_say_so) {
  Rules channels;
  channels.integersAsText = true;
  auto r = read(R"({"a": "42", "b": "-7", "c": "+5", "d": 3})", channels);
  BOOST_TEST(r.integer("a") == 42);
  BOOST_TEST(r.integer("b") == -7);
  BOOST_TEST(r.integer("c") == 5);
  BOOST_TEST(r.integer("d") == 3);
  BOOST_TEST(r.ok());
  for (const char* text : {"", " 1", "1.0", "1e3", "0x10", "+-1", "12abc"}) {
    auto b = read("{\"n\": \"" + std::string(text) + "\"}", channels);
    b.integer("n");
    BOOST_TEST(problem(b) == "n must be a whole number", text);
  }
  auto huge = read(R"({"n": "99999999999999999999"})", channels);
  huge.integer("n");
  BOOST_TEST(problem(huge) == "n is out of range");
}

BOOST_AUTO_TEST_CASE(numbers_are_finite_json_numbers_and_flags_are_booleans) {
  auto r = read(R"({"x": 1.25, "i": 3, "t": true})");
  BOOST_TEST(r.number("x") == 1.25);
  BOOST_TEST(r.number("i") == 3.0);
  BOOST_TEST(r.flag("t") == true);
  BOOST_TEST(r.flag("absent", true) == true);
  BOOST_TEST(r.ok());
  for (const char* body : {R"({"x": "1.5"})", R"({"x": false})", R"({"x": [1]})"}) {
    auto b = read(body);
    b.number("x");
    BOOST_TEST(problem(b) == "x must be a number", body);
  }
  auto f = read(R"({"f": 1})");
  f.flag("f");
  BOOST_TEST(problem(f) == "f must be true or false");
}

BOOST_AUTO_TEST_CASE(objects_must_be_objects_and_an_absent_optional_one_reads_as_empty) {
  auto r = read(R"({"a": []})");
  auto absent = r.object("b");
  BOOST_TEST(absent.text("name", Need::Optional, 10) == "");
  BOOST_TEST(absent.path() == "b");
  BOOST_TEST(r.ok());
  absent.text("name", Need::Required, 10);
  BOOST_TEST(problem(r) == "b.name is required");
  auto n = read(R"({"a": []})");
  n.object("a");
  BOOST_TEST(problem(n) == "a must be an object");
}

BOOST_AUTO_TEST_CASE(arrays_are_limited_and_each_item_is_checked_with_its_path) {
  auto r = read(R"({"s": ["a", "b"], "ids": ["x", 17], "n": [1, 2], "f": [0.5, 2]})");
  BOOST_TEST(r.strings("s", Need::Required, 2) == (std::vector<std::string>{"a", "b"}));
  BOOST_TEST(r.ids("ids", Need::Required, 2) == (std::vector<std::string>{"x", "17"}));
  BOOST_TEST(r.integers("n", Need::Required, 2, {1, 2}) == (std::vector<std::int64_t>{1, 2}));
  BOOST_TEST(r.numbers("f", Need::Required, 2) == (std::vector<double>{0.5, 2.0}));
  BOOST_TEST(r.objects("none", Need::Optional, 2).empty());
  BOOST_TEST(r.finish().ok());

  const std::pair<const char*, const char*> bad[] = {
      {R"({"a": ["x", 2]})", "a[1] must be a string"},
      {R"({"a": "x"})", "a must be an array"},
      {R"({"a": ["x", "y", "z"]})", "a has more than 2 items"},
      {R"({"a": ["x", ""]})", "a[1] is required"},  // NonEmpty
  };
  for (const auto& [body, message] : bad) {
    auto b = read(body);
    b.strings("a", Need::NonEmpty, 2);
    BOOST_TEST(problem(b) == message, body);
  }
  auto o = read(R"({"lines": [{}, 3]})");
  BOOST_TEST(o.objects("lines", Need::Required, 5).empty());
  BOOST_TEST(problem(o) == "lines[1] must be an object");
  auto i = read(R"({"n": [1, 2.5]})");
  i.integers("n", Need::Required, 5);
  BOOST_TEST(problem(i) == "n[1] must be a whole number");
  auto d = read(R"({"ids": ["ok", "no space"]})");
  d.ids("ids", Need::Required, 5);
  BOOST_TEST(problem(d) == "ids[1] may contain only printable ASCII without spaces");
}

BOOST_AUTO_TEST_CASE(a_problem_of_the_object_itself_is_its_own_words) {
  auto r = read(R"({})");
  r.fail("", "has no line that requires shipping");
  BOOST_TEST(problem(r) == "has no line that requires shipping");
  auto n = read(R"({"a": {}})");
  n.object("a").fail("", "is empty");
  BOOST_TEST(problem(n) == "a is empty");
}

BOOST_AUTO_TEST_SUITE_END()

// Issue 20: {"qty":1,"qty":7} allocated 7 (POCO keeps the last); the MQTT
// codec already refused it. Keys in different objects may repeat.
BOOST_AUTO_TEST_CASE(a_key_twice_in_one_object_is_refused_naming_it_and_nothing_is_read) {
  auto e = parseError(R"({"sku":"A","qty":1,"qty":7})");
  BOOST_CHECK(e.kind == ErrorKind::Malformed);
  BOOST_TEST(e.message == "the body is not valid JSON: the key \"qty\" appears twice in one object");
  e = parseError(R"({"lines":[{"sku":"A","sku":"B"}]})");
  BOOST_TEST(e.message.find("\"sku\" appears twice") != std::string::npos, e.message);
  auto ok = read(R"({"a":{"x":1},"b":{"x":2},"x":3})");
  BOOST_TEST(ok.integer("x") == 3);
}
