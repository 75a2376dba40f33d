# Harness for the integration tests (sourced by every tests/integration/test_*.sh).
#
#   it_setup                     temp dir, unique cgroup parent, cleanup trap (call first)
#   start_daemon NAME [ARGS...]  private isulad (own -g/-S/-H under the temp dir, the file's
#                                cgroup parent); sets ISULAD_HOST, GRAPH, STATE, LCR, SOCK
#   use_daemon NAME              point ISULAD_HOST, GRAPH, STATE, LCR, SOCK at daemon NAME
#   stop_daemon NAME             SIGTERM (then SIGKILL after 5 s); containers keep running
#   kill_daemon NAME             SIGKILL
#   copy_rootfs KIND             writable copy of the cached busybox|systemd rootfs (path)
#   pass DESC / fail DESC [DETAIL...]
#   expect_eq DESC EXPECTED ACTUAL
#   expect_match DESC PATTERN TEXT     TEXT contains the fixed string PATTERN
#   expect_ok DESC CMD...              exit 0
#   expect_fail DESC PATTERN CMD...    non-zero exit and PATTERN (fixed string) in the output
#   expect_fail_code DESC CODE PATTERN CMD...   same with an exact exit code
#   wait_for DESC TIMEOUT CMD...       CMD succeeds within TIMEOUT s (polled every 0.1 s)
#   poll TIMEOUT CMD...                the same without counting (returns 0/1)
#   assert_no_leftovers [NAME...]      no container cgroups, dirs or mounts left behind
#   strace_on ARGS... / strace_off     strace (with ARGS, e.g. fault injection) on the daemon
#   it_on_cleanup CMD                  cleanup also runs CMD (eval'd), after the daemons stop
#   it_finish                          clean up, print "N passed, N failed", exit 1 on failures
#
# After a command run by expect_ok/expect_fail*, LAST_RC and LAST_OUT hold its exit code and
# its output (stdout and stderr). Extra cgroup parents used by a test must be named
# "$IT_CGPARENT-something" so that cleanup and assert_no_leftovers see them.

