// Who may sign in on a handheld (docs/security.md, "Handhelds"): the badge's
// person account, its role for the mode, its PIN, and one device per person,
// over a real mosquitto and a real wmsd with scripted devices. The sign-in is
// the gateway's (server/core/src/gateway/DeviceGateway.cpp) deciding with
// identity::badgeSignIn; POST /api/v1/workers makes the person accounts.
#define BOOST_TEST_MODULE server_badge_sign_in
#include <boost/test/unit_test.hpp>

#include "FloorFixture.h"
#include "wms/testsupport/ChildProcess.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::testsupport;
using namespace wms::testsupport::floor;

namespace {

struct Answer {
  protocol::AckResult result = protocol::AckResult::Rejected;
  std::optional<Error> error;
  bool applied() const { return result == protocol::AckResult::Applied; }
  std::string message() const { return error ? error->message : std::string(); }
  bool is(ErrorKind kind) const { return result == protocol::AckResult::Rejected && error && error->kind == kind; }
};

// A scripted device of the floor's broker, online.
std::unique_ptr<ScriptedDevice> device(Floor& f, std::size_t i) {
  auto d = std::make_unique<ScriptedDevice>(f.broker.uri(), f.broker.device(i).username, f.broker.device(i).password);
  protocol::Presence online;
  online.app = "test/1";
  d->send(online);
  return d;
}

Answer signIn(ScriptedDevice& d, const std::string& badge, protocol::WorkMode mode = protocol::WorkMode::Pick,
              std::optional<std::string> pin = std::nullopt) {
  protocol::SignIn in;
  in.badge = badge;
  in.mode = mode;
  in.pin = std::move(pin);
  auto ack = d.ackFor(d.send(in));
  BOOST_REQUIRE_MESSAGE(ack, "no ack for the signin of " << badge);
  return Answer{ack->result, ack->error};
}

// The badge signed in on a device, as GET /api/v1/devices reports it.
std::string badgeOn(Floor& f, const std::string& device) {
  auto items = parse(f.wmsd.get("/api/v1/devices").body)->getArray("items");
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto d = items->getObject(static_cast<unsigned>(i));
    if (d->getValue<std::string>("device") == device) return d->getValue<std::string>("badge");
  }
  return "";
}

HttpResult put(Floor& f, const std::string& path, const std::string& body) {
  return httpRequest(f.wmsd.port(), "PUT", path, body, {{"Content-Type", "application/json"}});
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_unknown_badge_is_refused_not_found_and_the_device_stays_signed_out) {
  Floor f;
  auto d = device(f, 0);
  auto a = signIn(*d, "B-404");
  BOOST_TEST(a.is(ErrorKind::NotFound));
  BOOST_TEST(a.message() == "unknown badge 'B-404'");
  BOOST_TEST(badgeOn(f, d->id()) == "");
  // A machine account's badge is no person's.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/accounts", R"({"login":"pos-1","name":"POS","kind":"integration",
                                                         "badge":"B-POS","roles":["integration"]})")
                          .status,
                      201);
  BOOST_TEST(signIn(*d, "B-POS").is(ErrorKind::NotFound));
}

BOOST_AUTO_TEST_CASE(a_disabled_person_is_refused_and_one_disabled_while_signed_in_cannot_sign_in_again) {
  Floor f;
  auto d = device(f, 0);
  BOOST_REQUIRE(signIn(*d, "B-1").applied());
  // Disabled by an admin while signed in (the account's login is the badge).
  BOOST_REQUIRE_EQUAL(put(f, "/api/v1/accounts/B-1", R"({"active":false})").status, 200);
  auto again = signIn(*d, "B-1");
  BOOST_TEST(again.is(ErrorKind::Forbidden));
  BOOST_TEST(again.message() == "badge B-1's account is disabled");
  // Disabled the old way, through the workers route: the same account.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/workers", R"({"badge":"B-2","active":false})").status, 201);
  auto other = device(f, 1);
  BOOST_TEST(signIn(*other, "B-2").is(ErrorKind::Forbidden));
  BOOST_TEST(badgeOn(f, other->id()) == "");
  // Enabled again, they may.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/workers", R"({"badge":"B-2","active":true})").status, 201);
  BOOST_TEST(signIn(*other, "B-2").applied());
}

