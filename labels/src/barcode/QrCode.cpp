// QR Code model 2 at error correction level M, from ISO/IEC 18004:2015:
// data encoding (clause 7.4), codewords and blocks (7.5, table 9), placement
// (7.7), masking and its penalty (7.8), format and version information
// (7.9, 7.10).
#include "barcode/QrCode.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "barcode/ReedSolomon.h"

namespace wms::labels::barcode {
namespace {

// Table 9, level M: error correction codewords per block, then group 1
// (blocks, data codewords each) and group 2 (blocks, data codewords each).
constexpr std::array<QrBlocks, kQrMaxVersion + 1> kBlocksM = {{
    {},  // there is no version 0
    {10, 1, 16, 0, 0},   {16, 1, 28, 0, 0},   {26, 1, 44, 0, 0},   {18, 2, 32, 0, 0},
    {24, 2, 43, 0, 0},   {16, 4, 27, 0, 0},   {18, 4, 31, 0, 0},   {22, 2, 38, 2, 39},
    {22, 3, 36, 2, 37},  {26, 4, 43, 1, 44},  {30, 1, 50, 4, 51},  {22, 6, 36, 2, 37},
    {22, 8, 37, 1, 38},  {24, 4, 40, 5, 41},  {24, 5, 41, 5, 42},  {28, 7, 45, 3, 46},
    {28, 10, 46, 1, 47}, {26, 9, 43, 4, 44},  {26, 3, 44, 11, 45}, {26, 3, 41, 13, 42},
    {26, 17, 42, 0, 0},  {28, 17, 46, 0, 0},  {28, 4, 47, 14, 48}, {28, 6, 45, 14, 46},
    {28, 8, 47, 13, 48}, {28, 19, 46, 4, 47}, {28, 22, 45, 3, 46}, {28, 3, 45, 23, 46},
    {28, 21, 45, 7, 46}, {28, 19, 47, 10, 48}, {28, 2, 46, 29, 47}, {28, 10, 46, 23, 47},
    {28, 14, 46, 21, 47}, {28, 14, 46, 23, 47}, {28, 12, 47, 26, 48}, {28, 6, 47, 34, 48},
    {28, 29, 46, 14, 47}, {28, 13, 46, 32, 47}, {28, 40, 47, 7, 48}, {28, 18, 47, 31, 48},
}};

// Annex E: row/column coordinates of alignment pattern centres (0 = unused).
constexpr std::array<std::array<int, 7>, kQrMaxVersion + 1> kAlignment = {{
    {},
    {},
    {6, 18},
    {6, 22},
    {6, 26},
    {6, 30},
    {6, 34},
    {6, 22, 38},
    {6, 24, 42},
    {6, 26, 46},
    {6, 28, 50},
    {6, 30, 54},
    {6, 32, 58},
    {6, 34, 62},
    {6, 26, 46, 66},
    {6, 26, 48, 70},
    {6, 26, 50, 74},
    {6, 30, 54, 78},
    {6, 30, 56, 82},
    {6, 30, 58, 86},
    {6, 34, 62, 90},
    {6, 28, 50, 72, 94},
    {6, 26, 50, 74, 98},
    {6, 30, 54, 78, 102},
    {6, 28, 54, 80, 106},
    {6, 32, 58, 84, 110},
    {6, 30, 58, 86, 114},
    {6, 34, 62, 90, 118},
    {6, 26, 50, 74, 98, 122},
    {6, 30, 54, 78, 102, 126},
    {6, 26, 52, 78, 104, 130},
    {6, 30, 56, 82, 108, 134},
    {6, 34, 60, 86, 112, 138},
    {6, 30, 58, 86, 114, 142},
    {6, 34, 62, 90, 118, 146},
    {6, 30, 54, 78, 102, 126, 150},
    {6, 24, 50, 76, 102, 128, 154},
    {6, 28, 54, 80, 106, 132, 158},
    {6, 32, 58, 84, 110, 136, 162},
    {6, 26, 54, 82, 110, 138, 166},
    {6, 30, 58, 86, 114, 142, 170},
}};

constexpr int alignmentCount(int version) {
  int n = 0;
  for (int c : kAlignment[static_cast<std::size_t>(version)]) n += c != 0 ? 1 : 0;
  return n;
}

constexpr int dataModules(int version) {
  const int size = 17 + 4 * version;
  int modules = size * size;
  modules -= 3 * 64;            // three finders, each with its separator: 8 x 8
  modules -= 2 * 15 + 1;        // two copies of the format information, the dark module
  modules -= 2 * (size - 16);   // timing row and column between the separators
  const int n = alignmentCount(version);
  if (n > 0) {
    // n x n centres less the three on finders; those on the timing row or
    // column (2 * (n - 2)) share five modules with it.
    modules -= 25 * (n * n - 3) - 5 * 2 * (n - 2);
  }
  if (version >= 7) modules -= 2 * 18;  // two copies of the version information
  return modules;
}

// The block table and the geometry agree on every version's codeword count,
// and the last alignment centre sits where the spec puts it (size - 7).
constexpr bool tablesAgree() {
  for (int v = kQrMinVersion; v <= kQrMaxVersion; ++v) {
    if (kBlocksM[static_cast<std::size_t>(v)].totalCodewords() != dataModules(v) / 8) return false;
    const int n = alignmentCount(v);
    if (v == 1 ? n != 0 : kAlignment[static_cast<std::size_t>(v)][static_cast<std::size_t>(n - 1)] != 10 + 4 * v) {
      return false;
    }
  }
  return true;
}
static_assert(tablesAgree(), "QR Code level M block table or alignment table is inconsistent");

constexpr int kEccLevelM = 0b00;  // format information: L 01, M 00, Q 11, H 10

int alphanumericValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  constexpr std::string_view kSymbols = " $%*+-./:";
  const std::size_t at = kSymbols.find(c);
  return at == std::string_view::npos ? -1 : 36 + static_cast<int>(at);
}

int modeIndicator(QrMode mode) {
  switch (mode) {
    case QrMode::Numeric: return 0b0001;
    case QrMode::Alphanumeric: return 0b0010;
    case QrMode::Byte: return 0b0100;
  }
  return 0b0100;
}

// Table 3: bits of the character count indicator.
int countBits(QrMode mode, int version) {
  const std::size_t range = version <= 9 ? 0 : version <= 26 ? 1 : 2;
  static constexpr std::array<int, 3> kNumeric = {10, 12, 14};
  static constexpr std::array<int, 3> kAlphanumeric = {9, 11, 13};
  static constexpr std::array<int, 3> kByte = {8, 16, 16};
  switch (mode) {
    case QrMode::Numeric: return kNumeric[range];
    case QrMode::Alphanumeric: return kAlphanumeric[range];
    case QrMode::Byte: return kByte[range];
  }
  return kByte[range];
}

std::size_t payloadBits(QrMode mode, std::size_t length) {
  switch (mode) {
    case QrMode::Numeric: return 10 * (length / 3) + (length % 3 == 2 ? 7 : length % 3 == 1 ? 4 : 0);
    case QrMode::Alphanumeric: return 11 * (length / 2) + 6 * (length % 2);
    case QrMode::Byte: return 8 * length;
  }
  return 8 * length;
}

class BitBuffer {
 public:
  void append(std::uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) bits_.push_back(static_cast<std::uint8_t>((value >> i) & 1U));
  }
  std::size_t size() const { return bits_.size(); }
  std::vector<std::uint8_t> bytes() const {
    std::vector<std::uint8_t> out(bits_.size() / 8, 0);
    for (std::size_t i = 0; i < out.size() * 8; ++i) {
      out[i / 8] = static_cast<std::uint8_t>(out[i / 8] | (bits_[i] << (7 - i % 8)));
    }
    return out;
  }

