// The tools' HTTP client against a real loopback server that answers as
// each case scripts: which failures it tries again within its retry budget,
// and which requests it never sends twice.
#define BOOST_TEST_MODULE tools_apiclient
#include <boost/test/unit_test.hpp>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wms/apiclient/Client.h"
#include "wms/testsupport/Ports.h"

using namespace std::chrono_literals;
using wms::apiclient::Client;

namespace wms {
inline std::ostream& boost_test_print_type(std::ostream& out, ErrorKind kind) { return out << toString(kind); }
}  // namespace wms

namespace {

// The budget from the environment is read once per process: make sure this
// process has none before any case reads it.
struct NoRetriesFromTheEnvironment {
  NoRetriesFromTheEnvironment() { ::unsetenv("WMS_RETRY_SECONDS"); }
};
BOOST_TEST_GLOBAL_FIXTURE(NoRetriesFromTheEnvironment);

// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1:port. The n-th
// request it reads gets script[n]: "200" and "503" answer that status
// ("503 wait" adds Retry-After: 1), "cut" closes the connection without an
// answer once the whole request has been read; past the script, "200".
class ScriptedServer {
 public:
  ScriptedServer(std::uint16_t port, std::vector<std::string> script)
      : socket_(Poco::Net::SocketAddress("127.0.0.1", port)), script_(std::move(script)) {
    thread_ = std::thread([this] { run(); });
  }
  ~ScriptedServer() {
    stopping_ = true;
    thread_.join();
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int requests() const { return requests_; }

 private:
  void run() {
    while (!stopping_) {
      try {
        if (!socket_.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket c = socket_.acceptConnection();
        c.setReceiveTimeout(Poco::Timespan(5, 0));
        if (!readRequest(c)) continue;
        const std::size_t n = static_cast<std::size_t>(requests_++);
        const std::string action = n < script_.size() ? script_[n] : "200";
        if (action == "cut") {
          c.close();
          continue;
        }
        const bool busy = action.rfind("503", 0) == 0;
        const std::string body = busy ? R"({"error":"unavailable","detail":"disk full"})" : R"({"ok":true})";
        std::string answer = busy ? "HTTP/1.1 503 Service Unavailable\r\n" : "HTTP/1.1 200 OK\r\n";
        if (action == "503 wait") answer += "Retry-After: 1\r\n";
        answer += "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body;
        c.sendBytes(answer.data(), static_cast<int>(answer.size()));
        c.shutdownSend();
      } catch (const Poco::Exception&) {
      }
    }
  }

  // The headers, then Content-Length bytes of body. False if the client
  // went away first.
  static bool readRequest(Poco::Net::StreamSocket& c) {
    std::string in;
    char buffer[4096];
    std::size_t end = std::string::npos;
    while ((end = in.find("\r\n\r\n")) == std::string::npos) {
      const int n = c.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) return false;
      in.append(buffer, static_cast<std::size_t>(n));
    }
    std::size_t length = 0;
    if (auto at = in.find("Content-Length: "); at != std::string::npos && at < end)
      length = std::stoul(in.substr(at + 16));
    while (in.size() < end + 4 + length) {
      const int n = c.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) return false;
      in.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }

  Poco::Net::ServerSocket socket_;
  const std::vector<std::string> script_;
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

std::string base(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_get_sent_while_nothing_listens_succeeds_once_the_server_comes_within_the_budget) {
  const auto port = wms::testsupport::freeLoopbackPort();
  std::unique_ptr<ScriptedServer> server;
  std::thread later([&] {
    std::this_thread::sleep_for(1s);
    server = std::make_unique<ScriptedServer>(port, std::vector<std::string>{});
  });
  Client client(base(port), "", 10s);
  const auto started = std::chrono::steady_clock::now();
  auto r = client.call("GET", "/api/v1/orders/1");
  later.join();
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(r->status == 200);
  BOOST_TEST(secondsSince(started) >= 0.9);
  BOOST_TEST(server->requests() == 1);
}

BOOST_AUTO_TEST_CASE(a_503_is_tried_again_and_the_next_answer_is_returned) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, {"503", "503", "200"});
  Client client(base(port), "", 10s);
  auto r = client.call("POST", "/api/v1/orders", R"({"channel":"manual"})");
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(r->status == 200);
  BOOST_TEST(server.requests() == 3);
}

BOOST_AUTO_TEST_CASE(a_503_with_retry_after_waits_that_long) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, {"503 wait", "200"});
  Client client(base(port), "", 10s);
  const auto started = std::chrono::steady_clock::now();
  auto r = client.call("GET", "/health");
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(secondsSince(started) >= 0.95);
  BOOST_TEST(server.requests() == 2);
}

