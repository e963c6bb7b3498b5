#include "wms/apiclient/Client.h"

#include "wms/apiclient/Session.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <thread>

namespace wms::apiclient {
namespace {

using std::chrono::milliseconds;

// One try of a request: the server's answer, or how the connection failed.
struct Attempt {
  std::optional<Reply> reply;
  std::chrono::seconds retryAfter{-1};  // the answer's Retry-After; -1: none
  bool sent = false;                    // a failure after (part of) the request went out
  std::string failure;                  // what failed, for a person
};

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::chrono::seconds retryAfterOf(const Poco::Net::HTTPResponse& res) {
  if (!res.has("Retry-After")) return std::chrono::seconds(-1);
  const std::string& v = res.get("Retry-After");
  // Only whole seconds; an HTTP date is read as "no advice".
  if (v.empty() || v.size() > 6 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::chrono::seconds(-1);
  return std::chrono::seconds(std::stoi(v));
}

Attempt tryOnce(Poco::Net::HTTPClientSession& session, const Poco::Net::HTTPRequest& request, const std::string& body) {
  Attempt out;
  Poco::Net::HTTPRequest req(request);
  try {
    std::ostream& os = session.sendRequest(req);
    out.sent = true;
    os << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    Reply reply;
    reply.status = static_cast<int>(res.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    // A fixed-length body cut short reads as a short body, not an error.
    if (res.hasContentLength() && static_cast<Poco::Int64>(reply.body.size()) < res.getContentLength64()) {
      out.failure = "the answer was cut short (" + std::to_string(reply.body.size()) + " of " +
                    std::to_string(res.getContentLength64()) + " bytes)";
      return out;
    }
    reply.json = parseObject(reply.body);
    out.retryAfter = retryAfterOf(res);
    out.reply = std::move(reply);
  } catch (const Poco::Exception& e) {
    // sendRequest connects first; a failure there leaves no network
    // exception on the session (only reads and writes record one), and
    // then not one byte of the request went out.
    if (!out.sent && session.networkException() != nullptr) out.sent = true;
    out.failure = e.displayText();
  }
  return out;
}

bool isRetryableStatus(int status) { return status == 502 || status == 503 || status == 504; }

// Whether sending the request twice does what sending it once does.
bool safeToRepeat(const std::string& method, const std::string& body,
                  const std::map<std::string, std::string>& headers) {
  if (method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS") return true;
  for (const auto& [name, value] : headers)
    if (Poco::icompare(name, "Idempotency-Key") == 0 && !value.empty()) return true;
  auto json = parseObject(body);
  return json && json->has("idempotency_key") && !json->get("idempotency_key").isEmpty() &&
         !json->getValue<std::string>("idempotency_key").empty();
}

// 100 ms doubling to 2 s, plus up to a quarter more.
milliseconds backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const milliseconds base = std::min<milliseconds>(milliseconds(2000), milliseconds(100) * (1 << std::min(attempt, 5)));
  std::uniform_int_distribution<long> jitter(0, base.count() / 4);
  return base + milliseconds(jitter(rng));
}

std::string seconds(milliseconds ms) {
  const auto s = ms.count() / 1000;
  const auto tenths = (ms.count() % 1000) / 100;
  return std::to_string(s) + (tenths ? "." + std::to_string(tenths) : "") + " s";
}

}  // namespace

std::string Client::tokenFromEnvironment() {
  if (const char* token = std::getenv("WMS_TOKEN"); token && *token) return token;
  if (const char* file = std::getenv("WMS_TOKEN_FILE"); file && *file) {
    std::ifstream in(file);
    std::string line;
    if (std::getline(in, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      return line;
    }
  }
  return {};
}

std::chrono::milliseconds Client::retryBudgetFromEnvironment() {
  static const milliseconds budget = [] {
    const char* v = std::getenv("WMS_RETRY_SECONDS");
    if (!v || !*v) return milliseconds(0);
    char* end = nullptr;
    const double s = std::strtod(v, &end);
    if (end == v || *end != '\0' || !(s > 0)) return milliseconds(0);
    return milliseconds(static_cast<long long>(std::min(s, 86400.0) * 1000));
  }();
  return budget;
}

void Client::noticeAway(const std::string& why) {
  if (away_->exchange(true)) return;
  std::cerr << "wmsd at " << base_ << " is away (" << why << "); retrying for up to " << seconds(retryFor_) << "\n";
}

void Client::noticeBack() {
  if (away_->exchange(false)) std::cerr << "wmsd at " << base_ << " answers again\n";
}

Result<Reply> Client::send(const std::string& method, const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers) {
  Poco::URI uri;
  try {
    uri = Poco::URI(base_);
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Invalid, "--server '" + base_ + "': " + e.displayText()};
  }
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  try {
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!token_.empty() && !req.has("Authorization")) req.set("Authorization", "Bearer " + token_);
    if (method == "POST" || method == "PUT") {
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      if (!req.has("Content-Type")) req.setContentType("application/json");
    }
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Invalid, method + " " + path + ": " + e.displayText()};
  }

  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + retryFor_;
  std::optional<bool> repeatable;  // worked out on the first failure after sending
  for (int attempt = 0;; ++attempt) {
    auto opened = openSession(uri);  // http:// or https:// (docs/transport-security.md)
    if (!opened) return Error{ErrorKind::Invalid, "--server '" + base_ + "': " + opened.error().message};
    (*opened)->setTimeout(Poco::Timespan(120, 0));
    Attempt a = tryOnce(**opened, req, body);
    if (a.reply && !isRetryableStatus(a.reply->status)) {
      noticeBack();
      return std::move(*a.reply);
    }
    if (!a.reply && a.sent) {
      if (!repeatable) repeatable = safeToRepeat(method, body, headers);
      if (!*repeatable)
        return Error{ErrorKind::Unavailable, method + " " + path + " to wmsd at " + base_ +
                                                 ": the connection failed after the request was sent (" + a.failure +
                                                 "); the outcome is unknown, and a request without an idempotency "
                                                 "key is not sent again"};
    }
    milliseconds wait = backoff(attempt);
    if (a.reply && a.retryAfter.count() >= 0)
      wait = std::clamp<milliseconds>(a.retryAfter, milliseconds(100), std::chrono::seconds(5));
    const auto now = std::chrono::steady_clock::now();
    if (retryFor_.count() <= 0 || now + wait > deadline) {
      if (a.reply) return std::move(*a.reply);
      const std::string tried =
          retryFor_.count() > 0 ? " (tried for " + seconds(std::chrono::duration_cast<milliseconds>(now - started)) + ")" : "";
      return Error{ErrorKind::Unavailable, "cannot reach wmsd at " + base_ + tried + ": " + a.failure};
    }
    noticeAway(a.reply ? "HTTP " + std::to_string(a.reply->status) : a.failure);
    std::this_thread::sleep_for(wait);
  }
}

Result<Reply> Client::call(const std::string& method, const std::string& path, const std::string& body,
                                const std::map<std::string, std::string>& headers) {
  auto reply = send(method, path, body, headers);
  if (!reply) return reply;
  if (reply->status >= 400) {
    std::string detail = reply->json && reply->json->has("detail") ? reply->json->getValue<std::string>("detail")
                                                                    : reply->body;
    const auto kind = isRetryableStatus(reply->status) ? ErrorKind::Unavailable : ErrorKind::Invalid;
    return Error{kind, detail + " (HTTP " + std::to_string(reply->status) + ")"};
  }
  return reply;
}

}  // namespace wms::apiclient
