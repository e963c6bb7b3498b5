#include "wms/packing/PrintJobs.h"

#include <algorithm>

#include "wms/labels/Render.h"
#include "wms/labels/Zpl.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"

namespace wms::packing {
namespace {

std::string n(std::int64_t v) {
  return std::to_string(v);
}

std::optional<labels::JobState> jobStateFrom(const std::string& s) {
  for (auto st : {labels::JobState::Queued, labels::JobState::Waiting, labels::JobState::Printed,
                  labels::JobState::Failed}) {
    if (s == labels::toString(st)) return st;
  }
  return std::nullopt;
}

std::optional<labels::DocumentFormat> formatFrom(const std::string& s) {
  for (auto f : {labels::DocumentFormat::Zpl, labels::DocumentFormat::Pdf, labels::DocumentFormat::Png}) {
    if (s == labels::toString(f)) return f;
  }
  return std::nullopt;
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error notFoundJob(labels::JobId job) {
  return Error{ErrorKind::NotFound, "no print job " + n(static_cast<std::int64_t>(job))};
}

}  // namespace

// ---- DatabaseJobLog -----------------------------------------------------------

Result<labels::JobId> DatabaseJobLog::create(const std::string& printer,
                                             const labels::PrintDocument& document,
                                             std::optional<labels::JobId> reprintOf) {
  std::int64_t id = 0;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    // An empty document is bound as NULL and refused by the NOT NULL column
    // (the spooler never submits one).
    store::Query q(tx,
                   "INSERT INTO print_jobs(printer, title, format, data, reprint_of, state, created_at, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING id");
    q.bind(printer).bind(document.title).bind(std::string(labels::toString(document.format)));
    if (document.data.empty())
      q.bindNull();
    else
      q.bindBlob(document.data);
    q.bind(static_cast<std::int64_t>(reprintOf.value_or(0))).bind(tx.nowMs()).bind(tx.nowMs());
    if (q.step()) {
      id = q.integer(0);
      q.run();  // finish the statement: RETURNING completes the insert on the last step
    }
    return {};
  });
  if (!st) return st.error();
  return static_cast<labels::JobId>(id);
}

Status DatabaseJobLog::recordAttempt(const labels::AttemptRecord& a) {
  return db_.write([&](store::Tx& tx) -> Status {
    const auto at = std::chrono::duration_cast<std::chrono::milliseconds>(a.at.time_since_epoch()).count();
    std::size_t changed = store::exec(
        tx, "UPDATE print_jobs SET attempts = MAX(attempts, ?), last_error = ?, updated_at = ? WHERE id = ?",
        a.attempt, a.ok ? std::string() : a.error, tx.nowMs(), static_cast<std::int64_t>(a.job));
    if (changed == 0) return notFoundJob(a.job);
    store::exec(tx,
                "INSERT INTO print_attempts(job_id, attempt, at, ok, error) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(job_id, attempt) DO UPDATE SET at = excluded.at, ok = excluded.ok, error = "
                "excluded.error",
                static_cast<std::int64_t>(a.job), a.attempt, static_cast<std::int64_t>(at), a.ok, a.error);
    return {};
  });
}

Status DatabaseJobLog::setState(labels::JobId job, labels::JobState state) {
  return db_.write([&](store::Tx& tx) -> Status {
    std::size_t changed =
        store::exec(tx, "UPDATE print_jobs SET state = ?, updated_at = ? WHERE id = ?",
                    std::string(labels::toString(state)), tx.nowMs(), static_cast<std::int64_t>(job));
    if (changed == 0) return notFoundJob(job);
    return {};
  });
}

