// wms-sim: N simulated handhelds against a live wmsd and broker (see
// include/wms/sim/Fleet.h). Progress on stderr; the last line on stdout is
// one JSON summary. Exit 0 when no pick event was refused and nothing is
// left unsent; a packer's refused order (packed elsewhere, held) is a
// figure of the summary, not a failure: the packer rightly moved on.
//
//   wms-sim --api URL (--broker-dir DIR | --broker URI --accounts FILE)
//           [--devices N] [--short-probability P] [--keypad-probability P]
//           [--pace MS] [--decoders N] [--scanner camera|engine] [--seed S] [--until-idle S]
//           [--duration S] [--release-every S] [--state DIR] [--prefix P]
//           [--packers N] [--station-prefix P] [--pack-share R/N] [--order-prefix P]
//           [--two-carton-probability P] [--broker-tool PATH]
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
               "               [--two-carton-probability P] [--broker-tool PATH]\n";
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
      else if (a == "--accounts") o.accountsFile = v;
      else if (a == "--devices") o.devices = std::stoi(v);
      else if (a == "--short-probability") o.shortProbability = std::stod(v);
      else if (a == "--keypad-probability") o.keypadProbability = std::stod(v);
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
  if (o.shortProbability < 0 || o.shortProbability > 1 || o.keypadProbability < 0 || o.keypadProbability > 1)
    return usage("probabilities are 0..1");
  if (o.pace.count() < 0 || o.decoders < 1 || o.decoders > 16) return usage("--pace >= 0, --decoders 1-16");
  if (o.devices < 0 || o.devices > 500 || o.packers < 0 || o.packers > 100 || o.devices + o.packers < 1)
    return usage("--devices 0-500 and --packers 0-100, not both 0");
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
  return summary->rejected == 0 && summary->outboxLeft == 0 && summary->packing.outboxLeft == 0 ? 0 : 1;
}
