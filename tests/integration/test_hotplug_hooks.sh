#!/usr/bin/env bash
# syscontainer-hooks (issue 12): the hook binary's own contract (stages, state, record and
# KERNEL_MODULES errors), then one systemd container with a device, a path, a NIC and a route
# hot-plugged: all of them come back after a reboot inside (on-reboot), a restart and a daemon
# restart, and the stop returns what belongs to the host.
source "$(dirname "$0")/lib.sh"
it_setup

HOOK=$BIN/syscontainer-hooks
TOOLS=$BIN/isulad-tools

# ------------------------------------------------------------------ the hook by itself
expect_fail "hook: an unknown stage is refused, naming the stages" \
	'invalid --state "bogus": expected prestart, poststart or poststop' \
	"$HOOK" --state bogus </dev/null
expect_fail "hook: no stage is refused" "invalid --state" "$HOOK" </dev/null
expect_fail "hook: --with-relabel is refused (no SELinux)" "not supported" \
	"$HOOK" --state prestart --with-relabel </dev/null
expect_fail "hook: an empty stdin is a bad state" "bad container state on stdin" \
	"$HOOK" --state prestart </dev/null
expect_fail "hook: prestart needs the init's pid" '"pid" must be a positive integer' \
	sh -c "echo '{\"id\":\"x\",\"bundle\":\"/nonexistent\"}' | '$HOOK' --state prestart"
expect_ok "hook: poststart does nothing and succeeds" \
	sh -c "echo '{\"id\":\"x\",\"bundle\":\"/nonexistent\",\"pid\":$$}' | '$HOOK' --state poststart"

# A bundle made by hand: the engine's lxc config (no cgroup) and an OCI spec with env.
B=$IT_TMP/bundle
mkdir -p "$B"
echo "lxc.uts.name = x" >"$B/config"
spec_env() { printf '{"ociVersion":"1.0.2","process":{"env":["PATH=/bin","KERNEL_MODULES=%s"]}}\n' "$1" >"$B/config.json"; }
state() { printf '{"ociVersion":"1.0.2","id":"hk%s","status":"created","pid":%s,"bundle":"%s"}' "$$" "$1" "$B"; }
sleep 600 &
SLEEPER=$!
it_on_cleanup "kill $SLEEPER 2>/dev/null"
run_hook() { state "$SLEEPER" | "$HOOK" --state "$1" --log "$IT_TMP/hook.log"; }

spec_env ""
expect_ok "hook: prestart of a container with nothing recorded succeeds" run_hook prestart
expect_ok "hook: ... and creates no record file" test ! -e "$B/device_hook.json"
spec_env 'ip_vs;reboot'
expect_fail "hook: a KERNEL_MODULES name outside [A-Za-z0-9_-] fails the start, named" \
	"[module-hook] Failed to modprobe modules" run_hook prestart
expect_match "hook: ... the message names the bad name" 'ip_vs;reboot' "$LAST_OUT"
MOD=isulad_hp_nomod_$$
spec_env "$MOD"
expect_fail "hook: a module modprobe cannot load fails the start, named" "\"$MOD\"" \
	run_hook prestart
expect_ok "hook: ... the failure is in the log" grep -q "$MOD" "$IT_TMP/hook.log"
spec_env ""
echo '{"deviceToAdd":7}' >"$B/device_hook.json"
expect_fail "hook: a broken record fails the start, naming the file" \
	"$B/device_hook.json: \"deviceToAdd\" is not a list" run_hook prestart
expect_ok "hook: poststop of a stopped container (no pid) succeeds" \
	sh -c "printf '{\"id\":\"hk\",\"bundle\":\"%s\"}' '$B' | '$HOOK' --state poststop"
rm -f "$B/device_hook.json"
rm -f "$B/config"
expect_fail "hook: a bundle without the engine's lxc config is an error naming it" \
	"cannot read the container's lxc config $B/config" run_hook prestart

# ------------------------------------------------------- isulad-tools: what every command shares
start_daemon main
expect_ok "tools: --help lists the commands" "$TOOLS" --help
expect_match "tools: ... add-device among them" add-device "$LAST_OUT"
expect_fail "tools: an unknown command is named" "unknown subcommand frob" "$TOOLS" frob x
for cmd in add-device list-nic add-route remove-path; do
	expect_fail "tools: $cmd names an unknown flag, as the original" \
		"Incorrect Usage: unknown flag: --bogus" "$TOOLS" "$cmd" --bogus c1
	expect_match "tools: ... and shows the command's usage" "Usage:  isulad-tools $cmd" "$LAST_OUT"
done
expect_fail "tools: a name outside the original's pattern is refused" \
	"Invalid container name (a;b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed" \
	"$TOOLS" list-path 'a;b'
