#!/usr/bin/env bash
# The start path of issue 18: `isula run -d` in one request (create?start=1, the create's
# files synced while liblxc starts), the spare isulad-monitor spawned ahead (its job over a
# socket, its command line, the next one forked by the start that took it, through the
# daemon's spare-forker), and what happens when the spare or the forker is gone or the job
# does not fit.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

spare_pids() { pgrep -f "^isulad-monitor start --standby $LCR\$" || true; }
one_spare() { [ "$(spare_pids | wc -l)" -eq 1 ]; }
forker_pids() { pgrep -f "^isulad-monitor spare-forker $LCR\$" || true; }
one_forker() { [ "$(forker_pids | wc -l)" -eq 1 ]; }
ppid_of() { awk '{ print $4 }' "/proc/$1/stat" 2>/dev/null; }
# The monitor (its log copier, forked from it, shows the same command line).
monitor_of() { pgrep -o -f "^isulad-monitor start $(ifield "$1" '{{.Id}}') "; }
# expect_re DESC ERE TEXT
expect_re() {
	if [[ "$3" =~ $2 ]]; then pass "$1"; else fail "$1" "expected to match: '$2'" "actual: '$3'"; fi
}

# ------------------------------------------------------------------------ the spare
wait_for "the daemon keeps one monitor spawned ahead" 10 one_spare
spare=$(spare_pids)
forker=$(forker_pids)
expect_ok "one spare-forker" one_forker
expect_eq "the forker is the daemon's child" "${DAEMON_PID[main]}" "$(ppid_of "$forker")"
expect_eq "the spare is the forker's child (forked, not spawned)" "$forker" "$(ppid_of "$spare")"
# liblxc is loaded where it is used: in the forker, once for every spare; a hook, an exec of
# the same binary at every start, starts without it.
expect_ok "the spare has liblxc mapped (the forker loaded it)" grep -q 'liblxc\.so' "/proc/$spare/maps"
expect_ok "isulad-monitor itself does not link liblxc (its hooks start without it)" \
	sh -c "! readelf -d '$BIN/isulad-monitor' | grep -q 'NEEDED.*liblxc'"

id=$(isula run -d --name sp1 --external-rootfs "$BB" none sleep 300)
expect_eq "run -d exits 0" 0 $?
expect_eq "run -d: running" running "$(status_of sp1)"
mon=$(monitor_of sp1)
expect_eq "the spare became sp1's monitor" "$spare" "$mon"
cmdline=$(tr '\0' ' ' <"/proc/$spare/cmdline" 2>/dev/null)
expect_re "ps shows it as sp1's monitor, as if spawned for it" \
	"^isulad-monitor start $id $LCR $STATE/$id --go-fd 3 .* -- sleep 300" "$cmdline"
expect_ok "the room for the title is not in the init's environment" \
	sh -c "! tr '\\0' '\\n' </proc/$(pid_of sp1)/environ | grep -q ISULAD_TITLE_ROOM"
expect_ok "nor in the monitor's" \
	sh -c "! tr '\\0' '\\n' </proc/$mon/environ | grep -q '^ISULAD_TITLE_ROOM='"
expect_ok "the start that took it spawned the next one" one_spare
expect_eq "the next one is forked too" "$forker" "$(ppid_of "$(spare_pids)")"
expect_ok "the monitor's log has no complaint" \
	sh -c "! grep -i 'cannot\|bad job' '$STATE/$id/monitor.log'"
# Its log copier: the forker's child beside it (one fork, and liblxc's waitpid(-1) in the
# monitor never waits for it).
copier=$(pgrep -n -f "^isulad-monitor start $id ")
expect_ok "sp1 has a log copier besides its monitor" test -n "$copier" -a "$copier" != "$mon"
expect_eq "the copier is the forker's child, the monitor's sibling" "$forker" "$(ppid_of "$copier")"
expect_ok "stop sp1" isula stop -t 2 sp1
expect_eq "stop: exited" exited "$(status_of sp1)"
expect_pid_gone "the copier ends with the container" "$copier"
expect_ok "no zombie copier is left" sh -c "! ps -eo stat=,pid= | grep -q '^Z.* $copier\$'"
expect_ok "start again (a start takes the spare too)" isula start sp1
expect_eq "started again: running" running "$(status_of sp1)"
expect_ok "rm -f sp1" isula rm -f sp1

