// Internal: how the channels read a payload (a webhook body, an API answer)
// with the one reader, wms::json. Unknown fields are allowed (channels add
// fields all the time); whole numbers may also come as decimal strings; the
// body is at most kMaxPayloadBytes, nested at most kMaxPayloadDepth levels.
// Problems name the field's path ("line_items[2].quantity must be a whole
// number") and are Invalid; a body that is not JSON is Malformed.
#pragma once

#include <string_view>

#include "wms/channels/Payloads.h"
#include "wms/common/Result.h"
#include "wms/json/ObjectReader.h"

namespace wms::channels {

inline constexpr json::Rules kPayloadRules{.maxBytes = kMaxPayloadBytes,
                                           .maxDepth = kMaxPayloadDepth,
                                           .unknown = json::Unknown::Allow,
                                           .integersAsText = true,
                                           .wording = {.empty = "{what}: the body is empty"}};

// `what` names the payload in errors ("Shopify order").
inline Result<json::ObjectReader> readPayload(std::string_view body, std::string_view what) {
  return json::ObjectReader::parse(body, what, kPayloadRules);
}

}  // namespace wms::channels
