#!/usr/bin/env bash
# lxcfs-toolkit against busybox containers of a private isulad and a private lxcfs on a mount
# point of this file's own: remount/umount of one container and of all, the views are slaves
# (never shared) and leak nothing to the host, a killed lxcfs (containers keep running,
# `umount all` brings the host's files back, `remount all` after a restart brings the view
# back), a --user-remap container, `prestart` driven with an OCI state on stdin and as a liblxc
# start-host hook, rollback when one mount fails, and the errors for bad input.
#
# lxcfs: $LXCFS_BIN if set, else build/bin/lxcfs when it has been built, else Debian's
# /usr/bin/lxcfs (both serve the same proc/... files, and sys/devices/system/cpu with cpuN
# directories: the toolkit mounts that directory whole; from an lxcfs that serves only its
# online file, that file).
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lxcfs_lib.sh"
it_setup
TOOLKIT=$BIN/lxcfs-toolkit
[ -x "$TOOLKIT" ] || it_abort "build first: no $TOOLKIT"
if [ -z "${LXCFS_BIN:-}" ]; then
	LXCFS_BIN=/usr/bin/lxcfs
	[ -x "$BIN/lxcfs" ] && LXCFS_BIN=$BIN/lxcfs
fi
[ -x "$LXCFS_BIN" ] || it_abort "no lxcfs binary at $LXCFS_BIN (apt-get install lxcfs)"
it_log "lxcfs: $LXCFS_BIN"

LXDIR=$IT_TMP/lxcfs
MNT=$LXDIR/mnt
export LXCFS_MOUNT_POINT=$MNT

# The lxcfs mount point sits in a shared mount, as under systemd's shared /: the views cloned
# from it start out shared, so the toolkit has to make them slaves.
mkdir -p "$MNT"
mount --bind "$LXDIR" "$LXDIR" && mount --make-shared "$LXDIR" ||
	it_abort "cannot make $LXDIR a shared mount"

start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

tk() { "$TOOLKIT" -g "$GRAPH" "$@"; }

# ------------------------------------------------------------------ reading the views
host_memtotal=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
host_cpus=$(grep -c '^processor' /proc/cpuinfo)
in_ctr() { isula exec "$1" cat "$2" 2>&1; }
memtotal_of() { in_ctr "$1" /proc/meminfo | awk '/^MemTotal:/ { print $2 }'; }
cpus_of() { in_ctr "$1" /proc/cpuinfo | grep -c '^processor'; }
# The container's FUSE mounts (lxcfs views), as its init's mountinfo shows them.
views_of() { grep ' - fuse' "/proc/$(pid_of "$1")/mountinfo"; }
nviews_of() { views_of "$1" | grep -c .; }
host_mounts_under_lxdir() { grep -cF " $LXDIR" /proc/self/mountinfo; }

# expect_view NAME DESC: the container reads its own limits (64 MiB, one CPU).
expect_view() {
	expect_eq "$2: MemTotal is the 64 MiB limit" 65536 "$(memtotal_of "$1")"
	expect_eq "$2: /proc/cpuinfo shows one processor" 1 "$(cpus_of "$1")"
}
# expect_host NAME DESC: the container reads the host's files.
expect_host() {
	expect_eq "$2: MemTotal is the host's" "$host_memtotal" "$(memtotal_of "$1")"
	expect_eq "$2: /proc/cpuinfo shows the host's $host_cpus processors" "$host_cpus" \
		"$(cpus_of "$1")"
	expect_eq "$2: no lxcfs views mounted" 0 "$(nviews_of "$1")"
}

# ------------------------------------------------------------------------- check-lxcfs
expect_fail "check-lxcfs without lxcfs: exit 1, names the mount point" \
	"lxcfs is not ready: lxcfs is not mounted on $MNT" "$TOOLKIT" check-lxcfs
start_lxcfs || it_abort "lxcfs must start"
expect_ok "check-lxcfs with lxcfs running" "$TOOLKIT" check-lxcfs
expect_eq "check-lxcfs says so" "lxcfs is running" "$LAST_OUT"
expect_ok "--mount-point overrides LXCFS_MOUNT_POINT" \
	env LXCFS_MOUNT_POINT=/nonexistent "$TOOLKIT" --mount-point "$MNT" check-lxcfs
