// wms-sim: N simulated handhelds against a live wmsd and broker (see
// include/wms/sim/Fleet.h). Progress on stderr; the last line on stdout is
// one JSON summary. Exit 0 when no pick event was refused and nothing is
// left unsent; a packer's refused order (packed elsewhere, held) is a
// figure of the summary, not a failure: the packer rightly moved on. So
// are the dock workers' refused events (a put-away elsewhere than
// suggested that wmsd refused); their events left unsent fail it.
//
//   wms-sim --api URL (--broker-dir DIR | --broker URI --accounts FILE)
//           [--devices N] [--short-probability P] [--keypad-probability P]
//           [--pace MS] [--decoders N] [--scanner camera|engine] [--seed S] [--until-idle S]
//           [--duration S] [--release-every S] [--state DIR] [--prefix P]
//           [--packers N] [--station-prefix P] [--pack-share R/N] [--order-prefix P]
//           [--two-carton-probability P] [--broker-tool PATH] [--ca-file FILE]
//           [--receivers N] [--putaway N] [--replenishers N] [--counters N] [--docks LOC,...]
//           [--override-probability P] [--miscount-probability P] [--dock-poll MS]
//           [--duplicates P]
// --duplicates P (the chaos day): each handheld event is delivered a second
// time with probability P, up to 5 s later, after the events sent meanwhile
// (handheld::LinkOptions::duplicateProbability); wmsd must apply it once.
// An ssl:// broker is verified with --ca-file (default, with --broker-dir of
// a TLS broker: DIR/tls/ca.crt); an https:// --api with $WMS_CA_FILE.
// With $WMS_RETRY_SECONDS the REST calls (wave releases, listings, look-ups)
// wait that long for a wmsd that is away (wms/apiclient/Client.h); one that
// still fails is skipped and asked again on the next round.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "wms/sim/Fleet.h"

