// Every message of the handheld protocol as plain data (docs/protocol.md has
// the wire format of each, with an example).
//
// A message is one JSON object. Every message has `type`, `v` (the protocol
// version, 1), `device` (the handheld it is from or for) and `ts` (the
// sender's clock, milliseconds since the Unix epoch). Events from a handheld
// also carry `event_id`; the server applies each (device, event_id) at most
// once and answers every event with an `ack` (see EventIds.h).
//
// Optional fields are std::optional (a flag: false, a list: empty): absent
// (or null) on the wire. The limits below are enforced by both decode() and
// encode() (Codec.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wms/common/Result.h"
#include "wms/protocol/Topics.h"

namespace wms::protocol {

// ---- Limits ---------------------------------------------------------------

// Largest payload decode() accepts and encode() produces.
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;
// Identifiers other than device ids (batch, stop, order, line, tote, SKU,
// location, carton, shipment, badge...): 1..64 printable ASCII characters
// without spaces (0x21-0x7E).
inline constexpr std::size_t kMaxIdLength = 64;
// Barcode data as scanned: 1..256 bytes of UTF-8 without control characters,
// except that GS (0x1D, the GS1 FNC1 separator) is allowed.
inline constexpr std::size_t kMaxBarcodeLength = 256;
// Free text (descriptions, notes, reasons, error messages): 1..512 bytes of
// UTF-8 without control characters.
inline constexpr std::size_t kMaxTextLength = 512;
// Quantities are whole units, 1..kMaxQty (0 is allowed only where stated).
inline constexpr int kMaxQty = 100000;
// Stop sequence numbers are 1..kMaxSeq (gaps leave room for stops added later).
inline constexpr int kMaxSeq = 1000000;
// Timestamps are 0..2^53-1 ms since the epoch (exact in any JSON library).
inline constexpr std::int64_t kMaxTimestamp = 9007199254740991;
// Array sizes.
inline constexpr std::size_t kMaxStops = 1000;     // stops of a batch, added/removed stops of an update
inline constexpr std::size_t kMaxTotes = 64;       // totes on a cart
inline constexpr std::size_t kMaxPuts = 64;        // puts of one stop or one confirmation
inline constexpr std::size_t kMaxBarcodes = 32;    // accepted barcodes of one SKU
inline constexpr std::size_t kMaxLines = 1000;     // lines of an order / shipment
inline constexpr std::size_t kMaxCartons = 100;    // cartons of an order / shipment
inline constexpr std::size_t kMaxCartonItems = 1000;

// ---- Liveness ---------------------------------------------------------------

// A handheld publishes a heartbeat this often while connected; the server
// treats it as silent after kMissedHeartbeatsSilent intervals without one.
inline constexpr std::chrono::seconds kHeartbeatInterval{15};
inline constexpr int kMissedHeartbeatsSilent = 3;

// ---- Common parts -------------------------------------------------------------

// Fields every message has (`v` is implied: encode writes 1, decode rejects others).
struct MessageBase {
  std::string device;     // the handheld the message is from or for; a valid device id
  std::int64_t ts = 0;    // sender's clock, ms since the epoch, 0..kMaxTimestamp

  friend bool operator==(const MessageBase&, const MessageBase&) = default;
};

// Fields every handheld event has.
struct EventBase : MessageBase {
  std::string eventId;    // unique per device, see isValidEventId (EventIds.h)

  friend bool operator==(const EventBase&, const EventBase&) = default;
};

// ---- Server -> device (topic cmd) -------------------------------------------

// A tote on the picker's cart.
struct CartTote {
  std::string slot;       // the cart position shown to the picker, e.g. "A1"
  std::string tote;       // the tote's barcode

  friend bool operator==(const CartTote&, const CartTote&) = default;
};

// Which tote a part of a stop's quantity goes into, for which order line.
struct StopPut {
  std::string tote;       // one of the batch's totes
  int qty = 0;            // 1..kMaxQty
  std::string orderId;
  std::string lineId;

