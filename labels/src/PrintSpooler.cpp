#include "wms/labels/PrintSpooler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wms::labels {

const char* toString(JobState state) noexcept {
  switch (state) {
    case JobState::Queued:
      return "queued";
    case JobState::Waiting:
      return "waiting";
    case JobState::Printed:
      return "printed";
    case JobState::Failed:
      return "failed";
  }
  return "?";
}

// --- InMemoryJobLog ---------------------------------------------------------

Result<JobId> InMemoryJobLog::create(const std::string& printer, const PrintDocument& document,
                                     std::optional<JobId> reprintOf) {
  std::lock_guard lock(mutex_);
  JobRecord record;
  record.id = nextId_++;
  record.printer = printer;
  record.document = document;
  record.reprintOf = reprintOf;
  jobs_.emplace(record.id, record);
  return record.id;
}

Status InMemoryJobLog::recordAttempt(const AttemptRecord& attempt) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(attempt.job);
  if (it == jobs_.end())
    return makeError(ErrorKind::NotFound, "print job " + std::to_string(attempt.job) + " not found");
  it->second.attempts = std::max(it->second.attempts, attempt.attempt);
  it->second.lastError = attempt.ok ? std::string() : attempt.error;
  attempts_[attempt.job].push_back(attempt);
  return {};
}

Status InMemoryJobLog::setState(JobId job, JobState state) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(job);
  if (it == jobs_.end())
    return makeError(ErrorKind::NotFound, "print job " + std::to_string(job) + " not found");
  it->second.state = state;
  return {};
}

Result<JobRecord> InMemoryJobLog::find(JobId job) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(job);
  if (it == jobs_.end())
    return makeError(ErrorKind::NotFound, "print job " + std::to_string(job) + " not found");
  return it->second;
}

Result<std::vector<JobId>> InMemoryJobLog::unfinished(const std::string& printer) const {
  std::lock_guard lock(mutex_);
  std::vector<JobId> ids;
  for (const auto& [id, job] : jobs_) {
    if (job.printer == printer && (job.state == JobState::Queued || job.state == JobState::Waiting))
      ids.push_back(id);
  }
  return ids;
}

std::vector<AttemptRecord> InMemoryJobLog::attempts(JobId job) const {
  std::lock_guard lock(mutex_);
  auto it = attempts_.find(job);
  return it == attempts_.end() ? std::vector<AttemptRecord>() : it->second;
}

// --- RetryPolicy --------------------------------------------------------------

std::chrono::milliseconds RetryPolicy::backoffAfter(int attempt) const {
  const double factor = std::pow(multiplier, std::max(0, attempt - 1));
  const double ms = std::min(static_cast<double>(maxBackoff.count()), initialBackoff.count() * factor);
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

// --- PrintSpooler -------------------------------------------------------------

PrintSpooler::PrintSpooler(Printer& printer, JobLog& log, RetryPolicy policy, Listener listener)
    : printer_(printer),
      log_(log),
      policy_(policy),
      listener_(std::move(listener)),
      printerName_(printer.name()) {
  if (policy_.maxAttempts < 1 || policy_.multiplier < 1.0 || policy_.initialBackoff.count() < 0 ||
      policy_.maxBackoff < policy_.initialBackoff) {
    throw std::invalid_argument(
        "RetryPolicy needs maxAttempts >= 1, multiplier >= 1 and 0 <= initial <= max backoff");
  }
  worker_ = std::thread([this] { run(); });
}

PrintSpooler::~PrintSpooler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

Result<JobId> PrintSpooler::submit(PrintDocument document) {
  if (document.data.empty()) return makeError(ErrorKind::Invalid, "nothing to print: the document is empty");
  auto id = log_.create(printerName_, document, std::nullopt);
  if (!id) return id.error();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(id.value());
  }
  wake_.notify_all();
  return id.value();
}

Result<JobId> PrintSpooler::reprint(JobId original) {
  auto job = log_.find(original);
  if (!job) return job.error();
  auto id = log_.create(printerName_, job->document, original);
  if (!id) return id.error();
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(id.value());
  }
  wake_.notify_all();
  return id.value();
}

Result<std::size_t> PrintSpooler::resume() {
  auto ids = log_.unfinished(printerName_);
  if (!ids) return ids.error();
  std::size_t queued = 0;
  {
    std::lock_guard lock(mutex_);
    for (JobId id : ids.value()) {
      // The job being tried right now is unfinished too; queueing it again
      // would print it twice.
      if (id == current_ || std::find(queue_.begin(), queue_.end(), id) != queue_.end()) continue;
      queue_.push_back(id);
      ++queued;
    }
  }
  wake_.notify_all();
  return queued;
}

Result<JobRecord> PrintSpooler::find(JobId job) const {
  return log_.find(job);
}

bool PrintSpooler::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return (queue_.empty() && !busy_) || stopping_; }) &&
         queue_.empty() && !busy_;
}

void PrintSpooler::run() {
  while (true) {
    JobId job = 0;
    {
      std::unique_lock lock(mutex_);
      busy_ = false;
      current_ = 0;
      if (queue_.empty()) idle_.notify_all();
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = queue_.front();
      queue_.pop_front();
      busy_ = true;
      current_ = job;
    }
    process(job);
  }
}

void PrintSpooler::process(JobId id) {
  auto record = log_.find(id);
  if (!record) {
    notify(JobEvent{id, JobState::Failed, 0, policy_.maxAttempts, {}, record.error().message});
    return;
  }
  // Queued twice (resume after submit, say): a finished job is not sent again.
  if (record->state == JobState::Printed || record->state == JobState::Failed) return;
  for (int attempt = record->attempts + 1;; ++attempt) {
    const Status sent = printer_.send(record->document);
    AttemptRecord outcome{id, attempt, std::chrono::system_clock::now(), sent.ok(),
                          sent.ok() ? "" : sent.error().message};
    // A log failure must not stop printing; it is passed on with the event.
    std::string logError;
    if (auto s = log_.recordAttempt(outcome); !s)
      logError = "; recording the attempt failed: " + s.error().message;

    if (sent) {
      if (auto s = log_.setState(id, JobState::Printed); !s) logError += "; " + s.error().message;
      notify(JobEvent{id,
                      JobState::Printed,
                      attempt,
                      policy_.maxAttempts,
                      {},
                      logError.empty() ? "" : logError.substr(2)});
      return;
    }
    // Only a printer that may come back is worth waiting for; an unknown
    // queue or an unprintable document fails at once.
    const bool retryable = sent.error().kind == ErrorKind::Unavailable;
    if (!retryable || attempt >= policy_.maxAttempts) {
      if (auto s = log_.setState(id, JobState::Failed); !s) logError += "; " + s.error().message;
      notify(
          JobEvent{id, JobState::Failed, attempt, policy_.maxAttempts, {}, sent.error().message + logError});
      return;
    }
    if (auto s = log_.setState(id, JobState::Waiting); !s) logError += "; " + s.error().message;
    const auto wait = policy_.backoffAfter(attempt);
    notify(
        JobEvent{id, JobState::Waiting, attempt, policy_.maxAttempts, wait, sent.error().message + logError});
    if (!sleepFor(wait)) return;  // stopping: the job stays Waiting in the log
  }
}

bool PrintSpooler::sleepFor(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

void PrintSpooler::notify(const JobEvent& event) {
  if (!listener_) return;
  // A throwing listener would end the worker thread and with it the process.
  try {
    listener_(event);
  } catch (...) {
  }
}

}  // namespace wms::labels