BOOST_AUTO_TEST_CASE(a_503_that_outlasts_the_budget_comes_back_as_unavailable) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, std::vector<std::string>(100, "503"));
  Client client(base(port), "", 500ms);
  const auto started = std::chrono::steady_clock::now();
  auto r = client.call("GET", "/api/v1/orders/1");
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == wms::ErrorKind::Unavailable);
  BOOST_TEST(r.error().message.find("disk full (HTTP 503)") != std::string::npos, r.error().message);
  BOOST_TEST(secondsSince(started) < 1.5);
  BOOST_TEST(server.requests() >= 2);
}

BOOST_AUTO_TEST_CASE(an_unkeyed_post_whose_answer_is_lost_is_not_sent_again_and_its_outcome_is_unknown) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, {"cut"});
  Client client(base(port), "", 10s);
  auto r = client.call("POST", "/api/v1/packing/sessions/1/scans", R"({"text":"8851234567898","qty":1})");
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == wms::ErrorKind::Unavailable);
  BOOST_TEST(r.error().message.find("outcome is unknown") != std::string::npos, r.error().message);
  std::this_thread::sleep_for(300ms);  // time for a repeat that must not come
  BOOST_TEST(server.requests() == 1);
}

BOOST_AUTO_TEST_CASE(a_post_with_an_idempotency_key_header_whose_answer_is_lost_is_sent_again) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, {"cut"});
  Client client(base(port), "", 10s);
  auto r = client.call("POST", "/api/v1/orders", R"({"channel":"manual"})", {{"Idempotency-Key", "demo-store-11-1"}});
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(r->status == 200);
  BOOST_TEST(server.requests() == 2);
}

BOOST_AUTO_TEST_CASE(a_post_with_an_idempotency_key_in_its_body_whose_answer_is_lost_is_sent_again) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, {"cut", "cut"});
  Client client(base(port), "", 10s);
  auto r = client.call("POST", "/api/v1/packing/orders/7/ship", R"({"shipment_id":3,"idempotency_key":"demo-ship-7"})");
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(server.requests() == 3);
}

BOOST_AUTO_TEST_CASE(without_a_budget_a_refused_connection_fails_at_once) {
  BOOST_TEST(Client::retryBudgetFromEnvironment().count() == 0);
  const auto port = wms::testsupport::freeLoopbackPort();
  Client client(base(port), "");
  BOOST_TEST(client.retryBudget().count() == 0);
  const auto started = std::chrono::steady_clock::now();
  auto r = client.call("GET", "/api/v1/orders/1");
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == wms::ErrorKind::Unavailable);
  BOOST_TEST(r.error().message.find("cannot reach wmsd") != std::string::npos, r.error().message);
  BOOST_TEST(secondsSince(started) < 0.5);
}

BOOST_AUTO_TEST_CASE(without_a_budget_a_503_is_returned_as_it_is) {
  const auto port = wms::testsupport::freeLoopbackPort();
  ScriptedServer server(port, {"503"});
  Client client(base(port), "");
  auto r = client.send("GET", "/api/v1/orders/1");
  BOOST_TEST_REQUIRE(r.ok(), (r ? "" : r.error().message));
  BOOST_TEST(r->status == 503);
  BOOST_TEST(server.requests() == 1);
}
