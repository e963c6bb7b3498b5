#include "wms/fwbridge/SocketProtocol.h"

#include <cstdio>

#include "wms/json/ObjectReader.h"

namespace wms::fwbridge {
namespace {

constexpr json::Rules kRules{.maxBytes = kMaxSocketLine, .maxDepth = 2};

const char* kindName(BridgeEvent::Kind k) {
  switch (k) {
    case BridgeEvent::Kind::Hello:
      return "hello";
    case BridgeEvent::Kind::Link:
      return "link";
    case BridgeEvent::Kind::Scan:
      return "scan";
    case BridgeEvent::Kind::Trigger:
      return "trigger";
    case BridgeEvent::Kind::Key:
      return "key";
    case BridgeEvent::Kind::Battery:
      return "battery";
    case BridgeEvent::Kind::Fault:
      return "fault";
    case BridgeEvent::Kind::Error:
      return "error";
  }
  return "error";
}

std::string trimLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return std::string(line);
}

}  // namespace

std::string jsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string encodeEvent(const BridgeEvent& e) {
  std::string out = "{\"event\":\"";
  out += kindName(e.kind);
  out += '"';
  switch (e.kind) {
    case BridgeEvent::Kind::Hello:
      out += ",\"bridge\":\"wms-fwbridge/0.1.0\",\"mcu\":" + jsonQuote(e.source) +
             ",\"ssi\":" + jsonQuote(e.text) + ",\"wedges\":" + std::to_string(e.number);
      break;
    case BridgeEvent::Kind::Link:
      out += ",\"source\":" + jsonQuote(e.source) + ",\"state\":\"" + (e.flag ? "up" : "down") +
             "\",\"text\":" + jsonQuote(e.text);
      break;
    case BridgeEvent::Kind::Scan:
      out += ",\"seq\":" + std::to_string(e.seq) + ",\"source\":\"" + toString(e.scan.source) +
             "\",\"symbology\":" + jsonQuote(e.scan.symbology) + ",\"data\":" + jsonQuote(e.scan.data);
      break;
    case BridgeEvent::Kind::Trigger:
      out += std::string(",\"state\":\"") + (e.flag ? "down" : "up") + "\"";
      break;
    case BridgeEvent::Kind::Key:
      out += ",\"code\":" + std::to_string(e.number);
      break;
    case BridgeEvent::Kind::Battery:
      out += ",\"percent\":" + std::to_string(e.number) + ",\"charging\":" + (e.flag ? "true" : "false");
      break;
    case BridgeEvent::Kind::Fault:
      out += ",\"source\":" + jsonQuote(e.source) + ",\"code\":" + std::to_string(e.number) +
             ",\"text\":" + jsonQuote(e.text);
      break;
    case BridgeEvent::Kind::Error:
      out += ",\"text\":" + jsonQuote(e.text);
      break;
  }
  out += "}\n";
  return out;
}

Result<BridgeEvent> parseEvent(std::string_view line) {
  auto r = json::ObjectReader::parse(trimLine(line), "bridge event", kRules);
  if (!r) return r.error();
  BridgeEvent e;
  const std::string kind = r->text("event", json::Need::NonEmpty, 16);
  if (kind == "hello") {
    e.kind = BridgeEvent::Kind::Hello;
    (void)r->text("bridge", json::Need::Optional, 64);
    e.source = r->text("mcu", json::Need::Optional, 16);
    e.text = r->text("ssi", json::Need::Optional, 16);
    e.number = static_cast<int>(r->integer("wedges", json::Need::Optional, {0, 64}));
  } else if (kind == "link") {
    e.kind = BridgeEvent::Kind::Link;
    e.source = r->text("source", json::Need::NonEmpty, 16);
    const std::string state = r->text("state", json::Need::Required, 8);
    if (state != "up" && state != "down") r->fail("state", "must be up or down");
    e.flag = state == "up";
    e.text = r->text("text", json::Need::Optional, 512);
  } else if (kind == "scan") {
    e.kind = BridgeEvent::Kind::Scan;
    e.seq = static_cast<std::uint64_t>(r->integer("seq", json::Need::Required, {1, INT64_MAX}));
    const std::string source = r->text("source", json::Need::Required, 16);
    if (source == "engine")
      e.scan.source = ScanSource::Engine;
    else if (source == "ssi")
      e.scan.source = ScanSource::Ssi;
    else if (source == "wedge")
      e.scan.source = ScanSource::Wedge;
    else
      r->fail("source", "must be engine, ssi or wedge");
    e.scan.symbology = r->text("symbology", json::Need::Optional, 3);
    e.scan.data = r->text("data", json::Need::NonEmpty, kMaxScanLength);
  } else if (kind == "trigger") {
    e.kind = BridgeEvent::Kind::Trigger;
    const std::string state = r->text("state", json::Need::Required, 8);
    if (state != "up" && state != "down") r->fail("state", "must be up or down");
    e.flag = state == "down";
  } else if (kind == "key") {
    e.kind = BridgeEvent::Kind::Key;
    e.number = static_cast<int>(r->integer("code", json::Need::Required, {0, 255}));
  } else if (kind == "battery") {
    e.kind = BridgeEvent::Kind::Battery;
    e.number = static_cast<int>(r->integer("percent", json::Need::Required, {0, 100}));
    e.flag = r->flag("charging");
  } else if (kind == "fault") {
    e.kind = BridgeEvent::Kind::Fault;
    e.source = r->text("source", json::Need::Optional, 16);
    e.number = static_cast<int>(r->integer("code", json::Need::Optional, {0, 255}));
    e.text = r->text("text", json::Need::Optional, 512);
  } else if (kind == "error") {
    e.kind = BridgeEvent::Kind::Error;
    e.text = r->text("text", json::Need::Optional, 1024);
  } else if (!kind.empty()) {
    r->fail("event", "'" + kind + "' is unknown");
  }
  if (auto s = r->finish(); !s) return s.error();
  if (e.kind == BridgeEvent::Kind::Scan) {
    if (auto s = checkScanData(e.scan.data); !s) return s.error();
  }
  return e;
}

