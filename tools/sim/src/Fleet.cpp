#include "wms/sim/Fleet.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <thread>

#include "wms/apiclient/Client.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/DeviceLink.h"
#include "wms/handheld/FrameInput.h"
#include "wms/handheld/Handheld.h"
#include "wms/handheld/ScanEngine.h"
#include "wms/protocol/Topics.h"
#include "wms/sim/BarcodeImage.h"
#include "DockWorkers.h"
#include "FleetShared.h"
#include "Packer.h"

extern char** environ;

namespace wms::sim {
namespace {

using namespace wms::handheld;
using detail::Account;
using detail::Clock;
using detail::Shared;

// ---- Running tools (wms-broker) -------------------------------------------------

struct ToolResult {
  int code = -1;
  std::string output;
};

ToolResult runTool(const std::vector<std::string>& argv) {
  ToolResult r;
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) return r;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  if (rc != 0) {
    ::close(pipeFds[0]);
    r.output = "cannot run " + argv[0];
    return r;
  }
  char buf[4096];
  for (ssize_t n; (n = ::read(pipeFds[0], buf, sizeof buf)) > 0;) r.output.append(buf, static_cast<std::size_t>(n));
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string randomPassword() {
  std::random_device rd;
  std::ostringstream out;
  for (int i = 0; i < 4; ++i) out << std::hex << std::setw(8) << std::setfill('0') << rd();
  return out.str();
}

// ---- One simulated picker ----------------------------------------------------------

class Picker {
 public:
  Picker(Shared& shared, Account account, std::uint64_t seed)
      : shared_(shared), account_(std::move(account)), rng_(static_cast<std::mt19937::result_type>(seed)) {}

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
    HandheldOptions ho;
    ho.device = account_.device;
    ho.badge = account_.badge;
    ho.log = [this](const std::string& line) {
      if (line.find("refused") != std::string::npos) shared_.error(account_.device + ": " + line);
    };
    CountingFeedback feedback;
    auto opened = Handheld::open(ho, shared_.options.stateDir / (account_.device + ".db"), &link, &feedback);
    if (!opened) {
      shared_.error(account_.device + ": " + opened.error().message);
      return;
    }
    auto& app = **opened;
    auto lastWork = Clock::now();
    while (!shared_.timeUp()) {
      app.poll();
      const PickPhase phase = app.pick().phase();
      if (phase == PickPhase::Idle) {
        const auto idle = Clock::now() - lastWork;
        if (shared_.options.untilIdle.count() > 0 && idle >= shared_.options.untilIdle && app.outboxCount() == 0) break;
        link.wait(std::chrono::milliseconds(100));
        continue;
      }
      lastWork = Clock::now();
      act(app, phase);
      pause(link);
    }
    // What was picked is delivered before the device stops (bounded).
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (app.outboxCount() > 0 && Clock::now() < deadline && !shared_.stop) {
      app.poll();
      link.wait(std::chrono::milliseconds(50));
    }
    std::lock_guard lock(shared_.mutex);
    auto& s = shared_.summary;
    const auto& st = app.stats();
    s.eventsCreated += st.created;
    s.published += st.published;
    s.resent += st.resent;
    s.applied += st.applied;
    shared_.summary.duplicated += link.duplicatesSent();
    s.duplicate += st.duplicate;
    s.rejected += st.rejected;
    s.outboxLeft += app.outboxCount();
  }

 private:
  double coin() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void pause(DeviceLink& link) {
    auto left = shared_.options.pace;
    while (left.count() > 0 && !shared_.stop) {
      const auto slice = std::min(left, std::chrono::milliseconds(50));
      std::this_thread::sleep_for(slice);
      left -= slice;
    }
    (void)link;
  }

