// What changed, over HTTP (server/core/src/http/ChangeRoutes.cpp) from a
// real wmsd: the event stream's snapshot and change events, a reconnect's
// Last-Event-ID, the polling route, bad positions, and the cap on streams.
// Deadlines are generous (seconds); nothing here asserts a timing.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <istream>
#include <memory>
#include <string>
#include <thread>

#include "wms/testsupport/WmsdProcess.h"

using wms::testsupport::WmsdProcess;
using namespace std::chrono_literals;

namespace {

struct Event {
  std::string name, id, data;
};

// One GET /api/v1/changes/stream, read event by event.
class EventStream {
 public:
  EventStream(const WmsdProcess& wmsd, const std::string& lastEventId = {})
      : session_("127.0.0.1", wmsd.port()) {
    session_.setTimeout(Poco::Timespan(10, 0));  // a read waits at most this: a generous deadline
    Poco::Net::HTTPRequest req("GET", "/api/v1/changes/stream", Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + wmsd.token());
    req.set("Accept", "text/event-stream");
    if (!lastEventId.empty()) req.set("Last-Event-ID", lastEventId);
    session_.sendRequest(req);
    body_ = &session_.receiveResponse(response_);
  }
  int status() const { return response_.getStatus(); }
  const Poco::Net::HTTPResponse& response() const { return response_; }
  std::string rest() {
    std::string all;
    char buf[4096];
    while (body_->read(buf, sizeof buf) || body_->gcount() > 0)
      all.append(buf, static_cast<std::size_t>(body_->gcount()));
    return all;
  }

  // The next event (comments and the retry line skipped); throws on a
  // time-out or the end of the stream.
  Event next() {
    Event e;
    std::string line;
    while (std::getline(*body_, line)) {
      if (line.empty()) {
        if (!e.name.empty()) return e;
        continue;
      }
      if (line.rfind("event: ", 0) == 0)
        e.name = line.substr(7);
      else if (line.rfind("id: ", 0) == 0)
        e.id = line.substr(4);
      else if (line.rfind("data: ", 0) == 0)
        e.data = line.substr(6);
    }
    throw std::runtime_error("the stream ended");
  }
  void close() { session_.reset(); }

