// wms-bench-mqtt: pick confirmations per second and their round trip
// (handheld -> broker -> server -> ack -> handheld) with N simulated
// handhelds. This build measures the raw mosquitto baseline: the same fleet
// against a responder that answers every event without any work. Prints one
// JSON object on stdout; progress on stderr.
//
// Two legs each: saturated (every device sends its next event as soon as the
// answer came: the throughput) and paced (one event per device per interval:
// the round trip at a realistic load).
//
// usage: wms-bench-mqtt [--devices N] [--events M] [--warmup W] [--paced-events K] [--interval MS]
//                       [--autosave-every-change]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "DiskProbe.h"
#include "Fleet.h"
#include "WmsdLeg.h"
#include "wms/testsupport/MosquittoBroker.h"

using namespace wms::bench::mqtt;

namespace {

int intArg(int& i, int argc, char** argv, int min) {
  if (i + 1 >= argc) {
    std::cerr << "wms-bench-mqtt: " << argv[i] << " needs a value\n";
    std::exit(2);
  }
  char* end = nullptr;
  long v = std::strtol(argv[++i], &end, 10);
  if (*end != '\0' || v < min || v > 1000000) {
    std::cerr << "wms-bench-mqtt: " << argv[i - 1] << " must be an integer >= " << min << "\n";
    std::exit(2);
  }
  return static_cast<int>(v);
}

std::string leg(const FleetResult& r) {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"events\": %zu, \"timeouts\": %zu, \"seconds\": %.3f, \"events_per_s\": %.1f, "
                "\"rtt_ms\": {\"p50\": %.3f, \"p99\": %.3f, \"max\": %.3f}}",
                r.events, r.timeouts, r.seconds, r.eventsPerSecond, r.p50Ms, r.p99Ms, r.maxMs);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  int devices = 100, events = 200, warmup = 10, pacedEvents = 10, intervalMs = 1000;
  bool everyChange = false, skipWmsd = false;
  int stopsPerDevice = 40;
  std::string durability = "full";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--devices") devices = intArg(i, argc, argv, 1);
    else if (a == "--events") events = intArg(i, argc, argv, 1);
    else if (a == "--warmup") warmup = intArg(i, argc, argv, 0);
    else if (a == "--paced-events") pacedEvents = intArg(i, argc, argv, 2);
    else if (a == "--interval") intervalMs = intArg(i, argc, argv, 1);
    else if (a == "--autosave-every-change") everyChange = true;
    else if (a == "--raw-only") skipWmsd = true;
    else if (a == "--stops") stopsPerDevice = intArg(i, argc, argv, 8);
    else if (a == "--durability" && i + 1 < argc) durability = argv[++i];
    else {
      std::cerr << "usage: wms-bench-mqtt [--devices N] [--events M] [--warmup W] [--paced-events K] [--interval MS]"
                   " [--autosave-every-change] [--raw-only] [--stops N] [--durability full|normal]\n";
      return 2;
    }
  }
  try {
    std::cerr << "mqtt bench: starting mosquitto with " << devices << " device accounts\n";
    wms::testsupport::MosquittoBroker::Options bo;
    bo.devices = static_cast<std::size_t>(devices);
    bo.autosaveEveryChange = everyChange;
    wms::testsupport::MosquittoBroker broker(bo);

    FleetOptions saturated;
    saturated.brokerUri = broker.uri();
    for (const auto& d : broker.devices()) saturated.devices.push_back({d.username, d.password});
    saturated.eventsPerDevice = events;
    saturated.warmupPerDevice = std::min(warmup, events - 1);
    saturated.decodeAcks = false;
    FleetOptions paced = saturated;
    paced.eventsPerDevice = pacedEvents;
    paced.warmupPerDevice = 1;
    paced.interval = std::chrono::milliseconds(intervalMs);

    FleetResult rawSaturated, rawPaced;
    {
      RawResponder responder(broker.serverUri(), {broker.server().username, broker.server().password});
      std::cerr << "mqtt bench: raw baseline, saturated (" << devices << " devices x " << events << " events)\n";
      rawSaturated = runFleet(saturated);
      std::cerr << "mqtt bench: raw baseline, paced (" << devices << " devices x " << pacedEvents
                << " events, one per " << intervalMs << " ms each)\n";
      rawPaced = runFleet(paced);
    }
    std::cerr << "mqtt bench: raw " << rawSaturated.eventsPerSecond << " events/s saturated; paced p99 "
              << rawPaced.p99Ms << " ms\n";

    std::string throughWmsd = "null", ratio = "null";
    if (!skipWmsd) {
      WmsdLegOptions wo;
      wo.brokerUri = broker.serverUri();  // wmsd logs in on the server's listener
      wo.server = {broker.server().username, broker.server().password};
      for (const auto& d : broker.devices()) wo.devices.push_back({d.username, d.password});
      wo.stopsPerDevice = stopsPerDevice;
      wo.durability = durability;
      // Sampled on the file system wmsd's database is on (the temp folder).
      wms::bench::DiskProbe probe(std::filesystem::temp_directory_path());
      auto w = runThroughWmsd(wo, saturated, paced);
      const auto disk = probe.stop();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3f", w.saturated.eventsPerSecond / std::max(1.0, rawSaturated.eventsPerSecond));
      ratio = buf;
      throughWmsd = "{\"store_durability\": \"" + durability + "\", \"saturated\": " + leg(w.saturated) +
                    ", \"paced\": " + leg(w.paced) + ", \"events_per_device\": " +
                    std::to_string(w.eventsPerDevice) + ", \"disk_fsync_ms\": " + wms::bench::DiskProbe::json(disk) + "}";
      std::cerr << "mqtt bench: through wmsd " << w.saturated.eventsPerSecond << " events/s saturated; paced p99 "
                << w.paced.p99Ms << " ms; the disk's fsync meanwhile: p99 " << disk.p99Ms << " ms, max " << disk.maxMs
                << " ms\n";
    }

    std::cout << "{\"bench\": \"mqtt\", \"devices\": " << devices
              << ", \"saturated\": {\"events_per_device\": " << events << ", \"warmup_per_device\": "
              << saturated.warmupPerDevice << "}"
              << ", \"paced\": {\"events_per_device\": " << pacedEvents << ", \"interval_ms\": " << intervalMs
              << ", \"warmup_per_device\": 1}"
              << ", \"broker\": \"mosquitto 2.0.11, tools/broker config, persistence with autosave "
              << (everyChange ? "after every change" : "every 1 s") << ", loopback\""
              << ", \"baseline_raw\": {\"saturated\": " << leg(rawSaturated) << ", \"paced\": " << leg(rawPaced) << "}"
              << ", \"through_wmsd\": " << throughWmsd << ", \"ratio_events_per_s\": " << ratio
              << ", \"targets\": {\"paced_p99_ms_max\": 20, \"min_ratio_saturated_events_per_s\": 0.3}}" << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "wms-bench-mqtt: " << e.what() << "\n";
    return 1;
  }
}
