#!/usr/bin/env bash
# A small day under faults (tools/run-demo --headless --chaos, real
# processes): 300 orders while tools/chaos/wms-chaos kills wmsd and the
# broker with kill -9 (each started again seconds later), freezes the
# handhelds, fills the database's disk (as root: a tmpfs of its own), takes a
# marketplace down and switches the label printer off, with more duplicate
# and out-of-order webhooks than a calm day. The day must still finish and
# reconcile exactly: every order settled, the books and every channel right,
# nothing lost or applied twice, and no handheld event refused.
#
# usage: tests/tools/demo/ChaosDayTest.sh BUILD_DIR   (ctest passes it)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
export WMS_BUILD_DIR=${1:?usage: ChaosDayTest.sh BUILD_DIR}
state=$(mktemp -d /tmp/wms-chaos-day-test.XXXXXX)
trap 'rm -rf "$state" "$state.log"' EXIT

code=0
summary=$("$root/tools/run-demo" --headless --chaos --chaos-every 5 --chaos-minutes 2 --orders 300 --seed 5 \
  --state "$state" 2>"$state.log" | tail -n 1) || code=$?
echo "summary: $summary"
grep "chaos:" "$state.log" || true
if [[ $code -ne 0 ]]; then
  echo "run-demo exited $code; the end of its output:"
  tail -n 60 "$state.log"
  echo "--- wmsd log (warnings and errors)"
  grep -hE "WARN|ERROR|error|refused" "$state/wmsd.log" | tail -n 40 || true
fi
python3 - "$summary" "$(id -u)" <<'PY'
import json, sys
try:
    s = json.loads(sys.argv[1])
except ValueError:
    print("FAILED: no summary from run-demo")
    sys.exit(1)
root = sys.argv[2] == "0"
failures = []
def expect(name, ok, what):
    if not ok:
        failures.append(f"{name}: {what} (got {s.get(name)!r})")
expect("orders_unfinished", s.get("orders_unfinished") == 0, "every order finishes")
for name in ("stock_mismatches", "oversells", "channels_out_of_sync", "fulfilments_missing",
             "store_orders_refused", "pack_failures", "totes_bound_twice", "events_refused"):
    expect(name, s.get(name) == 0, "must be 0")
expect("orders_shipped", (s.get("orders_shipped") or 0) >= 200, "most orders ship")
faults = s.get("faults") or {}
expect("faults", faults.get("wmsd", 0) >= 1, "wmsd was killed at least once")
expect("faults", faults.get("broker", 0) >= 1, "the broker was killed at least once")
expect("faults", faults.get("channel", 0) + faults.get("printer", 0) >= 1, "a marketplace or the printer went down")
if root:
    expect("faults", faults.get("disk", 0) + faults.get("handhelds", 0) >= 1,
           "the disk filled or the handhelds froze at least once")
expect("chaos_trouble", not s.get("chaos_trouble"), "the injector did what it meant to")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("the chaos day finished: %d shipped, %d short, %d held, %d cancelled in %.0f s under %d faults (%s)" % (
    s["orders_shipped"], s["orders_short"], s["orders_held"], s["orders_cancelled"], s["duration_s"],
    s["faults_injected"], ", ".join(f"{k} {n}" for k, n in sorted(faults.items()))))
PY
exit $code
