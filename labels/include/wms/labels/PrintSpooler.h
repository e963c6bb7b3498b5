// Print jobs that survive a printer being off: a PrintSpooler sends jobs to
// one Printer in order, retries with backoff while the printer is
// unavailable, records every attempt in a JobLog and tells its listener when
// a job waits on the printer, is printed or has failed. Any job can be
// printed again (reprint) from the data kept in the log.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "wms/common/Result.h"
#include "wms/labels/Printer.h"

namespace wms::labels {

using JobId = std::uint64_t;

enum class JobState {
  Queued,   // accepted, not yet tried
  Waiting,  // the last attempt failed; it will be retried
  Printed,  // the printer accepted all of it
  Failed,   // gave up after the last allowed attempt
};

// "queued", "waiting", "printed", "failed".
const char* toString(JobState state) noexcept;

struct JobRecord {
  JobId id = 0;
  std::string printer;  // Printer::name()
  PrintDocument document;
  std::optional<JobId> reprintOf;
  JobState state = JobState::Queued;
  int attempts = 0;
  std::string lastError;  // empty unless an attempt failed
};

struct AttemptRecord {
  JobId job = 0;
  int attempt = 0;  // 1-based
  std::chrono::system_clock::time_point at;
  bool ok = false;
  std::string error;  // empty when ok
};

// Where jobs and the outcome of each attempt are kept. The server implements
// it over its database; InMemoryJobLog serves the CLI and tests.
// Threading: implementations must be safe to call from several threads.
class JobLog {
 public:
  virtual ~JobLog() = default;
  // Stores a new job (state Queued) and returns its id (unique, > 0).
  virtual Result<JobId> create(const std::string& printer, const PrintDocument& document,
                               std::optional<JobId> reprintOf) = 0;
  // Appends one attempt's outcome and updates the job's attempts/lastError.
  virtual Status recordAttempt(const AttemptRecord& attempt) = 0;
  virtual Status setState(JobId job, JobState state) = 0;
  // NotFound for an unknown id.
  virtual Result<JobRecord> find(JobId job) const = 0;
  // Jobs of a printer still Queued or Waiting, oldest first (for resuming
  // after a restart).
  virtual Result<std::vector<JobId>> unfinished(const std::string& printer) const = 0;
};

// A JobLog in memory. Thread-safe (one mutex).
class InMemoryJobLog final : public JobLog {
 public:
  InMemoryJobLog() = default;
  InMemoryJobLog(const InMemoryJobLog&) = delete;
  InMemoryJobLog& operator=(const InMemoryJobLog&) = delete;

  Result<JobId> create(const std::string& printer, const PrintDocument& document,
                       std::optional<JobId> reprintOf) override;
  Status recordAttempt(const AttemptRecord& attempt) override;
  Status setState(JobId job, JobState state) override;
  Result<JobRecord> find(JobId job) const override;
  Result<std::vector<JobId>> unfinished(const std::string& printer) const override;

  // Every attempt recorded for a job, in order.
  std::vector<AttemptRecord> attempts(JobId job) const;

 private:
  mutable std::mutex mutex_;
  // Protected by mutex_.
  JobId nextId_ = 1;
  std::map<JobId, JobRecord> jobs_;
  std::map<JobId, std::vector<AttemptRecord>> attempts_;
};

struct RetryPolicy {
  int maxAttempts = 5;  // >= 1
  std::chrono::milliseconds initialBackoff{1000};
  double multiplier = 2.0;  // >= 1
  std::chrono::milliseconds maxBackoff{30000};

  // The wait after failed attempt n (1-based).
  std::chrono::milliseconds backoffAfter(int attempt) const;
};

// What happened to a job, as told to the listener.
struct JobEvent {
  JobId job = 0;
  JobState state = JobState::Queued;  // Waiting, Printed or Failed
  int attempt = 0;                    // the attempt that just ended
  int maxAttempts = 0;
  std::chrono::milliseconds retryIn{0};  // Waiting only
  std::string error;                     // why the attempt failed (Waiting, Failed)
};

// Threading: submit, reprint, resume, find and waitIdle may be called from
// any thread. Jobs are sent by one worker thread owned by the spooler, in
// the order they were submitted; a job waiting on the printer holds back the
// jobs behind it. The listener runs on the worker thread: it must return
// quickly and must not call waitIdle (exceptions it throws are dropped). The printer and log must outlive the
// spooler. The destructor stops the worker (interrupting a backoff wait, not
// a send in progress); unsent jobs stay Queued/Waiting in the log.
class PrintSpooler {
 public:
  using Listener = std::function<void(const JobEvent&)>;

  // Starts the worker. Throws std::invalid_argument for a policy with
  // maxAttempts < 1, multiplier < 1 or initialBackoff > maxBackoff.
  PrintSpooler(Printer& printer, JobLog& log, RetryPolicy policy = {}, Listener listener = {});
  ~PrintSpooler();
  PrintSpooler(const PrintSpooler&) = delete;
  PrintSpooler& operator=(const PrintSpooler&) = delete;

  // Records a job in the log and queues it. Returns the job id at once;
  // fails only if the log does (its error) or the document is empty (Invalid).
  Result<JobId> submit(PrintDocument document);

  // Queues a new job with the data of an earlier one (any state, any
  // printer). NotFound for an unknown id.
  Result<JobId> reprint(JobId original);

  // Queues the log's unfinished jobs of this printer (after a restart),
  // except those already queued or being tried. Returns how many were queued.
  Result<std::size_t> resume();

  // The job as recorded in the log.
  Result<JobRecord> find(JobId job) const;

  // Blocks until no job is queued or being tried, or until the timeout;
  // returns whether the spooler became idle.
  bool waitIdle(std::chrono::milliseconds timeout);

 private:
  void run();
  void process(JobId job);
  bool sleepFor(std::chrono::milliseconds duration);  // false when stopping
  void notify(const JobEvent& event);

  // Constant after construction.
  Printer& printer_;
  JobLog& log_;
  const RetryPolicy policy_;
  const Listener listener_;
  const std::string printerName_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // new job or stop
  std::condition_variable idle_;  // queue drained
  // Protected by mutex_.
  std::deque<JobId> queue_;
  JobId current_ = 0;  // the job being tried, 0 when none
  bool busy_ = false;
  bool stopping_ = false;

  std::thread worker_;  // last: started after everything above exists
};

}  // namespace wms::labels
