#include "barcode/ReedSolomon.h"

#include <array>
#include <stdexcept>

namespace wms::labels::barcode {
namespace {

// Powers of a = 2 (twice over, so a product needs no modulo) and their
// logarithms, built once at compile time.
struct Tables {
  std::array<std::uint8_t, 512> exp{};
  std::array<int, 256> log{};
};

constexpr Tables makeTables() {
  Tables t;
  int x = 1;
  for (int i = 0; i < 255; ++i) {
    t.exp[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(x);
    t.log[static_cast<std::size_t>(x)] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11D;
  }
  for (int i = 255; i < 512; ++i) t.exp[static_cast<std::size_t>(i)] = t.exp[static_cast<std::size_t>(i - 255)];
  return t;
}

constexpr Tables kTables = makeTables();

}  // namespace

std::uint8_t gfMultiply(std::uint8_t a, std::uint8_t b) noexcept {
  if (a == 0 || b == 0) return 0;
  return kTables.exp[static_cast<std::size_t>(kTables.log[a] + kTables.log[b])];
}

std::vector<std::uint8_t> rsGeneratorPolynomial(int degree) {
  if (degree < 1 || degree > 254) throw std::invalid_argument("rsGeneratorPolynomial: degree out of range");
  // poly holds all coefficients, highest first, starting from the constant 1;
  // each round multiplies by (x + a^i) (minus is plus in GF(2^8)).
  std::vector<std::uint8_t> poly{1};
  for (int i = 0; i < degree; ++i) {
    const std::uint8_t root = kTables.exp[static_cast<std::size_t>(i)];
    std::vector<std::uint8_t> next(poly.size() + 1, 0);
    for (std::size_t k = 0; k < poly.size(); ++k) {
      next[k] ^= poly[k];                            // times x
      next[k + 1] ^= gfMultiply(poly[k], root);      // times a^i
    }
    poly = std::move(next);
  }
  return std::vector<std::uint8_t>(poly.begin() + 1, poly.end());
}

std::vector<std::uint8_t> rsErrorCorrection(std::span<const std::uint8_t> data, int ecCount) {
  const std::vector<std::uint8_t> generator = rsGeneratorPolynomial(ecCount);
  // Polynomial long division, one data codeword at a time: the remainder
  // register shifts up one place and the leading term is cancelled.
  std::vector<std::uint8_t> remainder(static_cast<std::size_t>(ecCount), 0);
  for (std::uint8_t codeword : data) {
    const std::uint8_t factor = codeword ^ remainder.front();
    remainder.erase(remainder.begin());
    remainder.push_back(0);
    for (std::size_t k = 0; k < remainder.size(); ++k) remainder[k] ^= gfMultiply(generator[k], factor);
  }
  return remainder;
}

}  // namespace wms::labels::barcode
