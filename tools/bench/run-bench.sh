# Sourced by tools/bench/<name>: builds one benchmark program in the normal
# build folder (or $WMS_BUILD_DIR) and runs it. Build progress goes to stderr,
# the benchmark's JSON to stdout.
# usage (from a bench script): run_bench TARGET SUBDIR [args...]
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
run_bench() {
  local target=$1 subdir=$2; shift 2
  wms_build "$target" >&2
  exec "$WMS_BUILD_DIR/tools/bench/src/$subdir/$target" "$@"
}
