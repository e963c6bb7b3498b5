// wms-bench-route: for each sample layout and pick-list size, routes the same
// random pick lists (fixed seed) with every method and prints one JSON object:
// each method's mean (and worst) distance relative to the optimum, and the time
// per route. The baseline, measured in the same run, is walking the pick list
// in the order given (shortest path between consecutive stops). Progress goes
// to stderr.
//
// Layouts: the three samples, and dc-two-block, the multi-block sample with one
// middle cross aisle instead of two.
//
// usage: wms-bench-route --samples DIR [--lists N] [--sizes 5,10,...] [--seed S]
#include <time.h>

#include <algorithm>
#include <fstream>
#include <cstdio>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"

using namespace wms::layouts;

// Time per route is measured as this thread's CPU time: on a shared machine
// wall-clock time mostly measures waiting for a core.
struct CpuClock {
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
  }
};

namespace {

struct Args {
  std::string samples;
  int lists = 1000;
  std::vector<int> sizes{5, 10, 20, 30, 50, 100};
  unsigned seed = 20240601;
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--samples") a.samples = v;
    else if (k == "--lists") a.lists = std::stoi(v);
    else if (k == "--seed") a.seed = static_cast<unsigned>(std::stoul(v));
    else if (k == "--sizes") {
      a.sizes.clear();
      std::stringstream s(v);
      std::string part;
      while (std::getline(s, part, ',')) a.sizes.push_back(std::stoi(part));
    } else {
      return false;
    }
  }
  return !a.samples.empty() && a.lists > 0 && !a.sizes.empty();
}

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// The multi-block sample with only one middle cross aisle (two blocks of 21
// bays): Roodbergen & de Koster's case, which Method::Best routes exactly.
wms::Result<Layout> twoBlockVariant(const std::string& samples) {
  std::ifstream in(samples + "/dc-multi-block.json");
  std::stringstream text;
  text << in.rdbuf();
  auto spec = parseLayoutSpec(text.str());
  if (!spec) return spec.error();
  auto& s = *spec;
  s.crossAisles = {s.crossAisles.front(), CrossAisleSpec{"middle", 45.8, 3.0}, s.crossAisles.back()};
  s.blocks = {BlockSpec{"front-block", 21, 4}, BlockSpec{"back-block", 21, 5}};
  for (auto& a : s.aisles) a.baysPerSide.clear();
  s.zones = {ZoneSpec{"A", "front", 1, 36, {"front-block"}}, ZoneSpec{"B", "back", 1, 36, {"back-block"}}};
  return Layout::build(s);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse(argc, argv, args)) {
    std::cerr << "usage: wms-bench-route --samples DIR [--lists N] [--sizes 5,10,20] [--seed S]\n";
    return 2;
  }
  const Method methods[] = {Method::Optimal,    Method::SShape,   Method::Return,      Method::Midpoint,
                            Method::LargestGap, Method::Combined, Method::LocalSearch, Method::Given};
  std::string out = "{\"benchmark\": \"route\", \"lists_per_size\": " + std::to_string(args.lists) +
                    ", \"seed\": " + std::to_string(args.seed) +
                    ", \"time\": \"thread CPU time per route, microseconds\"" +
                    ", \"baseline\": \"given (the pick list's own order, shortest path between stops)\", \"layouts\": [";
  bool firstLayout = true;
  for (const std::string name : {"store-backroom", "dc-single-block", "dc-two-block", "dc-multi-block"}) {
    auto layout = name == "dc-two-block" ? twoBlockVariant(args.samples) : loadLayout(args.samples + "/" + name + ".json");
    if (!layout) {
      std::cerr << layout.error().message << "\n";
      return 1;
    }
    Router router(*layout);
    const char* best = layout->crossAisles().size() <= kBestExactCrossAisles ? "optimal" : "localsearch";
    out += std::string(firstLayout ? "" : ", ") + "{\"layout\": \"" + name + "\", \"best\": \"" + best +
           "\", \"aisles\": " +
           std::to_string(layout->aisles().size()) + ", \"cross_aisles\": " +
           std::to_string(layout->crossAisles().size()) + ", \"sizes\": [";
    firstLayout = false;
    bool firstSize = true;
    for (int size : args.sizes) {
      std::cerr << name << ": " << size << " picks x " << args.lists << " lists\n";
      std::mt19937 rng(args.seed + static_cast<unsigned>(size));
      std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(layout->locations().size() - 1));
      std::vector<std::vector<LocationId>> lists(static_cast<std::size_t>(args.lists));
      for (auto& l : lists) {
        for (int i = 0; i < size; ++i) l.push_back(LocationId{pick(rng)});
      }
      std::vector<Millimetres> optimum(lists.size());
      std::string methodsJson;
      Route route;
      for (Method m : methods) {
        RouteOptions options;
        options.method = m;
        options.withPath = false;
        std::vector<Millimetres> dist(lists.size());
        const double t0 = CpuClock::now();
        for (std::size_t i = 0; i < lists.size(); ++i) {
          if (!router.routeInto(lists[i], options, route)) return 1;
          dist[i] = route.distanceMm;
        }
        const double us = (CpuClock::now() - t0) / double(lists.size());
        if (m == Method::Optimal) optimum = dist;
        double sum = 0, worst = 0, metres = 0;
        for (std::size_t i = 0; i < lists.size(); ++i) {
          const double r = optimum[i] ? double(dist[i]) / double(optimum[i]) : 1.0;
          sum += r;
          worst = std::max(worst, r);
          metres += double(dist[i]) / 1000.0;
        }
        methodsJson += std::string(methodsJson.empty() ? "" : ", ") + "\"" + std::string(toString(m)) +
                       "\": {\"mean_m\": " + fmt(metres / double(lists.size()), 1) + ", \"ratio_mean\": " +
                       fmt(sum / double(lists.size()), 4) + ", \"ratio_max\": " + fmt(worst, 4) +
                       ", \"us_per_route\": " + fmt(us, 1) + "}";
      }
      // Length only (no stops, no path): what a planner evaluating batches calls.
      RouteOptions lengthOnly;
      lengthOnly.method = Method::Optimal;
      const double t0 = CpuClock::now();
      for (const auto& l : lists) {
        if (!router.length(l, lengthOnly)) return 1;
      }
      const double lengthUs = (CpuClock::now() - t0) / double(lists.size());
      out += std::string(firstSize ? "" : ", ") + "{\"picks\": " + std::to_string(size) + ", \"methods\": {" +
             methodsJson + "}, \"optimal_length_only_us\": " + fmt(lengthUs, 1) + "}";
      firstSize = false;
    }
    out += "]}";
  }
  out += "]}";
  std::cout << out << "\n";
  return 0;
}
