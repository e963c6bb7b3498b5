// The outbox on a real SQLite file: ids, order, acks, atomic state, and
// files that are damaged, foreign or unwritable.
#define BOOST_TEST_MODULE handheld_outbox
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "wms/handheld/Outbox.h"
#include "wms/protocol/Codec.h"
#include "wms/testsupport/TempDir.h"

using namespace wms;
using namespace wms::handheld;
using wms::testsupport::TempDir;

namespace {

protocol::Message confirm(const std::string& stop) {
  protocol::PickConfirm c;
  c.batchId = "B-1";
  c.stopId = stop;
  c.qty = 1;
  c.puts = {{"T-1", 1}};
  c.location = "A-01-01-1";
  c.barcode = "4006381333931";
  return c;
}

std::unique_ptr<Outbox> openBox(const std::filesystem::path& file, const std::string& device = "HH-07") {
  auto box = Outbox::open(file, device, 1000);
  BOOST_REQUIRE_MESSAGE(box, (box ? "" : box.error().message));
  return std::move(box).value();
}

void runSql(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE_EQUAL(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  BOOST_REQUIRE_EQUAL(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

std::string readAll(const std::filesystem::path& p) {
  return wms::testsupport::readFile(p);
}

}  // namespace

BOOST_AUTO_TEST_CASE(events_get_ids_of_the_files_session_in_order_and_keep_them_across_reopening) {
  TempDir dir;
  const auto file = dir / "hh.db";
  std::string session;
  {
    auto box = openBox(file);
    session = box->session();
    BOOST_TEST(session.size() == 16u);
    auto stored = box->append({confirm("S1"), confirm("S2")}, {}, 5000);
    BOOST_REQUIRE(stored);
    BOOST_REQUIRE_EQUAL(stored->size(), 2u);
    BOOST_TEST((*stored)[0].eventId == session + "-1");
    BOOST_TEST((*stored)[1].eventId == session + "-2");
    BOOST_TEST((*stored)[0].topic == "wms/v1/dev/HH-07/evt");
    auto decoded = protocol::decode((*stored)[0].payload);
    BOOST_REQUIRE(decoded);
    BOOST_TEST(protocol::baseOf(*decoded).device == "HH-07");
    BOOST_TEST(protocol::baseOf(*decoded).ts == 5000);
    BOOST_TEST(box->pendingCount() == 2u);
  }
  auto box = openBox(file);
  BOOST_TEST(box->session() == session);
  BOOST_TEST(box->pendingCount() == 2u);
  auto pending = box->pending();
  BOOST_REQUIRE(pending);
  BOOST_TEST((*pending)[0].eventId == session + "-1");
  BOOST_TEST((*pending)[1].eventId == session + "-2");
  // The counter goes on where it was: ids are never reused.
  auto more = box->append({confirm("S3")}, {}, 6000);
  BOOST_TEST((*more)[0].eventId == session + "-3");
  BOOST_TEST((*more)[0].seq == 3);
}

BOOST_AUTO_TEST_CASE(an_ack_removes_its_event_once_and_a_second_ack_finds_nothing) {
  TempDir dir;
  auto box = openBox(dir / "hh.db");
  auto stored = box->append({confirm("S1"), confirm("S2")}, {}, 1);
  const auto first = (*stored)[0];
  auto acked = box->acknowledge(first.eventId);
  BOOST_REQUIRE(acked);
  BOOST_REQUIRE(acked->has_value());
  BOOST_TEST((*acked)->payload == first.payload);
  BOOST_TEST(box->pendingCount() == 1u);
  auto again = box->acknowledge(first.eventId);
  BOOST_REQUIRE(again);
  BOOST_TEST(!again->has_value());
  auto unknown = box->acknowledge("nobody-1");
  BOOST_TEST(!unknown->has_value());
  BOOST_TEST(box->pending()->size() == 1u);
}

BOOST_AUTO_TEST_CASE(state_is_saved_with_its_events_and_an_invalid_event_stores_neither) {
  TempDir dir;
  auto box = openBox(dir / "hh.db");
  BOOST_REQUIRE(box->append({confirm("S1")}, {{"pick", "state-1"}}, 1));
  BOOST_TEST(*box->loadState("pick").value() == "state-1");
  protocol::PickConfirm bad = std::get<protocol::PickConfirm>(confirm("S2"));
  bad.qty = 0;  // the protocol refuses this
  auto r = box->append({confirm("S2"), bad}, {{"pick", "state-2"}}, 2);
  BOOST_REQUIRE(!r);
  BOOST_CHECK(r.error().kind == ErrorKind::Invalid);
  BOOST_TEST(*box->loadState("pick").value() == "state-1");
  BOOST_TEST(box->pendingCount() == 1u);
  BOOST_TEST(box->pending()->size() == 1u);
  // Commands are not events and cannot go in.
  protocol::TaskCancel notEvent;
  notEvent.batchId = "B";
  notEvent.reason = "r";
  BOOST_TEST(!box->append({notEvent}, {}, 3));
  BOOST_TEST(!box->loadState("nothing").value().has_value());
  BOOST_TEST(static_cast<bool>(box->clearState("pick")));
  BOOST_TEST(!box->loadState("pick").value().has_value());
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_database_is_moved_aside_and_a_fresh_outbox_started) {
  TempDir dir;
  const auto file = dir / "hh.db";
  std::filesystem::copy_file(std::filesystem::path(WMS_HANDHELD_FIXTURES) / "outbox/not-a-database.db", file);
  const std::string before = readAll(file);
  auto box = openBox(file);
  const auto& report = box->openReport();
  BOOST_TEST(report.recovered);
  BOOST_TEST(report.message.find("hh.db was unusable") != std::string::npos, report.message);
  BOOST_TEST(report.message.find("started a fresh one") != std::string::npos);
  BOOST_TEST(readAll(report.movedTo) == before);
  BOOST_TEST(box->pendingCount() == 0u);
  BOOST_TEST(static_cast<bool>(box->append({confirm("S1")}, {}, 1)));
}

BOOST_AUTO_TEST_CASE(an_sqlite_file_of_another_kind_is_moved_aside_too) {
  TempDir dir;
  const auto file = dir / "hh.db";
  runSql(file, "CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('laksa');");
  auto box = openBox(file);
  BOOST_TEST(box->openReport().recovered);
  BOOST_TEST(box->openReport().message.find("not a handheld outbox") != std::string::npos, box->openReport().message);
}

BOOST_AUTO_TEST_CASE(an_outbox_with_damaged_pages_is_moved_aside) {
  TempDir dir;
  const auto file = dir / "hh.db";
  {
    auto box = openBox(file);
    std::vector<protocol::Message> many;
    for (int i = 0; i < 200; ++i) many.push_back(confirm("S" + std::to_string(i)));
    BOOST_REQUIRE(box->append(many, {{"pick", std::string(20000, 'x')}}, 1));
  }
  const auto size = std::filesystem::file_size(file);
  BOOST_REQUIRE(size > 3 * 4096);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);  // page 2: a table root; its header becomes nonsense
    const std::string junk(3000, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto box = openBox(file);
  BOOST_TEST(box->openReport().recovered, box->openReport().message);
  BOOST_TEST(box->pendingCount() == 0u);
}

BOOST_AUTO_TEST_CASE(an_outbox_of_another_device_is_refused_and_left_where_it_is) {
  TempDir dir;
  const auto file = dir / "hh.db";
  { openBox(file, "HH-07"); }
  auto other = Outbox::open(file, "HH-08", 1);
  BOOST_REQUIRE(!other);
  BOOST_CHECK(other.error().kind == ErrorKind::Conflict);
  BOOST_TEST(other.error().message.find("belongs to device HH-07, not HH-08") != std::string::npos);
  BOOST_TEST(openBox(file, "HH-07")->openReport().recovered == false);
}

BOOST_AUTO_TEST_CASE(an_outbox_that_cannot_be_created_is_unavailable_naming_the_file) {
  TempDir dir;
  const auto blocker = dir / "plain-file";
  std::ofstream(blocker) << "x";
  auto box = Outbox::open(blocker / "sub" / "hh.db", "HH-07", 1);
  BOOST_REQUIRE(!box);
  BOOST_CHECK(box.error().kind == ErrorKind::Unavailable);
  BOOST_TEST(box.error().message.find("plain-file") != std::string::npos, box.error().message);
}
