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
python3 - "$summary" "$(dirname "$0")" <<'PY'
import sys
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, sys.argv[2])
from summary_checks import Summary
s = Summary(sys.argv[1])
s.reconciled()
s.expect("orders_shipped", (s.get("orders_shipped") or 0) >= 550, "most orders ship")
s.expect("orders_cancelled", (s.get("orders_cancelled") or 0) > 0, "the channels cancelled some orders late")
s.expect("totes_lowest_free", s.get("totes_lowest_free") is not None and s.get("totes_lowest_free") >= 0,
         "the pool was used")
s.expect("exceptions_open_by_kind", (s.get("exceptions_open_by_kind") or {}).get("short_pick", 0) > 0,
         "the pickers reported shorts")
s.verdict("the day finished: {orders_shipped} shipped, {orders_short} short, {orders_held} held, "
          "{orders_cancelled} cancelled in {duration_s:.0f} s; totes lowest free {totes_lowest_free}; "
          "batches emptied by cancels: {batches_emptied}")
PY
exit $code
