#!/usr/bin/env bash
# The daemon under API load from concurrent clients (tests/bench/api_load.py, one connection
# per request as isula): requests per second of GET /containers/json (with BENCH_API_LISTED
# containers present) and of create + rm, and the daemon's memory and open fds over many
# create/start/stop/rm cycles of a busybox container (no growth beyond noise is the target).
#
#   BENCH_API_CLIENTS=16  BENCH_API_SECONDS=10  BENCH_API_LISTED=50
#   BENCH_API_CREATERM=1000  BENCH_API_CYCLES=10000
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init api
CLIENTS=${BENCH_API_CLIENTS:-16}
SECONDS_LIST=${BENCH_API_SECONDS:-10}
LISTED=${BENCH_API_LISTED:-50}
CREATERM=${BENCH_API_CREATERM:-1000}
CYCLES=${BENCH_API_CYCLES:-10000}
command -v python3 >/dev/null || die "python3 is needed"
LOAD=$BENCH_LIB_DIR/api_load.py

busybox_rootfs
daemon_start
for _ in $(seq 1 "$LISTED"); do
	"$ISULA" create --external-rootfs "$BUSYBOX_ROOTFS" none true >/dev/null ||
		die "isula create failed"
done
rps=$(python3 "$LOAD" "$SOCK" list "$CLIENTS" "$SECONDS_LIST") || die "list load failed"
result "GET /containers/json, $CLIENTS clients, $LISTED containers (req/s)" "$rps" req/s
crs=$(python3 "$LOAD" "$SOCK" createrm "$CLIENTS" "$CREATERM" "$BUSYBOX_ROOTFS") ||
	die "create+rm load failed"
result "create + rm, $CLIENTS clients (pairs/s)" "$crs" pairs/s
n_left=$("$ISULA" ps -aq | wc -l)
[ "$n_left" -eq "$LISTED" ] || die "$n_left containers after create+rm, expected $LISTED"

every=$((CYCLES / 10 > 0 ? CYCLES / 10 : 1))
log "$CYCLES create/start/stop/rm cycles, $CLIENTS clients (daemon RSS KiB and fds every $every)"
t0=${EPOCHREALTIME/./}
python3 "$LOAD" "$SOCK" cycles "$CLIENTS" "$CYCLES" "$BUSYBOX_ROOTFS" "$DAEMON_PID" "$every" \
	>"$BENCH_TMP/cycles" || die "cycle load failed"
t1=${EPOCHREALTIME/./}
sed 's/^/    cycles rss_kib fds: /' "$BENCH_TMP/cycles" >&2
read -r _ _ fd0 < <(sed -n 1p "$BENCH_TMP/cycles")   # idle, before: fds
read -r _ rss0 _ < <(sed -n 2p "$BENCH_TMP/cycles")   # after the first tenth (warm): RSS
read -r n rss1 fd1 < <(tail -n 1 "$BENCH_TMP/cycles")
[ "$n" = "$CYCLES" ] || die "only $n cycles done"
result "cycles per second, $CLIENTS clients" "$(awk -v n="$CYCLES" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / ((b - a) / 1e6) }')" cycles/s
result "isulad RSS after $every cycles (KiB)" "$rss0" KiB
result "isulad RSS after $CYCLES cycles (KiB)" "$rss1" KiB
result "isulad RSS growth over the last $((CYCLES - every)) cycles (KiB)" "$((rss1 - rss0))" KiB 2048
result "isulad open fds, idle after the cycles minus before" "$((fd1 - fd0))" fds 0
n_left=$("$ISULA" ps -aq | wc -l)
[ "$n_left" -eq "$LISTED" ] || die "$n_left containers after the cycles, expected $LISTED"
