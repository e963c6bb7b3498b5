// wms-route: routes a pick list through a warehouse layout and prints the
// route as one JSON object; also lists locations and prints distance matrices.
// A thin shell over wms::layouts; usage in docs/layouts.md and --help.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"
#include "wms/layouts/Svg.h"

namespace {

using namespace wms::layouts;

constexpr int kBadInput = 2;
constexpr int kFailure = 1;

const char* kUsage =
    "usage: wms-route --layout FILE [--method M] [--start PLACE] [--end PLACE] [--svg OUT] [--heat FILE] LOCATION...\n"
    "       wms-route --layout FILE --list-locations\n"
    "       wms-route --layout FILE --matrix LOCATION...\n"
    "       wms-route --layout FILE --svg OUT [--heat FILE]\n"
    "methods: sshape return midpoint largestgap combined optimal localsearch best given (default best)\n"
    "--heat FILE: lines \"LOCATION COUNT\" colouring the SVG by pick counts\n";

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

std::string metres(Millimetres mm) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%03lld", mm < 0 ? "-" : "", static_cast<long long>(std::llabs(mm) / 1000),
                static_cast<long long>(std::llabs(mm) % 1000));
  return buf;
}

int fail(int code, const std::string& message) {
  std::cerr << "wms-route: " << message << "\n";
  return code;
}

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

struct Args {
  std::string layout, method = "best", svg, heat, start, end;
  bool list = false, matrix = false, help = false;
  std::vector<std::string> locations;
};

std::optional<std::string> parseArgs(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& into) -> bool {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    if (arg == "--help" || arg == "-h") a.help = true;
    else if (arg == "--list-locations") a.list = true;
    else if (arg == "--matrix") a.matrix = true;
    else if (arg == "--layout") { if (!value(a.layout)) return "--layout needs a file"; }
    else if (arg == "--method") { if (!value(a.method)) return "--method needs a name"; }
    else if (arg == "--svg") { if (!value(a.svg)) return "--svg needs a file"; }
    else if (arg == "--heat") { if (!value(a.heat)) return "--heat needs a file"; }
    else if (arg == "--start") { if (!value(a.start)) return "--start needs a place name"; }
    else if (arg == "--end") { if (!value(a.end)) return "--end needs a place name"; }
    else if (arg.size() > 1 && arg[0] == '-' && arg[1] == '-') return "unknown option " + arg;
    else a.locations.push_back(arg);
  }
  if (a.help) return std::nullopt;
  if (a.layout.empty()) return "--layout FILE is required";
  if (a.list && a.matrix) return "--list-locations and --matrix cannot be combined";
  if (a.list && !a.locations.empty()) return "--list-locations takes no locations";
  return std::nullopt;
}

std::optional<std::string> lookupAll(const Layout& layout, const std::vector<std::string>& codes,
                                     std::vector<LocationId>& out) {
  for (const auto& code : codes) {
    auto id = layout.lookup(code);
    if (!id) return id.error().message;
    out.push_back(*id);
  }
  return std::nullopt;
}

