#!/usr/bin/env bash
# Faults performed for real on a private daemon (strace injects them into its syscalls):
#   - SIGKILL at every rename of a create (§4.3) and at every unlink of an rm (§4.4b): after a
#     restart the container is either absent with nothing left (dir, tombstone, host
#     channel) or present with its hooks (its prestart hook runs at start);
#   - stale temp files of atomic writes are swept at daemon start;
#   - a container's save stuck in fsync does not stall `ps` or `inspect` of others (§4.6).
set -u
source "$(dirname "$0")/lib.sh"
it_setup
command -v strace >/dev/null || it_abort "strace is needed (scripts/install-deps.sh)"
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

H=$IT_TMP/hooks
REC=$IT_TMP/rec
CH=$IT_TMP/channels
mkdir -p "$H" "$REC" "$CH"
chmod 0755 "$H"
cat >"$H/mark.sh" <<'EOF'
#!/bin/sh
echo prestart >>"$1"
EOF
chmod 0755 "$H/mark.sh"
# spec TAG: a hook spec whose prestart hook appends to $REC/TAG.
spec() {
	echo "{\"prestart\":[{\"path\":\"$H/mark.sh\",\"args\":[\"mark.sh\",\"$REC/$1\"]}]}" \
		>"$H/$1.json"
	echo "$H/$1.json"
}


# restart_main: the daemon is dead (or is killed now); a new one starts on the same dirs.
restart_main() {
	strace_off
	kill_daemon main
	start_daemon main || it_abort "the daemon restarts"
}

# entries: what is left in the engine's container and state dirs (tombstones included).
entries() {
	{
		find "$LCR" -mindepth 1 -maxdepth 1
		find "$STATE" -mindepth 1 -maxdepth 1 -type d
	} 2>/dev/null | sort
}

# check_outcome NAME TAG CHANNEL: after a crash and restart, NAME is absent with nothing left,
# or present, and its prestart hook runs at start. Leaves no container behind.
check_outcome() {
	local name=$1 tag=$2 channel=$3 what=$4
	if isula inspect "$name" >/dev/null 2>&1; then
		rm -f "$REC/$tag"
		if isula start "$name" >/dev/null 2>&1 && [ "$(cat "$REC/$tag" 2>/dev/null)" = prestart ]; then
			pass "$what: the container is there and its prestart hook runs"
		else
			fail "$what: the container is there and its prestart hook runs" \
				"hook record: '$(cat "$REC/$tag" 2>/dev/null)'" "$(entries)"
		fi
		isula rm -f "$name" >/dev/null 2>&1
	else
		pass "$what: the container is absent"
	fi
	expect_eq "$what: no dir, tombstone or state left" "" "$(entries)"
	if [ -n "$channel" ] && [ -e "$channel" ]; then
		fail "$what: no host channel dir left" "$channel"
	elif [ -n "$channel" ]; then
		pass "$what: no host channel dir left"
	fi
}

# ------------------------------------------------- §4.3 SIGKILL at each rename of a create
# A create renames a handful of files into place; the last N goes through unharmed.
for n in 1 2 3 4 5 6; do
	name=cc$n
	strace_on -e trace=rename -e inject=rename:signal=SIGKILL:when=$n
	run_capture timeout 60 "$ISULA" create --name "$name" --hook-spec "$(spec "$name")" \
		--host-channel "$CH/$name:/ch:rw:32M" --external-rootfs "$BB" none sleep 1000
	[ "$LAST_RC" -eq 0 ] && acked=1 || acked=0
	restart_main
	if [ "$acked" = 1 ] && ! isula inspect "$name" >/dev/null 2>&1; then
		fail "create killed at rename $n: an acknowledged create survives the crash"
	fi
	check_outcome "$name" "$name" "$CH/$name" "create killed at rename $n"
	[ "$acked" = 1 ] && break # past the last rename
done

# --------------------------------------------------- §4.4b SIGKILL at each unlink of an rm
for n in 1 2 3 4 5 6; do
	name=rm$n
	isula create --name "$name" --hook-spec "$(spec "$name")" --external-rootfs "$BB" \
		none sleep 1000 >/dev/null || fail "create $name"
	strace_on -e trace=unlink,unlinkat,rmdir \
		-e inject=unlink,unlinkat,rmdir:signal=SIGKILL:when=$n
	run_capture timeout 60 "$ISULA" rm "$name"
	[ "$LAST_RC" -eq 0 ] && acked=1 || acked=0
	restart_main
	if [ "$acked" = 1 ] && isula inspect "$name" >/dev/null 2>&1; then
		fail "rm killed at unlink $n: an acknowledged rm stays done"
	fi
	check_outcome "$name" "$name" "" "rm killed at unlink $n"
	[ "$acked" = 1 ] && break
done

# --------------------------------------------------- §4.4 SIGKILL at each rename of a start
# The daemon's own renames (the monitor is not traced): the state that records the monitor is
# one of them. Whatever the moment, after a restart Running tells the truth: a container
# never runs unknown to the daemon.
procs_of() { find "$CGROOT/pids/$IT_CGNAME/$1" -name cgroup.procs -exec cat {} + 2>/dev/null; }
truthful() {
	local run
	run=$(isula inspect -f '{{.State.Running}}' "$1" 2>/dev/null)
	{ [ "$run" = true ] && [ -n "$(procs_of "$1")" ]; } ||
		{ [ "$run" = false ] && [ -z "$(procs_of "$1")" ]; }
}
sid=$(isula create --name st --external-rootfs "$BB" none sleep 1000)
for n in 1 2 3 4 5 6; do
	STRACE_NOFOLLOW=1 strace_on -e trace=rename -e inject=rename:signal=SIGKILL:when=$n
	run_capture timeout 60 "$ISULA" start st
	[ "$LAST_RC" -eq 0 ] && acked=1 || acked=0
	restart_main
	if poll 10 truthful "$sid"; then
		pass "start killed at rename $n: after a restart, Running iff its init runs"
	else
		fail "start killed at rename $n: after a restart, Running iff its init runs" \
			"$(isula inspect -f '{{.State.Status}} {{.State.Pid}}' st) procs: $(procs_of "$sid")"
	fi
	[ "$acked" = 1 ] && expect_eq "start killed at rename $n: the acknowledged start runs" \
		true "$(isula inspect -f '{{.State.Running}}' st)"
	isula stop -t 0 st >/dev/null 2>&1
	[ "$acked" = 1 ] && break
