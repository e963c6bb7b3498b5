#!/usr/bin/env bash
# The server's layers point one way. The libraries below server/core (the
# domain, the store, the stock core, waves planning, channels, packing,
# inbound, and the shared components under it) never include a server/core
# header nor link wms::server; and wmsd links neither the handheld's terminal UI
# (ncursesw, formw) nor ZXing (decoding belongs to the handhelds; the label
# renderer draws its own symbols).
#
# usage: tests/server/LayeringTest.sh SOURCE_DIR WMSD_BINARY
set -euo pipefail
root=${1:?usage: LayeringTest.sh SOURCE_DIR WMSD_BINARY}
wmsd=${2:?usage: LayeringTest.sh SOURCE_DIR WMSD_BINARY}
cd "$root"
below=(server/domain server/store server/stock server/waves server/channels server/packing server/inbound server/identity server/assets
       labels layouts protocol common)
failed=0

includes=$(grep -rnE '#include[[:space:]]+[<"]wms/server/' "${below[@]}" --include='*.cpp' --include='*.h' || true)
if [[ -n "$includes" ]]; then
  echo "FAILED: a library below server/core includes a server/core header:"
  echo "$includes"
  failed=1
fi
links=$(find "${below[@]}" -name CMakeLists.txt -exec grep -HnE 'wms::server([^_a-z]|$)' {} + || true)
if [[ -n "$links" ]]; then
  echo "FAILED: a library below server/core links wms::server:"
  echo "$links"
  failed=1
fi

[[ -x "$wmsd" ]] || { echo "FAILED: no wmsd binary at $wmsd"; exit 1; }
needed=$(readelf -d "$wmsd" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if [[ -z "$needed" ]]; then
  echo "FAILED: readelf found no NEEDED entries in $wmsd: the check would check nothing"
  exit 1
fi
banned=$(grep -iE '^lib(ZXing|ncurses|form|tinfo)' <<<"$needed" || true)
if [[ -n "$banned" ]]; then
  echo "FAILED: wmsd links libraries it must not:"
  echo "$banned"
  failed=1
fi
# The source-level check must see the headers it guards, or it checks nothing.
if [[ ! -f server/core/include/wms/server/Server.h ]]; then
  echo "FAILED: server/core/include/wms/server/Server.h is gone: update this check"
  exit 1
fi
[[ $failed -eq 0 ]] || exit 1
echo "ok: no library below server/core includes or links it; wmsd needs $(wc -l <<<"$needed") shared libraries, none of them ZXing or ncurses"
