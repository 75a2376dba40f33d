#!/usr/bin/env bash
# Wall time of `isula ps -a` and `isula inspect ID` with 100 busybox containers (20 running).
#
#   BENCH_CONTAINERS=100  BENCH_RUNNING=20  BENCH_QUERY_RUNS=30
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init ps_inspect

NCONT=${BENCH_CONTAINERS:-100}
NRUN=${BENCH_RUNNING:-20}
RUNS=${BENCH_QUERY_RUNS:-30}

busybox_rootfs
daemon_start

log "creating $NCONT busybox containers, starting $NRUN"
ids=()
for i in $(seq 1 "$NCONT"); do
	id=$("$ISULA" create --external-rootfs "$BUSYBOX_ROOTFS" none sh -c 'sleep 1000') ||
		die "isula create --external-rootfs $BUSYBOX_ROOTFS none sh -c 'sleep 1000' failed (#$i)"
	ids+=("$id")
done
for i in $(seq 0 $((NRUN - 1))); do
	"$ISULA" start "${ids[$i]}" >/dev/null || die "isula start ${ids[$i]} failed"
done
n_all=$("$ISULA" ps -aq | wc -l)
n_up=$("$ISULA" ps -q | wc -l)
log "isula ps -a lists $n_all containers, isula ps lists $n_up running"
[ "$n_all" -eq "$NCONT" ] || die "expected $NCONT containers in isula ps -a, got $n_all"
[ "$n_up" -eq "$NRUN" ] || die "expected $NRUN running containers, got $n_up"

# time_cmd CMD...: wall time in ms of one run (output discarded; failure is fatal).
# time_cmd VAR CMD...: appends CMD's wall time (ms) to array VAR. No subshell between the two
# clock reads: a $(...) around the command would add a bash fork (~7 ms here) to every figure.
time_cmd() {
	local -n into=$1
	shift
	local t0=${EPOCHREALTIME/./}
	"$@" >/dev/null || die "failed: $*"
	local t1=${EPOCHREALTIME/./}
	into+=("$(((t1 - t0) / 1000)).$((((t1 - t0) % 1000) / 100))")
}

"$ISULA" ps -a >/dev/null
"$ISULA" inspect "${ids[0]}" >/dev/null

ps_t=() insp_t=() ver_t=() true_t=()
for i in $(seq 1 "$RUNS"); do
	time_cmd ps_t "$ISULA" ps -a
	# alternate a running and a created container
	time_cmd insp_t "$ISULA" inspect "${ids[$(((i * 7) % NCONT))]}"
	time_cmd ver_t "$ISULA" version
	time_cmd true_t /bin/true
done
log "ps -a ms: ${ps_t[*]}"
log "inspect ms: ${insp_t[*]}"
result "isula ps -a, $NCONT containers (median ms)" "$(median "${ps_t[@]}")" ms 20
result "isula inspect ID (median ms)" "$(median "${insp_t[@]}")" ms 10
result "isula version, client floor (median ms)" "$(median "${ver_t[@]}")" ms

# For reading the above: a process that does nothing, the client without the daemon, and the
# daemon's own answer time (one connection per request, as the client does, from python).
help_t=()
for i in $(seq 1 "$RUNS"); do
	time_cmd help_t "$ISULA" --help
done
result "fork+exec /bin/true (median ms)" "$(median "${true_t[@]}")" ms
result "isula --help, no daemon (median ms)" "$(median "${help_t[@]}")" ms
if command -v python3 >/dev/null; then
	api() { python3 "$BENCH_LIB_DIR/api_time.py" "$SOCK" "$RUNS" "$@" || die "api_time.py $*"; }
	result "daemon answer, GET containers/json?all=1 (ms)" "$(api get '/containers/json?all=1')" ms
	result "daemon answer, GET containers/ID/json (ms)" "$(api get "/containers/${ids[7]}/json")" ms
fi