std::optional<std::string> readHeat(const Layout& layout, const std::string& path, std::vector<HeatEntry>& out) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read heat file";
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string code, count, extra;
    fields >> code >> count;
    if (code.empty()) continue;
    if (count.empty() || (fields >> extra)) return path + ":" + std::to_string(n) + ": expected \"LOCATION COUNT\"";
    auto id = layout.lookup(code);
    if (!id) return path + ":" + std::to_string(n) + ": " + id.error().message;
    if (count.size() > 18 || count.find_first_not_of("0123456789") != std::string::npos) {
      return path + ":" + std::to_string(n) + ": count must be a whole number >= 0, got '" + count + "'";
    }
    out.push_back(HeatEntry{*id, std::stoull(count)});
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) try {
  Args args;
  if (auto err = parseArgs(argc, argv, args)) return fail(kBadInput, *err + "\n" + kUsage);
  if (args.help) {
    std::cout << kUsage;
    return 0;
  }
  auto layout = loadLayout(args.layout);
  if (!layout) return fail(kBadInput, layout.error().message);

  if (args.list) {
    std::string out;
    for (const auto& loc : layout->locations()) {
      out += loc.code + " " + metres(loc.pick.x) + " " + metres(loc.pick.y) + "\n";
    }
    std::cout << out;
    return std::cout.flush() ? 0 : kFailure;
  }

  std::vector<LocationId> picks;
  if (auto err = lookupAll(*layout, args.locations, picks)) return fail(kBadInput, *err);

  if (args.matrix) {
    std::string out = "{\"labels\": [\"depot\"";
    for (const auto& code : args.locations) out += ", " + jsonString(code);
    out += "], \"m\": [";
    const std::size_t n = picks.size() + 1;
    for (std::size_t i = 0; i < n; ++i) {
      out += i ? ", [" : "[";
      for (std::size_t j = 0; j < n; ++j) {
        Millimetres d;
        if (i == 0 && j == 0) d = 0;
        else if (i == 0) d = layout->distance(layout->depot(), picks[j - 1]);
        else if (j == 0) d = layout->distance(layout->depot(), picks[i - 1]);
        else d = layout->distance(picks[i - 1], picks[j - 1]);
        out += (j ? ", " : "") + metres(d);
      }
      out += "]";
    }
    out += "]}\n";
    std::cout << out;
    return std::cout.flush() ? 0 : kFailure;
  }

  std::vector<HeatEntry> heat;
  if (!args.heat.empty()) {
    if (args.svg.empty()) return fail(kBadInput, "--heat is used with --svg");
    if (auto err = readHeat(*layout, args.heat, heat)) return fail(kBadInput, *err);
  }

  auto method = parseMethod(args.method);
  if (!method) return fail(kBadInput, "unknown method '" + args.method + "'\n" + kUsage);
  RouteOptions options;
  options.method = *method;
  for (auto [name, into] : {std::pair{&args.start, &options.start}, std::pair{&args.end, &options.end}}) {
    if (name->empty()) continue;
    auto place = layout->findPlace(*name);
    if (!place) return fail(kBadInput, "unknown place '" + *name + "': not the depot or a packing station of the layout");
    *into = *place;
  }

  // Only a drawing of the layout (with heat) when no locations are given.
  if (args.locations.empty() && !args.svg.empty()) {
    SvgOptions svg;
    svg.heat = heat;
    if (!writeFile(args.svg, renderSvg(*layout, svg))) return fail(kFailure, args.svg + ": cannot write SVG");
    std::cout << "{\"svg\": " << jsonString(args.svg) << "}\n";
    return std::cout.flush() ? 0 : kFailure;
  }

  Router router(*layout);
  auto route = router.route(picks, options);
  if (!route) return fail(kBadInput, route.error().message);

  std::string out = "{\"method\": " + jsonString(toString(route->method)) +
                    ", \"optimal\": " + (route->optimal ? "true" : "false") +
                    ", \"distance_m\": " + metres(route->distanceMm) +
                    ", \"start\": " + jsonString(layout->place(options.start.value_or(layout->depot())).name) +
                    ", \"end\": " + jsonString(layout->place(options.end.value_or(layout->depot())).name) +
                    ", \"stops\": [";
  for (std::size_t i = 0; i < route->stops.size(); ++i) {
    out += (i ? ", " : "") + jsonString(layout->location(route->stops[i]).code);
  }
  out += "], \"path_m\": [";
  for (std::size_t i = 0; i < route->path.size(); ++i) {
    out += (i ? ", [" : "[") + metres(route->path[i].x) + ", " + metres(route->path[i].y) + "]";
  }
  out += "]}\n";
  if (!args.svg.empty()) {
    SvgOptions svg;
    svg.route = &*route;
    svg.heat = heat;
    if (!writeFile(args.svg, renderSvg(*layout, svg))) return fail(kFailure, args.svg + ": cannot write SVG");
  }
  std::cout << out;
  return std::cout.flush() ? 0 : kFailure;
} catch (const std::exception& e) {
  return fail(kFailure, std::string("internal error: ") + e.what());
}
