// The fleet simulator behind wms-sim: N simulated handhelds against a live
// wmsd and broker. Each one is the real app (wms::handheld::Handheld: the
// workflow, outbox and MQTT link of wms-handheld) driven by a simulated
// picker that reads the screen's expectation and "scans" by rendering a
// camera-like image of the right label (BarcodeImage.h) and feeding it
// through the real isolated Decoder (a small shared pool). Every put is
// confirmed by scanning its tote. Shorts happen with a given probability: the
// picker scans k of the stop's units (0 <= k < qty), then reports the short,
// which records those k. Unreadable frames are retried; after 8 the picker
// types the code where the batch allows typed codes, and keeps scanning
// where it does not.
//
// With Scanner::Engine the handhelds have a hardware scan engine instead of
// a camera (as many rugged handhelds do): a scan arrives as decoded text and
// goes through the app's engine path (toBarcode), with no image to render or
// decode. Days of tens of thousands of orders use it, so that the simulation
// itself does not eat the machine the server runs on.
//
// Setup: device accounts are added to the broker with
// `tools/broker/wms-broker add-device DIR ID PASSWORD` (or given in an
// accounts file), workers (badges) are created through wmsd's REST API.
//
// Threading: runFleet() runs one thread per device plus a progress thread
// and returns when every device stopped. It may be stopped from another
// thread or a signal handler through `stop`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "wms/common/Result.h"

namespace wms::sim {

// How the simulated handhelds read barcodes.
enum class Scanner { Camera, Engine };

struct FleetOptions {
  int devices = 2;
  Scanner scanner = Scanner::Camera;
  std::string api;                        // wmsd, "http://127.0.0.1:8080"
  std::string brokerUri;                  // "tcp://127.0.0.1:1883" (or from brokerDir)
  std::filesystem::path brokerDir;        // a wms-broker folder: accounts are added to it
  std::filesystem::path brokerTool;       // tools/broker/wms-broker
  std::filesystem::path accountsFile;     // instead of brokerDir: "DEVICE PASSWORD" per line
  std::string devicePrefix = "SIM-";      // devices SIM-01.., badges SIM-B-01..
  std::filesystem::path stateDir = "var/sim";  // outboxes
  double shortProbability = 0.05;         // per stop
  double keypadProbability = 0.5;         // type the quantity (after the item scan) instead of scanning each unit
  std::chrono::milliseconds pace{250};    // a picker's pause between actions
  int decoders = 2;                       // shared decode workers
  std::uint64_t seed = 1;
  std::chrono::seconds untilIdle{0};      // a device stops after this long without work (0: never)
  std::chrono::seconds duration{0};       // the whole run stops after this (0: never)
  std::chrono::seconds releaseEvery{0};   // POST /api/v1/waves/release this often (0: never)
  std::chrono::seconds progressEvery{2};
};

struct FleetSummary {
  int devices = 0;
  int batches = 0;            // batches finished (batch done on the device)
  int cancelled = 0;          // batches withdrawn by the server
  int stops = 0;              // stops confirmed in full
  int shorts = 0;             // stops reported short
  int flagged = 0;            // stops the server refused and left for the supervisor
  std::int64_t units = 0;     // units picked
  std::uint64_t eventsCreated = 0, published = 0, resent = 0, applied = 0, duplicate = 0, rejected = 0;
  std::uint64_t outboxLeft = 0;
  std::uint64_t engineReads = 0;      // scans read by a hardware scan engine (Scanner::Engine)
  std::uint64_t frames = 0;           // frames rendered and decoded
  std::uint64_t decodeFailures = 0;   // frames that gave no usable barcode
  std::uint64_t retries = 0;          // scans repeated after a failure or a refused read
  std::uint64_t typedFallbacks = 0;   // labels typed after repeated failures (where typed codes are allowed)
  std::uint64_t decoderCrashes = 0;   // decode worker deaths survived
  double decodeMsTotal = 0;
  std::uint64_t releases = 0;         // waves released by the simulator
  std::vector<std::string> errors;    // the first few problems (setup, refusals)
  double seconds = 0;

  // One JSON object (the last line wms-sim prints).
  std::string json() const;
};

// Runs the fleet until every device stopped (untilIdle), `duration`
// passed or `stop` became true. Progress lines go to `progress`. Errors:
// setup failures (no broker account could be made, wmsd unreachable).
Result<FleetSummary> runFleet(const FleetOptions& options, std::ostream& progress, const std::atomic<bool>& stop);

}  // namespace wms::sim
