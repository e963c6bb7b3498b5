// wmsctl: the admin command line. A thin shell: options, then Commands.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "wms/apiclient/Client.h"
#include "Commands.h"

int main(int argc, char** argv) {
  const char* env = std::getenv("WMS_SERVER");
  std::string server = env && *env ? env : "http://127.0.0.1:8080";
  bool json = false;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--server" && i + 1 < argc) server = argv[++i];
    else if (a == "--json") json = true;
    else if (a == "-h" || a == "--help") {
      std::cout << wmsctl::usage();
      return 0;
    } else args.push_back(a);
  }
  wms::apiclient::Client client(server);
  wmsctl::Context ctx{client, json, std::cout, std::cerr};
  return wmsctl::run(ctx, args);
}
