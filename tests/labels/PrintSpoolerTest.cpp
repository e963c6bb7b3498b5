#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include "FakePrinter.h"
#include "LabelsTestSupport.h"
#include "wms/labels/PrintSpooler.h"

using namespace std::chrono_literals;
using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

// Collects listener events; tests wait on it instead of on the clock.
class Events {
 public:
  PrintSpooler::Listener listener() {
    return [this](const JobEvent& e) {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
      changed_.notify_all();
    };
  }
  // Waits for the first event of a job in one of the final states.
  JobEvent waitFinal(JobId job, std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mutex_);
    JobEvent found;
    const bool ok = changed_.wait_for(lock, timeout, [&] {
      for (const auto& e : events_) {
        if (e.job == job && (e.state == JobState::Printed || e.state == JobState::Failed))
          return found = e, true;
      }
      return false;
    });
    BOOST_REQUIRE_MESSAGE(ok, "job " << job << " did not finish");
    return found;
  }
  bool waitFor(JobState state, std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      return std::any_of(events_.begin(), events_.end(), [&](const JobEvent& e) { return e.state == state; });
    });
  }
  std::vector<JobEvent> of(JobId job) {
    std::lock_guard lock(mutex_);
    std::vector<JobEvent> out;
    for (const auto& e : events_) {
      if (e.job == job) out.push_back(e);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<JobEvent> events_;
};

RawTcpPrinter printerOn(std::uint16_t port) {
  RawTcpPrinter::Options o;
  o.host = "127.0.0.1";
  o.port = port;
  o.connectTimeout = 2000ms;
  o.ioTimeout = 5000ms;
  return RawTcpPrinter(o);
}

RetryPolicy quickRetries(int attempts) {
  RetryPolicy p;
  p.maxAttempts = attempts;
  p.initialBackoff = 5ms;
  p.multiplier = 2;
  p.maxBackoff = 20ms;
  return p;
}

PrintDocument doc(const std::string& data) {
  return PrintDocument{"test", DocumentFormat::Zpl, data};
}

// A printer whose answers a test scripts (for outcomes a real one cannot
// produce cheaply, like an unknown CUPS queue).
class ScriptedPrinter final : public Printer {
 public:
  explicit ScriptedPrinter(std::deque<Status> answers) : answers_(std::move(answers)) {}
  std::string name() const override { return "scripted"; }
  Status send(const PrintDocument&) override {
    ++calls;
    if (answers_.empty()) return {};
    Status s = answers_.front();
    answers_.pop_front();
    return s;
  }
  int calls = 0;

 private:
  std::deque<Status> answers_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(print_spooler)

BOOST_AUTO_TEST_CASE(a_job_is_printed_once_and_recorded) {
  FakePrinter fake;
  RawTcpPrinter printer = printerOn(fake.port());
  InMemoryJobLog log;
  Events events;
  PrintSpooler spooler(printer, log, quickRetries(3), events.listener());
  const JobId id = spooler.submit(doc("^XA^FDhello^FS^XZ")).value();
  const JobEvent done = events.waitFinal(id);
  BOOST_TEST(done.state == JobState::Printed);
  BOOST_TEST(done.attempt == 1);
  const JobRecord record = log.find(id).value();
  BOOST_TEST(record.state == JobState::Printed);
  BOOST_TEST(record.attempts == 1);
  BOOST_TEST(record.printer == printer.name());
  BOOST_TEST(log.attempts(id).size() == 1u);
  BOOST_TEST(log.attempts(id)[0].ok);
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_TEST(fake.jobs() == std::vector<std::string>{"^XA^FDhello^FS^XZ"});
}

BOOST_AUTO_TEST_CASE(jobs_print_in_the_order_they_were_submitted) {
  FakePrinter fake;
  RawTcpPrinter printer = printerOn(fake.port());
  InMemoryJobLog log;
  PrintSpooler spooler(printer, log, quickRetries(3));
  std::vector<std::string> sent;
  for (int i = 0; i < 5; ++i) {
    sent.push_back("^XA^FDlabel " + std::to_string(i) + "^FS^XZ");
    BOOST_REQUIRE(spooler.submit(doc(sent.back())).ok());
  }
  BOOST_REQUIRE(spooler.waitIdle(20s));
  BOOST_REQUIRE(fake.waitForJobs(5, 10s));
  BOOST_TEST(fake.jobs() == sent);
}

BOOST_AUTO_TEST_CASE(a_printer_that_stays_off_is_retried_then_the_job_fails_and_the_packer_is_told) {
  RawTcpPrinter printer = printerOn(closedPort());
  InMemoryJobLog log;
  Events events;
  PrintSpooler spooler(printer, log, quickRetries(3), events.listener());
  const JobId id = spooler.submit(doc("^XA^XZ")).value();
  const JobEvent done = events.waitFinal(id);
  BOOST_TEST(done.state == JobState::Failed);
  BOOST_TEST(done.attempt == 3);
  BOOST_TEST(done.error.find("cannot connect") != std::string::npos);

  const auto told = events.of(id);
  BOOST_REQUIRE(told.size() == 3u);
  BOOST_TEST(told[0].state == JobState::Waiting);
  BOOST_TEST(told[0].attempt == 1);
  BOOST_TEST(told[0].retryIn == 5ms);
  BOOST_TEST(told[1].state == JobState::Waiting);
  BOOST_TEST(told[1].retryIn == 10ms);
  BOOST_TEST(told[0].error.find("printer tcp://127.0.0.1:") == 0);

  const JobRecord record = log.find(id).value();
  BOOST_TEST(record.state == JobState::Failed);
  BOOST_TEST(record.attempts == 3);
  BOOST_TEST(!record.lastError.empty());
  const auto attempts = log.attempts(id);
  BOOST_REQUIRE(attempts.size() == 3u);
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(attempts[i].attempt == i + 1);
    BOOST_TEST(!attempts[i].ok);
  }
}

BOOST_AUTO_TEST_CASE(a_printer_that_comes_back_gets_the_job_exactly_once) {
  const std::uint16_t port = closedPort();
  RawTcpPrinter printer = printerOn(port);
  InMemoryJobLog log;
  Events events;
  RetryPolicy patient = quickRetries(1000);
  PrintSpooler spooler(printer, log, patient, events.listener());
  const JobId id = spooler.submit(doc("^XA^FDwaited^FS^XZ")).value();

  BOOST_REQUIRE(events.waitFor(JobState::Waiting));  // the packer sees "waiting for the printer"
  BOOST_TEST(log.find(id).value().state == JobState::Waiting);
  std::unique_ptr<FakePrinter> fake;
  for (int tries = 0; !fake && tries < 50; ++tries) {
    try {
      fake = std::make_unique<FakePrinter>(FakePrinter::Mode::Record, "", port);  // switched on again
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(20ms);  // the port is briefly taken by a connect attempt
    }
  }
  BOOST_REQUIRE(fake);
  const JobEvent done = events.waitFinal(id);
  BOOST_TEST(done.state == JobState::Printed);
  BOOST_TEST(done.attempt >= 2);
  BOOST_REQUIRE(spooler.waitIdle(10s));
  BOOST_REQUIRE(fake->waitForJobs(1, 10s));
  BOOST_TEST(fake->jobs() == std::vector<std::string>{"^XA^FDwaited^FS^XZ"});
  BOOST_TEST(log.attempts(id).back().ok);
}

BOOST_AUTO_TEST_CASE(a_reprint_sends_the_same_bytes_as_a_new_job) {
  FakePrinter fake;
  RawTcpPrinter printer = printerOn(fake.port());
  InMemoryJobLog log;
  PrintSpooler spooler(printer, log, quickRetries(3));
  const JobId first = spooler.submit(doc("^XA^FDoriginal^FS^XZ")).value();
  BOOST_REQUIRE(spooler.waitIdle(20s));
  const JobId again = spooler.reprint(first).value();
  BOOST_REQUIRE(spooler.waitIdle(20s));
  BOOST_TEST(again != first);
  const JobRecord record = spooler.find(again).value();
  BOOST_TEST(record.reprintOf.has_value());
  BOOST_TEST(*record.reprintOf == first);
  BOOST_TEST(record.state == JobState::Printed);
  BOOST_REQUIRE(fake.waitForJobs(2, 10s));
  BOOST_TEST(fake.jobs() == (std::vector<std::string>{"^XA^FDoriginal^FS^XZ", "^XA^FDoriginal^FS^XZ"}));
  auto unknown = spooler.reprint(4242);
  BOOST_REQUIRE(!unknown.ok());
  BOOST_TEST(unknown.error().kind == ErrorKind::NotFound);
}

BOOST_AUTO_TEST_CASE(unfinished_jobs_resume_after_a_restart) {
  const std::uint16_t port = closedPort();
  InMemoryJobLog log;
  JobId id = 0;
  {
    RawTcpPrinter printer = printerOn(port);
    Events events;
    RetryPolicy slow = quickRetries(5);
    slow.initialBackoff = slow.maxBackoff = 3600s;  // it would wait an hour...
    PrintSpooler spooler(printer, log, slow, events.listener());
    id = spooler.submit(doc("^XA^FDresumed^FS^XZ")).value();
    BOOST_REQUIRE(events.waitFor(JobState::Waiting));
  }  // ...but the spooler is stopped (a restart) and the wait ends at once
  BOOST_TEST(log.find(id).value().state == JobState::Waiting);

  FakePrinter fake(FakePrinter::Mode::Record, "", port);
  RawTcpPrinter printer = printerOn(port);
  PrintSpooler spooler(printer, log, quickRetries(5));
  BOOST_TEST(spooler.resume().value() == 1u);
  BOOST_REQUIRE(spooler.waitIdle(20s));
  BOOST_TEST(log.find(id).value().state == JobState::Printed);
  BOOST_TEST(log.find(id).value().attempts == 2);
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_TEST(fake.jobs() == std::vector<std::string>{"^XA^FDresumed^FS^XZ"});
}

BOOST_AUTO_TEST_CASE(resume_leaves_alone_a_job_that_is_being_tried) {
  const std::uint16_t port = closedPort();
  RawTcpPrinter printer = printerOn(port);
  InMemoryJobLog log;
  Events events;
  RetryPolicy slow = quickRetries(5);
  slow.initialBackoff = slow.maxBackoff = 3600s;
  PrintSpooler spooler(printer, log, slow, events.listener());
  const JobId id = spooler.submit(doc("^XA^FDonce^FS^XZ")).value();
  BOOST_REQUIRE(events.waitFor(JobState::Waiting));
  BOOST_TEST(log.find(id).value().state == JobState::Waiting);
  BOOST_TEST(spooler.resume().value() == 0u);  // unfinished, but it is the one being retried
}

BOOST_AUTO_TEST_CASE(an_error_that_waiting_cannot_fix_fails_at_once) {
  ScriptedPrinter printer({makeError(ErrorKind::NotFound, "CUPS queue \"Zebra\" does not exist")});
  InMemoryJobLog log;
  Events events;
  PrintSpooler spooler(printer, log, quickRetries(5), events.listener());
  const JobId id = spooler.submit(doc("data")).value();
  const JobEvent done = events.waitFinal(id);
  BOOST_TEST(done.state == JobState::Failed);
  BOOST_TEST(done.attempt == 1);
  BOOST_TEST(done.error == "CUPS queue \"Zebra\" does not exist");
  BOOST_REQUIRE(spooler.waitIdle(10s));
  BOOST_TEST(printer.calls == 1);
}

BOOST_AUTO_TEST_CASE(an_empty_document_is_refused_at_submit) {
  ScriptedPrinter printer({});
  InMemoryJobLog log;
  PrintSpooler spooler(printer, log);
  BOOST_TEST(spooler.submit(doc("")).error().kind == ErrorKind::Invalid);
  BOOST_TEST(spooler.waitIdle(1s));
  BOOST_TEST(printer.calls == 0);
}

BOOST_AUTO_TEST_CASE(a_throwing_listener_does_not_stop_the_spooler) {
  ScriptedPrinter printer({});
  InMemoryJobLog log;
  PrintSpooler spooler(printer, log, quickRetries(1),
                       [](const JobEvent&) { throw std::runtime_error("listener bug"); });
  const JobId a = spooler.submit(doc("a")).value();
  const JobId b = spooler.submit(doc("b")).value();
  BOOST_REQUIRE(spooler.waitIdle(10s));
  BOOST_TEST(log.find(a).value().state == JobState::Printed);
  BOOST_TEST(log.find(b).value().state == JobState::Printed);
}

BOOST_AUTO_TEST_CASE(backoff_grows_to_its_ceiling_and_bad_policies_are_a_misuse) {
  RetryPolicy p;
  p.initialBackoff = 1000ms;
  p.multiplier = 2;
  p.maxBackoff = 5000ms;
  BOOST_TEST(p.backoffAfter(1) == 1000ms);
  BOOST_TEST(p.backoffAfter(2) == 2000ms);
  BOOST_TEST(p.backoffAfter(3) == 4000ms);
  BOOST_TEST(p.backoffAfter(4) == 5000ms);
  BOOST_TEST(p.backoffAfter(60) == 5000ms);
  ScriptedPrinter printer({});
  InMemoryJobLog log;
  RetryPolicy none;
  none.maxAttempts = 0;
  BOOST_CHECK_THROW(PrintSpooler(printer, log, none), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
