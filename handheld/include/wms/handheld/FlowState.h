// The persistent state of the workflows as text (JSON), for the outbox's
// state table: what lets a restarted handheld resume its batch or order.
//
// Decoding treats the text as outside input (a file on the device can be
// damaged): every field is type- and range-checked, the protocol parts
// (stops, pack task, label) are validated as the protocol would, and any
// problem is an Error naming it; the caller then starts without the state.
// Consistency across fields (a phase that needs a task) is the flows'
// restore()'s to check.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "wms/common/Result.h"
#include "wms/handheld/PackFlow.h"
#include "wms/handheld/PickFlow.h"
#include "wms/handheld/CountFlow.h"
#include "wms/handheld/PutawayFlow.h"
#include "wms/handheld/ReceiveFlow.h"
#include "wms/handheld/ReplenishFlow.h"

namespace wms::handheld {

// Longest state text decode accepts (a batch of 1000 stops is ~0.5 MB).
inline constexpr std::size_t kMaxStateBytes = 4u << 20;

std::string encodePickState(const PickState& state);
// Errors: TooLarge, Malformed (not JSON / wrong types), Invalid (a value
// out of range or a protocol rule broken, e.g. a stop whose puts do not add
// up to its quantity).
Result<PickState> decodePickState(std::string_view text);

std::string encodePackState(const PackState& state);
Result<PackState> decodePackState(std::string_view text);

std::string encodeReceiveState(const ReceiveState& state);
Result<ReceiveState> decodeReceiveState(std::string_view text);

std::string encodePutawayState(const PutawayState& state);
Result<PutawayState> decodePutawayState(std::string_view text);

std::string encodeReplenishState(const ReplenishState& state);
Result<ReplenishState> decodeReplenishState(std::string_view text);

std::string encodeCountState(const CountState& state);
Result<CountState> decodeCountState(std::string_view text);

}  // namespace wms::handheld
