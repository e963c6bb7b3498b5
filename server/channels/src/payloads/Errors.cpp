// The platforms' own error answers, sorted into "try again later" and "a
// person must look". Each platform answers some failures with HTTP 200 and
// the error in the body, so the HTTP status alone cannot tell; the rules and
// their sources are in docs/channels.md ("Errors: transient or permanent").
#include <algorithm>
#include <array>

#include "Common.h"
#include "wms/channels/Payloads.h"

namespace wms::channels {
namespace {

bool containsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  const std::string lowered = payloads::lower(text);
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return lowered.find(n) != std::string::npos; });
}

// Words the platforms use in messages for a failure on their side. A last
// resort for codes no list names: a message that says "try again" means it.
bool soundsTransient(std::string_view message) {
  return containsAny(message, {"try again", "retry", "system busy", "server busy", "internal error",
                               "service unavailable", "timed out", "timeout", "too many requests", "rate limit"});
}

}  // namespace

ErrorKind lazadaErrorKind(std::string_view type, std::string_view code, std::string_view message) {
  // Lazada Open Platform error types: ISV (the caller's request), ISP (the
  // service provider's backend) and SYSTEM (the gateway: signature, token,
  // flow control). ISP is Lazada's own failure; of SYSTEM, only flow control
  // and time-outs pass by themselves.
  static constexpr std::array<std::string_view, 6> transientCodes = {
      "ApiCallLimit", "AppCallLimit", "ServiceTimeout", "ServiceUnavailable", "InternalError", "SYSTEM_ERROR"};
  if (type == "ISP") return ErrorKind::Unavailable;
  if (std::find(transientCodes.begin(), transientCodes.end(), code) != transientCodes.end())
    return ErrorKind::Unavailable;
  if (type == "ISV") return ErrorKind::Invalid;
  return soundsTransient(message) ? ErrorKind::Unavailable : ErrorKind::Invalid;
}

ErrorKind shopeeErrorKind(std::string_view error, std::string_view message) {
  // Shopee Open Platform v2 common errors: error_server, error_inner and
  // error_busy are Shopee's side; error_param, error_auth, error_permission,
  // error_not_found and the business errors are the request's.
  static constexpr std::array<std::string_view, 5> transient = {"error_server", "error_inner", "error_busy",
                                                                "error_network", "error_system_busy"};
  if (std::find(transient.begin(), transient.end(), error) != transient.end()) return ErrorKind::Unavailable;
  if (error.find("too_many") != std::string_view::npos || error.find("rate_limit") != std::string_view::npos)
    return ErrorKind::Unavailable;
  return soundsTransient(message) ? ErrorKind::Unavailable : ErrorKind::Invalid;
}

ErrorKind tiktokErrorKind(std::int64_t code, std::string_view message) {
  // TikTok Shop's API answers HTTP 200 with a numeric code; its 5xx-class
  // internal errors and throttling also come as HTTP 500/429 (handled before
  // the body is read). Codes are not published as a stable list, so a code
  // is transient when its message says the platform failed or is busy.
  (void)code;
  return soundsTransient(message) ? ErrorKind::Unavailable : ErrorKind::Invalid;
}

}  // namespace wms::channels