namespace {

std::atomic<bool> stopRequested{false};

int usage(const std::string& why) {
  std::cerr << "wms-sim: " << why << "\n"
            << "usage: wms-sim --api URL (--broker-dir DIR | --broker URI --accounts FILE)\n"
               "               [--devices N] [--short-probability P] [--keypad-probability P] [--pace MS]\n"
               "               [--decoders N] [--scanner camera|engine] [--seed S] [--until-idle S]\n"
               "               [--duration S] [--release-every S]\n"
               "               [--state DIR] [--prefix P]\n"
               "               [--packers N] [--station-prefix P] [--pack-share R/N] [--order-prefix P]\n"
               "               [--two-carton-probability P] [--broker-tool PATH] [--ca-file FILE]\n"
               "               [--receivers N] [--putaway N] [--replenishers N] [--counters N] [--docks LOC,...]\n"
               "               [--override-probability P] [--miscount-probability P] [--dock-poll MS]\n"
               "               [--duplicates P]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  wms::sim::FleetOptions o;
  o.brokerTool = std::string(WMS_SOURCE_DIR) + "/tools/broker/wms-broker";
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--help" || a == "-h") {
        usage("help");
        return 0;
      }
      if (i + 1 >= args.size()) return usage(a + " needs a value");
      const std::string v = args[++i];
      if (a == "--api") o.api = v;
      else if (a == "--broker") o.brokerUri = v;
      else if (a == "--broker-dir") o.brokerDir = v;
      else if (a == "--broker-tool") o.brokerTool = v;
      else if (a == "--ca-file") o.caFile = v;
      else if (a == "--accounts") o.accountsFile = v;
      else if (a == "--devices") o.devices = std::stoi(v);
      else if (a == "--short-probability") o.shortProbability = std::stod(v);
      else if (a == "--keypad-probability") o.keypadProbability = std::stod(v);
      else if (a == "--duplicates") o.duplicates = std::stod(v);
      else if (a == "--pace") o.pace = std::chrono::milliseconds(std::stol(v));
      else if (a == "--decoders") o.decoders = std::stoi(v);
      else if (a == "--scanner") {
        if (v == "camera") o.scanner = wms::sim::Scanner::Camera;
        else if (v == "engine") o.scanner = wms::sim::Scanner::Engine;
        else return usage("--scanner must be camera or engine");
      }
      else if (a == "--seed") o.seed = std::stoull(v);
      else if (a == "--until-idle") o.untilIdle = std::chrono::seconds(std::stol(v));
      else if (a == "--duration") o.duration = std::chrono::seconds(std::stol(v));
      else if (a == "--release-every") o.releaseEvery = std::chrono::seconds(std::stol(v));
      else if (a == "--state") o.stateDir = v;
      else if (a == "--prefix") o.devicePrefix = v;
      else if (a == "--packers") o.packers = std::stoi(v);
      else if (a == "--station-prefix") o.stationPrefix = v;
      else if (a == "--order-prefix") o.orderPrefix = v;
      else if (a == "--two-carton-probability") o.twoCartonProbability = std::stod(v);
      else if (a == "--receivers") o.receivers = std::stoi(v);
      else if (a == "--putaway") o.putawayWorkers = std::stoi(v);
      else if (a == "--replenishers") o.replenishers = std::stoi(v);
      else if (a == "--counters") o.counters = std::stoi(v);
      else if (a == "--override-probability") o.overrideProbability = std::stod(v);
      else if (a == "--miscount-probability") o.miscountProbability = std::stod(v);
      else if (a == "--dock-poll") o.dockPoll = std::chrono::milliseconds(std::stol(v));
      else if (a == "--docks") {
        o.docks.clear();
        std::size_t from = 0;
        for (;;) {
          const auto comma = v.find(',', from);
          o.docks.push_back(v.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
          if (comma == std::string::npos) break;
          from = comma + 1;
        }
        for (const auto& d : o.docks)
          if (d.empty()) return usage("--docks is a comma-separated list of locations, e.g. DOCK-1,DOCK-2");
        if (o.docks.size() > 10) return usage("--docks takes at most 10 locations");
      }
      else if (a == "--pack-share") {
        // R/N: the packers take the picked orders whose id % N == R.
        const auto slash = v.find('/');
        if (slash == std::string::npos) return usage("--pack-share is R/N, e.g. 1/2");
        std::size_t used = 0;
        o.packShareRemainder = std::stoi(v.substr(0, slash), &used);
        if (used != slash) return usage("--pack-share is R/N, e.g. 1/2");
        o.packShareModulus = std::stoi(v.substr(slash + 1), &used);
        if (used != v.size() - slash - 1) return usage("--pack-share is R/N, e.g. 1/2");
        if (o.packShareModulus < 1 || o.packShareRemainder < 0 || o.packShareRemainder >= o.packShareModulus)
          return usage("--pack-share R/N needs 0 <= R < N");
      }
      else return usage("unknown option " + a);
    }
  } catch (const std::exception&) {
    return usage("a number was expected");
  }
  if (o.api.empty()) return usage("--api is required");
  if (o.shortProbability < 0 || o.shortProbability > 1 || o.keypadProbability < 0 || o.keypadProbability > 1 ||
      o.duplicates < 0 || o.duplicates > 1)
    return usage("probabilities are 0..1");
  if (o.pace.count() < 0 || o.decoders < 1 || o.decoders > 16) return usage("--pace >= 0, --decoders 1-16");
  const int dockWorkers = o.receivers + o.putawayWorkers + o.replenishers + o.counters;
  if (o.devices < 0 || o.devices > 500 || o.packers < 0 || o.packers > 100 || o.devices + o.packers + dockWorkers < 1)
    return usage("--devices 0-500, --packers 0-100, and at least one device of any kind");
  for (int n : {o.receivers, o.putawayWorkers, o.replenishers, o.counters})
    if (n < 0 || n > 20) return usage("--receivers, --putaway, --replenishers and --counters are 0-20");
  if (o.overrideProbability < 0 || o.overrideProbability > 1 || o.miscountProbability < 0 || o.miscountProbability > 1)
    return usage("probabilities are 0..1");
  if (o.dockPoll.count() < 10 || o.dockPoll.count() > 60000) return usage("--dock-poll is 10-60000 ms");
  if (o.twoCartonProbability < 0 || o.twoCartonProbability > 1) return usage("probabilities are 0..1");
  if (o.orderPrefix.size() > 16) return usage("--order-prefix is at most 16 characters");
  std::signal(SIGINT, [](int) { stopRequested = true; });
  std::signal(SIGTERM, [](int) { stopRequested = true; });
  auto summary = wms::sim::runFleet(o, std::cerr, stopRequested);
  if (!summary) {
    std::cerr << "wms-sim: " << summary.error().message << "\n";
    return 1;
  }
  std::cout << summary->json() << std::endl;
  const auto& d = summary->dock;
  const bool dockSent = d.receiving.outboxLeft + d.putaway.outboxLeft + d.replenishment.outboxLeft +
                            d.counting.outboxLeft ==
                        0;
  return summary->rejected == 0 && summary->outboxLeft == 0 && summary->packing.outboxLeft == 0 && dockSent ? 0 : 1;
}
