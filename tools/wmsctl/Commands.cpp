#include "Commands.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "wms/domain/Csv.h"

namespace wmsctl {
namespace {

// Options of the form --name value or --flag, after the positional arguments.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::string error;

  Args(const std::vector<std::string>& args, const std::vector<std::string>& flags) {
    for (std::size_t i = 1; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a.rfind("--", 0) == 0) {
        std::string name = a.substr(2);
        bool isFlag = std::find(flags.begin(), flags.end(), name) != flags.end();
        if (isFlag) {
          options[name] = "1";
        } else if (i + 1 < args.size()) {
          options[name] = args[++i];
        } else {
          error = "option --" + name + " needs a value";
        }
      } else {
        positional.push_back(a);
      }
    }
  }
  std::string opt(const std::string& name, const std::string& fallback = {}) const {
    auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

std::string enc(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "/?#&=+ ", out);
  return out;
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return "";
  return o->get(key).toString();
}

// A table with columns sized to their content.
class Table {
 public:
  explicit Table(std::vector<std::string> head) { rows_.push_back(std::move(head)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const {
    std::vector<std::size_t> width(rows_[0].size(), 0);
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
    for (std::size_t n = 0; n < rows_.size(); ++n) {
      for (std::size_t i = 0; i < rows_[n].size(); ++i)
        out << std::left << std::setw(static_cast<int>(width[i] + 2)) << rows_[n][i];
      out << "\n";
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

int fail(Context& ctx, const std::string& what, const wms::Error& e) {
  ctx.err << "wmsctl: " << what << ": " << e.message << "\n";
  return 1;
}

int usageError(Context& ctx, const std::string& message) {
  ctx.err << "wmsctl: " << message << "\n\n" << usage();
  return 2;
}

int printJsonOr(Context& ctx, const wms::apiclient::Reply& r, const std::function<void()>& human) {
  if (ctx.json) ctx.out << r.body << "\n";
  else human();
  return 0;
}

int cmdImport(Context& ctx, const Args& a) {
  if (a.positional.size() != 2) return usageError(ctx, "import needs KIND and FILE");
  const std::string& kind = a.positional[0];
  if (kind != "catalogue" && kind != "locations" && kind != "stock")
    return usageError(ctx, "import KIND must be catalogue, locations or stock");
  std::ifstream in(a.positional[1], std::ios::binary);
  if (!in) {
    ctx.err << "wmsctl: cannot read " << a.positional[1] << "\n";
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string csv = ss.str();
  // The file's digest is the import's idempotency key: importing the same
  // file twice applies it once.
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(csv);
  const std::string key = Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 40);
  const std::string mode = a.opt("skip-bad").empty() ? "all-or-nothing" : "skip-bad";
  auto reply = ctx.client.send("POST", "/api/v1/import/" + kind + "?mode=" + mode, csv,
                               {{"Content-Type", "text/csv"}, {"Idempotency-Key", key}});
  if (!reply) return fail(ctx, "import", reply.error());
  auto report = reply->json && reply->json->has("report") ? reply->json->getObject("report") : reply->json;
  if (ctx.json) {
    ctx.out << reply->body << "\n";
  } else if (report && report->has("rows")) {
    if (report->has("errors")) {
      auto errors = report->getArray("errors");
      for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        ctx.err << a.positional[1] << ": line " << str(e, "line") << ": " << str(e, "message") << "\n";
      }
    }
    ctx.out << kind << ": " << str(report, "applied") << " of " << str(report, "rows") << " rows imported"
            << (str(report, "replayed") == "true" ? " (this file was imported before; nothing changed now)" : "")
            << "\n";
  } else {
    ctx.err << "wmsctl: import: " << str(reply->json, "detail") << " (HTTP " << reply->status << ")\n";
  }
  return reply->status >= 400 ? 1 : 0;
}

int cmdStock(Context& ctx, const Args& a) {
  if (a.positional.empty()) {
    std::string after;
    Table t({"SKU", "ON HAND", "ALLOCATED", "AVAILABLE"});
    std::string allJson = "[";
    for (;;) {
      auto r = ctx.client.call("GET", "/api/v1/stock?limit=1000&after=" + enc(after));
      if (!r) return fail(ctx, "stock", r.error());
      auto items = r->json->getArray("items");
      for (std::size_t i = 0; i < items->size(); ++i) {
        auto s = items->getObject(static_cast<unsigned>(i));
        t.add({str(s, "sku"), str(s, "on_hand"), str(s, "allocated"), str(s, "available")});
      }
      if (str(r->json, "next_after").empty()) break;
      after = str(r->json, "next_after");
    }
    t.print(ctx.out);
    return 0;
  }
  auto r = ctx.client.call("GET", "/api/v1/stock/" + enc(a.positional[0]));
  if (!r) return fail(ctx, "stock", r.error());
  return printJsonOr(ctx, *r, [&] {
    auto s = r->json;
    ctx.out << str(s, "sku") << ": on hand " << str(s, "on_hand") << ", allocated " << str(s, "allocated")
            << ", available " << str(s, "available") << "\n";
    Table t({"LOCATION", "LOT", "EXPIRY", "QTY"});
    auto locs = s->getArray("locations");
    for (std::size_t i = 0; i < locs->size(); ++i) {
      auto l = locs->getObject(static_cast<unsigned>(i));
      t.add({str(l, "location"), str(l, "lot"), str(l, "expiry"), str(l, "qty")});
    }
    t.print(ctx.out);
  });
}

int cmdLocation(Context& ctx, const Args& a) {
  if (a.positional.size() != 1) return usageError(ctx, "location needs CODE");
  auto r = ctx.client.call("GET", "/api/v1/locations/" + enc(a.positional[0]) + "/stock");
  if (!r) return fail(ctx, "location", r.error());
  return printJsonOr(ctx, *r, [&] {
    Table t({"SKU", "LOT", "EXPIRY", "QTY"});
    auto rows = r->json->getArray("stock");
    for (std::size_t i = 0; i < rows->size(); ++i) {
      auto s = rows->getObject(static_cast<unsigned>(i));
      t.add({str(s, "sku"), str(s, "lot"), str(s, "expiry"), str(s, "qty")});
    }
    t.print(ctx.out);
  });
}

void printOrder(std::ostream& out, const Poco::JSON::Object::Ptr& o) {
  out << "order " << str(o, "id") << "  " << str(o, "channel") << "/" << str(o, "external_id") << "  "
      << str(o, "status") << "  " << str(o, "service_level") << "  created " << str(o, "created_at") << "\n";
  if (!str(o, "hold_reason").empty()) out << "  reason: " << str(o, "hold_reason") << "\n";
  auto ship = o->getObject("ship_to");
  out << "  ship to: " << str(ship, "name") << ", " << str(ship, "line1") << ", " << str(ship, "city") << " "
      << str(ship, "postal_code") << " " << str(ship, "country") << "\n";
  Table t({"LINE", "SKU", "QTY", "ALLOCATED", "PICKED", "SHORT", "SHIPPED"});
  auto lines = o->getArray("lines");
  for (std::size_t i = 0; i < lines->size(); ++i) {
    auto l = lines->getObject(static_cast<unsigned>(i));
    t.add({str(l, "line_no"), str(l, "sku"), str(l, "qty"), str(l, "allocated"), str(l, "picked"), str(l, "short"),
           str(l, "shipped")});
  }
  t.print(out);
}

int cmdOrders(Context& ctx, const Args& a) {
  std::string q = "/api/v1/orders?limit=" + enc(a.opt("limit", "50"));
  for (const char* f : {"status", "channel", "sku", "after"})
    if (!a.opt(f).empty()) q += std::string("&") + f + "=" + enc(a.opt(f));
  auto r = ctx.client.call("GET", q);
  if (!r) return fail(ctx, "orders", r.error());
  return printJsonOr(ctx, *r, [&] {
    Table t({"ID", "CHANNEL", "EXTERNAL ID", "STATUS", "LINES", "UNITS", "CREATED"});
    auto items = r->json->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto o = items->getObject(static_cast<unsigned>(i));
      auto lines = o->getArray("lines");
      long units = 0;
      for (std::size_t k = 0; k < lines->size(); ++k) units += lines->getObject(static_cast<unsigned>(k))->getValue<long>("qty");
      t.add({str(o, "id"), str(o, "channel"), str(o, "external_id"), str(o, "status"), std::to_string(lines->size()),
             std::to_string(units), str(o, "created_at")});
    }
    t.print(ctx.out);
    if (!str(r->json, "next_after").empty()) ctx.out << "(more: --after " << str(r->json, "next_after") << ")\n";
  });
}

int cmdOrder(Context& ctx, const Args& a) {
  if (a.positional.size() != 1) return usageError(ctx, "order needs ID");
  auto r = ctx.client.call("GET", "/api/v1/orders/" + enc(a.positional[0]));
  if (!r) return fail(ctx, "order", r.error());
  return printJsonOr(ctx, *r, [&] { printOrder(ctx.out, r->json); });
}

std::string jsonString(const std::string& s) {
  Poco::JSON::Object o;
  o.set("v", s);
  std::ostringstream out;
  o.stringify(out);
  std::string t = out.str();
  return t.substr(5, t.size() - 6);  // {"v":<here>}
}

int cmdCancel(Context& ctx, const Args& a) {
  if (a.positional.size() != 1) return usageError(ctx, "cancel needs ID");
  auto r = ctx.client.call("POST", "/api/v1/orders/" + enc(a.positional[0]) + "/cancel",
                           "{\"reason\":" + jsonString(a.opt("reason")) + "}");
  if (!r) return fail(ctx, "cancel", r.error());
  return printJsonOr(ctx, *r, [&] { printOrder(ctx.out, r->json); });
}

int cmdAdjust(Context& ctx, const Args& a) {
  if (a.positional.size() != 3) return usageError(ctx, "adjust needs SKU LOCATION DELTA");
  auto delta = wms::domain::parseInt64(a.positional[2]);
  if (!delta) return usageError(ctx, "DELTA must be a whole number such as 5 or -2");
  if (a.opt("reason").empty()) return usageError(ctx, "adjust needs --reason (receipt, count, damage, correction, return, found, lost)");
  std::string body = "{\"sku\":" + jsonString(a.positional[0]) + ",\"location\":" + jsonString(a.positional[1]) +
                     ",\"delta\":" + std::to_string(*delta) + ",\"reason\":" + jsonString(a.opt("reason"));
  for (const char* f : {"lot", "expiry", "note"})
    if (!a.opt(f).empty()) body += std::string(",\"") + f + "\":" + jsonString(a.opt(f));
  if (!a.opt("key").empty()) body += ",\"idempotency_key\":" + jsonString(a.opt("key"));
  body += "}";
  auto r = ctx.client.call("POST", "/api/v1/stock/adjustments", body);
  if (!r) return fail(ctx, "adjust", r.error());
  return printJsonOr(ctx, *r, [&] {
    auto s = r->json->getObject("stock");
    ctx.out << str(s, "sku") << ": on hand " << str(s, "on_hand") << ", allocated " << str(s, "allocated")
            << ", available " << str(s, "available") << "  (ledger " << str(r->json, "ledger_id")
            << (str(r->json, "replayed") == "true" ? ", replayed: nothing changed" : "") << ")\n";
  });
}

int cmdLedger(Context& ctx, const Args& a) {
  std::string q = "/api/v1/ledger?limit=" + enc(a.opt("limit", "100")) + "&after=" + enc(a.opt("after", "0"));
  if (!a.positional.empty()) q += "&sku=" + enc(a.positional[0]);
  auto r = ctx.client.call("GET", q);
  if (!r) return fail(ctx, "ledger", r.error());
  return printJsonOr(ctx, *r, [&] {
    Table t({"ID", "AT", "SKU", "LOCATION", "ON HAND", "ALLOCATED", "CAUSE", "REFERENCE", "NOTE"});
    auto items = r->json->getArray("items");
    for (std::size_t i = 0; i < items->size(); ++i) {
      auto e = items->getObject(static_cast<unsigned>(i));
      t.add({str(e, "id"), str(e, "at"), str(e, "sku"), str(e, "location"), str(e, "delta_on_hand"),
             str(e, "delta_allocated"), str(e, "cause"), str(e, "reference"), str(e, "note")});
    }
    t.print(ctx.out);
  });
}

int cmdAudit(Context& ctx, const Args&) {
  auto r = ctx.client.call("GET", "/api/v1/audit");
  if (!r) return fail(ctx, "audit", r.error());
  bool ok = str(r->json, "ok") == "true";
  printJsonOr(ctx, *r, [&] {
    auto v = r->json->getArray("violations");
    for (std::size_t i = 0; i < v->size(); ++i) {
      auto e = v->getObject(static_cast<unsigned>(i));
      ctx.out << "VIOLATION " << str(e, "sku") << ": " << str(e, "problem") << "\n";
    }
    ctx.out << str(r->json, "skus_checked") << " SKUs checked: "
            << (ok ? "every invariant holds" : std::to_string(v->size()) + " violation(s)") << "\n";
  });
  return ok ? 0 : 1;
}

int cmdSku(Context& ctx, const Args& a) {
  if (a.positional.size() != 1) return usageError(ctx, "sku needs SKU or a barcode");
  auto r = ctx.client.send("GET", "/api/v1/skus/" + enc(a.positional[0]));
  if (r && r->status == 404) r = ctx.client.send("GET", "/api/v1/barcodes/" + enc(a.positional[0]));
  if (!r) return fail(ctx, "sku", r.error());
  if (r->status >= 400) {
    ctx.err << "wmsctl: sku: " << str(r->json, "detail") << "\n";
    return 1;
  }
  return printJsonOr(ctx, *r, [&] {
    auto s = r->json;
    ctx.out << str(s, "sku") << "  " << str(s, "description") << "\n  weight " << str(s, "weight_g") << " g, "
            << str(s, "length_mm") << "x" << str(s, "width_mm") << "x" << str(s, "height_mm") << " mm"
            << (str(s, "lot_tracked") == "true" ? ", lot-tracked" : "")
            << (str(s, "expiry_tracked") == "true" ? ", expiry-tracked" : "") << "\n  barcodes:";
    auto b = s->getArray("barcodes");
    for (std::size_t i = 0; i < b->size(); ++i) {
      auto bo = b->getObject(static_cast<unsigned>(i));
      ctx.out << " " << str(bo, "value") << " (" << str(bo, "kind") << ")";
    }
    ctx.out << "\n";
  });
}

}  // namespace

std::string usage() {
  return R"(usage: wmsctl [--server URL] [--token-file FILE] [--json] COMMAND [ARGS]

  The server is --server, else $WMS_SERVER, else http://127.0.0.1:8080.
  The API token is the first line of --token-file, else $WMS_TOKEN, else the
  file $WMS_TOKEN_FILE names (make one: wmsd --issue-token NAME:ROLES, or
  POST /api/v1/accounts/LOGIN/tokens; docs/security.md).

  import catalogue|locations|stock FILE [--skip-bad]
                      import a CSV file. By default a bad row aborts the whole
                      import and nothing changes; --skip-bad imports the good
                      rows. Every bad row is printed with its line number.
                      Importing the same file again changes nothing.
  sku SKU|BARCODE     show a SKU
  stock [SKU]         every SKU's totals, or one SKU per location
  location CODE       the stock at a location
  adjust SKU LOCATION DELTA --reason R [--lot L] [--expiry YYYY-MM-DD]
                      [--note TEXT] [--key IDEMPOTENCY-KEY]
                      change on-hand stock; R is receipt, count, damage,
                      correction, return, found or lost
  orders [--status S] [--channel C] [--sku SKU] [--limit N] [--after ID]
  order ID            one order with its lines
  cancel ID [--reason TEXT]
  ledger [SKU] [--limit N] [--after ID]
  audit               check every stock invariant (exit 1 on a violation)

  Exit codes: 0 done, 1 refused or failed, 2 usage.
)";
}

int run(Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return usageError(ctx, "no command given");
  const std::string& cmd = args[0];
  Args a(args, {"skip-bad"});
  if (!a.error.empty()) return usageError(ctx, a.error);
  if (cmd == "import") return cmdImport(ctx, a);
  if (cmd == "stock") return cmdStock(ctx, a);
  if (cmd == "location") return cmdLocation(ctx, a);
  if (cmd == "orders") return cmdOrders(ctx, a);
  if (cmd == "order") return cmdOrder(ctx, a);
  if (cmd == "cancel") return cmdCancel(ctx, a);
  if (cmd == "adjust") return cmdAdjust(ctx, a);
  if (cmd == "ledger") return cmdLedger(ctx, a);
  if (cmd == "audit") return cmdAudit(ctx, a);
  if (cmd == "sku") return cmdSku(ctx, a);
  if (cmd == "help") {
    ctx.out << usage();
    return 0;
  }
  return usageError(ctx, "unknown command '" + cmd + "'");
}

}  // namespace wmsctl
