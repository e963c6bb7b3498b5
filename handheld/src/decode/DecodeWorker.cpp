#include "DecodeWorker.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "Passes.h"
#include "SharedFrame.h"
#include "WorkerIo.h"
#include "WorkerProtocol.h"
#include "wms/handheld/Decoder.h"

namespace wms::handheld::detail {
namespace {

bool startsWith(const std::uint8_t* pixels, std::size_t size, std::string_view marker) {
  return size >= marker.size() && std::memcmp(pixels, marker.data(), marker.size()) == 0;
}

// Anything unexpected from the parent means the connection is not ours any
// more: stop quietly rather than guess.
[[noreturn]] void quit(int code) {
  ::_exit(code);
}

void send(int fd, const std::vector<std::uint8_t>& bytes) {
  if (writeAll(fd, bytes.data(), bytes.size()) != IoStatus::Ok) quit(0);
}

}  // namespace

void runDecodeWorker(int fd, int sharedFd) {
  SharedFrame shared;
  if (!shared.attach(sharedFd)) quit(2);
  std::vector<std::uint8_t> header(kHeaderSize), body(kRequestFixedSize);
  for (;;) {
    if (readExact(fd, header.data(), header.size(), std::nullopt) != IoStatus::Ok) quit(0);
    auto h = decodeHeader(header, kRequestFixedSize);
    if (!h || h->type != MessageType::Request || h->length != kRequestFixedSize) quit(2);
    if (readExact(fd, body.data(), body.size(), std::nullopt) != IoStatus::Ok) quit(0);
    auto q = decodeRequest(body);
    if (!q) quit(2);
    const std::size_t size = static_cast<std::size_t>(q->width) * static_cast<std::size_t>(q->height);
    if (!shared.reserve(size)) quit(2);
    const std::uint8_t* pixels = shared.pixels();

    PassSettings settings{(q->flags & kFlagSafe) != 0};
    if (q->flags & kFlagTestHooks) {
      if (startsWith(pixels, size, kTestAlwaysAbortMarker)) std::abort();
      if (!settings.safe && startsWith(pixels, size, kTestAbortMarker)) std::abort();
      if (!settings.safe && startsWith(pixels, size, kTestHangMarker))
        for (;;) ::pause();
    }

    int passesRun = 0;
    PassCallbacks callbacks;
    callbacks.started = [&](int pass) {
      ++passesRun;
      shared.control()->pass.store(static_cast<std::uint32_t>(pass), std::memory_order_release);
    };
    const bool abortAfterFound =
        (q->flags & kFlagTestHooks) && !settings.safe && startsWith(pixels, size, kTestAbortAfterFoundMarker);
    callbacks.found = [&](const Barcode& b, int pass) {
      send(fd, encodeFound(q->id, pass, b));
      if (abortAfterFound) std::abort();
    };
    GreyView view{pixels, q->width, q->height, q->width};
    std::vector<Barcode> found;
    try {
      found = runPasses(view, q->formats, q->maxSymbols, q->firstPass, settings, callbacks);
    } catch (...) {
      // Out of memory on a huge frame and the like: report nothing found
      // for this frame and stay up for the next.
    }
    send(fd, encodeDone(q->id, passesRun, static_cast<int>(found.size())));
  }
}

}  // namespace wms::handheld::detail
