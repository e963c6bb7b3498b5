#include "DecodeWorker.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "Passes.h"
#include "WorkerIo.h"
#include "WorkerProtocol.h"
#include "wms/handheld/Decoder.h"

namespace wms::handheld::detail {
namespace {

bool startsWith(const std::vector<std::uint8_t>& pixels, std::string_view marker) {
  return pixels.size() >= marker.size() && std::memcmp(pixels.data(), marker.data(), marker.size()) == 0;
}

// Anything unexpected from the parent means the connection is not ours any
// more: stop quietly rather than guess.
[[noreturn]] void quit(int code) { ::_exit(code); }

void send(int fd, const std::vector<std::uint8_t>& bytes) {
  if (writeAll(fd, bytes.data(), bytes.size()) != IoStatus::Ok) quit(0);
}

}  // namespace

void runDecodeWorker(int fd) {
  std::vector<std::uint8_t> header(kHeaderSize), fixed(kRequestFixedSize), pixels;
  for (;;) {
    IoStatus st = readExact(fd, header.data(), header.size(), std::nullopt);
    if (st != IoStatus::Ok) quit(0);
    auto h = decodeHeader(header, kRequestFixedSize + static_cast<std::size_t>(kMaxFramePixels));
    if (!h || h->type != MessageType::Request || h->length < kRequestFixedSize) quit(2);
    if (readExact(fd, fixed.data(), fixed.size(), std::nullopt) != IoStatus::Ok) quit(0);
    auto q = decodeRequest(fixed, h->length);
    if (!q) quit(2);
    pixels.resize(static_cast<std::size_t>(q->width) * static_cast<std::size_t>(q->height));
    if (readExact(fd, pixels.data(), pixels.size(), std::nullopt) != IoStatus::Ok) quit(0);

    PassSettings settings{(q->flags & kFlagSafe) != 0};
    if (q->flags & kFlagTestHooks) {
      if (startsWith(pixels, kTestAlwaysAbortMarker)) std::abort();
      if (!settings.safe && startsWith(pixels, kTestAbortMarker)) std::abort();
      if (!settings.safe && startsWith(pixels, kTestHangMarker))
        for (;;) ::pause();
    }

    int passesRun = 0;
    PassCallbacks callbacks;
    callbacks.started = [&](int pass) {
      ++passesRun;
      send(fd, encodePassStarted(q->id, pass));
    };
    callbacks.found = [&](const Barcode& b, int pass) { send(fd, encodeFound(q->id, pass, b)); };
    GreyView view{pixels.data(), q->width, q->height, q->width};
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
