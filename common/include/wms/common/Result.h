// Result<T>: the value of an operation that can fail in an expected way.
//
// Expected failures (bad input, unknown SKU, not enough stock) are values
// carried in a Result, never exceptions crossing a public API. Misuse of an
// API (reading value() of a failed Result) throws std::logic_error.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace wms {

// What kind of failure: chosen so that an edge (HTTP, MQTT, CLI) can map it to
// a status without parsing the message.
enum class ErrorKind {
  Malformed,          // the input could not be parsed at all (bad JSON, bad CSV)
  Invalid,            // parsed, but a field is missing, of the wrong type or out of range
  NotFound,           // refers to something that does not exist
  Conflict,           // contradicts the current state (duplicate id, wrong state)
  InsufficientStock,  // would make stock negative or over-allocate
  TooLarge,           // exceeds a size limit
  Unauthorized,       // bad or missing credentials or signature
  Forbidden,          // authenticated, but not allowed to do this
  Unavailable,        // a dependency (database, broker, printer) is not reachable now
  Internal,           // a bug or an unexpected failure of a dependency
};

// The short stable name of a kind, e.g. "insufficient_stock"; used as the
// `error` field of API responses and in log lines.
constexpr const char* toString(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::NotFound: return "not_found";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::InsufficientStock: return "insufficient_stock";
    case ErrorKind::TooLarge: return "too_large";
    case ErrorKind::Unauthorized: return "unauthorized";
    case ErrorKind::Forbidden: return "forbidden";
    case ErrorKind::Unavailable: return "unavailable";
    case ErrorKind::Internal: return "internal";
  }
  return "internal";
}

// An expected failure: its kind and a message for a person that names what
// was wrong ("line 3: quantity must be positive, got -2").
struct Error {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

inline Error makeError(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

// Either a T or an Error. Implicitly constructible from both, so a function
// returning Result<T> can `return value;` or `return Error{...};`.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}       // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // The value; throws std::logic_error if this holds an error (a misuse).
  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; throws std::logic_error if this holds a value (a misuse).
  const Error& error() const {
    if (ok()) throw std::logic_error("Result::error() called on a successful result");
    return std::get<1>(v_);
  }

 private:
  void check() const {
    if (!ok()) throw std::logic_error("Result::value() called on a failed result: " + std::get<1>(v_).message);
  }
  std::variant<T, Error> v_;
};

// Result of an operation with no value: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const {
    if (!failed_) throw std::logic_error("Result::error() called on a successful result");
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace wms
