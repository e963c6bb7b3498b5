// Data formatting rules per source, in the spirit of DataWedge's: each rule
// matches scans by source, symbology, length or prefix and then strips, adds
// or maps (docs/firmware-protocol.md, "Formatting rules").
//
// A rules file has one rule per line; '#' starts a comment line:
//
//   match <condition>... => <action>...
//
// Conditions (all must hold; none matches every scan):
//   source=engine|ssi|wedge[,...]   where the scan came from
//   symbology=]C1                   the AIM identifier starts with this ("]C"
//                                   matches every Code 128); "none": no identifier
//   length=N | length=N-M           the data's length
//   prefix=TEXT                     the data starts with TEXT
// Actions, applied in order:
//   strip-aim          a leading AIM identifier in the data becomes the symbology
//   drop-symbology     forget the symbology
//   strip-leading=N    remove N characters at the front (refused if shorter)
//   strip-trailing=N   remove N characters at the end
//   strip=TEXT         remove TEXT at the front if there
//   add-prefix=TEXT    add-suffix=TEXT
//   map=FROM:TO        replace every FROM with TO
//   gs1-hri            GS1 element strings to "(01)...(10)..." (refused if not GS1)
//   discard            drop the scan (deliberately: counted, no error)
// TEXT escapes: \s space, \t, \n, \\, \xHH, <GS> for 0x1D. The first rule that
// matches applies; a scan no rule matches is passed on unchanged.
//
// Pure. Thread-safe for concurrent apply() (const).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"

namespace wms::fwbridge {

enum class ScanSource { Engine, Ssi, Wedge };
const char* toString(ScanSource source) noexcept;

struct Scan {
  ScanSource source = ScanSource::Engine;
  std::string symbology;  // AIM identifier or empty
  std::string data;
  friend bool operator==(const Scan&, const Scan&) = default;
};

// Longest scan the bridge delivers.
inline constexpr std::size_t kMaxScanLength = 4096;

// Printable ASCII and GS only, 1..kMaxScanLength bytes: what a scan may be.
Status checkScanData(std::string_view data);

class Formatter {
 public:
  // No rules: every scan passes unchanged.
  Formatter() = default;
  // Parses a rules file. Errors: Invalid or Malformed naming the line and
  // the word; TooLarge beyond 1000 rules or 64 KiB.
  static Result<Formatter> parse(std::string_view text);

  // The scan after the first matching rule: the formatted scan, nullopt for
  // a scan a rule discards, or an Error (Invalid) when an action cannot
  // apply or the result is not a valid scan.
  Result<std::optional<Scan>> apply(Scan scan) const;

  std::size_t ruleCount() const noexcept { return rules_.size(); }

  struct Action {
    enum class Kind {
      StripAim,
      DropSymbology,
      StripLeading,
      StripTrailing,
      Strip,
      AddPrefix,
      AddSuffix,
      Map,
      Gs1Hri,
      Discard
    };
    Kind kind = Kind::Discard;
    std::size_t count = 0;
    std::string text;
    std::string to;  // Map's replacement
  };
  struct Rule {
    int line = 0;
    std::vector<ScanSource> sources;  // empty: any
    std::optional<std::string> symbology;
    std::size_t minLength = 0;
    std::size_t maxLength = SIZE_MAX;
    std::optional<std::string> prefix;
    std::vector<Action> actions;
  };

 private:
  std::vector<Rule> rules_;
};

}  // namespace wms::fwbridge
