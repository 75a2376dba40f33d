#!/usr/bin/env bash
# The stop path of issue 18: the halt signal sent through the init pinned at its start (no
# liblxc round trip), the exit written once, synced, by the stop (config.v2.json swapped
# with config.v2.json.prev, no file made per save), the mark written early only where a
# restart policy would undo the stop after a daemon killed meanwhile, and the post-stop hook
# (refusing liblxc's reboot) that succeeds on a stop, and only where a reboot can be asked for.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
# An init that ends on SIGTERM with code 0: an exit recorded from the signal, not a SIGKILL.
TERM_OK=(sh -c 'trap "exit 0" TERM; sleep 100000 & wait')
# One that ignores it: only the kill after the timeout ends it.
TERM_DEAF=(sh -c 'trap "" TERM; sleep 100000 & wait')

on_disk() { # on_disk NAME FIELD: a State field of config.v2.json
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["State"][sys.argv[2]])' \
		"$LCR/$(ifield "$1" '{{.Id}}')/config.v2.json" "$2" 2>/dev/null
}

# ------------------------------------------------------------------------ a plain stop
isula run -d --name st1 --external-rootfs "$BB" none "${TERM_OK[@]}" >/dev/null
expect_eq "st1 runs" running "$(status_of st1)"
id=$(ifield st1 '{{.Id}}')
t0=${EPOCHREALTIME/./}
expect_ok "stop st1" isula stop st1
ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
[ "$ms" -lt 5000 ] && pass "the halt signal ended it, no timeout (${ms} ms)" ||
	fail "the halt signal ended it, no timeout" "took ${ms} ms"
expect_eq "stop: exited" exited "$(status_of st1)"
expect_eq "stop: ExitCode 0 (its SIGTERM trap), not 137" 0 "$(ifield st1 '{{.State.ExitCode}}')"
expect_eq "the exit is on disk: status" exited "$(on_disk st1 Status)"
expect_eq "the mark is on disk" True "$(on_disk st1 ManuallyStopped)"
expect_ok "config.v2.json.prev keeps the version before (a swap write)" \
	test -s "$LCR/$id/config.v2.json.prev"
expect_ok "no temp file is left" sh -c "! ls '$LCR/$id' | grep -q '\\.tmp'"
expect_ok "the post-stop hook succeeded (liblxc logs no failure)" \
	sh -c "! grep -q 'Failed to run lxc.hook.post-stop' '$STATE/$id/lxc.log'"
expect_eq "lxc.signal.halt is SIGTERM's number" "lxc.signal.halt = 15" \
	"$(grep '^lxc.signal.halt' "$LCR/$id/config")"
expect_eq "no post-stop hook where no reboot can be asked for (no CAP_SYS_BOOT)" 0 \
	"$(grep -c '^lxc.hook.post-stop' "$LCR/$id/config")"
expect_ok "stop again: not running, no error" isula stop st1
expect_ok "start st1 again" isula start st1
expect_eq "restarted: running" running "$(status_of st1)"
expect_ok "stop it again (the swap goes on over the two files)" isula stop st1
expect_eq "ExitCode 0 again" 0 "$(ifield st1 '{{.State.ExitCode}}')"
expect_eq "exactly two state files, config.v2.json and its .prev" 2 \
	"$(find "$LCR/$id" -maxdepth 1 -name 'config.v2.json*' | wc -l)"

# With CAP_SYS_BOOT its init can ask liblxc for a reboot: the hook refuses it (the daemon
# restarts containers itself), and lets a stop through.
isula run -d --name stb --cap-add SYS_BOOT --external-rootfs "$BB" none "${TERM_OK[@]}" >/dev/null
stb_id=$(ifield stb '{{.Id}}')
expect_eq "--cap-add SYS_BOOT: the refuse-reboot post-stop hook" \
	"lxc.hook.post-stop = /bin/sh -c 'test \"\$LXC_TARGET\" != reboot'" \
	"$(grep '^lxc.hook.post-stop' "$LCR/$stb_id/config")"
