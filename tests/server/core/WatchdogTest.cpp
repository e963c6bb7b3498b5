// The stuck-work watchdog in a real wmsd: an order that stops moving raises
// one exception that says why, /metrics counts it by stage, and the
// exception is resolved when the order moves on.
#define BOOST_TEST_MODULE server_watchdog
#include "FloorFixture.h"

using namespace wms;
using namespace wms::testsupport;
using namespace wms::testsupport::floor;

namespace {

struct StuckException {
  std::int64_t id = 0;
  std::string reference, message;
};

// The open order_stuck exceptions.
std::vector<StuckException> stuck(Floor& f) {
  std::vector<StuckException> out;
  auto items = parse(f.wmsd.get("/api/v1/exceptions?limit=1000").body)->getArray("items");
  for (unsigned i = 0; i < items->size(); ++i) {
    auto e = items->getObject(i);
    if (e->getValue<std::string>("kind") != "order_stuck") continue;
    out.push_back({e->getValue<std::int64_t>("id"), e->getValue<std::string>("reference"),
                   e->getValue<std::string>("message")});
  }
  return out;
}

// Waits (up to 10 s) until `pred` holds over the open order_stuck exceptions.
template <class Pred>
std::vector<StuckException> waitForStuck(Floor& f, Pred pred) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto list = stuck(f);
    if (pred(list) || std::chrono::steady_clock::now() > until) return list;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Settings fastWatchdog() {
  return {{"watchdog.check_s", "1"},
          {"watchdog.allocated_after_s", "1"},
          {"watchdog.released_after_s", "1"},
          {"watchdog.picked_after_s", "1"},
          {"watchdog.packed_after_s", "1"}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_batch_no_picker_takes_raises_one_exception_that_says_so_and_it_is_resolved_once_picked) {
  Floor f(fastWatchdog());
  const auto id = f.order("o1", R"({"sku":"CHEESE","qty":1})");
  BOOST_REQUIRE_EQUAL(f.release().status, 201);
  auto list = waitForStuck(f, [](const auto& l) { return !l.empty(); });
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  BOOST_TEST(list[0].reference == "order:" + std::to_string(id) + "/released");
  BOOST_TEST(list[0].message.find("waits for a picker") != std::string::npos, list[0].message);
  BOOST_TEST(list[0].message.find("nobody is signed in") != std::string::npos, list[0].message);
  BOOST_TEST(f.metric(R"(orders_stuck{stage="released"})") == 1);
  // Later sweeps do not raise it again.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  BOOST_TEST(stuck(f).size() == 1u);
  BOOST_TEST(f.metric(R"(orders_stuck_raised_total{stage="released"})") == 1);

  // Picked: the released-stage exception is resolved (the order is now
  // waiting at packing, which raises its own once it waits too long).
  auto d1 = f.signedIn(0, "B-1");
  auto task = nextTask(*d1);
  BOOST_REQUIRE(task);
  pickAll(*d1, *task, {});
  list = waitForStuck(f, [&](const auto& l) {
    return std::none_of(l.begin(), l.end(), [&](const auto& e) { return e.reference.ends_with("/released"); });
  });
  for (const auto& e : list) BOOST_TEST(e.reference != "order:" + std::to_string(id) + "/released");
  BOOST_TEST(f.metric(R"(orders_stuck{stage="released"})") == 0);
  // Picked and never packed: the next stage's limit passes.
  list = waitForStuck(f, [](const auto& l) { return !l.empty(); });
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  BOOST_TEST(list[0].reference == "order:" + std::to_string(id) + "/picked");
  BOOST_TEST(list[0].message.find("not packed") != std::string::npos, list[0].message);
}

BOOST_AUTO_TEST_CASE(an_order_that_waits_for_a_free_tote_says_so) {
  auto settings = fastWatchdog();
  settings["waves.tote_pool"] = "1";
  settings["waves.cart_totes"] = "1";
  settings["watchdog.released_after_s"] = "0";
  Floor f(settings);
  f.order("o1", R"({"sku":"CHEESE","qty":1})");
  const auto waiting = f.order("o2", R"({"sku":"DATES","qty":1})");
  BOOST_REQUIRE_EQUAL(f.release().status, 201);
  auto list = waitForStuck(f, [](const auto& l) { return !l.empty(); });
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  BOOST_TEST(list[0].reference == "order:" + std::to_string(waiting) + "/allocated");
  BOOST_TEST(list[0].message.find("no free tote") != std::string::npos, list[0].message);
  BOOST_TEST(f.metric(R"(orders_stuck{stage="allocated"})") == 1);
}

BOOST_AUTO_TEST_CASE(a_batch_on_a_silent_handheld_names_the_handheld) {
  auto settings = fastWatchdog();
  settings["devices.silent_after_s"] = "5";
  settings["devices.silent_policy"] = "keep";
  settings["watchdog.released_after_s"] = "7";
  Floor f(settings);
  const auto id = f.order("o1", R"({"sku":"CHEESE","qty":1})");
  auto d1 = f.signedIn(0, "B-1");
  BOOST_REQUIRE_EQUAL(f.release().status, 201);
  BOOST_REQUIRE(nextTask(*d1));
  // The handheld says nothing more (no heartbeat): silent after 5 s, stuck after 7 s.
  std::vector<StuckException> list;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (list.empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    list = stuck(f);
  }
  BOOST_REQUIRE_EQUAL(list.size(), 1u);
  BOOST_TEST(list[0].reference == "order:" + std::to_string(id) + "/released");
  BOOST_TEST(list[0].message.find("dev-1") != std::string::npos, list[0].message);
  BOOST_TEST(list[0].message.find("silent") != std::string::npos, list[0].message);
}
