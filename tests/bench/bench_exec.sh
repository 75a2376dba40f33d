#!/usr/bin/env bash
# Wall time of `isula exec CTR true` against liblxc's own `lxc-attach -n ID -P LCRPATH -- true`
# into the same running busybox container, the two alternated run by run (so that a slow
# moment of the machine hits both alike). Target: the ratio of the medians <= 1.2, i.e. the
# engine's path (client -> daemon -> isulad-monitor exec -> liblxc attach, then the exit code
# read back) costs little more than attaching directly.
#
#   BENCH_EXEC_RUNS=30
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init exec

RUNS=${BENCH_EXEC_RUNS:-30}
command -v lxc-attach >/dev/null || die "lxc-attach not found"

busybox_rootfs
daemon_start

id=$("$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none sleep 1000) ||
	die "isula run -d --external-rootfs $BUSYBOX_ROOTFS none sleep 1000 failed"
[ "$("$ISULA" inspect -f '{{.State.Status}}' "$id")" = running ] || die "container $id is not running"
# The daemon's lxc path for its containers: <graph>/engines/lcr (LCRPATH, see bench_init).
[ -f "$LCRPATH/$id/config" ] || die "no lxc config at $LCRPATH/$id/config"

# Both paths work and reach the same container before anything is timed.
out=$("$ISULA" exec "$id" cat /proc/1/cmdline | tr '\0' ' ') || die "isula exec $id failed"
[ "$out" = "sleep 1000 " ] || die "isula exec: unexpected /proc/1/cmdline '$out'"
out=$(lxc-attach -n "$id" -P "$LCRPATH" -- cat /proc/1/cmdline | tr '\0' ' ') ||
	die "lxc-attach -n $id -P $LCRPATH failed"
[ "$out" = "sleep 1000 " ] || die "lxc-attach: unexpected /proc/1/cmdline '$out'"
set +e
"$ISULA" exec "$id" sh -c 'exit 3'
rc_isula=$?
lxc-attach -n "$id" -P "$LCRPATH" -- sh -c 'exit 3'
rc_lxc=$?
set -e
[ "$rc_isula" = 3 ] && [ "$rc_lxc" = 3 ] ||
	die "exit code 3 expected from both: isula exec $rc_isula, lxc-attach $rc_lxc"

# time_cmd VAR CMD...: appends CMD's wall time (ms, 1 decimal) to array VAR; a failure is fatal.
# No subshell between the two clock reads (a $(...) would add a bash fork to every figure).
time_cmd() {
	local -n into=$1
	shift
	local t0=${EPOCHREALTIME/./}
	"$@" >/dev/null </dev/null || die "failed: $*"
	local t1=${EPOCHREALTIME/./}
	into+=("$(((t1 - t0) / 1000)).$((((t1 - t0) % 1000) / 100))")
}

# Warm-up (page cache, the daemon's first exec).
for _ in 1 2 3; do
	"$ISULA" exec "$id" true
	lxc-attach -n "$id" -P "$LCRPATH" -- true
done

isula_t=() lxc_t=()
for i in $(seq 1 "$RUNS"); do
	# Alternate which one goes first as well.
	if [ $((i % 2)) -eq 1 ]; then
		time_cmd isula_t "$ISULA" exec "$id" true
		time_cmd lxc_t lxc-attach -n "$id" -P "$LCRPATH" -- true
	else
		time_cmd lxc_t lxc-attach -n "$id" -P "$LCRPATH" -- true
		time_cmd isula_t "$ISULA" exec "$id" true
	fi
done
log "isula exec ms: ${isula_t[*]}"
log "lxc-attach ms: ${lxc_t[*]}"

# No exec helper may outlive its exec.
left=$(pgrep -af "isulad-monitor exec .*$id" || true)
[ -z "$left" ] || log "warning: exec helpers still alive after the runs: $left"

m_isula=$(median "${isula_t[@]}")
m_lxc=$(median "${lxc_t[@]}")
# 3 decimals: a ratio of 1.204 must not round down to a pass.
ratio=$(awk -v a="$m_isula" -v b="$m_lxc" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }')
result "isula exec CTR true (median ms)" "$m_isula" ms
result "lxc-attach -n ID -P LCR -- true (median ms)" "$m_lxc" ms
result "ratio isula exec / lxc-attach (medians)" "$ratio" x "<=1.2"
