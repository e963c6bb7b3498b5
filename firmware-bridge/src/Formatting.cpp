#include "wms/fwbridge/Formatting.h"

#include <charconv>

#include "wms/gs1/Gs1.h"

namespace wms::fwbridge {
namespace {

constexpr std::size_t kMaxRules = 1000;
constexpr std::size_t kMaxRulesText = 64 * 1024;

Error at(int line, std::string what) {
  return makeError(ErrorKind::Invalid, "rules line " + std::to_string(line) + ": " + what);
}

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> unescape(std::string_view text, int line) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 4, "<GS>") == 0) {
      out.push_back('\x1d');
      i += 3;
      continue;
    }
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 1 >= text.size()) return at(line, "'\\' at the end of '" + std::string(text) + "'");
    const char e = text[++i];
    switch (e) {
      case 's':
        out.push_back(' ');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case 'x': {
        if (i + 2 >= text.size()) return at(line, "\\x needs two hex digits in '" + std::string(text) + "'");
        const int hi = hexValue(text[i + 1]);
        const int lo = hexValue(text[i + 2]);
        if (hi < 0 || lo < 0) return at(line, "\\x needs two hex digits in '" + std::string(text) + "'");
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        return at(line, std::string("unknown escape \\") + e + " in '" + std::string(text) + "'");
    }
  }
  return out;
}

Result<std::size_t> number(std::string_view text, int line, const std::string& what) {
  std::size_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || v > 100000) {
    return at(line, what + " must be a number 0..100000, got '" + std::string(text) + "'");
  }
  return v;
}

bool isAim(std::string_view s) {
  if (s.size() < 3 || s[0] != ']') return false;
  const char letter = s[1];
  const char mod = s[2];
  return ((letter >= 'A' && letter <= 'Z') || (letter >= 'a' && letter <= 'z')) &&
         ((mod >= '0' && mod <= '9') || (mod >= 'A' && mod <= 'Z') || (mod >= 'a' && mod <= 'z'));
}

