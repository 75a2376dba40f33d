#!/usr/bin/env bash
# Starting and stopping busybox containers through the engine against liblxc alone
# (`lxc-start -d` / `lxc-stop` of the engine's generated config, with the files its hooks read,
# so both sides do the same work), in alternating order so a slow moment hits both alike:
#
#   one at a time     `isula run -d` vs `lxc-start -d`, medians            target <= 1.1 x
#   stop              `isula stop` vs `lxc-stop` of the same, medians       target <= 1.05 x
#   fifty at once     wall time until all 50 are running, none failed       target <= 1.1 x
#                     (and the machine's busy cpu time meanwhile, and the daemon's own)
#   fifty in a row    wall time of 50 one after another (at once must not be slower)
#   where it goes     the daemon's per-phase timings of create and start (DEBUG log lines
#                     "timing create ID: phase=ms ... total=ms"), medians
#   memory            isulad-monitor per container (RSS, anonymous) vs lxc's own monitor; the
#                     daemon's RSS with BENCH_START_MANY containers running
#
# The containers' init handles SIGTERM (isula stop) and SIGPWR (lxc-stop's halt signal) by
# exiting, so a stop measures the engine and liblxc, not a timeout.
#
#   BENCH_START_RUNS=40 (one at a time and stop, per side: single stops took 14-40 ms on
#   both sides, and twenty left the medians' ratio 10 % apart from one run to the next)
#   BENCH_START_BATCH=50  BENCH_START_ROUNDS=15 (fifty at once, per side: one batch takes
#   20 % more or less than the next on a busy VM, on both sides; medians of fifteen
#   alternating rounds)
#   BENCH_START_MANY=500 (0: skip)
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init start
RUNS=${BENCH_START_RUNS:-40}
BATCH=${BENCH_START_BATCH:-50}
ROUNDS=${BENCH_START_ROUNDS:-15}
MANY=${BENCH_START_MANY:-500}
# shellcheck disable=SC2016 # the container's shell expands it
BB_CMD=(sh -c 'trap "exit 0" TERM PWR; sleep 100000 & wait')
busybox_rootfs
echo '{"log-level": "DEBUG"}' >"$BENCH_TMP/daemon.json"
daemon_start

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
run_isula() { "$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none "${BB_CMD[@]}"; }
remove_engine_containers() {
	local ids
	ids=$(engine_ids | grep -vx "$REF_ID" || true)
	# shellcheck disable=SC2086 # one id per word
	[ -z "$ids" ] || "$ISULA" rm -f $ids >/dev/null || die "isula rm -f failed"
}
running_engine() { "$ISULA" ps -q | wc -l; }
running_lxc() { lxc-ls -P "$LXCPATH" --running | wc -w; }

# The reference container (also the warm-up): its generated config is the lxc side's.
REF_ID=$(run_isula) || die "isula run -d --external-rootfs $BUSYBOX_ROOTFS failed"
"$ISULA" stop "$REF_ID" >/dev/null || die "isula stop $REF_ID failed"
bb_cfg=$(lxc_config_from_engine "$REF_ID" NAME "$BUSYBOX_ROOTFS")
lxc_def() { make_lxc "$1" "${bb_cfg//NAME/$1}" "$REF_ID"; }
lxc_def warm
lxc-start -n warm -P "$LXCPATH" -d -- "${BB_CMD[@]}" || die "lxc-start of the warm-up failed"
lxc-stop -n warm -P "$LXCPATH" >/dev/null || die "lxc-stop of the warm-up failed"

# ------------------------------------------------------------------ one at a time, stop
log "one at a time: $RUNS runs per side"
for i in $(seq 1 "$RUNS"); do
	lxc_def "bb$i"
	busybox_run_pair "$i"
done
log "isula run -d ms: ${ISULA_MS[*]}"
log "lxc-start -d ms: ${LXC_MS[*]}"
mi=$(median "${ISULA_MS[@]}")
ml=$(median "${LXC_MS[@]}")
result "isula run -d, one at a time (median ms)" "$mi" ms
result "lxc-start -d, one at a time (median ms)" "$ml" ms
result "run -d ratio isula / lxc-start" "$(ratio "$mi" "$ml")" x "<=1.1"

# Where the engine's time went in those runs.
phase_medians() {
	local id
	for id in "${ISULA_IDS[@]}"; do
		grep -h "timing $1 $id: " "$GRAPH/isulad.log" | sed 's/.*: //'
	done | tr ' ' '\n' | awk -F= 'NF == 2 {
			if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
			vals[$1] = vals[$1] " " $2 }
		END { for (i = 1; i <= n; i++) print order[i], vals[order[i]] }' |
		while read -r phase vals; do
			# shellcheck disable=SC2086 # one number per word
			echo "$phase $(median $vals)"
		done
}
for kind in create start; do
	n=$(grep -c "timing $kind " "$GRAPH/isulad.log" || true)
	[ "$n" -ge "$RUNS" ] || die "only $n '$kind' timings in the daemon log"
	while read -r phase ms; do
		result "daemon $kind: $phase (median ms)" "$ms" ms
	done < <(phase_medians "$kind")
