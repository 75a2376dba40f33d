#!/usr/bin/env bash
# it-timeout: 900
# Full or failing disk:
#   (a) a daemon whose graph and state live on a small tmpfs filled to the brim: create,
#       rename, update, start and stop answer a clear error (no hang, no crash), what was
#       there stays readable with its old values, no file is half-written; once the space is
#       back the same requests succeed.
#   (b) ENOSPC and EIO injected (strace) at each write, fsync and rename in turn of a create
#       and of an update: each request fails cleanly or succeeds whole, the daemon keeps
#       working, and what a restarted daemon reads back is what the API acknowledged.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
command -v strace >/dev/null || it_abort "strace is needed (scripts/install-deps.sh)"
command -v python3 >/dev/null || it_abort "python3 is needed (to check the JSON files)"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# bad_files DIR...: state files that do not parse as JSON, and temp files of atomic writes.
bad_files() {
	find "$@" -name '*.tmp[0-9]*' 2>/dev/null | sed 's/^/temp file left: /'
	find "$@" -name '*.json' -type f -print0 2>/dev/null | python3 -c '
import json, sys
for p in sys.stdin.read().split("\0"):
    if not p:
        continue
    try:
        json.load(open(p))
    except Exception as e:
        print("not JSON: %s: %s" % (p, e))
'
}
expect_files_whole() {
	local out
	out=$(bad_files "$@")
	[ -z "$out" ] && pass "$1: every state file parses, no temp file left" ||
		fail "$1: every state file parses, no temp file left" "$out"
}
# q TIMEOUT CMD...: a request that must answer (not hang) within TIMEOUT seconds.
q() { timeout "$@"; }

# ----------------------------------------------------------------- (a) a full tmpfs graph
D=$IT_TMP/daemon-full
mkdir -p "$D"
mount -t tmpfs -o size=24m,mode=0700 tmpfs "$D" || it_abort "mount a tmpfs for the graph"
it_on_cleanup "umount -l '$D' 2>/dev/null"
start_daemon full || it_abort "the daemon on the tmpfs starts"
kid=$(isula create --name keep --external-rootfs "$BB" none sleep 1000)
isula update --cpu-shares 100 keep >/dev/null || fail "update keep before the fill"
rid=$(isula run -d --name runner --external-rootfs "$BB" none sleep 1000)
is_hex64 "$kid" && is_hex64 "$rid" || it_abort "two containers before the fill"

# Fills the tmpfs: big blocks, then small ones for the last bytes.
fill() {
	dd if=/dev/zero of="$D/filler" bs=1M status=none 2>/dev/null
	dd if=/dev/zero of="$D/filler2" bs=4k status=none 2>/dev/null
	dd if=/dev/zero of="$D/filler3" bs=512 status=none 2>/dev/null
	sync
}
# A state save rewrites FILE.prev and swaps it in, reusing its space; without one it needs
# new space, which the full disk refuses: the saves below must fail.
find "$GRAPH" -name '*.prev' -delete
fill
expect_eq "the tmpfs is full" 0 "$(df --output=avail "$D" | tail -n 1 | tr -d ' ')"

expect_fail "full: create answers a clear error" "No space left on device" \
	q 60 "$ISULA" create --name newc --external-rootfs "$BB" none sleep 1000
expect_ok "full: the daemon still answers" q 30 "$ISULA" version
expect_fail "full: the failed create left no container" "No such container" \
	q 30 "$ISULA" inspect newc
expect_eq "full: ps -a lists the two containers only" "$(printf '%s\n' "$kid" "$rid" | sort)" \
	"$(isula ps -a -q --no-trunc | sort)"
expect_eq "full: no dir left by the failed create" 2 "$(find "$LCR" -mindepth 1 -maxdepth 1 | wc -l)"

# expect_clear_error DESC CMD...: non-zero exit within 60 s with an error naming the cause.
expect_clear_error() {
	local desc=$1
	shift
	run_capture timeout 60 "$@"
	if [ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] &&
		[[ "${LAST_OUT,,}" == *"no space left on device"* ]]; then
		pass "$desc"
	else
		fail "$desc" "command: $*" "exit code: $LAST_RC" "output: $LAST_OUT"
	fi
}
expect_clear_error "full: rename answers a clear error" "$ISULA" rename keep keep2
expect_eq "full: the old name stays" keep "$(ifield "$kid" '{{.Name}}')"
expect_clear_error "full: update answers a clear error" "$ISULA" update --cpu-shares 200 keep
expect_eq "full: the old cpu-shares stay" 100 "$(ifield keep '{{.HostConfig.CpuShares}}')"
expect_clear_error "full: start answers a clear error" "$ISULA" start keep
expect_eq "full: the failed start left it not running" false "$(ifield keep '{{.State.Running}}')"
run_capture timeout 60 "$ISULA" stop -t 0 runner
# The container does stop (nothing needs the disk for that); if the daemon cannot record it,
# it says so.
if [ "$LAST_RC" = 0 ] || [[ "${LAST_OUT,,}" == *"no space left on device"* ]]; then
	pass "full: stop answers (rc $LAST_RC: ${LAST_OUT:0:100})"