  friend bool operator==(const StopPut&, const StopPut&) = default;
};

// One stop of a pick walk: go to location, pick qty of sku, put into totes.
struct PickStop {
  std::string stopId;                      // unique within the batch
  int seq = 0;                             // walking order, 1..kMaxSeq, increasing along `stops`
  std::string location;                    // location code to scan
  std::string sku;
  std::string description;                 // free text shown to the picker
  std::vector<std::string> barcodes;       // 1..kMaxBarcodes barcodes that identify the SKU
  int qty = 0;                             // 1..kMaxQty; equals the sum of puts[].qty
  std::optional<std::string> lot;          // pick only this lot
  std::optional<std::string> minExpiry;    // pick only items expiring on/after this date, "YYYY-MM-DD"
  std::vector<StopPut> puts;               // 1..kMaxPuts

  friend bool operator==(const PickStop&, const PickStop&) = default;
};

// "task.assign": a pick batch for the signed-in picker.
struct TaskAssign : MessageBase {
  std::string batchId;
  std::string waveId;
  int rev = 1;                             // 1.. ; task.update carries higher revisions
  std::vector<CartTote> totes;             // 1..kMaxTotes, distinct slots and totes
  std::vector<PickStop> stops;             // 1..kMaxStops, in walking order
  // The supervisor allows typing a location, item or tote code on the
  // keypad when its label will not scan (wire `typed_codes`; absent means
  // false, and encode() writes it only when true).
  bool typedCodes = false;

  friend bool operator==(const TaskAssign&, const TaskAssign&) = default;
};

// "task.update": stops added to or removed from an assigned batch. A device
// applies it only if rev is greater than the batch's current revision.
struct TaskUpdate : MessageBase {
  std::string batchId;
  int rev = 0;                             // 2..
  std::vector<PickStop> addStops;          // 0..kMaxStops; new stop ids
  std::vector<std::string> removeStops;    // 0..kMaxStops stop ids; not both lists empty
  std::string reason;                      // free text, e.g. "stock found at B-02-03"

  friend bool operator==(const TaskUpdate&, const TaskUpdate&) = default;
};

// "task.cancel": the batch is withdrawn; the picker returns what was picked.
struct TaskCancel : MessageBase {
  std::string batchId;
  std::string reason;                      // free text

  friend bool operator==(const TaskCancel&, const TaskCancel&) = default;
};

// One line of an order to pack.
struct PackLine {
  std::string lineId;
  std::string sku;
  std::string description;
  std::vector<std::string> barcodes;       // 1..kMaxBarcodes
  int qty = 0;                             // 1..kMaxQty

  friend bool operator==(const PackLine&, const PackLine&) = default;
};

// "pack.task": an order to pack at this station.
struct PackTask : MessageBase {
  std::string orderId;
  std::string channel;                     // sales channel id, e.g. "shopify", "lazada", "pos"
  std::optional<std::string> tote;         // where the order's items are
  std::optional<std::string> carton;       // suggested carton type
  std::vector<PackLine> lines;             // 1..kMaxLines, distinct line ids

  friend bool operator==(const PackTask&, const PackTask&) = default;
};

// "label.ready": the shipping label of a shipment was made.
struct LabelReady : MessageBase {
  std::string orderId;
  std::string shipmentId;
  std::string carrier;
  std::string tracking;
  std::optional<std::string> printer;      // printer it was sent to; at least one of printer/url
  std::optional<std::string> url;          // where to fetch it (http(s) URL, free text limits)

  friend bool operator==(const LabelReady&, const LabelReady&) = default;
};

// One line of a purchase order to receive.
struct ReceiveLine {
  std::string lineId;                      // the order's line number ("1", "2", ...)
  std::string sku;
  std::string description;
  std::vector<std::string> barcodes;       // 1..kMaxBarcodes
  std::optional<int> qty;                  // ordered, 1..kMaxQty; absent when receiving blind
  int received = 0;                        // 0..kMaxQty, good units received so far
  std::optional<std::string> lot;          // expected lot, when the order states one
  std::optional<std::string> expiry;       // expected expiry "YYYY-MM-DD", when stated