done

log "stop: $RUNS per side"
stop_isula=() stop_lxc=()
for i in $(seq 1 "$RUNS"); do
	sides="isula lxc"
	[ $((i % 2)) -eq 0 ] && sides="lxc isula"
	for side in $sides; do
		settle
		t0=${EPOCHREALTIME/./}
		if [ "$side" = isula ]; then
			"$ISULA" stop "${ISULA_IDS[$((i - 1))]}" >/dev/null || die "isula stop failed"
			stop_isula+=("$(ms_between "$t0" "${EPOCHREALTIME/./}")")
		else
			lxc-stop -n "bb$i" -P "$LXCPATH" || die "lxc-stop -n bb$i failed"
			stop_lxc+=("$(ms_between "$t0" "${EPOCHREALTIME/./}")")
		fi
	done
done
log "isula stop ms: ${stop_isula[*]}"
log "lxc-stop ms: ${stop_lxc[*]}"
mi=$(median "${stop_isula[@]}")
ml=$(median "${stop_lxc[@]}")
result "isula stop (median ms)" "$mi" ms
result "lxc-stop (median ms)" "$ml" ms
result "stop ratio isula / lxc-stop" "$(ratio "$mi" "$ml")" x "<=1.05"
while read -r phase ms; do
	result "daemon stop: $phase (median ms)" "$ms" ms
done < <(phase_medians stop)
remove_engine_containers

