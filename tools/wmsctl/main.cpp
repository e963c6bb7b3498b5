// wmsctl: the admin command line. A thin shell: options, then Commands.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "wms/apiclient/Client.h"
#include "Commands.h"

int main(int argc, char** argv) {
  const char* env = std::getenv("WMS_SERVER");
  std::string server = env && *env ? env : "http://127.0.0.1:8080";
  bool json = false;
  std::string tokenFile;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--server" && i + 1 < argc) server = argv[++i];
    else if (a == "--token-file" && i + 1 < argc) tokenFile = argv[++i];
    else if (a == "--json") json = true;
    else if (a == "-h" || a == "--help") {
      std::cout << wmsctl::usage();
      return 0;
    } else args.push_back(a);
  }
  std::string token = wms::apiclient::Client::tokenFromEnvironment();
  if (!tokenFile.empty()) {
    // A file, not an argument: a token on the command line shows in `ps`.
    std::ifstream in(tokenFile);
    if (!in || !std::getline(in, token) || token.empty()) {
      std::cerr << "wmsctl: cannot read a token from " << tokenFile << "\n";
      return 2;
    }
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  }
  wms::apiclient::Client client(server, token);
  wmsctl::Context ctx{client, json, std::cout, std::cerr};
  return wmsctl::run(ctx, args);
}
