#define BOOST_TEST_MODULE common_background
// The background loops' error discipline (wms/background/Errors.h): counted
// every time, logged once per run of failures, backed off, recovered.
#include <boost/test/unit_test.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>
#include <string>
#include <vector>

#include "wms/background/Errors.h"

using namespace wms;

namespace {

// Keeps what the loops log, to count the lines.
class Captured : public Poco::Channel {
 public:
  void log(const Poco::Message& m) override {
    std::lock_guard lock(mutex);
    lines.push_back(m.getText());
  }
  std::vector<std::string> taken() {
    std::lock_guard lock(mutex);
    return lines;
  }
  std::mutex mutex;
  std::vector<std::string> lines;
};

struct CaptureLog {
  Poco::AutoPtr<Captured> channel{new Captured};
  CaptureLog() {
    auto& logger = Poco::Logger::get("wmsd.background");
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_DEBUG);
  }
  ~CaptureLog() { Poco::Logger::get("wmsd.background").setChannel(nullptr); }
};

const Error kDiskFull{ErrorKind::Unavailable, "database: disk I/O error"};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(background_errors, CaptureLog)

BOOST_AUTO_TEST_CASE(a_failing_loop_is_counted_every_time_logged_once_and_backed_off_up_to_ten_seconds) {
  background::Errors errors;
  auto& loop = errors.loop("channels.push");
  BOOST_TEST(loop.backoff().count() == 0);
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 12; ++i) waits.push_back(loop.failed("recording 3 stock pushes", kDiskFull).count());
  BOOST_TEST(waits[0] == 100);
  BOOST_TEST(waits[1] == 200);
  BOOST_TEST(waits[2] == 400);
  BOOST_TEST(waits[11] == 10000);
  BOOST_TEST(loop.figures().errors == 12);
  BOOST_TEST(loop.figures().failing);
  BOOST_TEST(loop.figures().lastError == "recording 3 stock pushes: database: disk I/O error");
  auto lines = channel->taken();
  BOOST_REQUIRE(lines.size() == 1u);
  BOOST_TEST(lines[0].find("channels.push: recording 3 stock pushes: database: disk I/O error") != std::string::npos);
  BOOST_TEST(lines[0].find("unavailable") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_long_outage_is_logged_again_every_hundredth_failure_not_every_time) {
  background::Errors errors;
  auto& loop = errors.loop("gateway.publish");
  for (int i = 0; i < 250; ++i) (void)loop.failed("marking commands published", kDiskFull);
  BOOST_TEST(channel->taken().size() == 3u);  // failures 1, 100 and 200
  BOOST_TEST(loop.figures().errors == 250);
}

BOOST_AUTO_TEST_CASE(recovery_is_logged_once_and_resets_the_backoff_but_not_the_count) {
  background::Errors errors;
  auto& loop = errors.loop("watchdog");
  BOOST_TEST(!loop.check("checking for stuck work", Status(kDiskFull)));
  BOOST_TEST(!loop.check("checking for stuck work", Status(kDiskFull)));
  BOOST_TEST(loop.backoff().count() == 200);
  BOOST_TEST(loop.check("checking for stuck work", Status()));
  BOOST_TEST(loop.check("checking for stuck work", Result<int>(7)));
  BOOST_TEST(loop.backoff().count() == 0);
  BOOST_TEST(!loop.figures().failing);
  BOOST_TEST(loop.figures().errors == 2);
  auto lines = channel->taken();
  BOOST_REQUIRE(lines.size() == 2u);
  BOOST_TEST(lines[1].find("working again after 2 failures") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_loop_is_rendered_for_metrics_by_name) {
  background::Errors errors;
  (void)errors.loop("channels.fetch").failed("reading the orders due for fetching", kDiskFull);
  errors.loop("channels.push").succeeded();
  BOOST_TEST(&errors.loop("channels.fetch") == &errors.loop("channels.fetch"));
  const std::string text = errors.render();
  BOOST_TEST(text ==
             "background_errors_total{loop=\"channels.fetch\"} 1\n"
             "background_loop_failing{loop=\"channels.fetch\"} 1\n"
             "background_errors_total{loop=\"channels.push\"} 0\n"
             "background_loop_failing{loop=\"channels.push\"} 0\n");
}

BOOST_AUTO_TEST_SUITE_END()
