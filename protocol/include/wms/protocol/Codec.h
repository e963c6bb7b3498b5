// JSON encoding and strict decoding of protocol messages.
//
// decode() accepts exactly the documented schema (docs/protocol.md): one JSON
// object of at most kMaxPayloadBytes, nested at most kMaxJsonDepth deep, with
// `type` and `v` = 1, every required field present with the right JSON type,
// integers exact (no fractions, exponents or overflow) and in range, strings
// within their charset and length, arrays within their counts, and no field
// that the type does not define (unknown or duplicate fields are errors: a
// misspelt optional field must not be silently dropped). The Error of a
// rejected payload names the field by its path, e.g. "task.assign:
// stops[3].qty must be an integer 1..100000, got 0".
//
// Error kinds: TooLarge (payload size), Malformed (not JSON, not an object,
// too deep), Invalid (schema: unknown type or version, missing/extra field,
// wrong type, out of range), Forbidden (decodeFromTopic: the payload's device
// is not the topic's device, or the type does not belong on that channel).
//
// All functions are thread-safe (no shared state) and never throw on bad
// input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/protocol/Messages.h"

namespace wms::protocol {

// Deepest nesting of objects/arrays decode() accepts (the deepest message
// needs 5).
inline constexpr std::size_t kMaxJsonDepth = 8;

// Checks a message against the limits and rules of its type, as decode()
// would. Errors are ErrorKind::Invalid with the field path.
Status validate(const Message& message);

// The JSON payload of a message: compact, fields in documented order,
// optional fields omitted when empty. Throws std::invalid_argument (with the
// validate() message) if the message is invalid: building an invalid message
// is a bug of the caller, and what encode() returns always decodes to an
// equal message.
std::string encode(const Message& message);

// Decodes and validates one payload. See the file comment for the errors.
Result<Message> decode(std::string_view payload);

// Decodes a payload received on `topic` and checks that it may come from
// there: the topic parses (parseTopic), the payload decodes, the payload's
// `device` equals the topic's device, and the type belongs on the topic's
// channel (events on evt, heartbeat on hb, status on status, server messages
// on cmd). The server uses this for every incoming message; the ACL of the
// broker guarantees that only the device itself can publish on its topics.
Result<Message> decodeFromTopic(std::string_view topic, std::string_view payload);

// For a payload that decode() or decodeFromTopic() rejected: its event_id,
// if the payload is a JSON object within the size limit whose "event_id" is
// a valid event id; std::nullopt otherwise. The server answers such an event
// with a rejected ack (so that the device stops resending it and can show
// the error) and anything else with an `error` message.
std::optional<std::string> peekEventId(std::string_view payload);

// Any string made into valid protocol text (for error messages built from
// arbitrary content): bytes that are not valid UTF-8 and control characters
// become '?', the result is cut at a character boundary to at most
// kMaxTextLength bytes (ending in "..." when cut), and "" becomes "-".
std::string fitText(std::string_view text);

// The wire name of an error kind ("invalid", "not_found", ...) back to the
// kind; Invalid error if the name is unknown.
Result<ErrorKind> errorKindFromString(std::string_view name);

}  // namespace wms::protocol
