#!/usr/bin/env bash
# Attacks on and faults in the engine's process handling, performed for real:
#   - exec must not put the container's environment on any command line (§1.7);
#   - pid reuse: cp, exec and kill must not act on a stranger that took the container init's
#     pid, and reattach must not adopt a stranger that took the monitor's pid (§4.5).
# The crash-safety and lock tests are in test_attacks_crash.sh.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# cmdlines_with VALUE: every process whose command line contains VALUE (pid: cmdline). Bash
# builtins only, so that the search itself never shows VALUE on a command line.
cmdlines_with() {
	local p args
	for p in /proc/[0-9]*; do
		mapfile -d '' args 2>/dev/null <"$p/cmdline" || continue
		[[ "${args[*]}" == *"$1"* ]] && echo "${p#/proc/}: ${args[*]}"
	done
	return 0
}

# ------------------------------------------------------------------ §1.7 exec environment
SECRET=run-secret-$RANDOM$RANDOM
OTHER=exec-secret-$RANDOM$RANDOM
isula run -d --name envc -e "SECRET=$SECRET" --external-rootfs "$BB" none sleep 1000 >/dev/null
is_status envc running || it_abort "run -d of the exec target"
# Detached, so that no client (whose own -e is the user's choice) is alive meanwhile.
expect_ok "exec -d -e OTHER=... of a long-running command" \
	isula exec -d -e "OTHER=$OTHER" envc sh -c 'echo "$SECRET $OTHER" >/tmp/seen; exec sleep 1000'
wait_for "the exec'd command ran" 20 test -s "$BB/tmp/seen"
helper=$(pgrep -f "isulad-monitor exec .*$(isula inspect -f '{{.Id}}' envc)")
if [ -n "$helper" ]; then
	pass "the exec helper is alive while the command runs"
else
	fail "the exec helper is alive while the command runs"
fi
expect_eq "no command line holds the container's -e value" "" "$(cmdlines_with "$SECRET")"
expect_eq "no command line holds the exec's -e value" "" "$(cmdlines_with "$OTHER")"
expect_eq "the command saw both variables" "$SECRET $OTHER" "$(cat "$BB/tmp/seen" 2>/dev/null)"
run_capture isula exec -e "OTHER=attached" envc sh -c 'echo "$SECRET/$OTHER/$PATH"'
expect_eq "an attached exec sees the container's and its own variables and a PATH" \
	"$SECRET/attached/$(isula exec envc sh -c 'echo $PATH')" "$LAST_OUT"
expect_ok "rm -f the exec target" isula rm -f envc

# ------------------------------------------------------------------------- §4.5 pid reuse
# plant_at PID CMD...: starts CMD in the background so that it gets host pid PID (which must
# be free), through /proc/sys/kernel/ns_last_pid; retried when another fork got in between
# (such a process is short-lived: its end is awaited). Sets STRANGER (empty on failure).
STRANGERS=()
plant_at() {
	local want=$1 end=$(($(now_us) + 3000000))
	shift
	STRANGER=""
	while [ "$(now_us)" -lt "$end" ]; do
		if [ -d "/proc/$want" ]; then
			sleep 0.02
			continue
		fi
		echo $((want - 1)) >/proc/sys/kernel/ns_last_pid
		"$@" >/dev/null 2>&1 </dev/null &
		if [ "$!" = "$want" ]; then
			STRANGER=$!
			STRANGERS+=("$!")
			return 0
		fi
		kill -KILL "$!" 2>/dev/null
		wait "$!" 2>/dev/null
	done
	return 1
}
kill_strangers() {
	local p
	for p in "${STRANGERS[@]}"; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	STRANGERS=()
}
it_on_cleanup kill_strangers
# alive PID: running, not a zombie.
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
gone_pid() { [ ! -d "/proc/$1" ]; }

# The stranger's own root: a busybox tree of which the container knows nothing.
SROOT=$(copy_rootfs busybox) || it_abort "a second busybox rootfs copy is needed"
touch -a -d '3 days ago' "$SROOT/etc/passwd"
passwd_atime() { stat -c %X "$SROOT/etc/passwd"; }

