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
// Packers (FleetOptions::packers): packing handhelds, the same app in pack
// mode, each bound to its own station (`<stationPrefix>01`..). They find
// work in wmsd's list of picked orders (GET /api/v1/orders?status=picked,
// polled; `packShare` keeps a share of them for other packers, e.g. the
// demo's REST packer), or take exactly `packOrders`. Each order goes to one
// packer of the fleet; a packer scans the order's packing slip (the order
// reference, `orderPrefix` + id, in Code 128), verifies every unit by
// scanning it, closes the carton (a few orders go in two cartons), asks for
// the label and confirms the shipment, waiting for wmsd's answer at each
// step as a packer at a station does. An order wmsd refuses (packed at
// another station, held or cancelled meanwhile) is counted and left.
//
// Dock workers (FleetOptions::receivers, putawayWorkers, replenishers,
// counters): handhelds in receive, put-away, replenish and count mode, the
// same app again. What a real worker reads off paper comes from wmsd's REST
// API: a receiver takes an open purchase order (one receiver per order, from
// GET /api/v1/inbound/purchase-orders?status=open, polled) and reads what to
// expect off the order (its pallets and its lines still open); at the
// handheld it scans the order's reference, each announced pallet's SSCC
// (a GS1-128 label, AI 00) and then cases (GS1-128 with the GTIN, and the
// line's expiry and lot when it has them) with their quantities typed. A
// put-away worker takes what waits at the fleet's docks (GET
// /api/v1/inbound/putaway/backlog), scans the dock, the item and the
// suggested location (or, with `overrideProbability`, another location of
// that SKU with a reason; wmsd may refuse it, and the worker then takes the
// suggestion) and puts all of it away. A replenisher asks for moves and
// works them (reserve, item, quantity, face). A counter asks for the counts
// waiting and counts each row: what wmsd's stock says is there, or with
// `miscountProbability` one or two units fewer (so a variance and a recount
// happen). What wmsd refuses is counted in the mode's events, never stops a
// worker.
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
#include <map>
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
  std::filesystem::path caFile;           // for an ssl:// broker; with brokerDir, default DIR/tls/ca.crt
  std::filesystem::path accountsFile;     // instead of brokerDir: "DEVICE PASSWORD" per line
  std::string devicePrefix = "SIM-";      // devices SIM-01.., badges SIM-B-01..
  std::filesystem::path stateDir = "var/sim";  // outboxes
  double shortProbability = 0.05;         // per stop
  double keypadProbability = 0.5;         // type the quantity (after the item scan) instead of scanning each unit
  double duplicates = 0;                  // each event delivered twice with this probability (chaos: LinkOptions::duplicateProbability)
  std::chrono::milliseconds pace{250};    // a picker's pause between actions
  int decoders = 2;                       // shared decode workers
  std::uint64_t seed = 1;
  std::chrono::seconds untilIdle{0};      // a device stops after this long without work (0: never); a packer counts from when the last picker stopped,
                                          // a put-away worker from the last receiver, replenishers and counters from the last of those and the pickers
  std::chrono::seconds duration{0};       // the whole run stops after this (0: never)
  std::chrono::seconds releaseEvery{0};   // POST /api/v1/waves/release this often (0: never)
  std::chrono::seconds progressEvery{2};

  // Packing handhelds (0: none). Devices `<devicePrefix>PK-01`.., badges
  // `<devicePrefix>PK-B-01`..; with an accounts file, the accounts after the
  // pickers' are the packers'.
  int packers = 0;
  std::string stationPrefix = "PACK-";    // packer k packs at <prefix><kk>: PACK-01..
  std::string orderPrefix = "SO-";        // the order reference on a packing slip (packing.order_reference_prefix)
  int packShareRemainder = 0;             // the packers take the picked orders whose id % modulus == remainder
  int packShareModulus = 1;
  std::vector<std::int64_t> packOrders;   // when not empty: exactly these orders, and packers stop when they are done
  double twoCartonProbability = 0.1;      // an order of 2+ units packed in two cartons

  // Dock handhelds (0: none of that mode). Devices `<devicePrefix>RC-01`..
  // (receivers), `PA-` (put-away), `RP-` (replenishers), `CT-` (counters),
  // badges with `-B-` (`<devicePrefix>RC-B-01`); with an accounts file, the
  // accounts after the packers' are theirs in that order.
  int receivers = 0;
  int putawayWorkers = 0;
  int replenishers = 0;
  int counters = 0;
  std::vector<std::string> docks{"DOCK-1"};  // receiver k receives at docks[k % n]; put-away works them all
  double overrideProbability = 0.05;      // a put-away goes elsewhere than suggested (with a reason)
  double miscountProbability = 0.1;       // a count finds one or two units fewer than there are
  std::chrono::milliseconds dockPoll{1000};  // how often the dock's work is listed, and idle workers ask again
};