std::string encodeCommand(const BridgeCommand& command) {
  return std::visit(
      [](const auto& c) -> std::string {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, FeedbackCmd>) {
          return std::string("{\"cmd\":\"feedback\",\"result\":\"") + (c.good ? "good" : "bad") + "\"}\n";
        } else if constexpr (std::is_same_v<T, BeepCmd>) {
          return std::string("{\"cmd\":\"beep\",\"pattern\":\"") + toString(c.pattern) + "\"}\n";
        } else if constexpr (std::is_same_v<T, LedCmd>) {
          return std::string("{\"cmd\":\"led\",\"colour\":\"") + toString(c.colour) +
                 "\",\"ms\":" + std::to_string(c.milliseconds) + "}\n";
        } else if constexpr (std::is_same_v<T, VibrateCmd>) {
          return "{\"cmd\":\"vibrate\",\"ms\":" + std::to_string(c.milliseconds) + "}\n";
        } else if constexpr (std::is_same_v<T, EngineCmd>) {
          return std::string("{\"cmd\":\"scanner\",\"on\":") + (c.on ? "true" : "false") + "}\n";
        } else {
          return std::string("{\"cmd\":\"aimer\",\"aimer\":") + (c.aimer ? "true" : "false") +
                 ",\"illumination\":" + (c.illumination ? "true" : "false") + "}\n";
        }
      },
      command);
}

Result<BridgeCommand> parseCommand(std::string_view line) {
  auto r = json::ObjectReader::parse(trimLine(line), "command", kRules);
  if (!r) return r.error();
  const std::string cmd = r->text("cmd", json::Need::NonEmpty, 16);
  BridgeCommand out = FeedbackCmd{};
  if (cmd == "feedback") {
    const std::string result = r->text("result", json::Need::Required, 8);
    if (result != "good" && result != "bad") r->fail("result", "must be good or bad");
    out = FeedbackCmd{result == "good"};
  } else if (cmd == "beep") {
    const std::string p = r->text("pattern", json::Need::Required, 8);
    BeepCmd b;
    if (p == "good")
      b.pattern = BeepPattern::Good;
    else if (p == "bad")
      b.pattern = BeepPattern::Bad;
    else if (p == "short")
      b.pattern = BeepPattern::Short;
    else if (p == "long")
      b.pattern = BeepPattern::Long;
    else
      r->fail("pattern", "must be good, bad, short or long");
    out = b;
  } else if (cmd == "led") {
    const std::string c = r->text("colour", json::Need::Required, 8);
    LedCmd l;
    if (c == "off")
      l.colour = LedColour::Off;
    else if (c == "green")
      l.colour = LedColour::Green;
    else if (c == "red")
      l.colour = LedColour::Red;
    else if (c == "amber")
      l.colour = LedColour::Amber;
    else if (c == "blue")
      l.colour = LedColour::Blue;
    else
      r->fail("colour", "must be off, green, red, amber or blue");
    l.milliseconds = static_cast<std::uint16_t>(r->integer("ms", json::Need::Optional, {0, 10000}));
    out = l;
  } else if (cmd == "vibrate") {
    out = VibrateCmd{static_cast<std::uint16_t>(r->integer("ms", json::Need::Required, {1, 10000}))};
  } else if (cmd == "scanner") {
    if (!r->has("on")) r->fail("on", "is required");
    out = EngineCmd{r->flag("on")};
  } else if (cmd == "aimer") {
    const bool aimer = r->flag("aimer");
    const bool light = r->flag("illumination");
    out = AimerCmd{aimer, light};
  } else if (!cmd.empty()) {
    r->fail("cmd", "'" + cmd + "' is unknown");
  }
  if (auto s = r->finish(); !s) return s.error();
  return out;
}

}  // namespace wms::fwbridge
