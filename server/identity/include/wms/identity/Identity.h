// IdentityService: the accounts, their tokens and web sessions, sign-in with
// throttling, one-time sign-in links, first-start admin and the audit
// trail, kept in the store (identitySchema). The HTTP edge asks it who a
// request comes from (callerFromToken / callerFromSession) on every request,
// so a revoked token, an ended session or a disabled account is refused at
// once.
//
// Threading: every member may be called from any thread (the store
// serialises writes; reads run on pooled connections).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wms/common/Result.h"
#include "wms/identity/Roles.h"
#include "wms/store/Database.h"

namespace wms::identity {

struct IdentityConfig {
  std::int64_t sessionMs = 12LL * 3600 * 1000;       // a web session's life
  std::int64_t linkMs = 2LL * 60 * 1000;             // a one-time sign-in link's
  int maxFailuresPerLogin = 5;                       // within the window
  int maxFailuresPerAddress = 20;
  std::int64_t failureWindowMs = 15LL * 60 * 1000;
  int tokenMaxDays = 365;
  int passwordIterations = 600000;                   // PBKDF2 (Secrets.h)
};

enum class AccountKind { Person, Integration };

struct Account {
  std::int64_t id = 0;
  std::string login;
  std::string name;
  AccountKind kind = AccountKind::Person;
  std::string badge;  // "" if none
  RoleSet roles;
  bool active = true;
  bool hasPassword = false;
  bool hasPin = false;
  std::int64_t createdAt = 0;
  std::int64_t updatedAt = 0;
};

// Who a request comes from, once proven.
struct Caller {
  std::int64_t accountId = 0;
  std::string login;
  AccountKind kind = AccountKind::Person;
  RoleSet roles;           // a token's: its own roles within the account's
  std::string via;         // "session" or "token:NAME"
  std::string csrf;        // the session's CSRF token ("" for a token)
  // "person:LOGIN" or "token:NAME@LOGIN": what ledger rows and the audit name.
  std::string name() const;
};

struct NewAccount {
  std::string login;     // 1..64 of [A-Za-z0-9._@-]
  std::string name;      // 1..200 characters
  AccountKind kind = AccountKind::Person;
  std::string badge;     // optional, unique
  RoleSet roles;         // at least one
  std::string password;  // optional; 12..200 characters when given
  std::string pin;       // optional; 4..12 digits
};

struct AccountChange {
  std::optional<std::string> name;
  std::optional<std::string> badge;  // "" removes it
  std::optional<RoleSet> roles;
  std::optional<bool> active;        // false ends the account's sessions
  std::optional<std::string> password;
  std::optional<std::string> pin;    // "" removes it
};

struct IssuedToken {
  std::int64_t id = 0;
  std::string secret;  // shown once; only its hash is kept
  std::int64_t expiresAt = 0;
};

struct TokenInfo {
  std::int64_t id = 0;
  std::string login;
  std::string name;
  RoleSet roles;
  std::int64_t createdAt = 0;
  std::int64_t expiresAt = 0;
  std::int64_t revokedAt = 0;  // 0 if not revoked
};

struct NewSession {
  std::string secret;  // the cookie's value; only its hash is kept
  std::string csrf;
  std::int64_t expiresAt = 0;
  Caller caller;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string who;      // Caller::name(), "webhook:CHANNEL", "device:ID/BADGE", "anonymous"
  std::string via;      // "session", "token:NAME", "signature", "mqtt"
  std::string address;  // the client's address, or the device id
  std::string action;   // "POST /api/v1/orders/{id}/cancel", "pick.confirm"
  std::string target;   // "/api/v1/orders/42/cancel", "order:42", "sku:A-1"
  // The HTTP status of a request refused or failed before anything was
  // written; 0 for a change recorded in its own transaction (it committed;
  // the status was the handler's answer, usually 200 or 201).
  int outcome = 0;
  std::string detail;
};

struct AuditQuery {
  std::string who;       // exact
  std::string target;    // a substring of the target
  // Whole path steps the target ends with or holds ("orders/42" matches
  // /api/v1/orders/42/cancel and /api/v1/packing/orders/42/ship, not
  // /orders/420; no GLOB characters), or an entry whose detail holds
  // detailTerm ("sku=A-1", "order=42"). Both empty: no such filter.
  std::string about;
  std::string detailTerm;
  std::int64_t since = 0;
  std::int64_t until = 0;
  std::int64_t beforeId = 0;  // paging: entries older than this id
  int limit = 100;
};

class IdentityService {
 public:
  IdentityService(store::Database& db, IdentityConfig config);

  // --- who is calling -------------------------------------------------------
  // Unauthorized with a reason that reveals nothing of what exists
  // ("the token is not valid") for an unknown, expired or revoked token or
  // a disabled account.
  Result<Caller> callerFromToken(std::string_view secret) const;
  Result<Caller> callerFromSession(std::string_view secret) const;

  // --- signing in -----------------------------------------------------------
  // How long sign-ins for this login or from this address must wait (ms),
  // or 0 when they may go on.
  std::int64_t throttledForMs(std::string_view login, std::string_view address) const;
  // Unauthorized "wrong login or password" for an unknown login, a wrong
  // password, a disabled account or one without a password (the reasons are
  // not told apart); the failure is recorded for throttling. A success
  // clears nothing: the window ages failures out.
  Result<NewSession> signIn(std::string_view login, std::string_view password, std::string_view address);
  // Ends the session; a second time changes nothing.
  Status signOut(std::string_view secret);
  // A link that signs `login` in once within linkMs; returns its secret.
  Result<std::string> makeSignInLink(std::string_view login, std::string_view next, const std::string& by);
  // Redeems a link once: the session and the page to go to.
  Result<std::pair<NewSession, std::string>> redeemSignInLink(std::string_view secret, std::string_view address);