  friend bool operator==(const ReceiveLine&, const ReceiveLine&) = default;
};

// "receive.task": a purchase order to receive at the dock, with the
// pallets and cartons its notice announced that are still to come.
struct ReceiveTask : MessageBase {
  std::string po;                          // the order's reference
  std::string supplier;                    // free text
  std::vector<ReceiveLine> lines;          // 1..kMaxLines, distinct line ids
  std::vector<std::string> units;          // 0..kMaxCartons SSCCs not yet received, distinct

  friend bool operator==(const ReceiveTask&, const ReceiveTask&) = default;
};

// "putaway.task": what to put away of the item scanned at the dock, and
// where it should go.
struct PutawayTask : MessageBase {
  std::string sku;
  std::string description;                 // free text
  std::vector<std::string> barcodes;       // 1..kMaxBarcodes
  std::string from;                        // the dock or staging location
  std::optional<std::string> lot;
  std::optional<std::string> expiry;       // "YYYY-MM-DD"
  int qty = 0;                             // 1..kMaxQty units of it waiting there
  std::optional<std::string> to;           // the suggested location; absent when nowhere has room
  std::string rule;                        // why there, or why nowhere (free text)

  friend bool operator==(const PutawayTask&, const PutawayTask&) = default;
};

// One move of a replenishment task: units of a SKU from a reserve location
// to a pick face, and why the face needs them.
struct ReplenishMove {
  std::string sku;
  std::string description;                 // free text
  std::vector<std::string> barcodes;       // 1..kMaxBarcodes
  std::string from;                        // the reserve location
  std::string to;                          // the pick face
  std::optional<std::string> lot;
  std::optional<std::string> expiry;       // "YYYY-MM-DD"
  int qty = 0;                             // 1..kMaxQty
  std::string reason;                      // free text: "released picks need 12, 4 on the face"

  friend bool operator==(const ReplenishMove&, const ReplenishMove&) = default;
};

// "replenish.task": the pick faces to refill now, most urgent first (the
// answer to a replenish.request). No moves: nothing needs refilling.
struct ReplenishTask : MessageBase {
  std::vector<ReplenishMove> moves;        // 0..kMaxStops
  std::optional<std::string> note;         // free text, e.g. why there is nothing

  friend bool operator==(const ReplenishTask&, const ReplenishTask&) = default;
};

// One stock row to count: what is at a location (blind: the recorded
// figure is not sent).
struct CountItem {
  std::int64_t countId = 0;                // 1..2^53, the server's count task
  std::string location;
  std::string sku;
  std::string description;                 // free text
  std::vector<std::string> barcodes;       // 1..kMaxBarcodes
  std::optional<std::string> lot;
  std::optional<std::string> expiry;       // "YYYY-MM-DD"
  bool recount = false;                    // the first count was off: count again

  friend bool operator==(const CountItem&, const CountItem&) = default;
};

// "count.task": the counts waiting for this counter, by location (the
// answer to a count.request and to each count.confirm). No counts: none wait.
struct CountTask : MessageBase {
  std::vector<CountItem> counts;           // 0..kMaxStops
  std::optional<std::string> note;         // free text

  friend bool operator==(const CountTask&, const CountTask&) = default;
};

enum class AckResult {
  Applied,     // the event took effect now
  Duplicate,   // the same (device, event_id) was applied before; nothing changed now
  Rejected,    // the event is invalid or conflicts; nothing changed; `error` says why
};

// "ack": the server's answer to one event. The device stops resending the
// event when it gets any ack for it.
struct Ack : MessageBase {
  std::string eventId;
  AckResult result = AckResult::Applied;
  std::optional<Error> error;              // present exactly when result is Rejected

  friend bool operator==(const Ack&, const Ack&) = default;
};

// "error": the server could not use something the device sent and cannot tie
// it to an event id (undecodable payload, wrong topic).
struct ServerError : MessageBase {
  Error error;                             // kind + free-text message

  friend bool operator==(const ServerError&, const ServerError&) = default;
};

// ---- Device -> server events (topic evt) --------------------------------------

// What the worker signed in to do. Only `pick` gets batches pushed; the
// other modes ask for their work (pack.request, receive.request, ...).
enum class WorkMode { Pick, Pack, Receive, Putaway, Replenish, Count };

// "signin": a worker scanned their badge (and, when it needs one, typed its
// PIN: 4-12 digits; absent = no PIN, as before the field was added).
struct SignIn : EventBase {
  std::string badge;
  WorkMode mode = WorkMode::Pick;
  std::optional<std::string> pin;

