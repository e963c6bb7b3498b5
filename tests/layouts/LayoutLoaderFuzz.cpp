// Fuzz target for src/LayoutLoader.cpp: any bytes either fail to load with an
// error or give a layout whose locations all route. Keeps per-run cost small:
// a few routes over a handful of locations.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "wms/layouts/LayoutLoader.h"
#include "wms/layouts/Router.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wms::layouts;
  auto layout = parseLayout(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!layout) {
    if (layout.error().message.empty()) __builtin_trap();
    return 0;
  }
  const auto locations = layout->locations();
  std::vector<LocationId> picks;
  for (std::size_t i = 0; i < locations.size() && picks.size() < 8; i += 1 + locations.size() / 8) {
    picks.push_back(LocationId{static_cast<std::uint32_t>(i)});
    if (layout->find(locations[i].code) != picks.back()) __builtin_trap();
  }
  Router router(*layout);
  Millimetres best = -1;
  for (Method m : {Method::Best, Method::SShape, Method::Combined}) {
    RouteOptions options;
    options.method = m;
    options.withPath = false;
    auto route = router.route(picks, options);
    if (!route) __builtin_trap();
    if (m == Method::Best) best = route->distanceMm;
    else if (route->optimal || (best >= 0 && route->distanceMm < best && router.supports(Method::Optimal).ok())) __builtin_trap();
  }
  return 0;
}
