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
      // The server wants the badge's PIN (or another one): ask for it.
      if (outcome->error && outcome->error->kind == ErrorKind::Unauthorized) pinFor_ = in->badge;
      fx.signal = Signal::Bad;
      fx.stateChanged = true;
    }
    return fx;
  }
  if (signedIn()) return fx;
  if (!pinFor_.empty()) {
    if (const auto* k = std::get_if<KeyPress>(&input); k && k->key == Key::Escape) {
      pinFor_.clear();
      error_.clear();
      fx.stateChanged = true;
      return fx;
    }
    std::optional<std::string> typed;
    if (const auto* scan = std::get_if<ScanInput>(&input); scan && scan->barcode.typed)
      typed = std::string(text::trimmed(scan->barcode.text));
    else if (const auto* n = std::get_if<NumberEntry>(&input))
      typed = std::to_string(n->value);
    if (typed) {
      if (typed->size() < 4 || typed->size() > 12 || typed->find_first_not_of("0123456789") != std::string::npos) {
        error_ = "a PIN is 4 to 12 digits; type it again";
        fx.signal = Signal::Bad;
        return fx;
      }
      const std::string badge = pinFor_;
      pinFor_.clear();
      return sendSignIn(badge, *typed);
    }
    // A scanned badge starts over below.
  }
  if (const auto* scan = std::get_if<ScanInput>(&input)) {
    const std::string badge(text::trimmed(scan->barcode.text));
    if (!text::isId(badge)) {
      error_ = "'" + text::shown(scan->barcode.text) +
               "' is not a badge (1-64 letters, digits or signs, no spaces)";
      fx.signal = Signal::Bad;
      return fx;
    }
    pinFor_.clear();
    return sendSignIn(badge, std::nullopt);
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

Effects SignInFlow::sendSignIn(const std::string& badge, std::optional<std::string> pin) {
  Effects fx;
  badge_ = badge;
  error_.clear();
  message_.clear();
  protocol::SignIn event;
  event.badge = badge;
  event.mode = mode_;
  const bool withPin = pin.has_value();
  event.pin = std::move(pin);
  fx.events.push_back(event);
  fx.signal = Signal::Good;
  fx.stateChanged = true;
  fx.log.push_back("signed in with badge " + badge + (withPin ? " and its PIN" : ""));
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
  s.prompt = pinFor_.empty() ? "SCAN YOUR BADGE" : "TYPE YOUR PIN";
  s.fields.push_back({"Mode", std::string(protocol::toString(mode_)), false});
  if (!pinFor_.empty()) {
    s.fields.push_back({"Badge", pinFor_, true});
    s.keys = "type the PIN, Enter  Esc=other badge";
    s.secretInput = true;
  }
  s.message = message_;
  s.error = error_;
  return s;
}

Status SignInFlow::restore(const std::string& badge) {
  if (!badge.empty() && !text::isId(badge)) return makeError(ErrorKind::Invalid, "saved badge is not a valid id");
  badge_ = badge;
  pinFor_.clear();
  error_.clear();
  message_.clear();
  return {};
}

}  // namespace wms::handheld