  void act(Handheld& app, PickPhase phase) {
    const StopState* stop = app.pick().currentStop();
    const std::string stepKey = std::string(toString(phase)) + "/" + app.pick().state().batchId + "/" +
                                (stop ? stop->stop.stopId : "") + "/" +
                                (app.expectation() ? app.expectation()->text + "/" +
                                                         std::to_string(app.expectation()->remaining)
                                                   : "");
    if (stepKey != stepKey_) {
      stepKey_ = stepKey;
      attempts_ = 0;
    }
    switch (phase) {
      case PickPhase::Done: {
        std::lock_guard lock(shared_.mutex);
        auto& s = shared_.summary;
        ++s.batches;
        for (const auto& w : app.pick().state().walk) {
          if (w.status == StopStatus::Confirmed) {
            ++s.stops;
            s.units += w.stop.qty;
          } else if (w.status == StopStatus::Short) {
            ++s.shorts;
          } else if (w.status == StopStatus::Flagged) {
            ++s.flagged;
          }
        }
      }
        app.typed("");
        return;
      case PickPhase::Cancelled: {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.cancelled;
      }
        app.typed("");
        return;
      case PickPhase::ScanLocation:
        if (stop && app.pick().state().batchId + "/" + stop->stop.stopId != lastShortDecision_) {
          lastShortDecision_ = app.pick().state().batchId + "/" + stop->stop.stopId;
          shortAfter_.reset();
          // A short finds k of the qty units (k < qty): the picker scans
          // those k, then reports the short; the app reports what was scanned.
          if (coin() < shared_.options.shortProbability) shortAfter_ = uniform(0, stop->stop.qty - 1);
        }
        if (shortAfter_ == 0) {
          reportShort(app);
          return;
        }
        scan(app, ScanTarget::Location);
        return;
      case PickPhase::ScanItem:
        scan(app, ScanTarget::Item);
        return;
      case PickPhase::Quantity: {
        const auto step = app.expectation();
        if (shortAfter_ && step && step->quantity - step->remaining >= *shortAfter_) {
          reportShort(app);
          return;
        }
        // The total may be typed once the item was scanned (as here), not for a short.
        if (!shortAfter_ && attempts_ == 0 && step && coin() < shared_.options.keypadProbability) {
          ++attempts_;
          app.typed(std::to_string(step->quantity));
          return;
        }
        scan(app, ScanTarget::Item);
        return;
      }
      case PickPhase::Put:
        scan(app, ScanTarget::Tote);  // only the tote's scan confirms a put
        return;
      case PickPhase::ShortReason:
        app.input(NumberEntry{uniform(1, 4)});
        return;
      case PickPhase::Idle:
        return;
    }
  }

  // S, then a reason: the short reports the units scanned at this stop.
  void reportShort(Handheld& app) {
    app.input(KeyPress{Key::Short});
    app.input(NumberEntry{uniform(1, 4)});
  }

  // Shows the label the step wants to the camera: a fresh rendering each
  // time, decoded by a pooled Decoder; after repeated failures the picker
  // types the code instead where the batch allows typed codes, and goes on
  // trying to scan where it does not (a typed code would be refused).
  void scan(Handheld& app, ScanTarget target) {
    auto step = app.expectation();
    if (!step) return;
    if (attempts_++ > 0) {
      std::lock_guard lock(shared_.mutex);
      ++shared_.summary.retries;
    }
    const bool mayType = app.pick().state().typedCodes;
    if (attempts_ > 8 && mayType) {
      {
        std::lock_guard lock(shared_.mutex);
        ++shared_.summary.typedFallbacks;
      }
      app.typed(step->text);
      return;
    }
    // (The format is drawn only for a camera, so that an engine run's random
    // sequence, and with it its shorts, stays what it was.)
    const auto format =
        shared_.options.scanner == Scanner::Camera ? labelFormat(target, step->text, rng_) : BarcodeFormat::Code128;
    auto input = detail::simulatedScan(shared_, rng_, format, step->text, step, account_.device);
    if (!input) {
      if (mayType && shared_.options.scanner == Scanner::Camera) app.typed(step->text);
      return;
    }
    app.input(*input);
  }

