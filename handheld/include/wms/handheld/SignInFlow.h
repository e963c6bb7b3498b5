// SignInFlow: the worker signs in by scanning their badge, and signs out.
//
// Sign-in is optimistic like every confirmation: the badge scan sends a
// `signin` event and the worker goes on at once (the handheld may be
// offline); if the server rejects it (unknown badge, disabled, no role for
// this mode, signed in elsewhere), the flow goes back to the badge prompt
// with the server's message. A refusal with code `unauthorized` means the
// badge needs its PIN (or the PIN was wrong): the flow asks for the PIN,
// typed on the keypad, and sends the sign-in again with it. The PIN is never
// logged, shown or kept in the flow's state.
//
// Pure state machine: no I/O, no clock. Not thread-safe (one owner).
#pragma once

#include <optional>
#include <string>

#include "wms/handheld/Workflow.h"

namespace wms::handheld {

class SignInFlow {
 public:
  explicit SignInFlow(protocol::WorkMode mode);

  // A badge scan (any barcode whose text is a valid id: 1-64 printable ASCII
  // characters without spaces) while signed out sends `signin`; other text
  // is refused with an error naming it. EventOutcome of a rejected `signin`
  // signs out again and shows the server's message; if its code is
  // `unauthorized` the flow then waits for the PIN: typed text (or a
  // number) of 4-12 digits sends `signin` again with `pin`, a scanned badge
  // starts over with that badge, Escape goes back to the badge prompt.
  // Other inputs are ignored (nothing happens) while signed in; while
  // signed out, keys and numbers show a hint to scan the badge.
  Effects handle(const Input& input);

  // Sends `signout` and goes back to the badge prompt. Nothing if signed out.
  Effects signOut();

  bool signedIn() const noexcept { return !badge_.empty(); }
  // The signed-in badge, "" when signed out.
  const std::string& badge() const noexcept { return badge_; }
  protocol::WorkMode mode() const noexcept { return mode_; }

  // Waiting for the PIN of this badge ("" when not).
  const std::string& pinFor() const noexcept { return pinFor_; }

  // The badge (or PIN) prompt (only meaningful while signed out).
  Screen screen() const;

  // The persistent state is the badge; restore() puts it back without
  // sending anything. Invalid if it is not a valid id (or empty = signed out).
  Status restore(const std::string& badge);

 private:
  Effects sendSignIn(const std::string& badge, std::optional<std::string> pin);

  protocol::WorkMode mode_;
  std::string badge_;
  std::string pinFor_;
  std::string error_;
  std::string message_;
};

}  // namespace wms::handheld