  // --- accounts and tokens --------------------------------------------------
  Result<Account> createAccount(const NewAccount& account);
  Result<Account> changeAccount(std::string_view login, const AccountChange& change);
  Result<Account> account(std::string_view login) const;
  Result<std::vector<Account>> accounts() const;
  // A token for `login` with `roles` (default: the account's; never more),
  // expiring in `days` (1..tokenMaxDays).
  Result<IssuedToken> issueToken(std::string_view login, std::string_view name, std::optional<RoleSet> roles,
                                 int days);
  Status revokeToken(std::int64_t id);
  Result<std::vector<TokenInfo>> tokens(std::string_view login) const;
  // An integration account LOGIN with ROLES (made, or its roles set), and a
  // new token for it: what `wmsd --issue-token` does.
  Result<IssuedToken> issueIntegrationToken(std::string_view login, RoleSet roles, int days);

  // First start: when no active person with the admin role and a password
  // exists (a machine account cannot sign in to the pages), creates `admin` with
  // `password` (or a random one) and returns the password used; nullopt when
  // an admin already exists.
  Result<std::optional<std::string>> ensureAdmin(std::optional<std::string> password);

  // A handheld's badge sign-in: the active person with this badge holding
  // `needed`, with the PIN when the account has one (or `pinRequired`).
  // The rules and errors of the free badgeSignIn below, on a read; the MQTT
  // gateway runs that one inside the write that signs the device in.
  Result<Account> badgeSignIn(std::string_view badge, std::string_view pin, Role needed, bool pinRequired) const;

  // --- the audit trail ------------------------------------------------------
  Status record(const AuditEntry& entry);
  // The same row inside a write that is already open (the change's own).
  static void recordIn(store::Tx& tx, const AuditEntry& entry);
  Result<std::vector<AuditEntry>> audit(const AuditQuery& query) const;

  const IdentityConfig& config() const { return config_; }

 private:
  store::Database& db_;
  IdentityConfig config_;
};

// The identity.* settings (server/wmsd.properties) over the defaults;
// Invalid naming the key for a bad value.
struct IdentitySettings {
  IdentityConfig config;
  std::string adminPasswordFile;  // "": next to the database, admin-password
  bool audit = true;
};
Result<IdentitySettings> identitySettingsFrom(const std::map<std::string, std::string>& settings);

// Validation shared with the REST layer.
Status checkLogin(std::string_view login);
Status checkPassword(std::string_view password);
// 1..64 letters, digits, '-', '_' or '.'.
Status checkBadge(std::string_view badge);

// --- handheld badges, within a caller's transaction ---------------------------
// The handheld sign-in is decided inside the gateway's write that records it,
// so a person disabled a moment before cannot slip through. PINs are hashed
// slowly (PBKDF2), too slowly for the store's one writer, so a PIN is checked
// first on a read (checkBadgePin) and the write then requires the account to
// hold the very hash the PIN matched.

// A PIN as checked before the write.
struct PinCheck {
  bool given = false;       // the sign-in carried a PIN
  std::string matchedHash;  // the stored hash the PIN matched; "" if none did
};
// Reads the PIN hash of the person holding `badge` (on a read of `db`) and
// checks `pin` against it. Immediate when `pin` is empty or the badge has no
// PIN. Never fails: a read error is a PIN that matched nothing.
PinCheck checkBadgePin(store::Database& db, std::string_view badge, std::string_view pin);

// The handheld sign-in rules, checked in this order, each refusal naming its
// reason for the person at the handheld:
//   NotFound "unknown badge 'B'": no person account holds the badge;
//   Forbidden "badge B's account is disabled";
//   Forbidden "badge B's account has no picker role";
//   Forbidden "badge B needs a PIN and has none set; ask a supervisor"
//     (pinRequired and the account has no PIN);
//   Unauthorized "badge B needs its PIN" / "wrong PIN for badge B" when the
//     account has a PIN and `pin` did not match the hash the account holds now;
//   Unauthorized "too many wrong PINs for badge B; try again in N min or ask
//     a supervisor" while `limits` throttle the badge (recordPinFailure),
//     whatever PIN was given.
Result<Account> badgeSignIn(store::Tx& tx, std::string_view badge, const PinCheck& pin, Role needed,
                            bool pinRequired, const IdentityConfig& limits = {});
// A wrong PIN for `badge` from `device`, counted like a failed password
// (login "badge:B", limits.maxFailuresPerLogin within failureWindowMs); at
// the limit the dashboard gets a sign_in_throttled exception. Run it in the
// transaction that records the refusal.
void recordPinFailure(store::Tx& tx, std::string_view badge, std::string_view device, const IdentityConfig& limits);

// What POST /api/v1/workers sends: a person who signs in on handhelds.
struct HandheldWorker {
  std::string badge;            // checkBadge
  std::optional<std::string> name;  // 1..200 characters; default: kept, or the badge for a new person
  std::optional<RoleSet> roles;     // handheld roles only (picker, packer); default: kept, or both
  std::optional<bool> active;       // default: kept, or true
};
// The roles a handheld worker may be given through putHandheldWorker.
RoleSet handheldRoles();
// Makes the person holding `w.badge` (login: the badge; Conflict if that
// login is another account's) or updates them. Only a person whose roles
// are all handheld roles is changed this way (Forbidden otherwise: an
// admin or supervisor is changed by an admin, PUT /api/v1/accounts/{login}),
// so whoever may register badges cannot rename, disable or promote anyone
// else. Invalid naming the field for a bad value.
Result<Account> putHandheldWorker(store::Tx& tx, const HandheldWorker& w);
// Every person with a badge, by badge.
std::vector<Account> badgeHolders(store::Tx& tx);

}  // namespace wms::identity
