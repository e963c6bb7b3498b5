#include "Packer.h"

#include <functional>
#include <thread>

#include "wms/handheld/DeviceLink.h"
#include "wms/handheld/Handheld.h"
#include "wms/sim/BarcodeImage.h"

namespace wms::sim::detail {

using namespace wms::handheld;

// ---- One simulated packer ----------------------------------------------------------

namespace {

// How long a packer waits for the pack task before giving the order back.
constexpr auto kAnswerTimeout = std::chrono::seconds(30);
// Once a pack event is in the outbox it is resent until answered: the
// packer waits for that answer (up to this) rather than leave the handheld
// half way through an order.
constexpr auto kPatience = std::chrono::minutes(10);
// Unreadable scans of one label before the packer types its code.
constexpr int kScansBeforeTyping = 12;

class Packer {
 public:
  Packer(Shared& shared, Account account, std::string station, std::uint64_t seed, PackQueue& queue)
      : shared_(shared),
        account_(std::move(account)),
        station_(std::move(station)),
        rng_(static_cast<std::mt19937::result_type>(seed)),
        queue_(queue) {}

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
    ho.mode = protocol::WorkMode::Pack;
    ho.station = station_;
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
    // Packing starts once the handheld is online and signed in (its station
    // binds with the first pack.request).
    waitFor([&] { return app_->online() && app_->signedIn(); }, std::chrono::seconds(60));
    auto lastWork = Clock::now();
    while (!shared_.timeUp()) {
      app_->poll();
      if (queue_.finished()) break;
      auto order = queue_.take(std::chrono::milliseconds(100));
      if (!order) {
        // Idle while pickers still work is waiting for their orders, not idleness.
        if (shared_.pickersRunning > 0) lastWork = Clock::now();
        if (shared_.options.untilIdle.count() > 0 && Clock::now() - lastWork >= shared_.options.untilIdle &&
            app_->outboxCount() == 0)
          break;
        continue;
      }
      {
        std::lock_guard lock(shared_.mutex);
        if (!shared_.firstPack) shared_.firstPack = Clock::now();
      }
      pack(*order);
      lastWork = Clock::now();
      if (app_->pack().busy() && !shared_.stop) {
        // Still holding an order it could not finish (packed, no label):
        // a real station stops here for the supervisor; so does this one,
        // rather than refuse every next order.
        shared_.error(account_.device + " at " + station_ + ": stuck with order " + std::to_string(*order) +
                      " at " + toString(app_->pack().phase()) + "; taking no more orders");
        break;
      }
      {
        std::lock_guard lock(shared_.mutex);
        shared_.lastPack = lastWork;
      }
      pause();
    }
    // What was packed or shipped is delivered before the device stops (bounded).
    waitFor([&] { return app_->outboxCount() == 0 || shared_.stop; }, std::chrono::seconds(20));
    std::lock_guard lock(shared_.mutex);
    auto& s = shared_.summary.packing;
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

 private:
  double coin() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  void pause() {
    auto left = shared_.options.pace;
    while (left.count() > 0 && !shared_.stop) {
      const auto slice = std::min(left, std::chrono::milliseconds(50));
      std::this_thread::sleep_for(slice);
      left -= slice;
    }
  }

  // Polls the app until `done` holds or `timeout` passed; the link wakes
  // the wait as soon as a message arrives, so an answer is seen at once.
  bool waitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    for (;;) {
      app_->poll();
      if (done()) return true;
      if (Clock::now() >= until || shared_.stop) return false;
      link_->wait(std::chrono::milliseconds(5));
    }
  }

  void answered(Clock::time_point since, const char* step) {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - since).count();
    std::lock_guard lock(shared_.mutex);
    shared_.summary.packing.answerMs.push_back(ms);
    shared_.summary.packing.answerMsByStep[step].push_back(ms);
  }

  void count(const std::function<void(PackingSummary&)>& add) {
    std::lock_guard lock(shared_.mutex);
    add(shared_.summary.packing);
  }

  void refused(std::int64_t order, const std::string& step) {
    count([](PackingSummary& s) { ++s.refusals; });
    const auto& st = app_->pack().state();
    const std::string why = !app_->view().screen.error.empty() ? app_->view().screen.error : st.result;
    shared_.error(account_.device + " at " + station_ + ": order " + std::to_string(order) + " refused at " + step +
                  ": " + why);
  }

  // The packer gives up before wmsd refused anything: the order may be
  // packed later (by this fleet or a person).
  void abandon(std::int64_t order, const std::string& why) {
    count([](PackingSummary& s) { ++s.abandoned; });
    shared_.error(account_.device + " at " + station_ + ": order " + std::to_string(order) + " given back: " + why);
    if (app_->pack().phase() == PackPhase::WaitTask) app_->input(KeyPress{Key::Escape});
    if (app_->pack().phase() == PackPhase::Verify) {
      app_->input(KeyPress{Key::Escape});  // twice: abandons the order
      app_->input(KeyPress{Key::Escape});
    }
    queue_.giveBack(order);
  }

  // One scan of `text`; after kScansBeforeTyping unreadable ones the packer
  // types it (pack mode takes typed codes, as at a station's keyboard).
  void scanOnce(BarcodeFormat format, const std::string& text, const std::optional<StepExpectation>& step,
                int attempt) {
    if (attempt > 0) countRetry();
    if (attempt >= kScansBeforeTyping) {
      {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.typedFallbacks;
      }
      app_->typed(text);
      return;
    }
    if (auto in = simulatedScan(shared_, rng_, format, text, step, account_.device)) app_->input(*in);
  }

