#!/usr/bin/env bash
# The demo day at a size where totes must be reused many times: 700 orders,
# one order per cart and a pool of 60 totes (about 700 batches: each tote
# is used some 11 times), late cancels that come about 6 s after their order
# (many after its wave was released: they empty batches), and shorts (wms-sim
# reports 3% of stops short, on slots with and without stock elsewhere). The
# day must finish: every order shipped, short, held or cancelled, the books
# reconciled, every channel in sync, and no tote on two live batches at any
# point. (A cancel that empties a batch a picker already has is rare at this
# pace: server_pick_handlers_tests pins that case down.)
#
# usage: tests/tools/demo/DayTest.sh BUILD_DIR   (ctest passes it)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
export WMS_BUILD_DIR=${1:?usage: DayTest.sh BUILD_DIR}
state=$(mktemp -d /tmp/wms-day-test.XXXXXX)
trap 'rm -rf "$state"' EXIT

code=0
summary=$("$root/tools/run-demo" --headless --orders 700 --tote-pool 60 --cart-totes 1 --late-cancels 0.08 --cancel-after 150 \
  --stations 2 --seed 7 --state "$state" 2>"$state.log" | tail -n 1) || code=$?
echo "summary: $summary"
if [[ $code -ne 0 ]]; then
  echo "run-demo exited $code; the end of its output:"
  tail -n 40 "$state.log"
  echo "--- wmsd log (warnings and errors)"
  grep -E "WARN|ERROR|error|refused" "$state/wmsd.log" | tail -n 40 || true
fi
rm -f "$state.log"
python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
failures = []
def expect(name, ok, what):
    if not ok:
        failures.append(f"{name}: {what} (got {s.get(name)!r})")
expect("orders_unfinished", s.get("orders_unfinished") == 0, "every order finishes")
for name in ("stock_mismatches", "oversells", "channels_out_of_sync", "fulfilments_missing",
             "store_orders_refused", "pack_failures", "totes_bound_twice"):
    expect(name, s.get(name) == 0, "must be 0")
expect("orders_shipped", (s.get("orders_shipped") or 0) >= 550, "most orders ship")
expect("orders_cancelled", (s.get("orders_cancelled") or 0) > 0, "the channels cancelled some orders late")
expect("totes_lowest_free", s.get("totes_lowest_free") is not None and s["totes_lowest_free"] >= 0,
       "the pool was used")
expect("exceptions_open_by_kind", (s.get("exceptions_open_by_kind") or {}).get("short_pick", 0) > 0,
       "the pickers reported shorts")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("the day finished: %d shipped, %d short, %d held, %d cancelled in %.0f s; totes lowest free %d; "
      "batches emptied by cancels: %s" % (
    s["orders_shipped"], s["orders_short"], s["orders_held"], s["orders_cancelled"], s["duration_s"],
    s["totes_lowest_free"], s.get("batches_emptied")))
PY
exit $code
