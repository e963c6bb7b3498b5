// Images for the decode tests: symbols drawn with ZXing's own writer, and
// the zint-made fixtures in fixtures/.
#pragma once

#define ZX_USE_UTF8
#include <ZXing/BarcodeFormat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "wms/handheld/Decoder.h"
#include "wms/handheld/Frame.h"

namespace wms::handheld::test {

inline const std::filesystem::path kFixtures = WMS_HANDHELD_FIXTURES;

// A symbol drawn by ZXing's MultiFormatWriter, `scale` pixels per module,
// on a light grey canvas of canvasWidth x canvasHeight (0: just the symbol
// and its quiet zone), rotated by a quarter turn `quarterTurns` times.
// `text` may use U+00F1 for FNC1 in Code 128 (GS1-128).
Frame zxingSymbol(ZXing::BarcodeFormat format, const std::wstring& text, int scale = 3, int canvasWidth = 0,
                  int canvasHeight = 0, int quarterTurns = 0);

// Loads a fixture image; fails the test if it cannot be read.
Frame fixtureFrame(const std::filesystem::path& relative);
// The whole content of a fixture file.
std::string fixtureText(const std::filesystem::path& relative);

// `limit` times WMS_TEST_TIME_SCALE (ctest sets it for a cross build's
// suites, which an emulator runs several times slower; 1 when unset).
std::chrono::milliseconds scaled(std::chrono::milliseconds limit);
// DecoderOptions with the default worker timeout, scaled().
DecoderOptions scaledOptions();

// Writes `marker` into the first pixels of row 0 (Decoder test hooks).
Frame withMarker(const Frame& frame, std::string_view marker);

}  // namespace wms::handheld::test
