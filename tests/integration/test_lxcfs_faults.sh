#!/usr/bin/env bash
# lxcfs under faults (issue 17): 1000 concurrent readers across 100 containers each see their
# own container; a container's cgroup removed while its processes read (the reads go on, lxcfs
# too, and other containers are unaffected); lxcfs killed with 1000 reads in flight and
# restarted, after which every container sees its view again. lxcfs runs with -l (the load
# sampler follows the cgroups that vanish). "Containers" are `unshare -fp` processes in test
# cgroups; readers enter their pid namespace with nsenter.
# it-timeout: 720
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lxcfs_lib.sh"
it_setup

lxcfs_suite_setup
CG=$IT_CGNAME-lxf
NCTR=100
declare -A CPID=() # container number -> host pid of its init

it_on_cleanup stop_lxcfs
kill_containers() {
	local p
	for p in "${CPID[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
}
it_on_cleanup kill_containers

unified() { [ "$(stat -f -c %T "$CGROOT")" = cgroup2fs ]; }
# Controllers a container joins on a v1 host.
V1CTRLS="memory cpu cpuacct"

# cg_make PATH MEM_BYTES: a memory-limited cgroup.
cg_make() {
	if unified; then
		echo "+memory" >"$CGROOT/cgroup.subtree_control" 2>/dev/null
		mkdir -p "$CGROOT/$1" || return 1
		echo "+memory" >"$CGROOT/$(dirname "$1")/cgroup.subtree_control" 2>/dev/null
		echo "$2" >"$CGROOT/$1/memory.max"
		return
	fi
	local c
	for c in $V1CTRLS; do
		mkdir -p "$CGROOT/$c/$1" || return 1
	done
	echo "$2" >"$CGROOT/memory/$1/memory.limit_in_bytes"
}

cg_join_cmd() {
	if unified; then
		echo "echo 0 >$CGROOT/$1/cgroup.procs;"
		return
	fi
	local c
	for c in $V1CTRLS; do
		echo "echo 0 >$CGROOT/$c/$1/cgroup.procs;"
	done
}

# ctr_start N: container N in cgroup $CG/cN with a limit of (64 + N) MiB. Started from a
# subshell, so that it is no job of this shell (`wait` does not wait for it); its init writes
# its host pid (the host's /proc names it, as cut's parent).
ctr_start() {
	local n=$1
	cg_make "$CG/c$n" $(((64 + n) << 20)) || return 1
	(unshare -fp sh -c "$(cg_join_cmd "$CG/c$n") cut -d' ' -f4 /proc/self/stat >$IT_TMP/pid.$n.tmp &&
		mv $IT_TMP/pid.$n.tmp $IT_TMP/pid.$n; exec sleep 100000" </dev/null >/dev/null 2>&1 &)
	poll 20 test -e "$IT_TMP/pid.$n" >/dev/null || return 1
	CPID[$n]=$(cat "$IT_TMP/pid.$n")
	[ -n "${CPID[$n]}" ] && kill -0 "${CPID[$n]}"
}

field() { awk -v k="$1:" '$1 == k { print $2; exit }'; }

# read_all TAG: 10 concurrent reads in each container (4 meminfo, 2 cpuinfo, 2 stat,
# 2 loadavg), into $IT_TMP/TAG/N.K.
read_all() {
	local dir=$IT_TMP/$1 n k f pids=()
	rm -rf "$dir" && mkdir -p "$dir"
	for n in "${!CPID[@]}"; do
		for k in 0 1 2 3 4 5 6 7 8 9; do
			case $k in 0 | 1 | 2 | 3) f=meminfo ;; 4 | 5) f=cpuinfo ;; 6 | 7) f=stat ;; *) f=loadavg ;; esac
			nsenter -t "${CPID[$n]}" -p timeout 60 cat "$MNT/proc/$f" >"$dir/$n.$k.$f" 2>&1 &
			pids+=($!)
		done
	done
	wait "${pids[@]}"
}

# own_view TAG: the number of meminfo reads that showed their own container's limit.
own_view() {
	local n k hits=0
	for n in "${!CPID[@]}"; do
		for k in 0 1 2 3; do
			[ "$(field MemTotal <"$IT_TMP/$1/$n.$k.meminfo")" = $(((64 + n) * 1024)) ] && hits=$((hits + 1))
		done
	done
	echo "$hits"
}

export LXCFS_LOADAVG_INTERVAL_MS=200
LXCFS_ARGS=-l
start_lxcfs || it_abort "lxcfs must start"

for n in $(seq 1 $NCTR); do
	ctr_start "$n" || it_abort "container $n did not start"
