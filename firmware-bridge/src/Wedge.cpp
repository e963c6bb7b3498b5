#include "wms/fwbridge/Wedge.h"

#include <linux/input.h>

#include <array>
#include <cstring>

namespace wms::fwbridge {
namespace {

constexpr char kGs = 0x1D;

// One key's characters: plain, with Shift, with AltGr; 0 where the layout
// types nothing ASCII (dead keys, umlauts).
struct KeyChars {
  char plain = 0;
  char shifted = 0;
  char altGr = 0;
};

using Table = std::array<KeyChars, KEY_MAX + 1>;

void letters(Table& t, const char* row, int firstCode) {
  for (int i = 0; row[i] != 0; ++i) {
    const char c = row[i];
    t[static_cast<std::size_t>(firstCode + i)] =
        KeyChars{c, static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c), 0};
  }
}

void keypad(Table& t) {
  const std::pair<int, char> pad[] = {
      {KEY_KP0, '0'},   {KEY_KP1, '1'},     {KEY_KP2, '2'},    {KEY_KP3, '3'},        {KEY_KP4, '4'},
      {KEY_KP5, '5'},   {KEY_KP6, '6'},     {KEY_KP7, '7'},    {KEY_KP8, '8'},        {KEY_KP9, '9'},
      {KEY_KPDOT, '.'}, {KEY_KPMINUS, '-'}, {KEY_KPPLUS, '+'}, {KEY_KPASTERISK, '*'}, {KEY_KPSLASH, '/'}};
  for (auto [code, c] : pad) t[static_cast<std::size_t>(code)] = KeyChars{c, c, 0};
  t[KEY_ENTER] = t[KEY_KPENTER] = KeyChars{'\n', '\n', 0};
  t[KEY_TAB] = KeyChars{'\t', '\t', 0};
  t[KEY_SPACE] = KeyChars{' ', ' ', 0};
}

Table makeUs() {
  Table t{};
  const char* digits = "1234567890";
  const char* shiftedDigits = "!@#$%^&*()";
  for (int i = 0; i < 10; ++i)
    t[static_cast<std::size_t>(KEY_1 + i)] = KeyChars{digits[i], shiftedDigits[i], 0};
  letters(t, "qwertyuiop", KEY_Q);
  letters(t, "asdfghjkl", KEY_A);
  letters(t, "zxcvbnm", KEY_Z);
  t[KEY_MINUS] = {'-', '_', 0};
  t[KEY_EQUAL] = {'=', '+', 0};
  t[KEY_LEFTBRACE] = {'[', '{', 0};
  t[KEY_RIGHTBRACE] = {']', '}', 0};
  t[KEY_SEMICOLON] = {';', ':', 0};
  t[KEY_APOSTROPHE] = {'\'', '"', 0};
  t[KEY_GRAVE] = {'`', '~', 0};
  t[KEY_BACKSLASH] = {'\\', '|', 0};
  t[KEY_COMMA] = {',', '<', 0};
  t[KEY_DOT] = {'.', '>', 0};
  t[KEY_SLASH] = {'/', '?', 0};
  keypad(t);
  return t;
}

// German QWERTZ (T1): Y and Z swapped, symbols moved, AltGr for @ [ ] { } \ | ~.
Table makeDe() {
  Table t{};
  const char* digits = "1234567890";
  const char* shiftedDigits = "!\"\0$%&/()=";  // Shift+3 is the section sign, not ASCII
  for (int i = 0; i < 10; ++i)
    t[static_cast<std::size_t>(KEY_1 + i)] = KeyChars{digits[i], shiftedDigits[i], 0};
  t[KEY_7].altGr = '{';
  t[KEY_8].altGr = '[';
  t[KEY_9].altGr = ']';
  t[KEY_0].altGr = '}';
  letters(t, "qwertzuiop", KEY_Q);
  letters(t, "asdfghjkl", KEY_A);
  letters(t, "yxcvbnm", KEY_Z);
  t[KEY_Q].altGr = '@';
  t[KEY_MINUS] = {0, '?', '\\'};  // sharp s
  t[KEY_EQUAL] = {0, 0, 0};       // dead accents
  t[KEY_LEFTBRACE] = {0, 0, 0};   // u umlaut
  t[KEY_RIGHTBRACE] = {'+', '*', '~'};
  t[KEY_SEMICOLON] = {0, 0, 0};   // o umlaut
  t[KEY_APOSTROPHE] = {0, 0, 0};  // a umlaut
  t[KEY_GRAVE] = {0, 0, 0};       // dead circumflex, degree
  t[KEY_BACKSLASH] = {'#', '\'', 0};
  t[KEY_102ND] = {'<', '>', '|'};
  t[KEY_COMMA] = {',', ';', 0};
  t[KEY_DOT] = {'.', ':', 0};
  t[KEY_SLASH] = {'-', '_', 0};
  keypad(t);
  return t;
}

const Table& tableFor(KeyboardLayout layout) {
  static const Table us = makeUs();
  static const Table de = makeDe();
  return layout == KeyboardLayout::De ? de : us;
}

int keypadDigit(std::uint16_t code) {
  switch (code) {
    case KEY_KP0:
      return 0;
    case KEY_KP1:
      return 1;
    case KEY_KP2:
      return 2;
    case KEY_KP3:
      return 3;
    case KEY_KP4:
      return 4;
    case KEY_KP5:
      return 5;
    case KEY_KP6:
      return 6;
    case KEY_KP7:
      return 7;
    case KEY_KP8:
      return 8;
    case KEY_KP9:
      return 9;
    default:
      return -1;
  }
}

}  // namespace

