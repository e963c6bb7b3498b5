// libFuzzer target: any sequence of picker inputs, typed lines and server
// answers through the pick, pack, receive, put-away, replenish and count state machines
// (src/workflow/), and
// their screens laid out at any size (src/ui/Layout.cpp). Properties: no
// crash, and every event a flow wants sent is a valid protocol message
// (nothing is sent that should not be).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wms/handheld/Layout.h"
#include "wms/handheld/CountFlow.h"
#include "wms/handheld/PackFlow.h"
#include "wms/handheld/PickFlow.h"
#include "wms/handheld/PutawayFlow.h"
#include "wms/handheld/ReceiveFlow.h"
#include "wms/handheld/ReplenishFlow.h"
#include "wms/handheld/TypedInput.h"
#include "wms/protocol/Codec.h"

using namespace wms;
using namespace wms::handheld;

namespace {

protocol::TaskAssign task() {
  protocol::TaskAssign t;
  t.device = "HH-07";
  t.batchId = "B-1";
  t.waveId = "W-1";
  t.rev = 1;
  t.totes = {{"A1", "T-1"}, {"A2", "T-2"}};
  t.stops = {{"S1", 10, "A-01-01-1", "APPLE", "Apples", {"4006381333931"}, 3, std::nullopt, std::nullopt,
              {{"T-1", 2, "O1", "L1"}, {"T-2", 1, "O2", "L2"}}},
             {"S2", 20, "A-02-01-1", "BREAD", "Bread", {"036000291452", "INT-B"}, 1, std::string("L7"),
              std::string("2025-07-01"), {{"T-1", 1, "O1", "L3"}}}};
  return t;
}

protocol::PackTask packTask() {
  protocol::PackTask t;
  t.device = "HH-07";
  t.orderId = "SO-1";
  t.channel = "shopee";
  t.lines = {{"L1", "MUG", "Mug", {"4006381333931"}, 2}, {"L2", "VITC", "Vit C", {"96385074"}, 1}};
  return t;
}

protocol::ReceiveTask receiveTask(bool blind) {
  protocol::ReceiveTask t;
  t.device = "HH-07";
  t.po = "PO-1";
  t.supplier = "Acme";
  t.lines = {{"1", "VITC", "Vit C", {"96385074"}, 20, 0, std::nullopt, std::nullopt},
             {"2", "BREAD", "Bread", {"036000291452", "INT-B"}, 5, 4, std::string("L7"), std::string("2026-07-01")}};
  if (blind)
    for (auto& l : t.lines) l.qty.reset();
  t.units = {"106141411234567897"};
  return t;
}

protocol::PutawayTask putawayTask(bool suggested) {
  protocol::PutawayTask t;
  t.device = "HH-07";
  t.sku = "VITC";
  t.description = "Vit C";
  t.barcodes = {"96385074"};
  t.from = "DOCK-1";
  t.qty = 6;
  if (suggested) t.to = "A-01-01-1";
  t.rule = "pick face";
  return t;
}

// No moves (with a note), or two: R-01-01-1 -> A-01-01-1 and DOCK-1 -> A-02-01-1.
protocol::ReplenishTask replenishTask(int variant) {
  protocol::ReplenishTask t;
  t.device = "HH-07";
  if (variant == 0) {
    t.note = "nothing to refill";
    return t;
  }
  t.moves = {{"VITC", "Vit C", {"96385074"}, "R-01-01-1", "A-01-01-1", std::string("L7"), std::string("2026-07-01"),
              variant, "low"},
             {"BREAD", "Bread", {"036000291452", "INT-B"}, "DOCK-1", "A-02-01-1", std::nullopt, std::nullopt, 5, "r"}};
  return t;
}

// No counts, or counts at two locations (the second a recount).
protocol::CountTask countTask(int variant) {
  protocol::CountTask t;
  t.device = "HH-07";
  if (variant == 0) return t;
  t.counts = {{variant, "A-01-01-1", "APPLE", "Apples", {"4006381333931"}, std::nullopt, std::nullopt, false},
              {variant + 1, "A-01-01-1", "VITC", "Vit C", {"96385074"}, std::nullopt, std::nullopt, false},
              {variant + 2, "A-02-01-1", "BREAD", "Bread", {"036000291452"}, std::nullopt, std::nullopt, true}};
  return t;
}

// Ids of events the flows sent, so that outcomes can refer to them.
struct Sent {
  std::vector<protocol::Message> events;
};

void check(const Effects& fx, Sent& sent) {
  for (auto e : fx.events) {
    auto& base = protocol::baseOf(e);
    base.device = "HH-07";
    std::visit(
        [](auto& m) {
          if constexpr (std::is_base_of_v<protocol::EventBase, std::decay_t<decltype(m)>>) m.eventId = "x-1";
        },
        e);
    if (!protocol::validate(e)) __builtin_trap();
    sent.events.push_back(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  PickFlow pick(PickFlow::Options{"HH-07", {2025}, 2, "packing"});
  PackFlow::Options po;
  po.device = "HH-07";
  PackFlow pack(po);
  ReceiveFlow receive(ReceiveFlow::Options{"HH-07", std::nullopt, 10000, {2025}});
  PutawayFlow putaway(PutawayFlow::Options{"HH-07", std::string("DOCK-1"), {2025}});
  ReplenishFlow replenish(ReplenishFlow::Options{"HH-07", {2025}});
  CountFlow count(CountFlow::Options{"HH-07", {2025}});
  Sent sent;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t i = 0;
  auto next = [&]() -> int { return i < input.size() ? static_cast<unsigned char>(input[i++]) : -1; };
  auto text = [&]() {
    const int n = next();
    std::string s;
    for (int k = 0; k < (n < 0 ? 0 : n % 40) && i < input.size(); ++k) s += input[i++];
    return s;
  };
  static const char* const kLabels[] = {"A-01-01-1", "A-02-01-1", "4006381333931", "036000291452", "INT-B",
                                         "T-1", "T-2", "]C101040063813339311725063010L7", "96385074", "SO-1",
                                         "PO-1", "]C100106141411234567897", "DOCK-1", "R-01-01-1"};
  for (int op; (op = next()) >= 0;) {
    Input in;
    switch (op % 16) {
      case 0: {
        const int k = next();
        in = KeyPress{static_cast<Key>(k < 0 ? 0 : k % 9)};
        break;
      }
      case 1: in = NumberEntry{next()}; break;
      case 2: {
        auto t = interpretTypedLine(kLabels[(next() & 0xff) % 14], pick.wantsNumber());
        if (!t) continue;
        std::visit([&](const auto& v) { in = v; }, *t);
        break;
      }
      case 3: {
        auto t = interpretTypedLine(text(), pick.wantsNumber());
        if (!t) continue;
        std::visit([&](const auto& v) { in = v; }, *t);
        break;
      }
      case 4: {
        // Revisions above the one in hand are merged (also after the batch
        // is done), and each may allow typed codes or not.
        auto t = task();
        t.rev = 1 + (next() & 3);
        t.typedCodes = (next() & 1) != 0;
        in = protocol::Message{t};
        break;
      }
      case 5: {
        protocol::TaskUpdate u;
        u.device = "HH-07";
        u.batchId = "B-1";
        u.rev = next() & 7;
        u.removeStops = {(next() & 1) ? "S1" : "S2"};
        if (next() & 1) u.addStops = {task().stops[static_cast<std::size_t>(next() & 1)]};
        u.addStops.empty() ? void() : void(u.addStops[0].stopId = "S" + std::to_string(3 + (next() & 3)));
        u.reason = "r";
        in = protocol::Message{u};
        break;
      }
      case 6: {
        protocol::TaskCancel c;
        c.device = (next() & 1) ? "HH-07" : "HH-08";
        c.batchId = "B-1";
        c.reason = "r";
        in = protocol::Message{c};
        break;
      }
      case 7: {
        if (sent.events.empty()) continue;
        const auto& e = sent.events[static_cast<std::size_t>(next() & 0xff) % sent.events.size()];
        const int r = next() % 3;
        in = EventOutcome{e, static_cast<protocol::AckResult>(r < 0 ? 0 : r),
                          r == 2 ? std::optional<Error>(Error{static_cast<ErrorKind>((next() & 0xff) % 10), "no"})
                                 : std::nullopt};
        break;
      }
      case 8: in = protocol::Message{packTask()}; break;
      case 9: {
        protocol::LabelReady l;
        l.device = "HH-07";
        l.orderId = "SO-1";
        l.shipmentId = "SH-1";
        l.carrier = "c";
        l.tracking = "t";
        l.printer = "p";
        in = protocol::Message{l};
        break;
      }
      case 10: in = ScanFailed{"blur"}; break;
      case 11: in = protocol::Message{receiveTask((next() & 1) != 0)}; break;
      case 12: in = protocol::Message{putawayTask((next() & 1) != 0)}; break;
      case 13: in = protocol::Message{replenishTask(next() & 15)}; break;
      case 14: in = protocol::Message{countTask(next() & 15)}; break;
      default: {
        const int cols = 1 + (next() & 0x7f), rows = 1 + (next() & 0x3f);
        View v;
        switch ((op >> 4) % 6) {
          case 0: v.screen = pick.screen(); break;
          case 1: v.screen = pack.screen(); break;
          case 2: v.screen = receive.screen(); break;
          case 3: v.screen = putaway.screen(); break;
          case 4: v.screen = replenish.screen(); break;
          default: v.screen = count.screen(); break;
        }
        v.status.outbox = static_cast<std::size_t>(next() & 0xff);
        (void)layoutView(v, text(), cols, rows);
        continue;
      }
    }
    check(pick.handle(in), sent);
    check(pack.handle(in), sent);
    check(receive.handle(in), sent);
    check(putaway.handle(in), sent);
    check(replenish.handle(in), sent);
    check(count.handle(in), sent);
    (void)pick.expectation();
    (void)pack.expectation();
    (void)receive.expectation();
    (void)putaway.expectation();
    (void)replenish.expectation();
    (void)count.expectation();
  }
  return 0;
}
