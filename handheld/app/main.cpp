// wms-handheld: the scanner client (terminal UI or headless script, see
// HandheldCommand.h), and --decode (image files to JSON lines).
#include <iostream>
#include <string>
#include <vector>

#include "wms/handheld/DecodeCommand.h"
#include "wms/handheld/HandheldCommand.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--decode") {
    args.erase(args.begin());
    return wms::handheld::runDecodeCommand(args, std::cout, std::cerr);
  }
  return wms::handheld::runHandheldCommand(args, std::cout, std::cerr);
}