 private:
  std::vector<std::uint8_t> bits_;
};

// The data codewords of the version (clause 7.4): ECI, mode, count, data,
// terminator, bit padding, pad codewords.
std::vector<std::uint8_t> dataCodewords(std::string_view text, QrMode mode, bool eci, int version) {
  const int capacity = kBlocksM[static_cast<std::size_t>(version)].dataCodewords();
  BitBuffer bits;
  if (eci) {
    bits.append(0b0111, 4);
    bits.append(26, 8);  // ECI 000026 (UTF-8) in one byte: 0bbbbbbb
  }
  bits.append(static_cast<std::uint32_t>(modeIndicator(mode)), 4);
  bits.append(static_cast<std::uint32_t>(text.size()), countBits(mode, version));
  switch (mode) {
    case QrMode::Numeric:
      for (std::size_t i = 0; i < text.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, text.size() - i);
        std::uint32_t value = 0;
        for (std::size_t k = 0; k < n; ++k) value = value * 10 + static_cast<std::uint32_t>(text[i + k] - '0');
        bits.append(value, n == 3 ? 10 : n == 2 ? 7 : 4);
      }
      break;
    case QrMode::Alphanumeric:
      for (std::size_t i = 0; i < text.size(); i += 2) {
        if (i + 1 < text.size()) {
          bits.append(static_cast<std::uint32_t>(alphanumericValue(text[i]) * 45 + alphanumericValue(text[i + 1])),
                      11);
        } else {
          bits.append(static_cast<std::uint32_t>(alphanumericValue(text[i])), 6);
        }
      }
      break;
    case QrMode::Byte:
      for (char c : text) bits.append(static_cast<unsigned char>(c), 8);
      break;
  }
  const std::size_t capacityBits = static_cast<std::size_t>(capacity) * 8;
  if (bits.size() > capacityBits) throw std::logic_error("QR Code data overflows the chosen version");
  bits.append(0, static_cast<int>(std::min<std::size_t>(4, capacityBits - bits.size())));  // terminator
  if (bits.size() % 8 != 0) bits.append(0, static_cast<int>(8 - bits.size() % 8));
  std::vector<std::uint8_t> out = bits.bytes();
  for (bool first = true; out.size() < static_cast<std::size_t>(capacity); first = !first) {
    out.push_back(first ? 0xEC : 0x11);
  }
  return out;
}

