// Tests for server/waves/src/Release.cpp: grouping, sequencing, timing and triggers.
#include <boost/test/unit_test.hpp>

#include "WavesTestSupport.h"
#include "wms/waves/Release.h"

using namespace wms;
using namespace wms::waves;
using namespace wms::waves::test;
using domain::ServiceLevel;

namespace {

constexpr Millis kMinute = 60'000;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis T = 1731297600000;  // 2024-11-11 04:00 UTC = 11:00 in Bangkok

// `units` units of one SKU.
PlanOrder units(OrderId id, std::int64_t n, ServiceLevel level, std::string carrier,
                Millis created = T - kHour) {
  return order(id, {{1, "SKU-1", n}}, level, std::move(carrier), created);
}

struct Fixture {
  std::vector<CarrierCutoff> cutoffs{{"flash", T + 2 * kHour}, {"kerry", T + 3 * kHour}};
  ReleaseContext context;
  ReleaseConfig config;
  Fixture() {
    context.cutoffs = cutoffs;
    context.rate = {100, 2};  // 200 units an hour
    context.utcOffsetMinutes = 420;
  }
  std::vector<WaveProposal> propose(const std::vector<PlanOrder>& orders, Millis now = T) {
    auto r = proposeWaves(orders, now, config, context);
    if (!r) throw std::runtime_error(r.error().message);
    return *r;
  }
};

std::vector<std::string> names(const std::vector<WaveProposal>& waves) {
  std::vector<std::string> out;
  for (const auto& w : waves) out.push_back(w.name);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(release, Fixture)

BOOST_AUTO_TEST_CASE(earlier_cutoffs_go_first_and_carriers_without_a_cutoff_last) {
  auto waves =
      propose({units(1, 1, ServiceLevel::Standard, "dhl"), units(2, 1, ServiceLevel::Standard, "kerry"),
               units(3, 1, ServiceLevel::Standard, "flash"), units(4, 1, ServiceLevel::Standard, "kerry")});
  BOOST_TEST(names(waves) ==
                 (std::vector<std::string>{"flash 13:00 standard", "kerry 14:00 standard", "dhl standard"}),
             boost::test_tools::per_element());
  BOOST_TEST(waves[1].orders == (std::vector<OrderId>{2, 4}), boost::test_tools::per_element());
  BOOST_TEST(!waves[2].cutoffMs.has_value());
  BOOST_TEST(*waves[0].cutoffMs == T + 2 * kHour);
}

BOOST_AUTO_TEST_CASE(store_pickup_and_express_go_before_standard) {
  auto waves =
      propose({units(1, 1, ServiceLevel::Standard, "flash"), units(2, 1, ServiceLevel::Express, "kerry"),
               units(3, 1, ServiceLevel::StorePickup, "")});
  BOOST_TEST(names(waves) ==
                 (std::vector<std::string>{"store_pickup", "kerry 14:00 express", "flash 13:00 standard"}),
             boost::test_tools::per_element());
  BOOST_TEST(*waves[0].priorityClass == PriorityClass::StorePickup);
}

BOOST_AUTO_TEST_CASE(a_wave_past_its_latest_safe_release_goes_before_every_priority_class) {
  // 300 flash units take 90 min at 200/h: latest release 13:00 - 15 - 90 min = 11:15.
  auto waves =
      propose({units(1, 300, ServiceLevel::Standard, "flash"), units(2, 1, ServiceLevel::Express, "kerry"),
               units(3, 1, ServiceLevel::StorePickup, "")},
              T + 20 * kMinute);
  BOOST_TEST(waves[0].name == "flash 13:00 standard");
  BOOST_TEST(waves[0].due);
  BOOST_TEST(!waves[1].due);
  BOOST_TEST(waves[1].name == "store_pickup");
}

BOOST_AUTO_TEST_CASE(latest_safe_release_counts_backlog_and_every_wave_with_an_earlier_or_equal_cutoff) {
  context.backlogUnits = 100;
  auto waves = propose(
      {units(1, 200, ServiceLevel::Standard, "flash"), units(2, 100, ServiceLevel::Standard, "kerry")});
  BOOST_TEST_REQUIRE(waves.size() == 2u);
  // flash: 13:00 - 15 min - (100 + 200) units / 200 per hour = 11:15.
  BOOST_TEST(*waves[0].latestReleaseMs == T + 15 * kMinute);
  // kerry: 14:00 - 15 min - (100 + 200 + 100) / 200 h = 11:45.
  BOOST_TEST(*waves[1].latestReleaseMs == T + 45 * kMinute);
  // Released now in this sequence: flash done at 12:30, kerry at 13:00.
  BOOST_TEST(waves[0].expectedFinishMs == T + 90 * kMinute);
  BOOST_TEST(waves[1].expectedFinishMs == T + 2 * kHour);
  BOOST_TEST(!waves[0].late);
  BOOST_TEST(!waves[1].late);
  BOOST_TEST(waves[0].units == 200);
  BOOST_TEST(waves[0].lines == 1);
}

BOOST_AUTO_TEST_CASE(waves_sharing_a_cutoff_all_count_the_work_of_each_other) {
  config.maxOrdersPerWave = 1;
  auto waves = propose(
      {units(1, 100, ServiceLevel::Standard, "flash"), units(2, 100, ServiceLevel::Express, "flash"),
       units(3, 100, ServiceLevel::Standard, "flash"), units(4, 100, ServiceLevel::Standard, "kerry")});
  BOOST_TEST_REQUIRE(waves.size() == 4u);
  for (const auto& w : waves) {
    // flash: 13:00 - 15 min - 300 units at 200/h = 11:15; kerry: 14:00 - 15 min - 400 units = 11:45.
    BOOST_TEST(*w.latestReleaseMs == (w.carrier == "flash" ? T + 15 * kMinute : T + 45 * kMinute));
  }
  BOOST_TEST(waves[0].orders == (std::vector<OrderId>{2}),
             boost::test_tools::per_element());  // express first
}

BOOST_AUTO_TEST_CASE(a_wave_that_cannot_finish_before_its_cutoff_is_late) {
  // 500 units take 2.5 h; flash cuts off in 2 h.
  auto waves = propose({units(1, 500, ServiceLevel::Standard, "flash")});
  BOOST_TEST(waves[0].late);
  BOOST_TEST(waves[0].due);
  config.safetyMarginMinutes = 0;
  waves = propose({units(1, 400, ServiceLevel::Standard, "flash")});  // exactly 2 h
  BOOST_TEST(!waves[0].late);
}

BOOST_AUTO_TEST_CASE(orders_within_a_wave_go_by_class_then_priority_then_age) {
  config.byPriorityClass = false;
  auto a = units(1, 1, ServiceLevel::Standard, "kerry", T - 3 * kHour);
  auto b = units(2, 1, ServiceLevel::Standard, "kerry", T - 2 * kHour);
  b.priority = 5;
  auto c = units(3, 1, ServiceLevel::Express, "kerry", T - kMinute);
  auto d = units(4, 1, ServiceLevel::Standard, "kerry", T - 4 * kHour);
  auto waves = propose({a, b, c, d});
  BOOST_TEST_REQUIRE(waves.size() == 1u);
  BOOST_TEST(waves[0].name == "kerry 14:00");
  BOOST_TEST(waves[0].orders == (std::vector<OrderId>{3, 2, 4, 1}), boost::test_tools::per_element());
  BOOST_TEST(!waves[0].priorityClass.has_value());
}

BOOST_AUTO_TEST_CASE(grouping_by_zone_and_channel_makes_separate_waves) {
  config.byZone = true;
  config.byChannel = true;
  auto a = units(1, 1, ServiceLevel::Standard, "kerry");
  a.zone = "A";
  a.channel = domain::Channel::Shopee;
  auto b = a;
  b.id = 2;
  b.zone = "B";
  auto c = a;
  c.id = 3;
  c.channel = domain::Channel::Lazada;
  auto d = a;
  d.id = 4;
  d.zone = "";
  auto e = a;
  e.id = 5;
  auto waves = propose({a, b, c, d, e});
  BOOST_TEST_REQUIRE(waves.size() == 4u);
  std::map<std::string, std::vector<OrderId>> byName;
  for (const auto& w : waves) byName[w.name] = w.orders;
  BOOST_TEST((byName["kerry 14:00 standard shopee zone A"] == std::vector<OrderId>{1, 5}));
  BOOST_TEST((byName["kerry 14:00 standard shopee zone B"] == std::vector<OrderId>{2}));
  BOOST_TEST((byName["kerry 14:00 standard lazada zone A"] == std::vector<OrderId>{3}));
  BOOST_TEST((byName["kerry 14:00 standard shopee mixed zones"] == std::vector<OrderId>{4}));
}

BOOST_AUTO_TEST_CASE(large_groups_split_in_sequence_into_waves_of_the_allowed_size) {
  config.maxOrdersPerWave = 2;
  std::vector<PlanOrder> orders;
  for (int i = 1; i <= 5; ++i)
    orders.push_back(units(i, 1, ServiceLevel::Standard, "kerry", T - i * kMinute));
  auto waves = propose(orders);
  BOOST_TEST(
      names(waves) == (std::vector<std::string>{"kerry 14:00 standard #1/3", "kerry 14:00 standard #2/3",
                                                "kerry 14:00 standard #3/3"}),
      boost::test_tools::per_element());
  BOOST_TEST(waves[0].orders == (std::vector<OrderId>{5, 4}), boost::test_tools::per_element());
  BOOST_TEST(waves[2].orders == (std::vector<OrderId>{1}), boost::test_tools::per_element());

  config.maxOrdersPerWave = 0;
  config.maxUnitsPerWave = 10;
  waves = propose({units(1, 6, ServiceLevel::Standard, "kerry", T - 3 * kMinute),
                   units(2, 6, ServiceLevel::Standard, "kerry", T - 2 * kMinute),
                   units(3, 30, ServiceLevel::Standard, "kerry", T - kMinute)});
  BOOST_TEST_REQUIRE(waves.size() == 3u);  // an order larger than the limit still gets a wave of its own
  BOOST_TEST(waves[2].units == 30);
}

BOOST_AUTO_TEST_CASE(releasing_nothing_is_an_error) {
  auto r = proposeWaves({}, T, config, context);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == ErrorKind::Invalid);
  BOOST_TEST(r.error().message == "nothing to release: no orders selected");
}

BOOST_AUTO_TEST_CASE(bad_config_rates_and_cutoffs_are_errors_naming_what_is_wrong) {
  const std::vector<PlanOrder> one{units(1, 1, ServiceLevel::Standard, "kerry")};
  auto message = [&](const ReleaseConfig& c, const ReleaseContext& x) {
    auto r = proposeWaves(one, T, c, x);
    return r.ok() ? std::string("ok") : r.error().message;
  };
  ReleaseConfig c = config;
  c.maxOrdersPerWave = -1;
  BOOST_TEST(message(c, context).find("max_orders_per_wave") != std::string::npos);
  c = config;
  c.everyMinutes = -5;
  BOOST_TEST(message(c, context).find("auto_every_minutes") != std::string::npos);
  c = config;
  c.safetyMarginMinutes = 100000;
  BOOST_TEST(message(c, context).find("safety_margin_minutes") != std::string::npos);
  ReleaseContext x = context;
  x.rate = {0, 3};
  BOOST_TEST(message(config, x).find("pick rate") != std::string::npos);
  x.rate = {100, 0};
  BOOST_TEST(message(config, x).find("pickers") != std::string::npos);
  const std::vector<CarrierCutoff> twice{{"kerry", T}, {"kerry", T + kHour}};
  x = context;
  x.cutoffs = twice;
  BOOST_TEST(message(config, x) == "carrier 'kerry' has two cutoffs");
  const std::vector<PlanOrder> bad{units(1, 0, ServiceLevel::Standard, "kerry")};
  BOOST_TEST(!proposeWaves(bad, T, config, context).ok());
}

BOOST_AUTO_TEST_CASE(interval_trigger_releases_everything_once_the_interval_has_passed) {
  config.everyMinutes = 15;
  config.atLatestSafeRelease = false;
  const std::vector<PlanOrder> waiting{units(1, 1, ServiceLevel::Standard, "kerry", T - 5 * kMinute),
                                       units(2, 1, ServiceLevel::Express, "flash", T - 2 * kMinute)};
  ReleaseState state{waiting, T - 10 * kMinute, context};
  auto d = autoRelease(state, T, config);
  BOOST_TEST_REQUIRE(d.ok());
  BOOST_TEST(!d->has_value());
  d = autoRelease(state, T + 5 * kMinute, config);
  BOOST_TEST_REQUIRE(d->has_value());
  BOOST_TEST((*d)->waves.size() == 2u);
  BOOST_TEST(((*d)->triggers == std::vector<Trigger>{Trigger::Interval}));
  BOOST_TEST((*d)->reason == "interval: 15 min since the last release at 10:50 (every 15 min)");
  // Never released: the oldest waiting order starts the clock.
  state.lastReleaseMs.reset();
  BOOST_TEST(!autoRelease(state, T + 9 * kMinute, config)->has_value());
  d = autoRelease(state, T + 10 * kMinute, config);
  BOOST_TEST_REQUIRE(d->has_value());
  BOOST_TEST((*d)->reason.find("the oldest waiting order arrived at 10:55") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(order_count_trigger_fires_at_the_threshold) {
  config.whenOrdersWaiting = 3;
  config.atLatestSafeRelease = false;
  std::vector<PlanOrder> waiting{units(1, 1, ServiceLevel::Standard, "kerry"),
                                 units(2, 1, ServiceLevel::Standard, "kerry")};
  BOOST_TEST(!autoRelease(ReleaseState{waiting, {}, context}, T, config)->has_value());
  waiting.push_back(units(3, 1, ServiceLevel::Standard, "dhl"));
  auto d = autoRelease(ReleaseState{waiting, {}, context}, T, config);
  BOOST_TEST_REQUIRE(d->has_value());
  BOOST_TEST((*d)->waves.size() == 2u);
  BOOST_TEST((*d)->reason == "order count: 3 orders waiting (threshold 3)");
}

BOOST_AUTO_TEST_CASE(cutoff_trigger_releases_only_the_waves_of_that_cutoff) {
  config.minutesBeforeCutoff = 60;
  config.atLatestSafeRelease = false;
  const std::vector<PlanOrder> waiting{
      units(1, 1, ServiceLevel::Standard, "kerry"), units(2, 1, ServiceLevel::Standard, "flash"),
      units(3, 1, ServiceLevel::Express, "flash"), units(4, 1, ServiceLevel::StorePickup, "")};
  BOOST_TEST(!autoRelease(ReleaseState{waiting, {}, context}, T + 59 * kMinute, config)->has_value());
  auto d = autoRelease(ReleaseState{waiting, {}, context}, T + 70 * kMinute, config);
  BOOST_TEST_REQUIRE(d->has_value());
  BOOST_TEST(names((*d)->waves) == (std::vector<std::string>{"flash 13:00 express", "flash 13:00 standard"}),
             boost::test_tools::per_element());
  BOOST_TEST(((*d)->triggers == std::vector<Trigger>{Trigger::Cutoff}));
  BOOST_TEST(
      (*d)->reason.find(
          "cutoff: wave 'flash 13:00 express' cuts off at 13:00, 50 min from now (release 60 min before)") ==
      0u);
}

BOOST_AUTO_TEST_CASE(a_trigger_firing_for_many_waves_names_three_and_counts_the_rest) {
  config.minutesBeforeCutoff = 60;
  config.maxOrdersPerWave = 1;
  std::vector<PlanOrder> waiting;
  for (int i = 1; i <= 5; ++i)
    waiting.push_back(units(i, 1, ServiceLevel::Standard, "flash", T - i * kMinute));
  auto d = autoRelease(ReleaseState{waiting, {}, context}, T + 70 * kMinute, config);
  BOOST_TEST_REQUIRE(d->has_value());
  BOOST_TEST((*d)->waves.size() == 5u);
  BOOST_TEST(((*d)->triggers == std::vector<Trigger>{Trigger::Cutoff}));
  BOOST_TEST((*d)->reason.find("flash 13:00 standard #3/5") != std::string::npos);
  BOOST_TEST((*d)->reason.find("#4/5") == std::string::npos);
  BOOST_TEST((*d)->reason.find("; cutoff: and 2 more waves") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(latest_safe_release_trigger_releases_a_wave_when_it_becomes_due) {
  const std::vector<PlanOrder> waiting{units(1, 300, ServiceLevel::Standard, "flash"),
                                       units(2, 10, ServiceLevel::Standard, "kerry")};
  BOOST_TEST(!autoRelease(ReleaseState{waiting, {}, context}, T + 14 * kMinute, config)->has_value());
  auto d = autoRelease(ReleaseState{waiting, {}, context}, T + 15 * kMinute, config);
  BOOST_TEST_REQUIRE(d->has_value());
  BOOST_TEST_REQUIRE((*d)->waves.size() == 1u);
  BOOST_TEST((*d)->waves[0].orders == (std::vector<OrderId>{1}), boost::test_tools::per_element());
  BOOST_TEST(((*d)->triggers == std::vector<Trigger>{Trigger::LatestSafeRelease}));
  BOOST_TEST((*d)->reason ==
             "latest safe release: wave 'flash 13:00 standard' (300 units) had to start by 11:15 to make "
             "13:00 at 2 pickers x 100 units/h");
}

BOOST_AUTO_TEST_CASE(nothing_waiting_releases_nothing_without_an_error) {
  config.everyMinutes = 1;
  config.whenOrdersWaiting = 1;
  auto d = autoRelease(ReleaseState{{}, {}, context}, T, config);
  BOOST_TEST_REQUIRE(d.ok());
  BOOST_TEST(!d->has_value());
  config.everyMinutes = -1;
  BOOST_TEST(!autoRelease(ReleaseState{{}, {}, context}, T, config).ok());
}

BOOST_AUTO_TEST_SUITE_END()