# A spare killed while standing by: the next start spawns its own monitor.
wait_for "a spare stands by before it is killed" 10 one_spare
kill -KILL "$(spare_pids)"
expect_ok "run -d with the spare killed" isula run -d --name sp2 --external-rootfs "$BB" none sleep 300
expect_eq "sp2 runs" running "$(status_of sp2)"
expect_match "sp2's monitor (spawned for it) is named so" "isulad-monitor start $(ifield sp2 '{{.Id}}') " \
	"$(tr '\0' ' ' <"/proc/$(monitor_of sp2)/cmdline" 2>/dev/null)"
wait_for "a spare stands by again" 10 one_spare
expect_ok "rm -f sp2" isula rm -f sp2

# The forker killed: the start that finds it gone takes the spare already forked; the next
# spare comes from a forker spawned again (its zombie reaped), and starts go on working.
kill -KILL "$forker"
expect_ok "run -d with the forker killed" isula run -d --name sp4 --external-rootfs "$BB" none sleep 300
expect_eq "sp4 runs" running "$(status_of sp4)"
wait_for "a forker again" 10 sh -c "[ \"\$(pgrep -f '^isulad-monitor spare-forker $LCR\$')\" != '' ] &&
	[ \"\$(pgrep -f '^isulad-monitor spare-forker $LCR\$')\" != $forker ]"
wait_for "a spare stands by after the forker's kill" 10 one_spare
forker=$(forker_pids)
expect_eq "that spare is the new forker's" "$forker" "$(ppid_of "$(spare_pids)")"
expect_ok "no zombie forker is left" sh -c "! ps -eo stat=,pid= | grep -q '^Z.* $forker\$'"
expect_ok "run -d again" isula run -d --name sp5 --external-rootfs "$BB" none sleep 300
expect_eq "sp5 runs" running "$(status_of sp5)"
expect_ok "stop sp4 (a monitor whose forker was killed)" isula stop -t 2 sp4
expect_eq "sp4 exited" exited "$(status_of sp4)"
expect_ok "rm -f sp4 sp5" isula rm -f sp4 sp5

# A job longer than a spare takes (MONITOR_JOB_MAX, 64 KiB) goes to a monitor spawned for it.
long=$(head -c 70000 /dev/zero | tr '\0' x)
expect_ok "run -d with a 70000-byte argument" \
	isula run -d --name sp3 --external-rootfs "$BB" none sh -c "sleep 300; : $long"
expect_eq "sp3 runs" running "$(status_of sp3)"
expect_eq "its init has the whole argument" 70000 \
	"$(tr '\0' '\n' <"/proc/$(pid_of sp3)/cmdline" | sed -n 3p | tr -cd x | wc -c)"
# A spawned monitor (the daemon's child) has its copier as a grandchild: not its child.
mon=$(monitor_of sp3)
copier=$(pgrep -n -f "^isulad-monitor start $(ifield sp3 '{{.Id}}') ")
expect_eq "sp3's monitor is the daemon's child" "${DAEMON_PID[main]}" "$(ppid_of "$mon")"
expect_ok "its copier is neither its child nor the forker's" \
	test -n "$copier" -a "$(ppid_of "$copier")" != "$mon" -a "$(ppid_of "$copier")" != "$(forker_pids)"
wait_for "a spare stands by after it" 10 one_spare
expect_ok "rm -f sp3" isula rm -f sp3

# ----------------------------------------------------------------- run -d in one request
expect_fail_code "run -d of a command not in the rootfs: exit 125, naming it" 125 /no/such/cmd \
	isula run -d --name bad1 --external-rootfs "$BB" none /no/such/cmd
expect_eq "the created container is left (Docker's run)" inited "$(status_of bad1)"
expect_fail "run -d --rm of a command not in the rootfs fails" "/no/such/cmd" \
	isula run -d --rm --name bad2 --external-rootfs "$BB" none /no/such/cmd
gone bad2 && pass "--rm removed the container whose start failed" ||
	fail "--rm removed the container whose start failed" "$(isula ps -a)"
expect_fail "run -d with a name in use: refused" "is already in use" \
	isula run -d --name bad1 --external-rootfs "$BB" none sleep 1
expect_ok "rm bad1" isula rm bad1

# The create's files are on disk (in place) and the bundle complete once run -d answered.
id=$(isula run -d --name sp4 --external-rootfs "$BB" none sleep 300)
for f in config.v2.json hostconfig.json config.json config; do
	expect_ok "run -d wrote $f" test -s "$LCR/$id/$f"
done
expect_eq "no temp file of an atomic write is left" "" \
	"$(find "$LCR/$id" -name '*.tmp*' 2>/dev/null)"
# The run's start rendered no spec of its own (its lxc config was the create's): a later
# start, which renders one, finds config.json as it is.
spec_sum=$(md5sum <"$LCR/$id/config.json")
expect_ok "stop sp4" isula stop -t 2 sp4
expect_ok "start sp4 again" isula start sp4
expect_eq "a later start's spec is the run's" "$spec_sum" "$(md5sum <"$LCR/$id/config.json")"
expect_eq "config.v2.json says running" true \
	"$(python3 -c 'import json,sys; print(str(json.load(open(sys.argv[1]))["State"]["Running"]).lower())' \
		"$LCR/$id/config.v2.json" 2>&1)"
# The hooks' own inputs are in the state dir, rendered at each start; the container's dir on
# disk keeps what must outlive a reboot, and the seccomp profile where the seed shows it.
for f in devices cgroup-view; do
	expect_ok "the start wrote $f in the state dir" test -s "$STATE/$id/$f"
	expect_ok "... not in the container's dir" test ! -e "$LCR/$id/$f"
done
expect_eq "the lxc config names the hook's file there" \
	"lxc.hook.start-host = $BIN/isulad-monitor cgroup-view-hook $STATE/$id/cgroup-view" \
	"$(grep 'cgroup-view-hook' "$LCR/$id/config")"
expect_eq "the seccomp profile is <graph>/engines/lcr/<id>/seccomp (the seed's path)" \
	"lxc.seccomp.profile = $LCR/$id/seccomp" "$(grep '^lxc.seccomp.profile' "$LCR/$id/config")"
expect_ok "... written there" test -s "$LCR/$id/seccomp"
# The store's dir asks ext4 to spread the containers' dirs over its block groups
# (host/dir_spread.h).
if [ "$(stat -f -c %T "$LCR")" = ext2/ext3 ]; then
	expect_match "the store's dir spreads its subdirectories (chattr +T)" "T" \
		"$(lsattr -d "$LCR" | cut -d' ' -f1)"
fi
# The API: create?start=1 answers 201 with the Id; a plain create still only creates.
run_capture curl -s -w ' %{http_code}' --max-time 20 --unix-socket "$SOCK" -X POST \
	-H 'Content-Type: application/json' \
	-d "{\"Image\":\"none\",\"Cmd\":[\"sleep\",\"300\"],\"HostConfig\":{\"ExternalRootfs\":\"$BB\"}}" \
	'http://x/v1.41/containers/create?name=sp5&start=1'
expect_re "create?start=1 answers 201 with the Id" '"Id":"[0-9a-f]{64}".* 201$' "$LAST_OUT"
expect_eq "and sp5 runs" running "$(status_of sp5)"
run_capture curl -s -w ' %{http_code}' --max-time 20 --unix-socket "$SOCK" -X POST \
	-H 'Content-Type: application/json' \
	-d "{\"Image\":\"none\",\"Cmd\":[\"sleep\",\"300\"],\"HostConfig\":{\"ExternalRootfs\":\"$BB\"}}" \
	'http://x/v1.41/containers/create?name=sp6'
expect_re "a plain create answers 201" ' 201$' "$LAST_OUT"
expect_eq "and sp6 is only created" inited "$(status_of sp6)"
run_capture curl -s -w ' %{http_code}' --max-time 20 --unix-socket "$SOCK" -X POST \
	-H 'Content-Type: application/json' \
	-d "{\"Image\":\"none\",\"Cmd\":[\"/no/such/cmd\"],\"HostConfig\":{\"ExternalRootfs\":\"$BB\"}}" \
	'http://x/v1.41/containers/create?name=sp7&start=1'
expect_re "a failed start answers 500 with the message and the Id" \
	'"message":"[^"]*/no/such/cmd[^"]*","Id":"[0-9a-f]{64}".* 500$' "$LAST_OUT"
# A run leaves config.v2.json to the start: one that failed before writing it still leaves
# the created container on disk, as a create would have.
sp7=$(ifield sp7 '{{.Id}}')
expect_ok "the failed run's config.v2.json is on disk" test -s "$LCR/$sp7/config.v2.json"
expect_eq "... and says it never ran" false \
	"$(python3 -c 'import json,sys; print(str(json.load(open(sys.argv[1]))["State"]["Running"]).lower())' \
		"$LCR/$sp7/config.v2.json" 2>&1)"
expect_eq "a plain create writes no start input in the state dir" "" \
	"$(ls "$STATE/$(ifield sp6 '{{.Id}}')" 2>/dev/null | grep -E '^(devices|cgroup-view)$')"
expect_ok "... but its seccomp profile, where the seed shows it" \
	test -s "$LCR/$(ifield sp6 '{{.Id}}')/seccomp"
expect_ok "rm -f sp4 sp5 sp6 sp7" isula rm -f sp4 sp5 sp6 sp7

# Ten at once: every run -d answers with a running container.
pids=()
for i in $(seq 1 10); do
	isula run -d --name par$i --external-rootfs "$BB" none sleep 300 >/dev/null 2>&1 &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
expect_eq "ten run -d at once: none failed" 0 "$fails"
expect_eq "ten run -d at once: all running" 10 "$(isula ps -q | wc -l)"
expect_ok "rm -f the ten" isula rm -f $(isula ps -q)

# The daemon's end takes its spare and its forker with it.
spare=$(spare_pids)
forker=$(forker_pids)
stop_daemon main
expect_pid_gone "the spare ends with the daemon" "$spare"
expect_pid_gone "the forker ends with the daemon" "$forker"
start_daemon main || it_abort "the daemon must start again"
wait_for "the new daemon spawns its own spare" 10 one_spare
spare=$(spare_pids)
forker=$(forker_pids)
kill_daemon main
wait_for "a spare left by a killed daemon sees EOF and exits" 10 \
	sh -c "! kill -0 $spare 2>/dev/null"
wait_for "so does its forker" 10 sh -c "! kill -0 $forker 2>/dev/null"
start_daemon main || it_abort "the daemon must start after its kill"
# A forker that does not exit at the daemon's EOF (stopped here) is killed a second later.
wait_for "a forker again" 10 one_forker
forker=$(forker_pids)
kill -STOP "$forker"
t0=$(date +%s)
stop_daemon main
expect_pid_gone "a stopped forker is killed by the daemon's stop" "$forker"
secs=$(($(date +%s) - t0))
[ "$secs" -lt 10 ] && pass "... within the daemon's stop (${secs} s)" ||
	fail "... within the daemon's stop" "took $secs s"
start_daemon main || it_abort "the daemon must start again after that"

assert_no_leftovers
it_finish
