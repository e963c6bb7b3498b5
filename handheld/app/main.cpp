// wms-handheld: the scanner client. For now one mode, --decode (image files
// to JSON lines); the pick/pack workflow UI plugs in here.
#include <iostream>
#include <string>
#include <vector>

#include "wms/handheld/DecodeCommand.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--decode") {
    args.erase(args.begin());
    return wms::handheld::runDecodeCommand(args, std::cout, std::cerr);
  }
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: wms-handheld --decode ...\n\n" << wms::handheld::decodeCommandUsage();
    return 0;
  }
  std::cerr << "usage: wms-handheld --decode ...  (see --help)\n";
  return 2;
}
