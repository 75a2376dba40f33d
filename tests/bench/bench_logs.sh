#!/usr/bin/env bash
# Throughput of container logs: a busybox container writes ~100 MB of json-file log (rotated
# files of 20 MB), then `isula logs` reads it all back (daemon: read, decode, frame; client:
# demultiplex), compared with `cat` of the same files. Also the writer side (the monitor's
# copier) and `isula logs --tail`.
#
#   BENCH_LOG_MB=100  BENCH_ROUNDS=3
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init logs

LOG_MB=${BENCH_LOG_MB:-100}
ROUNDS=${BENCH_ROUNDS:-3}

busybox_rootfs
daemon_start

# A json-file record of this 79-byte line is ~150 bytes: emit enough text for LOG_MB of log.
LINE='the quick brown fox jumps over the lazy dog, 0123456789 abcdefghijklmnopqrstuvw'
TEXT_BYTES=$((LOG_MB * 1024 * 1024 * 80 / 150))
log "container writes $((TEXT_BYTES / 1048576)) MB of text lines"
t0=$(now_us)
"$ISULA" run --name chatty --log-opt max-size=20m --log-opt max-file=8 \
	--external-rootfs "$BUSYBOX_ROOTFS" none sh -c "yes '$LINE' | head -c $TEXT_BYTES" ||
	die "the logging container failed"
t1=$(now_us)
id=$("$ISULA" inspect -f '{{.Id}}' chatty)
files=("$LCRPATH/$id"/console.log*)
log_bytes=$(cat "${files[@]}" | wc -c)
log_mb=$(awk -v b="$log_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
log "log: ${#files[@]} files, $log_mb MB"
# Rotation dropped nothing (8 files of 20 MB hold it all), so every line must come back.
lines=$("$ISULA" logs chatty | wc -l)
want=$((TEXT_BYTES / (${#LINE} + 1)))
[ "$lines" -eq "$want" ] || die "isula logs returned $lines lines, expected $want"

mbps() { awk -v b="$1" -v a="$2" -v c="$3" 'BEGIN { printf "%.1f", b / 1048576 / ((c - a) / 1e6) }'; }
result "container output to json log (MB/s of log)" "$(mbps "$log_bytes" "$t0" "$t1")" MB/s

logs_r=() cat_r=() tail_r=()
for _ in $(seq 1 "$ROUNDS"); do
	t0=$(now_us)
	"$ISULA" logs chatty >/dev/null 2>&1 || die "isula logs failed"
	t1=$(now_us)
	logs_r+=("$(mbps "$log_bytes" "$t0" "$t1")")
	t0=$(now_us)
	cat "${files[@]}" >/dev/null
	t1=$(now_us)
	cat_r+=("$(mbps "$log_bytes" "$t0" "$t1")")
	t0=$(now_us)
	"$ISULA" logs --tail 100 chatty >/dev/null || die "isula logs --tail failed"
	t1=$(now_us)
	tail_r+=("$(ms_between "$t0" "$t1")")
done
log "isula logs MB/s: ${logs_r[*]}; cat MB/s: ${cat_r[*]}; --tail 100 ms: ${tail_r[*]}"
result "isula logs of a $log_mb MB log (median MB/s of log)" "$(median "${logs_r[@]}")" MB/s ">=100"
result "cat of the same files (median MB/s)" "$(median "${cat_r[@]}")" MB/s
result "isula logs --tail 100 (median ms)" "$(median "${tail_r[@]}")" ms 50
