#include "wms/handheld/Feedback.h"

#include <unistd.h>

namespace wms::handheld {

void TerminalBellFeedback::goodRead() {
  const char bell = '\a';
  [[maybe_unused]] auto n = ::write(fd_, &bell, 1);
}

void TerminalBellFeedback::error() {
  const char bells[] = {'\a', '\a'};
  [[maybe_unused]] auto n = ::write(fd_, bells, sizeof bells);
}

}  // namespace wms::handheld
