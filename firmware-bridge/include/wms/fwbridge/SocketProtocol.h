// The bridge's local interface to wms-handheld: newline-delimited JSON over a
// Unix domain socket, events out and commands in
// (docs/firmware-protocol.md, "The local socket"). The codecs of both
// directions live here so the bridge and its clients share them. Pure.
//
// Events (bridge -> app), one object a line:
//   {"event":"hello","bridge":"wms-fwbridge/0.1.0","mcu":"up","ssi":"open","wedges":1}
//   {"event":"link","source":"mcu","state":"up","text":"mcu-1.4.2"}
//   {"event":"scan","seq":7,"source":"engine","symbology":"]C1","data":"0109..."}
//   {"event":"trigger","state":"down"}      {"event":"key","code":13}
//   {"event":"battery","percent":81,"charging":false}
//   {"event":"fault","source":"mcu","code":3,"text":"engine timeout"}
//   {"event":"error","text":"command: cmd 'blink' is unknown"}
// Commands (app -> bridge):
//   {"cmd":"feedback","result":"good"|"bad"}   the configured beep/LED/vibrate
//   {"cmd":"beep","pattern":"good"|"bad"|"short"|"long"}
//   {"cmd":"led","colour":"off"|"green"|"red"|"amber"|"blue","ms":200}
//   {"cmd":"vibrate","ms":150}
//   {"cmd":"scanner","on":true}               scan engine on or off
//   {"cmd":"aimer","aimer":true,"illumination":false}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "wms/common/Result.h"
#include "wms/fwbridge/Formatting.h"
#include "wms/fwbridge/Messages.h"

namespace wms::fwbridge {

// The longest line either side accepts; a longer one is refused.
inline constexpr std::size_t kMaxSocketLine = 16 * 1024;

struct BridgeEvent {
  enum class Kind { Hello, Link, Scan, Trigger, Key, Battery, Fault, Error };
  Kind kind = Kind::Error;
  Scan scan;              // Scan
  std::uint64_t seq = 0;  // Scan: numbered from 1 per bridge run
  bool flag = false;      // Link: up; Trigger: down; Battery: charging
  int number = 0;         // Key: code; Battery: percent; Fault: code; Hello: wedges
  std::string source;     // Link, Fault: "mcu", "ssi", "wedge"; Hello: the mcu state
  std::string text;       // Link: firmware or reason; Fault, Error: what; Hello: the ssi state
  friend bool operator==(const BridgeEvent&, const BridgeEvent&) = default;
};

// One line, ending in '\n'. Strings are escaped for JSON (GS as \u001d).
std::string encodeEvent(const BridgeEvent& event);
// Errors: Malformed (not JSON), Invalid (a field missing or wrong, naming it).
Result<BridgeEvent> parseEvent(std::string_view line);

struct FeedbackCmd {
  bool good = true;
  friend bool operator==(const FeedbackCmd&, const FeedbackCmd&) = default;
};
using BridgeCommand = std::variant<FeedbackCmd, BeepCmd, LedCmd, VibrateCmd, EngineCmd, AimerCmd>;

std::string encodeCommand(const BridgeCommand& command);
// Errors: Malformed (not JSON), Invalid naming the field ("ms must be
// 0..10000"), unknown fields refused.
Result<BridgeCommand> parseCommand(std::string_view line);

// JSON string escaping (quotes, backslash, control characters as \u00XX).
std::string jsonQuote(std::string_view text);

}  // namespace wms::fwbridge