  Shared& shared_;
  Account account_;
  std::mt19937 rng_;
  std::string stepKey_;
  int attempts_ = 0;
  std::string lastShortDecision_;  // batch/stop the short decision was made for
  std::optional<int> shortAfter_;  // the stop in hand is short: report it after this many units
};

// ---- Setup ----------------------------------------------------------------------------

// What a device of the fleet does.
enum class Role { Picker, Packer, Receiver, Putaway, Replenisher, Counter };

struct RoleInfo {
  Role role;
  const char* middle;  // in device ids: <prefix><middle>01, badges <prefix><middle>B-01
  const char* name;    // in the worker's name
  int count;
};

std::vector<RoleInfo> roles(const FleetOptions& o) {
  return {{Role::Picker, "", "picker", o.devices},
          {Role::Packer, "PK-", "packer", o.packers},
          {Role::Receiver, "RC-", "receiver", o.receivers},
          {Role::Putaway, "PA-", "put-away worker", o.putawayWorkers},
          {Role::Replenisher, "RP-", "replenisher", o.replenishers},
          {Role::Counter, "CT-", "counter", o.counters}};
}

struct Member {
  Account account;
  Role role = Role::Picker;
  const char* roleName = "picker";
  int index = 0;  // 1.. within its role
};

// The fleet's devices: pickers, packers, receivers, put-away workers,
// replenishers, counters, in that order (also the order of an accounts file).
Result<std::vector<Member>> members(const FleetOptions& o) {
  std::vector<Member> out;
  for (const auto& r : roles(o))
    for (int i = 1; i <= r.count; ++i) {
      std::ostringstream device, badge;
      device << o.devicePrefix << r.middle << std::setw(2) << std::setfill('0') << i;
      badge << o.devicePrefix << r.middle << "B-" << std::setw(2) << std::setfill('0') << i;
      out.push_back({Account{device.str(), "", badge.str()}, r.role, r.name, i});
    }
  if (!o.accountsFile.empty()) {
    std::ifstream in(o.accountsFile);
    if (!in) return makeError(ErrorKind::NotFound, "cannot read " + o.accountsFile.string());
    std::string device, password;
    std::size_t n = 0;
    while (n < out.size() && in >> device >> password) {
      if (!protocol::isValidDeviceId(device))
        return makeError(ErrorKind::Invalid, o.accountsFile.string() + ": '" + device + "' is not a device id");
      out[n].account.device = device;
      out[n].account.password = password;
      ++n;
    }
    if (n < out.size())
      return makeError(ErrorKind::Invalid, o.accountsFile.string() + " has fewer than " + std::to_string(out.size()) +
                                               " accounts");
    return out;
  }
  for (auto& m : out) {
    auto& a = m.account;
    a.password = randomPassword();
    if (!protocol::isValidDeviceId(a.device) || !protocol::isValidDeviceId(a.badge))
      return makeError(ErrorKind::Invalid, "device prefix makes an invalid device id '" + a.device + "'");
    auto r = runTool({o.brokerTool.string(), "add-device", o.brokerDir.string(), a.device, a.password});
    if (r.code != 0)
      return makeError(ErrorKind::Unavailable, "wms-broker add-device " + a.device + " failed: " + r.output.substr(0, 300));
  }
  return out;
}

std::string stationName(const FleetOptions& o, int packer) {
  std::ostringstream s;
  s << o.stationPrefix << std::setw(2) << std::setfill('0') << packer;
  return s.str();
}

// Offers the packers every picked order of their share, oldest first, from
// wmsd's order list (every page). Returns how many were new.
int listPickedOrders(apiclient::Client& api, const FleetOptions& o, detail::PackQueue& queue) {
  int added = 0;
  std::int64_t after = 0;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = api.call("GET", "/api/v1/orders?status=picked&limit=200&after=" + std::to_string(after));
    if (!page || !page->json) return added;
    auto items = page->json->getArray("items");
    for (unsigned i = 0; items && i < items->size(); ++i) {
      auto item = items->getObject(i);
      if (!item || !item->has("id")) continue;
      std::int64_t id = 0;
      try {
        id = item->getValue<std::int64_t>("id");
      } catch (const std::exception&) {
        continue;  // not an order id: nothing to pack
      }
      after = std::max(after, id);
      if (id > 0 && id % o.packShareModulus == o.packShareRemainder && queue.offer(id)) ++added;
    }
    if (page->json->isNull("next_after") || !items || items->size() == 0) break;
  }
  return added;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(k, v.size() - 1)];
}

