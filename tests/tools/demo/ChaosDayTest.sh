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
python3 - "$summary" "$(dirname "$0")" "$(id -u)" <<'PY'
import sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[2])
from summary_checks import Summary
s = Summary(sys.argv[1])
s.reconciled(also_zero=("events_refused",))
s.expect("orders_shipped", (s.get("orders_shipped") or 0) >= 200, "most orders ship")
faults = s.get("faults") or {}
s.expect("faults", faults.get("wmsd", 0) >= 1, "wmsd was killed at least once")
s.expect("faults", faults.get("broker", 0) >= 1, "the broker was killed at least once")
s.expect("faults", faults.get("channel", 0) + faults.get("printer", 0) >= 1, "a marketplace or the printer went down")
if sys.argv[3] == "0":  # root: the database's disk can be filled
    s.expect("faults", faults.get("disk", 0) >= 1, "the disk filled at least once")
s.expect("mqtt_duplicates", (s.get("mqtt_duplicates") or 0) >= 10, "handheld events were delivered twice (and applied once)")
s.expect("chaos_trouble", not s.get("chaos_trouble"), "the injector did what it meant to")
s.verdict("the chaos day finished: {orders_shipped} shipped, {orders_short} short, {orders_held} held, "
          "{orders_cancelled} cancelled in {duration_s:.0f} s under {faults_injected} faults ({faults}) "
          "and {mqtt_duplicates} duplicated handheld events")
PY
exit $code