else
	fail "full: stop answers success or a clear error" "exit code $LAST_RC" "output: $LAST_OUT"
fi
stop_rc=$LAST_RC
expect_ok "full: the daemon still answers after them all" q 30 "$ISULA" ps -a
expect_ok "full: inspect of the existing containers works" q 30 "$ISULA" inspect keep runner
expect_files_whole "full" "$GRAPH" "$STATE"
daemon_alive full && pass "full: the daemon did not crash" || fail "full: the daemon did not crash"

rm -f "$D"/filler*
expect_ok "space back: create succeeds" q 60 "$ISULA" create --name newc \
	--external-rootfs "$BB" none sleep 1000
expect_ok "space back: rename succeeds" q 60 "$ISULA" rename keep keep2
expect_ok "space back: update succeeds" q 60 "$ISULA" update --cpu-shares 200 keep2
expect_ok "space back: start succeeds" q 60 "$ISULA" start keep2
expect_eq "space back: it runs" true "$(ifield keep2 '{{.State.Running}}')"
if [ "$stop_rc" = 0 ]; then
	expect_eq "space back: the stopped runner is exited" exited "$(status_of runner)"
	expect_ok "space back: runner starts again" q 60 "$ISULA" start runner
fi
expect_ok "space back: stop succeeds" q 60 "$ISULA" stop -t 0 runner
expect_files_whole "space back" "$GRAPH" "$STATE"
stop_daemon full
start_daemon full || it_abort "the daemon on the tmpfs restarts"
expect_eq "after a restart: the acknowledged name, cpu-shares and state" "keep2 200 running" \
	"$(ifield "$kid" '{{.Name}} {{.HostConfig.CpuShares}} {{.State.Status}}')"
expect_eq "after a restart: runner stopped" exited "$(status_of runner)"
expect_ok "after a restart: newc is there" isula inspect newc
expect_ok "rm -f of the tmpfs daemon's containers" isula rm -f keep2 runner newc
stop_daemon full
umount "$D" || umount -l "$D"

# ------------------------------------------------- (b) ENOSPC and EIO at each write in turn
start_daemon inj || it_abort "the injection daemon starts"
uid=$(isula create --name upd --external-rootfs "$BB" none sleep 1000)
is_hex64 "$uid" || it_abort "a container to update"
SHARES=$(ifield upd '{{.HostConfig.CpuShares}}')
UNAME=upd
# procs_of ID: the processes in the container's cgroup.
procs_of() { find "$CGROOT/pids/$IT_CGNAME/$1" -name cgroup.procs -exec cat {} + 2>/dev/null; }
# truthful ID: Running iff a process of it is alive.
truthful() {
	local run
	run=$(ifield "$1" '{{.State.Running}}')
	{ [ "$run" = true ] && [ -n "$(procs_of "$1")" ]; } ||
		{ [ "$run" = false ] && [ -z "$(procs_of "$1")" ]; }
}
# inj_check DESC: after a fault the daemon answers, the files are whole, and a restart reads
# back what was acknowledged (the caller's expectations in want_*).
inj_check() {
	local desc=$1 out
	out=$(bad_files "$GRAPH" "$STATE")
	[ -z "$out" ] || fail "$desc: every state file parses, no temp file left" "$out"
	run_capture timeout 30 "$ISULA" ps -a
	[ "$LAST_RC" = 0 ] || fail "$desc: the daemon answers" "$LAST_OUT"
}

