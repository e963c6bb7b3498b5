#include "Common.h"

#include <algorithm>

#include "wms/channels/Payloads.h"
#include "wms/domain/Ids.h"

namespace wms::channels {

const char* toString(OrderState state) noexcept {
  switch (state) {
    case OrderState::Open: return "open";
    case OrderState::Cancelled: return "cancelled";
    case OrderState::Closed: return "closed";
  }
  return "open";
}

namespace payloads {

void addLine(std::vector<ChannelLine>& lines, ChannelLine line) {
  for (auto& l : lines) {
    if (l.skuKeys == line.skuKeys) {
      l.qty += line.qty;
      return;
    }
  }
  lines.push_back(std::move(line));
}

std::int64_t quantity(json::ObjectReader& r, const std::string& key) {
  std::int64_t q = r.integer(key, json::Need::Required);
  if (r.ok() && (q < 1 || q > domain::kMaxQuantity))
    r.fail(key, "must be a whole number from 1 to " + std::to_string(domain::kMaxQuantity));
  return q;
}

std::int64_t unixSeconds(json::ObjectReader& r, const std::string& key, json::Need need) {
  std::int64_t s = r.integer(key, need);
  // Seconds between 2000 and 2200; a value in ms is 1000x too large and refused.
  if (r.ok() && r.has(key) && (s < 946684800 || s > 7258118400)) {
    r.fail(key, "must be a unix time in seconds");
    return 0;
  }
  return s * 1000;
}

std::int64_t timestamp(json::ObjectReader& r, const std::string& key, json::Need need) {
  std::string text = r.text(key, need, 64);
  if (!r.ok() || text.empty()) return 0;
  auto ms = parseTimestamp(text);
  if (!ms) {
    r.fail(key, "is not a timestamp: " + ms.error().message);
    return 0;
  }
  return *ms;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string countryCode(std::string_view nameOrCode) {
  if (nameOrCode.size() == 2 && std::all_of(nameOrCode.begin(), nameOrCode.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
    std::string up(nameOrCode);
    std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return up;
  }
  static const std::pair<const char*, const char*> names[] = {
      {"singapore", "SG"}, {"malaysia", "MY"},      {"thailand", "TH"},       {"vietnam", "VN"},
      {"viet nam", "VN"},  {"philippines", "PH"},   {"indonesia", "ID"},      {"united states", "US"},
      {"united kingdom", "GB"}, {"japan", "JP"},    {"australia", "AU"},      {"china", "CN"},
  };
  const std::string l = lower(nameOrCode);
  for (const auto& [name, code] : names) {
    if (l == name) return code;
  }
  return {};
}

}  // namespace payloads

Result<std::int64_t> parseTimestamp(std::string_view t) {
  // YYYY-MM-DD[T ]HH:MM:SS[.f+][Z | ±HH:MM | ±HHMM | ' '±HHMM]
  auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > t.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  const Error bad{ErrorKind::Invalid, "expected YYYY-MM-DDTHH:MM:SS with Z or an offset"};
  int y, mo, d, h, mi, s;
  if (t.size() < 19 || !digits(0, 4, y) || t[4] != '-' || !digits(5, 2, mo) || t[7] != '-' || !digits(8, 2, d) ||
      (t[10] != 'T' && t[10] != ' ') || !digits(11, 2, h) || t[13] != ':' || !digits(14, 2, mi) || t[16] != ':' ||
      !digits(17, 2, s))
    return bad;
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return bad;
  std::size_t i = 19;
  std::int64_t millis = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    std::size_t start = i;
    int scale = 100;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (scale > 0) millis += (t[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start || i - start > 9) return bad;
  }
  int offsetMin = 0;
  if (i < t.size() && t[i] == ' ') ++i;  // Lazada: "2014-10-11 20:21:04 +0800"
  if (i >= t.size()) return bad;
  if (t[i] == 'Z' && i + 1 == t.size()) {
    ++i;
  } else if (t[i] == '+' || t[i] == '-') {
    int sign = t[i] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(i + 1, 2, oh)) return bad;
    std::size_t j = i + 3;
    if (j < t.size() && t[j] == ':') ++j;
    if (!digits(j, 2, om) || j + 2 != t.size() || oh > 14 || om > 59) return bad;
    offsetMin = sign * (oh * 60 + om);
    i = t.size();
  } else {
    return bad;
  }
  // Days from the civil date (H. Hinnant's algorithm).
  const int yy = y - (mo <= 2 ? 1 : 0);
  const int era = yy / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - static_cast<std::int64_t>(offsetMin) * 60;
  return secs * 1000 + millis;
}

}  // namespace wms::channels
