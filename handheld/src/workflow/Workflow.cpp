#include "wms/handheld/Workflow.h"

namespace wms::handheld {

const char* toString(Key key) noexcept {
  switch (key) {
    case Key::Enter: return "enter";
    case Key::Escape: return "escape";
    case Key::Short: return "short";
    case Key::Skip: return "skip";
    case Key::CloseCarton: return "close";
    case Key::Label: return "label";
    case Key::Undo: return "undo";
    case Key::Damaged: return "damaged";
    case Key::SignOut: return "signout";
  }
  return "enter";
}

void Effects::merge(Effects other) {
  for (auto& e : other.events) events.push_back(std::move(e));
  for (auto& l : other.log) log.push_back(std::move(l));
  if (other.signal != Signal::None) signal = other.signal;
  stateChanged = stateChanged || other.stateChanged;
}

std::string Screen::text() const {
  std::string out;
  auto line = [&out](const std::string& s) {
    if (s.empty()) return;
    out += s;
    out += '\n';
  };
  line(mode + (progress.empty() ? "" : " " + progress));
  line(prompt);
  for (const auto& f : fields) line(f.label.empty() ? f.value : f.label + ": " + f.value);
  line(message);
  if (!error.empty()) line("ERROR: " + error);
  line(keys);
  return out;
}

}  // namespace wms::handheld
