// wms-fwsim: the firmware simulator (a microcontroller and an SSI scan
// engine on pseudo-terminals), driven by a script. A thin shell over
// wms::fwsim; see README.md.
#include <iostream>

#include "wms/fwsim/Simulators.h"

int main(int argc, char** argv) {
  return wms::fwsim::runFwsim(std::vector<std::string>(argv + 1, argv + argc), std::cin, std::cout,
                              std::cerr);
}