IT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$IT_LIB_DIR/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in
/*) BIN=$BUILD/bin ;;
*) BIN=$REPO/$BUILD/bin ;;
esac
ISULAD=$BIN/isulad
ISULA=$BIN/isula
MKROOTFS=$REPO/tests/mkrootfs.sh
# shellcheck source=tests/cni_cleanup.sh
source "$REPO/tests/cni_cleanup.sh"
CGROOT=/sys/fs/cgroup

IT_NAME=$(basename "$0" .sh)
IT_TMP=""
IT_CGNAME=""
IT_CGPARENT=""
IT_PASSED=0
IT_FAILED=0
IT_CLEANED=0
IT_FINISHED=0
LAST_RC=0
LAST_OUT=""
CUR_DAEMON=""
GRAPH="" STATE="" LCR="" SOCK=""
declare -A DAEMON_PID=()
IT_DAEMONS=()  # names, in start order
IT_CLEANUP_HOOKS=()

isula() { "$ISULA" "$@"; }

it_log() { echo "# $*"; }

# ---------------------------------------------------------------------------- assertions

# The tail of the current daemon's log, indented; printed under a failure.
daemon_log_tail() {
	[ -n "$CUR_DAEMON" ] || return 0
	local log=$IT_TMP/daemon-$CUR_DAEMON/graph/isulad.log
	local out=$IT_TMP/daemon-$CUR_DAEMON/isulad.out
	if [ -s "$log" ]; then
		echo "    --- tail of $log"
		tail -n 12 "$log" | sed 's/^/    | /'
	fi
	if [ -s "$out" ]; then
		echo "    --- tail of $out"
		tail -n 5 "$out" | sed 's/^/    | /'
	fi
}

pass() {
	IT_PASSED=$((IT_PASSED + 1))
	echo "ok   - $1"
	return 0
}

# fail DESC [DETAIL...]: every DETAIL on its own indented line, then the daemon log's tail.
fail() {
	IT_FAILED=$((IT_FAILED + 1))
	echo "FAIL - $1"
	shift
	local d
	for d in "$@"; do
		printf '%s\n' "$d" | head -n 20 | sed 's/^/    /'
	done
	daemon_log_tail
	return 0
}

expect_eq() {
	local desc=$1 want=$2 got=$3
	if [ "$want" = "$got" ]; then
		pass "$desc"
	else
		fail "$desc" "expected: '$want'" "actual:   '$got'"
	fi
}

# expect_match DESC PATTERN TEXT: TEXT contains the fixed string PATTERN.
expect_match() {
	local desc=$1 pat=$2 text=$3
	if [[ "$text" == *"$pat"* ]]; then
		pass "$desc"
	else
		fail "$desc" "expected to contain: '$pat'" "actual: '$text'"
	fi
}

# run_capture CMD...: runs CMD, keeping its exit code and output in LAST_RC and LAST_OUT.
run_capture() {
	LAST_OUT=$("$@" 2>&1)
	LAST_RC=$?
}

expect_ok() {
	local desc=$1
	shift
	run_capture "$@"
	if [ "$LAST_RC" -eq 0 ]; then
		pass "$desc"
		return 0
	fi
	fail "$desc" "command: $*" "exit code: $LAST_RC (expected 0)" "output: $LAST_OUT"
	return 1
}

expect_fail() {
	local desc=$1 pat=$2
	shift 2
	run_capture "$@"
	if [ "$LAST_RC" -ne 0 ] && [[ "$LAST_OUT" == *"$pat"* ]]; then
		pass "$desc"
		return 0
	fi
	fail "$desc" "command: $*" "expected: non-zero exit and output containing '$pat'" \
		"actual exit code: $LAST_RC" "actual output: $LAST_OUT"
	return 1
}

expect_fail_code() {
	local desc=$1 code=$2 pat=$3
	shift 3
	run_capture "$@"
	if [ "$LAST_RC" -eq "$code" ] && [[ "$LAST_OUT" == *"$pat"* ]]; then
		pass "$desc"
		return 0
	fi
	fail "$desc" "command: $*" "expected: exit code $code and output containing '$pat'" \
		"actual exit code: $LAST_RC" "actual output: $LAST_OUT"
	return 1
}

now_us() { echo "${EPOCHREALTIME/./}"; }

# poll TIMEOUT CMD...: runs CMD every 0.1 s until it succeeds (0) or TIMEOUT seconds pass (1).
poll() {
	local t=$1
	shift
	local end=$(($(now_us) + $(awk -v t="$t" 'BEGIN { printf "%d", t * 1000000 }')))
	while :; do
		run_capture "$@"
		[ "$LAST_RC" -eq 0 ] && return 0
		[ "$(now_us)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

wait_for() {
	local desc=$1 t=$2
	shift 2
	if poll "$t" "$@"; then
		pass "$desc"
		return 0
	fi
	fail "$desc" "timed out after ${t}s waiting for: $*" "last exit code: $LAST_RC" \
		"last output: $LAST_OUT"
	return 1
}

# --------------------------------------------------------------------------- small helpers

# daemon_refuses DESC PATTERN ARGS...: a daemon started with ARGS (in a dir of its own, with
# its own empty daemon.json unless ARGS name one: never the host's) exits 1 with PATTERN in
# its output.
daemon_refuses() {
	local desc=$1 pat=$2 d=$IT_TMP/refuse-$RANDOM
	shift 2
	mkdir -p "$d"
	echo '{}' >"$d/daemon.json"
	local cfg=(--config-file "$d/daemon.json")
	[[ " $* " == *" --config-file "* ]] && cfg=()
	expect_fail_code "$desc" 1 "$pat" timeout 20 "$ISULAD" -g "$d/graph" -S "$d/state" \
		-H "unix://$d/sock" --cgroup-parent "$IT_CGPARENT" "${cfg[@]}" "$@"
}

# ifield REF TEMPLATE: one inspect value (empty on error).
ifield() { "$ISULA" inspect -f "$2" "$1" 2>/dev/null; }
# lxc_in ID CMD...: CMD inside the container, through liblxc (no engine exec).
lxc_in() { timeout 10 lxc-attach -n "$1" -P "$LCR" -- "${@:2}"; }
# sd_booted ID: systemd inside reports "running".
sd_booted() { [ "$(lxc_in "$1" systemctl is-system-running 2>/dev/null)" = running ]; }
# restarted_from ID OLDPID: running again with another init.
restarted_from() {
	local p
	p=$(ifield "$1" '{{.State.Pid}}')
	[ "$(ifield "$1" '{{.State.Status}}')" = running ] && [ -n "$p" ] && [ "$p" != 0 ] &&
		[ "$p" != "$2" ]
}
status_of() { ifield "$1" '{{.State.Status}}'; }
pid_of() { ifield "$1" '{{.State.Pid}}'; }
# is_status REF STATUS: for polling.
is_status() { [ "$(status_of "$1")" = "$2" ]; }
# gone REF: the daemon no longer knows REF.
gone() { ! "$ISULA" inspect "$1" >/dev/null 2>&1; }
pid_alive() { [ -n "$1" ] && [ "$1" -gt 0 ] 2>/dev/null && kill -0 "$1" 2>/dev/null; }
# expect_pid_gone DESC PID: PID (a real pid: an empty or non-numeric one fails, so the check
# cannot pass vacuously) no longer runs.
expect_pid_gone() {
	local desc=$1 pid=$2
	if ! [[ "$pid" =~ ^[1-9][0-9]*$ ]]; then
		fail "$desc" "no pid to check (got '$pid')"
	elif kill -0 "$pid" 2>/dev/null; then
		fail "$desc" "pid $pid alive"
	else
		pass "$desc"
	fi
}
is_hex64() { [[ "$1" =~ ^[0-9a-f]{64}$ ]]; }
# ts_ns RFC3339: nanoseconds since the epoch (0 for the zero time or garbage).
ts_ns() {
	local n
	n=$(date -u -d "$1" +%s%N 2>/dev/null) || n=0
	[[ "$n" =~ ^[0-9]+$ ]] || n=0
	echo "$n"
}
# cg_file CONTROLLER REL FILE: the content of a v1 cgroup file (empty if missing).
cg_file() { cat "$CGROOT/$1/$2/$3" 2>/dev/null; }

# copy_rootfs KIND [open]: a fresh writable copy under the temp dir (removed by cleanup);
# prints its path. It sits in a 0700 directory of its own, as the engine wants for a rootfs
# other host users must not reach; "open" makes that directory 0711, for a --user-remap
# container whose mapped root must get through.
copy_rootfs() {
	local kind=$1 dir dest
	dir=$(mktemp -d "$IT_TMP/rootfs-$kind.XXXXXX") || return 1
	[ "${2:-}" = open ] && chmod 0711 "$dir"
	dest=$dir/root
	if ! bash "$MKROOTFS" copy "$kind" "$dest" >"$dir.log" 2>&1; then
		cat "$dir.log" >&2
		return 1
	fi
	echo "$dest"
}

# ------------------------------------------------------------------------------- daemons

use_daemon() {
	local d=$IT_TMP/daemon-$1
	CUR_DAEMON=$1
	GRAPH=$d/graph
	STATE=$d/state
	LCR=$GRAPH/engines/lcr
	SOCK=$d/isulad.sock
	export ISULAD_HOST=unix://$SOCK
}

daemon_alive() {
	local pid=${DAEMON_PID[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# start_daemon NAME [ARGS...]: the daemon runs with an empty daemon.json of its own unless
# ARGS give --config-file. Returns 1 (after counting a failure) if it does not come up in 5 s.
# Its CNI networks live in its own dir ($d/cni); the default network is off ("--bridge none",
# containers get --net none) unless IT_NETWORK=1, ARGS or its daemon.json set bridge or bip.
start_daemon() {
	local name=$1
	shift
	local d=$IT_TMP/daemon-$name a cfg=() net=() bridge=1
	net=(--cni-conf-dir "$d/cni")
	mkdir -p "$d"
	[ -f "$d/daemon.json" ] || echo '{}' >"$d/daemon.json"
	cfg=(--config-file "$d/daemon.json")
	for a in "$@"; do
		case "$a" in
		--config-file | --config-file=*) cfg=() ;;
		--cni-conf-dir | --cni-conf-dir=*) net=() ;;
		--bridge* | -b | --bip*) bridge=0 ;;
		esac
	done
	grep -qE '"(bridge|bip)"' "$d/daemon.json" 2>/dev/null && bridge=0
	[ "${IT_NETWORK:-0}" = 1 ] && bridge=0
	[ "$bridge" = 1 ] && net+=(--bridge none)
	cfg+=("${net[@]}")
	[[ " ${IT_DAEMONS[*]} " == *" $name "* ]] || IT_DAEMONS+=("$name")
	use_daemon "$name"
	"$ISULAD" -g "$GRAPH" -S "$STATE" -H "unix://$SOCK" --cgroup-parent "$IT_CGPARENT" \
		-l DEBUG "${cfg[@]}" "$@" >>"$d/isulad.out" 2>&1 </dev/null &
	DAEMON_PID[$name]=$!
	local end=$(($(now_us) + 5000000))
	while [ "$(now_us)" -lt "$end" ]; do
		if "$ISULA" version >/dev/null 2>&1; then
			return 0
		fi
		daemon_alive "$name" || break
		sleep 0.05
	done
	fail "daemon $name comes up within 5 s" "$(tail -n 5 "$d/isulad.out" 2>/dev/null)"
	return 1
}

# _gone PID: the process has ended (a zombie child counts as ended).
_gone() {
	! kill -0 "$1" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

stop_daemon() {
	local pid=${DAEMON_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	local end=$(($(now_us) + 5000000))
	while ! _gone "$pid" && [ "$(now_us)" -lt "$end" ]; do
		sleep 0.05
	done
	# Reaped at once, so that bash has no job status to report later.
	{
		_gone "$pid" || kill -KILL "$pid"
		wait "$pid"
	} 2>/dev/null
	DAEMON_PID[$1]=""
}

kill_daemon() {
	local pid=${DAEMON_PID[$1]:-}
	[ -n "$pid" ] || return 0
	{
		kill -KILL "$pid"
		wait "$pid"
	} 2>/dev/null
	DAEMON_PID[$1]=""
}

# -------------------------------------------------------------------------------- strace
# Faults injected into the current daemon's syscalls (strace --inject): strace_on ARGS...
# attaches, strace_off detaches (cleanup does too).

STRACE_PID=""
# all_traced PID: every thread of PID has a tracer.
all_traced() {
	local t
	for t in /proc/"$1"/task/*/status; do
		grep -q '^TracerPid:[[:space:]]*[1-9]' "$t" 2>/dev/null || return 1
	done
}
# strace_on ARGS...: strace (with ARGS) attached to every thread of the current daemon, which
# must still answer before the fault is aimed at it: an attach that raced a new thread and
# left it stopped is undone and tried again (up to 3 times), rather than hanging the command
# under test.
# With STRACE_NOFOLLOW=1 only the daemon's threads are traced, not the programs it starts
# (container monitors, hooks: detached at their execve).
strace_on() {
	local dpid=${DAEMON_PID[$CUR_DAEMON]} try
	local who=(-f -p "$dpid")
	[ "${STRACE_NOFOLLOW:-0}" = 1 ] && who=(-f -b execve -p "$dpid")
	for try in 1 2 3; do
		strace -qq -o /dev/null "${who[@]}" "$@" 2>/dev/null &
		STRACE_PID=$!
		if poll 10 all_traced "$dpid" && poll 10 timeout 3 "$ISULA" version >/dev/null; then
			return 0
		fi
		it_log "strace attach $try left the daemon unanswering: again"
		strace_off
	done
	fail "strace attaches to the daemon, which still answers"
}
# none_stopped PID: no thread of PID sits in a tracing stop (state t).
none_stopped() {
	! grep -q '^State:[[:space:]]*t' /proc/"$1"/task/*/status 2>/dev/null
}
# strace_on_quiet ARGS...: strace_on for faults counted from the attach (when=N): the check
# that the daemon runs sends it no request (a request's writes would be counted), it only
# waits until no thread is left in a tracing stop. STRACE_NOFOLLOW as for strace_on.
strace_on_quiet() {
	local dpid=${DAEMON_PID[$CUR_DAEMON]} try
	local who=(-f -p "$dpid")
	[ "${STRACE_NOFOLLOW:-0}" = 1 ] && who=(-f -b execve -p "$dpid")
	for try in 1 2 3; do
		strace -qq -o /dev/null "${who[@]}" "$@" 2>/dev/null &
		STRACE_PID=$!
		if poll 10 all_traced "$dpid" && poll 10 none_stopped "$dpid"; then
			return 0
		fi
		it_log "strace attach $try left a daemon thread stopped: again"
		strace_off
	done
	fail "strace attaches to the daemon, which still runs"
}
# proc_alive PID: PID is alive and not a zombie.
proc_alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
strace_off() {
	[ -n "$STRACE_PID" ] || return 0
	kill -TERM "$STRACE_PID" 2>/dev/null
	# A strace whose daemon was killed by an injected fault can sit in wait4 for tracees that
	# are already zombies (seen under load), its TERM never acted on: killed after 10 s, the
	# kernel detaches them and their parent reaps them.
	local i
	for i in $(seq 1 100); do
		proc_alive "$STRACE_PID" || break
		sleep 0.1
	done
	proc_alive "$STRACE_PID" && kill -KILL "$STRACE_PID" 2>/dev/null
	wait "$STRACE_PID" 2>/dev/null
	STRACE_PID=""
}

# ------------------------------------------------------------------------------- cleanup

# Container ids on disk for daemon NAME (works without the daemon).
disk_ids() {
	local lcr=$IT_TMP/daemon-$1/graph/engines/lcr d
	[ -d "$lcr" ] || return 0
	for d in "$lcr"/*/; do
		[ -d "$d" ] && basename "$d"
	done
}

