// The messages between a Decoder and its worker process, over a stream
// socket. Each message is a 12-byte header (magic, type, body length) and a
// body; every decode function checks lengths and limits before reading, so a
// worker that dies mid-message or sends garbage is an Error, not a crash.
// The pixels and the pass being run are in shared memory (SharedFrame.h).
//
//   parent -> worker   Request  id, formats, maxSymbols, firstPass, flags, width, height
//   worker -> parent   Found    id, pass, barcode      (as barcodes are found)
//                      Done     id, passesRun, count   (the end of one request)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/Barcode.h"

namespace wms::handheld::detail {

inline constexpr std::uint32_t kProtocolMagic = 0x444d5357;  // "WSMD" little-endian
inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kRequestFixedSize = 24;
inline constexpr std::size_t kMaxWorkerMessage = 64 * 1024;  // anything the worker sends
inline constexpr std::size_t kMaxBarcodeText = 8192;
inline constexpr std::size_t kMaxSymbologyId = 8;

enum class MessageType : std::uint16_t { Request = 1, Found = 3, Done = 4 };

enum RequestFlags : std::uint32_t {
  kFlagSafe = 1u << 0,       // use PassSettings::safe
  kFlagTestHooks = 1u << 1,  // honour the test markers (Decoder.h)
};

struct MessageHeader {
  MessageType type = MessageType::Request;
  std::uint32_t length = 0;  // body bytes
};

struct DecodeRequest {
  std::uint32_t id = 0;
  FormatSet formats;
  int maxSymbols = 1;
  int firstPass = 0;
  std::uint32_t flags = 0;
  int width = 0;
  int height = 0;
};

struct WorkerMessage {
  MessageType type = MessageType::Done;
  std::uint32_t id = 0;
  int pass = 0;       // Found
  Barcode barcode;    // Found
  int passesRun = 0;  // Done
  int count = 0;      // Done
};

std::vector<std::uint8_t> encodeHeader(MessageType type, std::uint32_t length);
// Checks magic, type and length (TooLarge above `maxLength`).
Result<MessageHeader> decodeHeader(std::span<const std::uint8_t> bytes, std::size_t maxLength);

// A request, header included.
std::vector<std::uint8_t> encodeRequest(const DecodeRequest& request);
// Checks a request body (its frame size, formats and symbol count).
Result<DecodeRequest> decodeRequest(std::span<const std::uint8_t> body);

std::vector<std::uint8_t> encodeFound(std::uint32_t id, int pass, const Barcode& barcode);
std::vector<std::uint8_t> encodeDone(std::uint32_t id, int passesRun, int count);
// Decodes a worker message body of the given type.
Result<WorkerMessage> decodeWorkerMessage(MessageType type, std::span<const std::uint8_t> body);

}  // namespace wms::handheld::detail