# A container whose poststop hook holds its monitor (so the daemon still says running with
# the init's pid) until $IT_TMP/go exists: the window in which the init's pid is free.
H=$IT_TMP/hooks
mkdir -p "$H"
chmod 0755 "$H"
printf '#!/bin/sh\nwhile [ ! -e "%s" ]; do sleep 0.1; done\n' "$IT_TMP/go" >"$H/hold.sh"
chmod 0755 "$H/hold.sh"
echo "{\"poststop\":[{\"path\":\"$H/hold.sh\",\"timeout\":120}]}" >"$H/hold.json"
BB2=$(copy_rootfs busybox) || it_abort "a third busybox rootfs copy is needed"
isula run -d --name reuse --hook-spec "$H/hold.json" --external-rootfs "$BB2" none sleep 1000 \
	>/dev/null
P=$(pid_of reuse)
[ -n "$P" ] && [ "$P" -gt 0 ] || it_abort "the container's init pid"
kill -KILL "$P"
wait_for "the container's init is gone (its monitor runs the held poststop hook)" 20 gone_pid "$P"
expect_eq "the daemon still says running with the old pid meanwhile" "running $P" \
	"$(ifield reuse '{{.State.Status}} {{.State.Pid}}')"
if plant_at "$P" chroot "$SROOT" /bin/sleep 1000 && alive "$STRANGER"; then
	pass "a stranger (chrooted elsewhere) now has the init's pid $P"
	echo planted >"$IT_TMP/planted"
	isula cp "$IT_TMP/planted" reuse:/planted >/dev/null 2>&1
	if [ -e "$SROOT/planted" ]; then
		fail "cp into the container writes nothing into the stranger's root" \
			"$SROOT/planted exists"
	else
		pass "cp into the container writes nothing into the stranger's root"
	fi
	before=$(passwd_atime)
	isula exec -u root reuse true >/dev/null 2>&1
	expect_eq "exec -u does not read the stranger's /etc/passwd" "$before" "$(passwd_atime)"
	if alive "$STRANGER"; then
		pass "the stranger is untouched"
	else
		fail "the stranger is untouched"
	fi
else
	fail "a stranger (chrooted elsewhere) now has the init's pid $P"
fi
touch "$IT_TMP/go"
wait_for "the container exits once its poststop hook ends" 30 is_status reuse exited
isula rm -f reuse >/dev/null 2>&1
kill_strangers

# kill: the daemon is held (strace) at the syscall that takes or uses the init's pidfd; the
# init dies and a stranger gets its pid meanwhile; the signal must not reach the stranger.
all_traced() {
	local t
	for t in /proc/"$1"/task/*/status; do
		grep -q '^TracerPid:[[:space:]]*[1-9]' "$t" 2>/dev/null || return 1
	done
}
# held PID: a thread of PID is stopped at pidfd_open (434) or pidfd_send_signal (424).
held() { grep -qE '^(434|424) ' /proc/"$1"/task/*/syscall 2>/dev/null; }
if command -v strace >/dev/null; then
	isula run -d --name killme --external-rootfs "$BB2" none sleep 1000 >/dev/null
	P=$(pid_of killme)
	dpid=${DAEMON_PID[main]}
	strace -f -qq -o /dev/null -p "$dpid" -e trace=pidfd_open,pidfd_send_signal \
		-e inject=pidfd_open,pidfd_send_signal:delay_enter=6000000 2>/dev/null &
	tracer=$!
	poll 10 all_traced "$dpid" || fail "strace attaches to the daemon"
	isula kill -s TERM killme >"$IT_TMP/kill.out" 2>&1 &
	killer=$!
	if poll 10 held "$dpid"; then
		kill -KILL "$P"
		poll 10 gone_pid "$P"
		if plant_at "$P" sleep 1000; then
			pass "a stranger has the init's pid $P while kill is held"
			wait "$killer"
			if alive "$STRANGER"; then
				pass "kill's signal does not reach the stranger"
			else
				fail "kill's signal does not reach the stranger" "$(cat "$IT_TMP/kill.out")"
			fi
		else
			fail "a stranger has the init's pid $P while kill is held"
			wait "$killer"
		fi
	else
		fail "kill is held at a pidfd syscall"
		wait "$killer"
	fi
	kill -TERM "$tracer" 2>/dev/null
	wait "$tracer" 2>/dev/null
	isula rm -f killme >/dev/null 2>&1
	kill_strangers
else
	fail "strace is needed for the kill test (scripts/install-deps.sh)"
fi

assert_no_leftovers
it_finish
