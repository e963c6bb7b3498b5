// Handheld: the app behind every front end (terminal UI, headless script,
// fleet simulator). It owns the workflows (sign-in, then the one flow of its
// mode: pick, pack, receive, put-away, replenish or count), the outbox and the sync with the server over a DeviceLink:
//
//  - an input (scan, key, number, typed line) goes to the workflow; the
//    events it produces and its new state are stored in the outbox in ONE
//    transaction before anything is shown as done. If that store fails, the
//    workflow is put back as it was and the error shown: nothing half-done.
//  - stored events are published in order when online, and resent until
//    acknowledged (ResendQueue timing; all at once after a reconnect), with
//    the same event id and bytes, also after an app restart. Picking never
//    waits for the network.
//  - acks remove events from the outbox and go back to the workflow (a
//    rejected confirmation reopens or flags its stop, see PickFlow.h);
//    commands (task.assign ...) go to the workflow; acks, errors and
//    commands whose `device` is not this handheld are ignored with a log.
//  - heartbeats every 15 s while online, with battery, signal, outbox size
//    and the batch in hand.
//
// Threading: not thread-safe; one thread drives it (input() and poll()).
// The DeviceLink may be shared with MQTT threads (it is thread-safe).
// Ownership: the Handheld owns its outbox; it does not own the link or the
// feedback, which must outlive it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "wms/common/Result.h"
#include "wms/handheld/DeviceLink.h"
#include "wms/handheld/Feedback.h"
#include "wms/handheld/Outbox.h"
#include "wms/handheld/PackFlow.h"
#include "wms/handheld/PickFlow.h"
#include "wms/handheld/CountFlow.h"
#include "wms/handheld/PutawayFlow.h"
#include "wms/handheld/ReceiveFlow.h"
#include "wms/handheld/ReplenishFlow.h"
#include "wms/handheld/SignInFlow.h"
#include "wms/handheld/Workflow.h"
#include "wms/protocol/ResendQueue.h"

