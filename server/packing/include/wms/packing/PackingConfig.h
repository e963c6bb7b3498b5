// The packing and printing settings: wmsd keys with the prefixes `packing.`
// and `printing.` (docs/packing.md lists every key with its default),
// parsed here so that a typo or a bad value is refused at start.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Label.h"
#include "wms/labels/PrintSpooler.h"
#include "wms/labels/Printer.h"
#include "wms/labels/Template.h"
#include "wms/packing/Carrier.h"
#include "wms/packing/Cartons.h"

namespace wms::packing {

// What happens to allocation a ship confirmation leaves (units of a line
// that were reserved but not shipped: short picks not yet released, units
// left out of the carton).
enum class UnshippedPolicy {
  Release,  // free it; the order is shipped (closed)
  Keep,     // keep it reserved; the order goes back to `allocated` for a later wave
};

// "release", "keep".
const char* toString(UnshippedPolicy policy) noexcept;

struct PrinterSettings {
  std::string id;   // how stations and requests name it, e.g. "ZEBRA-PACK-2"
  std::string uri;  // labels::makePrinter: tcp://HOST[:PORT], tcp+status://..., cups:QUEUE
  labels::DocumentFormat format = labels::DocumentFormat::Zpl;
  labels::LabelSize size = labels::LabelSize::FourBySix;
  labels::Dpi dpi = labels::Dpi::D203;
};

struct PackingConfig {
  // packing.ship_from.{name,company,line1,line2,city,region,postal_code,country,phone}
  labels::Address shipFrom;
  std::string orderReferencePrefix = "SO-";              // packing.order_reference_prefix
  UnshippedPolicy unshipped = UnshippedPolicy::Release;  // packing.unshipped_allocation
  std::string gs1CompanyPrefix = "0614141";              // packing.gs1_company_prefix (7-10 digits)
  int ssccExtension = 0;                                 // packing.sscc_extension (0-9)
  std::string defaultCarrier = "builtin";                // packing.default_carrier
  BuiltInCarrierOptions builtInCarrier;  // packing.builtin_carrier.{code,name,service_indicator,country}
  CartonCatalog cartons = defaultCartonCatalog();  // packing.cartons + packing.carton.<CODE>.*
  FitOptions fit;                                  // packing.box_fill, packing.mailer_fill

  // printing.printer.<ID>.{uri,format,size,dpi}
  std::vector<PrinterSettings> printers;
  std::string defaultPrinter;                          // printing.default_printer ("" = the only printer)
  std::map<std::string, std::string> stationPrinters;  // packing.station.<STATION>.printer
  labels::RetryPolicy retry{10, std::chrono::milliseconds(1000), 2.0, std::chrono::milliseconds(30000)};
  // printing.max_attempts, .initial_backoff_ms, .max_backoff_ms

  const PrinterSettings* printer(const std::string& id) const;
};

// Reads every `packing.*` and `printing.*` key of `raw` (other keys are
// ignored). Invalid naming the key for an unknown key or a bad value. The
// ship-from address is checked when a shipment is made, not here, so a
// server that does not ship starts without one.
Result<PackingConfig> packingConfigFrom(const std::map<std::string, std::string>& raw);

}  // namespace wms::packing
