#!/usr/bin/env bash
# A day that cannot finish says so: 400 orders, one slow picker and one
# minute allowed. The headless demo must stop at the limit, count the orders
# still in a stage (orders_unfinished, by stage) and exit non-zero, although
# its books reconcile.
#
# usage: tests/tools/demo/UnfinishedDayTest.sh BUILD_DIR   (ctest passes it)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
export WMS_BUILD_DIR=${1:?usage: UnfinishedDayTest.sh BUILD_DIR}
state=$(mktemp -d /tmp/wms-unfinished-day.XXXXXX)
trap 'rm -rf "$state" "$state.log"' EXIT

code=0
summary=$("$root/tools/run-demo" --headless --orders 400 --rate 100 --devices 1 --pace 400 --max-minutes 1 \
  --seed 5 --state "$state" 2>"$state.log" | tail -n 1) || code=$?
echo "exit $code; summary: $summary"
python3 - "$summary" "$code" <<'PY'
import json, sys
s, code = json.loads(sys.argv[1]), int(sys.argv[2])
failures = []
if code == 0:
    failures.append("the demo exited 0 with work left undone")
unfinished = s.get("orders_unfinished")
if not unfinished:
    failures.append(f"orders_unfinished must be above 0, got {unfinished!r}")
by_stage = s.get("orders_unfinished_by_stage") or {}
if sum(by_stage.values()) != unfinished:
    failures.append(f"the stages {by_stage} do not add up to {unfinished}")
for name in ("stock_mismatches", "oversells"):
    if s.get(name) != 0:
        failures.append(f"{name} must be 0 (the books still reconcile), got {s.get(name)!r}")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"the unfinished day said so: {unfinished} unfinished {by_stage}, exit {code}")
PY