BOOST_AUTO_TEST_CASE(a_packer_only_person_is_refused_in_pick_and_dock_modes_and_accepted_in_pack_mode) {
  Floor f;
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/workers", R"({"badge":"P-1","name":"Dewi","roles":["packer"]})").status,
                      201);
  auto d = device(f, 0);
  auto pick = signIn(*d, "P-1", protocol::WorkMode::Pick);
  BOOST_TEST(pick.is(ErrorKind::Forbidden));
  BOOST_TEST(pick.message() == "badge P-1's account has no picker role");
  BOOST_TEST(signIn(*d, "P-1", protocol::WorkMode::Receive).is(ErrorKind::Forbidden));
  BOOST_TEST(badgeOn(f, d->id()) == "");
  BOOST_TEST(signIn(*d, "P-1", protocol::WorkMode::Pack).applied());
  BOOST_TEST(badgeOn(f, d->id()) == "P-1");
  // And a picker-only person may not pack.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/workers", R"({"badge":"K-1","roles":["picker"]})").status, 201);
  auto k = device(f, 1);
  auto pack = signIn(*k, "K-1", protocol::WorkMode::Pack);
  BOOST_TEST(pack.message() == "badge K-1's account has no packer role");
  BOOST_TEST(signIn(*k, "K-1", protocol::WorkMode::Count).applied());
}

BOOST_AUTO_TEST_CASE(with_pins_required_no_pin_or_a_wrong_one_is_refused_and_the_right_one_signs_in) {
  Floor f(Settings{{"devices.badge_pin_required", "true"}});
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/accounts", R"({"login":"siti","name":"Siti","badge":"E-7",
                                                         "roles":["picker"],"pin":"0427"})")
                          .status,
                      201);
  auto d = device(f, 0);
  auto none = signIn(*d, "E-7");
  BOOST_TEST(none.is(ErrorKind::Unauthorized));
  BOOST_TEST(none.message() == "badge E-7 needs its PIN");
  auto wrong = signIn(*d, "E-7", protocol::WorkMode::Pick, "4270");
  BOOST_TEST(wrong.is(ErrorKind::Unauthorized));
  BOOST_TEST(wrong.message() == "wrong PIN for badge E-7");
  BOOST_TEST(badgeOn(f, d->id()) == "");
  BOOST_TEST(signIn(*d, "E-7", protocol::WorkMode::Pick, "0427").applied());
  BOOST_TEST(badgeOn(f, d->id()) == "E-7");
  // A badge whose account has no PIN cannot sign in at all, and the answer
  // says what to do.
  auto noPinSet = signIn(*device(f, 1), "B-1");
  BOOST_TEST(noPinSet.is(ErrorKind::Forbidden));
  BOOST_TEST(noPinSet.message() == "badge B-1 needs a PIN and has none set; ask a supervisor");
}

BOOST_AUTO_TEST_CASE(a_badge_with_a_pin_needs_it_even_when_pins_are_not_required_of_every_badge) {
  Floor f;  // devices.badge_pin_required defaults to false
  BOOST_REQUIRE_EQUAL(put(f, "/api/v1/accounts/B-1", R"({"pin":"9911"})").status, 200);
  auto d = device(f, 0);
  BOOST_TEST(signIn(*d, "B-1").is(ErrorKind::Unauthorized));
  BOOST_TEST(signIn(*d, "B-1", protocol::WorkMode::Pick, "9911").applied());
  // Badges without a PIN sign in with the badge alone.
  BOOST_TEST(signIn(*device(f, 1), "B-2").applied());
}

BOOST_AUTO_TEST_CASE(wrong_pins_are_throttled_per_badge_and_the_supervisor_hears_of_it) {
  Floor f(Settings{{"identity.max_failures_per_login", "3"}});
  BOOST_REQUIRE_EQUAL(put(f, "/api/v1/accounts/B-1", R"({"pin":"9911"})").status, 200);
  auto d = device(f, 0);
  for (const char* guess : {"1111", "2222", "3333"})
    BOOST_TEST(signIn(*d, "B-1", protocol::WorkMode::Pick, guess).message() == "wrong PIN for badge B-1");
  // Now even the right PIN waits.
  auto right = signIn(*d, "B-1", protocol::WorkMode::Pick, "9911");
  BOOST_TEST(right.is(ErrorKind::Unauthorized));
  BOOST_TEST(right.message().find("too many wrong PINs for badge B-1; try again in 15 min") == 0u, right.message());
  BOOST_TEST(badgeOn(f, d->id()) == "");
  BOOST_TEST(f.wmsd.get("/api/v1/exceptions").body.find("badge:B-1") != std::string::npos);
  // Another badge is not held back.
  BOOST_TEST(signIn(*device(f, 1), "B-2").applied());
}

