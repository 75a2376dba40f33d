#!/usr/bin/env bash
# make check: the unit suites (cmocka), then the integration suites against the real binaries.
# Ends with the summed "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
tally() { # reads a suite's output for its closing "N passed, N failed" line
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
	failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "== unit tests"
bash tests/run-unit.sh "$@" | tee "$out"
tally "$out"
echo "== building test root filesystems (cached)"
bash tests/mkrootfs.sh busybox >/dev/null
bash tests/mkrootfs.sh systemd >/dev/null
echo "== integration tests"
BUILD=${BUILD:-build} bash tests/integration/run.sh | tee "$out"
tally "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