 private:
  Poco::Net::HTTPClientSession session_;
  Poco::Net::HTTPResponse response_;
  std::istream* body_ = nullptr;
};

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

bool names(const Poco::JSON::Object::Ptr& data, const std::string& topic) {
  auto topics = data->getArray("topics");
  for (std::size_t i = 0; topics && i < topics->size(); ++i)
    if (topics->getElement<std::string>(i) == topic) return true;
  return false;
}

// A write that touches the stock (and the catalogue, which no panel follows).
void addStock(const WmsdProcess& wmsd, const std::string& sku) {
  auto r = wmsd.post("/api/v1/import/catalogue", "sku,description\n" + sku + ",x\n",
                     {{"Content-Type", "text/csv"}});
  BOOST_REQUIRE_MESSAGE(r.status < 300, r.body);
  r = wmsd.post("/api/v1/locations", R"({"code":"L-)" + sku + R"("})");
  BOOST_REQUIRE_MESSAGE(r.status < 300, r.body);
  r = wmsd.post("/api/v1/stock/adjustments",
                R"({"sku":")" + sku + R"(","location":"L-)" + sku + R"(","delta":3,"reason":"receipt"})");
  BOOST_REQUIRE_MESSAGE(r.status < 300, r.body);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(change_stream)

BOOST_AUTO_TEST_CASE(a_stream_starts_with_a_snapshot_then_names_the_topics_of_each_write) {
  WmsdProcess wmsd;
  EventStream stream(wmsd);
  BOOST_REQUIRE_EQUAL(stream.status(), 200);
  BOOST_TEST(stream.response().getContentType().rfind("text/event-stream", 0) == 0u);
  BOOST_TEST(stream.response().get("Cache-Control", "") == "no-store");
  BOOST_TEST(stream.response().get("X-Accel-Buffering", "") == "no");
  auto snapshot = stream.next();
  BOOST_TEST(snapshot.name == "snapshot");
  BOOST_TEST(snapshot.id.find('-') == 16u);
  addStock(wmsd, "LIVE");
  auto change = stream.next();
  BOOST_TEST(change.name == "change");
  BOOST_TEST(change.id != snapshot.id);
  auto data = parse(change.data);
  // The stock adjustment, possibly coalesced with the location's and the
  // catalogue's commits (which no panel shows, so they are no change).
  BOOST_TEST(names(data, "stock"), change.data);
  BOOST_TEST(change.id.substr(17) == std::to_string(data->getValue<std::uint64_t>("seq")));
}

BOOST_AUTO_TEST_CASE(a_reconnect_gets_what_it_missed_and_one_from_another_run_gets_a_snapshot) {
  WmsdProcess wmsd;
  std::string seen;
  {
    EventStream first(wmsd);
    seen = first.next().id;
  }
  addStock(wmsd, "MISSED");
  std::string caughtUp;
  {
    EventStream again(wmsd, seen);
    auto e = again.next();
    BOOST_TEST(e.name == "change");
    BOOST_TEST(names(parse(e.data), "stock"), e.data);
    caughtUp = e.id;
  }
  {
    // Nothing missed: still one event at once, naming nothing.
    EventStream again(wmsd, caughtUp);
    auto e = again.next();
    BOOST_TEST(e.name == "change");
    BOOST_TEST(e.id == caughtUp);
    BOOST_TEST(parse(e.data)->getArray("topics")->size() == 0u, e.data);
  }
  // The same position after a restart names another run: start over.
  wmsd.stop();
  wmsd.restart();
  EventStream afterRestart(wmsd, seen);
  auto e = afterRestart.next();
  BOOST_TEST(e.name == "snapshot");
  BOOST_TEST(e.id.substr(0, 16) != seen.substr(0, 16));
}

BOOST_AUTO_TEST_CASE(polling_lists_the_changes_after_a_position_or_says_to_resync) {
  WmsdProcess wmsd;
  auto start = wmsd.get("/api/v1/changes");
  BOOST_REQUIRE_EQUAL(start.status, 200);
  auto first = parse(start.body);
  BOOST_TEST(first->getValue<bool>("resync"));  // no position yet: load everything
  const std::string id = first->getValue<std::string>("id");
  addStock(wmsd, "POLLED");
  auto next = parse(wmsd.get("/api/v1/changes?since=" + id).body);
  BOOST_TEST(!next->getValue<bool>("resync"));
  auto changes = next->getArray("changes");
  BOOST_REQUIRE(changes->size() >= 1u);
  bool stock = false;
  for (std::size_t i = 0; i < changes->size(); ++i) stock = stock || names(changes->getObject(i), "stock");
  BOOST_TEST(stock, next->getValue<std::string>("id"));
  // A well-formed position of another run: resync, not an error.
  auto foreign = parse(wmsd.get("/api/v1/changes?since=0000000000000001-5").body);
  BOOST_TEST(foreign->getValue<bool>("resync"));
}

BOOST_AUTO_TEST_CASE(a_malformed_position_is_refused_400_naming_it) {
  WmsdProcess wmsd;
  auto bad = wmsd.get("/api/v1/changes?since=yesterday");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.body.find("since") != std::string::npos, bad.body);
  EventStream stream(wmsd, "abcdef0123456789-1\x7f");
  BOOST_TEST(stream.status() == 400);
  BOOST_TEST(stream.rest().find("Last-Event-ID") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(streams_beyond_http_max_streams_get_503_and_the_api_still_answers) {
  WmsdProcess::Options o;
  o.settings["http.max_streams"] = "1";
  WmsdProcess wmsd(o);
  auto first = std::make_unique<EventStream>(wmsd);
  BOOST_REQUIRE_EQUAL(first->status(), 200);
  (void)first->next();
  EventStream second(wmsd);
  BOOST_TEST(second.status() == 503);
  BOOST_TEST(second.response().get("Retry-After", "") != "");
  BOOST_TEST(second.rest().find("http.max_streams") != std::string::npos);
  BOOST_TEST(wmsd.get("/healthz").status == 200);
  // The first board leaves; its slot frees once a write to it fails (a
  // change event here; a keep-alive within 15 s otherwise).
  first.reset();
  bool reopened = false;
  for (int i = 0; i < 60 && !reopened; ++i) {
    addStock(wmsd, "FREE" + std::to_string(i));
    EventStream again(wmsd);
    reopened = again.status() == 200;
    if (!reopened) std::this_thread::sleep_for(250ms);
  }
  BOOST_TEST(reopened);
}

BOOST_AUTO_TEST_CASE(stopping_wmsd_ends_its_streams_and_it_exits_cleanly) {
  WmsdProcess wmsd;
  EventStream stream(wmsd);
  BOOST_REQUIRE_EQUAL(stream.next().name, "snapshot");
  BOOST_TEST(wmsd.stop() == 0);  // not killed after its grace period
  BOOST_CHECK_THROW(stream.next(), std::exception);
}

BOOST_AUTO_TEST_SUITE_END()
