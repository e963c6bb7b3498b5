// Reed-Solomon error correction codewords over GF(256) as QR Code uses them
// (ISO/IEC 18004 clause 7.5.2 and annex A): the field is built on the
// primitive polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), the generator
// polynomial of degree n is (x - a^0)(x - a^1)...(x - a^(n-1)) with a = 2.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wms::labels::barcode {

// Product of two field elements.
std::uint8_t gfMultiply(std::uint8_t a, std::uint8_t b) noexcept;

// Coefficients of the monic generator polynomial of degree `degree`, highest
// power first, the leading 1 left out (so `degree` entries).
std::vector<std::uint8_t> rsGeneratorPolynomial(int degree);

// The `ecCount` error correction codewords of one block: the remainder of
// data(x) * x^ecCount divided by the generator polynomial, highest first.
std::vector<std::uint8_t> rsErrorCorrection(std::span<const std::uint8_t> data, int ecCount);

}  // namespace wms::labels::barcode