# Cgroup dirs below this file's parents that carry a container id.
leftover_cgroups() {
	local h p
	for h in "$CGROOT"/*/; do
		for p in "$h$IT_CGNAME" "$h$IT_CGNAME"-*; do
			[ -d "$p" ] || continue
			find "$p" -mindepth 1 -type d 2>/dev/null | grep -E '[0-9a-f]{64}'
		done
	done
	return 0
}

no_leftover_cgroups() { [ -z "$(leftover_cgroups)" ]; }

leftover_mounts() {
	findmnt -rn -o TARGET 2>/dev/null | awk -v d="$IT_TMP/" 'index($0, d) == 1'
}

# Processes that belong to this file: their command line names the temp dir (container
# monitors) or their root is one of the rootfs copies (container processes).
own_pids() {
	local p pid roots=" " r
	for r in "$IT_TMP"/rootfs-*/root/; do
		[ -d "$r" ] && roots+="$(stat -c %d:%i "$r") "
	done
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = "$$" ] && continue
		if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF "$IT_TMP/"; then
			echo "$pid"
		elif [ "$roots" != " " ] &&
			[[ "$roots" == *" $(stat -L -c %d:%i "$p/root/" 2>/dev/null) "* ]]; then
			echo "$pid"
		fi
	done
}