# inject SYSCALLS ERR OP: for N = 1, 2, ... until OP succeeds (past its last such call), ERR
# at the N-th call of SYSCALLS in each daemon thread. OP is create or update.
inject() {
	local calls=$1 err=$2 op=$3 n acked name v got ok=1 max=60
	for ((n = 1; n <= max; n++)); do
		strace_on_quiet -e trace="$calls" -e inject="$calls:error=$err:when=$n"
		if [ "$op" = create ]; then
			name=i-$calls-$err-$n
			name=${name//,/-}
			run_capture timeout 60 "$ISULA" create --name "$name" --external-rootfs "$BB" \
				none sleep 1000
		elif [ "$op" = update ]; then
			v=$((SHARES + 2))
			run_capture timeout 60 "$ISULA" update --cpu-shares "$v" "$uid"
		elif [ "$op" = rename ]; then
			v=u$n$RANDOM
			run_capture timeout 60 "$ISULA" rename "$uid" "$v"
		else
			run_capture timeout 60 "$ISULA" start "$uid"
		fi
		[ "$LAST_RC" = 0 ] && acked=1 || acked=0
		local rc=$LAST_RC out=$LAST_OUT
		strace_off
		if [ "$rc" = 124 ]; then
			fail "$op with $err at $calls $n: answers (no hang)"
			ok=0
		elif [ "$acked" = 0 ] && [[ "$out" != *"$(errstr "$err")"* ]] &&
			[[ "$out" != *"cannot"* ]]; then
			fail "$op with $err at $calls $n: a clear error" "$out"
			ok=0
		fi
		inj_check "$op with $err at $calls $n"
		if [ "$op" = create ]; then
			got=$(ifield "$name" '{{.Name}}')
			if [ "$acked" = 1 ] && [ "$got" != "$name" ]; then
				fail "$op with $err at $calls $n: the acknowledged create is there" "$got"
				ok=0
			elif [ "$acked" = 0 ] && [ -n "$got" ]; then
				fail "$op with $err at $calls $n: a failed create leaves no container" "$got"
				ok=0
			fi
		elif [ "$op" = update ]; then
			got=$(ifield "$uid" '{{.HostConfig.CpuShares}}')
			[ "$acked" = 1 ] && SHARES=$v
			[ "$got" = "$SHARES" ] || {
				fail "$op with $err at $calls $n: cpu-shares is the acknowledged value" \
					"want $SHARES, got '$got' ($out)"
				ok=0
			}
		elif [ "$op" = rename ]; then
			got=$(ifield "$uid" '{{.Name}}')
			[ "$acked" = 1 ] && UNAME=$v
			[ "$got" = "$UNAME" ] || {
				fail "$op with $err at $calls $n: the name is the acknowledged one" \
					"want $UNAME, got '$got' ($out)"
				ok=0
			}
		else
			# A start: Running tells the truth, now and after a daemon SIGKILL and restart.
			if ! poll 10 truthful "$uid"; then
				fail "$op with $err at $calls $n: Running iff its init runs" \
					"$(ifield "$uid" '{{.State.Status}} {{.State.Pid}}') procs: $(procs_of "$uid")" "$out"
				ok=0
			fi
			if [ "$acked" = 1 ] && [ "$(ifield "$uid" '{{.State.Running}}')" != true ]; then
				fail "$op with $err at $calls $n: the acknowledged start runs"
				ok=0
			fi
			kill_daemon "$CUR_DAEMON"
			start_daemon "$CUR_DAEMON" || it_abort "the daemon restarts"
			if ! poll 10 truthful "$uid"; then
				fail "$op with $err at $calls $n: after a daemon restart, Running iff its init runs" \
					"$(ifield "$uid" '{{.State.Status}} {{.State.Pid}}') procs: $(procs_of "$uid")"
				ok=0
			fi
			[ "$acked" = 1 ] || timeout 30 lxc-stop -k -n "$uid" -P "$LCR" >/dev/null 2>&1
			[ "$acked" = 1 ] || poll 10 truthful "$uid"
		fi
		[ "$acked" = 1 ] && break
	done
	[ "$n" -le "$max" ] || { fail "$op with $err at $calls: succeeds past its last call"; ok=0; }
	[ "$ok" = 1 ] && pass "$op with $err at each $calls in turn ($((n - 1)) faults): clean failures, then success"
}
errstr() {
	case "$1" in
	ENOSPC) echo "No space left on device" ;;
	EIO) echo "Input/output error" ;;
	esac
}

for err in ENOSPC EIO; do
	inject write "$err" create
	inject write "$err" update
	inject write "$err" rename
done
inject fsync EIO create
inject fsync EIO update
inject rename,renameat,renameat2 EIO create
inject rename,renameat,renameat2 EIO update
inject rename,renameat,renameat2 EIO rename
# A start writes the state that makes its monitor found again after a daemon restart (the
# daemon's own calls: the monitor and liblxc are not traced).
for calls in write fsync rename,renameat,renameat2; do
	STRACE_NOFOLLOW=1 inject "$calls" EIO start
	expect_ok "stop it for the next round" isula stop -t 0 "$uid"
done

# What a restarted daemon reads back: the acknowledged creates and cpu-shares, nothing else.
want_ids=$(isula ps -a -q --no-trunc | sort)
stop_daemon inj
start_daemon inj || it_abort "the injection daemon restarts"
expect_eq "after a restart: the same containers" "$want_ids" "$(isula ps -a -q --no-trunc | sort)"
expect_eq "after a restart: the acknowledged cpu-shares and name" "$SHARES $UNAME" \
	"$(ifield "$uid" '{{.HostConfig.CpuShares}} {{.Name}}')"
expect_eq "after a restart: no broken container" "" \
	"$(isula ps -a --format '{{.Status}}' 2>/dev/null | grep -i broken)"
ids=$(isula ps -a -q --no-trunc)
# shellcheck disable=SC2086
[ -z "$ids" ] || expect_ok "rm -f of the injection daemon's containers" isula rm -f $ids

assert_no_leftovers
it_finish