  void countRetry() {
    std::lock_guard lock(shared_.mutex);
    ++shared_.summary.retries;
  }

  void pack(std::int64_t order) {
    const std::string slip = shared_.options.orderPrefix + std::to_string(order);
    // The packing slip: scanned until the request goes out.
    auto since = Clock::now();
    for (int attempt = 0; app_->pack().phase() != PackPhase::WaitTask; ++attempt) {
      if (attempt > kScansBeforeTyping || shared_.stop) return abandon(order, "its packing slip could not be read");
      scanOnce(BarcodeFormat::Code128, slip, std::nullopt, attempt);
      since = Clock::now();  // the read went in just now: the wait starts here, not before the frame was drawn
    }
    if (!waitFor([&] { return app_->pack().phase() != PackPhase::WaitTask; }, kAnswerTimeout))
      return abandon(order, "no pack task within 30 s");
    if (app_->pack().phase() != PackPhase::Verify) return refused(order, "pack.request");
    answered(since, "request");
    count([](PackingSummary& s) { ++s.requested; });

    // Every unit verified by its scan; a few orders go in two cartons.
    int units = 0;
    for (const auto& l : app_->pack().state().task->lines) units += l.qty;
    const int splitAfter = units >= 2 && coin() < shared_.options.twoCartonProbability ? units / 2 : 0;
    int attempt = 0, scanned = 0;
    std::string lastStep;
    while (auto step = app_->expectation()) {
      if (shared_.stop) return;
      if (splitAfter > 0 && scanned == splitAfter && !app_->pack().state().openScans.empty() &&
          app_->pack().state().cartons.empty())
        app_->input(KeyPress{Key::CloseCarton});
      const std::string key = step->text + "/" + std::to_string(step->remaining);
      if (key != lastStep) {
        lastStep = key;
        attempt = 0;
      }
      if (attempt > kScansBeforeTyping) return abandon(order, "the item " + step->text + " could not be scanned");
      const int before = static_cast<int>(app_->pack().state().openScans.size());
      scanOnce(labelFormat(ScanTarget::Item, step->text, rng_), step->text, step, attempt++);
      if (static_cast<int>(app_->pack().state().openScans.size()) > before) ++scanned;
      pause();
    }
    if (app_->pack().phase() != PackPhase::Verify) return abandon(order, "the order left verification unexpectedly");
    since = Clock::now();
    app_->input(KeyPress{Key::CloseCarton});  // the last carton: pack.confirm
    if (app_->pack().phase() != PackPhase::Label) return abandon(order, "closing the carton was refused");
    const int cartons = static_cast<int>(app_->pack().state().cartons.size());
    if (!waitFor([&] { return app_->outboxCount() == 0 || app_->pack().phase() != PackPhase::Label; },
                 kPatience)) {
      shared_.error(account_.device + ": no answer to pack.confirm of order " + std::to_string(order));
      return;
    }
    if (app_->pack().phase() == PackPhase::Done) return refused(order, "pack.confirm");
    answered(since, "pack");
    count([&](PackingSummary& s) {
      ++s.packed;
      s.cartons += cartons;
      s.units += units;
    });

    // The label: asked for once it is packed. A packed order cannot leave
    // the handheld without one, so a refusal (no printer, a setting
    // missing) is counted once and the label asked for again every 2 s, as
    // a packer waits for the supervisor to fix it; after kPatience the
    // station is stuck and run() stops taking orders.
    bool labelled = false, refusalCounted = false;
    const auto giveUp = Clock::now() + kPatience;
    while (!labelled && !shared_.stop && Clock::now() < giveUp) {
      since = Clock::now();
      app_->input(KeyPress{Key::Label});
      waitFor([&] { return app_->pack().phase() == PackPhase::Ship || app_->pack().phase() == PackPhase::Label; },
              kPatience);
      labelled = app_->pack().phase() == PackPhase::Ship;
      if (labelled) break;
      if (!refusalCounted) {
        refusalCounted = true;
        refused(order, "label.request");
      }
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    if (!labelled) return;
    answered(since, "label");
    count([](PackingSummary& s) { ++s.labels; });

    since = Clock::now();
    app_->input(KeyPress{Key::Enter});  // shipped: ship.confirm
    if (!waitFor([&] { return app_->outboxCount() == 0; }, kPatience)) {
      shared_.error(account_.device + ": no answer to ship.confirm of order " + std::to_string(order));
      return;
    }
    if (app_->pack().state().result.find(" refused: ") != std::string::npos) return refused(order, "ship.confirm");
    answered(since, "ship");
    count([](PackingSummary& s) { ++s.shipped; });
  }

  Shared& shared_;
  const Account account_;
  const std::string station_;
  std::mt19937 rng_;
  PackQueue& queue_;
  DeviceLink* link_ = nullptr;  // valid during run()
  Handheld* app_ = nullptr;     // valid during run()
};

}  // namespace

void runPacker(Shared& shared, const Account& account, const std::string& station, std::uint64_t seed,
               PackQueue& queue) {
  Packer(shared, account, station, seed, queue).run();
}

}  // namespace wms::sim::detail
