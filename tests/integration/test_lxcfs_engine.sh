#!/usr/bin/env bash
# lxcfs with the engine (issue 5, "With the engine"): a private isulad and our lxcfs on a mount
# point of this file's own; containers run with a hook spec whose prestart hook is
# lxcfs-toolkit, so they read their own limits from their first process on. A busybox system
# container (free, nproc, /proc/uptime, /proc/cpuinfo, the init's very first read), `isula
# update` seen at once inside, a systemd container booting with the views, and a kill -9 of
# lxcfs: the containers keep running, `umount all` brings the host's files back, a restarted
# lxcfs and `remount all` bring the view back without restarting the containers.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lxcfs_lib.sh"
it_setup

lxcfs_suite_setup

# ---------------------------------------------------------------------------- lxcfs
it_on_cleanup stop_lxcfs

start_lxcfs || it_abort "lxcfs must start"
start_daemon main || it_abort "the daemon must start"

# ------------------------------------------------------------------------ hook spec
# Hook programs must be root-owned and writable only by root: a copy of the toolkit in a
# root-owned 0755 directory, whatever the build tree's modes.
HK=$IT_TMP/hooks
mkdir -p "$HK" && chmod 0755 "$HK"
install -o root -g root -m 0755 "$TOOLKIT" "$HK/lxcfs-toolkit" || it_abort "cannot copy the toolkit"
SPEC=$HK/hookspec.json
cat >"$SPEC" <<EOF
{
	"prestart": [
		{
			"path": "$HK/lxcfs-toolkit",
			"args": ["lxcfs-toolkit", "--mount-point", "$MNT", "-g", "$GRAPH",
				"--log", "$HK/prestart.log", "prestart"],
			"env": [],
			"timeout": 4
		}
	]
}
EOF
chmod 0644 "$SPEC"

tk() { "$TOOLKIT" --mount-point "$MNT" -g "$GRAPH" "$@"; }

# ---------------------------------------------------------------- reading inside
host_memtotal=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
host_cpus=$(grep -c '^processor' /proc/cpuinfo)
in_ctr() { timeout 20 "$ISULA" exec "$1" "${@:2}" 2>&1; }
# rd NAME FILE: FILE as cat gives it inside (busybox's cat copies with sendfile(2), through
# the page cache, up to the size lxcfs reports for that reader).
rd() { in_ctr "$1" cat "$2"; }
memtotal_of() { rd "$1" /proc/meminfo | awk '/^MemTotal:/ { print $2 }'; }
cpus_of() { rd "$1" /proc/cpuinfo | grep -c '^processor'; }
# free_total NAME [-m]: the "Mem:" line's total of free inside.
free_total() { in_ctr "$1" free "${@:2}" | awk '$1 == "Mem:" { print $2 }'; }
uptime_of() { rd "$1" /proc/uptime | cut -d. -f1; }
# cpus_dirs_of NAME: the cpuN directories the container lists in /sys/devices/system/cpu.
cpu_dirs_of() { in_ctr "$1" ls /sys/devices/system/cpu | grep -E '^cpu[0-9]+$' | sort -V | tr '\n' ' ' | sed 's/ $//'; }
host_cpu_dirs=$(find /sys/devices/system/cpu -mindepth 1 -maxdepth 1 -name 'cpu[0-9]*' -printf '%f\n' | sort -V | tr '\n' ' ' | sed 's/ $//')
# A topology file that tells the host's cpus apart.
topo=topology/core_cpus_list
[ -e "/sys/devices/system/cpu/cpu0/$topo" ] || topo=topology/thread_siblings_list

