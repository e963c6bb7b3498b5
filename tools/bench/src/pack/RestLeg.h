// The baseline of the pack benchmark: picked orders packed and shipped
// through the packing REST routes, as the packing-station page does it,
// by N stations at once (one thread each, REST-01..): open a session on the
// order, open each suggested carton, verify every unit with its own scan
// request, close the carton, complete, book the shipment with its labels
// printed, confirm it shipped.
//
// Threading: runRestLeg starts its threads and returns when every order was
// tried.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wms::bench::pack {

struct RestLegResult {
  int orders = 0;            // orders given
  int shipped = 0;
  int cartons = 0;
  std::int64_t units = 0;
  int failures = 0;          // orders a request failed for
  std::vector<std::string> errors;  // the first few failures
  double seconds = 0;        // first request to last answer
  std::vector<double> scanMs;  // each unit scan's round trip (the station's wait)
};

// Packs and ships `orders` at stations `<stationPrefix>01`..`NN` with
// `stations` threads against wmsd at `api` ("http://127.0.0.1:PORT").
RestLegResult runRestLeg(const std::string& api, const std::vector<std::int64_t>& orders, int stations,
                         const std::string& stationPrefix);

}  // namespace wms::bench::pack
