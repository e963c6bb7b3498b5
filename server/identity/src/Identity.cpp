#include "wms/identity/Identity.h"

#include <algorithm>
#include <cctype>

#include "wms/identity/Secrets.h"
#include "wms/store/ExceptionRepository.h"
#include "wms/store/Query.h"
#include "wms/store/Tx.h"

namespace wms::identity {
namespace {

using store::Query;
using store::Tx;

// Roles as stored (written by this component, so always valid).
RoleSet rolesOf(const std::string& text) {
  auto roles = parseRoles(text);
  return roles ? *roles : RoleSet();
}

Account accountFrom(const Query& q) {
  Account a;
  a.id = q.integer(0);
  a.login = q.text(1);
  a.name = q.text(2);
  a.kind = q.text(3) == "integration" ? AccountKind::Integration : AccountKind::Person;
  a.badge = q.text(4);
  a.roles = rolesOf(q.text(5));
  a.active = q.integer(6) != 0;
  a.hasPassword = q.integer(7) != 0;
  a.hasPin = q.integer(8) != 0;
  a.createdAt = q.integer(9);
  a.updatedAt = q.integer(10);
  return a;
}

std::optional<Account> findAccount(Tx& tx, std::string_view login) {
  Query q(tx, "SELECT id, login, name, kind, COALESCE(badge, ''), roles, active, password_hash <> '', "
              "pin_hash <> '', created_at, updated_at FROM accounts WHERE login = ?");
  q.bind(login);
  if (!q.step()) return std::nullopt;
  return accountFrom(q);
}

const char* kindText(AccountKind k) { return k == AccountKind::Integration ? "integration" : "person"; }

Error notValid(const std::string& what) { return Error{ErrorKind::Unauthorized, what}; }

Status checkName(std::string_view name) {
  if (name.empty() || name.size() > 200) return Error{ErrorKind::Invalid, "name must be 1 to 200 characters"};
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return Error{ErrorKind::Invalid, "name must not hold control characters"};
  return {};
}

Status checkOptionalBadge(std::string_view badge) {
  if (badge.size() > 64) return Error{ErrorKind::Invalid, "badge must be at most 64 characters"};
  for (unsigned char c : badge)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.'))
      return Error{ErrorKind::Invalid, "badge may hold only letters, digits, '-', '_' and '.'"};
  return {};
}

Status checkPin(std::string_view pin) {
  if (pin.size() < 4 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string_view::npos)
    return Error{ErrorKind::Invalid, "a PIN is 4 to 12 digits"};
  return {};
}

NewSession openSession(Tx& tx, const Account& a, std::string_view address, std::int64_t lifeMs) {
  NewSession s;
  s.secret = randomSecret(32);
  s.csrf = randomSecret(24);
  s.expiresAt = tx.nowMs() + lifeMs;
  store::exec(tx,
              "INSERT INTO web_sessions(hash, account_id, csrf, address, created_at, expires_at) VALUES (?, ?, ?, ?, "
              "?, ?)",
              sha256Hex(s.secret), a.id, s.csrf, std::string(address.substr(0, 64)), tx.nowMs(), s.expiresAt);
  s.caller = Caller{a.id, a.login, a.kind, a.roles, "session", s.csrf};
  return s;
}

}  // namespace

std::string Caller::name() const {
  if (via.rfind("token:", 0) == 0) return via + "@" + login;
  return std::string(kind == AccountKind::Integration ? "integration:" : "person:") + login;
}

Status checkLogin(std::string_view login) {
  if (login.empty() || login.size() > 64) return Error{ErrorKind::Invalid, "login must be 1 to 64 characters"};
  for (unsigned char c : login)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@'))
      return Error{ErrorKind::Invalid, "login may hold only letters, digits, '.', '_', '-' and '@'"};
  return {};
}

Status checkPassword(std::string_view password) {
  if (password.size() < 12) return Error{ErrorKind::Invalid, "a password must be at least 12 characters"};
  if (password.size() > 200) return Error{ErrorKind::Invalid, "a password must be at most 200 characters"};
  return {};
}

Result<IdentitySettings> identitySettingsFrom(const std::map<std::string, std::string>& settings) {
  IdentitySettings out;
  auto number = [&settings](const char* key, std::int64_t lo, std::int64_t hi, auto& into) -> Status {
    const auto it = settings.find(key);
    if (it == settings.end()) return {};
    const std::string& v = it->second;
    if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(v) < lo || std::stoll(v) > hi)
      return Error{ErrorKind::Invalid, std::string(key) + " must be a whole number from " + std::to_string(lo) +
                                           " to " + std::to_string(hi) + ", got '" + v.substr(0, 20) + "'"};
    into = static_cast<std::remove_reference_t<decltype(into)>>(std::stoll(v));
    return {};
  };
  std::int64_t hours = out.config.sessionMs / 3600000, windowMinutes = out.config.failureWindowMs / 60000;
  if (auto st = number("identity.session_hours", 1, 720, hours); !st) return st.error();
  if (auto st = number("identity.max_failures_per_login", 1, 1000, out.config.maxFailuresPerLogin); !st)
    return st.error();
  if (auto st = number("identity.max_failures_per_address", 1, 100000, out.config.maxFailuresPerAddress); !st)
    return st.error();
  if (auto st = number("identity.failure_window_minutes", 1, 1440, windowMinutes); !st) return st.error();
  if (auto st = number("identity.token_max_days", 1, 3650, out.config.tokenMaxDays); !st) return st.error();
  if (auto st = number("identity.password_iterations", 100000, 10000000, out.config.passwordIterations); !st)
    return st.error();
  out.config.sessionMs = hours * 3600000;
  out.config.failureWindowMs = windowMinutes * 60000;
  for (const auto& [key, value] : settings) {
    if (key.rfind("identity.", 0) != 0) continue;
    if (key == "identity.admin_password_file") out.adminPasswordFile = value;
    else if (key == "identity.audit") {
      if (value != "true" && value != "false")
        return Error{ErrorKind::Invalid, "identity.audit must be true or false, got '" + value.substr(0, 20) + "'"};
      out.audit = value == "true";
    } else if (key != "identity.session_hours" && key != "identity.max_failures_per_login" &&
               key != "identity.max_failures_per_address" && key != "identity.failure_window_minutes" &&
               key != "identity.token_max_days" && key != "identity.password_iterations")
      return Error{ErrorKind::Invalid, key + ": unknown setting"};
  }
  return out;
}

