#include "wms/handheld/Handheld.h"

#include <algorithm>
#include <ctime>

#include "wms/handheld/FlowState.h"
#include "wms/handheld/TypedInput.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/Topics.h"

namespace wms::handheld {
namespace {

// The outbox's type of a finished batch (protocol::typeName of BatchDone).
const std::string kBatchDone = "batch.done";

std::int64_t wallMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int currentYear() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

Gs1ParseOptions gs1Options(const HandheldOptions& o) {
  Gs1ParseOptions g;
  g.referenceYear = o.gs1ReferenceYear > 0 ? o.gs1ReferenceYear : currentYear();
  return g;
}

PickFlow::Options pickOptions(const HandheldOptions& o) {
  PickFlow::Options p;
  p.device = o.device;
  p.gs1 = gs1Options(o);
  p.cartDestination = o.cartDestination;
  return p;
}

PackFlow::Options packOptions(const HandheldOptions& o) {
  PackFlow::Options p;
  p.device = o.device;
  p.station = o.station;
  p.totePrefixes = o.totePrefixes;
  p.gs1 = gs1Options(o);
  return p;
}

// The aisle flows (replenish, count) take the same options.
template <class Options>
Options aisleOptions(const HandheldOptions& o) {
  Options a;
  a.device = o.device;
  a.gs1 = gs1Options(o);
  return a;
}

// The dock flows (receive, put-away): the aisle flows' options and the dock.
template <class Options>
Options dockOptions(const HandheldOptions& o) {
  auto d = aisleOptions<Options>(o);
  d.dock = o.dock;
  return d;
}

// What the app needs of each flow besides handle(), screen(),
// expectation(), wantsNumber(), busy() and restore(): the outbox key of its
// saved state, its codec, and what a worker calls the work in hand.
const char* stateKey(const PickFlow&) { return "pick"; }
const char* stateKey(const PackFlow&) { return "pack"; }
const char* stateKey(const ReceiveFlow&) { return "receive"; }
const char* stateKey(const PutawayFlow&) { return "putaway"; }
const char* stateKey(const ReplenishFlow&) { return "replenish"; }
const char* stateKey(const CountFlow&) { return "count"; }
std::string encodeState(const PickFlow& f) { return encodePickState(f.state()); }
std::string encodeState(const PackFlow& f) { return encodePackState(f.state()); }
std::string encodeState(const ReceiveFlow& f) { return encodeReceiveState(f.state()); }
std::string encodeState(const PutawayFlow& f) { return encodePutawayState(f.state()); }
std::string encodeState(const ReplenishFlow& f) { return encodeReplenishState(f.state()); }
std::string encodeState(const CountFlow& f) { return encodeCountState(f.state()); }
Result<PickState> decodeState(const PickFlow&, std::string_view t) { return decodePickState(t); }
Result<PackState> decodeState(const PackFlow&, std::string_view t) { return decodePackState(t); }
Result<ReceiveState> decodeState(const ReceiveFlow&, std::string_view t) { return decodeReceiveState(t); }
Result<PutawayState> decodeState(const PutawayFlow&, std::string_view t) { return decodePutawayState(t); }
Result<ReplenishState> decodeState(const ReplenishFlow&, std::string_view t) { return decodeReplenishState(t); }
Result<CountState> decodeState(const CountFlow&, std::string_view t) { return decodeCountState(t); }
const char* workName(const PickFlow&) { return "batch"; }
const char* workName(const PackFlow&) { return "order"; }
const char* workName(const ReceiveFlow&) { return "purchase order"; }
const char* workName(const PutawayFlow&) { return "put-away"; }
const char* workName(const ReplenishFlow&) { return "refill"; }
const char* workName(const CountFlow&) { return "count"; }
// The log line of a restart that finds work in hand.
std::string resumed(const PickFlow& f) {
  return "resumed batch " + f.state().batchId + " at stop " + std::to_string(f.stopsDone() + 1) + "/" +
         std::to_string(f.stopsTotal());
}
template <class Flow>
std::string resumed(const Flow& f) {
  return std::string("resumed the ") + workName(f) + " in hand";
}

std::variant<PickFlow, PackFlow, ReceiveFlow, PutawayFlow, ReplenishFlow, CountFlow> makeFlow(const HandheldOptions& o) {
  switch (o.mode) {
    case protocol::WorkMode::Pack: return PackFlow(packOptions(o));
    case protocol::WorkMode::Receive: return ReceiveFlow(dockOptions<ReceiveFlow::Options>(o));
    case protocol::WorkMode::Putaway: return PutawayFlow(dockOptions<PutawayFlow::Options>(o));
    case protocol::WorkMode::Replenish: return ReplenishFlow(aisleOptions<ReplenishFlow::Options>(o));
    case protocol::WorkMode::Count: return CountFlow(aisleOptions<CountFlow::Options>(o));
    case protocol::WorkMode::Pick: break;
  }
  return PickFlow(pickOptions(o));
}

bool isUserInput(const Input& in) {
  return std::holds_alternative<KeyPress>(in) || std::holds_alternative<NumberEntry>(in) ||
         std::holds_alternative<ScanInput>(in) || std::holds_alternative<ScanFailed>(in);
}

}  // namespace

Handheld::Handheld(HandheldOptions options, std::unique_ptr<Outbox> outbox, DeviceLink* link, Feedback* feedback)
    : options_(std::move(options)),
      outbox_(std::move(outbox)),
      link_(link),
      feedback_(feedback),
      signIn_(options_.mode),
      flow_(makeFlow(options_)),
      resend_(options_.firstRetry, options_.maxRetry) {}

Handheld::~Handheld() = default;

Result<std::unique_ptr<Handheld>> Handheld::open(HandheldOptions options, const std::filesystem::path& outboxFile,
                                                 DeviceLink* link, Feedback* feedback) {
  auto box = Outbox::open(outboxFile, options.device, wallMs());
  if (!box) return box.error();
  std::unique_ptr<Handheld> h(new Handheld(std::move(options), std::move(box).value(), link, feedback));
  if (h->outbox_->openReport().recovered) {
    h->notice_ = h->outbox_->openReport().message;
    h->log(h->notice_);
  }
  h->restoreState();
  auto pending = h->outbox_->pending();
  if (!pending) return pending.error();
  h->unsent_.assign(pending->begin(), pending->end());
  if (!h->unsent_.empty()) h->log(std::to_string(h->unsent_.size()) + " event(s) from before wait to be sent");
  if (h->options_.badge && !h->signIn_.signedIn()) {
    Barcode badge;
    badge.format = BarcodeFormat::Code128;
    badge.text = *h->options_.badge;
    h->input(ScanInput{badge});
  }
  if (link) link->setUser(h->signIn_.signedIn() ? std::optional<std::string>(h->signIn_.badge()) : std::nullopt);
  return h;
}

void Handheld::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void Handheld::restoreState() {
  auto fromFile = [&](const std::string& key) -> std::optional<std::string> {
    auto v = outbox_->loadState(key);
    if (!v) {
      log("cannot read saved " + key + ": " + v.error().message);
      return std::nullopt;
    }
    return *v;
  };
  const std::string mode(protocol::toString(options_.mode));
  auto savedMode = fromFile("mode");
  if (auto badge = fromFile("signin"); badge && savedMode && *savedMode == mode) {
    if (auto st = signIn_.restore(*badge); !st) log(st.error().message);
  }
  auto drop = [&](const std::string& what, const Error& e) {
    notice_ = "saved " + what + " was damaged and is dropped: " + e.message;
    log(notice_);
  };
  std::visit(
      [&](auto& flow) {
        auto text = fromFile(stateKey(flow));
        if (!text) return;
        auto s = decodeState(flow, *text);
        if (!s) drop(workName(flow), s.error());
        else if (auto st = flow.restore(std::move(s).value()); !st) drop(workName(flow), st.error());
        else if (flow.busy()) log(resumed(flow));
      },
      flow_);
}

std::vector<std::pair<std::string, std::string>> Handheld::stateEntries() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("mode", std::string(protocol::toString(options_.mode)));
  out.emplace_back("signin", signIn_.badge());
  std::visit([&](const auto& flow) { out.emplace_back(stateKey(flow), encodeState(flow)); }, flow_);
  return out;
}

