#include "wms/fwbridge/Cobs.h"

namespace wms::fwbridge {

std::vector<std::uint8_t> cobsEncode(std::span<const std::uint8_t> data) {
  std::vector<std::uint8_t> out;
  out.reserve(cobsMaxEncodedSize(data.size()));
  std::size_t codeAt = 0;
  out.push_back(0);  // placeholder for the first code byte
  std::uint8_t code = 1;
  for (std::uint8_t b : data) {
    if (b == 0) {
      out[codeAt] = code;
      codeAt = out.size();
      out.push_back(0);
      code = 1;
      continue;
    }
    out.push_back(b);
    ++code;
    if (code == 0xFF) {
      // A full block of 254 non-zero bytes carries no implied zero.
      out[codeAt] = code;
      codeAt = out.size();
      out.push_back(0);
      code = 1;
    }
  }
  out[codeAt] = code;
  return out;
}

Result<std::vector<std::uint8_t>> cobsDecode(std::span<const std::uint8_t> encoded) {
  std::vector<std::uint8_t> out;
  out.reserve(encoded.size());
  std::size_t i = 0;
  while (i < encoded.size()) {
    const std::uint8_t code = encoded[i];
    if (code == 0)
      return makeError(ErrorKind::Malformed, "COBS: zero byte inside a frame at offset " + std::to_string(i));
    const std::size_t blockEnd = i + code;
    if (blockEnd > encoded.size()) {
      return makeError(ErrorKind::Malformed,
                       "COBS: block at offset " + std::to_string(i) + " runs past the frame's end");
    }
    for (std::size_t j = i + 1; j < blockEnd; ++j) {
      if (encoded[j] == 0)
        return makeError(ErrorKind::Malformed,
                         "COBS: zero byte inside a frame at offset " + std::to_string(j));
      out.push_back(encoded[j]);
    }
    i = blockEnd;
    // A block shorter than 255 stands for its data and one zero, except at the
    // very end where the zero is the delimiter's.
    if (code != 0xFF && i < encoded.size()) out.push_back(0);
  }
  return out;
}

}  // namespace wms::fwbridge
