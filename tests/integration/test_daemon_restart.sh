#!/usr/bin/env bash
# Containers outlive a SIGKILLed daemon; a new daemon reattaches and records exits that
# happened meanwhile; two daemons side by side keep to their own containers.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon a || it_abort "daemon a must start"
rc_at_least() { [ "$(ifield "$1" '{{.RestartCount}}')" -ge "$2" ] 2>/dev/null; }
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# ------------------------------------------------------------------- pid file and log
expect_eq "the pid file is STATE/isulad.pid with the daemon's pid" "${DAEMON_PID[a]}" \
	"$(cat "$STATE/isulad.pid" 2>&1)"
expect_ok "the daemon logs to GRAPH/isulad.log" test -s "$GRAPH/isulad.log"

# ---------------------------------------------------------- a running container survives
id=$(isula run -d --name survivor --external-rootfs "$BB" none sleep 300)
pid=$(pid_of survivor)
pid_alive "$pid" && pass "survivor runs (pid $pid)" || it_abort "survivor runs"
# Exits 7 once the test makes /leave in its rootfs, while the daemon is down.
eid=$(isula run -d --name leaver --external-rootfs "$BB" none \
	sh -c 'while [ ! -e /leave ]; do sleep 0.05; done; exit 7')
# Others that end while the daemon is down: --rm, always, unless-stopped; and two at rest.
rmid=$(isula run -d --rm --external-rootfs "$BB" none sh -c 'sleep 1.5; exit 3')
alid=$(isula run -d --name always-down --restart always --external-rootfs "$BB" none \
	sh -c 'sleep 1.5; exit 3')
unid=$(isula run -d --name unless-down --restart unless-stopped --external-rootfs "$BB" none \
	sh -c 'sleep 1.5; exit 3')
crid=$(isula create --name created-only --external-rootfs "$BB" none sleep 300)
stid=$(isula run -d --name stopped-always --restart always --external-rootfs "$BB" none sleep 300)
isula stop -t 0 stopped-always >/dev/null
epid=$(pid_of leaver)
lstarted=$(ifield leaver '{{.State.StartedAt}}')
expect_eq "leaver runs" running "$(status_of leaver)"

kill_daemon a
daemon_alive a && fail "the daemon is gone after SIGKILL" || pass "the daemon is gone after SIGKILL"
expect_fail "the client cannot reach a dead daemon" "" isula ps
sleep 0.5
pid_alive "$pid" && pass "the container keeps running without the daemon (same pid)" ||
	fail "the container keeps running without the daemon (same pid)" "pid $pid gone"
t_leave=$(date +%s%N)
touch "$BB/leave"
[[ "$epid" =~ ^[1-9][0-9]*$ ]] || fail "leaver has a pid to watch" "got '$epid'"
wait_for "leaver exits while the daemon is down" 10 eval '! pid_alive "$epid"'
# Its monitor records the exit (liblxc's stop and hooks run first: slower on a loaded host).
wait_for "leaver's monitor records its exit" 30 test -s "$STATE/$eid/exit.json"

t_restart=$(date +%s%N)
start_daemon a || it_abort "daemon a restarts"
expect_eq "after restart: survivor is running" running "$(status_of survivor)"
expect_eq "after restart: same Pid" "$pid" "$(pid_of survivor)"
out=$(isula ps -q --no-trunc)
[[ "$out" == *"$id"* ]] && pass "after restart: ps shows survivor" ||
	fail "after restart: ps shows survivor" "$out"
[[ "$out" != *"$eid"* ]] && pass "after restart: ps (running only) does not show leaver" ||
	fail "after restart: ps (running only) does not show leaver" "$out"

expect_eq "leaver: exited" exited "$(status_of leaver)"
expect_eq "leaver: its real ExitCode 7" 7 "$(ifield leaver '{{.State.ExitCode}}')"
lfinished=$(ifield leaver '{{.State.FinishedAt}}')
fns=$(ts_ns "$lfinished")
sns=$(ts_ns "$lstarted")
[ "$fns" -gt 0 ] && pass "leaver: FinishedAt is set ($lfinished)" ||
	fail "leaver: FinishedAt is set" "got '$lfinished'"
[ "$fns" -gt "$sns" ] && pass "leaver: FinishedAt is after StartedAt" ||
	fail "leaver: FinishedAt is after StartedAt" "StartedAt $lstarted" "FinishedAt $lfinished"
# FinishedAt is its real end (after /leave appeared), not the daemon's restart time.
[ "$fns" -ge "$t_leave" ] && [ "$fns" -lt "$t_restart" ] &&
	pass "leaver: FinishedAt is its real end, before the daemon came back" ||
	fail "leaver: FinishedAt is its real end, before the daemon came back" \
		"left at $t_leave, FinishedAt $fns, restart at $t_restart"
expect_eq "wait on leaver prints 7" 7 "$(isula wait leaver 2>&1)"
wait_for "--rm container that exited while the daemon was down is removed" 5 gone "$rmid"
expect_ok "its dirs are gone too" test ! -e "$LCR/$rmid" -a ! -e "$STATE/$rmid"
# (they loop: exit 3 every 1.5 s and restart; RestartCount is what tells)
wait_for "always container that exited while the daemon was down is restarted" 5 \
	rc_at_least always-down 1
wait_for "unless-stopped container that exited while the daemon was down is restarted" 5 \
	rc_at_least unless-down 1