expect_fail "LXCFS_MOUNT_POINT is honoured" "lxcfs is not mounted on /nonexistent" \
	env LXCFS_MOUNT_POINT=/nonexistent "$TOOLKIT" check-lxcfs

# How many of the files lxcfs serves the toolkit puts over a container's own.
nserved=0
# (those of the container's /proc that exist: pressure/* only with PSI).
for f in cpuinfo meminfo stat diskstats partitions swaps uptime loadavg slabinfo pressure/cpu \
	pressure/memory pressure/io; do
	[ -e "$MNT/proc/$f" ] && [ -e "/proc/$f" ] && nserved=$((nserved + 1))
done
# (the cpu directory whole, or its online file alone: one mount either way)
[ -e "$MNT/sys/devices/system/cpu/online" ] && nserved=$((nserved + 1))
it_log "lxcfs serves $nserved of the 13 files"
CPU_DIR=no
[ -e "$MNT/sys/devices/system/cpu/cpu0" ] && CPU_DIR=yes
# The cpuN a container lists: ours its cpuset's, Debian's lxcfs 5.0.3 every host cpu.
host_cpu_dirs=$(find /sys/devices/system/cpu -mindepth 1 -maxdepth 1 -name 'cpu[0-9]*' -printf '%f\n' | sort -V | tr '\n' ' ' | sed 's/ $//')
one_cpu=cpu0
[ -d "$MNT/.views" ] || one_cpu=$host_cpu_dirs
it_log "lxcfs serves cpuN directories in sys/devices/system/cpu: $CPU_DIR"
cpu_dirs_of() { isula exec "$1" ls /sys/devices/system/cpu 2>&1 | grep -E '^cpu[0-9]+$' | sort -V | tr '\n' ' ' | sed 's/ $//'; }
# The lxcfs mounts on the container's cpu directory and on its online file.
cpu_mounts_of() {
	echo "dir:$(views_of "$1" | awk '$5 == "/sys/devices/system/cpu"' | grep -c .)" \
		"online:$(views_of "$1" | awk '$5 == "/sys/devices/system/cpu/online"' | grep -c .)"
}

# ---------------------------------------------------------------- remount / umount ID
isula run -d --name tk1 -m 64m --cpuset-cpus 0 --external-rootfs "$BB" none sleep 1000 \
	>/dev/null || it_abort "tk1 must run"
isula run -d --name tk2 -m 64m --cpuset-cpus 0 --external-rootfs "$BB" none sleep 1000 \
	>/dev/null || it_abort "tk2 must run"
tk1_id=$(ifield tk1 '{{.Id}}')
expect_host tk1 "before remount"

host_before=$(host_mounts_under_lxdir)
expect_ok "remount tk1 (by name)" tk remount tk1
expect_eq "remount reports the files mounted" \
	"container ${tk1_id:0:12}: lxcfs mounted over $nserved files" "$LAST_OUT"
expect_view tk1 "after remount tk1"
expect_eq "after remount tk1: /sys/devices/system/cpu/online is the cpuset" 0 \
	"$(in_ctr tk1 /sys/devices/system/cpu/online)"
if [ "$CPU_DIR" = yes ]; then
	expect_eq "after remount tk1: its cpu directory is lxcfs', not its online file alone" \
		"dir:1 online:0" "$(cpu_mounts_of tk1)"
	expect_eq "... it lists its one cpu (cpuset 0): $one_cpu" "$one_cpu" "$(cpu_dirs_of tk1)"
	expect_eq "... busybox nproc --all counts them" "$(wc -w <<<"$one_cpu")" \
		"$(isula exec tk1 nproc --all 2>&1)"
	expect_eq "... cpu0/topology/core_id is the host cpu0's" \
		"$(cat /sys/devices/system/cpu/cpu0/topology/core_id)" \
		"$(in_ctr tk1 /sys/devices/system/cpu/cpu0/topology/core_id)"
	expect_match "... the directory is mounted read-only" " /sys/devices/system/cpu ro," \
		"$(views_of tk1)"
	expect_fail "... nothing under it can be written" "Read-only file system" \
		isula exec tk1 sh -c 'echo 1 >/sys/devices/system/cpu/cpu0/uevent'
else
	expect_eq "after remount tk1: its online file is lxcfs'" "dir:0 online:1" "$(cpu_mounts_of tk1)"
