#include "wms/fwbridge/Messages.h"

#include <stdexcept>

#include "wms/fwbridge/LinkFrame.h"

namespace wms::fwbridge {
namespace {

Error malformed(std::string what) {
  return makeError(ErrorKind::Malformed, std::move(what));
}

bool isScanChar(std::uint8_t c) noexcept {
  return c == 0x1D || (c >= 0x20 && c <= 0x7E);
}
bool isTextChar(std::uint8_t c) noexcept {
  return c >= 0x20 && c <= 0x7E;
}

bool validAim(std::string_view aim) noexcept {
  if (aim.size() != 3 || aim[0] != ']') return false;
  const auto letter = static_cast<unsigned char>(aim[1]);
  const auto modifier = static_cast<unsigned char>(aim[2]);
  const bool isLetter = (letter >= 'A' && letter <= 'Z') || (letter >= 'a' && letter <= 'z');
  const bool isModifier = (modifier >= '0' && modifier <= '9') || (modifier >= 'A' && modifier <= 'Z') ||
                          (modifier >= 'a' && modifier <= 'z');
  return isLetter && isModifier;
}

Result<std::uint16_t> readU16(std::span<const std::uint8_t> p, std::size_t at) {
  if (p.size() < at + 2) return malformed("payload too short for a 16-bit field");
  return static_cast<std::uint16_t>((p[at] << 8) | p[at + 1]);
}

void putU16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

Status exactLength(std::span<const std::uint8_t> p, std::size_t n, const char* what) {
  if (p.size() != n) {
    return malformed(std::string(what) + " payload must be " + std::to_string(n) + " bytes, got " +
                     std::to_string(p.size()));
  }
  return {};
}

Result<bool> readBool(std::uint8_t b, const char* what) {
  if (b > 1) return malformed(std::string(what) + " must be 0 or 1, got " + std::to_string(b));
  return b == 1;
}

}  // namespace

RawMessage encodeUp(const UpMessage& message) {
  RawMessage out;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, TriggerMsg>) {
          out.type = type::kTrigger;
          out.payload = {static_cast<std::uint8_t>(m.down ? 1 : 0)};
        } else if constexpr (std::is_same_v<T, KeyMsg>) {
          out.type = type::kKey;
          out.payload = {m.code};
        } else if constexpr (std::is_same_v<T, BatteryMsg>) {
          if (m.percent > 100) throw std::invalid_argument("battery percentage over 100");
          out.type = type::kBattery;
          out.payload = {m.percent, static_cast<std::uint8_t>(m.charging ? 1 : 0)};
        } else if constexpr (std::is_same_v<T, ScanMsg>) {
          if (!m.symbology.empty() && m.symbology.size() != 3)
            throw std::invalid_argument("AIM identifier must be 3 characters");
          if (1 + m.symbology.size() + m.data.size() > kMaxPayload)
            throw std::invalid_argument("scan does not fit one frame");
          out.type = type::kScan;
          out.payload.push_back(static_cast<std::uint8_t>(m.symbology.size()));
          out.payload.insert(out.payload.end(), m.symbology.begin(), m.symbology.end());
          out.payload.insert(out.payload.end(), m.data.begin(), m.data.end());
        } else {
          if (1 + m.text.size() > kMaxPayload)
            throw std::invalid_argument("fault text does not fit one frame");
          out.type = type::kFault;
          out.payload.push_back(m.code);
          out.payload.insert(out.payload.end(), m.text.begin(), m.text.end());
        }
      },
      message);
  return out;
}

RawMessage encodeDown(const DownMessage& message) {
  RawMessage out;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, BeepCmd>) {
          out.type = type::kBeep;
          out.payload = {static_cast<std::uint8_t>(m.pattern)};
        } else if constexpr (std::is_same_v<T, LedCmd>) {
          out.type = type::kLed;
          out.payload = {static_cast<std::uint8_t>(m.colour)};
          putU16(out.payload, m.milliseconds);
        } else if constexpr (std::is_same_v<T, VibrateCmd>) {
          out.type = type::kVibrate;
          putU16(out.payload, m.milliseconds);
        } else if constexpr (std::is_same_v<T, EngineCmd>) {
          out.type = type::kEngine;
          out.payload = {static_cast<std::uint8_t>(m.on ? 1 : 0)};
        } else {
          out.type = type::kAimer;
          out.payload = {static_cast<std::uint8_t>(m.aimer ? 1 : 0),
                         static_cast<std::uint8_t>(m.illumination ? 1 : 0)};
        }
      },
      message);
  return out;
}