# expect_limits NAME DESC MEM_KB CPUS [free]: /proc/meminfo, nproc and /proc/cpuinfo show the
# limits, and with "free" also free (procps; busybox's free asks sysinfo(2), which no FUSE
# file can change: lxc/lxcfs#263).
expect_limits() {
	local name=$1 desc=$2 kb=$3 cpus=$4
	expect_eq "$desc: /proc/meminfo MemTotal is $kb kB" "$kb" "$(memtotal_of "$name")"
	if [ "${5:-}" = free ]; then
		expect_eq "$desc: free shows a total of $kb kB" "$kb" "$(free_total "$name")"
		expect_eq "$desc: free -m shows a total of $((kb / 1024))" "$((kb / 1024))" \
			"$(free_total "$name" -m)"
	fi
	expect_eq "$desc: nproc is $cpus" "$cpus" "$(in_ctr "$name" nproc)"
	expect_eq "$desc: /proc/cpuinfo shows $cpus processor(s)" "$cpus" "$(cpus_of "$name")"
}

# expect_uptime NAME DESC: the container's own uptime, not the host's.
expect_uptime() {
	local up host
	up=$(uptime_of "$1")
	host=$(cut -d. -f1 /proc/uptime)
	if [[ "$up" =~ ^[0-9]+$ ]] && [ "$up" -lt 120 ] && [ "$up" -lt "$host" ]; then
		pass "$2: /proc/uptime is the container's ($up s, host $host s)"
	else
		fail "$2: /proc/uptime is the container's" "container: '$up'" "host: $host"
	fi
}

# ------------------------------------------------------------- busybox container
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
expect_ok "a busybox system container with -m 64m --cpuset-cpus 0 and the hook spec runs" \
	isula run -d --name bb --system-container -m 64m --cpuset-cpus 0 --hook-spec "$SPEC" \
	--external-rootfs "$BB" none sh -c 'cat /proc/meminfo | head -n 1; nproc; sleep 1000' ||
	it_abort "bb must run"
bb_pid=$(pid_of bb)
bb_first() { [ "$(isula logs bb 2>&1 | wc -l)" -ge 2 ]; }
poll 10 bb_first
expect_eq "bb's first process: its very first read of /proc/meminfo is the view" \
	"MemTotal:          65536 kB
1" "$(isula logs bb 2>&1)"
expect_match "the prestart hook logged its work" "lxcfs mounted over" \
	"$(cat "$HK/prestart.log" 2>&1)"
expect_limits bb "bb" 65536 1
expect_uptime bb "bb"
# /sys/devices/system/cpu is lxcfs' (issue 17): the container's cpus only, renumbered from 0.
bb_cpu_mount=$(in_ctr bb grep ' /sys/devices/system/cpu ' /proc/self/mountinfo)
expect_match "bb's /sys/devices/system/cpu is lxcfs' (bound by the hook)" " - fuse.lxcfs " "$bb_cpu_mount"
expect_match "... read-only" " /sys/devices/system/cpu ro," "$bb_cpu_mount"
expect_eq "bb (--cpuset-cpus 0) lists cpu0 only" "cpu0" "$(cpu_dirs_of bb)"
expect_eq "... busybox nproc --all counts 1" "1" "$(in_ctr bb nproc --all)"
expect_eq "... its cpu0/$topo is the host cpu0's" "$(cat /sys/devices/system/cpu/cpu0/$topo)" \
	"$(rd bb /sys/devices/system/cpu/cpu0/$topo)"
expect_ok "... find over the directory completes" in_ctr bb find /sys/devices/system/cpu -name uevent
# The files lxcfs serves beyond the seed's (issue 17): the container's slabinfo and pressure.
expect_match "bb's /proc/slabinfo is lxcfs' (bound by the hook)" "fuse.lxcfs" \
	"$(in_ctr bb grep ' /proc/slabinfo ' /proc/self/mountinfo)"
if [ -r /proc/pressure/cpu ]; then
	expect_match "bb's /proc/pressure/cpu is lxcfs' too" "fuse.lxcfs" \
		"$(in_ctr bb grep ' /proc/pressure/cpu ' /proc/self/mountinfo)"
	expect_match "... and reads as a pressure file" "some avg10=" "$(rd bb /proc/pressure/cpu)"
fi

# `isula update` shows at once inside (the seed's example; two CPUs if the host has them).
new_cpus=1 cpuset=0
if [ "$host_cpus" -ge 2 ]; then
	new_cpus=2 cpuset=0-1
