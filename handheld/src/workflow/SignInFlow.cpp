#include "wms/handheld/SignInFlow.h"

#include <type_traits>

#include "Text.h"

namespace wms::handheld {

SignInFlow::SignInFlow(protocol::WorkMode mode) : mode_(mode) {}

Effects SignInFlow::handle(const Input& input) {
  Effects fx;
  if (const auto* outcome = std::get_if<EventOutcome>(&input)) {
    const auto* in = std::get_if<protocol::SignIn>(&outcome->event);
    if (!in) return fx;
    if (outcome->result != protocol::AckResult::Rejected) {
      fx.log.push_back("signin of badge " + in->badge + " acknowledged");
      return fx;
    }
    const std::string why = outcome->error ? outcome->error->message : "no reason given";
    fx.log.push_back("signin of badge " + in->badge + " refused: " + why);
    // Only the sign-in that is in force is undone; an old refusal of a badge
    // the worker has since replaced changes nothing.
    if (in->badge == badge_) {
      badge_.clear();
      error_ = "badge " + text::shown(in->badge) + " refused: " + why;
      message_.clear();
      fx.signal = Signal::Bad;
      fx.stateChanged = true;
    }
    return fx;
  }
  if (signedIn()) return fx;
  if (const auto* scan = std::get_if<ScanInput>(&input)) {
    const std::string badge(text::trimmed(scan->barcode.text));
    if (!text::isId(badge)) {
      error_ = "'" + text::shown(scan->barcode.text) +
               "' is not a badge (1-64 letters, digits or signs, no spaces)";
      fx.signal = Signal::Bad;
      return fx;
    }
    badge_ = badge;
    error_.clear();
    message_.clear();
    protocol::SignIn event;
    event.badge = badge;
    event.mode = mode_;
    fx.events.push_back(event);
    fx.signal = Signal::Good;
    fx.stateChanged = true;
    fx.log.push_back("signed in with badge " + badge);
    return fx;
  }
  if (const auto* failed = std::get_if<ScanFailed>(&input)) {
    error_ = "could not read the badge: " + failed->reason;
    fx.signal = Signal::Bad;
    return fx;
  }
  if (std::holds_alternative<KeyPress>(input) || std::holds_alternative<NumberEntry>(input)) {
    error_ = "scan your badge to sign in";
    fx.signal = Signal::Bad;
  }
  return fx;
}

Effects SignInFlow::signOut() {
  Effects fx;
  if (!signedIn()) return fx;
  fx.events.push_back(protocol::SignOut{});
  fx.log.push_back("signed out badge " + badge_);
  message_ = "badge " + badge_ + " signed out";
  badge_.clear();
  error_.clear();
  fx.stateChanged = true;
  fx.signal = Signal::Good;
  return fx;
}

Screen SignInFlow::screen() const {
  Screen s;
  s.mode = "SIGN IN";
  s.prompt = "SCAN YOUR BADGE";
  s.fields.push_back({"Mode", std::string(protocol::toString(mode_)), false});
  s.message = message_;
  s.error = error_;
  return s;
}

Status SignInFlow::restore(const std::string& badge) {
  if (!badge.empty() && !text::isId(badge)) return makeError(ErrorKind::Invalid, "saved badge is not a valid id");
  badge_ = badge;
  error_.clear();
  message_.clear();
  return {};
}

}  // namespace wms::handheld