  friend bool operator==(const SignIn&, const SignIn&) = default;
};

// "signout": the worker signed out; the server frees unfinished work.
struct SignOut : EventBase {
  friend bool operator==(const SignOut&, const SignOut&) = default;
};

// "scan": an audit record of a scan that was not part of a confirmation.
struct Scan : EventBase {
  std::string barcode;
  std::optional<std::string> symbology;    // e.g. "EAN-13", "Code128", "DataMatrix"
  std::optional<std::string> batchId;
  std::optional<std::string> stopId;

  friend bool operator==(const Scan&, const Scan&) = default;
};

// Quantity put into one tote.
struct TotePut {
  std::string tote;
  int qty = 0;                             // 1..kMaxQty

  friend bool operator==(const TotePut&, const TotePut&) = default;
};

// A step of a stop whose code the picker scans (or types, where the task
// allows typed codes).
enum class ScanStep { Location, Item, Tote };

// "pick.confirm": a stop was picked in full.
struct PickConfirm : EventBase {
  std::string batchId;
  std::string stopId;
  int qty = 0;                             // 1..kMaxQty; equals the sum of puts[].qty
  std::vector<TotePut> puts;               // 1..kMaxPuts, distinct totes
  std::string location;                    // the location barcode scanned
  std::string barcode;                     // the item barcode scanned
  std::optional<std::string> lot;          // lot read from the item (GS1 AI 10)
  std::optional<std::string> expiry;       // expiry read from the item, "YYYY-MM-DD"
  // Steps whose code was typed on the keypad instead of scanned: distinct,
  // at most one of each; empty (absent on the wire) when all were scanned.
  std::vector<ScanStep> typed;

  friend bool operator==(const PickConfirm&, const PickConfirm&) = default;
};

enum class ShortReason { Empty, Damaged, NotFound, Other };

// "pick.short": fewer than asked were picked at a stop.
struct PickShort : EventBase {
  std::string batchId;
  std::string stopId;
  int qtyPicked = 0;                       // 0..kMaxQty; equals the sum of puts[].qty
  std::vector<TotePut> puts;               // 0..kMaxPuts (empty when nothing was picked)
  ShortReason reason = ShortReason::Empty;
  std::optional<std::string> note;         // free text; expected with reason Other
  std::vector<ScanStep> typed;             // as in PickConfirm

  friend bool operator==(const PickShort&, const PickShort&) = default;
};

// "batch.done": the picker finished the batch (all stops confirmed or short).
struct BatchDone : EventBase {
  std::string batchId;

  friend bool operator==(const BatchDone&, const BatchDone&) = default;
};

// "pack.request": a packer scanned a tote or an order and asks for its pack
// task. Exactly one of tote / orderId.
struct PackRequest : EventBase {
  std::optional<std::string> tote;
  std::optional<std::string> orderId;
  std::optional<std::string> station;     // packing station id

  friend bool operator==(const PackRequest&, const PackRequest&) = default;
};

struct PackItem {
  std::string sku;
  int qty = 0;                             // 1..kMaxQty

  friend bool operator==(const PackItem&, const PackItem&) = default;
};

struct PackCarton {
  std::string cartonId;                    // the carton's own id, unique within the order
  std::string cartonType;                  // e.g. "S", "M", "MAILER-A4"
  std::optional<int> weightGrams;          // 1..1000000
  std::vector<PackItem> items;             // 1..kMaxCartonItems, distinct SKUs

  friend bool operator==(const PackCarton&, const PackCarton&) = default;
};

// "pack.confirm": the order was packed into these cartons, each verified by scan.
struct PackConfirm : EventBase {
  std::string orderId;
  std::vector<PackCarton> cartons;         // 1..kMaxCartons, distinct carton ids

  friend bool operator==(const PackConfirm&, const PackConfirm&) = default;
};

enum class PackShortReason { Damaged, Missing };

// One line of a short at packing.
struct PackShortLine {
  std::string lineId;                      // the pack.task line
  std::string sku;
  int qty = 0;                             // 1..kMaxQty units that cannot be packed
  PackShortReason reason = PackShortReason::Damaged;  // damaged, or missing from the tote

