#!/usr/bin/env bash
# Runs one libFuzzer target for a few seconds over its seed corpus, for ctest.
# usage: run-fuzzer.sh FUZZER SEED_CORPUS_DIR SECONDS
set -euo pipefail
fuzzer=$1 seeds=$2 seconds=$3
if [[ ! -x "$fuzzer" ]]; then
  echo "fuzz target not built: $fuzzer (tools/run-tests builds build-fuzz/ with clang)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"   # crash-* and leak-* artefacts land here and are printed on failure
if ! "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$work" "$seeds"; then
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
    [[ -e "$f" ]] && { echo "reproducer: $f"; base64 "$f" | head -c 2000; echo; }
  done
  exit 1
fi
