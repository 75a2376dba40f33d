#!/usr/bin/env bash
# isulad RSS idle and with 50 running busybox containers (per-container increment), the time
# to start the 50 in parallel vs 50 x the serial single-run median.
#
#   BENCH_MEM_CONTAINERS=50  BENCH_SERIAL_RUNS=10
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init memory

N=${BENCH_MEM_CONTAINERS:-50}
SERIAL=${BENCH_SERIAL_RUNS:-10}

busybox_rootfs
daemon_start
sleep 1 # let start-up settle
rss0=$(rss_kib "$DAEMON_PID")
log "isulad pid $DAEMON_PID idle VmRSS ${rss0} KiB"

run_bb() { "$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none sh -c 'sleep 1000'; }

log "starting $N busybox containers in parallel"
out=$BENCH_TMP/parallel
mkdir -p "$out"
pids=()
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; } # jiffies
c0=$(cpu_busy)
t0=${EPOCHREALTIME/./}
for i in $(seq 1 "$N"); do
	run_bb >"$out/$i.id" 2>"$out/$i.err" &
	pids+=($!)
done
fails=0
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || fails=$((fails + 1))
done
t1=${EPOCHREALTIME/./}
c1=$(cpu_busy)
par_ms=$(ms_between "$t0" "$t1")
hz=$(getconf CLK_TCK)
cpu_pct=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v ms="$par_ms" -v n="$(nproc)" \
	'BEGIN { printf "%.0f", 100 * (c / hz) / (ms / 1000) / n }')
if [ "$fails" -gt 0 ]; then
	log "$fails of $N parallel 'isula run -d --external-rootfs $BUSYBOX_ROOTFS none sh -c \"sleep 1000\"' failed:"
	cat "$out"/*.err | sort | uniq -c | sed 's/^/    /' >&2
fi
n_up=$("$ISULA" ps -q | wc -l)
n_running=0
for f in "$out"/*.id; do
	id=$(tail -n 1 "$f")
	[ -n "$id" ] || continue
	st=$("$ISULA" inspect -f '{{.State.Status}}' "$id" 2>/dev/null) || st=""
	[ "$st" = running ] && n_running=$((n_running + 1))
done
log "parallel start: ${par_ms} ms; $n_running/$N inspected as running; isula ps lists $n_up running"
sleep 1
rss50=$(rss_kib "$DAEMON_PID")
log "isulad VmRSS with $n_up running: ${rss50} KiB"
monitor_rss=0
for p in $(own_pids); do
	case "$(cat "/proc/$p/comm" 2>/dev/null)" in
	isulad-monitor) monitor_rss=$((monitor_rss + $(rss_kib "$p"))) ;;
	esac
done

log "removing them"
# shellcheck disable=SC2046
"$ISULA" rm -f $("$ISULA" ps -aq) >/dev/null || die "isula rm -f of the $N containers failed"
sleep 1
rss_after=$(rss_kib "$DAEMON_PID")

log "serial single runs x $SERIAL"
serial=()
for i in $(seq 1 "$SERIAL"); do
	t0=${EPOCHREALTIME/./}
	id=$(run_bb) || die "isula run -d --external-rootfs $BUSYBOX_ROOTFS none sh -c 'sleep 1000' failed"
	t1=${EPOCHREALTIME/./}
	serial+=("$(ms_between "$t0" "$t1")")
	"$ISULA" rm -f "$id" >/dev/null || die "isula rm -f $id failed"
done
smed=$(median "${serial[@]}")
log "serial isula run -d ms: ${serial[*]}"

result "isulad VmRSS idle (KiB)" "$rss0" KiB 8192
result "isulad VmRSS, $N running (KiB)" "$rss50" KiB
result "isulad VmRSS per container (KiB)" \
	"$(awk -v a="$rss50" -v b="$rss0" -v n="$N" 'BEGIN { printf "%.1f", (a - b) / n }')" KiB 100
result "isulad VmRSS after removing all (KiB)" "$rss_after" KiB
result "isulad-monitor VmRSS, mean per container (KiB)" \
	"$(awk -v a="$monitor_rss" -v n="$n_running" 'BEGIN { printf "%.0f", n ? a / n : 0 }')" KiB
result "containers running after parallel start" "$n_running" "" ">=$N"
result "parallel start of $N (ms)" "$par_ms" ms
result "host CPU busy during the parallel start (% of $(nproc) cores)" "$cpu_pct" "%"
result "$N x serial isula run -d median (ms)" "$(awk -v m="$smed" -v n="$N" 'BEGIN { printf "%.1f", m * n }')" ms
