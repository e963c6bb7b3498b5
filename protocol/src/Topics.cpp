#include "wms/protocol/Topics.h"

#include <array>
#include <stdexcept>

namespace wms::protocol {
namespace {

constexpr std::array<TopicKind, 4> kTopicKinds = {TopicKind::Events, TopicKind::Heartbeat, TopicKind::Status,
                                              TopicKind::Commands};

// Topic names are shown in error messages; keep them short and printable.
std::string shown(std::string_view topic) {
  std::string out;
  for (char c : topic.substr(0, 120)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (topic.size() > 120) out += "...";
  return out;
}

Error topicError(std::string_view topic, const std::string& what) {
  return makeError(ErrorKind::Invalid, "topic '" + shown(topic) + "': " + what);
}

}  // namespace

std::string_view toString(TopicKind channel) noexcept {
  switch (channel) {
    case TopicKind::Events: return "evt";
    case TopicKind::Heartbeat: return "hb";
    case TopicKind::Status: return "status";
    case TopicKind::Commands: return "cmd";
  }
  return "evt";
}

int qosOf(TopicKind channel) noexcept { return channel == TopicKind::Heartbeat ? 0 : 1; }

bool retainedOn(TopicKind channel) noexcept { return channel == TopicKind::Status; }

bool isValidDeviceId(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxDeviceIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string topicFor(std::string_view device, TopicKind channel) {
  if (!isValidDeviceId(device)) {
    throw std::invalid_argument("topicFor: invalid device id '" + shown(device) + "'");
  }
  std::string topic(kTopicPrefix);
  topic.append(device);
  topic += '/';
  topic.append(toString(channel));
  return topic;
}

std::string filterForAllDevices(TopicKind channel) {
  std::string filter(kTopicPrefix);
  filter += "+/";
  filter.append(toString(channel));
  return filter;
}

Result<TopicAddress> parseTopic(std::string_view topic) {
  if (topic.size() > kTopicPrefix.size() + kMaxDeviceIdLength + 8) {
    return topicError(topic, "longer than any topic of the protocol");
  }
  if (topic.substr(0, kTopicPrefix.size()) != kTopicPrefix) {
    return topicError(topic, "does not start with '" + std::string(kTopicPrefix) + "'");
  }
  std::string_view rest = topic.substr(kTopicPrefix.size());
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return topicError(topic, "has no channel after the device id");
  std::string_view device = rest.substr(0, slash);
  std::string_view channel = rest.substr(slash + 1);
  if (!isValidDeviceId(device)) {
    return topicError(topic, "device id must be 1-64 characters of [A-Za-z0-9_-]");
  }
  for (TopicKind c : kTopicKinds) {
    if (channel == toString(c)) return TopicAddress{std::string(device), c};
  }
  return topicError(topic, "unknown channel '" + shown(channel) + "' (expected evt, hb, status or cmd)");
}

}  // namespace wms::protocol
