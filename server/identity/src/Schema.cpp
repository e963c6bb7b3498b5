#include "wms/identity/Schema.h"

namespace wms::identity {

// Never edit a released migration: add a new one.
const store::Schema& identitySchema() {
  static const store::Schema schema{
      "identity",
      {
          {1,
           "accounts, tokens, sessions, sign-in links and failures, the audit trail",
           {
               // Secrets are never stored: passwords and PINs as PBKDF2
               // hashes, tokens, session ids and links as SHA-256.
               R"(CREATE TABLE accounts(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                login TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('person', 'integration')),
                badge TEXT UNIQUE,
                roles TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                password_hash TEXT NOT NULL DEFAULT '',
                pin_hash TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL))",
               R"(CREATE TABLE api_tokens(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                name TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                roles TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                revoked_at INTEGER NOT NULL DEFAULT 0))",
               R"(CREATE TABLE web_sessions(
                hash TEXT PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                csrf TEXT NOT NULL,
                address TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                ended_at INTEGER NOT NULL DEFAULT 0))",
               "CREATE INDEX web_sessions_account ON web_sessions(account_id)",
               R"(CREATE TABLE sign_in_links(
                hash TEXT PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                next TEXT NOT NULL,
                created_by TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                used_at INTEGER NOT NULL DEFAULT 0))",
               R"(CREATE TABLE sign_in_failures(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                login TEXT NOT NULL,
                address TEXT NOT NULL,
                at INTEGER NOT NULL))",
               "CREATE INDEX sign_in_failures_login ON sign_in_failures(login, at)",
               "CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at)",
               R"(CREATE TABLE audit_log(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at INTEGER NOT NULL,
                who TEXT NOT NULL,
                via TEXT NOT NULL,
                address TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                outcome INTEGER NOT NULL,
                detail TEXT NOT NULL DEFAULT ''))",
               "CREATE INDEX audit_log_who ON audit_log(who, id)",
               "CREATE INDEX audit_log_target ON audit_log(target, id)",
           }},
          {2,
           "the handheld workers of before become people who may sign in on handhelds",
           {
               // Who may sign in on a handheld is the accounts table alone;
               // the core's workers table keeps only each badge's zones. A
               // worker whose badge is a free login and held by no account
               // becomes a person with the picker and packer roles (what any
               // worker could do before). A badge that cannot be a login, or
               // whose login is taken, gets no account: an admin makes one.
               R"(INSERT INTO accounts(login, name, kind, badge, roles, active, created_at, updated_at)
                SELECT w.badge, CASE WHEN w.name = '' THEN w.badge ELSE substr(w.name, 1, 200) END, 'person',
                       w.badge, 'packer,picker', w.active, w.created_at, w.created_at
                FROM workers w
                WHERE length(w.badge) BETWEEN 1 AND 64 AND w.badge NOT GLOB '*[^A-Za-z0-9._-]*'
                  AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.badge = w.badge OR a.login = w.badge))",
           }},
      }};
  return schema;
}

}  // namespace wms::identity
