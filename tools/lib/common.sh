# Shared shell helpers for tools/ scripts. Source it; do not run it.
WMS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WMS_JOBS=${WMS_JOBS:-2}
WMS_BUILD_DIR=${WMS_BUILD_DIR:-$WMS_ROOT/build}

# step MESSAGE: a visible progress line for long-running scripts.
step() { printf '\n\033[1m==> %s\033[0m  (%s)\n' "$*" "$(date +%H:%M:%S)" >&2; }

# wms_build [TARGET...]: configure (once) and build the normal build folder.
# Build output goes to stderr so that a script's stdout stays its own.
wms_build() {
  if [[ ! -f "$WMS_BUILD_DIR/build.ninja" ]]; then
    cmake -S "$WMS_ROOT" -B "$WMS_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
  fi
  if [[ $# -gt 0 ]]; then
    local t args=()
    for t in "$@"; do args+=(--target "$t"); done
    cmake --build "$WMS_BUILD_DIR" -j "$WMS_JOBS" "${args[@]}" >&2
  else
    cmake --build "$WMS_BUILD_DIR" -j "$WMS_JOBS" >&2
  fi
}