Result<Formatter::Rule> parseRule(const std::vector<std::string>& w, int line) {
  Formatter::Rule rule;
  rule.line = line;
  std::size_t i = 1;
  bool arrow = false;
  for (; i < w.size(); ++i) {
    if (w[i] == "=>") {
      arrow = true;
      ++i;
      break;
    }
    const auto eq = w[i].find('=');
    if (eq == std::string::npos) return at(line, "condition '" + w[i] + "' needs '=' (e.g. source=wedge)");
    const std::string key = w[i].substr(0, eq);
    const std::string value = w[i].substr(eq + 1);
    if (key == "source") {
      std::size_t from = 0;
      while (from <= value.size()) {
        const auto comma = value.find(',', from);
        const std::string one =
            value.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (one == "engine")
          rule.sources.push_back(ScanSource::Engine);
        else if (one == "ssi")
          rule.sources.push_back(ScanSource::Ssi);
        else if (one == "wedge")
          rule.sources.push_back(ScanSource::Wedge);
        else if (one == "any") {
        } else
          return at(line, "source '" + one + "' is unknown (engine, ssi, wedge, any)");
        if (comma == std::string::npos) break;
        from = comma + 1;
      }
    } else if (key == "symbology") {
      if (value != "none" && (value.empty() || value[0] != ']' || value.size() > 3)) {
        return at(line, "symbology must be an AIM identifier or its start (]C1, ]C, ]e0) or none, got '" +
                            value + "'");
      }
      rule.symbology = value;
    } else if (key == "length") {
      const auto dash = value.find('-');
      auto lo = number(value.substr(0, dash), line, "length");
      if (!lo) return lo.error();
      rule.minLength = *lo;
      rule.maxLength = *lo;
      if (dash != std::string::npos) {
        auto hi = number(value.substr(dash + 1), line, "length");
        if (!hi) return hi.error();
        if (*hi < *lo) return at(line, "length range " + value + " runs backwards");
        rule.maxLength = *hi;
      }
    } else if (key == "prefix") {
      auto text = unescape(value, line);
      if (!text) return text.error();
      if (text->empty()) return at(line, "prefix is empty");
      rule.prefix = *text;
    } else {
      return at(line, "condition '" + key + "' is unknown (source, symbology, length, prefix)");
    }
  }
  if (!arrow) return at(line, "missing '=>' between conditions and actions");
  for (; i < w.size(); ++i) {
    const auto eq = w[i].find('=');
    const std::string key = w[i].substr(0, eq);
    const std::string value = eq == std::string::npos ? std::string() : w[i].substr(eq + 1);
    const bool hasValue = eq != std::string::npos;
    using Kind = Formatter::Action::Kind;
    Formatter::Action a;
    auto needsValue = [&](bool want) -> Status {
      if (want != hasValue)
        return at(line, "action '" + key + (want ? "' needs a value" : "' takes no value"));
      return {};
    };
    if (key == "strip-aim" || key == "drop-symbology" || key == "gs1-hri" || key == "discard") {
      if (auto s = needsValue(false); !s) return s.error();
      a.kind = key == "strip-aim"        ? Kind::StripAim
               : key == "drop-symbology" ? Kind::DropSymbology
               : key == "gs1-hri"        ? Kind::Gs1Hri
                                         : Kind::Discard;
    } else if (key == "strip-leading" || key == "strip-trailing") {
      if (auto s = needsValue(true); !s) return s.error();
      auto n = number(value, line, key);
      if (!n) return n.error();
      a.kind = key == "strip-leading" ? Kind::StripLeading : Kind::StripTrailing;
      a.count = *n;
    } else if (key == "strip" || key == "add-prefix" || key == "add-suffix") {
      if (auto s = needsValue(true); !s) return s.error();
      auto text = unescape(value, line);
      if (!text) return text.error();
      if (text->empty()) return at(line, key + " needs a text");
      a.kind = key == "strip" ? Kind::Strip : key == "add-prefix" ? Kind::AddPrefix : Kind::AddSuffix;
      a.text = *text;
    } else if (key == "map") {
      if (auto s = needsValue(true); !s) return s.error();
      const auto colon = value.find(':');
      if (colon == std::string::npos) return at(line, "map needs FROM:TO, got '" + value + "'");
      auto from = unescape(value.substr(0, colon), line);
      if (!from) return from.error();
      auto to = unescape(value.substr(colon + 1), line);
      if (!to) return to.error();
      if (from->empty()) return at(line, "map's FROM is empty");
      a.kind = Kind::Map;
      a.text = *from;
      a.to = *to;
    } else {
      return at(line, "action '" + key + "' is unknown");
    }
    rule.actions.push_back(std::move(a));
  }
  if (rule.actions.empty()) return at(line, "a rule needs at least one action after '=>'");
  return rule;
}

bool matches(const Formatter::Rule& r, const Scan& s) {
  if (!r.sources.empty()) {
    bool any = false;
    for (auto src : r.sources) any = any || src == s.source;
    if (!any) return false;
  }
  if (r.symbology) {
    if (*r.symbology == "none") {
      if (!s.symbology.empty()) return false;
    } else if (s.symbology.compare(0, r.symbology->size(), *r.symbology) != 0) {
      return false;
    }
  }
  if (s.data.size() < r.minLength || s.data.size() > r.maxLength) return false;
  if (r.prefix && s.data.compare(0, r.prefix->size(), *r.prefix) != 0) return false;
  return true;
}

}  // namespace

const char* toString(ScanSource source) noexcept {
  switch (source) {
    case ScanSource::Engine:
      return "engine";
    case ScanSource::Ssi:
      return "ssi";
    case ScanSource::Wedge:
      return "wedge";
  }
  return "?";
}

