#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "wms/fwbridge/Bridge.h"
#include "wms/fwbridge/SerialPort.h"

namespace wms::fwbridge {
namespace {

const std::set<std::string>& knownKeys() {
  static const std::set<std::string> keys = {
      "socket",       "mcu",          "mcu_baud",         "ssi",        "ssi_baud",      "wedge_layout",
      "wedge_prefix", "wedge_suffix", "wedge_timeout_ms", "wedge_grab", "rules",         "ack_timeout_ms",
      "retries",      "station",      "broker",           "device",     "password_file", "ca_file"};
  return keys;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

Result<int> integer(const BridgeConfig& c, const std::string& key, int fallback, int lo, int hi) {
  auto it = c.single.find(key);
  if (it == c.single.end()) return fallback;
  int v = 0;
  const auto& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < lo || v > hi) {
    return makeError(ErrorKind::Invalid, key + " must be a whole number " + std::to_string(lo) + ".." +
                                             std::to_string(hi) + ", got '" + text + "'");
  }
  return v;
}

// \n, \t, \r and \\ in prefix and suffix; "none" is the empty text.
Result<std::string> escaped(const std::string& key, const std::string& text) {
  if (text == "none") return std::string();
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (++i == text.size()) return makeError(ErrorKind::Invalid, key + " ends in '\\'");
    switch (text[i]) {
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case '\\':
        out.push_back('\\');
        break;
      default:
        return makeError(ErrorKind::Invalid, key + ": unknown escape \\" + std::string(1, text[i]));
    }
  }
  return out;
}

}  // namespace

Result<BridgeConfig> parseBridgeConfig(std::string_view text) {
  if (text.size() > 64 * 1024) return makeError(ErrorKind::TooLarge, "config file over 64 KiB");
  BridgeConfig config;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      return makeError(ErrorKind::Invalid,
                       "config line " + std::to_string(lineNo) + ": expected key = value");
    }
    const std::string key = trim(std::string_view(t).substr(0, eq));
    const std::string value = trim(std::string_view(t).substr(eq + 1));
    if (key == "wedge") {
      if (value.empty())
        return makeError(ErrorKind::Invalid,
                         "config line " + std::to_string(lineNo) + ": wedge needs a device path");
      config.wedges.push_back(value);
      continue;
    }
    if (knownKeys().count(key) == 0) {
      return makeError(ErrorKind::Invalid,
                       "config line " + std::to_string(lineNo) + ": unknown key '" + key + "'");
    }
    if (config.single.count(key) != 0) {
      return makeError(ErrorKind::Invalid,
                       "config line " + std::to_string(lineNo) + ": '" + key + "' given twice");
    }
    config.single[key] = value;
  }
  return config;
}

Result<BridgeOptions> bridgeOptionsFrom(const BridgeConfig& c) {
  BridgeOptions o;
  auto get = [&](const std::string& key) -> std::string {
    auto it = c.single.find(key);
    return it == c.single.end() ? std::string() : it->second;
  };
  o.socketPath = get("socket");
  if (o.socketPath.empty()) o.socketPath = "/run/wms-fwbridge/bridge.sock";
  if (!get("mcu").empty()) {
    auto baud = integer(c, "mcu_baud", 115200, 1, 4000000);
    if (!baud) return baud.error();
    if (auto s = checkBaud(*baud); !s) return makeError(ErrorKind::Invalid, "mcu_baud: " + s.error().message);
    o.mcu = SerialDevice{get("mcu"), *baud};
  }
  if (!get("ssi").empty()) {
    auto baud = integer(c, "ssi_baud", 9600, 1, 4000000);
    if (!baud) return baud.error();
    if (auto s = checkBaud(*baud); !s) return makeError(ErrorKind::Invalid, "ssi_baud: " + s.error().message);
    o.ssi = SerialDevice{get("ssi"), *baud};
  }
  o.wedges = c.wedges;
  if (!get("wedge_layout").empty()) {
    auto layout = parseKeyboardLayout(get("wedge_layout"));
    if (!layout) return makeError(ErrorKind::Invalid, "wedge_layout: " + layout.error().message);
    o.wedge.layout = *layout;
  }
  if (c.single.count("wedge_prefix") != 0) {
    auto p = escaped("wedge_prefix", get("wedge_prefix"));
    if (!p) return p.error();
    o.wedge.prefix = *p;
  }
  if (c.single.count("wedge_suffix") != 0) {
    auto s = escaped("wedge_suffix", get("wedge_suffix"));
    if (!s) return s.error();
    o.wedge.suffix = *s;
  }
  auto timeout = integer(c, "wedge_timeout_ms", 80, 5, 5000);
  if (!timeout) return timeout.error();
  o.wedge.interKeyTimeout = std::chrono::milliseconds(*timeout);
  const std::string grab = get("wedge_grab");
  if (!grab.empty() && grab != "yes" && grab != "no")
    return makeError(ErrorKind::Invalid, "wedge_grab must be yes or no, got '" + grab + "'");
  o.grabWedges = grab != "no";
  auto ack = integer(c, "ack_timeout_ms", 100, 10, 5000);
  if (!ack) return ack.error();
  o.link.ackTimeout = std::chrono::milliseconds(*ack);
  auto retries = integer(c, "retries", 5, 0, 50);
  if (!retries) return retries.error();
  o.link.maxRetries = *retries;
  if (!get("rules").empty()) {
    std::ifstream in(get("rules"));
    if (!in) return makeError(ErrorKind::NotFound, "rules: cannot read " + get("rules"));
    std::ostringstream text;
    text << in.rdbuf();
    auto formatter = Formatter::parse(text.str());
    if (!formatter) return makeError(formatter.error().kind, get("rules") + ": " + formatter.error().message);
    o.formatter = std::move(*formatter);
  }
  return o;
}

}  // namespace wms::fwbridge
