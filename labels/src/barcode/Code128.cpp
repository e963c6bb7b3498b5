// Code 128 symbol characters from ISO/IEC 15417: the code set choice, the
// mod-103 check character and the bar patterns.
#include "barcode/Code128.h"

#include <array>
#include <limits>
#include <stdexcept>

namespace wms::labels::barcode {
namespace {

// Bar/space widths of symbol characters 0..105 (bar first, six elements of
// 1..4 modules, 11 modules in all) and of the stop character (seven elements,
// 13 modules), ISO/IEC 15417 table 1.
constexpr std::array<const char*, 107> kPatterns = {
    "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
    "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
    "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
    "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
    "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
    "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
    "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
    "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
    "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
    "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
    "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
};

enum Set { kA = 0, kB = 1, kC = 2 };
constexpr int kSets = 3;
// Tie-break order when a code change is needed: C, then B, then A.
constexpr std::array<Set, kSets> kPreference = {kC, kB, kA};
constexpr int kNone = std::numeric_limits<int>::max() / 4;

// One input element: an ASCII byte, or FNC1.
constexpr int kFnc1Element = 256;

bool isDigit(int e) { return e >= '0' && e <= '9'; }
bool inSetA(int e) { return e < 0x60; }               // controls, space .. '_'
bool inSetB(int e) { return e >= 0x20 && e < 0x80; }  // space .. DEL

int valueA(int e) { return e >= 0x20 ? e - 0x20 : e + 0x40; }
int valueB(int e) { return e - 0x20; }

int codeChangeTo(Set s) { return s == kA ? kCode128CodeA : s == kB ? kCode128CodeB : kCode128CodeC; }
int startOf(Set s) { return s == kA ? kCode128StartA : s == kB ? kCode128StartB : kCode128StartC; }

}  // namespace

std::vector<int> code128Symbols(std::string_view data, bool fnc1First) {
  std::vector<int> in;
  in.reserve(data.size() + 1);
  if (fnc1First) in.push_back(kFnc1Element);
  for (char ch : data) {
    const int e = static_cast<unsigned char>(ch);
    if (e > 0x7F) throw std::invalid_argument("code128Symbols: byte above 0x7F");
    in.push_back(e);
  }
  const std::size_t n = in.size();

  // Characters needed to encode element i in set s and stay in s (a shift
  // costs one more), or kNone; the step is one element, or a digit pair in C.
  auto stepCost = [&](std::size_t i, Set s) -> int {
    const int e = in[i];
    if (e == kFnc1Element) return 1;
    if (s == kC) return i + 1 < n && isDigit(e) && isDigit(in[i + 1]) ? 1 : kNone;
    const bool direct = s == kA ? inSetA(e) : inSetB(e);
    return direct ? 1 : 2;  // every byte 0..127 is in A or B
  };
  auto stepLength = [&](std::size_t i, Set s) -> std::size_t {
    return s == kC && in[i] != kFnc1Element ? 2 : 1;
  };

  // best[i][s]: fewest characters for elements i.. when set s is current.
  // via[i][s]: the set element i is encoded in from there (s itself, or the
  // set a code change switches to).
  std::vector<std::array<int, kSets>> best(n + 1);
  std::vector<std::array<Set, kSets>> via(n + 1);
  best[n] = {0, 0, 0};
  auto stayCost = [&](std::size_t i, Set s) -> int {
    const int step = stepCost(i, s);
    return step >= kNone ? kNone : step + best[i + stepLength(i, s)][s];
  };
  for (std::size_t i = n; i-- > 0;) {
    for (Set s : {kA, kB, kC}) {
      int cost = stayCost(i, s);
      Set choice = s;
      for (Set t : kPreference) {
        if (t == s) continue;
        const int stay = stayCost(i, t);
        if (stay < kNone && 1 + stay < cost) {
          cost = 1 + stay;
          choice = t;
        }
      }
      best[i][s] = cost;
      via[i][s] = choice;
    }
  }

  // The start character selects the first set at no extra cost (B for no
  // data at all: start, check, stop).
  Set set = n == 0 ? kB : kPreference[0];
  for (Set s : kPreference) {
    if (n > 0 && stayCost(0, s) < stayCost(0, set)) set = s;
  }

  std::vector<int> out;
  out.reserve(2 * n + 3);
  out.push_back(startOf(set));
  std::size_t i = 0;
  bool first = true;
  while (i < n) {
    const Set next = first ? set : via[i][set];
    first = false;
    if (next != set) out.push_back(codeChangeTo(next));
    set = next;
    const int e = in[i];
    if (e == kFnc1Element) {
      out.push_back(kCode128Fnc1);
    } else if (set == kC) {
      out.push_back((e - '0') * 10 + (in[i + 1] - '0'));
    } else if (set == kA) {
      if (!inSetA(e)) out.push_back(kCode128Shift);
      out.push_back(inSetA(e) ? valueA(e) : valueB(e));
    } else {
      if (!inSetB(e)) out.push_back(kCode128Shift);
      out.push_back(inSetB(e) ? valueB(e) : valueA(e));
    }
    i += stepLength(i, set);
  }

  // Check character: start value plus each following value times its
  // position, modulo 103.
  long sum = out.front();
  for (std::size_t k = 1; k < out.size(); ++k) sum += static_cast<long>(k) * out[k];
  out.push_back(static_cast<int>(sum % 103));
  return out;
}

std::vector<std::uint8_t> code128Modules(const std::vector<int>& symbols) {
  std::vector<std::uint8_t> modules;
  modules.reserve(symbols.size() * 11 + 13);
  auto append = [&](int value) {
    if (value < 0 || value > kCode128Stop) throw std::invalid_argument("code128Modules: bad symbol value");
    std::uint8_t bar = 1;
    for (const char* w = kPatterns[static_cast<std::size_t>(value)]; *w != '\0'; ++w) {
      modules.insert(modules.end(), static_cast<std::size_t>(*w - '0'), bar);
      bar ^= 1;
    }
  };
  for (int v : symbols) append(v);
  append(kCode128Stop);
  return modules;
}

}  // namespace wms::labels::barcode