done
isula rm -f st >/dev/null

# ------------------------------------------------------------- stale temp files are swept
id=$(isula create --name tmpc --external-rootfs "$BB" none sleep 1000)
kill_daemon main
echo '{"partial' >"$LCR/$id/config.v2.json.tmp4242"
echo '{"partial' >"$LCR/$id/hostconfig.json.tmp77"
mkdir -p "$STATE/$id"
echo '{"partial' >"$STATE/$id/exit.json.tmp99" # the monitor's, killed while writing
start_daemon main || it_abort "the daemon restarts"
expect_eq "stale temp files of atomic writes are removed at start" "" \
	"$(find "$LCR/$id" "$STATE/$id" -name '*.tmp[0-9]*')"
expect_ok "the container with them is intact" isula start tmpc
expect_ok "rm -f it" isula rm -f tmpc

# ----------------------------------------- §4.6 a save stuck in fsync stalls nobody else
isula create --name slow --external-rootfs "$BB" none sleep 1000 >/dev/null
isula create --name other --external-rootfs "$BB" none sleep 1000 >/dev/null
# in_fsync: a daemon thread is held (by strace) at the entry of fsync (74 on x86_64).
in_fsync() {
	grep -q '^74 ' /proc/"${DAEMON_PID[main]}"/task/*/syscall 2>/dev/null
}
strace_on -e trace=fsync,fdatasync -e inject=fsync,fdatasync:delay_enter=5000000
isula rename slow slow2 >"$IT_TMP/rename.out" 2>&1 &
renamer=$!
if poll 10 in_fsync; then
	pass "the rename's save is held in fsync"
	t0=$(now_us)
	run_capture isula ps -a
	t1=$(now_us)
	[ "$LAST_RC" -eq 0 ] && [ $((t1 - t0)) -lt 1000000 ] &&
		pass "ps answers within 1 s meanwhile ($(((t1 - t0) / 1000)) ms)" ||
		fail "ps answers within 1 s meanwhile" "took $(((t1 - t0) / 1000)) ms, rc $LAST_RC"
	t0=$(now_us)
	run_capture isula inspect -f '{{.Name}}' other
	t1=$(now_us)
	[ "$LAST_RC" -eq 0 ] && [ $((t1 - t0)) -lt 1000000 ] &&
		pass "inspect of another container answers within 1 s meanwhile ($(((t1 - t0) / 1000)) ms)" ||
		fail "inspect of another container answers within 1 s meanwhile" \
			"took $(((t1 - t0) / 1000)) ms, rc $LAST_RC"
else
	fail "the rename's save is held in fsync"
fi
wait "$renamer"
expect_eq "the rename finishes once the disk does" 0 "$?"
strace_off
expect_eq "the new name is saved" "slow2" "$(isula inspect -f '{{.Name}}' slow2 2>/dev/null)"
restart_main
expect_eq "the new name survives a daemon restart" "slow2" \
	"$(isula inspect -f '{{.Name}}' slow2 2>/dev/null)"
isula rm -f slow2 other >/dev/null

# ------------------------- SIGKILL while a start waits for its network: the restart is quick
# Every program the daemon starts (the monitor, the CNI plugins) is held 3 s after its
# execve; the daemon is killed while the start waits for the CNI ADD. The init waits for a
# network gate the dead daemon never opens, and liblxc answers no command meanwhile: the
# next daemon must not wait for it (it did, up to the 2-minute start timeout).
IT_NETWORK=1 start_daemon net || it_abort "a daemon with the default network starts"
nid=$(isula create --name n1 --external-rootfs "$BB" none sleep 1000)
strace_on -e trace=execve -e inject=execve:delay_exit=3000000
isula start n1 >/dev/null 2>&1 &
starter=$!
# monitor_recorded: the monitor runs and the state names it.
monitor_recorded() {
	pgrep -f "isulad-monitor start $nid" >/dev/null &&
		grep -q '"MonitorPid":[1-9]' "$LCR/$nid/config.v2.json" 2>/dev/null
}
wait_for "the start has made its netns and recorded its monitor" 10 eval \
	'test -e "$STATE/netns/$nid" && monitor_recorded'
kill_daemon net
strace_off
wait "$starter" 2>/dev/null
t0=$(now_us)
IT_NETWORK=1 start_daemon net || it_abort "the daemon with the network restarts"
pass "the daemon comes up in $((($(now_us) - t0) / 1000)) ms (< 5 s)"
wait_for "the cut start ends: the container is exited" 20 is_status n1 exited
expect_match "the daemon says why" "restart during the network setup" \
	"$(grep "$nid" "$GRAPH/isulad.log")"
expect_ok "it starts now" isula start n1
expect_ok "rm -f it" isula rm -f n1
use_daemon main

assert_no_leftovers
it_finish