expect_eq "a created container stays inited across the restart" inited "$(status_of created-only)"
expect_eq "a stopped always container stays exited across the restart" "exited 0" \
	"$(ifield stopped-always '{{.State.Status}} {{.RestartCount}}')"

expect_ok "stop works on the reattached container" isula stop -t 1 survivor
expect_eq "reattached container stopped" exited "$(status_of survivor)"
expect_pid_gone "the reattached init is gone after stop" "$pid"
expect_eq "reattached container: ExitCode 137 (sleep ignores SIGTERM as pid 1)" 137 \
	"$(ifield survivor '{{.State.ExitCode}}')"
expect_ok "start again after the daemon restart" isula start survivor
expect_eq "started again" running "$(status_of survivor)"

# ---------------------------------------------- a graceful daemon stop leaves them running
pid=$(pid_of survivor)
stop_daemon a
pid_alive "$pid" && pass "SIGTERM to the daemon leaves the container running" ||
	fail "SIGTERM to the daemon leaves the container running" "pid $pid gone"
expect_ok "SIGTERM: the daemon removed its pid file" test ! -e "$STATE/isulad.pid"
start_daemon a || it_abort "daemon a restarts after SIGTERM"
expect_eq "after SIGTERM restart: running with the same Pid" "running $pid" \
	"$(status_of survivor) $(pid_of survivor)"
expect_ok "kill works on the reattached container" isula kill survivor
expect_eq "killed: ExitCode 137" 137 "$(ifield survivor '{{.State.ExitCode}}')"

# ------------------------------------------- a record of another boot is never reattached
# After a host reboot the state says "running" with a monitor pid and start time that a
# process of the new boot can have too. Stand-in: the record's boot id is rewritten while the
# daemon is down, so its (live) monitor is that stranger: it must not be reattached to, nor
# touched.
bid=$(isula run -d --name other-boot --external-rootfs "$BB" none sleep 300)
bpid=$(pid_of other-boot)
bmon=$(awk '{ print $4 }' "/proc/$bpid/stat" 2>/dev/null)
expect_eq "the state records this boot's id with the monitor" \
	"$(cat /proc/sys/kernel/random/boot_id)" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["State"]["MonitorBootId"])' \
		"$LCR/$bid/config.v2.json" 2>&1)"
kill_daemon a
python3 - "$LCR/$bid/config.v2.json" <<'EOF'
import json, sys, uuid
p = sys.argv[1]
d = json.load(open(p))
d["State"]["MonitorBootId"] = str(uuid.uuid4())
json.dump(d, open(p, "w"))
EOF
start_daemon a || it_abort "daemon a restarts"
expect_eq "another boot's record: not running, no pid" "exited 0" \
	"$(ifield other-boot '{{.State.Status}} {{.State.Pid}}')"
expect_match "the daemon says why" "ran in another boot: not reattached" \
	"$(grep "$bid" "$GRAPH/isulad.log")"
pid_alive "$bmon" && pid_alive "$bpid" &&
	pass "the stranger (its monitor and init) is left alone" ||
	fail "the stranger (its monitor and init) is left alone" "monitor '$bmon', init '$bpid'"
lxc-stop -k -n "$bid" -P "$LCR" >/dev/null 2>&1
expect_pid_gone "(the stand-in stranger is stopped by hand)" "$bpid"
expect_ok "rm of the container of another boot" isula rm -f other-boot

# ------------------------------------------------------------- two daemons side by side
start_daemon b || it_abort "daemon b must start"
bid=$(isula run -d --name only-in-b --external-rootfs "$BB" none sleep 300)
expect_eq "b: its container runs" running "$(status_of only-in-b)"
bps=$(isula ps -a -q --no-trunc)
expect_eq "b: ps -a shows only b's container" "$bid" "$bps"
expect_fail "b: does not know a's container" "No such container" isula inspect survivor
expect_fail "b: does not know a's container by ID" "No such container" isula inspect "$id"
# The same name is free in another daemon.
sid=$(isula create --name survivor --external-rootfs "$BB" none true)
is_hex64 "$sid" && pass "b: the name 'survivor' is free in b" || fail "b: the name 'survivor' is free in b" "$sid"

use_daemon a
aps=$(isula ps -a -q --no-trunc | sort)
want=$(printf '%s\n' "$id" "$eid" "$alid" "$unid" "$crid" "$stid" | sort)
expect_eq "a: ps -a shows only a's containers" "$want" "$aps"
expect_fail "a: does not know b's container" "No such container" isula inspect only-in-b
expect_eq "a: 'survivor' is a's container" "$id" "$(ifield survivor '{{.Id}}')"
[ -d "$IT_TMP/daemon-b/graph/engines/lcr/$bid" ] && [ ! -e "$LCR/$bid" ] &&
	pass "b's container lives in b's graph only" || fail "b's container lives in b's graph only"

# Killing b does not disturb a, and a restarted b still has its container.
bpid=$(ISULAD_HOST=unix://$IT_TMP/daemon-b/isulad.sock "$ISULA" inspect -f '{{.State.Pid}}' only-in-b)
kill_daemon b
expect_ok "a still answers after b is killed" isula version
start_daemon b || it_abort "daemon b restarts"
expect_eq "b: reattached to its container" "running $bpid" "$(status_of only-in-b) $(pid_of only-in-b)"

# ------------------------------------------------------------------------------- the end
for d in a b; do
	use_daemon "$d"
	ids=$(isula ps -a -q --no-trunc)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || expect_ok "$d: rm -f of every container" isula rm -f $ids
done
assert_no_leftovers
it_finish