  friend bool operator==(const PackShortLine&, const PackShortLine&) = default;
};

// "pack.short": units of the order cannot be packed. The server takes them
// off the stock and holds the order for a supervisor (pack what is left, or
// cancel); nothing ships less without a person deciding so.
struct PackShort : EventBase {
  std::string orderId;
  std::vector<PackShortLine> lines;        // 1..kMaxLines, distinct line ids
  std::optional<std::string> note;         // free text

  friend bool operator==(const PackShort&, const PackShort&) = default;
};

struct ShipLine {
  std::string lineId;
  std::string sku;
  int qty = 0;                             // 1..kMaxQty

  friend bool operator==(const ShipLine&, const ShipLine&) = default;
};

// "ship.confirm": these quantities left the building (decrements stock).
struct ShipConfirm : EventBase {
  std::string orderId;
  std::string shipmentId;
  std::vector<std::string> cartons;        // 1..kMaxCartons carton ids, distinct
  std::vector<ShipLine> lines;             // 1..kMaxLines, distinct line ids

  friend bool operator==(const ShipConfirm&, const ShipConfirm&) = default;
};

// "receive.request": a dock worker scanned a purchase order and asks for
// what it expects.
struct ReceiveRequest : EventBase {
  std::string po;                          // the order's reference

  friend bool operator==(const ReceiveRequest&, const ReceiveRequest&) = default;
};

enum class ItemCondition { Good, Damaged };

// "receive.confirm": goods received at the dock, applied once per event:
// a case (`barcode` as scanned, with `qty`) or a whole announced pallet or
// carton (`sscc`, no qty). Exactly one of barcode / sscc.
struct ReceiveConfirm : EventBase {
  std::string po;                          // the order's reference
  std::optional<std::string> barcode;      // GS1 element strings, a GTIN or the SKU's code
  std::optional<std::string> sscc;         // 18 digits
  std::optional<int> qty;                  // 1..kMaxQty, with barcode only
  std::string location;                    // a dock or staging location
  std::optional<ItemCondition> condition;  // absent: good; damaged units are set aside, never stock

  friend bool operator==(const ReceiveConfirm&, const ReceiveConfirm&) = default;
};

// "putaway.request": an item was scanned at a dock or staging location to
// be put away.
struct PutawayRequest : EventBase {
  std::string location;                    // where it waits (dock or staging)
  std::string barcode;                     // its label as scanned

  friend bool operator==(const PutawayRequest&, const PutawayRequest&) = default;
};

// "putaway.confirm": units moved from the dock to a location, applied once
// per event; `reason` is required when `to` is not the suggestion.
struct PutawayConfirm : EventBase {
  std::string sku;
  std::string from;
  std::string to;
  int qty = 0;                             // 1..kMaxQty
  std::optional<std::string> lot;
  std::optional<std::string> expiry;       // "YYYY-MM-DD"
  std::optional<std::string> reason;       // free text

  friend bool operator==(const PutawayConfirm&, const PutawayConfirm&) = default;
};

// "replenish.request": a worker in replenish mode asks for the faces to
// refill.
struct ReplenishRequest : EventBase {
  friend bool operator==(const ReplenishRequest&, const ReplenishRequest&) = default;
};

// "replenish.confirm": units moved from a reserve location to a pick face,
// applied once per event.
struct ReplenishConfirm : EventBase {
  std::string sku;
  std::string from;
  std::string to;
  int qty = 0;                             // 1..kMaxQty
  std::optional<std::string> lot;
  std::optional<std::string> expiry;       // "YYYY-MM-DD"

  friend bool operator==(const ReplenishConfirm&, const ReplenishConfirm&) = default;
};

// "count.request": a worker in count mode asks for the counts waiting; with
// `location`, the server first makes counts of every row there (a count on
// demand of the location the worker stands at).
struct CountRequest : EventBase {
  std::optional<std::string> location;

