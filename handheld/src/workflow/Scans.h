// Helpers shared by the workflow state machines' .cpp files: visiting an
// Input, and the text of a scan as the dock events send it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "Text.h"
#include "wms/handheld/Barcode.h"
#include "wms/handheld/Gs1.h"
#include "wms/handheld/ScanMatch.h"
#include "wms/handheld/Workflow.h"

namespace wms::handheld::scans {

// The visitor of std::visit made of lambdas.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// The lines of a task (anything with `sku` and `barcodes`) an item scan
// matches, in the task's order; when it matches none, the first Invalid
// error (a barcode of a kind items do not have, bad GS1 data) if any.
struct LineMatch {
  std::vector<std::size_t> lines;
  std::optional<Error> invalid;
};

template <class Line>
LineMatch matchLines(const Barcode& barcode, const std::vector<Line>& lines, const Gs1ParseOptions& options) {
  LineMatch out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ScanExpectation e;
    e.target = ScanTarget::Item;
    e.sku = lines[i].sku;
    e.itemBarcodes = lines[i].barcodes;
    auto m = matchScan(barcode, e, options);
    if (m) out.lines.push_back(i);
    else if (m.error().kind == ErrorKind::Invalid && !out.invalid) out.invalid = m.error();
  }
  if (!out.lines.empty()) out.invalid.reset();
  return out;
}

// The server command of type T meant for this device, or nullptr: another
// command, or one for another device, is ignored with a log line in `fx`.
template <class T>
const T* commandFor(const protocol::Message& message, const std::string& device, const char* mode, Effects& fx) {
  const auto* command = std::get_if<T>(&message);
  if (!command) {
    fx.log.push_back("ignored " + std::string(protocol::typeName(message)) + ": this handheld is in " + mode + " mode");
    return nullptr;
  }
  if (command->device != device) {
    fx.log.push_back("ignored " + std::string(protocol::typeName(message)) + " for device " +
                     text::shown(command->device) + " (this is " + device + ")");
    return nullptr;
  }
  return command;
}

// What the dock events (receive.confirm, putaway.request) send as "the
// label as scanned": GS1 data in its bracketed form ("(01)...(10)L5"), which
// the server reads whatever symbology carried it (a DataBar's text lacks its
// AI 01); any other code as read, trimmed. nullopt when that is not a
// protocol barcode (empty, over 256 bytes, control characters, not UTF-8).
std::optional<std::string> asSent(const Barcode& barcode, const Gs1ParseOptions& options);

// The SSCC (18 digits, valid check digit) a scan carries: AI 00 of GS1 data
// without a GTIN, or 18 bare digits. nullopt for anything else.
std::optional<std::string> ssccOf(const Barcode& barcode, const Gs1ParseOptions& options);

}  // namespace wms::handheld::scans
