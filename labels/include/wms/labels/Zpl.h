// ZPL II output for Zebra (and ZPL-compatible) label printers. Pure: no I/O.
//
// Every field's data goes through escapeZplFieldData under ^FH, so text from
// outside (names, addresses) can never end a field or start a command: a
// name "^XZ^XA" prints as those six characters. Labels start with ^CI28 so
// field data is UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Drawing.h"
#include "wms/labels/Label.h"
#include "wms/labels/Template.h"

namespace wms::labels {

struct ZplOptions {
  // Font used for text that is not plain ASCII (Thai, Vietnamese, CJK,
  // Arabic...): a font stored on the printer that covers those scripts,
  // called with ^A@. ASCII-only text uses the built-in scalable font ^A0.
  // Letters, digits and "_.:-" only.
  std::string unicodeFont = "E:TT0003M_.TTF";
  int copies = 1;  // ^PQ, 1..99
};

// Escapes text for a ^FD under ^FH_ (hex indicator '_'): '^', '~', '\\', '_'
// and every byte below 0x20 and 0x7F become _XX. Inside a field block
// (^FB, inFieldBlock = true) a backslash is written as two escaped
// backslashes, because ^FB reads "\\" as one backslash and "\&" as a line
// break. Other bytes (including UTF-8 sequences) pass unchanged.
std::string escapeZplFieldData(std::string_view text, bool inFieldBlock);

// One ^XA..^XZ label format for a drawing. Invalid if options are out of range.
Result<std::string> drawingToZpl(const Drawing& drawing, const ZplOptions& options = {});

// Several drawings as consecutive formats in one job.
Result<std::string> drawingsToZpl(const std::vector<Drawing>& drawings, const ZplOptions& options = {});

// The shipping label as ZPL for the template (layoutShippingLabel + drawingToZpl).
Result<std::string> renderZpl(const ShippingLabel& label, const Template& tmpl,
                              const ZplOptions& options = {});

}  // namespace wms::labels