remove_cgroups() {
	local h p
	for _ in $(seq 1 30); do
		local left=0
		for h in "$CGROOT"/*/; do
			for p in "$h$IT_CGNAME" "$h$IT_CGNAME"-*; do
				[ -d "$p" ] || continue
				find "$p" -depth -type d -exec rmdir {} + 2>/dev/null
				[ -d "$p" ] && left=1
			done
		done
		[ "$left" = 0 ] && return 0
		sleep 0.1
	done
	for h in "$CGROOT"/*/; do
		for p in "$h$IT_CGNAME" "$h$IT_CGNAME"-*; do
			[ -d "$p" ] && echo "# warning: could not remove cgroup $p" >&2
		done
	done
	return 1
}

# Under `make check SANITIZE=1` any binary's ASan/UBSan/LSan report (in $IT_SAN_DIR, one file
# per process) is a failure.
sanitizer_reports() {
	local f found=""
	[ -n "$IT_SAN_DIR" ] || return 0
	for f in "$IT_SAN_DIR"/*; do
		[ -s "$f" ] || continue
		found+="--- $f ($(tr '\0' ' ' <"/proc/${f##*.}/cmdline" 2>/dev/null || echo exited))"$'\n'
		found+=$(grep -E -m 3 -A 14 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f")$'\n'
	done
	[ -z "$found" ] || fail "every binary ran clean under the sanitizers" "$found"
}

# A daemon's report on its stderr (before log_path was set, or a crash before its start-up).
sanitizer_findings() {
	local out=$IT_TMP/daemon-$1/isulad.out found
	found=$(grep -E -m 5 -A 12 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
		"$out" 2>/dev/null)
	[ -z "$found" ] || fail "daemon $1 ran clean under the sanitizers" "$found"
}

it_cleanup() {
	[ "$IT_CLEANED" = 1 ] && return 0
	IT_CLEANED=1
	trap '' INT TERM HUP
	[ -n "$IT_TMP" ] && [ -d "$IT_TMP" ] || return 0
	strace_off
	local name ids lcr id pid
	for name in "${IT_DAEMONS[@]}"; do
		use_daemon "$name"
		ids=$( {
			daemon_alive "$name" && timeout 10 "$ISULA" ps -aq --no-trunc 2>/dev/null
			disk_ids "$name"
		} | sort -u)
		if [ -n "$ids" ] && daemon_alive "$name"; then
			# shellcheck disable=SC2086
			timeout 60 "$ISULA" rm -f $ids >/dev/null 2>&1
		fi
	done
	for name in "${IT_DAEMONS[@]}"; do
		stop_daemon "$name"
		sanitizer_findings "$name"
		# Whatever the daemon could not remove (it was dead or failed): stop it with lxc.
		lcr=$IT_TMP/daemon-$name/graph/engines/lcr
		for id in $(disk_ids "$name"); do
			timeout 10 lxc-stop -k -n "$id" -P "$lcr" >/dev/null 2>&1
		done
	done
	local hook
	for hook in "${IT_CLEANUP_HOOKS[@]}"; do
		eval "$hook"
	done
	for pid in $(own_pids); do
		kill -KILL "$pid" 2>/dev/null
	done
	leftover_mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	sanitizer_reports
	cni_remove_networks "$IT_TMP"/daemon-*/cni
	rm -rf "$IT_TMP"
	remove_cgroups
	return 0
}

