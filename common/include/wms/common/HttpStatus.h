// The one map from an error's kind to an HTTP status, used by every HTTP
// edge of wmsd (through the one router's Response::error, wms/http/Router.h:
// the API, the packing routes, the channels' webhooks) so that the same
// refusal always gets the same status. docs/api.md lists it.
#pragma once

#include "wms/common/Result.h"

namespace wms {

constexpr int httpStatusOf(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Malformed: return 400;
    case ErrorKind::Invalid: return 422;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::InsufficientStock: return 409;
    case ErrorKind::TooLarge: return 413;
    case ErrorKind::Unauthorized: return 401;
    case ErrorKind::Forbidden: return 403;
    case ErrorKind::Unavailable: return 503;
    case ErrorKind::Internal: return 500;
  }
  return 500;
}

}  // namespace wms
