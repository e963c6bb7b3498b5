// wms-fwbridge: the daemon between the handheld's hardware and wms-handheld.
// A thin shell over wms::fwbridge (Bridge.h); docs/firmware-protocol.md.
#include <csignal>
#include <iostream>

#include "wms/fwbridge/Daemon.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return wms::fwbridge::runDaemon(args, std::cout, std::cerr);
}
