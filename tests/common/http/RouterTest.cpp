#define BOOST_TEST_MODULE common_http
// The one router (wms/http/Router.h): matching, the router's own refusals,
// and the one error body and status map every endpoint answers with.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "wms/common/HttpStatus.h"
#include "wms/http/Router.h"

using namespace wms;
using http::Request;
using http::Response;
using http::Router;

namespace {

Request request(std::string method, std::string path, std::string body = {}) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  return r;
}

// What the handler saw, as text: its params joined by '|'.
Response echoParams(const Request& req) {
  std::string out;
  for (const auto& p : req.params) out += (out.empty() ? "" : "|") + p;
  return Response::text(200, out);
}

const ErrorKind kAllKinds[] = {ErrorKind::Malformed,    ErrorKind::Invalid,           ErrorKind::NotFound,
                               ErrorKind::Conflict,     ErrorKind::InsufficientStock, ErrorKind::TooLarge,
                               ErrorKind::Unauthorized, ErrorKind::Forbidden,         ErrorKind::Unavailable,
                               ErrorKind::Internal};

// How server/core wrote the error body before it moved to wms::http.
std::string pocoErrorBody(const Error& e) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("error", std::string(toString(e.kind)));
  o->set("detail", e.message);
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_router)

BOOST_AUTO_TEST_CASE(placeholders_take_one_non_empty_segment_each_and_reach_the_handler_in_order) {
  Router router;
  router.add("GET", "/api/v1/shipments/{id}/cartons/{n}/{file}", echoParams);
  auto r = router.route(request("GET", "/api/v1/shipments/17/cartons/2/label.png"));
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == "17|2|label.png");
  // Empty segments do not count: "//" and a trailing '/' read as one '/'.
  BOOST_TEST(router.route(request("GET", "/api/v1//shipments/17/cartons/2/label.png/")).body ==
             "17|2|label.png");
  // A placeholder is one segment: a missing or an extra one is another path.
  BOOST_TEST(router.route(request("GET", "/api/v1/shipments/17/cartons/2")).status == 404);
  BOOST_TEST(router.route(request("GET", "/api/v1/shipments/17/cartons/2/a/b")).status == 404);
  // "{}" is not a placeholder but a literal segment.
  router.add("GET", "/x/{}", echoParams);
  BOOST_TEST(router.route(request("GET", "/x/{}")).status == 200);
  BOOST_TEST(router.route(request("GET", "/x/y")).status == 404);
}

BOOST_AUTO_TEST_CASE(the_first_route_added_for_a_path_wins) {
  Router router;
  router.add("GET", "/skus/{code}", [](const Request&) { return Response::text(200, "placeholder"); });
  router.add("GET", "/skus/export", [](const Request&) { return Response::text(200, "literal"); });
  BOOST_TEST(router.route(request("GET", "/skus/export")).body == "placeholder");
}

BOOST_AUTO_TEST_CASE(a_path_no_route_has_is_404_and_a_method_the_path_does_not_take_is_405) {
  Router router;
  router.add("GET", "/api/v1/orders/{id}", echoParams);
  router.add("POST", "/api/v1/orders", echoParams);

  auto missing = router.route(request("GET", "/api/v1/nothing"));
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.contentType == "application/json");
  BOOST_TEST(missing.body == R"({"error":"not_found","detail":"no such endpoint: GET /api/v1/nothing"})");

  auto wrongMethod = router.route(request("DELETE", "/api/v1/orders/7"));
  BOOST_TEST(wrongMethod.status == 405);
  BOOST_TEST(wrongMethod.body == R"({"error":"malformed","detail":"method DELETE is not allowed here"})");

  auto m = router.match("PUT", "/api/v1/orders");
  BOOST_TEST(!m.handler);
  BOOST_TEST(m.pathKnown);
  m = router.match("PUT", "/api/v1/invoices");
  BOOST_TEST(!m.handler);
  BOOST_TEST(!m.pathKnown);
}

BOOST_AUTO_TEST_CASE(match_reports_the_body_limit_and_params_of_the_route_that_matched) {
  Router router;
  router.add("POST", "/api/v1/imports", echoParams, 32u << 20);
  router.add("POST", "/api/v1/orders/{id}/notes", echoParams, 4096);
  router.add("GET", "/healthz", echoParams);

  auto imports = router.match("POST", "/api/v1/imports");
  BOOST_REQUIRE(imports.handler);
  BOOST_TEST(imports.maxBody == 32u << 20);
  auto notes = router.match("POST", "/api/v1/orders/12/notes");
  BOOST_REQUIRE(notes.handler);
  BOOST_TEST(notes.maxBody == 4096u);
  BOOST_TEST(notes.params == std::vector<std::string>{"12"}, boost::test_tools::per_element());
  BOOST_TEST(router.match("GET", "/healthz").maxBody == Router::kDefaultMaxBody);
  // route() leaves reading within the limit to its caller: it hands the body on as it is.
  router.add(
      "PUT", "/echo", [](const Request& req) { return Response::text(200, req.body); }, 4);
  BOOST_TEST(router.route(request("PUT", "/echo", "longer than four")).body == "longer than four");
}

