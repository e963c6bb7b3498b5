#include "Text.h"

namespace wms::handheld::text {

bool isId(std::string_view s) noexcept {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E) return false;
  return true;
}

std::string shown(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t n = s.size() <= max ? s.size() : max;
  // Cut on a character boundary so that the screen never gets half a character.
  if (n < s.size())
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7F) ? '?' : s[i];
  }
  if (n < s.size()) out += "...";
  return out;
}

std::string_view trimmed(std::string_view s) noexcept {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool startsWith(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::string units(int n) { return std::to_string(n) + (n == 1 ? " unit" : " units"); }

}  // namespace wms::handheld::text
