// Builders for the workflow tests: tasks, scans and helpers that read the
// events a flow produced.
#pragma once

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "../HandheldTestPrinting.h"
#include "wms/handheld/CountFlow.h"
#include "wms/handheld/PackFlow.h"
#include "wms/handheld/PickFlow.h"
#include "wms/handheld/PutawayFlow.h"
#include "wms/handheld/ReceiveFlow.h"
#include "wms/handheld/ReplenishFlow.h"
#include "wms/handheld/ScanEngine.h"
#include "wms/handheld/TypedInput.h"
#include "wms/handheld/Workflow.h"
#include "wms/protocol/Messages.h"

namespace wms::handheld {
inline std::ostream& operator<<(std::ostream& out, Signal s) {
  return out << (s == Signal::Good ? "good" : s == Signal::Bad ? "bad" : "none");
}
inline std::ostream& operator<<(std::ostream& out, PickPhase p) { return out << toString(p); }
inline std::ostream& operator<<(std::ostream& out, PackPhase p) { return out << toString(p); }
inline std::ostream& operator<<(std::ostream& out, ReceivePhase p) { return out << toString(p); }
inline std::ostream& operator<<(std::ostream& out, PutawayPhase p) { return out << toString(p); }
inline std::ostream& operator<<(std::ostream& out, ReplenishPhase p) { return out << toString(p); }
inline std::ostream& operator<<(std::ostream& out, CountPhase p) { return out << toString(p); }
inline std::ostream& operator<<(std::ostream& out, StopStatus s) { return out << toString(s); }
}  // namespace wms::handheld

namespace wms::handheld::test {

inline constexpr const char* kDevice = "HH-07";

// A stop with one put per (tote, qty) pair, orders O-<stop>-<n>.
inline protocol::PickStop stop(const std::string& id, int seq, const std::string& location, const std::string& sku,
                               std::vector<std::string> barcodes, std::vector<std::pair<std::string, int>> puts) {
  protocol::PickStop s;
  s.stopId = id;
  s.seq = seq;
  s.location = location;
  s.sku = sku;
  s.description = sku + " item";
  s.barcodes = std::move(barcodes);
  int n = 0;
  for (auto& [tote, qty] : puts) {
    ++n;
    s.puts.push_back({tote, qty, "O-" + id + "-" + std::to_string(n), "L-" + id + "-" + std::to_string(n)});
    s.qty += qty;
  }
  return s;
}

// Batch B-1 rev 1: S1 at A-01-01-1 (APPLE 4006381333931, 3 units: 2 to
// T-1/A1, 1 to T-2/A2), S2 at A-02-01-1 (BREAD 036000291452, 1 unit to
// T-1), S3 at B-01-01-1 (CHEESE 96385074 and INT-CH, 2 units to T-2).
inline protocol::TaskAssign batch(const std::string& device = kDevice) {
  protocol::TaskAssign t;
  t.device = device;
  t.ts = 1;
  t.batchId = "B-1";
  t.waveId = "W-1";
  t.rev = 1;
  t.totes = {{"A1", "T-1"}, {"A2", "T-2"}};
  t.stops = {stop("S1", 10, "A-01-01-1", "APPLE", {"4006381333931"}, {{"T-1", 2}, {"T-2", 1}}),
             stop("S2", 20, "A-02-01-1", "BREAD", {"036000291452"}, {{"T-1", 1}}),
             stop("S3", 30, "B-01-01-1", "CHEESE", {"96385074", "INT-CH"}, {{"T-2", 2}})};
  return t;
}

// A scan as a scan engine would send it: AIM identifier optional.
inline Input scan(const std::string& text) {
  auto engine = parseEngineOutput(text, {});
  BOOST_REQUIRE_MESSAGE(engine, "bad test scan " << text);
  auto b = toBarcode(*engine);
  BOOST_REQUIRE_MESSAGE(b, "bad test scan " << text);
  return ScanInput{*b};
}

// A code typed on the keypad and Enter, as the app reads the line.
inline Input typedCode(const std::string& text) {
  auto t = interpretTypedLine(text, false);
  BOOST_REQUIRE_MESSAGE(t, "bad typed code " << text);
  const auto* s = std::get_if<ScanInput>(&*t);
  BOOST_REQUIRE_MESSAGE(s, "typed code " << text << " is not a scan");
  return *s;
}

inline Input scanAs(BarcodeFormat format, const std::string& text, const std::string& symbology = "") {
  Barcode b;
  b.format = format;
  b.text = text;
  b.symbology = symbology;
  return ScanInput{b};
}

inline Input key(Key k) { return KeyPress{k}; }
inline Input number(int n) { return NumberEntry{n}; }
inline Input server(protocol::Message m) { return m; }

inline EventOutcome outcome(protocol::Message event, protocol::AckResult result,
                            std::optional<Error> error = std::nullopt) {
  return EventOutcome{std::move(event), result, std::move(error)};
}

// The server's answer to the one event `fx` sent: `result`, with a
// Conflict error saying `why` when given.
inline EventOutcome answer(const Effects& fx, protocol::AckResult result, const std::string& why = "") {
  BOOST_REQUIRE_EQUAL(fx.events.size(), 1u);
  return outcome(fx.events.front(), result,
                 why.empty() ? std::nullopt : std::optional<Error>(makeError(ErrorKind::Conflict, why)));
}

// The flow's screen shows `part` somewhere.
template <class Flow>
bool shows(const Flow& f, const std::string& part) {
  return f.screen().text().find(part) != std::string::npos;
}

template <class T>
const T& only(const Effects& fx) {
  BOOST_REQUIRE_EQUAL(fx.events.size(), 1u);
  const T* e = std::get_if<T>(&fx.events.front());
  BOOST_REQUIRE_MESSAGE(e, "expected a " << typeid(T).name() << ", got "
                                         << protocol::typeName(fx.events.front()));
  return *e;
}

inline bool logged(const Effects& fx, const std::string& part) {
  for (const auto& l : fx.log)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace wms::handheld::test