Result<UpMessage> decodeUp(std::uint8_t frameType, std::span<const std::uint8_t> p) {
  switch (frameType) {
    case type::kTrigger: {
      if (auto s = exactLength(p, 1, "trigger"); !s) return s.error();
      auto down = readBool(p[0], "trigger state");
      if (!down) return down.error();
      return UpMessage{TriggerMsg{*down}};
    }
    case type::kKey:
      if (auto s = exactLength(p, 1, "key"); !s) return s.error();
      return UpMessage{KeyMsg{p[0]}};
    case type::kBattery: {
      if (auto s = exactLength(p, 2, "battery"); !s) return s.error();
      if (p[0] > 100) return malformed("battery percentage " + std::to_string(p[0]) + " is over 100");
      auto charging = readBool(p[1], "charging");
      if (!charging) return charging.error();
      return UpMessage{BatteryMsg{p[0], *charging}};
    }
    case type::kScan: {
      if (p.empty()) return malformed("scan payload is empty");
      const std::size_t aimLength = p[0];
      if (aimLength != 0 && aimLength != 3)
        return malformed("scan AIM identifier length must be 0 or 3, got " + std::to_string(aimLength));
      if (p.size() < 1 + aimLength + 1) return malformed("scan carries no data");
      ScanMsg scan;
      scan.symbology.assign(p.begin() + 1, p.begin() + 1 + static_cast<std::ptrdiff_t>(aimLength));
      if (aimLength != 0 && !validAim(scan.symbology)) return malformed("scan AIM identifier is malformed");
      for (std::size_t i = 1 + aimLength; i < p.size(); ++i) {
        if (!isScanChar(p[i]))
          return malformed("scan data has control byte " + std::to_string(p[i]) + " at " + std::to_string(i));
      }
      scan.data.assign(p.begin() + 1 + static_cast<std::ptrdiff_t>(aimLength), p.end());
      return UpMessage{std::move(scan)};
    }
    case type::kFault: {
      if (p.empty()) return malformed("fault payload is empty");
      FaultMsg fault{p[0], {}};
      for (std::size_t i = 1; i < p.size(); ++i) {
        if (!isTextChar(p[i])) return malformed("fault text has control byte " + std::to_string(p[i]));
      }
      fault.text.assign(p.begin() + 1, p.end());
      return UpMessage{std::move(fault)};
    }
    default:
      return malformed("unknown message type " + std::to_string(frameType) + " from the firmware");
  }
}

Result<DownMessage> decodeDown(std::uint8_t frameType, std::span<const std::uint8_t> p) {
  switch (frameType) {
    case type::kBeep:
      if (auto s = exactLength(p, 1, "beep"); !s) return s.error();
      if (p[0] < 1 || p[0] > 4) return malformed("beep pattern " + std::to_string(p[0]) + " is unknown");
      return DownMessage{BeepCmd{static_cast<BeepPattern>(p[0])}};
    case type::kLed: {
      if (auto s = exactLength(p, 3, "LED"); !s) return s.error();
      if (p[0] > 4) return malformed("LED colour " + std::to_string(p[0]) + " is unknown");
      auto ms = readU16(p, 1);
      if (!ms) return ms.error();
      return DownMessage{LedCmd{static_cast<LedColour>(p[0]), *ms}};
    }
    case type::kVibrate: {
      if (auto s = exactLength(p, 2, "vibrate"); !s) return s.error();
      auto ms = readU16(p, 0);
      if (!ms) return ms.error();
      return DownMessage{VibrateCmd{*ms}};
    }
    case type::kEngine: {
      if (auto s = exactLength(p, 1, "engine"); !s) return s.error();
      auto on = readBool(p[0], "engine state");
      if (!on) return on.error();
      return DownMessage{EngineCmd{*on}};
    }
    case type::kAimer: {
      if (auto s = exactLength(p, 2, "aimer"); !s) return s.error();
      auto aimer = readBool(p[0], "aimer");
      if (!aimer) return aimer.error();
      auto light = readBool(p[1], "illumination");
      if (!light) return light.error();
      return DownMessage{AimerCmd{*aimer, *light}};
    }
    default:
      return malformed("unknown command type " + std::to_string(frameType) + " for the firmware");
  }
}

const char* toString(BeepPattern p) noexcept {
  switch (p) {
    case BeepPattern::Good:
      return "good";
    case BeepPattern::Bad:
      return "bad";
    case BeepPattern::Short:
      return "short";
    case BeepPattern::Long:
      return "long";
  }
  return "?";
}

const char* toString(LedColour c) noexcept {
  switch (c) {
    case LedColour::Off:
      return "off";
    case LedColour::Green:
      return "green";
    case LedColour::Red:
      return "red";
    case LedColour::Amber:
      return "amber";
    case LedColour::Blue:
      return "blue";
  }
  return "?";
}

}  // namespace wms::fwbridge