// Splits the data codewords into blocks, adds each block's error correction
// codewords and interleaves them (clause 7.6).
std::vector<std::uint8_t> finalCodewords(const std::vector<std::uint8_t>& data, int version) {
  const QrBlocks& b = kBlocksM[static_cast<std::size_t>(version)];
  std::vector<std::vector<std::uint8_t>> dataBlocks;
  std::vector<std::vector<std::uint8_t>> ecBlocks;
  std::size_t offset = 0;
  for (int i = 0; i < b.blocks(); ++i) {
    const std::size_t length = static_cast<std::size_t>(i < b.group1Blocks ? b.group1Data : b.group2Data);
    std::vector<std::uint8_t> block(data.begin() + static_cast<std::ptrdiff_t>(offset),
                                    data.begin() + static_cast<std::ptrdiff_t>(offset + length));
    offset += length;
    ecBlocks.push_back(rsErrorCorrection(block, b.ecPerBlock));
    dataBlocks.push_back(std::move(block));
  }
  std::vector<std::uint8_t> out;
  out.reserve(static_cast<std::size_t>(b.totalCodewords()));
  const std::size_t longest = static_cast<std::size_t>(std::max(b.group1Data, b.group2Data));
  for (std::size_t k = 0; k < longest; ++k) {
    for (const auto& block : dataBlocks) {
      if (k < block.size()) out.push_back(block[k]);
    }
  }
  for (std::size_t k = 0; k < static_cast<std::size_t>(b.ecPerBlock); ++k) {
    for (const auto& block : ecBlocks) out.push_back(block[k]);
  }
  return out;
}

