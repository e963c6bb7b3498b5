#include "ChangeRoutes.h"

#include <algorithm>
#include <ostream>
#include <set>
#include <thread>

#include "Json.h"

namespace wms::server::http {
namespace {

using Clock = std::chrono::steady_clock;

Poco::JSON::Array::Ptr topicsArray(const std::vector<std::string>& topics) {
  auto a = json::array();
  for (const auto& t : topics) a->add(t);
  return a;
}

// Writes one event. Its data is one line of JSON: a topic or an id never
// holds a line break, so no "data:" continuation is needed.
void sendEvent(std::ostream& out, const char* name, const FeedPosition& at,
               const Poco::JSON::Object::Ptr& data) {
  out << "event: " << name << "\nid: " << formatPosition(at) << "\ndata: " << json::stringify(data) << "\n\n";
  out.flush();
}

// The client must reload everything it shows, then follow from `at`.
void sendSnapshot(std::ostream& out, const FeedPosition& at) {
  auto o = json::object();
  o->set("seq", at.seq);
  sendEvent(out, "snapshot", at, o);
}

// What changed since the last event, as one: the topics of every change in
// `changes` (none: nothing), at the newest one's position.
void sendChange(std::ostream& out, const std::vector<FeedChange>& changes, const FeedPosition& at) {
  std::set<std::string> topics;
  for (const auto& c : changes) topics.insert(c.topics.begin(), c.topics.end());
  auto o = json::object();
  o->set("seq", at.seq);
  o->set("topics", topicsArray(std::vector<std::string>(topics.begin(), topics.end())));
  if (!changes.empty()) o->set("at_ms", changes.back().atMs);
  sendEvent(out, "change", at, o);
}

// One stream, until the client leaves (a write fails) or the feed stops.
void runStream(const ChangeFeed& feed, std::optional<FeedPosition> lastSeen, const StreamTiming& timing,
               std::ostream& out) {
  out << "retry: " << timing.retry.count() << "\n\n";
  FeedPosition at;
  if (!lastSeen) {
    at = feed.head();
    sendSnapshot(out, at);
  } else {
    // A reconnect: what the client missed while away, if the feed still
    // holds it; otherwise it starts over from a snapshot.
    auto missed = feed.wait(*lastSeen, std::chrono::milliseconds(0));
    at = missed.head;
    if (missed.stopped) return;
    // Always one event, so that the client knows at once it is caught up:
    // a change with no topics when nothing was missed.
    if (missed.resync)
      sendSnapshot(out, at);
    else
      sendChange(out, missed.changes, at);
  }
  const auto endAt = Clock::now() + timing.maxLife;
  auto lastEvent = Clock::now() - timing.coalesce;
  auto lastWrite = Clock::now();
  while (out.good() && Clock::now() < endAt) {
    const auto quiet = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::min(lastWrite + timing.keepAlive, endAt) - Clock::now()),
                                std::chrono::milliseconds(0));
    auto batch = feed.wait(at, quiet);
    if (batch.stopped) return;
    if (batch.resync) {
      // More changes than the feed holds went by while this client was
      // being written to: it reloads everything.
      at = batch.head;
      sendSnapshot(out, at);
    } else if (!batch.changes.empty()) {
      // The first change after a quiet spell goes at once; one within
      // `coalesce` of the previous event waits for the rest of that
      // window and goes with whatever else came meanwhile.
      const auto due = lastEvent + timing.coalesce;
      if (Clock::now() < due) {
        std::this_thread::sleep_until(due);
        auto more = feed.wait(batch.head, std::chrono::milliseconds(0));
        if (more.stopped) return;
        if (more.resync) {
          at = more.head;
          sendSnapshot(out, at);
          lastEvent = lastWrite = Clock::now();
          continue;
        }
        batch.changes.insert(batch.changes.end(), more.changes.begin(), more.changes.end());
        batch.head = more.head;
      }
      at = batch.head;
      sendChange(out, batch.changes, at);
      lastEvent = Clock::now();
    } else if (Clock::now() < endAt) {
      out << ": keep-alive\n\n";
      out.flush();
    }
    lastWrite = Clock::now();
  }
}

// A client's position: the query's `since` or the Last-Event-ID header;
// absent is nullopt, malformed an error naming where it came from.
Result<std::optional<FeedPosition>> positionFrom(const std::string& text, const char* where) {
  if (text.empty()) return std::optional<FeedPosition>{};
  auto p = parsePosition(text);
  if (!p) return Error{ErrorKind::Malformed, std::string(where) + ": " + p.error().message};
  return std::optional<FeedPosition>{*p};
}

}  // namespace

void addChangeRoutes(Router& router, const ChangeFeed& feed, StreamTiming timing) {
  router.add("GET", "/api/v1/changes", [&feed](const Request& req) {
    auto since = positionFrom(req.q("since"), "since");
    if (!since) return Response::error(since.error());
    auto o = json::object();
    auto changes = json::array();
    ChangeFeed::Batch batch;
    if (*since) {
      batch = feed.wait(**since, std::chrono::milliseconds(0));
    } else {
      batch.head = feed.head();
      batch.resync = true;  // no position yet: load everything, then follow from `id`
    }
    for (const auto& c : batch.changes) {
      auto item = json::object();
      item->set("id", formatPosition(FeedPosition{batch.head.epoch, c.seq}));
      item->set("seq", c.seq);
      item->set("at_ms", c.atMs);
      item->set("topics", topicsArray(c.topics));
      changes->add(item);
    }
    o->set("id", formatPosition(batch.head));
    o->set("resync", batch.resync);
    o->set("changes", changes);
    return Response::json(200, json::stringify(o));
  });

  router.add("GET", "/api/v1/changes/stream", [&feed, timing](const Request& req) {
    auto lastSeen = positionFrom(req.header("last-event-id"), "Last-Event-ID");
    if (!lastSeen) return Response::error(lastSeen.error());
    Response r;
    r.contentType = "text/event-stream; charset=utf-8";
    r.stream = [&feed, timing, from = *lastSeen](std::ostream& out) { runStream(feed, from, timing, out); };
    return r;
  });
}

}  // namespace wms::server::http
