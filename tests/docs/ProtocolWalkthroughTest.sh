#!/usr/bin/env bash
# docs/protocol.md's "Walkthrough: a pick and a pack" works as written: its
# shell blocks marked `<!-- walkthrough: run -->`, run in order in one bash
# against a real mosquitto (tools/broker/wms-broker, the accounts the page
# uses) and a real wmsd (the page's settings block), pick, pack and ship one
# order. Checked from outside the page's own helpers: every event the two
# devices published was acknowledged "applied" (seen by the broker's monitor
# account), every stop of the batch was confirmed, the label printed, the
# order is shipped, and each SKU's on-hand stock fell by its shipped units
# exactly once.
#
# usage: tests/docs/ProtocolWalkthroughTest.sh BUILD_DIR [DOC]
#   DOC defaults to docs/protocol.md (another file: to see the test fail on a
#   changed page).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: ProtocolWalkthroughTest.sh BUILD_DIR [DOC]}
doc=${2:-$root/docs/protocol.md}
wmsd=$build/server/app/wmsd
[[ -x $wmsd ]] || { echo "FAIL: no wmsd at $wmsd (build it first)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wms-walkthrough.XXXXXX")
pids=()          # what this test started, stopped at exit
walk_pid=""      # the walkthrough's shell; its own session, so its background jobs go with it
cleanup() {
  if [[ -n $walk_pid ]]; then kill -- -"$walk_pid" 2>/dev/null || true; fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for f in walkthrough.out wmsd.log broker.out; do
    [[ -f $tmp/$f ]] && { echo "--- $f (last 40 lines)"; tail -n 40 "$tmp/$f"; }
  done
  exit 1
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_until SECONDS COMMAND...: retries COMMAND every 0.1 s until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# --- The page's blocks ---------------------------------------------------------
# Only the walkthrough section; a marker must be followed by its fenced block
# (a stray marker is an error, not a skipped step). Indentation of blocks in
# list items is removed.
python3 - "$doc" "$tmp" <<'PY' || fail "could not read the walkthrough's blocks from $doc"
import re, sys
doc, tmp = sys.argv[1], sys.argv[2]
lines = open(doc, encoding="utf-8").read().split("\n")
start = lines.index("## Walkthrough: a pick and a pack")
end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
section = lines[start:end]
blocks = {"run": [], "wmsd settings": []}
i = 0
while i < len(section):
    m = re.fullmatch(r"\s*<!-- walkthrough: (.+?) -->\s*", section[i])
    if not m:
        i += 1
        continue
    kind = m.group(1)
    if kind not in blocks:
        sys.exit(f"unknown marker '{kind}'")
    fence = re.fullmatch(r"(\s*)```(sh|properties)\s*", section[i + 1] if i + 1 < len(section) else "")
    if not fence:
        sys.exit(f"marker '{kind}' is not followed by a ```sh or ```properties block")
    indent, body, i = fence.group(1), [], i + 2
    while section[i].strip() != "```":
        body.append(section[i][len(indent):] if section[i].startswith(indent) else section[i])
        i += 1
    blocks[kind].append("\n".join(body))
if len(blocks["wmsd settings"]) != 1 or not blocks["run"]:
    sys.exit("want one wmsd settings block and at least one run block")
open(f"{tmp}/walkthrough.properties", "w").write(blocks["wmsd settings"][0] + "\n")
with open(f"{tmp}/blocks.sh", "w") as out:
    for n, body in enumerate(blocks["run"], 1):
        out.write(f"# --- block {n}\n{body}\n__after_block {n}\n")
print(f"{len(blocks['run'])} blocks to run")
PY

# --- A real broker with the page's accounts ------------------------------------
broker_port=$(free_port)
server_port=$(free_port)
# --any-client-id: the page's devices use several connections each (see the page).
"$root/tools/broker/wms-broker" setup "$tmp/broker" --port "$broker_port" --server-port "$server_port" --any-client-id \
  --server-user wms-server:server-secret --monitor-user wms-monitor:monitor-secret \
  --device HH-07:hh07-secret --device PK-02:pk02-secret >"$tmp/broker.out" 2>&1 || fail "wms-broker setup"
"$root/tools/broker/wms-broker" start "$tmp/broker" >>"$tmp/broker.out" 2>&1 &
pids+=($!)
wait_until 15 mosquitto_sub -h 127.0.0.1 -p "$server_port" -u wms-monitor -P monitor-secret -t none -W 1 -E ||
  fail "the broker did not come up on port $broker_port"

# Everything on the wire, through the read-only monitor account: the record
# the checks below read, independent of the page's own helpers.
stdbuf -oL mosquitto_sub -h 127.0.0.1 -p "$server_port" -u wms-monitor -P monitor-secret -q 1 -v -d \
  -t 'wms/v1/#' >"$tmp/monitor.log" 2>&1 &
pids+=($!)
wait_until 10 grep -q SUBACK "$tmp/monitor.log" || fail "the monitor did not subscribe"

# --- A label printer for PACK-2: a raw TCP 9100 printer keeps what it gets --------
printer_port=$(free_port)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept()
    with open(sys.argv[2], "ab") as out:
        while data := c.recv(65536):
            out.write(data)
    c.close()
' "$printer_port" "$tmp/printed" &
pids+=($!)

# --- A real wmsd with the page's settings, run from the repository's root -------
# (the page's layout path is relative to it); only the addresses and files
# that must be free or private to this test are overridden.
# The shell's API token (the page says how to make one), on the database
# before wmsd starts.
WMS_TOKEN=$(cd "$root" && "$wmsd" --config "$tmp/walkthrough.properties" --set "store.path=$tmp/wms.db" \
  --issue-token walkthrough:supervisor,integration) || fail "wmsd --issue-token failed"
export WMS_TOKEN
(cd "$root" && exec "$wmsd" --config "$tmp/walkthrough.properties" \
  --set "mqtt.uri=tcp://127.0.0.1:$server_port" \
  --set "printing.printer.ZEBRA-PACK-2.uri=tcp://127.0.0.1:$printer_port" \
  --set http.port=0 --set "http.port_file=$tmp/http.port" --set "store.path=$tmp/wms.db" \
  >"$tmp/wmsd.log" 2>&1) &
pids+=($!)
wait_until 20 test -s "$tmp/http.port" || fail "wmsd did not start"
api=http://127.0.0.1:$(cat "$tmp/http.port")
mqtt_ok() { curl -fsS "$api/healthz" | grep -q '"mqtt":"ok"'; }
wait_until 20 mqtt_ok || fail "wmsd did not subscribe to the device topics"

# --- Run the blocks -------------------------------------------------------------
# One bash, as a reader's terminal would be: -e stops at the first failing
# command (the page's `applied` fails on any ack but "applied"). After each
# block, the stock totals are kept to see when on-hand changed.
mkdir "$tmp/work"
{
  echo 'set -eu'
  echo "P=$broker_port API=$api"
  echo "__after_block() { curl -fsS -H \"Authorization: Bearer \$WMS_TOKEN\" \"\$API/api/v1/stock\" > '$tmp/stock.'\$1'.json'; }"
  cat "$tmp/blocks.sh"
  echo 'echo WALKTHROUGH-COMPLETE'
} >"$tmp/walkthrough.sh"
started=$SECONDS
(cd "$tmp/work" && exec setsid bash "$tmp/walkthrough.sh" >"$tmp/walkthrough.out" 2>&1) &
walk_pid=$!
deadline=$((SECONDS + 90))
while kill -0 "$walk_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
kill -0 "$walk_pid" 2>/dev/null && fail "the walkthrough did not finish within 90 s"
wait "$walk_pid" || fail "the walkthrough's commands failed (exit $?)"
grep -q WALKTHROUGH-COMPLETE "$tmp/walkthrough.out" || fail "the walkthrough stopped early"
echo "the walkthrough ran in $((SECONDS - started)) s"

# --- Check what happened ----------------------------------------------------------
sleep 0.5  # the monitor's copy of the last acks
python3 - "$tmp" "$api" <<'PY' || fail "the checks above failed"
import glob, json, re, sys, time, urllib.request
tmp, api = sys.argv[1], sys.argv[2]
problems = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        problems.append(what)
def get(path):
    import os
    req = urllib.request.Request(api + path, headers={"Authorization": "Bearer " + os.environ["WMS_TOKEN"]})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)

