#!/bin/sh
# Runs each cmocka test binary given as an argument, shows its output, and sums the results
# from cmocka's summary lines. A binary that exits non-zero without reporting a failed count
# (a crash, or a sanitizer finding after the summary) counts as one failed test.
# Ends with "N passed, N failed"; exits 1 if anything failed.

# UBSan only reports by default; make its findings fail the binary, as ASan's do.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

passed=0
failed=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

# Sums the numbers that sed script $1 extracts from the log.
sum_matches() {
	sed -n "$1" "$log" | awk '{ n += $1 } END { print n + 0 }'
}

for bin in "$@"; do
	echo "=== $bin"
	# Plain cmocka output: that is the format parsed below.
	rc=$( { CMOCKA_MESSAGE_OUTPUT=stdout "$bin" 2>&1; echo $? >&3; } 3>&1 >"$log" )
	cat "$log"
	p=$(sum_matches 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\.$/\1/p')
	f=$(sum_matches 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== $bin exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
