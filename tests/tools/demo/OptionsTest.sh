#!/usr/bin/env bash
# tools/run-demo and wms-demo refuse options they cannot honour before
# starting anything, naming the option: an unknown --packers or --dock
# value, and a headless day with no automatic packers (it could never
# finish); a chaos day that is not headless, or faults every 0 s. The
# handheld and mixed packers are automatic: they pass the checks.
#
# usage: tests/tools/demo/OptionsTest.sh BUILD_DIR   (ctest passes it)
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:?usage: OptionsTest.sh BUILD_DIR}
failures=0
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

# expect NAME WANT_EXIT WANT_TEXT COMMAND...: runs COMMAND, checks its exit
# code and that its stderr contains WANT_TEXT.
expect() {
  local name=$1 want_exit=$2 want_text=$3
  shift 3
  local err code
  err=$("$@" 2>&1 >/dev/null)
  code=$?
  if [[ $code -ne $want_exit || "$err" != *"$want_text"* ]]; then
    echo "FAIL $name: exit $code (want $want_exit), stderr: $err (want: $want_text)"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

expect "run-demo: unknown packers" 2 "--packers is auto, handheld, mixed, web or none, got 'robot'" \
  "$root/tools/run-demo" --packers robot
expect "run-demo: web packers are not headless" 2 "--packers web leaves packing to a person" \
  "$root/tools/run-demo" --packers web --headless
expect "run-demo: no packers is not headless" 2 "--packers none leaves packing to a person" \
  "$root/tools/run-demo" --headless --packers none
expect "run-demo: a chaos day is headless" 2 "--chaos runs a headless day; add --headless" \
  "$root/tools/run-demo" --chaos
expect "run-demo: faults every 0 s" 2 "--chaos-every needs a positive number of seconds, got '0'" \
  "$root/tools/run-demo" --headless --chaos --chaos-every 0
expect "run-demo: faults for no time" 2 "--chaos-minutes needs a positive number, got 'soon'" \
  "$root/tools/run-demo" --headless --chaos --chaos-minutes soon
expect "wms-chaos: no spec" 2 "wms-chaos: cannot read the spec $empty/none.json" \
  "$root/tools/chaos/wms-chaos" --spec "$empty/none.json" --report "$empty/report.json"
expect "wms-demo: duplicates beyond a share" 1 "--duplicates must be a share from 0 to 1" \
  "$build/tools/demo/wms-demo" day --server http://127.0.0.1:1 --emu http://127.0.0.1:1 --state "$empty" --duplicates 2
expect "run-demo: trucks beyond the dock" 2 "--trucks needs a whole number from 0 to 10" \
  "$root/tools/run-demo" --trucks 11
expect "run-demo: trucks not a number" 2 "--trucks needs a whole number from 0 to 10" \
  "$root/tools/run-demo" --trucks two
expect "run-demo: unknown dock" 2 "--dock is rest or handheld, got 'robot'" \
  "$root/tools/run-demo" --dock robot
expect "wms-demo: unknown dock" 1 "--dock must be rest or handheld, got 'robot'" \
  "$build/tools/demo/wms-demo" day --dock robot
expect "wms-demo: negative trucks" 1 "--trucks must be 0 to 10" \
  "$build/tools/demo/wms-demo" day --trucks -1
expect "wms-demo: unknown packers" 1 "--packers must be auto, none, handheld or mixed, got 'web'" \
  "$build/tools/demo/wms-demo" day --packers web
expect "wms-demo: no packers is not headless" 1 "a headless day could never finish" \
  "$build/tools/demo/wms-demo" day --packers none --headless

# Handheld and mixed packing finish by themselves: accepted headless. The
# option checks pass and the day then stops for want of a demo catalogue
# (no state folder), naming that instead of the packers.
expect "wms-demo: handheld packers may be headless" 1 "no demo catalogue" \
  "$build/tools/demo/wms-demo" day --packers handheld --headless --state "$empty"
expect "wms-demo: mixed packers may be headless" 1 "no demo catalogue" \
  "$build/tools/demo/wms-demo" day --packers mixed --headless --state "$empty"
expect "wms-demo: the handheld dock may be headless" 1 "no demo catalogue" \
  "$build/tools/demo/wms-demo" day --dock handheld --headless --state "$empty"

[[ $failures -eq 0 ]] || { echo "$failures check(s) failed"; exit 1; }
echo "all option checks passed"