fi
up=$(in_ctr tk1 /proc/uptime | cut -d. -f1)
[ -n "$up" ] && [ "$up" -lt 120 ] && pass "after remount tk1: /proc/uptime counts from the container's start ($up s)" ||
	fail "after remount tk1: /proc/uptime counts from the container's start" "uptime: '$up'" \
		"host: $(cut -d' ' -f1 /proc/uptime)"
expect_eq "after remount tk1: one view per served file" "$nserved" "$(nviews_of tk1)"
views=$(views_of tk1)
# Our lxcfs serves each container's files from its init's view; Debian's has no .views.
if [ -d "$MNT/.views" ]; then
	expect_match "the views are over the container's /proc files, from its init's view" \
		" /.views/$(pid_of tk1)/proc/meminfo /proc/meminfo " "$views"
else
	expect_match "the views are over the container's /proc files" " /proc/meminfo /proc/meminfo " "$views"
fi
if grep -q 'shared:' <<<"$views"; then
	fail "no view has shared propagation" "$views"
else
	pass "no view has shared propagation"
fi
expect_eq "every view is a slave of the host's lxcfs mount" "$nserved" "$(grep -c ' master:' <<<"$views")"
expect_eq "nothing mounted in the container shows up on the host" "$host_before" \
	"$(host_mounts_under_lxdir)"
expect_host tk2 "tk2 untouched by remount tk1"

expect_ok "remount tk1 again" tk remount "${tk1_id:0:8}"
expect_eq "a second remount replaces the views instead of stacking them" "$nserved" \
	"$(nviews_of tk1)"
expect_view tk1 "after a second remount"

# A container whose online file a toolkit before the cpu directory mounted (that file alone,
# over the container's sysfs): remount puts the directory in its place, umount takes it off.
# The old layout is made in the container: the view's directory is moved aside, its online
# file bound over sysfs', the directory unmounted.
old_layout() {
	nsenter -t "$(pid_of tk1)" -m sh -c 'mkdir -p /tmp/lx-old &&
		mount --bind /sys/devices/system/cpu /tmp/lx-old &&
		umount /sys/devices/system/cpu &&
		mount --bind /tmp/lx-old/online /sys/devices/system/cpu/online &&
		umount /tmp/lx-old' 2>&1
}
if [ "$CPU_DIR" = yes ]; then
	expect_ok "the old layout is made in tk1" old_layout
	expect_eq "... online alone is lxcfs'" "dir:0 online:1" "$(cpu_mounts_of tk1)"
	expect_eq "... and tk1 lists the host's cpus" "$host_cpu_dirs" "$(cpu_dirs_of tk1)"
	expect_ok "remount tk1 over the old layout" tk remount tk1
	expect_eq "... the directory replaces the online file" "dir:1 online:0" "$(cpu_mounts_of tk1)"
	expect_eq "... one view per served file" "$nserved" "$(nviews_of tk1)"
	expect_eq "... $one_cpu" "$one_cpu" "$(cpu_dirs_of tk1)"
	expect_eq "... and online is still the cpuset's" 0 "$(in_ctr tk1 /sys/devices/system/cpu/online)"
	expect_ok "the old layout again" old_layout
	expect_ok "umount tk1 over the old layout" tk umount tk1
	expect_eq "... takes off every view, the online file too" 0 "$(nviews_of tk1)"
	expect_ok "remount tk1 for what follows" tk remount tk1
fi

expect_ok "umount tk1 (by ID)" tk umount "$tk1_id"
expect_eq "umount reports the files unmounted" \
	"container ${tk1_id:0:12}: lxcfs unmounted from $nserved files" "$LAST_OUT"
expect_host tk1 "after umount tk1"
expect_ok "umount of a container without views" tk umount tk1
expect_eq "... unmounts nothing" "container ${tk1_id:0:12}: lxcfs unmounted from 0 files" "$LAST_OUT"

expect_ok "remount with --container-id twice (-c)" tk remount -c tk1 --container-id tk2
expect_eq "... one line per container" 2 "$(grep -c 'lxcfs mounted over' <<<"$LAST_OUT")"
expect_view tk2 "tk2 after remount -c"
expect_ok "umount --all" tk umount --all
expect_host tk1 "tk1 after umount --all"
expect_host tk2 "tk2 after umount --all"

# ---------------------------------------------------------------------- remount all
expect_ok "remount all" tk remount all
expect_eq "remount all covers both containers" 2 "$(grep -c 'lxcfs mounted over' <<<"$LAST_OUT")"
expect_view tk1 "tk1 after remount all"
expect_view tk2 "tk2 after remount all"