fi
expect_ok "isula update --cpuset-cpus $cpuset --memory 128m bb" \
	isula update --cpuset-cpus "$cpuset" --memory 128m bb
expect_limits bb "bb after update" 131072 "$new_cpus"
expect_eq "bb still has the same init" "$bb_pid" "$(pid_of bb)"
if [ "$host_cpus" -ge 2 ]; then
	wait_for "bb lists cpu0 cpu1 after the update" 5 eval '[ "$(cpu_dirs_of bb)" = "cpu0 cpu1" ]'
	expect_eq "... its cpu1/$topo is the host cpu1's" "$(cat /sys/devices/system/cpu/cpu1/$topo)" \
		"$(rd bb /sys/devices/system/cpu/cpu1/$topo)"
	if [ -e /sys/devices/system/cpu/cpu1/online ]; then
		expect_fail "... its cpu1/online cannot be written (\"1\", harmless had it gone through)" \
			"Read-only file system" in_ctr bb sh -c 'echo 1 >/sys/devices/system/cpu/cpu1/online'
		expect_eq "... the host's cpu1 stays online" "1" "$(cat /sys/devices/system/cpu/cpu1/online)"
	fi
fi
# And back: the shorter texts are not padded with the longer ones' ends (busybox cat reads
# through the page cache up to the size the kernel holds).
expect_ok "isula update --cpuset-cpus 0 --memory 64m bb" isula update --cpuset-cpus 0 --memory 64m bb
expect_limits bb "bb after updating back" 65536 1
expect_eq "bb after updating back: cpuinfo ends where one processor's text ends" \
	"$(rd bb /proc/cpuinfo | wc -c)" "$(in_ctr bb sh -c 'while read -r l; do echo "$l"; done </proc/cpuinfo' | wc -c)"
isula update --cpuset-cpus "$cpuset" --memory 128m bb >/dev/null
# A CFS quota counts as ceil(quota / period) cpus (`isula update --cpu-quota`), the smaller of
# it and the cpuset winning.
if [ "$host_cpus" -ge 2 ]; then
	expect_ok "isula update --cpu-quota 50000 --cpu-period 100000 bb (half a cpu)" \
		isula update --cpu-quota 50000 --cpu-period 100000 bb
	expect_eq "bb with a quota of 0.5 cpu and a cpuset of 2: cpuinfo shows 1" "1" "$(cpus_of bb)"
	wait_for "... and it lists cpu0 only" 5 eval '[ "$(cpu_dirs_of bb)" = cpu0 ]'
	# (nproc counts the cpus of the affinity mask, which a quota leaves alone.)
	expect_eq "... and cpu/online 0" "0" "$(rd bb /sys/devices/system/cpu/online)"
	expect_ok "isula update --cpu-quota 150000 bb (1.5 cpus)" isula update --cpu-quota 150000 bb
	expect_eq "bb with a quota of 1.5 cpus: cpuinfo shows 2" "2" "$(cpus_of bb)"
	expect_ok "isula update --cpu-quota -1 bb (no quota)" isula update --cpu-quota -1 bb
fi

# ------------------------------------------------------------- systemd container
SD=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
sd_running() { [ "$(in_ctr sd systemctl is-system-running)" = running ]; }
expect_ok "a systemd system container with -m 256m --cpuset-cpus 0 and the hook spec runs" \
	isula run -tid --name sd --system-container -m 256m --cpuset-cpus 0 --hook-spec "$SPEC" \
	--external-rootfs "$SD" none init
wait_for "systemd boots to 'running' with the views" 60 sd_running ||
	it_log "failed units: $(in_ctr sd systemctl --failed --no-legend | head -n 5)"
expect_limits sd "sd" 262144 1 free
expect_uptime sd "sd"
expect_eq "sd (--cpuset-cpus 0) lists cpu0 only" "cpu0" "$(cpu_dirs_of sd)"
sd_pid=$(pid_of sd)