std::size_t inputEventSize() noexcept {
  return sizeof(struct input_event);
}

Result<std::vector<InputEvent>> parseInputEvents(std::span<const std::uint8_t> bytes) {
  if (bytes.size() % sizeof(struct input_event) != 0) {
    return makeError(ErrorKind::Malformed,
                     std::to_string(bytes.size()) + " bytes are not a whole number of " +
                         std::to_string(sizeof(struct input_event)) + "-byte input events");
  }
  std::vector<InputEvent> out;
  out.reserve(bytes.size() / sizeof(struct input_event));
  for (std::size_t at = 0; at < bytes.size(); at += sizeof(struct input_event)) {
    struct input_event raw;
    std::memcpy(&raw, bytes.data() + at, sizeof raw);
    out.push_back(InputEvent{
        std::chrono::seconds(raw.input_event_sec) + std::chrono::microseconds(raw.input_event_usec), raw.type,
        raw.code, raw.value});
  }
  return out;
}

std::vector<std::uint8_t> encodeInputEvents(const std::vector<InputEvent>& events) {
  std::vector<std::uint8_t> out(events.size() * sizeof(struct input_event));
  for (std::size_t i = 0; i < events.size(); ++i) {
    struct input_event raw {};
    const auto us = events[i].time.count();
    raw.input_event_sec = static_cast<decltype(raw.input_event_sec)>(us / 1000000);
    raw.input_event_usec = static_cast<decltype(raw.input_event_usec)>(us % 1000000);
    raw.type = events[i].type;
    raw.code = events[i].code;
    raw.value = events[i].value;
    std::memcpy(out.data() + i * sizeof raw, &raw, sizeof raw);
  }
  return out;
}

Result<KeyboardLayout> parseKeyboardLayout(std::string_view name) {
  if (name == "us") return KeyboardLayout::Us;
  if (name == "de") return KeyboardLayout::De;
  return makeError(ErrorKind::Invalid, "keyboard layout '" + std::string(name) + "' is unknown (us, de)");
}