namespace wms::handheld {

struct HandheldOptions {
  std::string device;                              // this handheld's id
  protocol::WorkMode mode = protocol::WorkMode::Pick;  // pick, pack, receive, putaway, replenish, count
  std::optional<std::string> badge;                // sign in with it at start when signed out
  std::optional<std::string> station;              // pack mode: sent with pack.request
  std::optional<std::string> dock;                 // receive, putaway: the dock location (else scanned)
  std::vector<std::string> totePrefixes{"T-", "TOTE-"};
  std::string cartDestination = "packing";
  int gs1ReferenceYear = 0;                        // 0: the current year
  std::chrono::milliseconds firstRetry{5000};      // resend timing (docs/protocol.md)
  std::chrono::milliseconds maxRetry{60000};
  std::chrono::milliseconds heartbeatEvery{15000};
  // Device log lines (ignored commands, refusals, sync); may be empty.
  std::function<void(const std::string&)> log;
};

// What the sync did since the app started.
struct SyncStats {
  std::uint64_t created = 0;     // events stored in the outbox
  std::uint64_t published = 0;   // first publishes (of this run)
  std::uint64_t resent = 0;      // publishes again (timeouts, reconnects)
  std::uint64_t applied = 0;     // acks by result
  std::uint64_t duplicate = 0;
  std::uint64_t rejected = 0;
  std::uint64_t unknownAcks = 0; // acks of events no longer pending (a second ack)
  std::uint64_t serverErrors = 0;
  std::uint64_t ignored = 0;     // messages for another device or undecodable
  std::uint64_t heartbeats = 0;
};

struct StatusView {
  bool online = false;
  std::size_t outbox = 0;        // events not yet acknowledged
  std::string device;
  std::string user;              // signed-in badge
};

struct View {
  Screen screen;
  StatusView status;
};

class Handheld {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens the outbox at `outboxFile` (Outbox::open; a corrupt file is
  // replaced and the screen says so), restores the saved workflow state
  // (a damaged state is dropped with a message) and loads what waits to be
  // sent. `link` may be null: everything then waits in the outbox.
  // Errors: those of Outbox::open.
  static Result<std::unique_ptr<Handheld>> open(HandheldOptions options, const std::filesystem::path& outboxFile,
                                                DeviceLink* link, Feedback* feedback);
  ~Handheld();
  Handheld(const Handheld&) = delete;
  Handheld& operator=(const Handheld&) = delete;

  // A scan, key, number or unreadable frame from the picker. Server
  // messages and outcomes come through poll(), not here.
  void input(const Input& input);
  // A line typed on the keypad, read by interpretTypedLine (TypedInput.h);
  // a line that cannot be read is shown as an error.
  void typed(std::string_view line);

  // Takes what the link received, sends what waits, resends what is due,
  // heartbeats. Call it often (every few tens of ms) from the same thread.
  void poll();

  View view() const;
  // What the current step expects (see Workflow.h), nullopt when signed out
  // or nothing is wanted.
  std::optional<StepExpectation> expectation() const;
  // The step takes a number (digits are quantities, not barcodes).
  bool wantsNumber() const;
  bool signedIn() const { return signIn_.signedIn(); }
  // The flow of the mode; asking for another mode's flow is misuse
  // (std::logic_error).
  const PickFlow& pick() const { return flow<PickFlow>(); }
  const PackFlow& pack() const { return flow<PackFlow>(); }
  const ReceiveFlow& receive() const { return flow<ReceiveFlow>(); }
  const PutawayFlow& putaway() const { return flow<PutawayFlow>(); }
  const ReplenishFlow& replenish() const { return flow<ReplenishFlow>(); }
  const CountFlow& count() const { return flow<CountFlow>(); }
  const SyncStats& stats() const noexcept { return stats_; }
  std::size_t outboxCount() const noexcept { return outbox_->pendingCount(); }
  const OutboxOpenReport& outboxReport() const noexcept { return outbox_->openReport(); }
  bool online() const { return link_ && link_->online(); }

 private:
  // The one flow of the mode, fixed for the app's life.
  using Flow = std::variant<PickFlow, PackFlow, ReceiveFlow, PutawayFlow, ReplenishFlow, CountFlow>;
  // What a step may have to undo: the flows as they were before it.
  struct Snapshot {
    SignInFlow signIn;
    Flow flow;
  };

  Handheld(HandheldOptions options, std::unique_ptr<Outbox> outbox, DeviceLink* link, Feedback* feedback);
  template <class F>
  const F& flow() const;
  void restoreState();
  void route(const Input& input);
  Effects handleInFlow(const Input& input);
  void apply(Effects effects, const Snapshot& before);
  void received(const protocol::MqttMessage& message);
  void acknowledged(const protocol::Ack& ack);
  void send();
  bool withdrawnBatchDone(const OutboxEvent& e);
  void heartbeat();
  void log(const std::string& line) const;
  std::vector<std::pair<std::string, std::string>> stateEntries() const;

  HandheldOptions options_;
  std::unique_ptr<Outbox> outbox_;
  DeviceLink* link_;
  Feedback* feedback_;
  SignInFlow signIn_;
  Flow flow_;
  std::deque<OutboxEvent> unsent_;   // stored, not yet published in this run
  protocol::ResendQueue resend_;     // published, waiting for their ack
  SyncStats stats_;
  std::string notice_;               // app-level message (outbox recovered, save failed, refusals)
  std::string userShown_;            // the badge last given to the link
  Clock::time_point lastHeartbeat_{};
};

template <class F>
const F& Handheld::flow() const {
  if (const auto* f = std::get_if<F>(&flow_)) return *f;
  throw std::logic_error("this handheld is in " + std::string(protocol::toString(options_.mode)) + " mode");
}

}  // namespace wms::handheld
