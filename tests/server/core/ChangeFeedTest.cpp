// The dashboard's change feed (server/core/src/ChangeFeed.cpp): commits
// become numbered changes with their panels' topics; a follower gets what
// came after its position, or is told to resync when that is not possible.
#include <boost/test/unit_test.hpp>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "wms/channels/ChannelHub.h"
#include "wms/identity/Schema.h"
#include "wms/inbound/Schema.h"
#include "wms/packing/Schema.h"
#include "wms/server/ChangeFeed.h"
#include "wms/server/WaveService.h"
#include "wms/store/Database.h"
#include "wms/store/Query.h"
#include "wms/testsupport/TempDir.h"

using namespace std::chrono_literals;
using wms::server::ChangeFeed;
using wms::server::FeedPosition;

namespace {
using Topics = std::vector<std::string>;
constexpr std::uint64_t kEpoch = 0xabcdef0123456789ULL;
}  // namespace

BOOST_AUTO_TEST_SUITE(change_feed)

BOOST_AUTO_TEST_CASE(a_commit_becomes_one_change_with_each_topic_once_and_unshown_tables_are_ignored) {
  ChangeFeed feed(16, kEpoch);
  feed.committed({"stop_puts", "stops", "picked_units", "device_events", "audit_log", "ledger", "stock"},
                 1000);
  feed.committed({"audit_log", "web_sessions", "idempotency"}, 1001);  // nothing a panel shows
  feed.committed({"channel_outbox", "order_lines", "exceptions"}, 1002);
  BOOST_TEST(feed.head().seq == 2u);
  auto b = feed.wait(FeedPosition{kEpoch, 0}, 0ms);
  BOOST_TEST(!b.resync);
  BOOST_REQUIRE_EQUAL(b.changes.size(), 2u);
  BOOST_TEST(b.changes[0].seq == 1u);
  BOOST_TEST(b.changes[0].atMs == 1000);
  BOOST_TEST(b.changes[0].topics == (Topics{"devices", "stock", "waves"}), boost::test_tools::per_element());
  BOOST_TEST(b.changes[1].topics == (Topics{"channels", "exceptions", "orders"}),
             boost::test_tools::per_element());
  BOOST_TEST(b.head.seq == 2u);
}

BOOST_AUTO_TEST_CASE(a_follower_gets_only_what_came_after_its_position) {
  ChangeFeed feed(16, kEpoch);
  for (int i = 0; i < 5; ++i) feed.committed({"waves"}, i);
  auto b = feed.wait(FeedPosition{kEpoch, 3}, 0ms);
  BOOST_REQUIRE_EQUAL(b.changes.size(), 2u);
  BOOST_TEST(b.changes[0].seq == 4u);
  BOOST_TEST(b.changes[1].seq == 5u);
  BOOST_TEST(feed.wait(FeedPosition{kEpoch, 5}, 0ms).changes.empty());
}

BOOST_AUTO_TEST_CASE(a_position_older_than_the_ring_of_another_run_or_from_the_future_is_told_to_resync) {
  ChangeFeed feed(4, kEpoch);
  for (int i = 0; i < 10; ++i) feed.committed({"orders"}, i);  // the ring holds 7..10
  BOOST_TEST(feed.wait(FeedPosition{kEpoch, 5}, 0ms).resync);
  BOOST_TEST(!feed.wait(FeedPosition{kEpoch, 6}, 0ms).resync);  // 7..10 follow it: all held
  BOOST_TEST(feed.wait(FeedPosition{kEpoch, 6}, 0ms).changes.size() == 4u);
  BOOST_TEST(feed.wait(FeedPosition{kEpoch + 1, 10}, 0ms).resync);
  BOOST_TEST(feed.wait(FeedPosition{kEpoch, 11}, 0ms).resync);
  BOOST_TEST(feed.wait(FeedPosition{kEpoch, 10}, 0ms).head.seq == 10u);
}