void Handheld::input(const Input& in) {
  if (!isUserInput(in)) return;
  notice_.clear();
  route(in);
  send();
}

void Handheld::typed(std::string_view line) {
  auto r = interpretTypedLine(line, wantsNumber());
  if (!r) {
    notice_ = r.error().message;
    if (feedback_) feedback_->error();
    return;
  }
  std::visit([this](const auto& v) { input(Input{v}); }, *r);
}

Effects Handheld::handleInFlow(const Input& in) {
  return std::visit([&](auto& flow) { return flow.handle(in); }, flow_);
}

void Handheld::route(const Input& in) {
  const Snapshot before{signIn_, flow_};
  Effects fx;
  const auto* key = std::get_if<KeyPress>(&in);
  if (key && key->key == Key::SignOut && signIn_.signedIn()) {
    if (std::visit([](const auto& flow) { return flow.busy(); }, flow_)) {
      notice_ = std::visit(
          [](const auto& flow) { return std::string("finish the ") + workName(flow) + " before signing out"; }, flow_);
      fx.signal = Signal::Bad;
    } else {
      fx = signIn_.signOut();
    }
  } else if (!signIn_.signedIn()) {
    fx = signIn_.handle(in);
  } else {
    fx = handleInFlow(in);
  }
  apply(std::move(fx), before);
}

