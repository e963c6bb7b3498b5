#include "wms/handheld/Layout.h"

#include <algorithm>

namespace wms::handheld {
namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The byte length of the first `n` characters of s.
std::size_t bytesFor(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && continuation(static_cast<unsigned char>(s[i]))) ++i;
    --n;
  }
  return i;
}

std::string clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? ' ' : c;
  return out;
}

// Word wrap to `width` characters; words longer than a line are cut.
std::vector<std::string> wrap(std::string_view text, int width, std::string_view indent = {}) {
  std::vector<std::string> lines;
  const std::string s = clean(text);
  std::string_view rest = s;
  bool first = true;
  while (!rest.empty()) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) break;
    const std::string prefix = first ? "" : std::string(indent);
    const auto room = static_cast<std::size_t>(std::max<int>(1, width - static_cast<int>(prefix.size())));
    if (displayWidth(rest) <= room) {
      lines.push_back(prefix + std::string(rest));
      break;
    }
    std::size_t cut = bytesFor(rest, room);
    // Break at the last space that keeps the line full enough; otherwise cut the word.
    const std::size_t space = rest.substr(0, cut + 1).rfind(' ');
    if (space != std::string_view::npos && space > 0 && space + 1 > cut / 3) cut = space;
    std::string_view piece = rest.substr(0, cut);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    lines.push_back(prefix + std::string(piece));
    rest.remove_prefix(cut);
    first = false;
  }
  return lines;
}

std::string fit(std::string_view s, int width) {
  const std::string c = clean(s);
  return c.substr(0, bytesFor(c, static_cast<std::size_t>(std::max(0, width))));
}

// `left` then `right` at the right edge (right wins when space is short).
std::string spread(const std::string& left, const std::string& right, int width) {
  const int r = static_cast<int>(displayWidth(right));
  if (r >= width) return fit(right, width);
  std::string l = fit(left, width - r - 1);
  const int gap = width - static_cast<int>(displayWidth(l)) - r;
  return l + std::string(static_cast<std::size_t>(std::max(1, gap)), ' ') + right;
}

}  // namespace

std::size_t displayWidth(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    if (!continuation(static_cast<unsigned char>(c))) ++n;
  return n;
}

Panel layoutView(const View& view, std::string_view input, int columns, int rows) {
  Panel p;
  if (columns < kMinColumns || rows < kMinRows) {
    p.width = std::max(1, columns);
    p.height = 1;
    p.lines.push_back({fit("screen too small", p.width), LineStyle::Error});
    return p;
  }
  p.width = std::min(columns, 40);
  p.height = std::min(rows, 16);
  p.left = (columns - p.width) / 2;
  p.top = (rows - p.height) / 2;
  const int w = p.width;
  const bool tall = p.height >= 12;
  const auto& sc = view.screen;
  const auto& st = view.status;

  const std::string title = sc.mode + (sc.progress.empty() ? "" : " " + sc.progress);
  const std::string link = std::string(st.online ? "ONLINE" : "OFFLINE") + " " + std::to_string(st.outbox);
  std::vector<PanelLine> top, bottom;
  top.push_back({tall ? spread(title, st.user, w) : spread(title, link, w), LineStyle::Title});
  auto prompt = wrap(sc.prompt, w);
  std::vector<PanelLine> fields;
  for (const auto& f : sc.fields) {
    // On a tall screen the value to act on gets its own bold line(s) under
    // its label, so that it reads at arm's length.
    if (tall && f.strong && !f.label.empty()) {
      fields.push_back({fit(f.label, w), LineStyle::Normal});
      for (auto& l : wrap(f.value, w - 1)) fields.push_back({" " + l, LineStyle::Strong});
      continue;
    }
    const std::string text = f.label.empty() ? f.value : f.label + ": " + f.value;
    for (auto& l : wrap(text, w, "  ")) fields.push_back({l, f.strong ? LineStyle::Strong : LineStyle::Normal});
  }
  std::vector<PanelLine> message;
  for (auto& l : wrap(sc.message, w)) message.push_back({l, LineStyle::Normal});
  std::vector<PanelLine> error;
  for (auto& l : wrap(sc.error, w)) error.push_back({l, LineStyle::Error});
  if (error.size() > 3) {
    error.resize(3);
    auto& last = error.back().text;
    last = fit(last, w - 3) + "...";
  }

  // The keypad line: what is being typed, the keys at the right when room.
  const std::string masked = sc.secretInput ? std::string(displayWidth(input), '*') : std::string();
  if (sc.secretInput) input = masked;
  std::string typed = "> " + std::string(input) + "_";
  if (displayWidth(typed) > static_cast<std::size_t>(w)) {
    // Show the end of a long line: that is where the cursor is.
    const std::string in(input);
    const std::size_t keep = static_cast<std::size_t>(w - 4);
    const std::size_t chars = displayWidth(in);
    typed = "> " + in.substr(bytesFor(in, chars - std::min(chars, keep))) + "_";
  }
  const bool keysOwnLine = tall && !sc.keys.empty();
  if (keysOwnLine) {
    auto keys = wrap(sc.keys, w);
    if (keys.size() > 2) keys.resize(2);
    for (auto& k : keys) bottom.push_back({k, LineStyle::Dim});
    bottom.push_back({fit(typed, w), LineStyle::Normal});
    bottom.push_back({fit(link + (st.device.empty() ? "" : " " + st.device), w), LineStyle::Dim});
  } else {
    bottom.push_back({spread(typed, sc.keys, w), LineStyle::Normal});
    if (tall) bottom.push_back({fit(link + (st.device.empty() ? "" : " " + st.device), w), LineStyle::Dim});
  }

  // Drop what fits least: message, fields from the end, the prompt's
  // second line, then error lines.
  auto used = [&] {
    return top.size() + std::min<std::size_t>(prompt.size(), 2) + fields.size() + message.size() + error.size() +
           bottom.size();
  };
  const auto height = static_cast<std::size_t>(p.height);
  while (used() > height && !message.empty()) message.pop_back();
  while (used() > height && !fields.empty()) fields.pop_back();
  if (prompt.size() > 2) prompt.resize(2);
  while (used() > height && prompt.size() > 1) prompt.pop_back();
  while (used() > height && error.size() > 1) error.pop_back();
  while (used() > height && bottom.size() > 1) bottom.erase(bottom.begin());

  std::vector<PanelLine> upper = top;
  for (auto& l : prompt) upper.push_back({l, LineStyle::Strong});
  // A tall screen with room to spare sets the prompt apart.
  const bool spare = tall && used() + 1 < height;
  if (spare) upper.push_back({"", LineStyle::Normal});
  for (auto& l : fields) upper.push_back(l);
  for (auto& l : message) upper.push_back(l);
  std::vector<PanelLine> lower = error;
  for (auto& l : bottom) lower.push_back(l);
  while (upper.size() + lower.size() > height && !upper.empty()) upper.pop_back();
  p.lines = upper;
  while (p.lines.size() + lower.size() < height) p.lines.push_back({"", LineStyle::Normal});
  for (auto& l : lower) p.lines.push_back(l);
  p.height = static_cast<int>(p.lines.size());
  return p;
}

std::string panelText(const Panel& panel) {
  std::string out;
  for (const auto& l : panel.lines) {
    const auto n = displayWidth(l.text);
    out += '|';
    out += l.text;
    if (n < static_cast<std::size_t>(panel.width)) out += std::string(static_cast<std::size_t>(panel.width) - n, ' ');
    out += "|\n";
  }
  return out;
}

}  // namespace wms::handheld
