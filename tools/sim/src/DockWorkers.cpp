#include "DockWorkers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <functional>
#include <map>
#include <thread>

#include "wms/handheld/DeviceLink.h"
#include "wms/handheld/Handheld.h"
#include "wms/sim/BarcodeImage.h"

namespace wms::sim::detail {

using namespace wms::handheld;
using Poco::JSON::Object;

namespace {

// How long a worker waits for wmsd's task after a request.
constexpr auto kAnswerTimeout = std::chrono::seconds(30);
// How long it waits for the ack of a confirmation before it goes on.
constexpr auto kAckTimeout = std::chrono::seconds(60);
// Unreadable reads of one label before the worker gives up on it.
constexpr int kMaxReads = 12;

// ---- Reading wmsd's JSON (outside input: nothing is assumed) ----------------------

std::string text(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return "";
  try {
    return o->getValue<std::string>(key);
  } catch (const std::exception&) {
    return "";
  }
}

std::optional<std::int64_t> integer(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return std::nullopt;
  try {
    return o->getValue<std::int64_t>(key);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool flag(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return false;
  try {
    return o->getValue<bool>(key);
  } catch (const std::exception&) {
    return false;
  }
}

// Each object of array `key` (entries that are not objects are skipped).
std::vector<Object::Ptr> objects(const Object::Ptr& o, const std::string& key) {
  std::vector<Object::Ptr> out;
  if (!o || !o->has(key)) return out;
  Poco::JSON::Array::Ptr a;
  try {
    a = o->getArray(key);
  } catch (const std::exception&) {
    return out;
  }
  for (unsigned i = 0; a && i < a->size(); ++i) {
    Object::Ptr item;
    try {
      item = a->getObject(i);
    } catch (const std::exception&) {
      continue;
    }
    if (item) out.push_back(item);
  }
  return out;
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The GTIN-14 of a registered barcode that is a GTIN (8, 12, 13 or 14
// digits with a right check digit); empty for internal codes.
std::string gtin14(const std::string& barcode) {
  if (!allDigits(barcode) ||
      (barcode.size() != 8 && barcode.size() != 12 && barcode.size() != 13 && barcode.size() != 14))
    return "";
  if (!hasValidGs1CheckDigit(barcode)) return "";
  return std::string(14 - barcode.size(), '0') + barcode;
}

// "2027-11-30" as GS1's YYMMDD, or empty if it is not such a date.
std::string yymmdd(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return "";
  const std::string digits = date.substr(2, 2) + date.substr(5, 2) + date.substr(8, 2);
  return allDigits(digits) ? digits : "";
}

// A case label's element string: the GTIN, then the expiry (fixed length)
// and the lot last, so that no GS separator is needed.
std::string caseElements(const std::string& gtin, const std::string& lot, const std::string& expiry) {
  std::string e = "01" + gtin;
  if (const auto d = yymmdd(expiry); !d.empty()) e += "17" + d;
  if (!lot.empty() && lot.size() <= 20) e += "10" + lot;
  return e;
}

// ---- What every dock handheld does --------------------------------------------------

class DockDevice {
 public:
  DockDevice(Shared& shared, Account account, protocol::WorkMode mode, std::optional<std::string> dock,
             std::uint64_t seed, DockModeSummary DockSummary::*figures)
      : shared_(shared),
        account_(std::move(account)),
        mode_(mode),
        dock_(std::move(dock)),
        figures_(figures),
        rng_(static_cast<std::mt19937::result_type>(seed)),
        api_(shared.options.api) {}
  virtual ~DockDevice() = default;
  DockDevice(const DockDevice&) = delete;
  DockDevice& operator=(const DockDevice&) = delete;

  void run() {
    LinkOptions lo;
    lo.uri = shared_.options.brokerUri;
    lo.caFile = shared_.options.caFile;
    lo.device = account_.device;
    lo.password = account_.password;
    lo.app = "wms-sim/0.1.0";
    lo.duplicateProbability = shared_.options.duplicates;
    DeviceLink link(lo);
    link.start();
    link_ = &link;
    HandheldOptions ho;
    ho.device = account_.device;
    ho.badge = account_.badge;
    ho.mode = mode_;
    ho.dock = dock_;
    ho.log = [this](const std::string& line) {
      if (line.find("refused") != std::string::npos) shared_.error(account_.device + ": " + line);
    };
    CountingFeedback feedback;
    auto opened = Handheld::open(ho, shared_.options.stateDir / (account_.device + ".db"), &link, &feedback);
    if (!opened) {
      shared_.error(account_.device + ": " + opened.error().message);
      return;
    }
    app_ = opened->get();
    waitFor([&] { return app_->online() && app_->signedIn(); }, std::chrono::seconds(60));
    work();
    // What was sent is delivered before the device stops (bounded).
    waitFor([&] { return app_->outboxCount() == 0 || shared_.stop; }, std::chrono::seconds(20));
    std::lock_guard lock(shared_.mutex);
    auto& s = shared_.summary.dock.*figures_;
    const auto& st = app_->stats();
    s.eventsCreated += st.created;
    s.applied += st.applied;
    s.duplicate += st.duplicate;
    s.rejected += st.rejected;
    s.resent += st.resent;
    s.outboxLeft += app_->outboxCount();
    shared_.summary.duplicated += link.duplicatesSent();
    app_ = nullptr;
  }

 protected:
  // The worker's loop; returns when the fleet stops or the worker idled out.
  virtual void work() = 0;

  double coin() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void pause() {
    auto left = shared_.options.pace;
    while (left.count() > 0 && !shared_.stop) {
      const auto slice = std::min(left, std::chrono::milliseconds(50));
      std::this_thread::sleep_for(slice);
      left -= slice;
    }
  }

  // Polls the app until `done` holds or `timeout` passed; the link wakes
  // the wait as soon as a message arrives.
  bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    for (;;) {
      app_->poll();
      if (done()) return true;
      if (Clock::now() >= until || shared_.stop) return false;
      link_->wait(std::chrono::milliseconds(5));
    }
  }

  // Sleeps up to `d` while polling the app (acks and tasks keep coming).
  void idle(std::chrono::milliseconds d) {
    waitFor([] { return false; }, d);
  }

  // True once the worker should stop for want of work: `feeding` says
  // whether a worker whose work feeds this one is still running.
  bool idledOut(Clock::time_point& lastWork, bool feeding) {
    if (feeding) lastWork = Clock::now();
    return shared_.options.untilIdle.count() > 0 && Clock::now() - lastWork >= shared_.options.untilIdle &&
           app_->outboxCount() == 0;
  }

  // Shows a label until `took` says the app took it (a fresh rendering
  // each time), up to kMaxReads reads; `read` makes one read.
  bool scanUntil(const std::function<std::optional<Input>()>& read, const std::function<bool()>& took) {
    for (int attempt = 0; attempt < kMaxReads && !shared_.stop; ++attempt) {
      if (attempt > 0) {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.retries;
      }
      if (auto in = read()) app_->input(*in);
      if (took()) return true;
    }
    return false;
  }

  bool scanLocation(const std::string& code, const std::function<bool()>& took) {
    StepExpectation step;
    step.expected.target = ScanTarget::Location;
    step.expected.code = code;
    step.text = code;
    return scanUntil(
        [&] {
          const auto format = shared_.options.scanner == Scanner::Camera
                                  ? labelFormat(ScanTarget::Location, code, rng_)
                                  : BarcodeFormat::Code128;
          return simulatedScan(shared_, rng_, format, code, step, account_.device);
        },
        took);
  }

  bool scanItem(const std::string& code, const std::string& sku, const std::vector<std::string>& barcodes,
                const std::function<bool()>& took) {
    StepExpectation step;
    step.expected.target = ScanTarget::Item;
    step.expected.sku = sku;
    step.expected.itemBarcodes = barcodes;
    step.text = code;
    return scanUntil(
        [&] {
          const auto format = shared_.options.scanner == Scanner::Camera
                                  ? labelFormat(ScanTarget::Item, code, rng_)
                                  : BarcodeFormat::Code128;
          return simulatedScan(shared_, rng_, format, code, step, account_.device);
        },
        took);
  }

  // A GS1-128 label (a case's, a pallet's), read with every format.
  bool scanGs1(const std::string& elements, const std::function<bool()>& took) {
    return scanUntil([&] { return simulatedGs1Scan(shared_, rng_, elements, std::nullopt, account_.device); },
                     took);
  }

  // A plain Code 128 label (an order's reference), read with every format.
  bool scanPlain(const std::string& code, const std::function<bool()>& took) {
    return scanUntil(
        [&] {
          return simulatedScan(shared_, rng_, BarcodeFormat::Code128, code, std::nullopt, account_.device);
        },
        took);
  }

  // Sends what the last input stored and waits for its ack: true if wmsd
  // applied it (or had before), false if it refused it or did not answer.
  bool acknowledged() {
    const auto rejected = app_->stats().rejected;
    if (!waitFor([&] { return app_->outboxCount() == 0; }, kAckTimeout)) {
      shared_.error(account_.device + ": no answer from wmsd within 60 s");
      return false;
    }
    return app_->stats().rejected == rejected;
  }

  void waited(Clock::time_point since) {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - since).count();
    std::lock_guard lock(shared_.mutex);
    (shared_.summary.dock.*figures_).waitMs.push_back(ms);
  }

  void count(const std::function<void(DockSummary&)>& add) {
    std::lock_guard lock(shared_.mutex);
    add(shared_.summary.dock);
  }

  void problem(const std::string& what) {
    const std::string shown =
        app_ && !app_->view().screen.error.empty() ? ": " + app_->view().screen.error : "";
    shared_.error(account_.device + ": " + what + shown);
  }

  // The SKU's registered barcodes (wmsd's catalogue; what the case says).
  const std::vector<std::string>& barcodesOf(const std::string& sku) {
    auto [it, added] = barcodes_.try_emplace(sku);
    if (added) {
      auto r = api_.call("GET", "/api/v1/skus/" + sku);
      if (r && r->json)
        for (const auto& b : objects(r->json, "barcodes"))
          if (auto v = text(b, "value"); !v.empty()) it->second.push_back(v);
    }
    return it->second;
  }

  Shared& shared_;
  const Account account_;
  const protocol::WorkMode mode_;
  const std::optional<std::string> dock_;
  DockModeSummary DockSummary::*const figures_;
  std::mt19937 rng_;
  apiclient::Client api_;
  DeviceLink* link_ = nullptr;  // valid during run()
  Handheld* app_ = nullptr;     // valid during run()

 private:
  std::map<std::string, std::vector<std::string>> barcodes_;
};

// ---- Receiving ------------------------------------------------------------------

class Receiver : public DockDevice {
 public:
  Receiver(Shared& shared, Account account, const std::string& dock, std::uint64_t seed, OrderQueue& orders)
      : DockDevice(shared, std::move(account), protocol::WorkMode::Receive, dock, seed,
                   &DockSummary::receiving),
        orders_(orders) {}

 private:
  // The delivery note: what is still to come of the order, from wmsd.
  struct Note {
    std::string reference;
    std::vector<std::string> pallets;  // SSCCs not yet received
    struct Line {
      std::string sku, lot, expiry;
      std::int64_t loose = 0;  // units to come in cases (not on an announced pallet)
    };
    std::vector<Line> lines;
    std::int64_t received = 0;  // good units received so far
  };

  std::optional<Note> note(std::int64_t id) {
    auto r = api_.call("GET", "/api/v1/inbound/purchase-orders/" + std::to_string(id));
    if (!r || !r->json) {
      shared_.error(account_.device + ": purchase order " + std::to_string(id) + ": " +
                    (r ? "not a JSON object" : r.error().message));
      return std::nullopt;
    }
    Note n;
    n.reference = text(r->json, "reference");
    if (n.reference.empty() || n.reference.size() > 64) return std::nullopt;
    std::map<std::int64_t, std::size_t> byNumber;
    for (const auto& l : objects(r->json, "lines")) {
      const auto number = integer(l, "line_no");
      const auto open = integer(l, "open");
      n.received += integer(l, "received").value_or(0);
      if (!number || !open) continue;
      byNumber[*number] = n.lines.size();
      n.lines.push_back(
          {text(l, "sku"), text(l, "lot"), text(l, "expiry"), std::max<std::int64_t>(0, *open)});
    }
    for (const auto& u : objects(r->json, "units")) {
      if (flag(u, "received")) continue;
      const auto sscc = text(u, "sscc");
      if (sscc.size() != 18 || !allDigits(sscc)) continue;
      n.pallets.push_back(sscc);
      for (const auto& c : objects(u, "contents")) {
        const auto number = integer(c, "line_no");
        const auto qty = integer(c, "qty");
        if (!number || !qty || byNumber.count(*number) == 0) continue;
        auto& line = n.lines[byNumber[*number]];
        line.loose = std::max<std::int64_t>(0, line.loose - *qty);
      }
    }
    return n;
  }

  void work() override {
    auto lastWork = Clock::now();
    while (!shared_.timeUp()) {
      app_->poll();
      auto id = orders_.take(std::chrono::milliseconds(100));
      if (!id) {
        if (idledOut(lastWork, false)) break;
        continue;
      }
      receive(*id);
      lastWork = Clock::now();
      pause();
    }
  }

  void receive(std::int64_t id) {
    auto before = note(id);
    if (!before) return;
    const auto& po = before->reference;
    const auto phase = [this] { return app_->receive().phase(); };
    if (phase() == ReceivePhase::Receive) app_->input(KeyPress{Key::Enter});  // an order left open before
    if (phase() == ReceivePhase::Quantity) {
      app_->input(KeyPress{Key::Escape});
      app_->input(KeyPress{Key::Enter});
    }
    if (phase() != ReceivePhase::ScanOrder) return problem("not at the order prompt for " + po);

    auto since = Clock::now();
    if (!scanPlain(po, [&] { return phase() != ReceivePhase::ScanOrder; }))
      return problem("order " + po + " unreadable");
    since = Clock::now();
    if (!waitFor([&] { return phase() != ReceivePhase::WaitTask; }, kAnswerTimeout)) {
      app_->input(KeyPress{Key::Escape});
      return problem("no receive.task for " + po + " within 30 s");
    }
    if (phase() != ReceivePhase::Receive) return problem("order " + po + " refused");
    waited(since);

    // The announced pallets, one scan each (GS1-128, AI 00).
    for (const auto& sscc : before->pallets) {
      const auto sent = app_->stats().created;
      if (!scanGs1("00" + sscc, [&] { return app_->stats().created > sent; })) {
        problem("pallet " + sscc + " of " + po + " unreadable");
        continue;
      }
      if (acknowledged()) count([](DockSummary& d) { ++d.pallets; });
    }
    // The loose cases, line by line: the label, then the units in the case.
    for (const auto& line : before->lines) {
      const auto& codes = barcodesOf(line.sku);
      const std::string code = codes.empty() ? line.sku : codes.front();
      const std::string gtin = gtin14(code);
      for (std::int64_t left = line.loose; left > 0 && !shared_.stop;) {
        const int qty = static_cast<int>(std::min<std::int64_t>(left, uniform(6, 24)));
        const bool gs1 = !gtin.empty() && (!line.lot.empty() || !line.expiry.empty() || coin() < 0.5);
        const auto atQuantity = [&] { return phase() == ReceivePhase::Quantity; };
        const bool read = gs1 ? scanGs1(caseElements(gtin, line.lot, line.expiry), atQuantity)
                              : scanItem(code, line.sku, codes, atQuantity);
        if (!read) {
          problem("a case of " + line.sku + " on " + po + " was not taken");
          break;
        }
        app_->input(NumberEntry{qty});
        if (phase() != ReceivePhase::Receive) {
          app_->input(KeyPress{Key::Escape});
          problem(std::to_string(qty) + " units of " + line.sku + " not taken");
          break;
        }
        if (!acknowledged()) break;  // refused: the rest of the line is the supervisor's
        count([](DockSummary& d) { ++d.cases; });
        left -= qty;
        pause();
      }
    }
    app_->input(KeyPress{Key::Enter});  // the truck is done
    if (auto after = note(id))
      count([&](DockSummary& d) { d.unitsReceived += after->received - before->received; });
    count([](DockSummary& d) { ++d.ordersReceived; });
  }

  OrderQueue& orders_;
};

// ---- Put-away -------------------------------------------------------------------

class PutawayWorker : public DockDevice {
 public:
  PutawayWorker(Shared& shared, Account account, std::uint64_t seed, DockQueue& items)
      : DockDevice(shared, std::move(account), protocol::WorkMode::Putaway, std::nullopt, seed,
                   &DockSummary::putaway),
        items_(items) {}

 private:
  void work() override {
    auto lastWork = Clock::now();
    while (!shared_.timeUp()) {
      app_->poll();
      auto item = items_.take(std::chrono::milliseconds(100));
      if (!item) {
        if (idledOut(lastWork, shared_.receiversRunning > 0)) break;
        continue;
      }
      // Done: more of it may land later and be listed again. Not done: it
      // stays with this fleet's listing as taken (left for a person).
      if (putAway(*item)) items_.giveBack(*item);
      lastWork = Clock::now();
      pause();
    }
  }

  PutawayPhase phase() const { return app_->putaway().phase(); }

  // Another location of the SKU (a pick face or reserve that holds it) to
  // put it to instead of the suggestion, if there is one.
  std::optional<std::string> elsewhere(const std::string& sku, const std::string& from,
                                       const std::string& suggested) {
    auto stock = api_.call("GET", "/api/v1/stock/" + sku);
    if (!stock || !stock->json) return std::nullopt;
    std::vector<std::string> places;
    for (const auto& row : objects(stock->json, "locations")) {
      const auto where = text(row, "location");
      if (where.empty() || where == from || where == suggested ||
          std::find(places.begin(), places.end(), where) != places.end())
        continue;
      auto kind = kinds_.find(where);
      if (kind == kinds_.end()) {
        auto loc = api_.call("GET", "/api/v1/locations/" + where);
        // Not known while wmsd is away: asked again next time, not remembered as no kind.
        if (!loc || !loc->json) continue;
        kind = kinds_.emplace(where, text(loc->json, "kind")).first;
      }
      if (kind->second == "pick" || kind->second == "reserve") places.push_back(where);
    }
    if (places.empty()) return std::nullopt;
    return places[static_cast<std::size_t>(uniform(0, static_cast<int>(places.size()) - 1))];
  }

  // Units of `item` at its dock now (the worker looks before walking
  // there: a listing may be older than the put-away that emptied it).
  std::optional<std::int64_t> waiting(const DockItem& item) {
    auto stock = api_.call("GET", "/api/v1/stock/" + item.sku);
    if (!stock || !stock->json) return std::nullopt;
    std::int64_t units = 0;
    for (const auto& row : objects(stock->json, "locations"))
      if (text(row, "location") == item.location && text(row, "lot") == item.lot &&
          text(row, "expiry") == item.expiry)
        units += integer(row, "qty").value_or(0);
    return units;
  }

  // Puts `item` away; true when wmsd applied it, or nothing of it waits any more.
  bool putAway(const DockItem& item) {
    if (waiting(item).value_or(1) <= 0) return true;
    const auto& codes = barcodesOf(item.sku);
    if (codes.empty()) {
      shared_.error(account_.device + ": SKU " + item.sku + " has no barcode to scan");
      return false;
    }
    // At the dock the item waits at.
    if (app_->putaway().state().from != item.location || phase() == PutawayPhase::ScanFrom) {
      for (int i = 0; i < 4 && phase() != PutawayPhase::ScanFrom; ++i) app_->input(KeyPress{Key::Escape});
      if (!scanLocation(item.location, [&] { return phase() == PutawayPhase::ScanItem; })) {
        problem("dock " + item.location + " unreadable");
        return false;
      }
    }
    if (phase() != PutawayPhase::ScanItem) {
      problem("not at the item prompt");
      return false;
    }
    // The item: its case label with the lot and expiry it carries, else
    // its barcode.
    const std::string gtin = gtin14(codes.front());
    const auto asked = [&] { return phase() == PutawayPhase::WaitTask; };
    const bool read = !gtin.empty() && (!item.lot.empty() || !item.expiry.empty())
                          ? scanGs1(caseElements(gtin, item.lot, item.expiry), asked)
                          : scanItem(codes.front(), item.sku, codes, asked);
    if (!read) {
      problem(item.sku + " at " + item.location + " unreadable");
      return false;
    }
    const auto since = Clock::now();
    if (!waitFor([&] { return phase() != PutawayPhase::WaitTask; }, kAnswerTimeout)) {
      app_->input(KeyPress{Key::Escape});
      problem("no putaway.task for " + item.sku + " within 30 s");
      return false;
    }
    if (phase() != PutawayPhase::ScanTo) {
      problem("put-away of " + item.sku + " refused");
      return false;
    }
    waited(since);
    const auto task = *app_->putaway().state().task;
    if (!task.to) {
      count([](DockSummary& d) { ++d.nowhere; });
      app_->input(KeyPress{Key::Escape});
      return false;
    }
    // Occasionally elsewhere, with a reason; refused, the worker takes the
    // suggestion (the task comes back at the destination step).
    std::optional<std::string> other;
    if (coin() < shared_.options.overrideProbability) other = elsewhere(task.sku, task.from, *task.to);
    for (int round = 0; round < 3 && !shared_.stop; ++round) {
      const bool override = round == 0 && other.has_value();
      const std::string to = override ? *other : *task.to;
      if (!scanLocation(
              to, [&] { return phase() == PutawayPhase::Quantity || phase() == PutawayPhase::Reason; })) {
        problem("location " + to + " unreadable");
        break;
      }
      if (phase() == PutawayPhase::Reason) app_->input(NumberEntry{uniform(1, 3)});
      if (phase() != PutawayPhase::Quantity) {
        problem("no quantity step for " + task.sku);
        break;
      }
      app_->input(KeyPress{Key::Enter});  // all of it
      if (acknowledged()) {
        count([&](DockSummary& d) {
          ++d.putaways;
          d.unitsPutAway += task.qty;
          if (override) ++d.overrides;
        });
        return true;
      }
      if (override) count([](DockSummary& d) { ++d.overridesRefused; });
      if (phase() != PutawayPhase::ScanTo) break;  // the refusal did not bring the task back
    }
    if (phase() != PutawayPhase::ScanItem) app_->input(KeyPress{Key::Escape});
    return false;
  }

  DockQueue& items_;
  std::map<std::string, std::string> kinds_;  // location -> kind, as wmsd said
};

// ---- Replenishment ----------------------------------------------------------------

class Replenisher : public DockDevice {
 public:
  Replenisher(Shared& shared, Account account, std::uint64_t seed)
      : DockDevice(shared, std::move(account), protocol::WorkMode::Replenish, std::nullopt, seed,
                   &DockSummary::replenishment) {}

 private:
  ReplenishPhase phase() const { return app_->replenish().phase(); }

  void work() override {
    auto lastWork = Clock::now();
    std::optional<Clock::time_point> lastAsk;
    while (!shared_.timeUp()) {
      app_->poll();
      switch (phase()) {
        case ReplenishPhase::Idle: {
          if (lastAsk && Clock::now() - *lastAsk < shared_.options.dockPoll) {
            if (idledOut(lastWork, shared_.pickersRunning > 0 || shared_.receiversRunning > 0 ||
                                       shared_.putawayRunning > 0))
              return;
            idle(std::chrono::milliseconds(50));
            continue;
          }
          lastAsk = Clock::now();
          app_->input(KeyPress{Key::Enter});
          const auto since = Clock::now();
          if (waitFor([&] { return phase() != ReplenishPhase::WaitTask; }, kAnswerTimeout)) waited(since);
          continue;
        }
        case ReplenishPhase::WaitTask:
          if (!waitFor([&] { return phase() != ReplenishPhase::WaitTask; }, kAnswerTimeout))
            app_->input(KeyPress{Key::Escape});
          continue;
        default:
          break;
      }
      lastWork = Clock::now();
      move();
      pause();
    }
  }

  // One step of the move in hand.
  void move() {
    const auto step = app_->expectation();
    const auto before = phase();
    const auto moved = [&] { return phase() != before; };
    switch (before) {
      case ReplenishPhase::ScanFrom:
      case ReplenishPhase::ScanTo: {
        if (!step) return;
        const int qty = app_->replenish().state().qty;
        const auto sent = app_->stats().created;
        if (!scanLocation(step->text, moved)) {
          problem("location " + step->text + " unreadable; skipping the move");
          if (before == ReplenishPhase::ScanFrom) app_->input(KeyPress{Key::Skip});
          return;
        }
        if (before == ReplenishPhase::ScanTo && app_->stats().created > sent && acknowledged())
          count([&](DockSummary& d) {
            ++d.replenishments;
            d.unitsReplenished += qty;
          });
        return;
      }
      case ReplenishPhase::ScanItem:
        if (!step) return;
        if (!scanItem(step->text, step->expected.sku, step->expected.itemBarcodes, moved)) {
          problem("item " + step->text + " unreadable; skipping the move");
          app_->input(KeyPress{Key::Skip});
        }
        return;
      case ReplenishPhase::Quantity:
        app_->input(KeyPress{Key::Enter});  // the move's units
        return;
      case ReplenishPhase::Idle:
      case ReplenishPhase::WaitTask:
        return;
    }
  }
};

// ---- Counting ---------------------------------------------------------------------

class Counter : public DockDevice {
 public:
  Counter(Shared& shared, Account account, std::uint64_t seed)
      : DockDevice(shared, std::move(account), protocol::WorkMode::Count, std::nullopt, seed,
                   &DockSummary::counting) {}

 private:
  CountPhase phase() const { return app_->count().phase(); }

  void work() override {
    auto lastWork = Clock::now();
    std::optional<Clock::time_point> lastAsk;
    while (!shared_.timeUp()) {
      app_->poll();
      switch (phase()) {
        case CountPhase::Idle: {
          if (lastAsk && Clock::now() - *lastAsk < shared_.options.dockPoll) {
            if (idledOut(lastWork, shared_.pickersRunning > 0 || shared_.receiversRunning > 0 ||
                                       shared_.putawayRunning > 0 || shared_.replenishersRunning > 0))
              return;
            idle(std::chrono::milliseconds(50));
            continue;
          }
          lastAsk = Clock::now();
          app_->input(KeyPress{Key::Enter});
          const auto since = Clock::now();
          if (waitFor([&] { return phase() != CountPhase::WaitTask; }, kAnswerTimeout)) waited(since);
          continue;
        }
        case CountPhase::WaitTask:
          if (!waitFor([&] { return phase() != CountPhase::WaitTask; }, kAnswerTimeout))
            app_->input(KeyPress{Key::Escape});
          continue;
        case CountPhase::ScanLocation: {
          const auto step = app_->expectation();
          if (step && !scanLocation(step->text, [&] { return phase() != CountPhase::ScanLocation; })) {
            problem("location " + step->text + " unreadable; skipping it");
            app_->input(KeyPress{Key::Skip});
          }
          break;
        }
        case CountPhase::Count:
          countOne();
          break;
      }
      lastWork = Clock::now();
      pause();
    }
  }

  // What is on the shelf: wmsd's stock of that row (the counter's eyes).
  std::optional<std::int64_t> onShelf(const protocol::CountItem& item) {
    auto stock = api_.call("GET", "/api/v1/stock/" + item.sku);
    if (!stock || !stock->json) return std::nullopt;
    std::int64_t units = 0;
    for (const auto& row : objects(stock->json, "locations"))
      if (text(row, "location") == item.location && text(row, "lot") == item.lot.value_or("") &&
          text(row, "expiry") == item.expiry.value_or(""))
        units += integer(row, "qty").value_or(0);
    return units;
  }

  void countOne() {
    const auto& st = app_->count().state();
    auto it = std::find_if(st.counts.begin(), st.counts.end(),
                           [&](const protocol::CountItem& c) { return c.location == st.location; });
    if (it == st.counts.end()) {
      app_->input(KeyPress{Key::Skip});
      return;
    }
    const protocol::CountItem item = *it;
    // Scanning the item first is optional: about half the time.
    if (!st.itemScanned && coin() < 0.5 && !item.barcodes.empty())
      scanItem(item.barcodes.front(), item.sku, item.barcodes,
               [&] { return app_->count().state().itemScanned; });
    auto there = onShelf(item);
    if (!there) {
      problem("cannot see the shelf " + item.location + " (stock of " + item.sku + ")");
      app_->input(KeyPress{Key::Skip});
      return;
    }
    const bool miscount = coin() < shared_.options.miscountProbability;
    std::int64_t counted = *there;
    if (miscount) counted = *there > 0 ? *there - std::min<std::int64_t>(*there, uniform(1, 2)) : 1;
    const auto sent = app_->stats().created;
    app_->input(NumberEntry{static_cast<int>(std::min<std::int64_t>(counted, 1000000))});
    if (app_->stats().created == sent) {
      problem("count of " + item.location + " not taken");
      app_->input(KeyPress{Key::Skip});
      return;
    }
    if (acknowledged())
      count([&](DockSummary& d) {
        ++d.counts;
        if (miscount) ++d.miscounts;
        if (item.recount) ++d.recounts;
      });
  }
};

}  // namespace

// ---- Listings ---------------------------------------------------------------------

int listPurchaseOrders(apiclient::Client& api, OrderQueue& queue) {
  auto r = api.call("GET", "/api/v1/inbound/purchase-orders?status=open&limit=500");
  if (!r || !r->json) return 0;
  std::vector<std::int64_t> ids;
  for (const auto& po : objects(r->json, "items"))
    if (auto id = integer(po, "id"); id && *id > 0) ids.push_back(*id);
  std::sort(ids.begin(), ids.end());  // the list is newest first; trucks are received oldest first
  int added = 0;
  for (auto id : ids)
    if (queue.offer(id)) ++added;
  return added;
}

int listDockBacklog(apiclient::Client& api, const std::vector<std::string>& docks, DockQueue& queue) {
  auto r = api.call("GET", "/api/v1/inbound/putaway/backlog?limit=500");
  if (!r || !r->json) return 0;
  int added = 0;
  for (const auto& b : objects(r->json, "items")) {
    DockItem item{text(b, "sku"), text(b, "location"), text(b, "lot"), text(b, "expiry")};
    if (item.sku.empty() || std::find(docks.begin(), docks.end(), item.location) == docks.end()) continue;
    if (integer(b, "qty").value_or(0) <= 0) continue;
    Object::Ptr suggestion;
    try {
      suggestion = b->getObject("suggestion");
    } catch (const std::exception&) {
      continue;
    }
    if (text(suggestion, "location").empty()) continue;  // nowhere has room: left for a person
    if (queue.offer(item)) ++added;
  }
  return added;
}

void runReceiver(Shared& shared, const Account& account, const std::string& dock, std::uint64_t seed,
                 OrderQueue& orders) {
  Receiver(shared, account, dock, seed, orders).run();
}

void runPutaway(Shared& shared, const Account& account, std::uint64_t seed, DockQueue& items) {
  PutawayWorker(shared, account, seed, items).run();
}

void runReplenisher(Shared& shared, const Account& account, std::uint64_t seed) {
  Replenisher(shared, account, seed).run();
}

void runCounter(Shared& shared, const Account& account, std::uint64_t seed) {
  Counter(shared, account, seed).run();
}

}  // namespace wms::sim::detail
