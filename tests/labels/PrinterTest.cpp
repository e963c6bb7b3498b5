#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <thread>

#include "FakePrinter.h"
#include "LabelsTestSupport.h"
#include "wms/labels/Printer.h"
#include "wms/labels/Zpl.h"

using namespace std::chrono_literals;
using namespace wms;
using namespace wms::labels;
using namespace wms::labels::test;

namespace {

RawTcpPrinter::Options to(std::uint16_t port, bool checkStatus = false) {
  RawTcpPrinter::Options o;
  o.host = "127.0.0.1";
  o.port = port;
  o.checkStatus = checkStatus;
  o.connectTimeout = 2000ms;
  o.ioTimeout = 300ms;  // only the silent-printer case waits this long
  o.closeGrace = 2000ms;
  return o;
}

PrintDocument zplJob() {
  return PrintDocument{
      "SO-2024-000042 carton 1/2", DocumentFormat::Zpl,
      renderZpl(exampleLabel("basic-th"), makeTemplate(LabelSize::FourBySix, Dpi::D203)).value()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(printer)

BOOST_AUTO_TEST_CASE(raw_tcp_printer_delivers_exactly_the_job) {
  FakePrinter fake;
  RawTcpPrinter printer(to(fake.port()));
  const PrintDocument job = zplJob();
  const Status sent = printer.send(job);
  BOOST_REQUIRE_MESSAGE(sent.ok(), why(sent));
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_REQUIRE(fake.jobs().size() == 1u);
  BOOST_TEST(fake.jobs()[0] == job.data);
}

BOOST_AUTO_TEST_CASE(a_large_job_arrives_whole) {
  FakePrinter fake;
  RawTcpPrinter printer(to(fake.port()));
  std::string data;
  for (int i = 0; data.size() < 8 * 1024 * 1024; ++i)
    data += "^XA^FO10,10^A0N,30,30^FDline " + std::to_string(i) + "^FS^XZ\n";
  BOOST_REQUIRE(printer.send(PrintDocument{"big", DocumentFormat::Zpl, data}).ok());
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_TEST(fake.jobs()[0] == data);
}

BOOST_AUTO_TEST_CASE(a_printer_that_is_off_is_unavailable_and_named) {
  const std::uint16_t port = closedPort();
  RawTcpPrinter printer(to(port));
  const Status sent = printer.send(zplJob());
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
  BOOST_TEST(
      sent.error().message.find("printer tcp://127.0.0.1:" + std::to_string(port) + " cannot connect") == 0);
  BOOST_TEST(sent.error().message.find("refused") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unknown_host_is_unavailable) {
  RawTcpPrinter::Options o = to(9100);
  o.host = "no-such-printer.invalid";
  const Status sent = RawTcpPrinter(o).send(zplJob());
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
  BOOST_TEST(sent.error().message.find("cannot resolve host") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(status_check_sends_the_job_after_a_ready_answer) {
  FakePrinter fake(FakePrinter::Mode::AnswerStatus, FakePrinter::readyStatus());
  RawTcpPrinter printer(to(fake.port(), true));
  const PrintDocument job = zplJob();
  const Status sent = printer.send(job);
  BOOST_REQUIRE_MESSAGE(sent.ok(), why(sent));
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_TEST(fake.jobs()[0] == "~HS" + job.data);
}

BOOST_AUTO_TEST_CASE(a_printer_answering_garbage_gets_no_job_and_the_error_says_so) {
  for (const std::string& garbage :
       {std::string("\x02garbage\x03\r\n\x02more\x03\r\n\x02x\x03\r\n"), std::string(600, 'Z'),
        std::string("HTTP/1.1 200 OK\r\n\r\n\x03\x03\x03")}) {
    FakePrinter fake(FakePrinter::Mode::AnswerStatus, garbage);
    RawTcpPrinter printer(to(fake.port(), true));
    const Status sent = printer.send(zplJob());
    BOOST_REQUIRE(!sent.ok());
    BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
    BOOST_TEST(sent.error().message.find("answered the status request with garbage") != std::string::npos,
               sent.error().message);
    BOOST_REQUIRE(fake.waitForJobs(1, 10s));
    BOOST_TEST(fake.jobs()[0] == "~HS");  // the label itself was never sent
  }
}

BOOST_AUTO_TEST_CASE(a_printer_reporting_paper_out_gets_no_job) {
  const std::string paperOut =
      "\x02"
      "030,1,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
      "\x02"
      "001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x02"
      "1234,0\x03\r\n";
  FakePrinter fake(FakePrinter::Mode::AnswerStatus, paperOut);
  const Status sent = RawTcpPrinter(to(fake.port(), true)).send(zplJob());
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
  BOOST_TEST(sent.error().message.find("reports paper out") != std::string::npos);
  BOOST_REQUIRE(fake.waitForJobs(1, 10s));
  BOOST_TEST(fake.jobs()[0] == "~HS");
}

BOOST_AUTO_TEST_CASE(a_printer_that_stays_silent_to_the_status_request_is_unavailable) {
  FakePrinter fake(FakePrinter::Mode::AnswerStatus, "");
  const Status sent = RawTcpPrinter(to(fake.port(), true)).send(zplJob());
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
  BOOST_TEST(sent.error().message.find("did not answer the status request") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_printer_that_hangs_up_during_the_status_request_is_unavailable) {
  FakePrinter fake(FakePrinter::Mode::HangUp);
  const Status sent = RawTcpPrinter(to(fake.port(), true)).send(zplJob());
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
}

BOOST_AUTO_TEST_CASE(an_empty_document_is_invalid_not_sent) {
  FakePrinter fake;
  const Status sent = RawTcpPrinter(to(fake.port())).send(PrintDocument{"empty", DocumentFormat::Zpl, ""});
  BOOST_TEST(sent.error().kind == ErrorKind::Invalid);
  BOOST_TEST(fake.jobs().empty());
}

BOOST_AUTO_TEST_CASE(printer_uris_make_the_right_printer_and_bad_ones_are_invalid) {
  BOOST_TEST(makePrinter("tcp://10.0.0.7").value()->name() == "tcp://10.0.0.7:9100");
  BOOST_TEST(makePrinter("tcp://zebra-1.local:6101").value()->name() == "tcp://zebra-1.local:6101");
  BOOST_TEST(makePrinter("tcp+status://10.0.0.7:9100").value()->name() == "tcp+status://10.0.0.7:9100");
  BOOST_TEST(makePrinter("tcp://[::1]:9100").value()->name() == "tcp://[::1]:9100");
  BOOST_TEST(makePrinter("cups:Zebra_ZD420").value()->name() == "cups:Zebra_ZD420");
  BOOST_TEST(makePrinter("cups://print.local:631/Laser-2").value()->name() ==
             "cups://print.local:631/Laser-2");
  for (const std::string bad :
       {"", "lpr://x", "tcp://", "tcp://host:0", "tcp://host:70000", "tcp://host:9100x", "tcp://ho st",
        "cups:", "cups:queue with space", "cups://server", "cups://:631/q"}) {
    auto printer = makePrinter(bad);
    BOOST_TEST_CONTEXT(bad) {
      BOOST_REQUIRE(!printer.ok());
      BOOST_TEST(printer.error().kind == ErrorKind::Invalid);
      BOOST_TEST(printer.error().message.find("printer \"" + bad + "\"") == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(cups_printer_without_a_server_is_unavailable) {
  CupsPrinter::Options o;
  o.queue = "Zebra";
  o.server = "127.0.0.1:" + std::to_string(closedPort());
  o.timeout = 2000ms;
  const Status sent = CupsPrinter(o).send(zplJob());
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST(sent.error().kind == ErrorKind::Unavailable);
  BOOST_TEST(sent.error().message.find("printer cups://127.0.0.1:") == 0);
}

BOOST_AUTO_TEST_CASE(cups_printer_talking_to_a_garbage_server_fails_cleanly) {
  // Something that is not an IPP server: reads the request, answers junk, hangs up.
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BOOST_REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  BOOST_REQUIRE(::listen(listener, 4) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::thread server([listener] {
    for (int i = 0; i < 4; ++i) {
      pollfd p{listener, POLLIN, 0};
      if (::poll(&p, 1, 3000) <= 0) return;  // the client gave up
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      char buffer[4096];
      (void)!::recv(fd, buffer, sizeof buffer, 0);
      const std::string junk = "\x02\x03garbage from a printer that is not CUPS\r\n\r\n";
      (void)!::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
      ::close(fd);
    }
  });
  CupsPrinter::Options o;
  o.queue = "Zebra";
  o.server = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  o.timeout = 2000ms;
  const Status sent = CupsPrinter(o).send(zplJob());
  ::shutdown(listener, SHUT_RDWR);
  server.join();
  ::close(listener);
  BOOST_REQUIRE(!sent.ok());
  BOOST_TEST((sent.error().kind == ErrorKind::Unavailable || sent.error().kind == ErrorKind::NotFound));
}

BOOST_AUTO_TEST_SUITE_END()
