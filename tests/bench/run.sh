#!/usr/bin/env bash
# Runs every benchmark in tests/bench and prints one table of results with targets.
# A MISS is a result, not an error: the exit status is non-zero only when a benchmark could
# not run (the engine did not start, a container did not boot, ...).
#
#   bash tests/bench/run.sh [bench_boot bench_ps_inspect bench_memory bench_logs bench_exec bench_lxcfs bench_hotplug bench_authz bench_net bench_api bench_start]
# Environment knobs are documented at the top of each bench_*.sh (BENCH_ROUNDS, ...).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(bench_boot bench_ps_inspect bench_memory bench_logs bench_exec bench_lxcfs bench_hotplug bench_authz bench_net bench_api bench_start)

out=$(mktemp -d /tmp/isulad-bench-run.XXXXXX)
child=""
# shellcheck disable=SC2317  # invoked by trap
on_signal() {
	if [ -n "$child" ]; then
		kill -TERM "$child" 2>/dev/null # the benchmark's own trap cleans up
		wait "$child" 2>/dev/null
	fi
	rm -rf "$out"
	exit 130
}
trap on_signal INT TERM HUP
trap 'rm -rf "$out"' EXIT

failed=()
for b in "${benches[@]}"; do
	b=${b%.sh}
	echo "== $b" >&2
	bash "$here/$b.sh" >"$out/$b.results" &
	child=$!
	wait "$child"
	rc=$?
	child=""
	if [ "$rc" -ne 0 ]; then
		failed+=("$b (exit $rc)")
	fi
done

printf '\n%-13s %-46s %10s %-4s %-9s %s\n' bench result value unit target verdict
printf '%s\n' "$(printf '%.0s-' $(seq 1 92))"
for b in "${benches[@]}"; do
	b=${b%.sh}
	grep '^RESULT|' "$out/$b.results" 2>/dev/null |
		while IFS='|' read -r _ name value unit target verdict; do
			printf '%-13s %-46s %10s %-4s %-9s %s\n' "${b#bench_}" "$name" "$value" "$unit" \
				"${target:--}" "${verdict:-info}"
		done
done
if [ ${#failed[@]} -gt 0 ]; then
	echo
	echo "could not run: ${failed[*]}"
	exit 1
fi
exit 0
