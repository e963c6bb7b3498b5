// wmsctl's commands. Each prints for a person (or JSON with --json) and
// returns the process exit code: 0 done, 1 refused or failed, 2 usage.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "wms/apiclient/Client.h"

namespace wmsctl {

struct Context {
  wms::apiclient::Client& client;
  bool json = false;
  std::ostream& out;
  std::ostream& err;
};

// Runs the command in args[0] with its arguments.
int run(Context& ctx, const std::vector<std::string>& args);

// The usage text.
std::string usage();

}  // namespace wmsctl
