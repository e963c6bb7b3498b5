// libFuzzer target: saved workflow state as read back from the outbox file
// (src/workflow/FlowState.cpp). Whatever decodes must restore or be
// refused, draw a screen, and encode to something that decodes again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wms/handheld/FlowState.h"

using namespace wms::handheld;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto pick = decodePickState(text)) {
    PickFlow f(PickFlow::Options{"HH-07", {}, 2, "packing"});
    if (f.restore(*pick)) {
      (void)f.screen();
      (void)f.expectation();
      (void)f.handle(KeyPress{Key::Enter});
    }
    auto again = decodePickState(encodePickState(*pick));
    if (!again || !(*again == *pick)) __builtin_trap();
  }
  if (auto pack = decodePackState(text)) {
    PackFlow::Options o;
    o.device = "PK-02";
    PackFlow f(o);
    if (f.restore(*pack)) {
      (void)f.screen();
      (void)f.expectation();
      (void)f.handle(KeyPress{Key::Enter});
    }
    auto again = decodePackState(encodePackState(*pack));
    if (!again || !(*again == *pack)) __builtin_trap();
  }
  if (auto receive = decodeReceiveState(text)) {
    ReceiveFlow f(ReceiveFlow::Options{"HH-07", std::nullopt, 10000, {}});
    if (f.restore(*receive)) {
      (void)f.screen();
      (void)f.expectation();
      (void)f.handle(KeyPress{Key::Enter});
    }
    auto again = decodeReceiveState(encodeReceiveState(*receive));
    if (!again || !(*again == *receive)) __builtin_trap();
  }
  if (auto putaway = decodePutawayState(text)) {
    PutawayFlow f(PutawayFlow::Options{"HH-07", std::nullopt, {}});
    if (f.restore(*putaway)) {
      (void)f.screen();
      (void)f.expectation();
      (void)f.handle(KeyPress{Key::Enter});
    }
    auto again = decodePutawayState(encodePutawayState(*putaway));
    if (!again || !(*again == *putaway)) __builtin_trap();
  }
  if (auto replenish = decodeReplenishState(text)) {
    ReplenishFlow f(ReplenishFlow::Options{"HH-07", {}});
    if (f.restore(*replenish)) {
      (void)f.screen();
      (void)f.expectation();
      (void)f.handle(KeyPress{Key::Enter});
    }
    auto again = decodeReplenishState(encodeReplenishState(*replenish));
    if (!again || !(*again == *replenish)) __builtin_trap();
  }
  if (auto count = decodeCountState(text)) {
    CountFlow f(CountFlow::Options{"HH-07", {}});
    if (f.restore(*count)) {
      (void)f.screen();
      (void)f.expectation();
      (void)f.handle(KeyPress{Key::Enter});
    }
    auto again = decodeCountState(encodeCountState(*count));
    if (!again || !(*again == *count)) __builtin_trap();
  }
  return 0;
}