# ------------------------------------------------------------------- lxcfs killed
kill_lxcfs KILL
expect_eq "after kill -9 of lxcfs: tk1 still runs" running "$(status_of tk1)"
expect_ok "after kill -9 of lxcfs: exec in tk1 works" isula exec tk1 true
expect_fail "after kill -9 of lxcfs: the dead view fails reads (ENOTCONN)" \
	"Transport endpoint is not connected" isula exec tk1 cat /proc/meminfo
expect_fail "check-lxcfs: lxcfs is dead" "lxcfs on $MNT is not running" "$TOOLKIT" check-lxcfs
expect_fail "remount all with a dead lxcfs fails" "lxcfs on $MNT is not running" tk remount all
expect_eq "... and leaves the views alone" "$nserved" "$(nviews_of tk1)"
expect_ok "umount all with a dead lxcfs" tk umount all
expect_host tk1 "tk1 after umount all (dead lxcfs)"
expect_host tk2 "tk2 after umount all (dead lxcfs)"
expect_eq "tk1 still runs" running "$(status_of tk1)"

clear_mount_point
start_lxcfs || it_abort "lxcfs must restart"
expect_ok "remount all after the restart" tk remount all
expect_view tk1 "tk1 after restart + remount all"
expect_view tk2 "tk2 after restart + remount all"

# A kill with views still mounted, then umount of one container by name.
kill_lxcfs KILL
expect_ok "umount tk2 alone with a dead lxcfs" tk umount tk2
expect_host tk2 "tk2 after umount tk2 (dead lxcfs)"
expect_ok "umount tk1 with a dead lxcfs" tk umount tk1
clear_mount_point
start_lxcfs || it_abort "lxcfs must restart"

# A system container with --user-remap: its mount namespace belongs to its own user namespace.
SHIFT=$BIN/../test-tools/shift-rootfs
if [ -x "$SHIFT" ]; then
	chmod 0711 "$IT_TMP" # the mapped root must reach the engine's directories
	BBR=$(copy_rootfs busybox open) && "$SHIFT" "$BBR" 100000 100000 >/dev/null 2>&1 &&
		isula run -d --name tkremap --system-container --user-remap 100000:100000:65535 \
			-m 64m --cpuset-cpus 0 --external-rootfs "$BBR" none sleep 1000 >/dev/null ||
		fail "a --user-remap container runs" "$(tail -n 3 "$LCR"/*/lxc.log 2>/dev/null)"
	expect_ok "remount of a --user-remap container" tk remount tkremap
	expect_view tkremap "tkremap after remount"
	expect_ok "umount of a --user-remap container" tk umount tkremap
	expect_host tkremap "tkremap after umount"
	isula rm -f tkremap >/dev/null
else
	fail "build first: no $SHIFT (needed for the --user-remap case)"
fi

# ------------------------------------------------------------------------- prestart
isula run -d --name tk3 -m 64m --cpuset-cpus 0 --external-rootfs "$BB" none sleep 1000 \
	>/dev/null || it_abort "tk3 must run"
tk3_id=$(ifield tk3 '{{.Id}}')
tk3_pid=$(pid_of tk3)
state="{\"ociVersion\":\"1.0.2\",\"id\":\"$tk3_id\",\"status\":\"created\",\"pid\":$tk3_pid,\"bundle\":\"$LCR/$tk3_id\",\"annotations\":{}}"
expect_host tk3 "tk3 before prestart"
expect_ok "prestart with the OCI state on stdin" sh -c 'printf %s "$1" | "$2" prestart' _ \
	"$state" "$TOOLKIT"
expect_view tk3 "tk3 after prestart"
expect_eq "tk3 after prestart: one view per served file" "$nserved" "$(nviews_of tk3)"
if views_of tk3 | grep -q 'shared:'; then
	fail "prestart's views are not shared" "$(views_of tk3)"
else
	pass "prestart's views are not shared"
fi
expect_ok "prestart --log FILE appends its messages" sh -c \
	'printf %s "$1" | "$2" --log "$3" prestart' _ "$state" "$TOOLKIT" "$IT_TMP/tk.log"
expect_match "... the log names the container" "prestart: container ${tk3_id:0:12}" \
	"$(cat "$IT_TMP/tk.log" 2>&1)"
