#!/usr/bin/env bash
# authz-broker: /isulad.auth latency with 1000 policy lines (the user's policy last) against one
# line, side by side (requests alternate between the two brokers), over kept-alive
# connections so that only the broker's work differs. Medians; target: added ≤ 1 ms.
#
#   BENCH_AUTHZ_REQUESTS=2000  BENCH_AUTHZ_LINES=1000
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init authz

NREQ=${BENCH_AUTHZ_REQUESTS:-2000}
NLINES=${BENCH_AUTHZ_LINES:-1000}
BROKER=$BIN/authz-broker
[ -x "$BROKER" ] || die "build first: make (no $BROKER)"
BROKER_PIDS=()
stop_brokers() {
	local p
	for p in "${BROKER_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	bench_cleanup
}
trap stop_brokers EXIT

# Every earlier line names other users and has regex actions, as a large site's file would.
{
	for i in $(seq 1 $((NLINES - 1))); do
		printf '{"name":"p%d","users":["user%d","other%d"],"actions":["^container_(create|start)$","image_.*"]}\n' \
			"$i" "$i" "$i"
	done
	echo '{"name":"last","users":["alice"],"actions":["^container_(list|inspect)$","container_create"]}'
} >"$BENCH_TMP/big.json"
echo '{"name":"last","users":["alice"],"actions":["^container_(list|inspect)$","container_create"]}' \
	>"$BENCH_TMP/one.json"

start_broker() { # NAME POLICYFILE
	"$BROKER" --policy-file "$2" --socket "$BENCH_TMP/$1.sock" --pid-file "$BENCH_TMP/$1.pid" \
		--log "$BENCH_TMP/$1.log" &
	BROKER_PIDS+=($!)
	local _
	for _ in $(seq 1 100); do
		[ -S "$BENCH_TMP/$1.sock" ] && return 0
		sleep 0.05
	done
	die "broker $1 did not start (log: $(tail -3 "$BENCH_TMP/$1.log"))"
}
start_broker big "$BENCH_TMP/big.json"
start_broker one "$BENCH_TMP/one.json"
grep -q "start: $NLINES policies" "$BENCH_TMP/big.log" || die "big.json did not load $NLINES policies"

# Prints "MEDIAN_ONE_US MEDIAN_BIG_US" over NREQ requests each, alternating.
read -r one_us big_us < <(python3 - "$BENCH_TMP/one.sock" "$BENCH_TMP/big.sock" "$NREQ" <<'PY'
import socket, statistics, sys, time
def conn(path):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    return s
body = b"alice:container_list"
req = (b"POST /isulad.auth HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
def ask(s):
    t0 = time.perf_counter_ns()
    s.sendall(req)
    data = b""
    while b"\r\n\r\n" not in data:
        b = s.recv(4096)
        if not b:
            raise SystemExit("connection closed")
        data += b
    t1 = time.perf_counter_ns()
    if not data.startswith(b"HTTP/1.1 200"):
        raise SystemExit("unexpected answer: %r" % data[:40])
    return (t1 - t0) / 1000
one, big = conn(sys.argv[1]), conn(sys.argv[2])
n = int(sys.argv[3])
for _ in range(50):
    ask(one); ask(big)
a, b = [], []
for _ in range(n):
    a.append(ask(one)); b.append(ask(big))
print("%.1f %.1f" % (statistics.median(a), statistics.median(b)))
PY
)
added=$(awk -v a="$one_us" -v b="$big_us" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
result "isulad.auth, 1 policy line (median)" "$(awk -v a="$one_us" 'BEGIN { printf "%.3f", a / 1000 }')" ms
result "isulad.auth, $NLINES policy lines (median)" "$(awk -v b="$big_us" 'BEGIN { printf "%.3f", b / 1000 }')" ms
result "added by $NLINES lines, user last" "$added" ms "<=1"