BOOST_AUTO_TEST_CASE(a_waiter_wakes_for_a_change_and_times_out_without_one) {
  ChangeFeed feed(16, kEpoch);
  auto timedOut = feed.wait(FeedPosition{kEpoch, 0}, 20ms);
  BOOST_TEST(timedOut.changes.empty());
  BOOST_TEST(!timedOut.resync);
  BOOST_TEST(!timedOut.stopped);
  auto waiter = std::async(std::launch::async, [&] { return feed.wait(FeedPosition{kEpoch, 0}, 60s); });
  std::this_thread::sleep_for(20ms);
  feed.committed({"exceptions"}, 7);
  BOOST_REQUIRE(waiter.wait_for(30s) == std::future_status::ready);  // a generous deadline
  auto b = waiter.get();
  BOOST_REQUIRE_EQUAL(b.changes.size(), 1u);
  BOOST_TEST(b.changes[0].topics == (Topics{"exceptions"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stop_wakes_every_waiter_and_later_waits_return_at_once) {
  ChangeFeed feed(16, kEpoch);
  auto a = std::async(std::launch::async, [&] { return feed.wait(FeedPosition{kEpoch, 0}, 60s); });
  auto b = std::async(std::launch::async, [&] { return feed.wait(FeedPosition{kEpoch, 0}, 60s); });
  std::this_thread::sleep_for(20ms);
  feed.stop();
  BOOST_REQUIRE(a.wait_for(30s) == std::future_status::ready);
  BOOST_REQUIRE(b.wait_for(30s) == std::future_status::ready);
  BOOST_TEST(a.get().stopped);
  BOOST_TEST(b.get().stopped);
  BOOST_TEST(feed.wait(FeedPosition{kEpoch, 0}, 60s).stopped);
}

BOOST_AUTO_TEST_CASE(positions_are_written_epoch_dash_seq_and_anything_else_is_refused_naming_the_part) {
  using wms::server::formatPosition;
  using wms::server::parsePosition;
  BOOST_TEST(formatPosition(FeedPosition{kEpoch, 42}) == "abcdef0123456789-42");
  BOOST_TEST(formatPosition(FeedPosition{1, 0}) == "0000000000000001-0");
  auto back = parsePosition("abcdef0123456789-42");
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back->epoch == kEpoch);
  BOOST_TEST(back->seq == 42u);
  BOOST_TEST(parsePosition("0000000000000001-18446744073709551615").ok() == false);  // 20 digits
  BOOST_TEST(parsePosition("0000000000000001-9999999999999999999").ok());
  for (const char* bad : {"", "42", "abc-1", "ABCDEF0123456789-1", "abcdef0123456789-", "abcdef0123456789-x1",
                          "abcdef0123456789-1-2", "abcdef012345678g-1", "abcdef0123456789--1"}) {
    auto r = parsePosition(bad);
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST((r.error().kind == wms::ErrorKind::Malformed), bad);
  }
  BOOST_TEST(parsePosition("42").error().message.find("no '-'") != std::string::npos);
  BOOST_TEST(parsePosition("abc-1").error().message.find("epoch") != std::string::npos);
  BOOST_TEST(parsePosition("abcdef0123456789-x").error().message.find("sequence") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(two_feeds_draw_different_epochs) {
  ChangeFeed a, b;
  BOOST_TEST(a.head().epoch != 0u);
  BOOST_TEST(a.head().epoch != b.head().epoch);
}

// Every table wmsd makes has a decision: a topic, or on the list of tables
// no panel shows. A new table fails here until someone decides, so that a
// board cannot silently miss a kind of change.
BOOST_AUTO_TEST_CASE(every_table_of_wmsd_has_a_topic_or_is_known_to_show_on_no_panel) {
  const std::set<std::string> shownNowhere = {
      "accounts",       "api_tokens",        "audit_log",        "barcodes",
      "idempotency",    "location_capacity", "locations",        "packing_sequences",
      "pos_sale_lines", "pos_sales",         "return_lines",     "returns",
      "scans",          "schema_version",    "sign_in_failures", "sign_in_links",
      "skus",           "station_scans",     "store_probe",      "web_sessions",
      "workers",        "sqlite_sequence"};
  wms::testsupport::TempDir dir;
  wms::store::DatabaseOptions o;
  o.path = dir / "wms.db";
  o.schemas = {wms::channels::channelsSchema(), wms::server::WaveService::schema(),
               wms::packing::packingSchema(), wms::inbound::inboundSchema(), wms::identity::identitySchema()};
  auto db = wms::store::Database::open(o);
  BOOST_REQUIRE(db.ok());
  std::vector<std::string> tables;
  BOOST_REQUIRE((*db)
                    ->read([&](wms::store::Tx& tx) -> wms::Status {
                      wms::store::Query q(
                          tx, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
                      while (q.step()) tables.push_back(q.text(0));
                      return {};
                    })
                    .ok());
  BOOST_TEST(tables.size() > 50u);
  for (const auto& t : tables) {
    const bool decided = !wms::server::topicOfTable(t).empty() || shownNowhere.count(t) > 0;
    BOOST_TEST(decided, "table " << t << " has no topic: map it in ChangeFeed.cpp or list it here");
  }
}

BOOST_AUTO_TEST_SUITE_END()
