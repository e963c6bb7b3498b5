// Reservation throughput of the store against raw SQLite on the same file
// settings. Prints one JSON object; progress goes to stderr.
//
// ours/per_tx:   single-line orders created one after another, each waiting
//                for its own commit (one transaction per reservation)
// ours/batched:  the same from many threads at once, so the writer
//                group-commits them
// raw/per_tx:    a plain one-row UPDATE per transaction, prepared once
// raw/batched:   the same UPDATE, 256 per transaction
#include <Poco/JSON/Object.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "wms/server/CatalogService.h"
#include "wms/server/OrderService.h"
#include "wms/server/StockService.h"
#include "wms/stock/OrderIntake.h"
#include "wms/store/Database.h"

using namespace wms;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Args {
  int orders = 3000;
  int threads = 32;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "wms-bench-store";
};

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "wms-bench-store: " << what << "\n";
    std::exit(1);
  }
}

domain::NewOrder order(const std::string& ext, const std::string& sku) {
  domain::NewOrder o;
  o.channel = domain::Channel::Shopify;
  o.externalId = ext;
  o.shipTo = {"Bench", "", "1 Road", "", "Singapore", "", "100000", "SG", "", ""};
  o.lines = {{sku, 1, ""}};
  return o;
}

Poco::JSON::Object::Ptr benchOurs(const Args& args, store::Durability durability, const std::string& tag) {
  auto path = args.dir / ("ours-" + tag + ".db");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  store::DatabaseOptions o;
  o.path = path;
  o.durability = durability;
  auto db = store::Database::open(o);
  check(db.ok(), "cannot open the database");
  wms::stock::StockEvents events;  // nobody listens
  wms::stock::OrderIntake intake(events);
  server::CatalogService catalog(**db);
  server::StockService stock(**db, events);
  server::OrderService orders(**db, intake);
  check(catalog.putLocation({"L1", "A", domain::LocationKind::Pick}).ok(), "location");
  constexpr int kSkus = 200;
  for (int i = 0; i < kSkus; ++i) {
    domain::Sku s;
    s.code = "S" + std::to_string(i);
    check(catalog.putSku(s).ok(), "sku");
    check(stock.adjust({s.code, "L1", "", "", 1'000'000, domain::AdjustReason::Receipt, "", ""}).ok(), "stock");
  }

  std::cerr << "  ours (" << tag << "): " << args.orders << " orders one per transaction...\n";
  auto commitsBefore = (*db)->stats().commits;
  auto t0 = Clock::now();
  for (int i = 0; i < args.orders; ++i)
    check(orders.create(order("seq-" + std::to_string(i), "S" + std::to_string(i % kSkus))).ok(), "order");
  double perTx = args.orders / secondsSince(t0);
  auto commitsSeq = (*db)->stats().commits - commitsBefore;

  std::cerr << "  ours (" << tag << "): " << args.orders << " orders from " << args.threads << " threads...\n";
  commitsBefore = (*db)->stats().commits;
  std::atomic<int> next{0}, failed{0};
  t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < args.threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < args.orders; i = next++) {
        if (!orders.create(order("par-" + std::to_string(i), "S" + std::to_string(i % kSkus))).ok()) ++failed;
      }
    });
  }
  for (auto& th : pool) th.join();
  double batched = args.orders / secondsSince(t0);
  auto commitsPar = (*db)->stats().commits - commitsBefore;
  check(failed == 0, "some concurrent orders failed");

  auto out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("per_tx_per_s", std::round(perTx));
  out->set("per_tx_commits", static_cast<Poco::UInt64>(commitsSeq));
  out->set("batched_per_s", std::round(batched));
  out->set("batched_threads", args.threads);
  out->set("batched_mean_batch", std::round(10.0 * args.orders / std::max<double>(1, commitsPar)) / 10.0);
  return out;
}

void execOrDie(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::cerr << "sqlite: " << (msg ? msg : "?") << " in " << sql << "\n";
    std::exit(1);
  }
}

