// Code 128 (ISO/IEC 15417) and GS1-128 (GS1 General Specifications: Code 128
// with FNC1 in first position), written for wms::labels from the specs.
//
// Internal to wms_labels; Barcode.cpp checks the input rules of the public
// API (printable ASCII, digits for GS1-128, the length limit) first.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wms::labels::barcode {

// Symbol character values the encoder uses (ISO/IEC 15417 table 1).
inline constexpr int kCode128Shift = 98;
inline constexpr int kCode128CodeC = 99;
inline constexpr int kCode128CodeB = 100;
inline constexpr int kCode128CodeA = 101;
inline constexpr int kCode128Fnc1 = 102;
inline constexpr int kCode128StartA = 103;
inline constexpr int kCode128StartB = 104;
inline constexpr int kCode128StartC = 105;
inline constexpr int kCode128Stop = 106;

// The symbol characters for `data` (bytes 0x00..0x7F; anything above is a
// caller bug and throws std::invalid_argument): start character, data
// characters, check character; the stop character is not included. With
// fnc1First, FNC1 follows the start character (GS1-128). Empty data gives
// start B and its check character (Barcode.cpp never asks for that).
//
// The code sets are chosen for the fewest symbol characters (a shortest path
// over positions x code sets A/B/C, with code changes and shifts): runs of
// digits go into code set C when that saves characters, an even digit
// string starts in C. Among equally short choices the current set is kept,
// else C is preferred, then B, then A (for the start character too).
std::vector<int> code128Symbols(std::string_view data, bool fnc1First);

// Bars and spaces of `symbols` (as returned above) followed by the stop
// character: one entry per module, 1 = bar. 11 modules per symbol character
// and 13 for the stop character; no quiet zone.
std::vector<std::uint8_t> code128Modules(const std::vector<int>& symbols);

}  // namespace wms::labels::barcode