std::string packingJson(const PackingSummary& p) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << "{\"packers\":" << p.packers << ",\"requested\":" << p.requested
    << ",\"packed\":" << p.packed << ",\"shipped\":" << p.shipped << ",\"cartons\":" << p.cartons
    << ",\"units\":" << p.units << ",\"labels\":" << p.labels << ",\"refusals\":" << p.refusals
    << ",\"abandoned\":" << p.abandoned << ",\"seconds\":" << p.seconds << ",\"events\":{\"created\":" << p.eventsCreated
    << ",\"resent\":" << p.resent << ",\"applied\":" << p.applied << ",\"duplicate\":" << p.duplicate
    << ",\"rejected\":" << p.rejected << ",\"outbox_left\":" << p.outboxLeft
    << "},\"answer_ms\":{\"samples\":" << p.answerMs.size() << ",\"p50\":" << percentile(p.answerMs, 0.50)
    << ",\"p99\":" << percentile(p.answerMs, 0.99) << ",\"max\":" << percentile(p.answerMs, 1.0)
    << "},\"answer_ms_by_step\":{";
  bool first = true;
  for (const auto& [step, ms] : p.answerMsByStep) {
    o << (first ? "" : ",") << "\"" << step << "\":{\"p50\":" << percentile(ms, 0.50)
      << ",\"p99\":" << percentile(ms, 0.99) << "}";
    first = false;
  }
  o << "}}";
  return o.str();
}

std::string waitJson(const std::vector<double>& ms) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << "{\"samples\":" << ms.size() << ",\"p50\":" << percentile(ms, 0.50)
    << ",\"p99\":" << percentile(ms, 0.99) << ",\"max\":" << percentile(ms, 1.0) << "}";
  return o.str();
}

// One dock mode's object: its own figures, then its events and waits.
std::string dockModeJson(const DockModeSummary& m, const std::string& figures) {
  std::ostringstream o;
  o << "{\"workers\":" << m.workers << figures << ",\"events\":{\"created\":" << m.eventsCreated
    << ",\"resent\":" << m.resent << ",\"applied\":" << m.applied << ",\"duplicate\":" << m.duplicate
    << ",\"rejected\":" << m.rejected << ",\"outbox_left\":" << m.outboxLeft << "},\"wait_ms\":" << waitJson(m.waitMs)
    << "}";
  return o.str();
}

std::string dockJson(const DockSummary& d) {
  std::string out;
  if (d.receiving.workers > 0)
    out += ",\"receiving\":" + dockModeJson(d.receiving, ",\"orders\":" + std::to_string(d.ordersReceived) +
                                                            ",\"pallets\":" + std::to_string(d.pallets) +
                                                            ",\"cases\":" + std::to_string(d.cases) +
                                                            ",\"units\":" + std::to_string(d.unitsReceived));
  if (d.putaway.workers > 0)
    out += ",\"putaway\":" + dockModeJson(d.putaway, ",\"putaways\":" + std::to_string(d.putaways) +
                                                        ",\"units\":" + std::to_string(d.unitsPutAway) +
                                                        ",\"overrides\":" + std::to_string(d.overrides) +
                                                        ",\"overrides_refused\":" + std::to_string(d.overridesRefused) +
                                                        ",\"nowhere\":" + std::to_string(d.nowhere));
  if (d.replenishment.workers > 0)
    out += ",\"replenishment\":" + dockModeJson(d.replenishment, ",\"moves\":" + std::to_string(d.replenishments) +
                                                                    ",\"units\":" + std::to_string(d.unitsReplenished));
  if (d.counting.workers > 0)
    out += ",\"counting\":" + dockModeJson(d.counting, ",\"counts\":" + std::to_string(d.counts) +
                                                          ",\"miscounts\":" + std::to_string(d.miscounts) +
                                                          ",\"recounts\":" + std::to_string(d.recounts));
  return out;
}

}  // namespace