IdentityService::IdentityService(store::Database& db, IdentityConfig config) : db_(db), config_(config) {}

Result<Caller> IdentityService::callerFromToken(std::string_view secret) const {
  if (secret.empty() || secret.size() > 128) return notValid("the token is not valid");
  const std::string hash = sha256Hex(secret);
  std::optional<Caller> found;
  auto st = db_.read([&](Tx& tx) -> Status {
    Query q(tx,
            "SELECT a.id, a.login, a.kind, a.roles, t.roles, t.name FROM api_tokens t JOIN accounts a ON a.id = "
            "t.account_id WHERE t.hash = ? AND t.revoked_at = 0 AND t.expires_at > ? AND a.active = 1");
    q.bind(hash).bind(tx.nowMs());
    if (!q.step()) return {};
    Caller c;
    c.accountId = q.integer(0);
    c.login = q.text(1);
    c.kind = q.text(2) == "integration" ? AccountKind::Integration : AccountKind::Person;
    // Roles taken from the account since the token was made are gone from
    // the token too.
    c.roles = rolesOf(q.text(3)) & rolesOf(q.text(4));
    c.via = "token:" + q.text(5);
    found = std::move(c);
    return {};
  });
  if (!st) return st.error();
  if (!found) return notValid("the token is not valid (unknown, expired or revoked)");
  return *found;
}

Result<Caller> IdentityService::callerFromSession(std::string_view secret) const {
  if (secret.empty() || secret.size() > 128) return notValid("not signed in");
  const std::string hash = sha256Hex(secret);
  std::optional<Caller> found;
  auto st = db_.read([&](Tx& tx) -> Status {
    Query q(tx,
            "SELECT a.id, a.login, a.kind, a.roles, s.csrf FROM web_sessions s JOIN accounts a ON a.id = "
            "s.account_id WHERE s.hash = ? AND s.ended_at = 0 AND s.expires_at > ? AND a.active = 1");
    q.bind(hash).bind(tx.nowMs());
    if (!q.step()) return {};
    found = Caller{q.integer(0), q.text(1),
                   q.text(2) == "integration" ? AccountKind::Integration : AccountKind::Person,
                   rolesOf(q.text(3)), "session", q.text(4)};
    return {};
  });
  if (!st) return st.error();
  if (!found) return notValid("not signed in, or the session has ended");
  return *found;
}

