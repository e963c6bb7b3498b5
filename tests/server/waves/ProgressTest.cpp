// Tests for server/waves/src/Progress.cpp: progress fractions and expected finish against the cutoff.
#include <boost/test/unit_test.hpp>

#include "wms/waves/Progress.h"

using namespace wms;
using namespace wms::waves;

namespace {
constexpr Millis kMinute = 60'000;
constexpr Millis T = 1731297600000;
}  // namespace

BOOST_AUTO_TEST_SUITE(progress)

BOOST_AUTO_TEST_CASE(fractions_count_short_units_as_done_work) {
  WaveCounts c{10, 4, 1, 200, 80, 20, 8, 2};
  auto p = waveProgress(c, T, {100, 2});
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST(p->lines == 0.4);
  BOOST_TEST(p->units == 0.5);
  BOOST_TEST(p->totes == 0.25);
  BOOST_TEST(p->unitsRemaining == 100);
  BOOST_TEST(p->expectedFinishMs == T + 30 * kMinute);  // 100 units at 200/h
  BOOST_TEST(!p->cutoffMs.has_value());
  BOOST_TEST(!p->late);
}

BOOST_AUTO_TEST_CASE(slack_is_cutoff_minus_margin_minus_expected_finish) {
  WaveCounts c{10, 0, 0, 100, 0, 0, 4, 0};
  auto p = waveProgress(c, T, {100, 2}, T + 60 * kMinute, 15);
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST(*p->slackMs == 15 * kMinute);
  BOOST_TEST(!p->late);
  p = waveProgress(c, T, {100, 1}, T + 60 * kMinute, 15);  // an hour of work, 45 minutes left
  BOOST_TEST(*p->slackMs == -15 * kMinute);
  BOOST_TEST(p->late);
}

BOOST_AUTO_TEST_CASE(an_empty_or_finished_wave_is_complete_now) {
  auto p = waveProgress(WaveCounts{}, T, {100, 1});
  BOOST_TEST(p->units == 1.0);
  BOOST_TEST(p->expectedFinishMs == T);
  WaveCounts done{3, 3, 0, 9, 9, 0, 1, 1};
  BOOST_TEST(waveProgress(done, T, {100, 1})->unitsRemaining == 0);
}

BOOST_AUTO_TEST_CASE(inconsistent_counts_and_rates_are_errors_naming_them) {
  auto message = [](WaveCounts c, PickRate r = {100, 1}) {
    auto p = waveProgress(c, T, r);
    return p.ok() ? std::string("ok") : p.error().message;
  };
  BOOST_TEST(message({5, 6, 0, 0, 0, 0, 0, 0}) == "lines: 6 done of 5 is more than the total");
  BOOST_TEST(message({5, 2, 3, 0, 0, 0, 0, 0}) == "short lines: 3 done of 2 is more than the total");
  BOOST_TEST(message({5, 2, 0, 10, 8, 3, 0, 0}) == "units: 11 done of 10 is more than the total");
  BOOST_TEST(message({5, 2, 0, 10, -1, 3, 0, 0}) == "unit counts must not be negative");
  BOOST_TEST(message({0, 0, 0, 0, 0, 0, 1, 2}) == "totes: 2 done of 1 is more than the total");
  BOOST_TEST(message({-1, 0, 0, 0, 0, 0, 0, 0}) == "lines counts must not be negative");
  BOOST_TEST(message({}, {0, 1}) == "pick rate and pickers must be positive");
  BOOST_TEST(message({}, {10, 0}) == "pick rate and pickers must be positive");
  BOOST_TEST(!waveProgress({}, T, {100, 1}, {}, -1).ok());
}

BOOST_AUTO_TEST_CASE(pick_duration_rounds_up_to_a_millisecond) {
  BOOST_TEST(pickDurationMs(1, {3600 * 1000 * 3.0, 1}) == 1);  // a third of a millisecond
  BOOST_TEST(pickDurationMs(0, {100, 1}) == 0);
  BOOST_TEST(pickDurationMs(100, {100, 4}) == 15 * kMinute);
  BOOST_CHECK_THROW(pickDurationMs(1, {0, 1}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