expect_eq "prestart twice does not stack views" "$nserved" "$(nviews_of tk3)"
tk umount tk3 >/dev/null
expect_ok "prestart with a \"root\" (a hook run before the container's pivot)" sh -c \
	'printf "{\"pid\":%s,\"root\":\"/\"}" "$1" | "$2" prestart' _ "$tk3_pid" "$TOOLKIT"
expect_view tk3 "tk3 after prestart with root"

# As a liblxc start-host hook (the moment the engine runs OCI prestart hooks: namespaces and
# rootfs set up, init not yet started), the init's very first read is the container's view.
LXP=$IT_TMP/lxc
mkdir -p "$LXP/tkhook"
printf '#!/bin/sh\nhead -n 1 /proc/meminfo >/first-read; grep -c ^processor /proc/cpuinfo >>/first-read\n' \
	>"$BB/first-read.sh"
chmod +x "$BB/first-read.sh"
cat >"$LXP/hook.sh" <<EOF
#!/bin/sh
printf '{"ociVersion":"1.0.2","id":"tkhook","status":"created","pid":%s}' "\$LXC_PID" |
	"$TOOLKIT" --mount-point "$MNT" --log "$LXP/hook.log" prestart
EOF
chmod +x "$LXP/hook.sh"
if [ -d "$CGROOT/memory" ]; then
	limits="lxc.cgroup.memory.limit_in_bytes = 64M
lxc.cgroup.cpuset.cpus = 0"
else
	limits="lxc.cgroup2.memory.max = 64M
lxc.cgroup2.cpuset.cpus = 0"
fi
cat >"$LXP/tkhook/config" <<EOF
lxc.uts.name = tkhook
lxc.rootfs.path = dir:$BB
lxc.mount.auto = proc:mixed sys:ro
lxc.net.0.type = empty
lxc.cgroup.dir = $IT_CGNAME-lxc
$limits
lxc.hook.start-host = $LXP/hook.sh
lxc.init.cmd = /first-read.sh
lxc.log.file = $LXP/lxc.log
EOF
rm -f "$BB/first-read"
expect_ok "a liblxc container with the toolkit as its start-host hook runs" \
	timeout 30 lxc-start -P "$LXP" -n tkhook -F
expect_eq "its init's first read of /proc/meminfo and /proc/cpuinfo is the view" \
	"MemTotal:          65536 kB
1" "$(cat "$BB/first-read" 2>&1)"
expect_match "the hook logged its work" "prestart: container tkhook" "$(cat "$LXP/hook.log" 2>&1)"

kill_lxcfs KILL
expect_ok "prestart with a dead lxcfs: the container still starts (exit 0)" sh -c \
	'printf %s "$1" | "$2" prestart' _ "$state" "$TOOLKIT"
expect_match "... with a warning naming the cause" "starts without lxcfs views" "$LAST_OUT"
tk umount all >/dev/null
clear_mount_point
start_lxcfs || it_abort "lxcfs must restart"

# ------------------------------------------------------------- skipping and rollback
tk2_pid=$(pid_of tk2)
if [ "$CPU_DIR" = yes ]; then
	# Inside tk2, an empty tmpfs over /sys/devices/system: the container has no cpu directory.
	nsenter -t "$tk2_pid" -m mount -t tmpfs tk-test /sys/devices/system
	expect_ok "remount when the container lacks a target" tk remount tk2
	expect_match "... skips it and says so" \
		"lxcfs mounted over $((nserved - 1)) files (not in the container: sys/devices/system/cpu)" \
		"$LAST_OUT"
	expect_view tk2 "tk2 without a cpu directory"
	tk umount tk2 >/dev/null
	# A file where the cpu directory goes: that mount fails, the earlier ones are undone.
	nsenter -t "$tk2_pid" -m touch /sys/devices/system/cpu
	expect_fail "remount when a mount fails: exit 1, names the target" \
		"cannot mount the lxcfs view on /sys/devices/system/cpu: it is not a directory" \
		tk remount tk2
	expect_host tk2 "after the failed remount the earlier views are rolled back"
	nsenter -t "$tk2_pid" -m umount /sys/devices/system