BOOST_AUTO_TEST_CASE(a_pin_that_is_not_4_to_12_digits_is_refused_as_invalid_without_echoing_it) {
  Floor f;
  auto d = device(f, 0);
  auto event = R"({"type":"signin","v":1,"device":")" + d->id() +
               R"(","ts":1,"event_id":"pin-1","badge":"B-1","mode":"pick","pin":"12ab"})";
  d->sendRaw(protocol::TopicKind::Events, event);
  auto ack = d->ackFor("pin-1");
  BOOST_REQUIRE(ack);
  BOOST_TEST((ack->result == protocol::AckResult::Rejected && ack->error->kind == ErrorKind::Invalid));
  BOOST_TEST(ack->error->message.find("pin must be 4 to 12 digits") != std::string::npos, ack->error->message);
  BOOST_TEST(ack->error->message.find("12ab") == std::string::npos);
  BOOST_TEST(badgeOn(f, d->id()) == "");
}

BOOST_AUTO_TEST_CASE(by_default_a_person_signed_in_on_one_device_is_refused_on_another_until_they_sign_out) {
  Floor f;
  auto first = device(f, 0);
  auto second = device(f, 1);
  BOOST_REQUIRE(signIn(*first, "B-1").applied());
  auto refused = signIn(*second, "B-1");
  BOOST_TEST(refused.is(ErrorKind::Conflict));
  BOOST_TEST(refused.message() == "badge B-1 is signed in on " + first->id() + "; sign out there first");
  BOOST_TEST(badgeOn(f, first->id()) == "B-1");
  BOOST_TEST(badgeOn(f, second->id()) == "");
  // Signing in again on the same device (an app restart) is no second device.
  BOOST_TEST(signIn(*first, "B-1").applied());
  // Signed out there, they may sign in here.
  requireApplied(first->ackFor(first->send(protocol::SignOut{})), "signout");
  BOOST_TEST(signIn(*second, "B-1").applied());
  BOOST_TEST(badgeOn(f, second->id()) == "B-1");
}

BOOST_AUTO_TEST_CASE(with_second_device_replace_the_first_session_ends_and_its_batch_is_freed) {
  Floor f(Settings{{"devices.second_device", "replace"}});
  f.order("o1", R"({"sku":"CHEESE","qty":1})");
  auto first = device(f, 0);
  BOOST_REQUIRE(signIn(*first, "B-1").applied());
  BOOST_REQUIRE_EQUAL(f.release().status, 201);
  auto task = nextTask(*first);
  BOOST_REQUIRE(task);
  auto second = device(f, 1);
  BOOST_TEST(signIn(*second, "B-1").applied());
  BOOST_TEST(badgeOn(f, first->id()) == "");
  BOOST_TEST(badgeOn(f, second->id()) == "B-1");
  // The first device loses the batch; the person, now free on the second,
  // gets it there (nobody else is signed in).
  auto cancel = nextOf<protocol::TaskCancel>(*first);
  BOOST_REQUIRE(cancel);
  BOOST_TEST(cancel->batchId == task->batchId);
  auto moved = nextTask(*second);
  BOOST_REQUIRE(moved);
  BOOST_TEST(moved->batchId == task->batchId);
}