Result<std::vector<InputEvent>> typeText(std::string_view text, KeyboardLayout layout,
                                         std::chrono::microseconds start, std::chrono::microseconds step) {
  const Table& table = tableFor(layout);
  std::vector<InputEvent> out;
  auto t = start;
  auto key = [&](std::uint16_t code, std::int32_t value) {
    out.push_back(InputEvent{t, EV_KEY, code, value});
    out.push_back(InputEvent{t, EV_SYN, SYN_REPORT, 0});
    t += step;
  };
  for (char c : text) {
    if (c == kGs) {
      key(KEY_LEFTCTRL, 1);
      key(KEY_RIGHTBRACE, 1);
      key(KEY_RIGHTBRACE, 0);
      key(KEY_LEFTCTRL, 0);
      continue;
    }
    bool found = false;
    for (std::uint16_t code = 0; code <= KEY_MAX && !found; ++code) {
      const KeyChars& k = table[code];
      // The keypad types digits too; a scanner uses the main row.
      if (keypadDigit(code) >= 0 || code == KEY_KPENTER || code == KEY_KPDOT || code == KEY_KPMINUS ||
          code == KEY_KPPLUS || code == KEY_KPASTERISK || code == KEY_KPSLASH) {
        continue;
      }
      std::uint16_t modifier = 0;
      if (k.plain == c) {
        modifier = 0;
      } else if (k.shifted == c) {
        modifier = KEY_LEFTSHIFT;
      } else if (k.altGr == c) {
        modifier = KEY_RIGHTALT;
      } else {
        continue;
      }
      found = true;
      if (modifier != 0) key(modifier, 1);
      key(code, 1);
      key(code, 0);
      if (modifier != 0) key(modifier, 0);
    }
    if (!found) {
      return makeError(ErrorKind::Invalid, "character " + std::to_string(static_cast<unsigned char>(c)) +
                                               " cannot be typed on this layout");
    }
  }
  return out;
}

KeyAssembler::KeyAssembler(WedgeOptions options) : options_(std::move(options)) {}

std::vector<Result<std::string>> KeyAssembler::onEvent(const InputEvent& event) {
  std::vector<Result<std::string>> out;
  if (event.type != EV_KEY) return out;
  const bool press = event.value == 1;
  if (event.value == 2) {
    // A held key repeats; the scanner typed it once.
    ++stats_.repeats;
    return out;
  }
  switch (event.code) {
    case KEY_LEFTSHIFT:
    case KEY_RIGHTSHIFT:
      shift_ = press;
      return out;
    case KEY_LEFTCTRL:
    case KEY_RIGHTCTRL:
      ctrl_ = press;
      return out;
    case KEY_RIGHTALT:
      altGr_ = press;
      return out;
    case KEY_LEFTALT:
      alt_ = press;
      if (!press && !altDigits_.empty()) {
        // Alt released after keypad digits: the character with that code.
        const int code = altDigits_.size() <= 3 ? std::stoi(altDigits_) : -1;
        altDigits_.clear();
        if (code == 29) {
          append(out, kGs, event.time);
        } else if (code >= 0x20 && code <= 0x7E) {
          append(out, static_cast<char>(code), event.time);
        } else {
          ++stats_.unmappedKeys;
          markBad(
              out, event.time,
              makeError(ErrorKind::Invalid, "Alt code " + std::to_string(code) + " is not a scan character"));
        }
      }
      return out;
    default:
      break;
  }
  if (!press) return out;
  if (alt_ && keypadDigit(event.code) >= 0) {
    altDigits_.push_back(static_cast<char>('0' + keypadDigit(event.code)));
    return out;
  }
  if (ctrl_) {
    // Ctrl with the key right of P: GS on every layout a scanner emulates.
    if (event.code == KEY_RIGHTBRACE) {
      append(out, kGs, event.time);
    } else {
      ++stats_.unmappedKeys;
      markBad(out, event.time,
              makeError(ErrorKind::Invalid,
                        "Ctrl with key " + std::to_string(event.code) + " is not a scan character"));
    }
    return out;
  }
  const KeyChars& k = event.code <= KEY_MAX ? tableFor(options_.layout)[event.code] : KeyChars{};
  const char c = altGr_ ? k.altGr : shift_ ? k.shifted : k.plain;
  if (c == 0) {
    ++stats_.unmappedKeys;
    markBad(
        out, event.time,
        makeError(ErrorKind::Invalid, "key " + std::to_string(event.code) + " types nothing on this layout"));
    return out;
  }
  append(out, c, event.time);
  return out;
}