// Remainder of value * x^degree(generator) divided by the generator (both
// as bit strings): the BCH check bits of format and version information.
std::uint32_t bchRemainder(std::uint32_t value, std::uint32_t generator, int degree) {
  std::uint32_t r = value << degree;
  for (int bit = 31; bit >= degree; --bit) {
    if (r & (1U << bit)) r ^= generator << (bit - degree);
  }
  return r;
}

// 15 bits: level and mask, BCH(15,5) with x^10+x^8+x^5+x^4+x^2+x+1, masked
// with 101010000010010 (clause 7.9.1).
std::uint32_t formatBits(int mask) {
  const auto data = static_cast<std::uint32_t>((kEccLevelM << 3) | mask);
  return ((data << 10) | bchRemainder(data, 0x537, 10)) ^ 0x5412;
}

// 18 bits: version and BCH(18,6) with x^12+x^11+x^10+x^9+x^8+x^5+x^2+1
// (clause 7.10).
std::uint32_t versionBits(int version) {
  const auto data = static_cast<std::uint32_t>(version);
  return (data << 12) | bchRemainder(data, 0x1F25, 12);
}

bool maskBit(int mask, int x, int y) {  // x = column j, y = row i
  switch (mask) {
    case 0: return (y + x) % 2 == 0;
    case 1: return y % 2 == 0;
    case 2: return x % 3 == 0;
    case 3: return (y + x) % 3 == 0;
    case 4: return (y / 2 + x / 3) % 2 == 0;
    case 5: return (y * x) % 2 + (y * x) % 3 == 0;
    case 6: return ((y * x) % 2 + (y * x) % 3) % 2 == 0;
    case 7: return ((y + x) % 2 + (y * x) % 3) % 2 == 0;
  }
  return false;
}

class Grid {
 public:
  explicit Grid(int version)
      : version_(version),
        size_(qrSymbolSize(version)),
        dark_(static_cast<std::size_t>(size_) * size_, 0),
        function_(dark_.size(), 0) {
    drawFunctionPatterns();
  }

  int size() const { return size_; }
  bool dark(int x, int y) const { return dark_[index(x, y)] != 0; }

  // Codeword bits in the two-column zigzag of clause 7.7.3, from the bottom
  // right corner, skipping the vertical timing column; modules left over
  // (remainder bits) stay light. Returns the number of data modules seen.
  int placeCodewords(const std::vector<std::uint8_t>& codewords) {
    const std::size_t totalBits = codewords.size() * 8;
    std::size_t next = 0;
    int seen = 0;
    bool upward = true;
    for (int right = size_ - 1; right > 0; right -= 2) {
      if (right == 6) right = 5;
      for (int step = 0; step < size_; ++step) {
        const int y = upward ? size_ - 1 - step : step;
        for (int x : {right, right - 1}) {
          if (function_[index(x, y)]) continue;
          ++seen;
          if (next < totalBits) {
            dark_[index(x, y)] = (codewords[next / 8] >> (7 - next % 8)) & 1U;
            ++next;
          }
        }
      }
      upward = !upward;
    }
    return seen;
  }

  void applyMask(int mask) {
    for (int y = 0; y < size_; ++y) {
      for (int x = 0; x < size_; ++x) {
        if (!function_[index(x, y)] && maskBit(mask, x, y)) dark_[index(x, y)] ^= 1;
      }
    }
  }

  // Both copies of the format information (figure 25).
  void drawFormat(int mask) {
    const std::uint32_t bits = formatBits(mask);
    auto bit = [&](int i) { return ((bits >> i) & 1U) != 0; };
    for (int i = 0; i <= 5; ++i) set(8, i, bit(i));
    set(8, 7, bit(6));
    set(8, 8, bit(7));
    set(7, 8, bit(8));
    for (int i = 9; i <= 14; ++i) set(14 - i, 8, bit(i));
    for (int i = 0; i <= 7; ++i) set(size_ - 1 - i, 8, bit(i));
    for (int i = 8; i <= 14; ++i) set(8, size_ - 15 + i, bit(i));
    set(8, size_ - 8, true);  // the dark module
  }