events, acks, commands = [], {}, []
for line in open(f"{tmp}/monitor.log", encoding="utf-8"):
    m = re.match(r"(wms/v1/dev/([^/]+)/(evt|cmd)) (\{.*\})$", line.rstrip("\n"))
    if not m:
        continue
    device, channel, msg = m.group(2), m.group(3), json.loads(m.group(4))
    if channel == "evt":
        events.append((device, msg))
    elif msg["type"] == "ack":
        acks.setdefault((device, msg["event_id"]), []).append(msg)
    else:
        commands.append((device, msg))

types = [(d, e["type"]) for d, e in events]
for device, kind in [("HH-07", "signin"), ("HH-07", "batch.done"), ("HH-07", "signout"), ("PK-02", "signin"),
                     ("PK-02", "pack.request"), ("PK-02", "pack.confirm"), ("PK-02", "label.request"),
                     ("PK-02", "ship.confirm"), ("PK-02", "signout")]:
    check(types.count((device, kind)) == 1, f"{device} published one {kind}")
for device, e in events:
    got = [a["result"] + (": " + a["error"]["message"] if "error" in a else "")
           for a in acks.get((device, e["event_id"]), [])]
    check(got == ["applied"], f"{device} {e['type']} {e['event_id']} acknowledged once, applied (got {got})")
