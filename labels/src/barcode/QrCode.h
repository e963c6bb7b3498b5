// QR Code model 2 (ISO/IEC 18004), error correction level M, written for
// wms::labels from the spec.
//
// One segment for the whole text in the densest mode that holds all of it
// (numeric, alphanumeric, else byte); byte data that is not plain ASCII gets
// an ECI designator 26 (UTF-8) first. The smallest version 1..40 that fits is
// used and the mask with the lowest penalty (the four rules of clause 7.8.3)
// is chosen, the lower number on a tie. Internal to wms_labels; Barcode.cpp
// checks that the text is UTF-8 first.
#pragma once

#include <string_view>

#include "wms/common/Result.h"
#include "wms/labels/Barcode.h"

namespace wms::labels::barcode {

enum class QrMode { Numeric, Alphanumeric, Byte };

// Error correction blocks of one version at level M (ISO/IEC 18004 table 9):
// group 1 has group1Blocks blocks of group1Data data codewords, group 2 (may
// be empty) blocks of one codeword more; every block has ecPerBlock error
// correction codewords.
struct QrBlocks {
  int ecPerBlock = 0;
  int group1Blocks = 0;
  int group1Data = 0;
  int group2Blocks = 0;
  int group2Data = 0;

  constexpr int blocks() const { return group1Blocks + group2Blocks; }
  constexpr int dataCodewords() const { return group1Blocks * group1Data + group2Blocks * group2Data; }
  constexpr int totalCodewords() const { return dataCodewords() + blocks() * ecPerBlock; }
};

inline constexpr int kQrMinVersion = 1;
inline constexpr int kQrMaxVersion = 40;

// Version 1..40 (anything else throws std::out_of_range).
const QrBlocks& qrBlocksLevelM(int version);
int qrSymbolSize(int version) noexcept;  // modules per side, 17 + 4 * version
// Modules left for codewords and remainder bits once every function pattern
// (finders with separators, timing, alignment, format and version info, the
// dark module) is placed: worked out from the geometry, not from a table, so
// that the block table can be checked against it.
int qrDataModules(int version) noexcept;

// The mode the whole text is encoded in.
QrMode qrModeFor(std::string_view text) noexcept;

struct QrSymbol {
  ModuleMatrix matrix;
  int version = 0;
  int mask = 0;
};

// Encodes text (assumed valid UTF-8). TooLarge if it does not fit version
// 40-M. forcedMask 0..7 skips the mask choice (for tests); -1 chooses.
Result<QrSymbol> encodeQrCode(std::string_view text, int forcedMask = -1);

}  // namespace wms::labels::barcode