  ModuleMatrix toMatrix() const {
    ModuleMatrix m;
    m.width = size_;
    m.height = size_;
    m.dark = dark_;
    return m;
  }

 private:
  std::size_t index(int x, int y) const { return static_cast<std::size_t>(y) * size_ + x; }

  void set(int x, int y, bool dark) {
    dark_[index(x, y)] = dark ? 1 : 0;
    function_[index(x, y)] = 1;
  }

  void drawFunctionPatterns() {
    // Finders with their light separators.
    for (auto [fx, fy] : {std::pair{0, 0}, std::pair{size_ - 7, 0}, std::pair{0, size_ - 7}}) {
      for (int dy = -1; dy <= 7; ++dy) {
        for (int dx = -1; dx <= 7; ++dx) {
          const int x = fx + dx;
          const int y = fy + dy;
          if (x < 0 || y < 0 || x >= size_ || y >= size_) continue;
          const int ring = std::max(std::abs(dx - 3), std::abs(dy - 3));  // 0 centre .. 4 separator
          set(x, y, ring != 2 && ring != 4);
        }
      }
    }
    // Timing patterns.
    for (int i = 8; i < size_ - 8; ++i) {
      set(i, 6, i % 2 == 0);
      set(6, i, i % 2 == 0);
    }
    // Alignment patterns, except where a finder is.
    const auto& centres = kAlignment[static_cast<std::size_t>(version_)];
    const int n = alignmentCount(version_);
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) {
        const bool onFinder = (a == 0 && b == 0) || (a == 0 && b == n - 1) || (a == n - 1 && b == 0);
        if (onFinder) continue;
        const int cx = centres[static_cast<std::size_t>(a)];
        const int cy = centres[static_cast<std::size_t>(b)];
        for (int dy = -2; dy <= 2; ++dy) {
          for (int dx = -2; dx <= 2; ++dx) set(cx + dx, cy + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
        }
      }
    }
    // Format information areas (filled per mask) and the dark module.
    drawFormat(0);
    // Version information, bottom-left and top-right blocks of 6 x 3.
    if (version_ >= 7) {
      const std::uint32_t bits = versionBits(version_);
      for (int i = 0; i < 18; ++i) {
        const bool d = ((bits >> i) & 1U) != 0;
        const int a = size_ - 11 + i % 3;
        const int b = i / 3;
        set(a, b, d);
        set(b, a, d);
      }
    }
  }

  int version_;
  int size_;
  std::vector<std::uint8_t> dark_;
  std::vector<std::uint8_t> function_;
};

// Light outside the symbol (the quiet zone).
bool lightRun(const std::vector<std::uint8_t>& line, int from, int to) {
  for (int k = std::max(from, 0); k < std::min(to, static_cast<int>(line.size())); ++k) {
    if (line[static_cast<std::size_t>(k)]) return false;
  }
  return true;
}

// Rules 1 and 3 on one row or column.
int linePenalty(const std::vector<std::uint8_t>& line) {
  int penalty = 0;
  const int n = static_cast<int>(line.size());
  // Rule 1: a run of 5 + i modules of one colour costs 3 + i.
  int run = 1;
  for (int k = 1; k <= n; ++k) {
    if (k < n && line[static_cast<std::size_t>(k)] == line[static_cast<std::size_t>(k - 1)]) {
      ++run;
      continue;
    }
    if (run >= 5) penalty += 3 + (run - 5);
    run = 1;
  }
  // Rule 3: dark-light-dark-dark-dark-light-dark (1:1:3:1:1) with four light
  // modules before or after it costs 40.
  static constexpr std::array<std::uint8_t, 7> kFinderLike = {1, 0, 1, 1, 1, 0, 1};
  for (int k = 0; k + 7 <= n; ++k) {
    if (!std::equal(kFinderLike.begin(), kFinderLike.end(), line.begin() + k)) continue;
    if (lightRun(line, k - 4, k) || lightRun(line, k + 7, k + 11)) penalty += 40;
  }
  return penalty;
}