# it_on_cleanup CMD: for what a file starts besides daemons and containers (an lxcfs...).
it_on_cleanup() { IT_CLEANUP_HOOKS+=("$1"); }

it_on_exit() {
	local rc=$?
	it_cleanup
	exit "$rc"
}

it_setup() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "$IT_NAME: must run as root" >&2
		exit 1
	fi
	if [ ! -x "$ISULAD" ] || [ ! -x "$ISULA" ] || [ ! -x "$BIN/isulad-monitor" ]; then
		echo "$IT_NAME: build first (make): no binaries in $BIN" >&2
		exit 1
	fi
	IT_TMP=$(mktemp -d /tmp/isulad-it.XXXXXX)
	# Sanitized builds (make check SANITIZE=1): every binary the test starts (the daemon, its
	# monitors, isula, the tools, the hooks) writes its reports here, checked at cleanup.
	IT_SAN_DIR=$IT_TMP/sanitizer
	mkdir -p "$IT_SAN_DIR" && chmod 1777 "$IT_SAN_DIR" # also for the tests' non-root users
	export ASAN_OPTIONS="log_path=$IT_SAN_DIR/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="log_path=$IT_SAN_DIR/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	IT_CGNAME=isulad-it-$$
	IT_CGPARENT=/$IT_CGNAME
	trap it_on_exit EXIT
	trap 'echo "# $IT_NAME: interrupted" >&2; exit 130' INT
	trap 'echo "# $IT_NAME: terminated" >&2; exit 143' TERM HUP
	it_log "$IT_NAME: temp dir $IT_TMP, cgroup parent $IT_CGPARENT"
}

