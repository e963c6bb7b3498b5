// Helpers shared by the workflow state machines' .cpp files: visiting an
// Input, and the text of a scan as the dock events send it.
#pragma once

#include <optional>
#include <string>

#include "wms/handheld/Barcode.h"
#include "wms/handheld/Gs1.h"

namespace wms::handheld::scans {

// The visitor of std::visit made of lambdas.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// What the dock events (receive.confirm, putaway.request) send as "the
// label as scanned": GS1 data in its bracketed form ("(01)...(10)L5"), which
// the server reads whatever symbology carried it (a DataBar's text lacks its
// AI 01); any other code as read, trimmed. nullopt when that is not a
// protocol barcode (empty, over 256 bytes, control characters).
std::optional<std::string> asSent(const Barcode& barcode, const Gs1ParseOptions& options);

// The SSCC (18 digits, valid check digit) a scan carries: AI 00 of GS1 data
// without a GTIN, or 18 bare digits. nullopt for anything else.
std::optional<std::string> ssccOf(const Barcode& barcode, const Gs1ParseOptions& options);

}  // namespace wms::handheld::scans
