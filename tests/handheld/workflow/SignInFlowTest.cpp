// SignInFlow: badge scan, refusal by the server, sign-out.
#define BOOST_TEST_MODULE handheld_workflow
#include <boost/test/unit_test.hpp>

#include "FlowTestSupport.h"
#include "wms/handheld/SignInFlow.h"

using namespace wms;
using namespace wms::handheld;
using namespace wms::handheld::test;

BOOST_AUTO_TEST_SUITE(sign_in_flow)

BOOST_AUTO_TEST_CASE(a_badge_scan_signs_in_at_once_and_sends_signin_with_the_mode) {
  SignInFlow f(protocol::WorkMode::Pack);
  BOOST_TEST(f.screen().prompt == "SCAN YOUR BADGE");
  auto fx = f.handle(scan("EMP-0193"));
  const auto& in = only<protocol::SignIn>(fx);
  BOOST_TEST(in.badge == "EMP-0193");
  BOOST_CHECK(in.mode == protocol::WorkMode::Pack);
  BOOST_TEST(fx.stateChanged);
  BOOST_TEST(f.signedIn());
  BOOST_TEST(f.badge() == "EMP-0193");
  // Signed in: further scans are not badges.
  BOOST_TEST(f.handle(scan("EMP-2")).events.empty());
}

BOOST_AUTO_TEST_CASE(text_that_cannot_be_a_badge_is_refused) {
  SignInFlow f(protocol::WorkMode::Pick);
  auto fx = f.handle(scanAs(BarcodeFormat::QrCode, "Siti Rahma"));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(!f.signedIn());
  BOOST_TEST(f.screen().error.find("'Siti Rahma' is not a badge") == 0u);
  BOOST_TEST(f.handle(key(Key::Enter)).signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "scan your badge to sign in");
  BOOST_TEST(f.handle(ScanFailed{"blurred"}).signal == Signal::Bad);
  BOOST_TEST(f.screen().error == "could not read the badge: blurred");
}

BOOST_AUTO_TEST_CASE(a_refused_signin_signs_out_again_with_the_servers_reason) {
  SignInFlow f(protocol::WorkMode::Pick);
  auto sent = f.handle(scan("EMP-9")).events.at(0);
  auto fx = f.handle(outcome(sent, protocol::AckResult::Rejected, makeError(ErrorKind::NotFound, "unknown badge 'EMP-9'")));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(!f.signedIn());
  BOOST_TEST(f.screen().error == "badge EMP-9 refused: unknown badge 'EMP-9'");
  // An applied ack changes nothing.
  auto again = f.handle(scan("EMP-1")).events.at(0);
  fx = f.handle(outcome(again, protocol::AckResult::Applied));
  BOOST_TEST(f.signedIn());
  BOOST_TEST(!fx.stateChanged);
  // A late refusal of an older badge does not sign the new one out.
  f.handle(outcome(sent, protocol::AckResult::Rejected, makeError(ErrorKind::NotFound, "unknown")));
  BOOST_TEST(f.badge() == "EMP-1");
}

BOOST_AUTO_TEST_CASE(a_signin_refused_unauthorized_asks_for_the_pin_and_sends_it_with_the_badge) {
  SignInFlow f(protocol::WorkMode::Pick);
  auto sent = f.handle(scan("EMP-7")).events.at(0);
  BOOST_TEST(!std::get<protocol::SignIn>(sent).pin.has_value());
  auto fx = f.handle(outcome(sent, protocol::AckResult::Rejected,
                             makeError(ErrorKind::Unauthorized, "badge EMP-7 needs its PIN")));
  BOOST_CHECK(fx.signal == Signal::Bad);
  BOOST_TEST(!f.signedIn());
  BOOST_TEST(f.pinFor() == "EMP-7");
  BOOST_TEST(f.screen().prompt == "TYPE YOUR PIN");
  BOOST_TEST(f.screen().error == "badge EMP-7 refused: badge EMP-7 needs its PIN");
  // Not a PIN: said so, nothing sent.
  fx = f.handle(typedCode("12a4"));
  BOOST_TEST(fx.events.empty());
  BOOST_TEST(f.screen().error == "a PIN is 4 to 12 digits; type it again");
  // The PIN, leading zero kept, goes with the badge; never into the log.
  fx = f.handle(typedCode("0427"));
  const auto& in = only<protocol::SignIn>(fx);
  BOOST_TEST(in.badge == "EMP-7");
  BOOST_TEST(in.pin.value_or("") == "0427");
  BOOST_TEST(f.signedIn());
  BOOST_TEST(f.pinFor() == "");
  for (const auto& line : fx.log) BOOST_TEST(line.find("0427") == std::string::npos);
  // Wrong: asked again.
  f.handle(outcome(fx.events.at(0), protocol::AckResult::Rejected,
                   makeError(ErrorKind::Unauthorized, "wrong PIN for badge EMP-7")));
  BOOST_TEST(f.pinFor() == "EMP-7");
  // Escape goes back to the badge prompt; a scanned badge starts over too.
  f.handle(key(Key::Escape));
  BOOST_TEST(f.screen().prompt == "SCAN YOUR BADGE");
  f.handle(outcome(f.handle(scan("EMP-7")).events.at(0), protocol::AckResult::Rejected,
                   makeError(ErrorKind::Unauthorized, "badge EMP-7 needs its PIN")));
  const auto& other = only<protocol::SignIn>(f.handle(scan("EMP-8")));
  BOOST_TEST(other.badge == "EMP-8");
  BOOST_TEST(!other.pin.has_value());
}

BOOST_AUTO_TEST_CASE(other_refusals_go_back_to_the_badge_prompt_with_the_reason_and_ask_no_pin) {
  SignInFlow f(protocol::WorkMode::Pick);
  auto sent = f.handle(scan("P-1")).events.at(0);
  f.handle(outcome(sent, protocol::AckResult::Rejected,
                   makeError(ErrorKind::Forbidden, "badge P-1's account has no picker role")));
  BOOST_TEST(f.pinFor() == "");
  BOOST_TEST(f.screen().prompt == "SCAN YOUR BADGE");
  BOOST_TEST(f.screen().error == "badge P-1 refused: badge P-1's account has no picker role");
}

BOOST_AUTO_TEST_CASE(sign_out_sends_signout_and_returns_to_the_badge_prompt) {
  SignInFlow f(protocol::WorkMode::Pick);
  BOOST_TEST(f.signOut().events.empty());
  f.handle(scan("EMP-1"));
  auto fx = f.signOut();
  only<protocol::SignOut>(fx);
  BOOST_TEST(!f.signedIn());
  BOOST_TEST(f.screen().message == "badge EMP-1 signed out");
}

BOOST_AUTO_TEST_CASE(restore_takes_a_valid_badge_or_nothing) {
  SignInFlow f(protocol::WorkMode::Pick);
  BOOST_TEST(static_cast<bool>(f.restore("EMP-3")));
  BOOST_TEST(f.badge() == "EMP-3");
  BOOST_TEST(!static_cast<bool>(f.restore("two words")));
  BOOST_TEST(static_cast<bool>(f.restore("")));
  BOOST_TEST(!f.signedIn());
}

BOOST_AUTO_TEST_SUITE_END()