# assert_no_leftovers [NAME...]: for the given daemons (default: all started).
assert_no_leftovers() {
	local names=("$@") name left
	[ ${#names[@]} -gt 0 ] || names=("${IT_DAEMONS[@]}")
	# liblxc may still be tearing down for a moment after rm returns.
	poll 3 no_leftover_cgroups
	left=$(leftover_cgroups)
	if [ -z "$left" ]; then
		pass "no container cgroups left under $IT_CGPARENT"
	else
		fail "no container cgroups left under $IT_CGPARENT" "$left"
	fi
	for name in "${names[@]}"; do
		local d=$IT_TMP/daemon-$name
		# (state/netns is the daemon's own dir of netns files: it must be empty)
		left=$(find "$d/graph/engines/lcr" "$d/state" -mindepth 1 -maxdepth 1 -type d \
			! -path "$d/state/netns" 2>/dev/null
			find "$d/state/netns" -mindepth 1 2>/dev/null)
		if [ -z "$left" ]; then
			pass "no container dirs left in $name's graph and state"
		else
			fail "no container dirs left in $name's graph and state" "$left"
		fi
	done
	left=$(leftover_mounts)
	if [ -z "$left" ]; then
		pass "no mounts left under the temp dir"
	else
		fail "no mounts left under the temp dir" "$left"
	fi
}

it_finish() {
	[ "$IT_FINISHED" = 1 ] && return 0
	IT_FINISHED=1
	it_cleanup
	echo "$IT_PASSED passed, $IT_FAILED failed"
	[ "$IT_FAILED" -eq 0 ] && exit 0
	exit 1
}

# it_abort MSG: a failure that makes the rest of the file pointless.
it_abort() {
	fail "$1"
	it_finish
}