std::string FleetSummary::json() const {
  std::ostringstream o;
  auto str = [](const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        out += ' ';
        continue;
      }
      out += c;
    }
    return out + "\"";
  };
  o << "{\"devices\":" << devices << ",\"seconds\":" << std::fixed << std::setprecision(1) << seconds
    << ",\"batches\":" << batches << ",\"cancelled\":" << cancelled << ",\"stops\":" << stops
    << ",\"shorts\":" << shorts << ",\"flagged\":" << flagged << ",\"units\":" << units
    << ",\"events\":{\"created\":" << eventsCreated << ",\"published\":" << published << ",\"resent\":" << resent
    << ",\"applied\":" << applied << ",\"duplicate\":" << duplicate << ",\"rejected\":" << rejected
    << ",\"outbox_left\":" << outboxLeft << ",\"duplicated\":" << duplicated << "},\"engine_reads\":" << engineReads << ",\"decode\":{\"frames\":" << frames
    << ",\"failures\":" << decodeFailures << ",\"retries\":" << retries << ",\"typed\":" << typedFallbacks
    << ",\"worker_crashes\":" << decoderCrashes << ",\"mean_ms\":" << std::setprecision(2)
    << (frames ? decodeMsTotal / static_cast<double>(frames) : 0.0) << "},\"releases\":" << releases
    << (packing.packers > 0 ? ",\"packing\":" + packingJson(packing) : std::string()) << dockJson(dock)
    << ",\"errors\":[";
  for (std::size_t i = 0; i < errors.size(); ++i) o << (i ? "," : "") << str(errors[i]);
  o << "]}";
  return o.str();
}