Result<labels::JobRecord> DatabaseJobLog::find(labels::JobId job) const {
  Result<labels::JobRecord> out = notFoundJob(job);
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx,
                   "SELECT printer, title, format, data, reprint_of, state, attempts, last_error FROM "
                   "print_jobs WHERE id = ?");
    q.bind(static_cast<std::int64_t>(job));
    if (!q.step()) return {};
    labels::JobRecord r;
    r.id = job;
    r.printer = q.text(0);
    r.document.title = q.text(1);
    r.document.format = formatFrom(q.text(2)).value_or(labels::DocumentFormat::Zpl);
    r.document.data = q.text(3);  // the BLOB's bytes
    if (const std::int64_t reprint = q.integer(4); reprint > 0) r.reprintOf = static_cast<labels::JobId>(reprint);
    r.state = jobStateFrom(q.text(5)).value_or(labels::JobState::Failed);
    r.attempts = static_cast<int>(q.integer(6));
    r.lastError = q.text(7);
    out = std::move(r);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<labels::JobId>> DatabaseJobLog::unfinished(const std::string& printer) const {
  std::vector<labels::JobId> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT id FROM print_jobs WHERE printer = ? AND state IN ('queued', 'waiting') ORDER BY id");
    q.bind(printer);
    while (q.step()) out.push_back(static_cast<labels::JobId>(q.integer(0)));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<labels::AttemptRecord>> DatabaseJobLog::attempts(labels::JobId job) const {
  std::vector<labels::AttemptRecord> out;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT attempt, at, ok, error FROM print_attempts WHERE job_id = ? ORDER BY attempt");
    q.bind(static_cast<std::int64_t>(job));
    while (q.step()) {
      out.push_back({job, static_cast<int>(q.integer(0)),
                     std::chrono::system_clock::time_point(std::chrono::milliseconds(q.integer(1))),
                     q.integer(2) != 0, q.text(3)});
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

// ---- LabelPrinting ---------------------------------------------------------------

struct LabelPrinting::Station {
  PrinterSettings settings;
  std::string name;  // Printer::name()
  std::unique_ptr<labels::Printer> printer;
  std::unique_ptr<labels::PrintSpooler> spooler;  // last: stopped first
};

LabelPrinting::LabelPrinting(store::Database& db, ShippingService& shipping, Listener listener,
                             background::Errors* errors)
    : db_(db),
      shipping_(shipping),
      listener_(std::move(listener)),
      log_(db),
      health_((errors ? *errors : ownErrors_).loop("packing.print_events")) {}

LabelPrinting::~LabelPrinting() {
  // The spoolers' workers call back into this object: stop them first.
  for (auto& s : stations_) s->spooler.reset();
  stations_.clear();
}

Result<std::unique_ptr<LabelPrinting>> LabelPrinting::create(store::Database& db, ShippingService& shipping,
                                                             Listener listener, background::Errors* errors) {
  std::unique_ptr<LabelPrinting> lp(new LabelPrinting(db, shipping, std::move(listener), errors));
  lp->settings_ = shipping.config().printers;
  for (const auto& p : lp->settings_) {
    auto printer = labels::makePrinter(p.uri);
    if (!printer) return Error{ErrorKind::Invalid, "printer " + p.id + ": " + printer.error().message};
    auto station = std::make_unique<Station>();
    station->settings = p;
    station->printer = std::move(*printer);
    station->name = station->printer->name();
    const std::string id = p.id;
    LabelPrinting* self = lp.get();
    station->spooler = std::make_unique<labels::PrintSpooler>(
        *station->printer, lp->log_, shipping.config().retry,
        [self, id](const labels::JobEvent& e) { self->onEvent(id, e); });
    lp->stations_.push_back(std::move(station));
  }
  return lp;
}

LabelPrinting::Station* LabelPrinting::station(const std::string& printerId) const {
  for (const auto& s : stations_) {
    if (s->settings.id == printerId) return s.get();
  }
  return nullptr;
}

const std::vector<PrinterSettings>& LabelPrinting::printers() const {
  return settings_;
}

Result<std::size_t> LabelPrinting::resume() {
  std::size_t total = 0;
  for (auto& s : stations_) {
    auto n = s->spooler->resume();
    if (!n) return n.error();
    total += *n;
  }
  return total;
}

Result<std::string> LabelPrinting::printerFor(const std::string& stationId,
                                              const std::string& requested) const {
  const auto& config = shipping_.config();
  if (stations_.empty())
    return Error{ErrorKind::Invalid, "no printer is configured (printing.printer.<ID>.uri)"};
  std::string id = requested;
  if (id.empty() && !stationId.empty()) {
    auto it = config.stationPrinters.find(stationId);
    if (it != config.stationPrinters.end()) id = it->second;
  }
  if (id.empty()) id = config.defaultPrinter;
  if (id.empty())
    return Error{ErrorKind::Invalid,
                 "no printer chosen: name one, or set printing.default_printer or "
                 "packing.station." +
                     (stationId.empty() ? std::string("<ID>") : stationId) + ".printer"};
  if (!station(id)) return Error{ErrorKind::NotFound, "no printer '" + id + "'"};
  return id;
}

void LabelPrinting::onEvent(const std::string& printerId, const labels::JobEvent& e) {
  {
    std::lock_guard lock(mutex_);
    if (e.state == labels::JobState::Waiting)
      retryAt_[e.job] = nowMs() + e.retryIn.count();
    else
      retryAt_.erase(e.job);
  }
  if (e.state == labels::JobState::Failed) {
    // A person has to look at a printer that gave up; the packer is told
    // through the job's state as well.
    std::lock_guard lock(raiseMutex_);
    unraised_.push_back({"printer:" + printerId, "printer " + printerId + " failed print job " +
                                                     n(static_cast<std::int64_t>(e.job)) + ": " + e.error});
  }
  raisePending();
  if (!listener_) return;
  auto view = viewOf(e.job);
  if (view) listener_(*view);
}

void LabelPrinting::raisePending() {
  std::lock_guard lock(raiseMutex_);
  if (unraised_.empty()) return;
  auto st = db_.write([&](store::Tx& tx) -> Status {
    for (const auto& r : unraised_) store::ExceptionRepository(tx).raise("printer_failed", r.reference, r.message);
    return {};
  });
  // Kept if refused: the next spooler event (every job's next attempt is one)
  // tries again, so a failed printer is never silently forgotten.
  if (health_.check("raising " + std::to_string(unraised_.size()) + " failed print jobs", st)) unraised_.clear();
}

Result<PrintJobView> LabelPrinting::viewOf(labels::JobId id) const {
  auto record = log_.find(id);
  if (!record) return record.error();
  PrintJobView v;
  v.id = id;
  v.printer = record->printer;
  v.title = record->document.title;
  v.format = record->document.format;
  v.state = record->state;
  v.attempts = record->attempts;
  v.maxAttempts = shipping_.config().retry.maxAttempts;
  v.lastError = record->lastError;
  v.reprintOf = record->reprintOf;
  for (const auto& s : stations_) {
    if (s->name == record->printer) v.printerId = s->settings.id;
  }
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT shipment_id, carton_no, printer_id FROM shipment_print_jobs WHERE job_id = ?");
    q.bind(static_cast<std::int64_t>(id));
    if (q.step()) {
      v.shipmentId = q.integer(0);
      v.cartonNumber = static_cast<int>(q.integer(1));
      if (std::string printerId = q.text(2); !printerId.empty()) v.printerId = std::move(printerId);
    }
    return {};
  });
  if (!st) return st.error();
  {
    std::lock_guard lock(mutex_);
    auto it = retryAt_.find(id);
    if (it != retryAt_.end() && v.state == labels::JobState::Waiting) v.retryAtMs = it->second;
  }
  const std::string who = v.printerId.empty() ? v.printer : v.printerId;
  switch (v.state) {
    case labels::JobState::Queued:
      v.message = "queued for printer " + who;
      break;
    case labels::JobState::Printed:
      v.message = "printed on " + who;
      break;
    case labels::JobState::Failed:
      v.message = "failed on printer " + who + " after " + n(v.attempts) + " attempt(s): " + v.lastError;
      break;
    case labels::JobState::Waiting: {
      v.message = "waiting for printer " + who + ": " + v.lastError + " (attempt " + n(v.attempts) + " of " +
                  n(v.maxAttempts);
      if (v.retryAtMs > 0) {
        const std::int64_t s = std::max<std::int64_t>(0, (v.retryAtMs - nowMs() + 999) / 1000);
        v.message += ", next in " + n(s) + " s";
      }
      v.message += ")";
      break;
    }
  }
  return v;
}

Result<PrintJobView> LabelPrinting::job(labels::JobId id) const {
  return viewOf(id);
}

Result<std::string> renderLabel(const labels::ShippingLabel& label, labels::DocumentFormat format,
                                labels::LabelSize size, labels::Dpi dpi) {
  const auto tmpl = labels::makeTemplate(size, dpi);
  Result<std::string> out = Error{ErrorKind::Internal, "no format"};
  switch (format) {
    case labels::DocumentFormat::Zpl:
      out = labels::renderZpl(label, tmpl);
      break;
    case labels::DocumentFormat::Pdf:
      out = labels::renderPdf(label, tmpl);
      break;
    case labels::DocumentFormat::Png:
      out = labels::renderPng(label, tmpl);
      break;
  }
  if (!out) return Error{ErrorKind::Internal, "rendering the label failed: " + out.error().message};
  return out;
}

Result<std::string> LabelPrinting::render(std::int64_t shipmentId, int cartonNumber,
                                          labels::DocumentFormat format, labels::LabelSize size,
                                          labels::Dpi dpi) {
  auto label = shipping_.label(shipmentId, cartonNumber);
  if (!label) return label.error();
  return renderLabel(*label, format, size, dpi);
}

Result<std::vector<PrintJobView>> LabelPrinting::printShipment(std::int64_t shipmentId,
                                                               const std::string& stationId,
                                                               const std::string& printerId) {
  auto id = printerFor(stationId, printerId);
  if (!id) return id.error();
  Station* s = station(*id);
  auto shipment = shipping_.shipment(shipmentId);
  if (!shipment) return shipment.error();
  std::vector<labels::PrintDocument> documents;
  const int count = static_cast<int>(shipment->cartons.size());
  for (int i = 1; i <= count; ++i) {
    auto label = shipping_.label(shipmentId, i);
    if (!label) return label.error();
    auto data = renderLabel(*label, s->settings.format, s->settings.size, s->settings.dpi);
    if (!data) return data.error();
    documents.push_back({shipment->orderReference + " carton " + n(i) + "/" + n(count), s->settings.format,
                         std::move(*data)});
  }
  std::vector<PrintJobView> out;
  for (int i = 1; i <= count; ++i) {
    auto job = s->spooler->submit(documents[static_cast<std::size_t>(i - 1)]);
    if (!job) return job.error();
    auto st = db_.write([&](store::Tx& tx) -> Status {
      store::exec(
          tx,
          "INSERT INTO shipment_print_jobs(job_id, shipment_id, carton_no, printer_id) VALUES (?, ?, ?, ?)",
          static_cast<std::int64_t>(*job), shipmentId, i, *id);
      return {};
    });
    if (!st) return st.error();
    auto view = viewOf(*job);
    if (!view) return view.error();
    out.push_back(std::move(*view));
  }
  return out;
}

Result<PrintJobView> LabelPrinting::reprint(labels::JobId original, const std::string& printerId) {
  auto record = log_.find(original);
  if (!record) return record.error();
  Station* s = nullptr;
  if (printerId.empty()) {
    for (const auto& st : stations_) {
      if (st->name == record->printer) s = st.get();
    }
    if (!s)
      return Error{ErrorKind::NotFound, "printer " + record->printer + " of job " +
                                            n(static_cast<std::int64_t>(original)) +
                                            " is not configured now"};
  } else {
    s = station(printerId);
    if (!s) return Error{ErrorKind::NotFound, "no printer '" + printerId + "'"};
  }
  auto job = s->spooler->reprint(original);
  if (!job) return job.error();
  auto st = db_.write([&](store::Tx& tx) -> Status {
    store::exec(tx,
                "INSERT INTO shipment_print_jobs(job_id, shipment_id, carton_no, printer_id) "
                "SELECT ?, shipment_id, carton_no, ? FROM shipment_print_jobs WHERE job_id = ?",
                static_cast<std::int64_t>(*job), s->settings.id, static_cast<std::int64_t>(original));
    return {};
  });
  if (!st) return st.error();
  return viewOf(*job);
}

Result<std::vector<PrintJobView>> LabelPrinting::jobsOfShipment(std::int64_t shipmentId) const {
  std::vector<std::int64_t> ids;
  auto st = db_.read([&](store::Tx& tx) -> Status {
    store::Query q(tx, "SELECT job_id FROM shipment_print_jobs WHERE shipment_id = ? ORDER BY job_id");
    q.bind(shipmentId);
    while (q.step()) ids.push_back(q.integer(0));
    return {};
  });
  if (!st) return st.error();
  std::vector<PrintJobView> out;
  for (auto id : ids) {
    auto v = viewOf(static_cast<labels::JobId>(id));
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  return out;
}

Result<std::vector<labels::AttemptRecord>> LabelPrinting::attempts(labels::JobId job) const {
  if (auto r = log_.find(job); !r) return r.error();
  return log_.attempts(job);
}

bool LabelPrinting::waitIdle(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (auto& s : stations_) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!s->spooler->waitIdle(std::max(left, std::chrono::milliseconds(0)))) return false;
  }
  return true;
}

}  // namespace wms::packing