// One dock mode's handhelds: their events and how long the worker waited
// for wmsd's answer to a request (receive.request -> receive.task, and so
// on: the input that sent it to the task on the handheld).
struct DockModeSummary {
  int workers = 0;
  std::uint64_t eventsCreated = 0, applied = 0, duplicate = 0, rejected = 0, resent = 0, outboxLeft = 0;
  std::vector<double> waitMs;
};

// What the dock workers did. A figure counts what wmsd applied.
struct DockSummary {
  DockModeSummary receiving, putaway, replenishment, counting;
  int ordersReceived = 0;           // purchase orders worked to the end of their delivery note
  int pallets = 0;                  // SSCCs received
  int cases = 0;                    // case scans received
  std::int64_t unitsReceived = 0;   // good units, as wmsd's orders show them received
  int putaways = 0;                 // putaway.confirms applied
  std::int64_t unitsPutAway = 0;
  int overrides = 0;                // of them, elsewhere than suggested (with a reason)
  int overridesRefused = 0;         // put-aways elsewhere that wmsd refused (then taken to the suggestion)
  int nowhere = 0;                  // items wmsd had no room for (left at the dock)
  int replenishments = 0;           // replenish.confirms applied
  std::int64_t unitsReplenished = 0;
  int counts = 0;                   // count.confirms applied
  int miscounts = 0;                // of them, counted off on purpose
  int recounts = 0;                 // of them, rows wmsd asked to count again
};

// What the packers did.
struct PackingSummary {
  int packers = 0;
  int requested = 0;            // pack.requests answered with a pack task
  int packed = 0;               // pack.confirms applied
  int shipped = 0;              // ship.confirms applied
  int cartons = 0;              // cartons in applied pack.confirms
  std::int64_t units = 0;       // units verified by scan in applied pack.confirms
  int labels = 0;               // label.ready received
  int refusals = 0;             // requests, packs, labels or shipments wmsd refused (the packer moved on)
  int abandoned = 0;            // orders given back unpacked (no readable label, no answer in time)
  std::uint64_t eventsCreated = 0, applied = 0, duplicate = 0, rejected = 0, resent = 0, outboxLeft = 0;
  double seconds = 0;           // from the first order a packer took to the last one it finished
  // The packer's wait at the station: from the input that sends a pack event
  // (the slip's scan, closing the last carton, L, Enter) until wmsd's answer
  // is on the handheld (the ack, and for a request the pack task, for a label
  // label.ready).
  std::vector<double> answerMs;
  // The same by step: "request", "pack", "label", "ship".
  std::map<std::string, std::vector<double>> answerMsByStep;
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
  std::uint64_t duplicated = 0;       // deliveries duplicated on purpose (FleetOptions::duplicates), every device
  std::uint64_t engineReads = 0;      // scans read by a hardware scan engine (Scanner::Engine)
  std::uint64_t frames = 0;           // frames rendered and decoded
  std::uint64_t decodeFailures = 0;   // frames that gave no usable barcode
  std::uint64_t retries = 0;          // scans repeated after a failure or a refused read
  std::uint64_t typedFallbacks = 0;   // labels typed after repeated failures (where typed codes are allowed)
  std::uint64_t decoderCrashes = 0;   // decode worker deaths survived
  double decodeMsTotal = 0;
  std::uint64_t releases = 0;         // waves released by the simulator
  PackingSummary packing;
  DockSummary dock;
  std::vector<std::string> errors;    // the first few problems (setup, refusals)
  double seconds = 0;

  // One JSON object (the last line wms-sim prints); it has a "packing"
  // object when the fleet had packers, and "receiving", "putaway",
  // "replenishment", "counting" objects for the dock modes it ran.
  std::string json() const;
};

// Runs the fleet until every device stopped (untilIdle; packers with
// packOrders: when those are done), `duration` passed or `stop` became true. Progress lines go to `progress`. Errors:
// setup failures (no broker account could be made, wmsd unreachable), and
// Invalid options (devices 0-500, packers 0-100, each dock mode 0-20, at
// least one device of any kind; a pack share 0 <= remainder < modulus; 1-10
// docks, each a valid location id; probabilities 0..1).
Result<FleetSummary> runFleet(const FleetOptions& options, std::ostream& progress, const std::atomic<bool>& stop);

}  // namespace wms::sim