check(not [m for _, m in commands if m["type"] == "error"], "wmsd sent no error message")

assigns = [m for d, m in commands if d == "HH-07" and m["type"] == "task.assign"]
check(len(assigns) >= 1, "HH-07 was sent a task.assign")
if assigns:
    stops = {s["stop_id"] for s in assigns[0]["stops"]}
    confirmed = {e["stop_id"] for d, e in events if e["type"] == "pick.confirm" and e["batch_id"] == assigns[0]["batch_id"]}
    check(len(stops) >= 2 and confirmed == stops, f"every stop of the batch was confirmed: {sorted(stops)}")

ships = [e for _, e in events if e["type"] == "ship.confirm"]
if ships:
    order = get("/api/v1/orders/" + ships[0]["order_id"])
    check(order["status"] == "shipped", f"order {order['id']} is shipped (is {order['status']})")
    snapshots = sorted(glob.glob(f"{tmp}/stock.*.json"), key=lambda p: int(p.split(".")[-2]))
    for line in order["lines"]:
        sku, qty = line["sku"], line["qty"]
        seen = []  # on-hand after each block, from the block that made the SKU
        for path in snapshots:
            for row in json.load(open(path)).get("items", []):
                if row["sku"] == sku and (not seen or seen[-1] != row["on_hand"]):
                    seen.append(row["on_hand"])
        check(len(seen) == 2 and seen[1] == seen[0] - qty,
              f"{sku}: on-hand fell once, by the {qty} shipped (after each block: {seen})")
        ledger = get("/api/v1/ledger?sku=" + sku + "&limit=1000")["items"]
        shipped = [r for r in ledger if r["cause"] == "ship" and r["delta_on_hand"] != 0]
        check(sum(r["delta_on_hand"] for r in shipped) == -qty,
              f"{sku}: the ledger's ship rows take off the {qty} shipped ({[r['delta_on_hand'] for r in shipped]})")
    audit = get("/api/v1/audit")
    check(audit["ok"], f"stock audit: on-hand, allocations and ledger agree ({audit['violations']})")

# The label prints after the label.request's commit, on the spooler's thread.
printed = b""
for _ in range(100):
    try:
        printed = open(f"{tmp}/printed", "rb").read()
    except FileNotFoundError:
        pass
    if b"^XA" in printed:
        break
    time.sleep(0.1)
check(b"^XA" in printed, "PACK-2's printer got the label (ZPL)")
sys.exit(1 if problems else 0)
PY
echo "the walkthrough works as written"