expect_fail "tools: an unknown container is named" "No such container: nosuch$$" \
	"$TOOLS" list-path "nosuch$$"
expect_fail "tools: an unreachable daemon is named" \
	"Cannot connect to the iSulad daemon at unix:///nonexistent/isulad.sock" \
	env ISULAD_HOST=unix:///nonexistent/isulad.sock "$TOOLS" list-path c1
expect_fail "tools: -H wins over ISULAD_HOST" "No such container: nosuch$$" \
	env ISULAD_HOST=unix:///nonexistent/isulad.sock "$TOOLS" -H "unix://$SOCK" list-path "nosuch$$"
expect_fail "tools: a non-root caller is told what it lacks" \
	"isulad-tools must run as root: it lacks CAP_SYS_ADMIN" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOLS" list-path c1
expect_fail "tools: so is root without CAP_NET_ADMIN" "it lacks CAP_NET_ADMIN" \
	setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$TOOLS" list-path c1

# A command that waited for the record's lock while the container restarted reaches the new
# init, not the dead one (the change would otherwise only be recorded).
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
expect_ok "lock race: a container runs" isula run -d --name race --system-container \
	--external-rootfs "$BB" none sleep 100000
RACE_ID=$(ifield race '{{.Id}}')
RACE_DIR=$IT_TMP/race-src
mkdir -p "$RACE_DIR" && echo raced >"$RACE_DIR/f"
exec {LOCKFD}>"$LCR/$RACE_ID/.device_hook.lock"
flock "$LOCKFD"
old_pid=$(pid_of race)
"$TOOLS" add-path race "$RACE_DIR:/mnt/race" >"$IT_TMP/race.out" 2>&1 &
RACE_TOOL=$!
it_on_cleanup "kill $RACE_TOOL 2>/dev/null"
# The tool has found the container and waits for the lock (it holds the lock file open).
wait_for "lock race: the tool waits for the lock" 20 \
	sh -c "ls -l /proc/$RACE_TOOL/fd 2>/dev/null | grep -q device_hook.lock"
expect_ok "lock race: the container restarts meanwhile" timeout 60 "$ISULA" restart -t 0 race
new_pid=$(pid_of race)
[ -n "$new_pid" ] && [ "$new_pid" != "$old_pid" ] && pass "lock race: the init changed" ||
	fail "lock race: the init changed" "$old_pid -> $new_pid"
flock -u "$LOCKFD"
exec {LOCKFD}>&-
wait "$RACE_TOOL"
expect_eq "lock race: the tool succeeds" 0 "$?"
expect_eq "lock race: the path is mounted in the restarted container" raced \
	"$(isula exec race cat /mnt/race/f 2>&1)"
isula rm -f race >/dev/null

# A start right after a stop: the veths' host ends must be gone when the stop returns (the
# kernel frees the containers' network namespaces later, in the background; stopping several
# at once makes that later).
VBR=hpvb$$
ip link add "$VBR" type bridge && ip link set "$VBR" up || it_abort "a test bridge is needed"
it_on_cleanup "ip link del $VBR 2>/dev/null"
BBSPEC=$IT_TMP/bb-hookspec.json
sed "s|\"/usr/bin/syscontainer-hooks\"|\"$HOOK\"|" "$REPO/policies/syscontainer-hooks.json" >"$BBSPEC"
for q in 1 2 3; do
	BBQ=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
	expect_ok "quick restart: container q$q with the hook runs" isula run -d --name "q$q" \
		--hook-spec "$BBSPEC" --system-container --external-rootfs "$BBQ" none sleep 100000
	expect_ok "quick restart: q$q gets a veth" "$TOOLS" add-nic --type veth \
		--name "hpq$q$$:eth1" --ip "10.239.$q.2/24" --bridge "$VBR" "q$q"
done
cycles=0
for i in $(seq 1 10); do
	timeout 60 "$ISULA" stop -t 0 q1 q2 q3 >/dev/null 2>&1 || break
	[ ! -e "/sys/class/net/hpq1$$" ] && [ ! -e "/sys/class/net/hpq2$$" ] &&
		[ ! -e "/sys/class/net/hpq3$$" ] || break
	timeout 60 "$ISULA" start q1 q2 q3 >"$IT_TMP/quick.out" 2>&1 || break
	cycles=$((cycles + 1))
done
expect_eq "quick restart: 10 times, the stops leave no host end and the starts succeed" 10 "$cycles"
[ "$cycles" = 10 ] || { ls /sys/class/net; cat "$IT_TMP/quick.out"; }
expect_match "quick restart: the NIC is there after the last start" "10.239.2.2/24" \
	"$(isula exec q2 ip -o addr show eth1 2>&1)"
isula rm -f q1 q2 q3 >/dev/null
expect_ok "quick restart: no host end left after rm" \
	sh -c "! ls /sys/class/net | grep -q 'hpq[123]$$'"