Result<FleetSummary> runFleet(const FleetOptions& options, std::ostream& progress, const std::atomic<bool>& stop) {
  if (options.devices < 0 || options.devices > 500) return makeError(ErrorKind::Invalid, "devices must be 0-500");
  if (options.packers < 0 || options.packers > 100) return makeError(ErrorKind::Invalid, "packers must be 0-100");
  for (int n : {options.receivers, options.putawayWorkers, options.replenishers, options.counters})
    if (n < 0 || n > 20) return makeError(ErrorKind::Invalid, "each dock mode takes 0-20 handhelds");
  if (options.devices + options.packers + options.receivers + options.putawayWorkers + options.replenishers +
          options.counters < 1)
    return makeError(ErrorKind::Invalid, "no devices of any kind: nothing to run");
  if (options.docks.empty() || options.docks.size() > 10) return makeError(ErrorKind::Invalid, "give 1-10 docks");
  for (const auto& d : options.docks)
    if (!protocol::isValidDeviceId(d)) return makeError(ErrorKind::Invalid, "dock '" + d + "' is not a location id");
  if (options.overrideProbability < 0 || options.overrideProbability > 1 || options.miscountProbability < 0 ||
      options.miscountProbability > 1)
    return makeError(ErrorKind::Invalid, "the override and miscount probabilities are 0..1");
  if (options.dockPoll.count() < 10) return makeError(ErrorKind::Invalid, "the dock poll is at least 10 ms");
  if (options.packShareModulus < 1 || options.packShareRemainder < 0 ||
      options.packShareRemainder >= options.packShareModulus)
    return makeError(ErrorKind::Invalid, "the pack share must be R/N with 0 <= R < N");
  if (options.twoCartonProbability < 0 || options.twoCartonProbability > 1)
    return makeError(ErrorKind::Invalid, "the two-carton probability is 0..1");
  for (int k = 1; k <= options.packers; ++k)
    if (!protocol::isValidDeviceId(stationName(options, k)))
      return makeError(ErrorKind::Invalid, "station prefix makes an invalid station id '" + stationName(options, k) + "'");
  Shared fleet{options, stop};
  fleet.summary.devices = options.devices;
  fleet.summary.packing.packers = options.packers;
  fleet.summary.dock.receiving.workers = options.receivers;
  fleet.summary.dock.putaway.workers = options.putawayWorkers;
  fleet.summary.dock.replenishment.workers = options.replenishers;
  fleet.summary.dock.counting.workers = options.counters;
  // Decode workers first: they fork, and no other thread may exist yet. A
  // scan engine decodes nothing here, so an engine fleet forks none (and
  // may run inside a process that already has threads: tests, benches).
  if (options.scanner == Scanner::Camera)
    if (auto st = fleet.pool.start(std::max(1, options.decoders)); !st) return st.error();

  FleetOptions& o = fleet.options;
  if (o.brokerUri.empty()) {
    if (o.brokerDir.empty()) return makeError(ErrorKind::Invalid, "give --broker URI or --broker-dir DIR");
    auto r = runTool({o.brokerTool.string(), "uri", o.brokerDir.string()});
    if (r.code != 0) return makeError(ErrorKind::Unavailable, "wms-broker uri failed: " + r.output.substr(0, 300));
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == '\r')) r.output.pop_back();
    o.brokerUri = r.output;
    // A TLS-only broker folder keeps the CA its clients trust beside its config.
    if (o.caFile.empty() && o.brokerUri.rfind("ssl://", 0) == 0) o.caFile = o.brokerDir / "tls" / "ca.crt";
  }
  if (o.brokerUri.rfind("ssl://", 0) == 0 && o.caFile.empty())
    return makeError(ErrorKind::Invalid, "an ssl:// broker needs --ca-file FILE (the CA to verify it with)");
  if (!o.caFile.empty() && !std::filesystem::is_regular_file(o.caFile))
    return makeError(ErrorKind::Invalid, "--ca-file '" + o.caFile.string() + "' is not a readable file");
  auto fleetMembers = members(o);
  if (!fleetMembers) return fleetMembers.error();
  apiclient::Client api(o.api);
  for (const auto& m : *fleetMembers) {
    const auto& a = m.account;
    auto r = api.call("POST", "/api/v1/workers",
                      "{\"badge\":\"" + a.badge + "\",\"name\":\"Simulated " + m.roleName + " " + a.device + "\"}",
                      {{"Content-Type", "application/json"}});
    if (!r) return makeError(r.error().kind, "creating worker " + a.badge + ": " + r.error().message);
  }
  std::error_code ec;
  std::filesystem::create_directories(o.stateDir, ec);
  if (ec) return makeError(ErrorKind::Unavailable, "cannot create " + o.stateDir.string() + ": " + ec.message());
  progress << "sim: " << o.devices << " picking and " << o.packers << " packing handhelds";
  if (o.receivers + o.putawayWorkers + o.replenishers + o.counters > 0)
    progress << ", at the dock " << o.receivers << " receiving, " << o.putawayWorkers << " putting away, "
             << o.replenishers << " replenishing and " << o.counters << " counting";
  progress << " against " << o.api << " and " << o.brokerUri << std::endl;

  // The packers' work: a fixed list, or the picked orders as wmsd lists them.
  const bool listed = o.packOrders.empty();
  auto queue = listed ? std::make_unique<detail::PackQueue>() : std::make_unique<detail::PackQueue>(o.packOrders);

  // The dock's work: open purchase orders and what waits at the docks.
  detail::OrderQueue purchaseOrders;
  detail::DockQueue dockItems;

  fleet.started = Clock::now();
  std::vector<std::thread> threads;
  fleet.running = static_cast<int>(fleetMembers->size());
  fleet.pickersRunning = o.devices;
  fleet.receiversRunning = o.receivers;
  fleet.putawayRunning = o.putawayWorkers;
  fleet.replenishersRunning = o.replenishers;
  for (std::size_t i = 0; i < fleetMembers->size(); ++i) {
    threads.emplace_back([&fleet, &o, &queue, &purchaseOrders, &dockItems, m = (*fleetMembers)[i], i] {
      const std::uint64_t seed = o.seed * 7919 + i;
      switch (m.role) {
        case Role::Picker:
          Picker(fleet, m.account, seed).run();
          --fleet.pickersRunning;
          break;
        case Role::Packer:
          detail::runPacker(fleet, m.account, stationName(o, m.index), seed, *queue);
          break;
        case Role::Receiver:
          detail::runReceiver(fleet, m.account, o.docks[static_cast<std::size_t>(m.index - 1) % o.docks.size()], seed,
                              purchaseOrders);
          --fleet.receiversRunning;
          break;
        case Role::Putaway:
          detail::runPutaway(fleet, m.account, seed, dockItems);
          --fleet.putawayRunning;
          break;
        case Role::Replenisher:
          detail::runReplenisher(fleet, m.account, seed);
          --fleet.replenishersRunning;
          break;
        case Role::Counter:
          detail::runCounter(fleet, m.account, seed);
          break;
      }
      std::lock_guard lock(fleet.mutex);
      --fleet.running;
    });
  }
  std::atomic<bool> finished{false};
  std::thread side([&] {
    auto nextProgress = Clock::now() + o.progressEvery;
    auto nextRelease = Clock::now();
    auto nextListing = Clock::now();
    auto nextDockListing = Clock::now();
    while (!finished) {
      const auto now = Clock::now();
      if (o.releaseEvery.count() > 0 && now >= nextRelease && !fleet.timeUp()) {
        nextRelease = now + o.releaseEvery;
        // Unkeyed, so the client does not send it again when its answer is
        // lost; it need not: a release takes whatever waits for a wave then,
        // and the next one, releaseEvery later, takes what this one did not.
        // wmsd away (an error, or 503 once the retries are spent) is that.
        auto r = api.send("POST", "/api/v1/waves/release", "{}", {{"Content-Type", "application/json"}});
        if (r && r->status == 201) {
          std::lock_guard lock(fleet.mutex);
          ++fleet.summary.releases;
        }
      }
      // Often enough that a packer rarely waits for a listing, rarely enough
      // that listing costs wmsd little.
      if (o.packers > 0 && listed && now >= nextListing && !fleet.timeUp()) {
        nextListing = now + std::chrono::milliseconds(700);
        listPickedOrders(api, o, *queue);
      }
      if (o.receivers + o.putawayWorkers > 0 && now >= nextDockListing && !fleet.timeUp()) {
        nextDockListing = now + o.dockPoll;
        if (o.receivers > 0) detail::listPurchaseOrders(api, purchaseOrders);
        if (o.putawayWorkers > 0) detail::listDockBacklog(api, o.docks, dockItems);
      }
      if (now >= nextProgress) {
        nextProgress = now + o.progressEvery;
        std::lock_guard lock(fleet.mutex);
        const auto& s = fleet.summary;
        progress << "sim: " << std::chrono::duration_cast<std::chrono::seconds>(now - fleet.started).count() << "s, "
                 << fleet.running << " running, " << s.batches << " batches, " << s.stops << " stops, " << s.shorts
                 << " short, " << s.frames << " frames (" << s.decodeFailures << " unreadable)";
        if (o.packers > 0)
          progress << ", " << s.packing.shipped << " orders shipped by " << o.packers << " packers ("
                   << s.packing.refusals << " refused)";
        if (o.receivers + o.putawayWorkers + o.replenishers + o.counters > 0)
          progress << "; dock: " << s.dock.ordersReceived << " purchase orders, " << s.dock.unitsReceived
                   << " units received, " << s.dock.putaways << " put away, " << s.dock.replenishments
                   << " replenishments, " << s.dock.counts << " counts";
        progress << std::endl;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  for (auto& t : threads) t.join();
  finished = true;
  side.join();
  fleet.summary.seconds = std::chrono::duration<double>(Clock::now() - fleet.started).count();
  if (fleet.firstPack && fleet.lastPack)
    fleet.summary.packing.seconds = std::chrono::duration<double>(*fleet.lastPack - *fleet.firstPack).count();
  return fleet.summary;
}

}  // namespace wms::sim