BOOST_AUTO_TEST_CASE(a_handler_that_throws_answers_500_with_the_error_body_and_the_log_gets_the_text) {
  Router router;
  std::vector<std::string> logged;
  router.onHandlerFailure([&logged](const Request& req, const std::string& what) {
    logged.push_back(req.method + " " + req.path + ": " + what);
  });
  router.add("POST", "/boom/{id}",
             [](const Request&) -> Response { throw std::runtime_error("disk on fire"); });
  router.add("GET", "/odd", [](const Request&) -> Response { throw 42; });

  auto r = router.route(request("POST", "/boom/3"));
  BOOST_TEST(r.status == 500);
  BOOST_TEST(r.contentType == "application/json");
  // The client gets no internals; the log does.
  BOOST_TEST(r.body == R"({"error":"internal","detail":"internal error; see the server log"})");
  BOOST_TEST(router.route(request("GET", "/odd")).status == 500);
  BOOST_TEST(logged == (std::vector<std::string>{"POST /boom/3: disk on fire",
                                                 "GET /odd: an exception that is not a std::exception"}),
             boost::test_tools::per_element());

  // Without a failure log it is still a 500, not an exception.
  Router quiet;
  quiet.add("GET", "/boom", [](const Request&) -> Response { throw std::logic_error("bug"); });
  BOOST_TEST(quiet.route(request("GET", "/boom")).status == 500);
}

BOOST_AUTO_TEST_CASE(every_error_kind_answers_its_httpStatusOf_with_the_error_body) {
  for (ErrorKind kind : kAllKinds) {
    const Error e{kind, "what was wrong"};
    auto r = Response::error(e);
    BOOST_TEST(r.status == httpStatusOf(kind), toString(kind));
    BOOST_TEST(r.contentType == "application/json");
    BOOST_TEST(r.body == std::string(R"({"error":")") + toString(kind) + R"(","detail":"what was wrong"})");
    BOOST_TEST(r.body == http::errorBody(e));
  }
  // The statuses docs/api.md lists.
  BOOST_TEST(Response::error({ErrorKind::Malformed, ""}).status == 400);
  BOOST_TEST(Response::error({ErrorKind::Invalid, ""}).status == 422);
  BOOST_TEST(Response::error({ErrorKind::NotFound, ""}).status == 404);
  BOOST_TEST(Response::error({ErrorKind::Conflict, ""}).status == 409);
  BOOST_TEST(Response::error({ErrorKind::InsufficientStock, ""}).status == 409);
  BOOST_TEST(Response::error({ErrorKind::TooLarge, ""}).status == 413);
  BOOST_TEST(Response::error({ErrorKind::Unavailable, ""}).status == 503);
  BOOST_TEST(Response::error({ErrorKind::Internal, ""}).status == 500);
}

BOOST_AUTO_TEST_CASE(the_error_body_escapes_as_core_wrote_it_with_poco_json) {
  BOOST_TEST(http::errorBody({ErrorKind::Conflict, "order 1 is \"packed\"\n"}) ==
             R"({"error":"conflict","detail":"order 1 is \"packed\"\n"})");
  BOOST_TEST(http::errorBody({ErrorKind::Invalid, "a\\b/c\t\r\b\f\x01\x1f\x7f"}) ==
             "{\"error\":\"invalid\",\"detail\":\"a\\\\b/c\\t\\r\\b\\f\\u0001\\u001F\x7f\"}");
  BOOST_TEST(http::errorBody({ErrorKind::NotFound, std::string("nul\0end", 7)}) ==
             R"({"error":"not_found","detail":"nul\u0000end"})");
  BOOST_TEST(http::errorBody({ErrorKind::NotFound, "no SKU 'Nguy\xE1\xBB\x85n'"}) ==
             "{\"error\":\"not_found\",\"detail\":\"no SKU 'Nguy\xE1\xBB\x85n'\"}");
  // Every byte, against the writer core used before: the same bytes.
  std::string everyByte;
  for (int c = 0; c < 256; ++c) everyByte += static_cast<char>(c);
  for (ErrorKind kind : kAllKinds) {
    const Error e{kind, everyByte};
    BOOST_TEST(http::errorBody(e) == pocoErrorBody(e), toString(kind));
  }
  // And a client reads the message back as it was.
  const std::string message = "line 3: \"qty\" must be 1..1000\n\ttab \x02 \xC3\xA9";
  Poco::JSON::Parser parser;
  auto parsed =
      parser.parse(http::errorBody({ErrorKind::Invalid, message})).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(parsed->getValue<std::string>("error") == "invalid");
  BOOST_TEST(parsed->getValue<std::string>("detail") == message);
}

BOOST_AUTO_TEST_CASE(requests_read_query_parameters_and_headers_with_fallbacks) {
  Request r;
  r.query = {{"limit", "10"}};
  r.headers = {{"idempotency-key", "k1"}};
  BOOST_TEST(r.q("limit") == "10");
  BOOST_TEST(r.q("after", "0") == "0");
  BOOST_TEST(r.header("idempotency-key") == "k1");
  BOOST_TEST(r.header("x-missing").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(with_an_access_table_a_route_without_its_row_cannot_be_added_and_a_match_names_its_row) {
  Router r;
  r.requireEntries([](const std::string& method, const std::string& pattern) -> std::optional<int> {
    if (method == "GET" && pattern == "/listed/{id}") return 7;
    return std::nullopt;
  });
  r.add("GET", "/listed/{id}", echoParams);
  BOOST_CHECK_THROW(r.add("POST", "/listed/{id}", echoParams), std::logic_error);
  BOOST_CHECK_THROW(r.add("GET", "/unlisted", echoParams), std::logic_error);
  const auto m = r.match("GET", "/listed/42");
  BOOST_REQUIRE(m.handler);
  BOOST_TEST(m.entry == 7);
  BOOST_TEST(m.pattern == "/listed/{id}");
  BOOST_TEST(r.routes().size() == 1u);
  // Too late once routes exist: the check would not have seen them.
  BOOST_CHECK_THROW(r.requireEntries([](const std::string&, const std::string&) { return std::optional<int>(1); }),
                    std::logic_error);
}
