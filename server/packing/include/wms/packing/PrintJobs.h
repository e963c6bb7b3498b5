// Printing shipping labels from wmsd: a labels::JobLog over the database
// (every job keeps its document, every attempt its outcome), and
// LabelPrinting, which owns one PrintSpooler per configured printer and
// prints the labels of a booked shipment there.
//
// A printer that is off or answers garbage makes the job wait and retry
// (1 s, 2 s, 4 s... up to printing.max_backoff_ms, printing.max_attempts in
// all); the job's view says so ("waiting for printer ZEBRA-1: printer
// tcp://10.0.0.7:9100 cannot connect: Connection refused (attempt 2 of 10,
// next in 4 s)"), the listener hears it at once, and a job
// that fails for good raises a supervisor exception (kind printer_failed).
// Any job can be printed again: reprint() queues the stored document anew.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "wms/background/Errors.h"
#include "wms/common/Result.h"
#include "wms/labels/PrintSpooler.h"
#include "wms/labels/Printer.h"
#include "wms/packing/PackingConfig.h"
#include "wms/packing/Shipping.h"
#include "wms/store/Database.h"

namespace wms::packing {

// A shipping label as ZPL, PDF or PNG for a label size and resolution.
// Internal if rendering fails.
Result<std::string> renderLabel(const labels::ShippingLabel& label, labels::DocumentFormat format,
                                labels::LabelSize size = labels::LabelSize::FourBySix,
                                labels::Dpi dpi = labels::Dpi::D203);

// labels::JobLog over the print_jobs and print_attempts tables. Each call is
// a transaction of its own: it must not be called inside a Database work
// function. Thread-safe (Database::write/read).
class DatabaseJobLog final : public labels::JobLog {
 public:
  explicit DatabaseJobLog(store::Database& db) : db_(db) {}
  DatabaseJobLog(const DatabaseJobLog&) = delete;
  DatabaseJobLog& operator=(const DatabaseJobLog&) = delete;

  Result<labels::JobId> create(const std::string& printer, const labels::PrintDocument& document,
                               std::optional<labels::JobId> reprintOf) override;
  Status recordAttempt(const labels::AttemptRecord& attempt) override;
  Status setState(labels::JobId job, labels::JobState state) override;
  Result<labels::JobRecord> find(labels::JobId job) const override;
  Result<std::vector<labels::JobId>> unfinished(const std::string& printer) const override;

  // Every attempt recorded for a job, in order.
  Result<std::vector<labels::AttemptRecord>> attempts(labels::JobId job) const;

 private:
  store::Database& db_;
};

// A print job as the packer sees it.
struct PrintJobView {
  labels::JobId id = 0;
  std::string printerId;  // the configured id ("ZEBRA-PACK-2")
  std::string printer;    // its address (Printer::name(): "tcp://10.0.0.7:9100")
  std::string title;      // "SO-42 carton 1/2"
  labels::DocumentFormat format = labels::DocumentFormat::Zpl;
  labels::JobState state = labels::JobState::Queued;
  int attempts = 0;
  int maxAttempts = 0;
  std::string lastError;       // why the last attempt failed
  std::int64_t retryAtMs = 0;  // Waiting: when the next attempt is due (0 if not known, e.g. after a restart)
  std::optional<labels::JobId> reprintOf;
  std::int64_t shipmentId = 0;  // 0 if the job is not a shipment's label
  int cartonNumber = 0;
  // One line for the packer: "printed", "waiting for printer ZEBRA-1: ...
  // (attempt 2 of 10, next in 4 s)", "failed: ...", "queued".
  std::string message;
};

// Threading: every method may be called from any thread, but not inside a
// Database work function (they start their own transactions). The listener
// runs on a spooler's worker thread: it must return quickly. The database
// and the shipping service must outlive this object; the destructor stops
// the spoolers (unsent jobs stay queued/waiting in the database; resume()
// after the next start sends them).
class LabelPrinting {
 public:
  using Listener = std::function<void(const PrintJobView&)>;

  // The printers of shipping.config(). Invalid if a printer's URI is not
  // usable (config validates this already). Database errors of the
  // spoolers' callbacks are counted in `errors` (its own if none is given;
  // it must outlive this object).
  static Result<std::unique_ptr<LabelPrinting>> create(store::Database& db, ShippingService& shipping,
                                                       Listener listener = {}, background::Errors* errors = nullptr);
  ~LabelPrinting();
  LabelPrinting(const LabelPrinting&) = delete;
  LabelPrinting& operator=(const LabelPrinting&) = delete;

  // Queues the jobs left unfinished by an earlier run; returns how many.
  Result<std::size_t> resume();

  // The printer a station prints on: `requested` if given, else the
  // station's (packing.station.<ID>.printer), else the default. NotFound
  // for an unknown printer; Invalid if no printer is configured at all.
  Result<std::string> printerFor(const std::string& station, const std::string& requested) const;

  // Prints the label of every carton of a booked shipment (in the printer's
  // format, size and resolution) and returns the jobs, queued. NotFound for
  // an unknown shipment or printer. Printing again is just calling it again.
  Result<std::vector<PrintJobView>> printShipment(std::int64_t shipmentId, const std::string& station,
                                                  const std::string& printerId = {});

  // Prints a job's document again (on the printer it was printed on, or
  // another one). NotFound for an unknown job or printer.
  Result<PrintJobView> reprint(labels::JobId job, const std::string& printerId = {});

  Result<PrintJobView> job(labels::JobId job) const;
  Result<std::vector<PrintJobView>> jobsOfShipment(std::int64_t shipmentId) const;
  Result<std::vector<labels::AttemptRecord>> attempts(labels::JobId job) const;
  const std::vector<PrinterSettings>& printers() const;

  // A carton's label rendered for a preview (PNG, PDF) or for download
  // (ZPL), in any size and resolution. NotFound for an unknown shipment or
  // carton; Internal if rendering fails.
  Result<std::string> render(std::int64_t shipmentId, int cartonNumber, labels::DocumentFormat format,
                             labels::LabelSize size = labels::LabelSize::FourBySix,
                             labels::Dpi dpi = labels::Dpi::D203);

  // Blocks until every spooler is idle or the timeout passes (for tests and
  // shutdown); true if all became idle.
  bool waitIdle(std::chrono::milliseconds timeout);

 private:
  struct Station;
  LabelPrinting(store::Database& db, ShippingService& shipping, Listener listener, background::Errors* errors);
  void onEvent(const std::string& printerId, const labels::JobEvent& event);
  // Raises the failed printers' exceptions not raised yet (the database
  // refused them); kept for the next event if it still refuses.
  void raisePending();
  Result<PrintJobView> viewOf(labels::JobId id) const;
  Station* station(const std::string& printerId) const;

  // Constant after construction.
  store::Database& db_;
  ShippingService& shipping_;
  const Listener listener_;
  DatabaseJobLog log_;
  std::vector<PrinterSettings> settings_;
  std::vector<std::unique_ptr<Station>> stations_;  // one per printer, spooler running
  background::Errors ownErrors_;
  background::Loop& health_;

  struct PendingRaise {
    std::string reference;
    std::string message;
  };
  std::mutex raiseMutex_;                // taken alone, never with mutex_
  std::vector<PendingRaise> unraised_;  // protected by raiseMutex_

  mutable std::mutex mutex_;
  std::map<labels::JobId, std::int64_t> retryAt_;  // protected by mutex_: Waiting jobs' next attempt
};

}  // namespace wms::packing
