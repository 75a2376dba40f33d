# shellcheck shell=bash
# Shared helpers for the benchmarks in tests/bench (sourced, not run).
#
#   bench_init NAME      temp dir, paths, cleanup trap (call first)
#   daemon_start         start a private isulad (own graph/state/socket/cgroup parent)
#   daemon_stop          remove its containers and stop it
#   median N...          median of numbers (args or stdin, one per line)
#   now_us               wall clock in microseconds (no fork: $EPOCHREALTIME)
#   result NAME VALUE UNIT TARGET   a measured value with an upper bound ("" = informational)
#
# Results are printed as "RESULT|name|value|unit|target" lines (collected by run.sh) and as a
# readable line on stderr. Every script that sources this file cleans up on exit, error or
# signal: containers (engine and plain lxc), the daemon and its container monitors, the temp
# dir and the cgroups under the private cgroup parent.

BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_LIB_DIR/../.." && pwd)
BIN=${BIN:-$REPO/build/bin}
ISULA=$BIN/isula
ISULAD=$BIN/isulad
# shellcheck source=tests/cni_cleanup.sh
source "$REPO/tests/cni_cleanup.sh"

BENCH_TMP=""
DAEMON_PID=""
CGPARENT=""
CLEANED=0

log() { echo "[$BENCH_NAME] $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

now_us() { echo "${EPOCHREALTIME/./}"; }

# Milliseconds between two now_us stamps, 1 decimal.
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

median() {
	{ if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cat; fi; } | sort -g |
		awk '{ v[NR] = $1 } END {
			if (NR == 0) { print "nan"; exit }
			if (NR % 2) printf "%.1f\n", v[(NR + 1) / 2]
			else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# result NAME VALUE UNIT [TARGET]: TARGET is an upper bound in UNIT ("<=N" or "N"), or a lower
# bound (">=N"); empty for information only.
result() {
	local name=$1 value=$2 unit=$3 target=${4:-} verdict="" op="<=" bound
	bound=${target#<=}
	if [ "${target#>=}" != "$target" ]; then
		op=">=" bound=${target#>=}
	fi
	if [ -n "$target" ]; then
		verdict=$(awk -v v="$value" -v t="$bound" -v op="$op" \
			'BEGIN { ok = op == ">=" ? v + 0 >= t + 0 : v + 0 <= t + 0; print ok ? "PASS" : "MISS" }')
		[ "$value" = nan ] && verdict=MISS
	fi
	echo "RESULT|$name|$value|$unit|${target:+$op$bound}|$verdict"
	printf '[%s] %-44s %10s %-4s %s\n' "$BENCH_NAME" "$name" "$value" "$unit" \
		"${target:+(target $op $bound: $verdict)}" >&2
}

bench_init() {
	BENCH_NAME=$1
	[ "$(id -u)" -eq 0 ] || die "must run as root"
	{ [ -x "$ISULAD" ] && [ -x "$ISULA" ]; } || die "build first: make (no $ISULAD)"
	command -v lxc-start >/dev/null || die "lxc-start not found"
	BENCH_TMP=$(mktemp -d /tmp/isulad-bench.XXXXXX)
	GRAPH=$BENCH_TMP/graph
	STATE=$BENCH_TMP/state
	SOCK=$BENCH_TMP/isulad.sock
	LXCPATH=$BENCH_TMP/lxc # plain lxc-start baselines
	LCRPATH=$GRAPH/engines/lcr
	CGPARENT=isulad-bench-$$
	mkdir -p "$GRAPH" "$STATE" "$LXCPATH"
	# The daemon's state dir on a tmpfs, as its default (/var/run/isulad) is on a host: what
	# it holds lasts one boot (liblxc's own runtime state is in /run/lxc likewise).
	mount -t tmpfs -o mode=0700 isulad-bench-state "$STATE" || die "cannot mount a tmpfs on $STATE"
	echo '{}' >"$BENCH_TMP/daemon.json"
	export ISULAD_HOST=unix://$SOCK
	trap bench_cleanup EXIT
	trap 'log "interrupted"; exit 130' INT TERM HUP
}

# The daemon's networks live in the temp dir; the default network is off (containers get
# --net none, as before networking existed) unless BENCH_NETWORK=1.
daemon_start() {
	local net=(--cni-conf-dir "$BENCH_TMP/cni")
	[ "${BENCH_NETWORK:-0}" = 1 ] || net+=(--bridge none)
	# Own session: a Ctrl-C on the terminal must not stop the daemon before cleanup used it.
	setsid "$ISULAD" -g "$GRAPH" -S "$STATE" -H "unix://$SOCK" --cgroup-parent "/$CGPARENT" \
		--config-file "$BENCH_TMP/daemon.json" "${net[@]}" >"$BENCH_TMP/isulad.out" 2>&1 &
	DAEMON_PID=$!
	local _
	for _ in $(seq 1 200); do
		if "$ISULA" version >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.05
	done
	[ "$(cat "/proc/$DAEMON_PID/comm" 2>/dev/null)" = isulad ] || log "isulad pid $DAEMON_PID is gone"
	cat "$BENCH_TMP/isulad.out" >&2
	die "isulad did not come up (log: $GRAPH/isulad.log)"
}

# Every engine container id known on disk (works without the daemon too).
engine_ids() {
	[ -d "$LCRPATH" ] || return 0
	local d
	for d in "$LCRPATH"/*/; do
		if [ -d "$d" ]; then basename "$d"; fi
	done
	return 0
}

# Stops plain lxc containers under LXCPATH (baselines) and, with $1 = all, engine ones too.
lxc_kill_all() {
	local d n
	for d in "$LXCPATH"/*/ ${1:+"$LCRPATH"/*/}; do
		[ -f "$d/config" ] || continue
		n=$(basename "$d")
		lxc-stop -k -n "$n" -P "$(dirname "$d")" >/dev/null 2>&1 || true
	done
}

daemon_stop() {
	[ -n "$DAEMON_PID" ] || return 0
	local ids
	ids=$(engine_ids)
	if [ -n "$ids" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		# shellcheck disable=SC2086
		timeout 120 "$ISULA" rm -f $ids >/dev/null 2>&1 || true
	fi
	local t0
	t0=${EPOCHREALTIME/./}
	kill -TERM "$DAEMON_PID" 2>/dev/null || true
	for _ in $(seq 1 200); do
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -KILL "$DAEMON_PID" 2>/dev/null; then
		log "warning: isulad (pid $DAEMON_PID) ignored SIGTERM for 10 s; killed"
	elif [ $((${EPOCHREALTIME/./} - t0)) -gt 1000000 ]; then
		log "note: isulad took $(ms_between "$t0" "${EPOCHREALTIME/./}") ms to exit on SIGTERM"
	fi
	wait "$DAEMON_PID" 2>/dev/null || true
	DAEMON_PID=""
}

# Pids of processes whose command line mentions our temp dir (container monitors left over).
own_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF "$BENCH_TMP/"; then
			echo "${p#/proc/}"
		fi
	done
}

# Shows what the engine logged at WARN or above (a bench may run the daemon at DEBUG).
report_engine_log() {
	local f=$GRAPH/isulad.log lines
	[ -s "$f" ] || return 0
	lines=$(grep -E '^[0-9]+ [0-9:.]+ (WARN|ERROR|FATAL): ' "$f" || true)
	[ -n "$lines" ] || return 0
	log "isulad.log has $(wc -l <<<"$lines") line(s) at WARN and above, first ones:"
	head -n 10 <<<"$lines" | sed 's/^/    /' >&2
}

bench_cleanup() {
	local rc=$?
	set +e # best effort from here: every step runs
	[ "$CLEANED" = 1 ] && return
	CLEANED=1
	trap '' INT TERM HUP
	[ -n "$BENCH_TMP" ] || exit "$rc"
	daemon_stop
	lxc_kill_all all
	report_engine_log
	local p
	for p in $(own_pids); do
		kill -KILL "$p" 2>/dev/null || true
	done
	# Nothing should be mounted below the temp dir (containers mount in their own namespace).
	findmnt -rn -o TARGET | awk -v d="$BENCH_TMP/" 'index($0, d) == 1' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null || true; done
	cni_remove_networks "$BENCH_TMP/cni"
	[ -n "${BENCH_BRIDGE:-}" ] && ip link del "$BENCH_BRIDGE" 2>/dev/null
	rm -rf "$BENCH_TMP"
	if [ -n "$CGPARENT" ]; then
		local h
		for h in /sys/fs/cgroup /sys/fs/cgroup/*; do
			[ -d "$h/$CGPARENT" ] || continue
			find "$h/$CGPARENT" -depth -type d -exec rmdir {} + 2>/dev/null || true
			[ -d "$h/$CGPARENT" ] && log "warning: could not remove cgroup $h/$CGPARENT"
		done
	fi
	exit "$rc"
}

# Prints the engine-generated lxc config of container $1 rewritten for a plain lxc container
# named $2 under LXCPATH with rootfs $3: only the rootfs, log, console and cgroup paths change;
# a post-stop hook that runs the engine's monitor (OCI poststop hooks) is dropped, the shell
# one refusing liblxc's reboot is kept.
lxc_config_from_engine() {
	local id=$1 name=$2 rootfs=$3
	local src=$LCRPATH/$id/config
	[ -f "$src" ] || die "no generated config at $src"
	sed -e '/^lxc\.hook\.post-stop = .*isulad-monitor/d' \
		-e "s|^lxc\.rootfs\.path = .*|lxc.rootfs.path = dir:$rootfs|" \
		-e "s|$STATE/$id|$LXCPATH/$name|g" \
		-e "s|$LCRPATH/$id|$LXCPATH/$name|g" \
		-e "s|$id|$name|g" "$src"
}

# make_lxc NAME CONFIG-TEXT [ENGINE-ID]: a plain lxc container definition under LXCPATH, with
# the files the engine generated for ENGINE-ID copied in: its seccomp profile (beside its
# config), the device rules its devices hook attaches, the cgroup its cgroup-view hook copies
# limits in (the cgroup made NAME's; the hooks' files are in its state dir), so that both
# sides do the same work.
make_lxc() {
	mkdir -p "$LXCPATH/$1"
	printf '%s\n' "$2" >"$LXCPATH/$1/config"
	# The files the engine's hooks read (their paths are rewritten in the config): the
	# cgroup in them made NAME's too.
	local f d
	for f in seccomp devices cgroup-view cgroup2-limits sysctl ro-remount; do
		for d in "$LCRPATH" "$STATE"; do
			if [ -n "${3:-}" ] && [ -f "$d/$3/$f" ]; then
				sed "s|$3|$1|g" "$d/$3/$f" >"$LXCPATH/$1/$f"
			fi
		done
	done
	if grep -qF -e "$GRAPH" -e "$STATE" "$LXCPATH/$1/config"; then
		die "rewritten lxc config still refers to the engine's dirs: $LXCPATH/$1/config"
	fi
}

# VmRSS of a pid in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

BUSYBOX_ROOTFS=""
busybox_rootfs() {
	BUSYBOX_ROOTFS=$(bash "$REPO/tests/mkrootfs.sh" busybox | tail -n 1)
	[ -x "$BUSYBOX_ROOTFS/bin/sh" ] || die "no busybox rootfs"
}

# settle: the pause before each measured start or stop (BENCH_SETTLE seconds, default 0.25).
# Moving a process into a cgroup (liblxc does, for its monitor and the container) first waits
# for an RCU grace period when no cgroup migration happened in the last ~20-50 ms (the
# kernel's rcu_sync of cgroup_threadgroup_rwsem): 6-30 ms here, paid by whichever start comes
# first after a quiet moment, nearly nothing for one that follows within it. Without the
# pause the second side of a pair rode on the first's migration, and the medians of the two
# mixed distributions said little; with it every start and stop is measured from quiet.
settle() { sleep "${BENCH_SETTLE:-0.25}"; }

# busybox_run_pair I [ISULA-FLAGS...]: one `isula run -d FLAGS` and one `lxc-start -d` of the
# plain lxc container bbI (made beforehand), each running BB_CMD on the busybox rootfs, in
# alternating order (odd I: isula first), each after settle; their times (ms) are appended to
# ISULA_MS and LXC_MS, the engine container's id to ISULA_IDS.
ISULA_MS=()
LXC_MS=()
ISULA_IDS=()
BB_CMD=(sh -c 'sleep 1000')
busybox_run_pair() {
	local i=$1 side t0 id sides="isula lxc"
	shift
	[ $((i % 2)) -eq 0 ] && sides="lxc isula"
	for side in $sides; do
		settle
		t0=${EPOCHREALTIME/./}
		if [ "$side" = isula ]; then
			id=$("$ISULA" run -d "$@" --external-rootfs "$BUSYBOX_ROOTFS" none "${BB_CMD[@]}") ||
				die "isula run -d $* --external-rootfs $BUSYBOX_ROOTFS failed"
			ISULA_MS+=("$(ms_between "$t0" "${EPOCHREALTIME/./}")")
			ISULA_IDS+=("$id")
		else
			lxc-start -n "bb$i" -P "$LXCPATH" -d -- "${BB_CMD[@]}" ||
				die "lxc-start -n bb$i -P $LXCPATH -d failed"
			LXC_MS+=("$(ms_between "$t0" "${EPOCHREALTIME/./}")")
		fi
	done
}