# ------------------------------------------------------------------- lxcfs killed
kill_lxcfs KILL
expect_eq "after kill -9 of lxcfs: bb still runs" running "$(status_of bb)"
expect_eq "after kill -9 of lxcfs: sd still runs" running "$(status_of sd)"
expect_ok "after kill -9 of lxcfs: exec in bb works" isula exec bb true
expect_ok "after kill -9 of lxcfs: exec in sd works" isula exec sd true
expect_fail "the dead view fails reads (ENOTCONN) until it is unmounted" \
	"Transport endpoint is not connected" isula exec bb head -n 1 /proc/meminfo
expect_ok "lxcfs-toolkit umount all with lxcfs dead" tk umount all
expect_eq "... covers both containers" 2 "$(grep -c 'lxcfs unmounted from' <<<"$LAST_OUT")"
expect_eq "bb reads the host's MemTotal again" "$host_memtotal" "$(memtotal_of bb)"
expect_eq "bb reads the host's $host_cpus processors again" "$host_cpus" "$(cpus_of bb)"
expect_eq "bb lists the host's cpu directories again" "$host_cpu_dirs" "$(cpu_dirs_of bb)"
expect_eq "sd reads the host's MemTotal again" "$host_memtotal" "$(memtotal_of sd)"
expect_eq "free -m in sd shows the host's total" "$(free -m | awk '$1 == "Mem:" { print $2 }')" \
	"$(free_total sd -m)"

# A new lxcfs takes over the dead mount point by itself.
start_lxcfs || it_abort "lxcfs must restart on the same mount point"
expect_ok "lxcfs-toolkit remount all after the restart" tk remount all
expect_eq "... covers both containers" 2 "$(grep -c 'lxcfs mounted over' <<<"$LAST_OUT")"
expect_limits bb "bb after restart + remount all" 131072 "$new_cpus"
expect_eq "bb lists its cpus again" "$(seq 0 $((new_cpus - 1)) | sed 's/^/cpu/' | tr '\n' ' ' | sed 's/ $//')" \
	"$(cpu_dirs_of bb)"
expect_limits sd "sd after restart + remount all" 262144 1 free
expect_eq "bb was not restarted (same pid)" "$bb_pid" "$(pid_of bb)"
expect_eq "sd was not restarted (same pid)" "$sd_pid" "$(pid_of sd)"
expect_ok "sd's systemd still answers" in_ctr sd systemctl is-system-running

# A container started while lxcfs is up again gets the view from its first read, too. Its
# cpuset is the host's last cpu: its cpu0 is that cpu's directory.
last=$((host_cpus - 1))
expect_ok "a second busybox container with the hook spec and --cpuset-cpus $last runs" \
	isula run -d --name bb2 -m 64m --cpuset-cpus "$last" --hook-spec "$SPEC" \
	--external-rootfs "$BB" none sh -c 'head -n 1 /proc/meminfo; sleep 1000'
bb2_first() { [ -n "$(isula logs bb2 2>&1)" ]; }
poll 10 bb2_first
expect_eq "bb2's first read of /proc/meminfo is the view" "MemTotal:          65536 kB" \
	"$(isula logs bb2 2>&1)"
expect_eq "bb2 lists cpu0 only" "cpu0" "$(cpu_dirs_of bb2)"
expect_eq "... its cpu0/$topo is the host cpu$last's" "$(cat /sys/devices/system/cpu/cpu$last/$topo)" \
	"$(rd bb2 /sys/devices/system/cpu/cpu0/$topo)"

# ------------------------------------------------------------------------- cleanup
expect_ok "rm -f the containers with their views" isula rm -f bb bb2 sd
stop_lxcfs
expect_eq "lxcfs is unmounted" "" "$(findmnt -n -o TARGET "$MNT")"
reports=$(cat "$LXDIR"/sanitizer.* 2>/dev/null | head -n 40)
expect_eq "lxcfs ran clean under the sanitizers (if built with them)" "" "$reports"
assert_no_leftovers
it_finish