# ------------------------------------------------------- every resource, on a systemd box
S=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
# The sample spec users are given (make install puts it in /etc/isulad-tools), pointed at
# this build's hook.
SAMPLE=$REPO/policies/syscontainer-hooks.json
expect_eq "the sample hook spec runs the hook at prestart" '["syscontainer-hooks","--state","prestart"]' \
	"$(jq -c '.prestart[0].args' "$SAMPLE")"
expect_eq "... and at poststop" '["syscontainer-hooks","--state","poststop"]' \
	"$(jq -c '.poststop[0].args' "$SAMPLE")"
SPEC=$IT_TMP/hookspec.json
sed "s|\"/usr/bin/syscontainer-hooks\"|\"$HOOK\"|" "$SAMPLE" >"$SPEC"
BR=hpbr$$
IMG=$IT_TMP/disk.img
truncate -s 8M "$IMG"
LOOP=$(losetup -f --show "$IMG") || it_abort "a loop device is needed"
it_on_cleanup "losetup -d $LOOP 2>/dev/null"
ip link add "$BR" type bridge && ip link set "$BR" up || it_abort "a test bridge is needed"
it_on_cleanup "ip link del $BR 2>/dev/null"
HOSTDIR=$IT_TMP/shared
mkdir -p "$HOSTDIR" && echo from-host >"$HOSTDIR/f"

in_ct() { timeout 10 lxc-attach -n "$1" -P "$LCR" -- "${@:2}"; }
sd_running() { [ "$(in_ct "$1" systemctl is-system-running 2>/dev/null)" = running ]; }
restarted() {
	local p
	p=$(pid_of "$1")
	is_status "$1" running && [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$2" ]
}
sid=$(isula run -tid --system-container --restart on-reboot --hook-spec "$SPEC" \
	--external-rootfs "$S" none init) || it_abort "the systemd container runs"
wait_for "systemd boots to 'running'" 60 sd_running "$sid"

expect_ok "add-device" "$TOOLS" add-device "$sid" "$LOOP:/dev/hpdisk:rw"
expect_ok "add-path" "$TOOLS" add-path "$sid" "$HOSTDIR:/mnt/shared:rw"
expect_ok "add-nic" "$TOOLS" add-nic --type veth --name "hpv$$:eth5" --ip 10.231.7.2/24 \
	--bridge "$BR" "$sid"
expect_ok "add-route" "$TOOLS" add-route "$sid" '[{"dest":"10.232.0.0/16","gw":"10.231.7.1","dev":"eth5"}]'

# all_there DESC: the four resources, seen from inside the container.
all_there() {
	local d=$1
	expect_ok "$d: the device node is there" in_ct "$sid" test -b /dev/hpdisk
	expect_ok "$d: the device is readable" in_ct "$sid" dd if=/dev/hpdisk of=/dev/null bs=4k count=1
	expect_eq "$d: the host path is mounted" from-host "$(in_ct "$sid" cat /mnt/shared/f 2>&1)"
	expect_match "$d: the NIC has its address" "10.231.7.2/24" "$(in_ct "$sid" ip -o addr show eth5 2>&1)"
	expect_match "$d: the route is there" "10.232.0.0/16 via 10.231.7.1 dev eth5" \
		"$(in_ct "$sid" ip route 2>&1)"
	expect_eq "$d: the veth's host end is on the bridge" "$BR" \
		"$(basename "$(readlink "/sys/class/net/hpv$$/master" 2>/dev/null)")"
}
all_there "live"

spid=$(pid_of "$sid")
in_ct "$sid" systemctl reboot >/dev/null 2>&1
wait_for "reboot inside restarts it (on-reboot)" 60 restarted "$sid" "$spid"
wait_for "after the reboot systemd is 'running' again" 60 sd_running "$sid"
all_there "after a reboot"

expect_ok "restart" timeout 60 "$ISULA" restart -t 5 "$sid"
wait_for "after the restart systemd is 'running'" 60 sd_running "$sid"
all_there "after a restart"

stop_daemon main
start_daemon main
expect_eq "after a daemon restart the container still runs" running "$(status_of "$sid")"
all_there "after a daemon restart"
expect_eq "list-device still shows the device" "$LOOP" \
	"$("$TOOLS" list-device "$sid" | jq -r '.[0].PathOnHost')"

expect_ok "stop" timeout 60 "$ISULA" stop -t 5 "$sid"
expect_ok "after the stop the veth's host end is gone" test ! -e "/sys/class/net/hpv$$"
expect_eq "after the stop no netns pin is left" "" \
	"$(grep -F "/run/isulad-tools/netns/$sid" /proc/self/mountinfo)"
expect_ok "rm" timeout 60 "$ISULA" rm "$sid"
assert_no_leftovers main
it_finish
