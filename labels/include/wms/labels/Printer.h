// Printers: where finished label data goes. A Printer sends one document and
// reports the outcome as a value; it does not retry (PrintSpooler does).
//
// Threading: a Printer object is used by one thread at a time (the spooler's
// worker); different Printer objects may be used concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "wms/common/Result.h"

namespace wms::labels {

// What the bytes of a document are.
enum class DocumentFormat { Zpl, Pdf, Png };

// "zpl", "pdf", "png".
const char* toString(DocumentFormat format) noexcept;

struct PrintDocument {
  std::string title;  // shown in printer queues ("SO-10042 carton 1/2")
  DocumentFormat format = DocumentFormat::Zpl;
  std::string data;
};

class Printer {
 public:
  virtual ~Printer() = default;

  // How the printer is addressed, e.g. "tcp://10.0.0.7:9100" or "cups:Zebra1".
  virtual std::string name() const = 0;

  // Sends one document and returns when the printer (or the CUPS server)
  // has accepted all of it. Unavailable if the printer cannot be reached,
  // refuses, times out, answers garbage or reports a fault (paper out...);
  // NotFound for an unknown CUPS queue. The message names the printer.
  virtual Status send(const PrintDocument& document) = 0;
};

// Raw TCP printing (port 9100), the protocol of Zebra and most label and
// network printers: connect, write the bytes, close. Non-copyable.
class RawTcpPrinter final : public Printer {
 public:
  struct Options {
    std::string host;
    std::uint16_t port = 9100;
    std::chrono::milliseconds connectTimeout{3000};
    std::chrono::milliseconds ioTimeout{10000};  // per write/read wait
    // Ask a ZPL printer for its host status (~HS) before sending and refuse
    // to send if it does not answer, answers garbage or reports a fault.
    // Off by default: nothing is read back unless asked.
    bool checkStatus = false;
    // After sending, how long to wait for the printer to close its side
    // (bytes it sends meanwhile are read and dropped, so the connection is
    // not reset while the printer still reads).
    std::chrono::milliseconds closeGrace{1000};
  };

  // Throws std::invalid_argument if options.host is empty (a misuse).
  explicit RawTcpPrinter(Options options);
  RawTcpPrinter(const RawTcpPrinter&) = delete;
  RawTcpPrinter& operator=(const RawTcpPrinter&) = delete;

  std::string name() const override;
  Status send(const PrintDocument& document) override;

 private:
  Options options_;  // constant after construction
};

// A CUPS queue. ZPL goes as raw data (application/vnd.cups-raw), PDF and PNG
// as themselves so CUPS filters them for the queue's printer. Non-copyable.
class CupsPrinter final : public Printer {
 public:
  struct Options {
    std::string queue;
    // "host" or "host:port" of the CUPS server; empty = the client's default
    // (CUPS_SERVER, client.conf, or the local socket).
    std::string server;
    std::chrono::milliseconds timeout{10000};
  };

  // Throws std::invalid_argument if options.queue is empty (a misuse).
  explicit CupsPrinter(Options options);
  CupsPrinter(const CupsPrinter&) = delete;
  CupsPrinter& operator=(const CupsPrinter&) = delete;

  std::string name() const override;
  Status send(const PrintDocument& document) override;

 private:
  Options options_;  // constant after construction
};

// A printer from its URI: "tcp://HOST[:PORT]" (RawTcpPrinter, port 9100 by
// default), "tcp+status://HOST[:PORT]" (the same with checkStatus on) or
// "cups:QUEUE" / "cups://SERVER[:PORT]/QUEUE" (CupsPrinter). Invalid for
// anything else, the message quoting the URI.
Result<std::unique_ptr<Printer>> makePrinter(std::string_view uri);

}  // namespace wms::labels