Status checkScanData(std::string_view data) {
  if (data.empty()) return makeError(ErrorKind::Invalid, "scan is empty");
  if (data.size() > kMaxScanLength) {
    return makeError(ErrorKind::TooLarge, "scan of " + std::to_string(data.size()) + " characters exceeds " +
                                              std::to_string(kMaxScanLength));
  }
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c != 0x1D && (c < 0x20 || c > 0x7E)) {
      return makeError(ErrorKind::Invalid,
                       "scan has control character " + std::to_string(c) + " at " + std::to_string(i));
    }
  }
  return {};
}

Result<Formatter> Formatter::parse(std::string_view text) {
  if (text.size() > kMaxRulesText) return makeError(ErrorKind::TooLarge, "rules file over 64 KiB");
  Formatter f;
  int lineNo = 0;
  std::size_t from = 0;
  while (from < text.size()) {
    auto nl = text.find('\n', from);
    std::string_view line =
        text.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
    from = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto w = words(line);
    if (w.empty() || w[0][0] == '#') continue;
    if (w[0] != "match") return at(lineNo, "a rule starts with 'match', got '" + w[0] + "'");
    auto rule = parseRule(w, lineNo);
    if (!rule) return rule.error();
    if (f.rules_.size() >= kMaxRules) return makeError(ErrorKind::TooLarge, "more than 1000 rules");
    f.rules_.push_back(std::move(*rule));
  }
  return f;
}

Result<std::optional<Scan>> Formatter::apply(Scan scan) const {
  const Rule* rule = nullptr;
  for (const auto& r : rules_) {
    if (matches(r, scan)) {
      rule = &r;
      break;
    }
  }
  if (rule != nullptr) {
    const std::string where = "rule on line " + std::to_string(rule->line) + ": ";
    using Kind = Action::Kind;
    for (const auto& a : rule->actions) {
      switch (a.kind) {
        case Kind::StripAim:
          if (isAim(scan.data)) {
            scan.symbology = scan.data.substr(0, 3);
            scan.data.erase(0, 3);
          }
          break;
        case Kind::DropSymbology:
          scan.symbology.clear();
          break;
        case Kind::StripLeading:
          if (scan.data.size() < a.count)
            return makeError(ErrorKind::Invalid, where + "scan shorter than the characters to strip");
          scan.data.erase(0, a.count);
          break;
        case Kind::StripTrailing:
          if (scan.data.size() < a.count)
            return makeError(ErrorKind::Invalid, where + "scan shorter than the characters to strip");
          scan.data.erase(scan.data.size() - a.count);
          break;
        case Kind::Strip:
          if (scan.data.compare(0, a.text.size(), a.text) == 0) scan.data.erase(0, a.text.size());
          break;
        case Kind::AddPrefix:
          scan.data.insert(0, a.text);
          break;
        case Kind::AddSuffix:
          scan.data.append(a.text);
          break;
        case Kind::Map: {
          std::string out;
          std::size_t i = 0;
          while (i < scan.data.size()) {
            if (scan.data.compare(i, a.text.size(), a.text) == 0) {
              out += a.to;
              i += a.text.size();
            } else {
              out.push_back(scan.data[i++]);
            }
            if (out.size() > kMaxScanLength)
              return makeError(ErrorKind::TooLarge, where + "mapped scan too long");
          }
          scan.data = std::move(out);
          break;
        }
        case Kind::Gs1Hri: {
          auto gs1 = gs1::parse(scan.data);
          if (!gs1) return makeError(ErrorKind::Invalid, where + "not GS1 data: " + gs1.error().message);
          scan.data = gs1->humanReadable();
          break;
        }
        case Kind::Discard:
          return std::optional<Scan>{};
      }
    }
  }
  if (auto s = checkScanData(scan.data); !s) return s.error();
  return std::optional<Scan>{std::move(scan)};
}

}  // namespace wms::fwbridge