BOOST_AUTO_TEST_CASE(workers_are_person_accounts_holding_their_badge_and_the_route_changes_no_one_else) {
  Floor f;
  // The floor's workers are people with the handheld roles; the login is the badge.
  auto b1 = parse(f.wmsd.get("/api/v1/accounts/B-1").body);
  BOOST_TEST(b1->getValue<std::string>("badge") == "B-1");
  BOOST_TEST(b1->getValue<std::string>("name") == "Siti");
  BOOST_TEST(b1->getArray("roles")->size() == 2u);
  // GET /api/v1/workers keeps its shape, zones included.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/workers", R"({"badge":"B-1","zones":"A"})").status, 201);
  auto items = parse(f.wmsd.get("/api/v1/workers").body)->getArray("items");
  BOOST_REQUIRE(items->size() >= 2u);
  auto first = items->getObject(0);
  BOOST_TEST(first->getValue<std::string>("badge") == "B-1");
  BOOST_TEST(first->getValue<std::string>("name") == "Siti");  // kept: not given
  BOOST_TEST(first->getValue<std::string>("zones") == "A");
  BOOST_TEST(first->getValue<bool>("active"));
  BOOST_TEST(first->size() == 4u);
  // Only handheld roles through this route.
  auto admin = f.wmsd.post("/api/v1/workers", R"({"badge":"B-9","roles":["admin"]})");
  BOOST_TEST(admin.status == 422);
  BOOST_TEST(admin.body.find("roles") != std::string::npos);
  // A badge held by someone with other roles is an admin's business.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/accounts", R"({"login":"boss","name":"Boss","badge":"S-1",
                                                         "roles":["supervisor","picker"]})")
                          .status,
                      201);
  auto boss = f.wmsd.post("/api/v1/workers", R"({"badge":"S-1","active":false})");
  BOOST_TEST(boss.status == 403);
  BOOST_TEST(parse(f.wmsd.get("/api/v1/accounts/boss").body)->getValue<bool>("active"));
  // A login taken by an account without the badge.
  BOOST_REQUIRE_EQUAL(f.wmsd.post("/api/v1/accounts", R"({"login":"X-1","name":"Xu","roles":["viewer"]})").status,
                      201);
  BOOST_TEST(f.wmsd.post("/api/v1/workers", R"({"badge":"X-1"})").status == 409);
  // A badge a person account cannot hold.
  BOOST_TEST(f.wmsd.post("/api/v1/workers", R"({"badge":"B 1"})").status == 422);
}

BOOST_AUTO_TEST_CASE(bad_sign_in_settings_stop_wmsd_at_start_naming_the_key) {
  TempDir dir;
  const std::string wmsd = builtProgram("server/app/wmsd").string();
  const std::string store = "store.path=" + (dir.path() / "wms.db").string();
  auto second = runCommand({wmsd, "--set", store, "--set", "devices.second_device=both"});
  BOOST_TEST(second.exitCode != 0);
  BOOST_TEST(second.output.find("devices.second_device: must be refuse or replace") != std::string::npos,
             second.output);
  auto pin = runCommand({wmsd, "--set", store, "--set", "devices.badge_pin_required=yes"});
  BOOST_TEST(pin.exitCode != 0);
  BOOST_TEST(pin.output.find("devices.badge_pin_required: must be true or false") != std::string::npos, pin.output);
}

BOOST_AUTO_TEST_CASE(every_handheld_event_is_in_the_audit_trail_naming_the_device_and_the_badge) {
  Floor f;
  auto d = device(f, 0);
  BOOST_REQUIRE(signIn(*d, "B-1").applied());
  BOOST_TEST(signIn(*d, "B-404").is(ErrorKind::NotFound));
  auto audit = f.wmsd.get("/api/v1/audit-log?target=/devices/" + d->id() + "/");
  BOOST_REQUIRE_EQUAL(audit.status, 200);
  auto items = parse(audit.body)->getArray("items");
  BOOST_REQUIRE_EQUAL(items->size(), 2u);
  // Newest first: the refused sign-in with its status and reason, then the one applied with its effect.
  auto refused = items->getObject(0);
  BOOST_TEST(refused->getValue<std::string>("who") == "device:" + d->id() + "/B-1");
  BOOST_TEST(refused->getValue<std::string>("via") == "mqtt");
  BOOST_TEST(refused->getValue<std::string>("action") == "signin");
  BOOST_TEST(refused->getValue<int>("outcome") == 404);
  BOOST_TEST(refused->getValue<std::string>("detail").find("B-404") != std::string::npos);
  auto applied = items->getObject(1);
  BOOST_TEST(applied->getValue<bool>("committed"));
  BOOST_TEST(applied->getValue<std::string>("address") == d->id());
}