std::int64_t IdentityService::throttledForMs(std::string_view login, std::string_view address) const {
  std::int64_t wait = 0;
  (void)db_.read([&](Tx& tx) -> Status {
    const std::int64_t since = tx.nowMs() - config_.failureWindowMs;
    auto over = [&](const char* sql, std::string_view key, int limit) {
      Query q(tx, sql);
      q.bind(key).bind(since);
      if (!q.step() || q.integer(0) < limit) return;
      // The oldest failure that still counts leaves the window first.
      wait = std::max(wait, q.integer(1) + config_.failureWindowMs - tx.nowMs());
    };
    over("SELECT COUNT(*), MIN(at) FROM (SELECT at FROM sign_in_failures WHERE login = ? AND at > ? ORDER BY at "
         "DESC LIMIT 1000)",
         login, config_.maxFailuresPerLogin);
    over("SELECT COUNT(*), MIN(at) FROM (SELECT at FROM sign_in_failures WHERE address = ? AND at > ? ORDER BY at "
         "DESC LIMIT 1000)",
         address, config_.maxFailuresPerAddress);
    return {};
  });
  return std::max<std::int64_t>(wait, 0);
}

Result<NewSession> IdentityService::signIn(std::string_view login, std::string_view password,
                                           std::string_view address) {
  // The hash is checked outside the write: it takes a fraction of a second
  // by design and must not hold the store's one writer.
  std::string stored;
  std::optional<Account> account;
  if (login.size() <= 64 && password.size() <= 200) {
    auto st = db_.read([&](Tx& tx) -> Status {
      account = findAccount(tx, login);
      if (account) {
        Query q(tx, "SELECT password_hash FROM accounts WHERE id = ?");
        q.bind(account->id);
        if (q.step()) stored = q.text(0);
      }
      return {};
    });
    if (!st) return st.error();
  }
  const bool ok = account && account->active && account->kind == AccountKind::Person && !stored.empty() &&
                  verifyPassword(password, stored);
  Result<NewSession> out = notValid("wrong login or password");
  auto st = db_.write([&](Tx& tx) -> Status {
    if (!ok) {
      store::exec(tx, "INSERT INTO sign_in_failures(login, address, at) VALUES (?, ?, ?)",
                  std::string(login.substr(0, 64)), std::string(address.substr(0, 64)), tx.nowMs());
      // Old failures are of no use once out of every window.
      store::exec(tx, "DELETE FROM sign_in_failures WHERE at < ?", tx.nowMs() - std::int64_t{24} * 3600 * 1000);
      // A guess too many: the supervisor hears of it on the dashboard (one
      // open exception per login or address, however long it goes on).
      const std::int64_t since = tx.nowMs() - config_.failureWindowMs;
      const std::string who(login.substr(0, 64)), from(address.substr(0, 64));
      store::ExceptionRepository exceptions(tx);
      if (store::queryInteger(tx, "SELECT COUNT(*) FROM sign_in_failures WHERE login = ? AND at > ?", who, since)
              .value_or(0) >= config_.maxFailuresPerLogin)
        exceptions.raise("sign_in_throttled", "login:" + who,
                         "sign-ins for '" + who + "' throttled after " + std::to_string(config_.maxFailuresPerLogin) +
                             " failures (last from " + from + ")");
      if (store::queryInteger(tx, "SELECT COUNT(*) FROM sign_in_failures WHERE address = ? AND at > ?", from, since)
              .value_or(0) >= config_.maxFailuresPerAddress)
        exceptions.raise("sign_in_throttled", "address:" + from,
                         "sign-ins from " + from + " throttled after " + std::to_string(config_.maxFailuresPerAddress) +
                             " failures");
      return {};
    }
    out = openSession(tx, *account, address, config_.sessionMs);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status IdentityService::signOut(std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return {};
  const std::string hash = sha256Hex(secret);
  return db_.write([&](Tx& tx) -> Status {
    store::exec(tx, "UPDATE web_sessions SET ended_at = ? WHERE hash = ? AND ended_at = 0", tx.nowMs(), hash);
    return {};
  });
}

Result<std::string> IdentityService::makeSignInLink(std::string_view login, std::string_view next,
                                                    const std::string& by) {
  if (next.empty() || next.front() != '/' || next.size() > 200 || next.find("//") != std::string_view::npos ||
      next.find('\\') != std::string_view::npos)
    return Error{ErrorKind::Invalid, "next must be a path on this server, e.g. /packing/"};
  std::string secret = randomSecret(32);
  auto st = db_.write([&](Tx& tx) -> Status {
    auto a = findAccount(tx, login);
    if (!a) return Error{ErrorKind::NotFound, "no account '" + std::string(login.substr(0, 64)) + "'"};
    if (!a->active) return Error{ErrorKind::Conflict, "account '" + a->login + "' is disabled"};
    if (a->kind != AccountKind::Person) return Error{ErrorKind::Conflict, "a sign-in link is for a person"};
    store::exec(tx, "INSERT INTO sign_in_links(hash, account_id, next, created_by, expires_at) VALUES (?, ?, ?, ?, ?)",
                sha256Hex(secret), a->id, std::string(next), by, tx.nowMs() + config_.linkMs);
    return {};
  });
  if (!st) return st.error();
  return secret;
}

Result<std::pair<NewSession, std::string>> IdentityService::redeemSignInLink(std::string_view secret,
                                                                               std::string_view address) {
  if (secret.empty() || secret.size() > 128) return notValid("the link is not valid");
  const std::string hash = sha256Hex(secret);
  Result<std::pair<NewSession, std::string>> out = notValid("the link is not valid (unknown, used or expired)");
  auto st = db_.write([&](Tx& tx) -> Status {
    Query q(tx, "SELECT account_id, next FROM sign_in_links WHERE hash = ? AND used_at = 0 AND expires_at > ?");
    q.bind(hash).bind(tx.nowMs());
    if (!q.step()) return {};
    const std::int64_t accountId = q.integer(0);
    const std::string next = q.text(1);
    store::exec(tx, "UPDATE sign_in_links SET used_at = ? WHERE hash = ?", tx.nowMs(), hash);
    Query a(tx, "SELECT id, login, name, kind, COALESCE(badge, ''), roles, active, password_hash <> '', "
                "pin_hash <> '', created_at, updated_at FROM accounts WHERE id = ? AND active = 1");
    a.bind(accountId);
    if (!a.step()) return {};
    out = std::make_pair(openSession(tx, accountFrom(a), address, config_.sessionMs), next);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<Account> IdentityService::createAccount(const NewAccount& n) {
  if (auto st = checkLogin(n.login); !st) return st.error();
  if (auto st = checkName(n.name); !st) return st.error();
  if (auto st = checkOptionalBadge(n.badge); !st) return st.error();
  if (n.roles.empty()) return Error{ErrorKind::Invalid, "an account needs at least one role"};
  if (!n.password.empty())
    if (auto st = checkPassword(n.password); !st) return st.error();
  if (!n.pin.empty())
    if (auto st = checkPin(n.pin); !st) return st.error();
  // Hashed before the write: slow by design.
  const std::string passwordHash = n.password.empty() ? std::string() : hashPassword(n.password, config_.passwordIterations);
  const std::string pinHash = n.pin.empty() ? std::string() : hashPassword(n.pin, config_.passwordIterations);
  std::optional<Account> made;
  auto st = db_.write([&](Tx& tx) -> Status {
    if (findAccount(tx, n.login)) return Error{ErrorKind::Conflict, "an account '" + n.login + "' exists"};
    if (!n.badge.empty() && store::queryInteger(tx, "SELECT id FROM accounts WHERE badge = ?", n.badge))
      return Error{ErrorKind::Conflict, "badge '" + n.badge + "' belongs to another account"};
    Query q(tx,
            "INSERT INTO accounts(login, name, kind, badge, roles, active, password_hash, pin_hash, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)");
    q.bind(n.login).bind(n.name).bind(kindText(n.kind));
    if (n.badge.empty()) q.bindNull();
    else q.bind(n.badge);
    q.bind(n.roles.text()).bind(passwordHash).bind(pinHash).bind(tx.nowMs()).bind(tx.nowMs());
    q.run();
    made = findAccount(tx, n.login);
    return {};
  });
  if (!st) return st.error();
  return *made;
}

Result<Account> IdentityService::changeAccount(std::string_view login, const AccountChange& c) {
  if (c.name)
    if (auto st = checkName(*c.name); !st) return st.error();
  if (c.badge)
    if (auto st = checkOptionalBadge(*c.badge); !st) return st.error();
  if (c.roles && c.roles->empty()) return Error{ErrorKind::Invalid, "an account needs at least one role"};
  if (c.password)
    if (auto st = checkPassword(*c.password); !st) return st.error();
  if (c.pin && !c.pin->empty())
    if (auto st = checkPin(*c.pin); !st) return st.error();
  const std::string passwordHash = c.password ? hashPassword(*c.password, config_.passwordIterations) : std::string();
  const std::string pinHash = c.pin && !c.pin->empty() ? hashPassword(*c.pin, config_.passwordIterations) : std::string();
  std::optional<Account> changed;
  auto st = db_.write([&](Tx& tx) -> Status {
    auto a = findAccount(tx, login);
    if (!a) return Error{ErrorKind::NotFound, "no account '" + std::string(login.substr(0, 64)) + "'"};
    const bool losesAdmin = a->roles.has(Role::Admin) && ((c.roles && !c.roles->has(Role::Admin)) ||
                                                          (c.active && !*c.active));
    if (losesAdmin && store::queryInteger(tx,
                                          "SELECT COUNT(*) FROM accounts WHERE active = 1 AND id <> ? AND kind = "
                                          "'person' AND password_hash <> '' AND (',' || roles || ',') LIKE "
                                          "'%,admin,%'",
                                          a->id)
                              .value_or(0) == 0)
      return Error{ErrorKind::Conflict,
                   "'" + a->login + "' is the last person who can sign in as admin; make another admin first"};
    if (c.name) store::exec(tx, "UPDATE accounts SET name = ? WHERE id = ?", *c.name, a->id);
    if (c.badge) {
      if (!c.badge->empty() &&
          store::queryInteger(tx, "SELECT id FROM accounts WHERE badge = ? AND id <> ?", *c.badge, a->id))
        return Error{ErrorKind::Conflict, "badge '" + *c.badge + "' belongs to another account"};
      Query q(tx, "UPDATE accounts SET badge = ? WHERE id = ?");
      if (c.badge->empty()) q.bindNull();
      else q.bind(*c.badge);
      q.bind(a->id).run();
    }
    if (c.roles) store::exec(tx, "UPDATE accounts SET roles = ? WHERE id = ?", c.roles->text(), a->id);
    if (c.active) store::exec(tx, "UPDATE accounts SET active = ? WHERE id = ?", *c.active, a->id);
    if (c.password) store::exec(tx, "UPDATE accounts SET password_hash = ? WHERE id = ?", passwordHash, a->id);
    if (c.pin) store::exec(tx, "UPDATE accounts SET pin_hash = ? WHERE id = ?", pinHash, a->id);
    // A disabled account or a new password ends every session it has.
    if ((c.active && !*c.active) || c.password)
      store::exec(tx, "UPDATE web_sessions SET ended_at = ? WHERE account_id = ? AND ended_at = 0", tx.nowMs(), a->id);
    store::exec(tx, "UPDATE accounts SET updated_at = ? WHERE id = ?", tx.nowMs(), a->id);
    changed = findAccount(tx, login);
    return {};
  });
  if (!st) return st.error();
  return *changed;
}

Result<Account> IdentityService::account(std::string_view login) const {
  std::optional<Account> a;
  auto st = db_.read([&](Tx& tx) -> Status {
    a = findAccount(tx, login);
    return {};
  });
  if (!st) return st.error();
  if (!a) return Error{ErrorKind::NotFound, "no account '" + std::string(login.substr(0, 64)) + "'"};
  return *a;
}

Result<std::vector<Account>> IdentityService::accounts() const {
  std::vector<Account> out;
  auto st = db_.read([&](Tx& tx) -> Status {
    Query q(tx, "SELECT id, login, name, kind, COALESCE(badge, ''), roles, active, password_hash <> '', "
                "pin_hash <> '', created_at, updated_at FROM accounts ORDER BY login");
    while (q.step()) out.push_back(accountFrom(q));
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<IssuedToken> IdentityService::issueToken(std::string_view login, std::string_view name,
                                                std::optional<RoleSet> roles, int days) {
  if (auto st = checkLogin(name); !st) return Error{ErrorKind::Invalid, "token name: " + st.error().message};
  if (days < 1 || days > config_.tokenMaxDays)
    return Error{ErrorKind::Invalid, "a token lasts 1 to " + std::to_string(config_.tokenMaxDays) + " days"};
  IssuedToken out;
  out.secret = "wms_" + randomSecret(32);
  auto st = db_.write([&](Tx& tx) -> Status {
    auto a = findAccount(tx, login);
    if (!a) return Error{ErrorKind::NotFound, "no account '" + std::string(login.substr(0, 64)) + "'"};
    if (!a->active) return Error{ErrorKind::Conflict, "account '" + a->login + "' is disabled"};
    const RoleSet granted = roles.value_or(a->roles);
    if (granted.empty() || !granted.within(a->roles))
      return Error{ErrorKind::Invalid, "a token's roles must be some of the account's (" + a->roles.text() + ")"};
    out.expiresAt = tx.nowMs() + static_cast<std::int64_t>(days) * 24 * 3600 * 1000;
    store::exec(tx,
                "INSERT INTO api_tokens(account_id, name, hash, roles, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                a->id, std::string(name), sha256Hex(out.secret), granted.text(), tx.nowMs(), out.expiresAt);
    out.id = store::queryInteger(tx, "SELECT last_insert_rowid()").value_or(0);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status IdentityService::revokeToken(std::int64_t id) {
  return db_.write([&](Tx& tx) -> Status {
    if (!store::queryInteger(tx, "SELECT id FROM api_tokens WHERE id = ?", id))
      return Error{ErrorKind::NotFound, "no token " + std::to_string(id)};
    store::exec(tx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0", tx.nowMs(), id);
    return {};
  });
}

Result<std::vector<TokenInfo>> IdentityService::tokens(std::string_view login) const {
  std::vector<TokenInfo> out;
  auto st = db_.read([&](Tx& tx) -> Status {
    Query q(tx,
            "SELECT t.id, a.login, t.name, t.roles, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t JOIN "
            "accounts a ON a.id = t.account_id WHERE a.login = ? ORDER BY t.id");
    q.bind(login);
    while (q.step())
      out.push_back(TokenInfo{q.integer(0), q.text(1), q.text(2), rolesOf(q.text(3)),
                              q.integer(4), q.integer(5), q.integer(6)});
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<IssuedToken> IdentityService::issueIntegrationToken(std::string_view login, RoleSet roles, int days) {
  auto existing = account(login);
  if (!existing) {
    if (existing.error().kind != ErrorKind::NotFound) return existing.error();
    NewAccount n;
    n.login = std::string(login);
    n.name = std::string(login);
    n.kind = AccountKind::Integration;
    n.roles = roles;
    if (auto made = createAccount(n); !made) return made.error();
  } else {
    AccountChange c;
    c.roles = existing->roles | roles;
    c.active = true;
    if (auto changed = changeAccount(login, c); !changed) return changed.error();
  }
  return issueToken(login, std::string(login), roles, days);
}

Result<std::optional<std::string>> IdentityService::ensureAdmin(std::optional<std::string> password) {
  bool haveAdmin = false;
  auto st = db_.read([&](Tx& tx) -> Status {
    haveAdmin = store::queryInteger(tx,
                                    "SELECT COUNT(*) FROM accounts WHERE active = 1 AND kind = 'person' AND "
                                    "password_hash <> '' AND (',' || roles || ',') LIKE '%,admin,%'")
                    .value_or(0) > 0;
    return {};
  });
  if (!st) return st.error();
  if (haveAdmin) return std::optional<std::string>();
  const std::string chosen = password.value_or(randomSecret(18));
  auto existing = account("admin");
  if (existing) {
    AccountChange c;
    c.roles = existing->roles | RoleSet::of(Role::Admin);
    c.active = true;
    c.password = chosen;
    if (auto changed = changeAccount("admin", c); !changed) return changed.error();
  } else {
    NewAccount n;
    n.login = "admin";
    n.name = "Administrator";
    n.roles = RoleSet::of(Role::Admin) | RoleSet::of(Role::Supervisor);
    n.password = chosen;
    if (auto made = createAccount(n); !made) return made.error();
  }
  return std::optional<std::string>(chosen);
}

Result<Account> IdentityService::badgeSignIn(std::string_view badge, std::string_view pin, Role needed,
                                             bool pinRequired) const {
  const PinCheck check = checkBadgePin(db_, badge, pin);
  std::optional<Result<Account>> out;
  auto st = db_.read([&](Tx& tx) -> Status {
    out = identity::badgeSignIn(tx, badge, check, needed, pinRequired);
    return {};
  });
  if (!st) return st.error();
  return *out;
}

void IdentityService::recordIn(store::Tx& tx, const AuditEntry& e) {
  store::exec(tx,
              "INSERT INTO audit_log(at, who, via, address, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, "
              "?, ?)",
              e.at ? e.at : tx.nowMs(), e.who, e.via, e.address, e.action, e.target, e.outcome, e.detail);
}

Status IdentityService::record(const AuditEntry& e) {
  return db_.write([&](Tx& tx) -> Status {
    recordIn(tx, e);
    return {};
  });
}

Result<std::vector<AuditEntry>> IdentityService::audit(const AuditQuery& query) const {
  std::vector<AuditEntry> out;
  auto st = db_.read([&](Tx& tx) -> Status {
    Query q(tx,
            "SELECT id, at, who, via, address, action, target, outcome, detail FROM audit_log WHERE (? = '' OR who = "
            "?) AND (? = '' OR instr(target, ?) > 0) AND (? = '' OR target GLOB '*/' || ? OR target GLOB '*/' || ? "
            "|| '/*' OR instr(' ' || detail || ' ', ' ' || ? || ' ') > 0) AND (? = 0 OR at >= ?) AND (? = 0 OR at < "
            "?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?");
    q.bind(query.who).bind(query.who).bind(query.target).bind(query.target);
    q.bind(query.about).bind(query.about).bind(query.about).bind(query.detailTerm);
    q.bind(query.since).bind(query.since).bind(query.until).bind(query.until);
    q.bind(query.beforeId).bind(query.beforeId).bind(query.limit);
    while (q.step())
      out.push_back(AuditEntry{q.integer(0), q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6),
                               static_cast<int>(q.integer(7)), q.text(8)});
    return {};
  });
  if (!st) return st.error();
  return out;
}

// --- handheld badges ----------------------------------------------------------

namespace {

const char* kBadgeHolderColumns =
    "SELECT id, login, name, kind, COALESCE(badge, ''), roles, active, password_hash <> '', pin_hash <> '', "
    "created_at, updated_at, pin_hash FROM accounts ";

std::string shownBadge(std::string_view badge) { return std::string(badge.substr(0, 64)); }

}  // namespace

Status checkBadge(std::string_view badge) {
  if (badge.empty()) return Error{ErrorKind::Invalid, "badge must be 1 to 64 characters"};
  return checkOptionalBadge(badge);
}

PinCheck checkBadgePin(store::Database& db, std::string_view badge, std::string_view pin) {
  PinCheck check;
  check.given = !pin.empty();
  if (pin.empty()) return check;
  std::string stored;
  auto st = db.read([&](Tx& tx) -> Status {
    Query q(tx, "SELECT pin_hash FROM accounts WHERE badge = ?");
    q.bind(badge);
    if (q.step()) stored = q.text(0);
    return {};
  });
  // Outside the read: the hash is slow by design.
  if (st && !stored.empty() && verifyPassword(pin, stored)) check.matchedHash = stored;
  return check;
}

Result<Account> badgeSignIn(Tx& tx, std::string_view badge, const PinCheck& pin, Role needed, bool pinRequired,
                            const IdentityConfig& limits) {
  Query q(tx, std::string(kBadgeHolderColumns) + "WHERE badge = ?");
  q.bind(badge);
  const std::string b = shownBadge(badge);
  if (!q.step()) return Error{ErrorKind::NotFound, "unknown badge '" + b + "'"};
  Account a = accountFrom(q);
  const std::string pinHash = q.text(11);
  if (a.kind != AccountKind::Person) return Error{ErrorKind::NotFound, "unknown badge '" + b + "'"};
  if (!a.active) return Error{ErrorKind::Forbidden, "badge " + b + "'s account is disabled"};
  if (!a.roles.has(needed))
    return Error{ErrorKind::Forbidden, "badge " + b + "'s account has no " + toString(needed) + " role"};
  if (pinHash.empty()) {
    if (pinRequired)
      return Error{ErrorKind::Forbidden, "badge " + b + " needs a PIN and has none set; ask a supervisor"};
    return a;
  }
  {
    // The oldest failure that still counts leaves the window first.
    Query f(tx, "SELECT COUNT(*), MIN(at) FROM (SELECT at FROM sign_in_failures WHERE login = ? AND at > ? "
                "ORDER BY at DESC LIMIT 1000)");
    f.bind("badge:" + b).bind(tx.nowMs() - limits.failureWindowMs);
    if (f.step() && f.integer(0) >= limits.maxFailuresPerLogin) {
      const std::int64_t waitMs = std::max<std::int64_t>(f.integer(1) + limits.failureWindowMs - tx.nowMs(), 0);
      return Error{ErrorKind::Unauthorized, "too many wrong PINs for badge " + b + "; try again in " +
                                                std::to_string((waitMs + 59999) / 60000) +
                                                " min or ask a supervisor"};
    }
  }
  if (!pin.given) return Error{ErrorKind::Unauthorized, "badge " + b + " needs its PIN"};
  // The PIN was checked before this transaction; it counts only if the
  // account still holds the hash it matched.
  if (pin.matchedHash.empty() || !sameSecret(pin.matchedHash, pinHash))
    return Error{ErrorKind::Unauthorized, "wrong PIN for badge " + b};
  return a;
}

void recordPinFailure(Tx& tx, std::string_view badge, std::string_view device, const IdentityConfig& limits) {
  const std::string who = "badge:" + shownBadge(badge), from = "device:" + std::string(device.substr(0, 64));
  store::exec(tx, "INSERT INTO sign_in_failures(login, address, at) VALUES (?, ?, ?)", who, from, tx.nowMs());
  if (store::queryInteger(tx, "SELECT COUNT(*) FROM sign_in_failures WHERE login = ? AND at > ?", who,
                          tx.nowMs() - limits.failureWindowMs)
          .value_or(0) >= limits.maxFailuresPerLogin)
    store::ExceptionRepository(tx).raise("sign_in_throttled", who,
                                         "handheld sign-ins of " + who + " throttled after " +
                                             std::to_string(limits.maxFailuresPerLogin) + " wrong PINs (last on " +
                                             std::string(device.substr(0, 64)) + ")");
}

RoleSet handheldRoles() { return RoleSet::of(Role::Picker) | RoleSet::of(Role::Packer); }

Result<Account> putHandheldWorker(Tx& tx, const HandheldWorker& w) {
  if (auto st = checkBadge(w.badge); !st) return st.error();
  if (w.name)
    if (auto st = checkName(*w.name); !st) return st.error();
  if (w.roles) {
    if (w.roles->empty()) return Error{ErrorKind::Invalid, "roles: a worker needs picker, packer or both"};
    if (!w.roles->within(handheldRoles()))
      return Error{ErrorKind::Invalid, "roles: a worker's roles are picker and packer; other roles are given with "
                                       "PUT /api/v1/accounts/{login}"};
  }
  Query q(tx, std::string(kBadgeHolderColumns) + "WHERE badge = ?");
  q.bind(w.badge);
  if (!q.step()) {
    if (findAccount(tx, w.badge))
      return Error{ErrorKind::Conflict, "an account '" + w.badge +
                                            "' exists without this badge; give it the badge with PUT "
                                            "/api/v1/accounts/{login}"};
    const std::int64_t now = tx.nowMs();
    store::exec(tx,
                "INSERT INTO accounts(login, name, kind, badge, roles, active, created_at, updated_at) "
                "VALUES (?, ?, 'person', ?, ?, ?, ?, ?)",
                w.badge, w.name.value_or(w.badge), w.badge, w.roles.value_or(handheldRoles()).text(),
                w.active.value_or(true), now, now);
    return *findAccount(tx, w.badge);
  }
  const Account a = accountFrom(q);
  if (a.kind != AccountKind::Person)
    return Error{ErrorKind::Conflict, "badge '" + w.badge + "' belongs to a machine account"};
  if (!a.roles.within(handheldRoles()))
    return Error{ErrorKind::Forbidden, "badge '" + w.badge + "' belongs to '" + a.login +
                                           "', who has other roles than picker and packer; an admin changes "
                                           "that account (PUT /api/v1/accounts/{login})"};
  if (w.name) store::exec(tx, "UPDATE accounts SET name = ? WHERE id = ?", *w.name, a.id);
  if (w.roles) store::exec(tx, "UPDATE accounts SET roles = ? WHERE id = ?", w.roles->text(), a.id);
  if (w.active) store::exec(tx, "UPDATE accounts SET active = ? WHERE id = ?", *w.active, a.id);
  store::exec(tx, "UPDATE accounts SET updated_at = ? WHERE id = ?", tx.nowMs(), a.id);
  return *findAccount(tx, a.login);
}

std::vector<Account> badgeHolders(Tx& tx) {
  Query q(tx, std::string(kBadgeHolderColumns) + "WHERE badge IS NOT NULL AND kind = 'person' ORDER BY badge");
  std::vector<Account> out;
  while (q.step()) out.push_back(accountFrom(q));
  return out;
}

}  // namespace wms::identity
