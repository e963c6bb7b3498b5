// The shared outside-text checks (wms/common/TextChecks.h).
#include <boost/test/unit_test.hpp>

#include <string>

#include "wms/common/TextChecks.h"

using namespace wms;

BOOST_AUTO_TEST_SUITE(text_checks)

BOOST_AUTO_TEST_CASE(well_formed_utf8_of_every_length_passes) {
  BOOST_TEST(isValidUtf8(""));
  BOOST_TEST(isValidUtf8("plain ASCII"));
  BOOST_TEST(isValidUtf8("Nguy\xE1\xBB\x85n"));       // Vietnamese, 3 bytes
  BOOST_TEST(isValidUtf8("\xE0\xB8\x81\xE0\xB8\xB2"));  // Thai
  BOOST_TEST(isValidUtf8("\xF0\x9F\x93\xA6"));          // U+1F4E6, 4 bytes
  BOOST_TEST(isValidUtf8("\xC3\xA9"));                  // é, 2 bytes
}

BOOST_AUTO_TEST_CASE(the_first_bad_byte_is_named_for_every_kind_of_malformed_utf8) {
  BOOST_TEST(firstInvalidUtf8("ok\x80") == 2u);              // a lone continuation byte
  BOOST_TEST(firstInvalidUtf8("\xC0\xAF") == 0u);            // overlong '/'
  BOOST_TEST(firstInvalidUtf8("\xE0\x80\xAF") == 0u);        // overlong, 3 bytes
  BOOST_TEST(firstInvalidUtf8("a\xED\xA0\x80") == 1u);       // a surrogate (U+D800)
  BOOST_TEST(firstInvalidUtf8("ab\xF4\x90\x80\x80") == 2u);  // above U+10FFFF
  BOOST_TEST(firstInvalidUtf8("abc\xE2\x82") == 3u);         // cut short
  BOOST_TEST(firstInvalidUtf8("\xFF") == 0u);
  BOOST_TEST(!isValidUtf8(std::string("a\xC3", 2)));
}

BOOST_AUTO_TEST_CASE(json_nesting_is_counted_outside_strings_only) {
  BOOST_TEST(jsonNestingDepth("") == 0u);
  BOOST_TEST(jsonNestingDepth("42") == 0u);
  BOOST_TEST(jsonNestingDepth(R"({"a":[1,{"b":[]}]})") == 4u);
  BOOST_TEST(jsonNestingDepth(R"({"a":"[[[[{{{{"})") == 1u);
  BOOST_TEST(jsonNestingDepth(R"({"a":"\"[[[["})") == 1u);  // an escaped quote does not end the string
  BOOST_TEST(jsonNestingDepth(std::string(100000, '[')) == 100000u);
  BOOST_TEST(jsonNestingDepth("]]]}}}[") == 1u);  // stray closers do not go below zero
}

BOOST_AUTO_TEST_SUITE_END()
