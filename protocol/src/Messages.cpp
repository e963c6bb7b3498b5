#include "wms/protocol/Messages.h"

#include <type_traits>

namespace wms::protocol {
namespace {

template <class T>
constexpr std::string_view nameOf() {
  if constexpr (std::is_same_v<T, TaskAssign>) return "task.assign";
  else if constexpr (std::is_same_v<T, TaskUpdate>) return "task.update";
  else if constexpr (std::is_same_v<T, TaskCancel>) return "task.cancel";
  else if constexpr (std::is_same_v<T, PackTask>) return "pack.task";
  else if constexpr (std::is_same_v<T, LabelReady>) return "label.ready";
  else if constexpr (std::is_same_v<T, ReceiveTask>) return "receive.task";
  else if constexpr (std::is_same_v<T, PutawayTask>) return "putaway.task";
  else if constexpr (std::is_same_v<T, ReplenishTask>) return "replenish.task";
  else if constexpr (std::is_same_v<T, CountTask>) return "count.task";
  else if constexpr (std::is_same_v<T, Ack>) return "ack";
  else if constexpr (std::is_same_v<T, ServerError>) return "error";
  else if constexpr (std::is_same_v<T, SignIn>) return "signin";
  else if constexpr (std::is_same_v<T, SignOut>) return "signout";
  else if constexpr (std::is_same_v<T, Scan>) return "scan";
  else if constexpr (std::is_same_v<T, PickConfirm>) return "pick.confirm";
  else if constexpr (std::is_same_v<T, PickShort>) return "pick.short";
  else if constexpr (std::is_same_v<T, BatchDone>) return "batch.done";
  else if constexpr (std::is_same_v<T, PackRequest>) return "pack.request";
  else if constexpr (std::is_same_v<T, PackConfirm>) return "pack.confirm";
  else if constexpr (std::is_same_v<T, PackShort>) return "pack.short";
  else if constexpr (std::is_same_v<T, ShipConfirm>) return "ship.confirm";
  else if constexpr (std::is_same_v<T, LabelRequest>) return "label.request";
  else if constexpr (std::is_same_v<T, ReceiveRequest>) return "receive.request";
  else if constexpr (std::is_same_v<T, ReceiveConfirm>) return "receive.confirm";
  else if constexpr (std::is_same_v<T, PutawayRequest>) return "putaway.request";
  else if constexpr (std::is_same_v<T, PutawayConfirm>) return "putaway.confirm";
  else if constexpr (std::is_same_v<T, ReplenishRequest>) return "replenish.request";
  else if constexpr (std::is_same_v<T, ReplenishConfirm>) return "replenish.confirm";
  else if constexpr (std::is_same_v<T, CountRequest>) return "count.request";
  else if constexpr (std::is_same_v<T, CountConfirm>) return "count.confirm";
  else if constexpr (std::is_same_v<T, StationScan>) return "station.scan";
  else if constexpr (std::is_same_v<T, Presence>) return "status";
  else {
    static_assert(std::is_same_v<T, Heartbeat>, "every message type needs a wire name");
    return "heartbeat";
  }
}

}  // namespace

std::string_view typeName(const Message& message) noexcept {
  return std::visit([](const auto& m) { return nameOf<std::decay_t<decltype(m)>>(); }, message);
}

TopicKind topicKindOf(const Message& message) noexcept {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Presence>) return TopicKind::Status;
        else if constexpr (std::is_same_v<T, Heartbeat>) return TopicKind::Heartbeat;
        else if constexpr (std::is_base_of_v<EventBase, T>) return TopicKind::Events;
        else return TopicKind::Commands;
      },
      message);
}

std::string topicOf(const Message& message) { return topicFor(baseOf(message).device, topicKindOf(message)); }

const MessageBase& baseOf(const Message& message) noexcept {
  return std::visit([](const auto& m) -> const MessageBase& { return m; }, message);
}

MessageBase& baseOf(Message& message) noexcept {
  return std::visit([](auto& m) -> MessageBase& { return m; }, message);
}

const std::string* eventIdOf(const Message& message) noexcept {
  return std::visit(
      [](const auto& m) -> const std::string* {
        if constexpr (std::is_base_of_v<EventBase, std::decay_t<decltype(m)>>) return &m.eventId;
        else return nullptr;
      },
      message);
}

std::string_view toString(AckResult value) noexcept {
  switch (value) {
    case AckResult::Applied: return "applied";
    case AckResult::Duplicate: return "duplicate";
    case AckResult::Rejected: return "rejected";
  }
  return "rejected";
}

std::string_view toString(WorkMode value) noexcept {
  switch (value) {
    case WorkMode::Pick: return "pick";
    case WorkMode::Pack: return "pack";
    case WorkMode::Receive: return "receive";
    case WorkMode::Putaway: return "putaway";
    case WorkMode::Replenish: return "replenish";
    case WorkMode::Count: return "count";
  }
  return "pick";
}

std::string_view toString(PackShortReason value) noexcept {
  return value == PackShortReason::Missing ? "missing" : "damaged";
}

std::string_view toString(ItemCondition value) noexcept {
  return value == ItemCondition::Damaged ? "damaged" : "good";
}

std::string_view toString(ShortReason value) noexcept {
  switch (value) {
    case ShortReason::Empty: return "empty";
    case ShortReason::Damaged: return "damaged";
    case ShortReason::NotFound: return "not_found";
    case ShortReason::Other: return "other";
  }
  return "other";
}

std::string_view toString(ScanStep value) noexcept {
  switch (value) {
    case ScanStep::Location: return "location";
    case ScanStep::Item: return "item";
    case ScanStep::Tote: return "tote";
  }
  return "item";
}

std::string_view toString(LabelFormat value) noexcept {
  switch (value) {
    case LabelFormat::Zpl: return "zpl";
    case LabelFormat::Pdf: return "pdf";
    case LabelFormat::Png: return "png";
  }
  return "zpl";
}

std::string_view toString(PresenceState value) noexcept {
  switch (value) {
    case PresenceState::Online: return "online";
    case PresenceState::Offline: return "offline";
  }
  return "offline";
}

}  // namespace wms::protocol