int penalty(const Grid& g) {
  const int n = g.size();
  int total = 0;
  std::vector<std::uint8_t> line(static_cast<std::size_t>(n));
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) line[static_cast<std::size_t>(x)] = g.dark(x, y) ? 1 : 0;
    total += linePenalty(line);
  }
  for (int x = 0; x < n; ++x) {
    for (int y = 0; y < n; ++y) line[static_cast<std::size_t>(y)] = g.dark(x, y) ? 1 : 0;
    total += linePenalty(line);
  }
  // Rule 2: each 2 x 2 block of one colour costs 3.
  for (int y = 0; y + 1 < n; ++y) {
    for (int x = 0; x + 1 < n; ++x) {
      const bool d = g.dark(x, y);
      if (g.dark(x + 1, y) == d && g.dark(x, y + 1) == d && g.dark(x + 1, y + 1) == d) total += 3;
    }
  }
  // Rule 4: 10 for every full 5 % the dark share is away from 50 %.
  long darkCount = 0;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) darkCount += g.dark(x, y) ? 1 : 0;
  }
  const long cells = static_cast<long>(n) * n;
  total += 10 * static_cast<int>(std::abs(2 * darkCount - cells) * 10 / cells);
  return total;
}

}  // namespace

const QrBlocks& qrBlocksLevelM(int version) {
  if (version < kQrMinVersion || version > kQrMaxVersion) throw std::out_of_range("QR Code version");
  return kBlocksM[static_cast<std::size_t>(version)];
}

int qrSymbolSize(int version) noexcept { return 17 + 4 * version; }

int qrDataModules(int version) noexcept {
  return version < kQrMinVersion || version > kQrMaxVersion ? 0 : dataModules(version);
}

QrMode qrModeFor(std::string_view text) noexcept {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return QrMode::Numeric;
  if (std::all_of(text.begin(), text.end(), [](char c) { return alphanumericValue(c) >= 0; })) {
    return QrMode::Alphanumeric;
  }
  return QrMode::Byte;
}

Result<QrSymbol> encodeQrCode(std::string_view text, int forcedMask) {
  const QrMode mode = qrModeFor(text);
  const bool eci = mode == QrMode::Byte &&
                   std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  int version = 0;
  for (int v = kQrMinVersion; v <= kQrMaxVersion && version == 0; ++v) {
    const int count = countBits(mode, v);
    const std::size_t bits = (eci ? 12 : 0) + 4 + static_cast<std::size_t>(count) + payloadBits(mode, text.size());
    const bool countFits = text.size() < (std::size_t{1} << count);
    if (countFits && bits <= static_cast<std::size_t>(kBlocksM[static_cast<std::size_t>(v)].dataCodewords()) * 8) {
      version = v;
    }
  }
  if (version == 0) {
    return makeError(ErrorKind::TooLarge, "QR Code data is " + std::to_string(text.size()) +
                                              " bytes, more than version 40 at level M holds");
  }

  const std::vector<std::uint8_t> codewords = finalCodewords(dataCodewords(text, mode, eci, version), version);
  Grid base(version);
  const int modules = base.placeCodewords(codewords);
  if (modules != qrDataModules(version) || modules / 8 != static_cast<int>(codewords.size())) {
    return makeError(ErrorKind::Internal, "QR Code version " + std::to_string(version) +
                                              " geometry does not match its codeword count");
  }

  int bestMask = forcedMask;
  if (bestMask < 0 || bestMask > 7) {
    int bestPenalty = 0;
    for (int mask = 0; mask < 8; ++mask) {
      Grid candidate = base;
      candidate.applyMask(mask);
      candidate.drawFormat(mask);
      const int p = penalty(candidate);
      if (mask == 0 || p < bestPenalty) {
        bestPenalty = p;
        bestMask = mask;
      }
    }
  }
  base.applyMask(bestMask);
  base.drawFormat(bestMask);
  return QrSymbol{base.toMatrix(), version, bestMask};
}

}  // namespace wms::labels::barcode