  friend bool operator==(const CountRequest&, const CountRequest&) = default;
};

// "count.confirm": the units counted of one count task, applied once per
// event (0 is a count: the shelf is empty).
struct CountConfirm : EventBase {
  std::int64_t countId = 0;                // 1..2^53
  int counted = 0;                         // 0..kMaxQty

  friend bool operator==(const CountConfirm&, const CountConfirm&) = default;
};

// "station.scan": a packing station's keyboard-wedge scanner read a barcode
// (published by wms-fwbridge, which holds the scanner; docs/protocol.md).
// wmsd hands it to the packing page open at that station, which takes it
// as if typed. `device` is the bridge's own account, one per station.
struct StationScan : EventBase {
  std::string station;                     // the packing station, an id
  std::string barcode;                     // as read, GS as \u001d
  std::optional<std::string> symbology;    // the AIM identifier, e.g. "]C1" ("]" + letter + modifier)

  friend bool operator==(const StationScan&, const StationScan&) = default;
};

enum class LabelFormat { Zpl, Pdf, Png };

// "label.request": print (or reprint) the shipping label of an order.
struct LabelRequest : EventBase {
  std::string orderId;
  std::optional<std::string> printer;
  std::optional<LabelFormat> format;

  friend bool operator==(const LabelRequest&, const LabelRequest&) = default;
};

// ---- Device -> server, not events --------------------------------------------

enum class PresenceState { Online, Offline };

// "status" (topic status, retained): the device's presence. A device
// publishes online after connecting and registers offline as its last will;
// the broker publishes the will when the device vanishes.
struct Presence : MessageBase {
  PresenceState state = PresenceState::Online;
  std::string app;                         // app version, an id (e.g. "wms-handheld/0.1.0")
  std::optional<std::string> user;         // badge of the signed-in worker

  friend bool operator==(const Presence&, const Presence&) = default;
};

// "heartbeat" (topic hb, QoS 0): liveness, every kHeartbeatInterval.
struct Heartbeat : MessageBase {
  int battery = 0;                         // percent, 0..100
  int rssi = 0;                            // Wi-Fi signal in dBm, -127..0
  int outbox = 0;                          // events not yet acknowledged, 0..1000000
  std::optional<std::string> batchId;      // the batch being worked on

  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

// ---- The message -------------------------------------------------------------

using Message = std::variant<TaskAssign, TaskUpdate, TaskCancel, PackTask, LabelReady, ReceiveTask, PutawayTask,
                             ReplenishTask, CountTask, Ack, ServerError, SignIn, SignOut, Scan, PickConfirm, PickShort,
                             BatchDone, PackRequest, PackConfirm, PackShort, ShipConfirm, LabelRequest, ReceiveRequest,
                             ReceiveConfirm, PutawayRequest, PutawayConfirm, ReplenishRequest, ReplenishConfirm,
                             CountRequest, CountConfirm, StationScan, Presence, Heartbeat>;

// The wire `type` of a message, e.g. "pick.confirm".
std::string_view typeName(const Message& message) noexcept;

// The channel (topic level) a message travels on: Commands for server ->
// device messages, Events for handheld events, Status for Presence,
// Heartbeat for Heartbeat.
TopicKind topicKindOf(const Message& message) noexcept;

// The topic a message is published on: topicFor(device, topicKindOf(message)).
// Throws std::invalid_argument if the message's device id is invalid.
std::string topicOf(const Message& message);

// The common fields of any message.
const MessageBase& baseOf(const Message& message) noexcept;
MessageBase& baseOf(Message& message) noexcept;

// The event id of a handheld event; nullptr for any other message. The
// pointer is valid as long as the message is.
const std::string* eventIdOf(const Message& message) noexcept;

// Wire names of the enums ("applied", "not_found", "pick", "item", "zpl", "online").
std::string_view toString(AckResult value) noexcept;
std::string_view toString(WorkMode value) noexcept;
std::string_view toString(ShortReason value) noexcept;
std::string_view toString(PackShortReason value) noexcept;
std::string_view toString(ItemCondition value) noexcept;
std::string_view toString(ScanStep value) noexcept;
std::string_view toString(LabelFormat value) noexcept;
std::string_view toString(PresenceState value) noexcept;

}  // namespace wms::protocol
