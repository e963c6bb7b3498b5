// Tests for server/packing/src/PrintJobs.cpp: the print job log over the
// database, and shipping labels printed to a fake 9100 printer on loopback
// (tests/labels/FakePrinter): exact bytes, a printer that is off and comes
// back, one that answers garbage, reprints, and resuming after a restart.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "FakePrinter.h"
#include "PackingWorld.h"
#include "wms/labels/Zpl.h"
#include "wms/packing/PrintJobs.h"
#include "wms/store/ExceptionRepository.h"

using namespace wms;
using namespace wms::packing;
using wms::labels::test::FakePrinter;
using wms::packing::test::PackingWorld;

namespace {

// Fast retries so a test waits milliseconds, not seconds.
std::map<std::string, std::string> printerSettings(std::uint16_t port, int attempts = 200,
                                                   const std::string& scheme = "tcp") {
  return {{"printing.printer.ZEBRA-1.uri", scheme + "://127.0.0.1:" + std::to_string(port)},
          {"printing.initial_backoff_ms", "20"},
          {"printing.max_backoff_ms", "100"},
          {"printing.max_attempts", std::to_string(attempts)}};
}

// A packed and booked order with `cartons` cartons of one mug each.
ShipmentView booked(PackingWorld& w, int cartons) {
  auto id = w.pickedOrder("P-" + std::to_string(cartons), {{"MUG", cartons}}, "T-1");
  std::vector<PackedCarton> packed;
  for (int i = 0; i < cartons; ++i) packed.push_back({"", "S", std::nullopt, {{1, "", 1}}});
  BOOST_REQUIRE(w.shipping().packOrder(id, packed).ok());
  auto s = w.shipping().createShipment(id);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return *s;
}

std::unique_ptr<LabelPrinting> printing(PackingWorld& w, LabelPrinting::Listener listener = {}) {
  auto p = LabelPrinting::create(w.db(), w.shipping(), std::move(listener));
  BOOST_REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
  return std::move(*p);
}

// Waits (without judging the time taken) until the job reaches a state.
PrintJobView waitForState(LabelPrinting& lp, labels::JobId id, labels::JobState state) {
  for (int i = 0; i < 3000; ++i) {
    auto v = lp.job(id);
    BOOST_REQUIRE(v.ok());
    if (v->state == state) return *v;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  BOOST_FAIL("print job " << id << " never became " << labels::toString(state));
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(print_jobs)

BOOST_AUTO_TEST_CASE(the_job_log_keeps_every_byte_and_every_attempt) {
  PackingWorld w;
  DatabaseJobLog log(w.db());
  const std::string binary("%PDF\0\x01\xff tail", 12);
  auto id = log.create("tcp://printer:9100", {"SO-1 carton 1/1", labels::DocumentFormat::Pdf, binary},
                       std::nullopt);
  BOOST_REQUIRE(id.ok());
  auto job = log.find(*id);
  BOOST_REQUIRE(job.ok());
  BOOST_TEST(job->document.data == binary);
  BOOST_TEST((job->document.format == labels::DocumentFormat::Pdf));
  BOOST_TEST((job->state == labels::JobState::Queued));
  BOOST_TEST((*log.unfinished("tcp://printer:9100") == std::vector<labels::JobId>{*id}));
  const auto now = std::chrono::system_clock::now();
  BOOST_REQUIRE(log.recordAttempt({*id, 1, now, false, "cannot connect"}).ok());
  BOOST_REQUIRE(log.setState(*id, labels::JobState::Waiting).ok());
  BOOST_REQUIRE(log.recordAttempt({*id, 2, now, true, ""}).ok());
  BOOST_REQUIRE(log.setState(*id, labels::JobState::Printed).ok());
  job = log.find(*id);
  BOOST_TEST(job->attempts == 2);
  BOOST_TEST(job->lastError.empty());
  BOOST_TEST(log.unfinished("tcp://printer:9100")->empty());
  auto attempts = log.attempts(*id);
  BOOST_REQUIRE(attempts->size() == 2u);
  BOOST_TEST(!(*attempts)[0].ok);
  BOOST_TEST((*attempts)[0].error == "cannot connect");
  BOOST_TEST((log.find(999).error().kind == ErrorKind::NotFound));
  BOOST_TEST((log.setState(999, labels::JobState::Printed).error().kind == ErrorKind::NotFound));
  auto reprint = log.create("tcp://printer:9100", job->document, *id);
  BOOST_TEST(log.find(*reprint)->reprintOf.value_or(0) == *id);
}

BOOST_AUTO_TEST_CASE(a_fake_9100_printer_receives_exactly_each_cartons_label) {
  FakePrinter fake;
  PackingWorld w(printerSettings(fake.port()));
  auto shipment = booked(w, 2);
  auto lp = printing(w);
  auto jobs = lp->printShipment(shipment.id, "PACK-1");
  BOOST_REQUIRE_MESSAGE(jobs.ok(), (jobs.ok() ? "" : jobs.error().message));
  BOOST_REQUIRE(jobs->size() == 2u);
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  BOOST_REQUIRE(fake.waitForJobs(2, std::chrono::seconds(10)));
  const auto received = fake.jobs();
  BOOST_REQUIRE(received.size() == 2u);
  for (int i = 0; i < 2; ++i) {
    auto label = w.shipping().label(shipment.id, i + 1);
    auto zpl =
        labels::renderZpl(*label, labels::makeTemplate(labels::LabelSize::FourBySix, labels::Dpi::D203));
    BOOST_TEST(received[static_cast<std::size_t>(i)] == *zpl);
    auto v = lp->job((*jobs)[static_cast<std::size_t>(i)].id);
    BOOST_TEST((v->state == labels::JobState::Printed));
    BOOST_TEST(v->attempts == 1);
    BOOST_TEST(v->printerId == "ZEBRA-1");
    BOOST_TEST(v->shipmentId == shipment.id);
    BOOST_TEST(v->cartonNumber == i + 1);
    BOOST_TEST(v->title == shipment.orderReference + " carton " + std::to_string(i + 1) + "/2");
    BOOST_TEST(v->message == "printed on ZEBRA-1");
  }
  BOOST_TEST(lp->jobsOfShipment(shipment.id)->size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_printer_that_is_off_makes_the_job_wait_and_it_prints_once_when_the_printer_is_back) {
  const std::uint16_t port = labels::test::closedPort();
  PackingWorld w(printerSettings(port));
  auto shipment = booked(w, 1);
  std::mutex heardMutex;
  std::vector<PrintJobView> heard;
  auto lp = printing(w, [&](const PrintJobView& v) {
    std::lock_guard lock(heardMutex);
    heard.push_back(v);
  });
  auto jobs = lp->printShipment(shipment.id, "", "ZEBRA-1");
  BOOST_REQUIRE(jobs.ok());
  BOOST_REQUIRE(!jobs->empty());
  const auto id = jobs->front().id;
  auto waiting = waitForState(*lp, id, labels::JobState::Waiting);
  BOOST_TEST(waiting.message.find("waiting for printer ZEBRA-1: ") == 0u, waiting.message);
  BOOST_TEST(waiting.lastError.find("127.0.0.1:" + std::to_string(port)) != std::string::npos,
             waiting.lastError);
  // The packer is told as soon as the job waits: the listener runs right
  // after the state is recorded (waited for, not timed).
  auto heardSoFar = [&] {
    std::lock_guard lock(heardMutex);
    return heard;
  };
  for (int i = 0; i < 3000 && heardSoFar().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto told = heardSoFar();
  BOOST_REQUIRE(!told.empty());
  BOOST_TEST((told.front().state == labels::JobState::Waiting));
  BOOST_TEST(told.front().message.find("waiting for printer ZEBRA-1: ") == 0u);

  FakePrinter fake(FakePrinter::Mode::Record, {}, port);  // the printer is switched on
  auto printed = waitForState(*lp, id, labels::JobState::Printed);
  BOOST_TEST(printed.attempts >= 2);
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  BOOST_REQUIRE(fake.waitForJobs(1, std::chrono::seconds(10)));
  BOOST_TEST(fake.jobs().size() == 1u);  // printed exactly once
  auto attempts = lp->attempts(id);
  BOOST_REQUIRE(attempts.ok());
  BOOST_REQUIRE(!attempts->empty());
  BOOST_TEST(!attempts->front().ok);
  BOOST_TEST(attempts->back().ok);
  BOOST_TEST(static_cast<int>(attempts->size()) == printed.attempts);
}

BOOST_AUTO_TEST_CASE(a_printer_answering_garbage_makes_the_job_wait_then_fail_and_a_supervisor_is_told) {
  // Three framed answers, none of them a host status.
  FakePrinter fake(FakePrinter::Mode::AnswerStatus, "\x02garbage\x03\r\n\x02more\x03\r\n\x02x\x03\r\n");
  PackingWorld w(printerSettings(fake.port(), 2, "tcp+status"));
  auto shipment = booked(w, 1);
  auto lp = printing(w);
  auto jobs = lp->printShipment(shipment.id, "");
  BOOST_REQUIRE(jobs.ok());
  BOOST_REQUIRE(!jobs->empty());
  auto failed = waitForState(*lp, jobs->front().id, labels::JobState::Failed);
  BOOST_TEST(failed.attempts == 2);
  BOOST_TEST(failed.lastError.find("answered the status request with garbage") != std::string::npos,
             failed.lastError);
  BOOST_TEST(failed.message.find("failed on printer ZEBRA-1 after 2 attempt(s)") == 0u, failed.message);
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  std::vector<store::SupervisorException> open;
  BOOST_REQUIRE(w.db()
                    .read([&](store::Tx& tx) -> Status {
                      open = store::ExceptionRepository(tx).list(false, 0, 10);
                      return {};
                    })
                    .ok());
  BOOST_REQUIRE(open.size() == 1u);
  BOOST_TEST(open[0].kind == "printer_failed");
  BOOST_TEST(open[0].reference == "printer:ZEBRA-1");
  // Only the status request reached the printer, never the label.
  for (const auto& j : fake.jobs()) BOOST_TEST(j.find("^XA") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(any_label_can_be_printed_again_with_the_same_bytes) {
  FakePrinter fake;
  PackingWorld w(printerSettings(fake.port()));
  auto shipment = booked(w, 1);
  auto lp = printing(w);
  auto jobs = lp->printShipment(shipment.id, "");
  BOOST_REQUIRE(jobs.ok());
  BOOST_REQUIRE(!jobs->empty());
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  auto again = lp->reprint(jobs->front().id);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again->reprintOf.value_or(0) == jobs->front().id);
  BOOST_TEST(again->shipmentId == shipment.id);
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  BOOST_REQUIRE(fake.waitForJobs(2, std::chrono::seconds(10)));
  BOOST_TEST(fake.jobs()[0] == fake.jobs()[1]);
  BOOST_TEST(lp->jobsOfShipment(shipment.id)->size() == 2u);
  BOOST_TEST((lp->reprint(999).error().kind == ErrorKind::NotFound));
  BOOST_TEST((lp->reprint(jobs->front().id, "NOPE").error().kind == ErrorKind::NotFound));
  // Printing the shipment again is another way to reprint every carton.
  BOOST_REQUIRE(lp->printShipment(shipment.id, "").ok());
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  BOOST_REQUIRE(fake.waitForJobs(3, std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_CASE(jobs_left_waiting_by_a_stopped_server_print_after_resume) {
  const std::uint16_t port = labels::test::closedPort();
  PackingWorld w(printerSettings(port));
  auto shipment = booked(w, 1);
  labels::JobId id = 0;
  {
    auto lp = printing(w);
    auto jobs = lp->printShipment(shipment.id, "");
    BOOST_REQUIRE(jobs.ok());
    BOOST_REQUIRE(!jobs->empty());
    id = jobs->front().id;
    waitForState(*lp, id, labels::JobState::Waiting);
  }  // wmsd stops: the job stays waiting in the database
  FakePrinter fake(FakePrinter::Mode::Record, {}, port);
  auto lp = printing(w);
  BOOST_TEST(*lp->resume() == 1u);
  waitForState(*lp, id, labels::JobState::Printed);
  BOOST_REQUIRE(fake.waitForJobs(1, std::chrono::seconds(10)));
  BOOST_REQUIRE(lp->waitIdle(std::chrono::seconds(30)));
  BOOST_TEST(fake.jobs().size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_printer_is_chosen_by_request_then_station_then_default) {
  PackingWorld w({{"printing.printer.ZEBRA-1.uri", "tcp://127.0.0.1:9"},
                  {"printing.printer.LASER.uri", "tcp://127.0.0.1:9"},
                  {"printing.printer.LASER.format", "pdf"},
                  {"printing.default_printer", "ZEBRA-1"},
                  {"packing.station.PACK-2.printer", "LASER"}});
  auto lp = printing(w);
  BOOST_TEST(*lp->printerFor("PACK-2", "") == "LASER");
  BOOST_TEST(*lp->printerFor("PACK-2", "ZEBRA-1") == "ZEBRA-1");
  BOOST_TEST(*lp->printerFor("PACK-9", "") == "ZEBRA-1");
  BOOST_TEST((lp->printerFor("", "NOPE").error().kind == ErrorKind::NotFound));
  PackingWorld none;
  auto nothing = printing(none);
  BOOST_TEST(nothing->printerFor("PACK-1", "").error().message ==
             "no printer is configured (printing.printer.<ID>.uri)");
}

BOOST_AUTO_TEST_CASE(labels_render_for_preview_as_png_and_pdf) {
  PackingWorld w;
  auto shipment = booked(w, 1);
  auto lp = printing(w);
  auto png = lp->render(shipment.id, 1, labels::DocumentFormat::Png);
  BOOST_REQUIRE(png.ok());
  BOOST_TEST(png->substr(1, 3) == "PNG");
  auto pdf = lp->render(shipment.id, 1, labels::DocumentFormat::Pdf, labels::LabelSize::A6);
  BOOST_REQUIRE(pdf.ok());
  BOOST_TEST(pdf->substr(0, 4) == "%PDF");
  BOOST_TEST((lp->render(shipment.id, 2, labels::DocumentFormat::Png).error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_SUITE_END()
