#include "wms/testsupport/PackingStation.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>

namespace wms::testsupport {

Status packOverRest(const WmsdProcess& wmsd, std::int64_t orderId, const std::string& station) {
  HttpResult last;
  auto post = [&](const std::string& path, const std::string& body) {
    last = wmsd.post(path, body, {{"Content-Type", "application/json"}});
    if (last.status >= 300) return Status(Error{ErrorKind::Conflict, path + ": " + std::to_string(last.status) + " " + last.body});
    return Status{};
  };
  try {
    const std::string id = std::to_string(orderId);
    if (auto st = post("/api/v1/packing/sessions", R"({"code":"SO-)" + id + R"(","station":")" + station + R"("})"); !st)
      return st;
    Poco::JSON::Parser parser;
    auto view = parser.parse(last.body).extract<Poco::JSON::Object::Ptr>();
    const std::string session = "/api/v1/packing/sessions/" + view->get("session_id").toString();
    std::map<int, std::string> scanText;
    auto lines = view->getArray("lines");
    for (unsigned i = 0; i < lines->size(); ++i) {
      auto l = lines->getObject(i);
      auto codes = l->getArray("barcodes");
      scanText[l->getValue<int>("line_no")] =
          codes && codes->size() > 0 ? codes->getElement<std::string>(0) : l->getValue<std::string>("sku");
    }
    auto cartons = view->getObject("suggestion")->getArray("cartons");
    if (!cartons || cartons->size() == 0) return Error{ErrorKind::Conflict, "order " + id + " has no carton suggestion"};
    for (unsigned c = 0; c < cartons->size(); ++c) {
      auto carton = cartons->getObject(c);
      if (auto st = post(session + "/cartons", R"({"carton_type":")" + carton->getValue<std::string>("carton_type") + R"("})");
          !st)
        return st;
      auto items = carton->getArray("items");
      for (unsigned k = 0; k < items->size(); ++k) {
        auto item = items->getObject(k);
        if (auto st = post(session + "/scans", R"({"text":")" + scanText[item->getValue<int>("line_no")] + R"(","qty":)" +
                                                   std::to_string(item->getValue<int>("qty")) + "}");
            !st)
          return st;
      }
      if (auto st = post(session + "/cartons/close", "{}"); !st) return st;
    }
    return post(session + "/complete", "{}");
  } catch (const std::exception& e) {
    // A body that is not the session view the routes document.
    return Error{ErrorKind::Malformed, std::string("packing session answer: ") + e.what() + ": " + last.body.substr(0, 500)};
  }
}

}  // namespace wms::testsupport
