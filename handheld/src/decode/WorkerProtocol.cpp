#include "WorkerProtocol.h"

#include "wms/handheld/Frame.h"

namespace wms::handheld::detail {
namespace {

class Writer {
 public:
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) {
    for (int i = 0; i < 2; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void bytes(const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }
  std::vector<std::uint8_t> out;
};

// Every read checks that the bytes are there first.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> b) : b_(b) {}
  bool u8(std::uint8_t& v) {
    if (left() < 1) return false;
    v = b_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& v) {
    if (left() < 2) return false;
    v = static_cast<std::uint16_t>(b_[pos_] | (b_[pos_ + 1] << 8));
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t& v) {
    if (left() < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<std::uint32_t>(b_[pos_ + static_cast<std::size_t>(i)]) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool bytes(std::size_t n, std::string& s) {
    if (left() < n) return false;
    s.assign(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  std::size_t left() const { return b_.size() - pos_; }

 private:
  std::span<const std::uint8_t> b_;
  std::size_t pos_ = 0;
};

Error malformed(const std::string& what) {
  return makeError(ErrorKind::Malformed, "decode worker message: " + what);
}

std::vector<std::uint8_t> framed(MessageType type, const Writer& body) {
  auto out = encodeHeader(type, static_cast<std::uint32_t>(body.out.size()));
  out.insert(out.end(), body.out.begin(), body.out.end());
  return out;
}

}  // namespace

std::vector<std::uint8_t> encodeHeader(MessageType type, std::uint32_t length) {
  Writer w;
  w.u32(kProtocolMagic);
  w.u16(static_cast<std::uint16_t>(type));
  w.u16(0);
  w.u32(length);
  return w.out;
}

Result<MessageHeader> decodeHeader(std::span<const std::uint8_t> bytes, std::size_t maxLength) {
  Reader r(bytes);
  std::uint32_t magic = 0, length = 0;
  std::uint16_t type = 0, reserved = 0;
  if (!r.u32(magic) || !r.u16(type) || !r.u16(reserved) || !r.u32(length))
    return malformed("truncated header");
  if (magic != kProtocolMagic) return malformed("bad magic");
  if (type != 1 && type != 3 && type != 4) return malformed("unknown type " + std::to_string(type));
  if (length > maxLength)
    return makeError(ErrorKind::TooLarge, "decode worker message: body of " + std::to_string(length) +
                                              " bytes exceeds " + std::to_string(maxLength));
  return MessageHeader{static_cast<MessageType>(type), length};
}

std::vector<std::uint8_t> encodeRequest(const DecodeRequest& q) {
  Writer w;
  w.u32(q.id);
  w.u32(q.formats.bits());
  w.u16(static_cast<std::uint16_t>(q.maxSymbols));
  w.u16(static_cast<std::uint16_t>(q.firstPass));
  w.u32(q.flags);
  w.u32(static_cast<std::uint32_t>(q.width));
  w.u32(static_cast<std::uint32_t>(q.height));
  return framed(MessageType::Request, w);
}

Result<DecodeRequest> decodeRequest(std::span<const std::uint8_t> body) {
  if (body.size() != kRequestFixedSize)
    return malformed("request of " + std::to_string(body.size()) + " bytes");
  Reader r(body);
  DecodeRequest q;
  std::uint32_t formats = 0, width = 0, height = 0;
  std::uint16_t maxSymbols = 0, firstPass = 0;
  if (!r.u32(q.id) || !r.u32(formats) || !r.u16(maxSymbols) || !r.u16(firstPass) || !r.u32(q.flags) ||
      !r.u32(width) || !r.u32(height))
    return malformed("truncated request");
  if (auto st = checkFrameSize(width, height); !st) return malformed("request " + st.error().message);
  if (maxSymbols < 1 || maxSymbols > 255) return malformed("request maxSymbols out of range");
  q.formats = FormatSet::fromBits(formats);
  if (q.formats.empty()) return malformed("request has no formats");
  q.maxSymbols = maxSymbols;
  q.firstPass = firstPass;
  q.width = static_cast<int>(width);
  q.height = static_cast<int>(height);
  return q;
}

std::vector<std::uint8_t> encodeFound(std::uint32_t id, int pass, const Barcode& b) {
  Writer w;
  w.u32(id);
  w.u16(static_cast<std::uint16_t>(pass));
  w.u8(static_cast<std::uint8_t>(b.format));
  for (int c : b.corners) w.u32(static_cast<std::uint32_t>(c));
  std::string text = b.text.substr(0, kMaxBarcodeText);
  std::string sym = b.symbology.substr(0, kMaxSymbologyId);
  w.u32(static_cast<std::uint32_t>(text.size()));
  w.bytes(text);
  w.u8(static_cast<std::uint8_t>(sym.size()));
  w.bytes(sym);
  return framed(MessageType::Found, w);
}

std::vector<std::uint8_t> encodeDone(std::uint32_t id, int passesRun, int count) {
  Writer w;
  w.u32(id);
  w.u16(static_cast<std::uint16_t>(passesRun));
  w.u16(static_cast<std::uint16_t>(count));
  return framed(MessageType::Done, w);
}

Result<WorkerMessage> decodeWorkerMessage(MessageType type, std::span<const std::uint8_t> body) {
  Reader r(body);
  WorkerMessage m;
  m.type = type;
  std::uint16_t a = 0, b = 0;
  switch (type) {
    case MessageType::Found: {
      std::uint8_t format = 0, symLen = 0;
      std::uint32_t textLen = 0;
      if (!r.u32(m.id) || !r.u16(a) || !r.u8(format)) return malformed("truncated Found");
      if (format >= kBarcodeFormatCount) return malformed("unknown barcode format " + std::to_string(format));
      m.pass = a;
      m.barcode.format = static_cast<BarcodeFormat>(format);
      for (int& c : m.barcode.corners) {
        std::uint32_t v = 0;
        if (!r.u32(v)) return malformed("truncated Found corners");
        c = static_cast<int>(v);
      }
      if (!r.u32(textLen)) return malformed("truncated Found text length");
      if (textLen > kMaxBarcodeText)
        return malformed("Found text of " + std::to_string(textLen) + " bytes is too long");
      if (!r.bytes(textLen, m.barcode.text)) return malformed("truncated Found text");
      if (!r.u8(symLen)) return malformed("truncated Found symbology length");
      if (symLen > kMaxSymbologyId) return malformed("Found symbology identifier too long");
      if (!r.bytes(symLen, m.barcode.symbology)) return malformed("truncated Found symbology");
      break;
    }
    case MessageType::Done:
      if (!r.u32(m.id) || !r.u16(a) || !r.u16(b)) return malformed("truncated Done");
      m.passesRun = a;
      m.count = b;
      break;
    case MessageType::Request:
      return malformed("a worker does not send requests");
  }
  if (r.left() != 0) return malformed(std::to_string(r.left()) + " unexpected trailing bytes");
  return m;
}

}  // namespace wms::handheld::detail
