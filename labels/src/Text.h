// UTF-8 helpers shared by the parser, the layout and the ZPL writer.
// Internal to wms::labels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wms::labels::text {

inline constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at text[pos], advancing pos past it. Returns kInvalid
// (and advances by one byte) for a malformed, overlong, surrogate or
// out-of-range sequence. pos must be < text.size().
char32_t decode(std::string_view text, std::size_t& pos);

// Appends the UTF-8 encoding of a valid code point.
void append(std::string& out, char32_t cp);

std::size_t codePointCount(std::string_view text);  // of valid UTF-8

// Whether a code point is a control character that must not reach a printer
// (C0 other than tab/CR/LF, DEL, C1).
bool isControl(char32_t cp);

// True for code points that take two columns (CJK ideographs, kana, hangul,
// fullwidth forms) and false for combining marks' zero width; used to
// estimate printed width where no font metrics exist (ZPL).
bool isWide(char32_t cp);
bool isZeroWidth(char32_t cp);

bool isAscii(std::string_view text);

// Trims ASCII spaces at both ends.
std::string_view trim(std::string_view text);

}  // namespace wms::labels::text
