#include "wms/gs1/Gs1.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace wms::gs1 {
namespace {

constexpr char kGS = '\x1d';

enum class Chars { Numeric, Alnum };
enum class Check { None, Mod10, Date, Decimal, Price };

struct AiSpec {
  std::string_view ai;  // exact AI, or a 2-digit family prefix for 4-digit families (see lookup)
  int minLen;
  int maxLen;
  Chars chars;
  Check check;
  bool fixed;  // predefined length: no GS follows the value
};

// The AIs a warehouse meets. Families whose last digit is a parameter
// (31xx-36xx measures, 392x price) are matched by prefix in lookup().
constexpr std::array<AiSpec, 36> kSpecs{{
    {"00", 18, 18, Chars::Numeric, Check::Mod10, true},   // SSCC
    {"01", 14, 14, Chars::Numeric, Check::Mod10, true},   // GTIN
    {"02", 14, 14, Chars::Numeric, Check::Mod10, true},   // GTIN of contained items
    {"10", 1, 20, Chars::Alnum, Check::None, false},      // batch/lot
    {"11", 6, 6, Chars::Numeric, Check::Date, true},      // production date
    {"12", 6, 6, Chars::Numeric, Check::Date, true},      // due date
    {"13", 6, 6, Chars::Numeric, Check::Date, true},      // packaging date
    {"15", 6, 6, Chars::Numeric, Check::Date, true},      // best before
    {"16", 6, 6, Chars::Numeric, Check::Date, true},      // sell by
    {"17", 6, 6, Chars::Numeric, Check::Date, true},      // expiry
    {"20", 2, 2, Chars::Numeric, Check::None, true},      // variant
    {"21", 1, 20, Chars::Alnum, Check::None, false},      // serial
    {"22", 1, 20, Chars::Alnum, Check::None, false},      // consumer product variant
    {"30", 1, 8, Chars::Numeric, Check::None, false},     // variable count
    {"37", 1, 8, Chars::Numeric, Check::None, false},     // count of trade items
    {"240", 1, 30, Chars::Alnum, Check::None, false},     // additional product id
    {"241", 1, 30, Chars::Alnum, Check::None, false},     // customer part number
    {"250", 1, 30, Chars::Alnum, Check::None, false},     // secondary serial
    {"400", 1, 30, Chars::Alnum, Check::None, false},     // customer's order number
    {"401", 1, 30, Chars::Alnum, Check::None, false},     // consignment number
    {"410", 13, 13, Chars::Numeric, Check::Mod10, true},  // ship to GLN
    {"411", 13, 13, Chars::Numeric, Check::Mod10, true},  // bill to GLN
    {"412", 13, 13, Chars::Numeric, Check::Mod10, true},  // purchased from GLN
    {"413", 13, 13, Chars::Numeric, Check::Mod10, true},  // ship for GLN
    {"414", 13, 13, Chars::Numeric, Check::Mod10, true},  // physical location GLN
    {"415", 13, 13, Chars::Numeric, Check::Mod10, true},  // invoicing party GLN
    {"420", 1, 20, Chars::Alnum, Check::None, false},     // ship-to postal code
    {"91", 1, 90, Chars::Alnum, Check::None, false},      // company internal
    {"92", 1, 90, Chars::Alnum, Check::None, false},     {"93", 1, 90, Chars::Alnum, Check::None, false},
    {"94", 1, 90, Chars::Alnum, Check::None, false},     {"95", 1, 90, Chars::Alnum, Check::None, false},
    {"96", 1, 90, Chars::Alnum, Check::None, false},     {"97", 1, 90, Chars::Alnum, Check::None, false},
    {"98", 1, 90, Chars::Alnum, Check::None, false},     {"99", 1, 90, Chars::Alnum, Check::None, false},
}};
constexpr AiSpec kMeasure{"31-36", 6, 6, Chars::Numeric, Check::Decimal, true};  // 31xx-36xx
constexpr AiSpec kPrice{"392", 1, 15, Chars::Numeric, Check::Price, false};      // 392x
// An AI outside the table whose length is known from its prefix: kept as text.
constexpr AiSpec kUnknownFixed2{"?", 0, 0, Chars::Alnum, Check::None, true};
constexpr AiSpec kUnknownVariable{"?", 1, 90, Chars::Alnum, Check::None, false};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// How many digits an AI has, from its first two (GS1 General Specifications,
// the AI table is prefix-free); 0 for prefixes that are not assigned.
int aiLength(char a, char b) {
  int p = (a - '0') * 10 + (b - '0');
  if (p <= 4 || (p >= 10 && p <= 22) || p == 30 || p == 37 || p >= 90) return 2;
  if ((p >= 23 && p <= 25) || (p >= 40 && p <= 42) || p == 71) return 3;
  if ((p >= 31 && p <= 36) || p == 39 || p == 43 || p == 70 || p == 72 || (p >= 80 && p <= 82)) return 4;
  return 0;
}

// Fixed value lengths of the predefined-length prefixes outside our table.
int predefinedValueLength(std::string_view ai) {
  int p = (ai[0] - '0') * 10 + (ai[1] - '0');
  if (p == 3) return 14;
  if (p == 4) return 16;
  if (p >= 11 && p <= 19) return 6;
  if (p == 20) return 2;
  if (p == 41) return 13;
  return 0;
}

const AiSpec* lookup(std::string_view ai) {
  for (const auto& s : kSpecs)
    if (s.ai == ai) return &s;
  int p = (ai[0] - '0') * 10 + (ai[1] - '0');
  if (ai.size() == 4 && p >= 31 && p <= 36) return &kMeasure;
  if (ai.size() == 4 && ai.substr(0, 3) == "392") return &kPrice;
  return nullptr;
}

// GS1 AI encodable character set 82.
bool isGs1Char82(char c) {
  if (isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

std::string printable(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", u);
  return buf;
}

std::string clip(std::string_view s) {
  if (s.size() <= 24) return std::string(s);
  return std::string(s.substr(0, 24)) + "...";
}

bool isLeap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int daysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// GS1 General Specifications 7.12: YY is taken within 49 years back and 50
// years ahead of the reference year.
int resolveYear(int yy, int referenceYear) {
  if (referenceYear <= 0) return 2000 + yy;
  int current = referenceYear % 100;
  int century = referenceYear - current;
  int diff = yy - current;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

int checkDigit(std::string_view digits) noexcept {
  int sum = 0;
  int weight = 3;  // the digit next to the check digit weighs 3
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!isDigit(*it)) return -1;
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

bool hasValidCheckDigit(std::string_view digits) noexcept {
  if (digits.size() < 2 || !isDigit(digits.back())) return false;
  return checkDigit(digits.substr(0, digits.size() - 1)) == digits.back() - '0';
}

std::string Date::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
  return buf;
}

// Builds a Data element by element; the first problem is the error.
class Parser {
 public:
  explicit Parser(const ParseOptions& options) : options_(options) {}

  Result<Data> parseRaw(std::string_view s) {
    std::size_t pos = 0;
    while (pos < s.size()) {
      if (s[pos] == kGS) {  // separators after fixed-length values are tolerated
        ++pos;
        continue;
      }
      if (pos + 1 >= s.size()) return malformed("data ends inside an AI at byte " + std::to_string(pos));
      if (!isDigit(s[pos]) || !isDigit(s[pos + 1]))
        return malformed("expected an AI (digits) at byte " + std::to_string(pos) + ", found " +
                         printable(isDigit(s[pos]) ? s[pos + 1] : s[pos]));
      int len = aiLength(s[pos], s[pos + 1]);
      if (len == 0)
        return malformed("unknown AI starting '" + std::string(s.substr(pos, 2)) + "' at byte " +
                         std::to_string(pos));
      if (pos + static_cast<std::size_t>(len) > s.size())
        return malformed("data ends inside an AI at byte " + std::to_string(pos));
      for (int i = 2; i < len; ++i)
        if (!isDigit(s[pos + static_cast<std::size_t>(i)]))
          return malformed("AI at byte " + std::to_string(pos) + " has a non-digit " +
                           printable(s[pos + static_cast<std::size_t>(i)]));
      std::string_view ai = s.substr(pos, static_cast<std::size_t>(len));
      pos += static_cast<std::size_t>(len);
      const AiSpec& spec = specFor(ai);
      std::string_view value;
      if (spec.fixed) {
        auto n = static_cast<std::size_t>(fixedLength(ai, spec));
        std::size_t avail = 0;
        while (avail < n && pos + avail < s.size() && s[pos + avail] != kGS) ++avail;
        if (avail < n)
          return malformed("AI " + std::string(ai) + " needs " + std::to_string(n) + " characters, got " +
                           std::to_string(avail) +
                           (pos + avail < s.size() ? " before a GS separator" : " before the end"));
        value = s.substr(pos, n);
        pos += n;
      } else {
        std::size_t end = s.find(kGS, pos);
        if (end == std::string_view::npos) end = s.size();
        value = s.substr(pos, end - pos);
        pos = end;
        if (static_cast<int>(value.size()) > spec.maxLen)
          return invalid("AI " + std::string(ai) + " value is " + std::to_string(value.size()) +
                         " characters, at most " + std::to_string(spec.maxLen) +
                         " allowed (missing GS separator?)");
      }
      if (auto st = add(ai, value, spec); !st) return st.error();
    }
    return finish();
  }

  Result<Data> parseHumanReadable(std::string_view s) {
    std::size_t pos = 0;
    while (pos < s.size()) {
      std::size_t close = s.find(')', pos);
      if (s[pos] != '(' || close == std::string_view::npos)
        return malformed("expected '(AI)' at byte " + std::to_string(pos));
      std::string_view ai = s.substr(pos + 1, close - pos - 1);
      if (!isAi(ai))
        return malformed("'(" + clip(ai) + ")' at byte " + std::to_string(pos) + " is not a GS1 AI");
      pos = close + 1;
      std::size_t end = pos;
      while (end < s.size() && !(s[end] == '(' && startsAi(s, end))) ++end;
      std::string_view value = s.substr(pos, end - pos);
      pos = end;
      const AiSpec& spec = specFor(ai);
      if (spec.fixed && static_cast<int>(value.size()) != fixedLength(ai, spec))
        return invalid("AI " + std::string(ai) + " needs " + std::to_string(fixedLength(ai, spec)) +
                       " characters, got " + std::to_string(value.size()));
      if (!spec.fixed && static_cast<int>(value.size()) > spec.maxLen)
        return invalid("AI " + std::string(ai) + " value is " + std::to_string(value.size()) +
                       " characters, at most " + std::to_string(spec.maxLen) + " allowed");
      if (auto st = add(ai, value, spec); !st) return st.error();
    }
    return finish();
  }

 private:
  static bool isAi(std::string_view ai) {
    if (ai.size() < 2 || ai.size() > 4 || !std::all_of(ai.begin(), ai.end(), isDigit)) return false;
    return aiLength(ai[0], ai[1]) == static_cast<int>(ai.size());
  }
  static bool startsAi(std::string_view s, std::size_t open) {
    std::size_t close = s.find(')', open);
    return close != std::string_view::npos && close - open <= 5 && isAi(s.substr(open + 1, close - open - 1));
  }

  static const AiSpec& specFor(std::string_view ai) {
    if (const AiSpec* spec = lookup(ai)) return *spec;
    return predefinedValueLength(ai) > 0 ? kUnknownFixed2 : kUnknownVariable;
  }
  static int fixedLength(std::string_view ai, const AiSpec& spec) {
    return &spec == &kUnknownFixed2 ? predefinedValueLength(ai) : spec.maxLen;
  }

  Status add(std::string_view ai, std::string_view value, const AiSpec& spec) {
    std::string name(ai);
    if (value.empty()) return invalid("AI " + name + " has an empty value");
    if (static_cast<int>(value.size()) < spec.minLen)
      return invalid("AI " + name + " value is " + std::to_string(value.size()) + " characters, at least " +
                     std::to_string(spec.minLen) + " needed");
    for (std::size_t i = 0; i < value.size(); ++i) {
      char c = value[i];
      if (spec.chars == Chars::Numeric ? !isDigit(c) : !isGs1Char82(c))
        return malformed(
            "AI " + name + " value has " + printable(c) + " at position " + std::to_string(i + 1) + ", " +
            (spec.chars == Chars::Numeric ? "expected a digit" : "not in the GS1 character set"));
    }
    Element e{name, std::string(value), std::nullopt, std::nullopt,
                 &spec != &kUnknownFixed2 && &spec != &kUnknownVariable};
    switch (spec.check) {
      case Check::None:
        break;
      case Check::Mod10: {
        int expected = checkDigit(value.substr(0, value.size() - 1));
        if (expected != value.back() - '0')
          return invalid("AI " + name + " check digit is " + std::string(1, value.back()) + ", expected " +
                         std::to_string(expected));
        break;
      }
      case Check::Date: {
        int yy = num(value.substr(0, 2)), mm = num(value.substr(2, 2)), dd = num(value.substr(4, 2));
        if (mm < 1 || mm > 12)
          return invalid("AI " + name + " date " + std::string(value) + ": month " +
                         std::string(value.substr(2, 2)) + " is not 01-12");
        int year = resolveYear(yy, options_.referenceYear);
        int last = daysIn(year, mm);
        if (dd > last)
          return invalid("AI " + name + " date " + std::string(value) + ": day " +
                         std::string(value.substr(4, 2)) + " does not exist in " + std::to_string(year) +
                         "-" + std::string(value.substr(2, 2)));
        e.date = Date{year, mm, dd == 0 ? last : dd, dd == 0};
        break;
      }
      case Check::Decimal:
      case Check::Price: {
        int decimals = ai[3] - '0';
        if (spec.check == Check::Decimal && decimals > 5)
          return invalid("AI " + name + ": decimal point position " + std::to_string(decimals) +
                         " is not 0-5");
        double v = 0;
        for (char c : value) v = v * 10 + (c - '0');
        e.number = v / std::pow(10.0, decimals);
        break;
      }
    }
    for (const auto& other : data_.elements_) {
      if (other.ai != name) continue;
      if (other.value != e.value)
        return invalid("AI " + name + " appears twice with different values ('" + clip(other.value) +
                       "' and '" + clip(e.value) + "')");
      return {};  // an identical repeat adds nothing
    }
    data_.elements_.push_back(std::move(e));
    return {};
  }

  Result<Data> finish() {
    if (data_.elements_.empty()) return malformed("no GS1 elements");
    return std::move(data_);
  }

  static Error malformed(std::string m) {
    return makeError(ErrorKind::Malformed, "GS1 data: " + std::move(m));
  }
  static Error invalid(std::string m) { return makeError(ErrorKind::Invalid, "GS1 data: " + std::move(m)); }

  ParseOptions options_;
  Data data_;
};

Result<Data> parse(std::string_view text, const ParseOptions& options) {
  if (text.size() > kMaxLength)
    return makeError(ErrorKind::TooLarge, "GS1 data: " + std::to_string(text.size()) +
                                              " characters, more than " + std::to_string(kMaxLength));
  if (text.size() >= 3 && text[0] == ']') {
    std::string_view id = text.substr(0, 3);
    if (id != "]C1" && id != "]e0" && id != "]d2" && id != "]Q3" && id != "]J1")
      return makeError(ErrorKind::Malformed,
                       "GS1 data: symbology identifier " + std::string(id) + " does not mark GS1 data");
    text.remove_prefix(3);
  }
  if (!text.empty() && text[0] == kGS) text.remove_prefix(1);  // a leading FNC1 some scan engines pass on
  if (text.empty()) return makeError(ErrorKind::Malformed, "GS1 data: empty");
  Parser parser(options);
  return text[0] == '(' ? parser.parseHumanReadable(text) : parser.parseRaw(text);
}

const Element* Data::find(std::string_view ai) const noexcept {
  for (const auto& e : elements_)
    if (e.ai == ai) return &e;
  return nullptr;
}

namespace {
std::optional<std::string> valueOf(const Data& d, std::string_view ai) {
  if (const auto* e = d.find(ai)) return e->value;
  return std::nullopt;
}
}  // namespace

std::optional<std::string> Data::gtin() const {
  return valueOf(*this, "01");
}
std::optional<std::string> Data::lot() const {
  return valueOf(*this, "10");
}
std::optional<std::string> Data::serial() const {
  return valueOf(*this, "21");
}
std::optional<std::string> Data::sscc() const {
  return valueOf(*this, "00");
}
std::optional<Date> Data::expiry() const {
  const auto* e = find("17");
  return e ? e->date : std::nullopt;
}
std::optional<Date> Data::bestBefore() const {
  const auto* e = find("15");
  return e ? e->date : std::nullopt;
}
std::optional<double> Data::netWeightKg() const {
  for (const auto& e : elements_)
    if (e.ai.size() == 4 && e.ai.compare(0, 3, "310") == 0) return e.number;
  return std::nullopt;
}

std::string Data::humanReadable() const {
  std::string out;
  for (const auto& e : elements_) out += "(" + e.ai + ")" + e.value;
  return out;
}

}  // namespace wms::gs1