void KeyAssembler::flushStale(std::vector<Result<std::string>>& out, std::chrono::microseconds at) {
  if ((!buffer_.empty() || bad_) && at - lastKey_ > options_.interKeyTimeout) {
    // The previous read stopped mid-way: a suffix-less read is complete,
    // anything else is a fragment.
    auto stale = tick(lastKey_ + options_.interKeyTimeout + std::chrono::microseconds(1));
    out.insert(out.end(), stale.begin(), stale.end());
  }
}

void KeyAssembler::markBad(std::vector<Result<std::string>>& out, std::chrono::microseconds at, Error error) {
  flushStale(out, at);
  // What follows up to the suffix belongs to this read and is not a scan.
  if (!bad_) {
    bad_ = true;
    badReason_ = std::move(error);
  }
  lastKey_ = at;
}

void KeyAssembler::append(std::vector<Result<std::string>>& out, char c, std::chrono::microseconds at) {
  flushStale(out, at);
  lastKey_ = at;
  buffer_.push_back(c);
  const std::string& suffix = options_.suffix;
  if (!suffix.empty() && buffer_.size() >= suffix.size() &&
      buffer_.compare(buffer_.size() - suffix.size(), suffix.size(), suffix) == 0) {
    std::string text = buffer_.substr(0, buffer_.size() - suffix.size());
    buffer_.clear();
    finish(out, std::move(text));
    return;
  }
  if (buffer_.size() > options_.prefix.size() + options_.maxLength + suffix.size()) {
    buffer_.clear();
    if (!bad_) {
      ++stats_.tooLong;
      bad_ = true;
      badReason_ = makeError(ErrorKind::TooLarge,
                             "read longer than " + std::to_string(options_.maxLength) + " characters");
    }
  }
}

void KeyAssembler::finish(std::vector<Result<std::string>>& out, std::string text) {
  if (bad_) {
    bad_ = false;
    out.emplace_back(std::move(badReason_));
    badReason_ = {};
    return;
  }
  if (text.compare(0, options_.prefix.size(), options_.prefix) != 0 || text.size() < options_.prefix.size()) {
    ++stats_.badPrefix;
    out.emplace_back(makeError(ErrorKind::Invalid, "read does not start with the configured prefix"));
    return;
  }
  text.erase(0, options_.prefix.size());
  if (text.empty()) {
    ++stats_.empty;
    out.emplace_back(makeError(ErrorKind::Invalid, "empty read"));
    return;
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u != 0x1D && (u < 0x20 || u > 0x7E)) {
      out.emplace_back(makeError(ErrorKind::Invalid, "read has control character " + std::to_string(u)));
      return;
    }
  }
  ++stats_.codes;
  out.emplace_back(std::move(text));
}

void KeyAssembler::drop(std::vector<Result<std::string>>& out, Error error) {
  buffer_.clear();
  bad_ = false;
  badReason_ = {};
  out.emplace_back(std::move(error));
}

std::vector<Result<std::string>> KeyAssembler::tick(std::chrono::microseconds now) {
  std::vector<Result<std::string>> out;
  if ((buffer_.empty() && !bad_) || now - lastKey_ <= options_.interKeyTimeout) return out;
  if (options_.suffix.empty() && !bad_) {
    std::string text = std::move(buffer_);
    buffer_.clear();
    finish(out, std::move(text));
    return out;
  }
  ++stats_.timeouts;
  if (bad_) {
    Error reason = std::move(badReason_);
    drop(out, std::move(reason));
  } else {
    drop(out, makeError(ErrorKind::Invalid, "read cut off: no key for " +
                                                std::to_string(options_.interKeyTimeout.count()) +
                                                " ms before the suffix"));
  }
  return out;
}

std::optional<std::chrono::microseconds> KeyAssembler::nextDeadline() const {
  if (buffer_.empty() && !bad_) return std::nullopt;
  return lastKey_ + options_.interKeyTimeout + std::chrono::microseconds(1);
}

}  // namespace wms::fwbridge
