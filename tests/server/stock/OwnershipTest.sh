#!/usr/bin/env bash
# One owner for every stock move: outside the stock core (server/stock) and
# the store (server/store), no source writes the central stock, the stock per
# location, the ledger, the picked units or the order lines' counters. (The
# repositories' write methods are private to wms::stock::Moves, so a call
# does not compile; this catches SQL text written around them.)
#
# usage: tests/server/stock/OwnershipTest.sh SOURCE_DIR
set -euo pipefail
root=${1:?usage: OwnershipTest.sh SOURCE_DIR}
cd "$root"
pattern='(INSERT[[:space:]]+(OR[[:space:]]+[A-Z]+[[:space:]]+)?INTO|UPDATE|DELETE[[:space:]]+FROM|REPLACE[[:space:]]+INTO)[[:space:]]+(sku_stock|stock|ledger|picked_units|order_lines)([^a-z_]|$)'
# Allowed: the owners; the store's own tests (they check its constraints on
# raw SQLite); the store bench's raw-SQLite baseline (its own database file).
found=$(grep -rInE "$pattern" server tools handheld tests labels layouts protocol common \
          --include='*.cpp' --include='*.h' \
        | grep -vE '^(server/stock/|server/store/|tests/server/store/|tools/bench/src/store/main\.cpp:)' || true)
if [[ -n "$found" ]]; then
  echo "FAILED: stock tables written outside server/stock and server/store:"
  echo "$found"
  exit 1
fi
# The check must see the writers it allows, or it checks nothing.
owners=$(grep -rlE "$pattern" server/stock server/store --include='*.cpp' | wc -l)
if [[ $owners -lt 2 ]]; then
  echo "FAILED: the pattern finds no writers in server/stock and server/store ($owners files): it is broken"
  exit 1
fi
# POCO::Data stays inside the store: the other components speak to it through
# store::Query and the repositories only (so a second SQL engine replaces the
# store, not the components).
leaks=$(grep -rlnE 'Poco/Data|Poco::Data|sessionOf\(' server tools tests --include='*.cpp' --include='*.h' \
        | grep -vE '^(server/store/|tests/server/store/)' || true)
if [[ -n "$leaks" ]]; then
  echo "FAILED: POCO::Data used outside server/store:"
  echo "$leaks"
  exit 1
fi
echo "ok: only server/stock and server/store write the stock tables ($owners files there do); POCO::Data only in server/store"
