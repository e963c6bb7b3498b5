#include "wms/labels/HostStatus.h"

#include <algorithm>
#include <vector>

namespace wms::labels {
namespace {

constexpr char kStx = '\x02';
constexpr char kEtx = '\x03';

Error malformed(const std::string& message) {
  return makeError(ErrorKind::Malformed, "printer status answer " + message);
}

std::vector<std::string_view> splitFields(std::string_view s) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(s.substr(start));
      return fields;
    }
    fields.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
}

bool isNumber(std::string_view f) {
  return !f.empty() && f.size() <= 9 &&
         std::all_of(f.begin(), f.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<bool> flag(std::string_view f, int string, int index) {
  if (f == "0") return false;
  if (f == "1") return true;
  return malformed("has a flag that is not 0 or 1 (string " + std::to_string(string) + ", field " +
                   std::to_string(index + 1) + ")");
}

Result<int> number(std::string_view f, int string, int index) {
  if (!isNumber(f)) {
    return malformed("has a field that is not a number (string " + std::to_string(string) + ", field " +
                     std::to_string(index + 1) + ")");
  }
  int value = 0;
  for (char c : f) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string ZebraHostStatus::problem() const {
  std::string out;
  const auto add = [&](bool on, const char* what) {
    if (!on) return;
    if (!out.empty()) out += ", ";
    out += what;
  };
  add(paperOut, "paper out");
  add(ribbonOut, "ribbon out");
  add(headUp, "head open");
  add(paused, "paused");
  add(bufferFull, "receive buffer full");
  add(overTemperature, "head too hot");
  add(underTemperature, "head too cold");
  add(corruptRam, "configuration lost");
  return out;
}

bool hostStatusComplete(std::string_view bytes) {
  return std::count(bytes.begin(), bytes.end(), kEtx) >= 3;
}

Result<ZebraHostStatus> parseZebraHostStatus(std::string_view bytes) {
  if (bytes.size() > kMaxHostStatusBytes) {
    return makeError(ErrorKind::TooLarge, "printer status answer is " + std::to_string(bytes.size()) +
                                              " bytes, at most " + std::to_string(kMaxHostStatusBytes) +
                                              " expected");
  }
  std::vector<std::string_view> strings;
  std::size_t pos = 0;
  while (strings.size() < 3) {
    // Between strings only CR, LF and spaces may appear.
    while (pos < bytes.size() && (bytes[pos] == '\r' || bytes[pos] == '\n' || bytes[pos] == ' ')) ++pos;
    if (pos >= bytes.size())
      return malformed("is truncated: " + std::to_string(strings.size()) + " of 3 strings");
    if (bytes[pos] != kStx) return malformed("does not start a string with STX");
    const std::size_t end = bytes.find(kEtx, pos + 1);
    if (end == std::string_view::npos) return malformed("is truncated: a string has no ETX");
    const std::string_view body = bytes.substr(pos + 1, end - pos - 1);
    if (body.find(kStx) != std::string_view::npos) return malformed("has a string with two STX");
    strings.push_back(body);
    pos = end + 1;
  }

  const auto s1 = splitFields(strings[0]);
  const auto s2 = splitFields(strings[1]);
  const auto s3 = splitFields(strings[2]);
  if (s1.size() < 12) return malformed("string 1 has " + std::to_string(s1.size()) + " fields, expected 12");
  if (s2.size() < 11) return malformed("string 2 has " + std::to_string(s2.size()) + " fields, expected 11");
  if (s3.size() < 2) return malformed("string 3 has " + std::to_string(s3.size()) + " fields, expected 2");

  ZebraHostStatus status;
  struct FlagField {
    const std::vector<std::string_view>* fields;
    int string;
    int index;
    bool* target;
  };
  const FlagField flags[] = {
      {&s1, 1, 1, &status.paperOut},
      {&s1, 1, 2, &status.paused},
      {&s1, 1, 5, &status.bufferFull},
      {&s1, 1, 9, &status.corruptRam},
      {&s1, 1, 10, &status.underTemperature},
      {&s1, 1, 11, &status.overTemperature},
      {&s2, 2, 2, &status.headUp},
      {&s2, 2, 3, &status.ribbonOut},
  };
  for (const auto& f : flags) {
    auto value = flag((*f.fields)[f.index], f.string, f.index);
    if (!value) return value.error();
    *f.target = value.value();
  }
  auto length = number(s1[3], 1, 3);
  if (!length) return length.error();
  status.labelLengthDots = length.value();
  auto formats = number(s1[4], 1, 4);
  if (!formats) return formats.error();
  status.formatsInBuffer = formats.value();
  auto settings = number(s1[0], 1, 0);
  if (!settings) return settings.error();
  return status;
}

}  // namespace wms::labels
