#!/usr/bin/env bash
# Runs the integration test files (default: every tests/integration/test_*.sh), up to
# $IT_JOBS (2) at a time: they share no state. Each file's output is printed when it
# finishes, every line prefixed with the file's name, then the summed "N passed, N failed".
# A file that ends without its own summary line (crash, timeout) counts as 1 failed.
#
#   bash tests/integration/run.sh [FILE...]
#   IT_JOBS=1  IT_FILE_TIMEOUT=240 (seconds per file; a file's "# it-timeout: N" line
#   raises it for that file)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JOBS=${IT_JOBS:-2}
FILE_TIMEOUT=${IT_FILE_TIMEOUT:-240}

if [ $# -gt 0 ]; then
	files=("$@")
else
	files=("$HERE"/test_*.sh)
fi
OUT=$(mktemp -d /tmp/isulad-it-run.XXXXXX)
declare -A file_of=() began=()
passed=0 failed=0 crashed=()
t_start=${EPOCHREALTIME/./}

stop_all() {
	local p
	for p in "${!file_of[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	wait
	rm -rf "$OUT"
}
trap 'echo "run.sh: interrupted" >&2; stop_all; exit 130' INT TERM HUP

# report PID RC: prints a finished file's log and adds up its summary line.
report() {
	local pid=$1 rc=$2 f name log line secs p f_
	f=${file_of[$pid]}
	name=$(basename "$f" .sh)
	log=$OUT/$name.log
	secs=$(awk -v a="${began[$pid]}" -v b="${EPOCHREALTIME/./}" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
	unset "file_of[$pid]"
	echo "==== $name (exit $rc, ${secs}s)"
	sed "s/^/[$name] /" "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "[$name] CRASHED: no summary line (exit code $rc)"
		failed=$((failed + 1))
		crashed+=("$name")
		return
	fi
	p=$(echo "$line" | cut -d' ' -f1)
	f_=$(echo "$line" | cut -d' ' -f3)
	passed=$((passed + p))
	failed=$((failed + f_))
	if [ "$rc" -ne 0 ] && [ "$f_" -eq 0 ]; then
		echo "[$name] CRASHED: exit code $rc after a clean summary"
		failed=$((failed + 1))
		crashed+=("$name")
	fi
}

next=0
while [ "$next" -lt ${#files[@]} ] || [ ${#file_of[@]} -gt 0 ]; do
	if [ "$next" -lt ${#files[@]} ] && [ ${#file_of[@]} -lt "$JOBS" ]; then
		f=${files[$next]}
		next=$((next + 1))
		name=$(basename "$f" .sh)
		# timeout puts the file in its own process group and signals all of it on expiry;
		# the file's trap then cleans up.
		t=$(sed -n 's/^# it-timeout: \([0-9][0-9]*\).*/\1/p' "$f" | head -n 1)
		[ -n "$t" ] && [ "$t" -gt "$FILE_TIMEOUT" ] || t=$FILE_TIMEOUT
		timeout -k 20 "$t" bash "$f" >"$OUT/$name.log" 2>&1 </dev/null &
		file_of[$!]=$f
		began[$!]=${EPOCHREALTIME/./}
		continue
	fi
	done_pid=""
	wait -n -p done_pid "${!file_of[@]}"
	rc=$?
	[ -n "$done_pid" ] && report "$done_pid" "$rc"
done

secs=$(awk -v a="$t_start" -v b="${EPOCHREALTIME/./}" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
rm -rf "$OUT"
echo "==== ${#files[@]} files in ${secs}s${crashed[*]:+; crashed: ${crashed[*]}}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
