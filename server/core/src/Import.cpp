#include "Import.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace wms::server {

std::string encodeImportReport(const ImportReport& report) {
  Poco::JSON::Object o;
  o.set("rows", static_cast<Poco::UInt64>(report.rows));
  o.set("applied", static_cast<Poco::UInt64>(report.applied));
  Poco::JSON::Array errors;
  for (const auto& e : report.errors) {
    Poco::JSON::Object row;
    row.set("line", static_cast<Poco::UInt64>(e.line));
    row.set("message", e.message);
    errors.add(row);
  }
  o.set("errors", errors);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

ImportReport decodeImportReport(const std::string& text) {
  // The text was written by encodeImportReport in the same database; a
  // report that cannot be read back is reported as empty, not as a crash.
  ImportReport report;
  try {
    Poco::JSON::Parser parser;
    auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    report.rows = o->getValue<std::size_t>("rows");
    report.applied = o->getValue<std::size_t>("applied");
    auto errors = o->getArray("errors");
    for (std::size_t i = 0; errors && i < errors->size(); ++i) {
      auto e = errors->getObject(static_cast<unsigned>(i));
      report.errors.push_back({e->getValue<std::size_t>("line"), e->getValue<std::string>("message")});
    }
  } catch (const Poco::Exception&) {
  }
  return report;
}

}  // namespace wms::server