void Handheld::apply(Effects fx, const Snapshot& before) {
  for (const auto& line : fx.log) log(line);
  if (!fx.events.empty() || fx.stateChanged) {
    Result<std::vector<OutboxEvent>> stored = std::vector<OutboxEvent>{};
    try {
      stored = outbox_->append(fx.events, fx.stateChanged ? stateEntries() : decltype(stateEntries()){}, wallMs());
    } catch (const std::exception& e) {
      stored = makeError(ErrorKind::Internal, e.what());
    }
    if (!stored) {
      // Nothing was stored, so nothing may look done: the workflow goes back
      // to where it was and the picker repeats the step.
      signIn_ = before.signIn;
      flow_ = before.flow;
      notice_ = "could not save on the handheld: " + stored.error().message + "; try again";
      log(notice_);
      if (feedback_) feedback_->error();
      return;
    }
    for (auto& e : *stored) {
      ++stats_.created;
      unsent_.push_back(std::move(e));
    }
  }
  if (feedback_) {
    if (fx.signal == Signal::Good) feedback_->goodRead();
    else if (fx.signal == Signal::Bad) feedback_->error();
  }
  const std::string user = signIn_.badge();
  if (link_ && user != userShown_) {
    link_->setUser(user.empty() ? std::nullopt : std::optional<std::string>(user));
    userShown_ = user;
  }
}

void Handheld::poll() {
  if (link_) {
    for (const auto& m : link_->take()) received(m);
  }
  send();
  heartbeat();
}

void Handheld::received(const protocol::MqttMessage& raw) {
  auto decoded = protocol::decodeFromTopic(raw.topic, raw.payload);
  if (!decoded) {
    ++stats_.ignored;
    log("ignored a message on " + raw.topic + ": " + decoded.error().message);
    return;
  }
  const auto& message = *decoded;
  if (protocol::baseOf(message).device != options_.device) {
    ++stats_.ignored;
    log("ignored " + std::string(protocol::typeName(message)) + " for device " + protocol::baseOf(message).device);
    return;
  }
  if (const auto* ack = std::get_if<protocol::Ack>(&message)) {
    acknowledged(*ack);
    return;
  }
  if (const auto* err = std::get_if<protocol::ServerError>(&message)) {
    ++stats_.serverErrors;
    notice_ = "server: " + err->error.message;
    log("server error (" + std::string(toString(err->error.kind)) + "): " + err->error.message);
    if (feedback_) feedback_->error();
    return;
  }
  if (protocol::topicKindOf(message) != protocol::TopicKind::Commands) {
    ++stats_.ignored;
    log("ignored " + std::string(protocol::typeName(message)) + " on the command topic");
    return;
  }
  const Snapshot before{signIn_, flow_};
  apply(handleInFlow(Input{message}), before);
}

void Handheld::acknowledged(const protocol::Ack& ack) {
  resend_.acknowledge(ack.eventId);
  std::erase_if(unsent_, [&](const OutboxEvent& e) { return e.eventId == ack.eventId; });
  auto ev = outbox_->acknowledge(ack.eventId);
  if (!ev) {
    log("cannot update the outbox for ack " + ack.eventId + ": " + ev.error().message);
    return;
  }
  if (!*ev) {
    ++stats_.unknownAcks;
    log("ack for " + ack.eventId + " (" + std::string(protocol::toString(ack.result)) + "), which is not pending");
    return;
  }
  switch (ack.result) {
    case protocol::AckResult::Applied: ++stats_.applied; break;
    case protocol::AckResult::Duplicate: ++stats_.duplicate; break;
    case protocol::AckResult::Rejected: ++stats_.rejected; break;
  }
  auto original = protocol::decode((*ev)->payload);
  if (!original) {
    log("acknowledged event " + ack.eventId + " cannot be read back: " + original.error().message);
    return;
  }
  const EventOutcome outcome{*original, ack.result, ack.error};
  const Snapshot before{signIn_, flow_};
  Effects fx = signIn_.handle(Input{outcome});
  fx.merge(handleInFlow(Input{outcome}));
  if (ack.result == protocol::AckResult::Rejected) {
    const std::string why = ack.error ? ack.error->message : "no reason given";
    log("server refused " + (*ev)->type + " " + ack.eventId + ": " + why);
    if (fx.signal != Signal::Bad) {
      notice_ = "server refused " + (*ev)->type + ": " + why;
      fx.signal = Signal::Bad;
    }
  }
  apply(std::move(fx), before);
}

