// Layout: a View (screen model + status) fitted to a terminal size, as
// lines with a style each. Pure and shared: the ncurses UI draws these
// lines, the headless script mode prints them, tests assert on them.
//
// Sizes: classic RF terminals are 20x16 and 40x8 characters. Up to 40
// columns and 16 rows the whole terminal is used; a bigger terminal gets a
// 40x16 panel centred in it. Tall layouts (12 rows or more) put the status
// (online/offline, events waiting) on the last line; short ones put it at
// the right of the title. What does not fit is dropped in this order: the
// message, then fields from the last, then the prompt's second line. The
// error is kept (up to 3 lines) because it says what to do.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wms/handheld/Handheld.h"

namespace wms::handheld {

enum class LineStyle {
  Normal,
  Title,    // reverse video across the panel
  Strong,   // bold: the prompt and the value to act on
  Error,    // reverse video
  Dim,      // key hints
};

struct PanelLine {
  std::string text;  // at most `width` characters (UTF-8 code points)
  LineStyle style = LineStyle::Normal;
};

struct Panel {
  int width = 0;      // columns used
  int height = 0;     // rows used (lines.size())
  int left = 0;       // where the panel starts in the terminal
  int top = 0;
  std::vector<PanelLine> lines;
};

// Smallest terminal the layout fills; smaller ones get a one-line notice.
inline constexpr int kMinColumns = 16;
inline constexpr int kMinRows = 6;

// Lays out `view` with the keypad's current `input` for a terminal of
// `columns` x `rows`.
Panel layoutView(const View& view, std::string_view input, int columns, int rows);

// The panel as text: one line per row, each padded to the width between
// '|' marks (the headless mode's screen dump).
std::string panelText(const Panel& panel);

// Number of characters (UTF-8 code points) in s.
std::size_t displayWidth(std::string_view s) noexcept;

}  // namespace wms::handheld
