#!/usr/bin/env bash
# lxcfs' cgroup v2 paths on this host's unified hierarchy (issue 17). On a hybrid host (v1
# controllers, the unified hierarchy at /sys/fs/cgroup/unified) lxcfs runs with
# LXCFS_CGROUP_V2_ONLY=1, so that it finds its controllers in the v2 tree only: there every
# cgroup has cpu.stat, cgroup.threads and the *.pressure files, whatever the controllers. Two
# "containers" (`unshare -fp` in unified cgroups of their own): an idle one and a busy one.
# Checked: /proc/stat's cpu times come from the container's cpu.stat, loadavg (-l) from the
# threads of its cgroup.threads, pressure from its cgroup; what v2 cannot tell here (memory:
# no controller enabled) stays the host's.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lxcfs_lib.sh"
it_setup

lxcfs_suite_setup
CG=$IT_CGNAME-lxv2
declare -A CPID=()

if [ "$(stat -f -c %T "$CGROOT")" = cgroup2fs ]; then
	UNI=$CGROOT
	HYBRID=no
elif [ "$(stat -f -c %T "$CGROOT/unified" 2>/dev/null)" = cgroup2fs ]; then
	UNI=$CGROOT/unified
	HYBRID=yes
	export LXCFS_CGROUP_V2_ONLY=1
else
	it_log "skip: no cgroup v2 hierarchy on this host"
	it_finish
fi

it_on_cleanup stop_lxcfs
kill_containers() {
	local p
	for p in "${CPID[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	sleep 0.2
	find "$UNI/$CG" -depth -type d -exec rmdir {} + 2>/dev/null
}
it_on_cleanup kill_containers

# ctr_start NAME CMD: a new pid namespace in unified cgroup $CG/NAME whose init runs CMD
# (started from a subshell: no job of this shell); its host pid in CPID[NAME].
ctr_start() {
	mkdir -p "$UNI/$CG/$1" || return 1
	(unshare -fp sh -c "echo 0 >$UNI/$CG/$1/cgroup.procs && cut -d' ' -f4 /proc/self/stat >$IT_TMP/pid.$1.tmp &&
		mv $IT_TMP/pid.$1.tmp $IT_TMP/pid.$1; $2" </dev/null >/dev/null 2>&1 &)
	poll 20 test -e "$IT_TMP/pid.$1" >/dev/null || return 1
	CPID[$1]=$(cat "$IT_TMP/pid.$1")
}
in_ctr() {
	local name=$1
	shift
	nsenter -t "${CPID[$name]}" -p -- "$@"
}
above() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x > y) }'; }

export LXCFS_LOADAVG_INTERVAL_MS=200
LXCFS_ARGS=-l
start_lxcfs || it_abort "lxcfs must start"
ctr_start idle "exec sleep 100000" || it_abort "the idle container did not start"
ctr_start busy "for i in 1 2; do nice -n 19 sh -c 'while :; do :; done' & done; exec sleep 100000" ||
	it_abort "the busy container did not start"

# /proc/stat: the idle container's user+system time is its cpu.stat's (next to nothing), not
# the host's.
host_busy=$(awk '$1 == "cpu" { print $2 + $4 }' /proc/stat)
idle_busy=$(in_ctr idle cat "$MNT/proc/stat" | awk '$1 == "cpu" { print $2 + $4 }')
expect_ok "stat: the idle container's user+system ticks ($idle_busy) are its cgroup's, not the host's ($host_busy)" \
	test -n "$idle_busy" -a "${idle_busy:-0}" -lt $((host_busy / 10 + 1))
expect_eq "stat keeps the host's cpu lines" "$(grep -c '^cpu[0-9]' /proc/stat)" \
	"$(in_ctr idle cat "$MNT/proc/stat" | grep -c '^cpu[0-9]')"
# (spread over the host's cpus: the sum of the cpu lines is the cgroup's time, in ticks).
busy_ticks() { in_ctr busy cat "$MNT/proc/stat" | awk '$1 == "cpu" { print $2 + $3 + $4 }'; }
wait_for "stat: the busy container has used 0.3 s of cpu (cpu.stat)" 60 \
	eval 'above "$(awk '"'"'$1 == "usage_usec" { print $2 }'"'"' "$UNI/$CG/busy/cpu.stat")" 300000'
busy_usec=$(awk '$1 == "usage_usec" { print $2 }' "$UNI/$CG/busy/cpu.stat")
t=$(busy_ticks)
expect_ok "stat: the busy container's user+nice+system ticks ($t) are its cpu.stat's ($busy_usec us)" \
	above "$t" $((busy_usec / 10000 - 3))
expect_ok "... and not the host's ($host_busy)" test "$t" -lt $((host_busy / 10 + 1))

# loadavg: the threads listed in each cgroup.threads.
wait_for "loadavg: the busy container's 1-minute load rises above 0.5" 60 \
	eval 'above "$(in_ctr busy cat "$MNT/proc/loadavg" | cut -d" " -f1)" 0.5'
expect_ok "loadavg: the idle one stays below 0.5 ($(in_ctr idle cat "$MNT/proc/loadavg"))" \
	above 0.5 "$(in_ctr idle cat "$MNT/proc/loadavg" | cut -d' ' -f1)"
expect_eq "loadavg: the idle one counts its one task" "1" \
	"$(in_ctr idle cat "$MNT/proc/loadavg" | awk '{ split($4, a, "/"); print a[2] }')"

# pressure: the container's cgroup's files.
if [ -r /proc/pressure/cpu ] && [ -r "$UNI/$CG/idle/cpu.pressure" ]; then
	c=$(in_ctr idle cat "$MNT/proc/pressure/cpu" | awk '$1 == "some" { sub("total=", "", $5); print $5 }')
	h=$(awk '$1 == "some" { sub("total=", "", $5); print $5 }' /proc/pressure/cpu)
	expect_ok "pressure/cpu: the idle container's stall total ($c) is its cgroup's, below the host's ($h)" \
		test -n "$c" -a "${c:-0}" -lt "$h"
fi

if [ "$HYBRID" = yes ]; then
	expect_eq "meminfo: no memory controller in the unified hierarchy here: the host's" \
		"$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" \
		"$(in_ctr idle cat "$MNT/proc/meminfo" | awk '$1 == "MemTotal:" { print $2 }')"
fi
expect_ok "lxcfs lives on" kill -0 "$LXCFS_PID"
stop_lxcfs
kill_containers
CPID=()
expect_eq "lxcfs ran clean under the sanitizers (if built with them)" "" \
	"$(cat "$LXDIR"/sanitizer.* 2>/dev/null | head -n 40)"
it_finish