void Handheld::send() {
  if (!link_ || !link_->online()) return;
  const auto now = Clock::now();
  if (link_->takeReconnect()) {
    // Back online: everything not acknowledged goes out again at once, in
    // the order it was made (ResendQueue keeps first-send order), followed
    // by what was made while offline.
    for (const auto& p : resend_.resendAll(now)) {
      if (!link_->publish(p.topic, p.payload, 1, false)) break;
      ++stats_.resent;
    }
  }
  while (!unsent_.empty()) {
    const auto& e = unsent_.front();
    // A batch is done only with its picks applied: batch.done (and what
    // follows it) waits until every earlier event is acknowledged. Sent at
    // once, it could overtake a pick whose commit failed on the server
    // (resent later) and be refused for stops that were in fact picked.
    if (e.type == kBatchDone && !resend_.empty()) break;
    if (e.type == kBatchDone && withdrawnBatchDone(e)) continue;
    if (!link_->publish(e.topic, e.payload, 1, false)) return;
    resend_.sent(e.eventId, e.topic, e.payload, now);
    ++stats_.published;
    unsent_.pop_front();
  }
  for (const auto& p : resend_.due(now)) {
    if (!link_->publish(p.topic, p.payload, 1, false)) return;
    ++stats_.resent;
  }
}

// A batch.done held back behind its picks is withdrawn (never sent) if the
// batch came back into the picker's hands meanwhile: the server changed it
// (a short's replacement stop) and the flow sends a new batch.done when the
// added stops are done. Sent, it could only be refused.
bool Handheld::withdrawnBatchDone(const OutboxEvent& e) {
  const auto* flow = std::get_if<PickFlow>(&flow_);
  if (!flow) return false;
  auto done = protocol::decode(e.payload);
  const auto* message = done ? std::get_if<protocol::BatchDone>(&*done) : nullptr;
  if (!message) return false;
  const auto& state = flow->state();
  if (state.stage != PickState::Stage::Working || state.batchId != message->batchId) return false;
  const std::string eventId = e.eventId;  // e is unsent_'s front, popped below
  auto forgotten = outbox_->acknowledge(eventId);
  if (!forgotten) {
    log("cannot withdraw " + eventId + " from the outbox: " + forgotten.error().message);
    return false;
  }
  log("batch.done " + eventId + " of batch " + message->batchId + " withdrawn: the batch changed before it was sent");
  unsent_.pop_front();
  return true;
}

void Handheld::heartbeat() {
  if (!link_ || !link_->online()) return;
  const auto now = Clock::now();
  if (lastHeartbeat_ != Clock::time_point{} && now - lastHeartbeat_ < options_.heartbeatEvery) return;
  lastHeartbeat_ = now;
  const auto ps = readPowerAndSignal();
  protocol::Heartbeat hb;
  hb.device = options_.device;
  hb.ts = wallMs();
  hb.battery = ps.battery;
  hb.rssi = ps.rssi;
  hb.outbox = static_cast<int>(std::min<std::size_t>(outbox_->pendingCount(), 1000000));
  if (const auto* pick = std::get_if<PickFlow>(&flow_);
      pick && !pick->state().batchId.empty() && pick->state().stage != PickState::Stage::Cancelled)
    hb.batchId = pick->state().batchId;
  if (!protocol::validate(hb)) return;
  if (link_->publish(protocol::topicOf(hb), protocol::encode(hb), 0, false)) ++stats_.heartbeats;
}

View Handheld::view() const {
  View v;
  if (!signIn_.signedIn()) v.screen = signIn_.screen();
  else v.screen = std::visit([](const auto& flow) { return flow.screen(); }, flow_);
  if (!notice_.empty()) {
    if (v.screen.error.empty()) v.screen.error = notice_;
    else v.screen.message = notice_ + (v.screen.message.empty() ? "" : "; " + v.screen.message);
  }
  v.status.online = online();
  v.status.outbox = outbox_->pendingCount();
  v.status.device = options_.device;
  v.status.user = signIn_.badge();
  return v;
}

std::optional<StepExpectation> Handheld::expectation() const {
  if (!signIn_.signedIn()) return std::nullopt;
  return std::visit([](const auto& flow) { return flow.expectation(); }, flow_);
}

bool Handheld::wantsNumber() const {
  return signIn_.signedIn() && std::visit([](const auto& flow) { return flow.wantsNumber(); }, flow_);
}

}  // namespace wms::handheld