elif [ -e "$MNT/sys/devices/system/cpu/online" ]; then
	# Inside tk2, an empty tmpfs over /sys/devices/system/cpu: the container has no cpu/online.
	nsenter -t "$tk2_pid" -m mount -t tmpfs tk-test /sys/devices/system/cpu
	expect_ok "remount when the container lacks a target" tk remount tk2
	expect_match "... skips it and says so" \
		"lxcfs mounted over $((nserved - 1)) files (not in the container: sys/devices/system/cpu/online)" \
		"$LAST_OUT"
	expect_view tk2 "tk2 without cpu/online"
	tk umount tk2 >/dev/null
	# A directory where the last file goes: that mount fails, the earlier ones are undone.
	nsenter -t "$tk2_pid" -m mkdir /sys/devices/system/cpu/online
	expect_fail "remount when the last mount fails: exit 1, names the target" \
		"cannot mount the lxcfs view on /sys/devices/system/cpu/online: it is a directory" \
		tk remount tk2
	expect_host tk2 "after the failed remount the earlier views are rolled back"
	nsenter -t "$tk2_pid" -m umount /sys/devices/system/cpu
else
	fail "lxcfs serves sys/devices/system/cpu/online (needed for the rollback test)"
fi

# ------------------------------------------------------------------------ bad input
expect_fail "unknown command" 'unknown command "frob"; expected one of: remount, umount' \
	"$TOOLKIT" frob
expect_fail "no command" "no command given" "$TOOLKIT"
expect_fail "unknown global flag" "unknown flag: --bogus" "$TOOLKIT" --bogus check-lxcfs
expect_fail "unknown remount flag" "unknown flag: --bogus" tk remount --bogus tk1
expect_fail "remount without a container" "you must choose at least one container" tk remount
expect_fail "umount without a container" "you must choose at least one container" tk umount
expect_fail "all and an ID together" 'give either "all" or container IDs, not both' \
	tk remount all tk1
expect_fail "unknown container" "No such container: nosuch" tk remount nosuch
expect_fail "one unknown container among known ones" "No such container: nosuch" \
	tk remount tk1 nosuch
expect_host tk1 "... and the known one is left alone"
expect_fail "-c without a value" "flag needs an argument" tk remount -c
isula run -d --name tkstopped --external-rootfs "$BB" none true >/dev/null
wait_for "tkstopped exits" 10 is_status tkstopped exited
expect_fail "remount of a stopped container" "container tkstopped is not running" \
	tk remount tkstopped
expect_fail "umount of a stopped container" "container tkstopped is not running" \
	tk umount tkstopped
expect_fail "an engine root without containers" \
	"cannot read the engine's containers in /nonexistent-graph/engines/lcr" \
	"$TOOLKIT" -g /nonexistent-graph umount all
expect_fail "remount with lxcfs not mounted there: names the mount point" \
	"lxcfs is not mounted on $IT_TMP" "$TOOLKIT" -g "$GRAPH" --mount-point "$IT_TMP" remount tk1
expect_host tk1 "... and tk1 is left alone"
expect_fail "check-lxcfs takes no arguments" 'takes no arguments, got "x"' \
	"$TOOLKIT" check-lxcfs x
expect_fail "prestart with nothing on stdin" "no container state on stdin" \
	sh -c '"$1" prestart </dev/null' _ "$TOOLKIT"
expect_fail "prestart with a state that is not JSON" "bad container state on stdin: not JSON" \
	sh -c 'echo "pid: 3" | "$1" prestart' _ "$TOOLKIT"
expect_fail "prestart without a pid" '"pid" must be a positive integer' \
	sh -c 'echo "{\"id\":\"x\"}" | "$1" prestart' _ "$TOOLKIT"
expect_fail "prestart for a host process" "shares the host's mount namespace" \
	sh -c 'echo "{\"id\":\"x\",\"pid\":$$}" | "$1" prestart' _ "$TOOLKIT"
expect_fail "prestart for a pid that is gone" "no such process" \
	sh -c 'echo "{\"pid\":$2}" | "$1" prestart' _ "$TOOLKIT" \
	"$(cat /proc/sys/kernel/pid_max)"
expect_eq "the host's /proc/meminfo is untouched" "$host_memtotal" \
	"$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"

# ------------------------------------------------------------------------- cleanup
expect_ok "rm -f the containers with their views" isula rm -f tk1 tk2 tk3 tkstopped
stop_lxcfs
umount "$LXDIR" 2>/dev/null
assert_no_leftovers
it_finish