Poco::JSON::Object::Ptr benchRaw(const Args& args, store::Durability durability, const std::string& tag) {
  auto path = args.dir / ("raw-" + tag + ".db");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db) == SQLITE_OK, "raw open");
  execOrDie(db, "PRAGMA journal_mode = WAL");
  execOrDie(db, durability == store::Durability::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  execOrDie(db, "PRAGMA foreign_keys = ON");
  execOrDie(db, "CREATE TABLE sku_stock(sku TEXT PRIMARY KEY, on_hand INTEGER, allocated INTEGER)");
  execOrDie(db, "BEGIN");
  for (int i = 0; i < 200; ++i) {
    std::string sql = "INSERT INTO sku_stock VALUES ('S" + std::to_string(i) + "', 1000000, 0)";
    execOrDie(db, sql.c_str());
  }
  execOrDie(db, "COMMIT");
  sqlite3_stmt* upd = nullptr;
  check(sqlite3_prepare_v2(db, "UPDATE sku_stock SET allocated = allocated + 1 WHERE sku = ?", -1, &upd, nullptr) ==
            SQLITE_OK,
        "prepare");
  auto step = [&](int i) {
    std::string sku = "S" + std::to_string(i % 200);
    sqlite3_bind_text(upd, 1, sku.c_str(), -1, SQLITE_TRANSIENT);
    check(sqlite3_step(upd) == SQLITE_DONE, "raw update");
    sqlite3_reset(upd);
  };
  std::cerr << "  raw sqlite (" << tag << "): " << args.orders << " updates one per transaction...\n";
  auto t0 = Clock::now();
  for (int i = 0; i < args.orders; ++i) {
    execOrDie(db, "BEGIN IMMEDIATE");
    step(i);
    execOrDie(db, "COMMIT");
  }
  double perTx = args.orders / secondsSince(t0);
  std::cerr << "  raw sqlite (" << tag << "): " << args.orders << " updates 256 per transaction...\n";
  t0 = Clock::now();
  for (int i = 0; i < args.orders;) {
    execOrDie(db, "BEGIN IMMEDIATE");
    for (int k = 0; k < 256 && i < args.orders; ++k, ++i) step(i);
    execOrDie(db, "COMMIT");
  }
  double batched = args.orders / secondsSince(t0);
  sqlite3_finalize(upd);
  sqlite3_close(db);
  auto out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("per_tx_per_s", std::round(perTx));
  out->set("batched_per_s", std::round(batched));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--orders" && i + 1 < argc) args.orders = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) args.threads = std::atoi(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) args.dir = argv[++i];
    else {
      std::cerr << "usage: wms-bench-store [--orders N] [--threads T] [--dir DIR]\n";
      return 2;
    }
  }
  std::filesystem::create_directories(args.dir);
  Poco::JSON::Object result(Poco::JSON_PRESERVE_KEY_ORDER);
  result.set("benchmark", "store_reservations");
  result.set("orders", args.orders);
  for (auto [durability, tag] : {std::pair{store::Durability::Full, "full"}, std::pair{store::Durability::Normal, "normal"}}) {
    std::cerr << "durability " << tag << ":\n";
    auto ours = benchOurs(args, durability, tag);
    auto raw = benchRaw(args, durability, tag);
    Poco::JSON::Object::Ptr run = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    run->set("ours", ours);
    run->set("raw_sqlite", raw);
    run->set("ratio_per_tx", std::round(100.0 * ours->getValue<double>("per_tx_per_s") /
                                        raw->getValue<double>("per_tx_per_s")) / 100.0);
    run->set("ratio_batched", std::round(100.0 * ours->getValue<double>("batched_per_s") /
                                         raw->getValue<double>("per_tx_per_s")) / 100.0);
    result.set(std::string("durability_") + tag, run);
  }
  std::filesystem::remove_all(args.dir);
  result.stringify(std::cout);
  std::cout << "\n";
  return 0;
}
