// The MQTT topic tree of the handheld protocol (docs/protocol.md, "Topics").
//
// Every topic is wms/v1/dev/<device>/<channel>: a device publishes its events
// on `evt`, heartbeats on `hb` and its presence on `status`; the server
// publishes everything for a device (tasks, acknowledgements, errors) on its
// `cmd`. The broker's ACL (tools/broker) lets a device reach only its own
// four topics, and the username a device connects with is its device id.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::protocol {

// The protocol version: the `v1` segment of every topic and the `v` field of
// every payload.
inline constexpr int kProtocolVersion = 1;

// Every topic starts with this.
inline constexpr std::string_view kTopicPrefix = "wms/v1/dev/";

// A device id is 1..64 characters of [A-Za-z0-9_-]: it is the MQTT username
// and a topic level, so it can never contain '/', '+' or '#'.
inline constexpr std::size_t kMaxDeviceIdLength = 64;

// The last level of a topic: who publishes there and what.
enum class TopicKind {
  Events,     // "evt":    device -> server, QoS 1, events that the server acknowledges
  Heartbeat,  // "hb":     device -> server, QoS 0, periodic liveness and battery
  Status,     // "status": device -> server, QoS 1, retained presence; also the last will
  Commands,   // "cmd":    server -> device, QoS 1, tasks, acks and errors
};

// The topic level of a kind: "evt", "hb", "status" or "cmd". (Named TopicKind,
// not Channel: a channel in this project is a marketplace, domain::Channel.)
std::string_view toString(TopicKind channel) noexcept;

// The QoS a channel is published with (0 for Heartbeat, 1 otherwise) and
// whether its messages are retained (only Status).
int qosOf(TopicKind channel) noexcept;
bool retainedOn(TopicKind channel) noexcept;

// True if id is a valid device id (see kMaxDeviceIdLength).
bool isValidDeviceId(std::string_view id) noexcept;

// The topic of one device's channel, e.g. topicFor("HH-07", TopicKind::Events)
// == "wms/v1/dev/HH-07/evt". Throws std::invalid_argument if device is not a
// valid device id (a caller's bug: ids are validated where they enter).
std::string topicFor(std::string_view device, TopicKind channel);

// The filter matching one channel of every device, e.g. "wms/v1/dev/+/evt";
// what the server subscribes to.
std::string filterForAllDevices(TopicKind channel);

// Where a message came from, read from its topic.
struct TopicAddress {
  std::string device;
  TopicKind channel = TopicKind::Events;

  friend bool operator==(const TopicAddress&, const TopicAddress&) = default;
};

// Parses a topic of the tree strictly: the exact prefix, a valid device id, a
// known channel and nothing after it. Errors (ErrorKind::Invalid) name what is
// wrong, e.g. "topic 'wms/v1/dev/a+b/evt': device id must be 1-64 characters
// of [A-Za-z0-9_-]". Never throws.
Result<TopicAddress> parseTopic(std::string_view topic);

}  // namespace wms::protocol
