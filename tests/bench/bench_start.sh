#!/usr/bin/env bash
# Where `isula run -d` of a busybox container spends its time inside the daemon: the per-phase
# timings isulad logs at DEBUG ("timing create ID: phase=ms ... total=ms", "timing start ID:
# ..."), medians over the runs, beside the client's wall time of the same runs.
#
#   BENCH_START_RUNS=20
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init start
RUNS=${BENCH_START_RUNS:-20}
busybox_rootfs
echo '{"log-level": "DEBUG"}' >"$BENCH_TMP/daemon.json"
daemon_start
"$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none sh -c 'sleep 1000' >/dev/null ||
	die "isula run -d failed" # warm-up, not counted
wall=()
ids=()
for _ in $(seq 1 "$RUNS"); do
	t0=${EPOCHREALTIME/./}
	id=$("$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none sh -c 'sleep 1000') ||
		die "isula run -d failed"
	wall+=("$(ms_between "$t0" "${EPOCHREALTIME/./}")")
	ids+=("$id")
done
result "isula run -d, client wall time (median ms)" "$(median "${wall[@]}")" ms
# phase_medians KIND: "PHASE MEDIAN" lines of the counted runs' KIND timings, in log order.
phase_medians() {
	local id
	for id in "${ids[@]}"; do
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
		result "$kind: $phase (median ms)" "$ms" ms
	done < <(phase_medians "$kind")
done