expect_ok "stop stb" isula stop stb
expect_eq "stb: ExitCode 0" 0 "$(ifield stb '{{.State.ExitCode}}')"
expect_ok "its post-stop hook succeeded on the stop (liblxc logs no failure)" \
	sh -c "! grep -q 'Failed to run lxc.hook.post-stop' '$STATE/$stb_id/lxc.log'"
isula start stb >/dev/null
expect_ok "reboot(2) inside (busybox reboot -f)" isula exec stb reboot -f
wait_for "the reboot ends it: exited, not restarted in its monitor" 10 is_status stb exited
expect_ok "rm stb" isula rm stb

# In the host's pid namespace any SIGHUP ends the init the way a reboot does: the hook too.
hp=$(isula run -d --pid host --external-rootfs "$BB" none sleep 300)
expect_eq "--pid host: the refuse-reboot post-stop hook" 1 \
	"$(grep -c '^lxc.hook.post-stop' "$LCR/$hp/config")"
expect_ok "rm -f the --pid host container" isula rm -f "$hp"

# A paused container is thawed first, then stopped by its halt signal.
isula start st1 >/dev/null
expect_ok "pause st1" isula pause st1
expect_ok "stop of the paused st1" isula stop -t 5 st1
expect_eq "paused then stopped: ExitCode 0" 0 "$(ifield st1 '{{.State.ExitCode}}')"
expect_ok "rm st1" isula rm st1

# ------------------------------------------------------ after a daemon restart (liblxc's pin)
isula run -d --name st2 --external-rootfs "$BB" none "${TERM_OK[@]}" >/dev/null
stop_daemon main
start_daemon main || it_abort "the daemon must start again"
expect_eq "st2 reattached: running" running "$(status_of st2)"
expect_ok "stop st2, whose init start this daemon did not see" isula stop st2
expect_eq "st2: ExitCode 0" 0 "$(ifield st2 '{{.State.ExitCode}}')"
expect_ok "rm st2" isula rm st2

# ---------------------------------------------------- the timeout, and the kill after it
isula run -d --name st3 --external-rootfs "$BB" none "${TERM_DEAF[@]}" >/dev/null
expect_ok "stop -t 1 of an init that ignores SIGTERM" isula stop -t 1 st3
expect_eq "killed after the timeout: 137" 137 "$(ifield st3 '{{.State.ExitCode}}')"
expect_ok "rm st3" isula rm st3

# ------------------------------- a daemon killed during the stop of a restart=always container
# The mark went to disk while the init ignored its SIGTERM: the next daemon records the exit
# and leaves the container stopped, as the user asked.
isula run -d --name st4 --restart always --external-rootfs "$BB" none "${TERM_DEAF[@]}" >/dev/null
expect_eq "st4 runs" running "$(status_of st4)"
st4_id=$(ifield st4 '{{.Id}}')
st4_pid=$(pid_of st4)
isula stop -t 30 st4 >/dev/null 2>&1 &
stopper=$!
marked() {
	python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["State"]["ManuallyStopped"] else 1)' \
		"$LCR/$st4_id/config.v2.json" 2>/dev/null
}
wait_for "the stop's mark is on disk while the init ignores SIGTERM" 10 marked
kill_daemon main
wait "$stopper" 2>/dev/null
# Its monitor outlives the daemon: the container ends only now, and its monitor with it.
kill -KILL "$st4_pid"
monitor_gone() { ! pgrep -f "^isulad-monitor start $st4_id " >/dev/null; }
wait_for "st4's monitor records the exit and ends" 10 monitor_gone
start_daemon main || it_abort "the daemon must start after the kill"
wait_for "st4 is recorded exited" 10 is_status st4 exited
sleep 1 # a restart by the always policy would come within its first back-off (100 ms)
expect_eq "st4 was not restarted by its always policy" exited "$(status_of st4)"
expect_ok "rm st4" isula rm -f st4

assert_no_leftovers main
it_finish
