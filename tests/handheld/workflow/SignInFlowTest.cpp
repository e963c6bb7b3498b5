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