done
pass "$NCTR containers started, each in a cgroup of its own"

# --------------------------------------------------------- 1000 concurrent readers
read_all conc
expect_eq "1000 concurrent reads across $NCTR containers: none failed" "" \
	"$(grep -l -E 'cat:|No such|not connected|nsenter' "$IT_TMP"/conc/* 2>/dev/null | head -n 3)"
expect_eq "... none empty" "0" "$(find "$IT_TMP/conc" -type f -empty | wc -l)"
expect_eq "... every meminfo read showed its own container's MemTotal" "$((NCTR * 4))" "$(own_view conc)"
expect_eq "... every loadavg read has the kernel's format" "$((NCTR * 2))" \
	"$(cat "$IT_TMP"/conc/*.loadavg | grep -cE '^[0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+\.[0-9]{2} [0-9]+/[0-9]+ [0-9]+$')"
expect_ok "lxcfs survived them" kill -0 "$LXCFS_PID"

# ------------------------------------------------------ a cgroup vanishes mid-read
# Container 1's processes leave its cgroup, which is removed, while 300 reads of its files run.
victim=${CPID[1]}
nsenter -t "$victim" -p sh -c "for i in \$(seq 100); do
	cat $MNT/proc/meminfo $MNT/proc/loadavg $MNT/proc/stat >/dev/null || echo FAILED; done" \
	>"$IT_TMP/vanish.out" 2>&1 &
readers=$!
sleep 0.2
if unified; then
	echo "$victim" >"$CGROOT/$CG/cgroup.procs"
	rmdir "$CGROOT/$CG/c1"
else
	for c in $V1CTRLS; do
		echo "$victim" >"$CGROOT/$c/$CG/cgroup.procs"
		rmdir "$CGROOT/$c/$CG/c1"
	done
fi
expect_ok "container 1's cgroup is gone" test ! -d "$CGROOT/memory/$CG/c1" -a ! -d "$CGROOT/$CG/c1"
wait "$readers"
expect_eq "its 300 reads while the cgroup went: none failed" "" "$(cat "$IT_TMP/vanish.out")"
expect_eq "after: it sees the host's MemTotal (its parent has no limit)" \
	"$(field MemTotal </proc/meminfo)" "$(nsenter -t "$victim" -p cat "$MNT/proc/meminfo" | field MemTotal)"
expect_eq "... and its loadavg still reads" "1" \
	"$(nsenter -t "$victim" -p cat "$MNT/proc/loadavg" | grep -cE '^[0-9]+\.[0-9]{2} ')"
expect_eq "container 2 is unaffected" "$((66 * 1024))" \
	"$(nsenter -t "${CPID[2]}" -p cat "$MNT/proc/meminfo" | field MemTotal)"
expect_ok "lxcfs survived it" kill -0 "$LXCFS_PID"
kill -KILL "$victim"
unset "CPID[1]"

# --------------------------------------------------- killed with reads in flight
(read_all killed) &
flood=$!
# Killed once a hundred reads are done: the others are being started or in flight.
poll 120 sh -c "[ \$(find $IT_TMP/killed -type f -size +0 2>/dev/null | wc -l) -ge 100 ]" >/dev/null
kill_lxcfs KILL
# Starting 1000 processes takes a while on a loaded machine; a reader stuck on the dead
# mount would be cut by its `timeout 60` and leave an empty file.
expect_ok "every reader returned after kill -9 (the 1000 within 240 s)" \
	timeout 240 sh -c "while kill -0 $flood 2>/dev/null; do sleep 0.2; done"
expect_eq "... none was left hanging (cut by its timeout: an empty file)" "0" \
	"$(find "$IT_TMP/killed" -type f -empty | wc -l)"
expect_ok "the reads it cut failed with ENOTCONN/ECONNABORTED, not garbage" \
	sh -c "! grep -L -E 'MemTotal|processor|^cpu |^[0-9]+\.[0-9]{2} |not connected|connection abort' $IT_TMP/killed/* 2>/dev/null | grep -q ."
clear_mount_point
start_lxcfs || it_abort "lxcfs must start again"
read_all again
expect_eq "after the restart: every meminfo read shows its own container again" "$(((NCTR - 1) * 4))" \
	"$(own_view again)"
expect_eq "... none failed" "" \
	"$(grep -l -E 'cat:|No such|not connected|nsenter' "$IT_TMP"/again/* 2>/dev/null | head -n 3)"

stop_lxcfs
kill_containers
CPID=()
reports=$(cat "$LXDIR"/sanitizer.* 2>/dev/null | head -n 40)
expect_eq "lxcfs ran clean under the sanitizers (if built with them)" "" "$reports"
it_finish