# ------------------------------------------------------------- fifty at once, in a row
for i in $(seq 1 "$BATCH"); do lxc_def "bp$i"; done
# The machine's busy cpu time so far (ms, all cpus, from /proc/stat's jiffies): what a batch
# cost, whichever processes did the work.
CLK_TCK=$(getconf CLK_TCK)
busy_ms() {
	awk -v hz="$CLK_TCK" '$1 == "cpu" { printf "%d\n", ($2 + $3 + $4 + $7 + $8) * 1000 / hz }' /proc/stat
}
# The daemon's own cpu time so far (ms, all its threads, the ended ones too).
daemon_cpu_ms() {
	sed 's/.*) //' "/proc/$DAEMON_PID/stat" | awk -v hz="$CLK_TCK" '{ printf "%d\n", ($12 + $13) * 1000 / hz }'
}
# batch_isula / batch_lxc: starts BATCH at once, prints the wall ms until every start
# returned and the busy cpu ms meanwhile; dies unless all BATCH run.
batch_isula() {
	local t0 c0 d0 pids=() fails=0 p
	c0=$(busy_ms)
	d0=$(daemon_cpu_ms)
	t0=${EPOCHREALTIME/./}
	# The command itself in the background, as lxc-start below: a function there would cost
	# a second fork per start (its subshell, then isula).
	for i in $(seq 1 "$BATCH"); do
		"$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none "${BB_CMD[@]}" \
			>/dev/null 2>"$BENCH_TMP/batch-$i.err" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
	echo "$(ms_between "$t0" "${EPOCHREALTIME/./}") $(($(busy_ms) - c0)) $(($(daemon_cpu_ms) - d0))"
	[ "$fails" -eq 0 ] || die "$fails of $BATCH isula run -d failed: $(cat "$BENCH_TMP"/batch-*.err | head -n 3)"
	[ "$(running_engine)" -eq "$BATCH" ] || die "only $(running_engine) of $BATCH engine containers run"
}
batch_lxc() {
	local t0 c0 pids=() fails=0 p
	c0=$(busy_ms)
	t0=${EPOCHREALTIME/./}
	for i in $(seq 1 "$BATCH"); do
		lxc-start -n "bp$i" -P "$LXCPATH" -d -- "${BB_CMD[@]}" 2>"$BENCH_TMP/batch-$i.err" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
	echo "$(ms_between "$t0" "${EPOCHREALTIME/./}") $(($(busy_ms) - c0))"
	[ "$fails" -eq 0 ] || die "$fails of $BATCH lxc-start -d failed: $(cat "$BENCH_TMP"/batch-*.err | head -n 3)"
	[ "$(running_lxc)" -eq "$BATCH" ] || die "only $(running_lxc) of $BATCH lxc containers run"
}
row_isula() {
	local t0
	t0=${EPOCHREALTIME/./}
	for i in $(seq 1 "$BATCH"); do run_isula >/dev/null || die "isula run -d failed"; done
	ms_between "$t0" "${EPOCHREALTIME/./}"
}
row_lxc() {
	local t0
	t0=${EPOCHREALTIME/./}
	for i in $(seq 1 "$BATCH"); do
		lxc-start -n "bp$i" -P "$LXCPATH" -d -- "${BB_CMD[@]}" || die "lxc-start -n bp$i failed"
	done
	ms_between "$t0" "${EPOCHREALTIME/./}"
}
clear_both() {
	remove_engine_containers
	lxc_kill_all
}
# mem_of PIDS...: "RSS ANON N": means over the N processes in KiB.
mem_of() {
	local p rss=0 anon=0 n=0
	for p in "$@"; do
		[ -r "/proc/$p/status" ] || continue
		rss=$((rss + $(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status")))
		anon=$((anon + $(awk '$1 == "RssAnon:" { print $2 }' "/proc/$p/status")))
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || die "no process to measure"
	echo "$((rss / n)) $((anon / n)) $n"
}
monitors() { # PATTERN: pids whose command line starts with it and names the temp dir
	local p cmd
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $cmd in "$1"*"$BENCH_TMP/"*) echo "${p#/proc/}" ;; esac
	done
}
log "$BATCH at once and $BATCH in a row, $ROUNDS rounds per side"
at_isula=() at_lxc=() cpu_isula=() cpu_lxc=() cpu_daemon=() row_i=() row_l=()
for r in $(seq 1 "$ROUNDS"); do
	sides="isula lxc"
	[ $((r % 2)) -eq 0 ] && sides="lxc isula"
	for side in $sides; do
		clear_both
		if [ "$side" = isula ]; then
			out=$(batch_isula)
			read -r wall busy daemon <<<"$out"
			at_isula+=("$wall") cpu_isula+=("$busy") cpu_daemon+=("$daemon")
			clear_both
			row_i+=("$(row_isula)")
			# The monitors of BATCH running containers (each monitor and its log copier).
			# shellcheck disable=SC2046 # one pid per word
			read -r mrss manon mn < <(mem_of $(monitors "isulad-monitor start"))
		else
			out=$(batch_lxc)
			read -r wall busy <<<"$out"
			at_lxc+=("$wall") cpu_lxc+=("$busy")
			clear_both
			row_l+=("$(row_lxc)")
			# shellcheck disable=SC2046
			read -r lrss lanon ln < <(mem_of $(monitors "[lxc monitor]"))
		fi
	done
done
clear_both
log "$BATCH isula run -d at once, ms per round: ${at_isula[*]} (busy cpu ms: ${cpu_isula[*]};" \
	"the daemon's: ${cpu_daemon[*]})"
log "$BATCH lxc-start -d at once, ms per round: ${at_lxc[*]} (busy cpu ms: ${cpu_lxc[*]})"
ai=$(median "${at_isula[@]}")
al=$(median "${at_lxc[@]}")
ri=$(median "${row_i[@]}")
rl=$(median "${row_l[@]}")
result "$BATCH isula run -d at once, all running (ms)" "$ai" ms
result "$BATCH lxc-start -d at once, all running (ms)" "$al" ms
result "at once ratio isula / lxc-start" "$(ratio "$ai" "$al")" x "<=1.1"
ci=$(median "${cpu_isula[@]}")
cl=$(median "${cpu_lxc[@]}")
result "$BATCH isula run -d at once, busy cpu (ms, all cpus)" "$ci" ms
result "$BATCH lxc-start -d at once, busy cpu (ms, all cpus)" "$cl" ms
result "at once cpu ratio isula / lxc-start" "$(ratio "$ci" "$cl")" x
result "$BATCH isula run -d at once, the daemon's cpu (ms)" "$(median "${cpu_daemon[@]}")" ms
result "$BATCH isula run -d in a row (ms)" "$ri" ms
result "$BATCH lxc-start -d in a row (ms)" "$rl" ms
result "isula: at once / in a row" "$(ratio "$ai" "$ri")" x "<=1"

# --------------------------------------------------------------------------- memory
# Per running container: the engine has a monitor and its log copier per container, liblxc
# one monitor.
result "isulad-monitor RSS per process ($mn processes, $BATCH containers)" "$mrss" KiB
result "isulad-monitor anonymous per process" "$manon" KiB
result "isulad-monitor RSS per container" "$((mrss * mn / BATCH))" KiB
result "isulad-monitor anonymous per container" "$((manon * mn / BATCH))" KiB
result "[lxc monitor] RSS per container ($ln processes)" "$lrss" KiB
result "[lxc monitor] anonymous per container" "$lanon" KiB

if [ "$MANY" -gt 0 ]; then
	log "$MANY containers running, 10 started at a time"
	for i in $(seq 1 $((MANY / 10))); do
		pids=()
		for _ in $(seq 1 10); do
			run_isula >/dev/null &
			pids+=($!)
		done
		for p in "${pids[@]}"; do wait "$p" || die "isula run -d failed at $i"; done
	done
	n=$(running_engine)
	[ "$n" -eq $((MANY / 10 * 10)) ] || die "only $n of $MANY run"
	result "isulad RSS with $n containers running" "$(rss_kib "$DAEMON_PID")" KiB
	result "isulad open fds with $n containers running" "$(ls "/proc/$DAEMON_PID/fd" | wc -l)" fds
fi
