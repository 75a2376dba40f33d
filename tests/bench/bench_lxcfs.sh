#!/usr/bin/env bash
# Read latency of our lxcfs against Debian's lxcfs 5.0.3, both on private mount points in the
# same run, read from inside a memory-limited cgroup in a new pid and mount namespace (a
# container as lxcfs sees one). Each container reads its files the way a container does:
# through bind mounts made in its mount namespace when it starts, of the file each lxcfs
# serves for it: MOUNT/.views/INITPID/proc/F for ours (what lxcfs-toolkit mounts), MOUNT/proc/F
# for Debian's (what its lxc hook mounts). One C timing loop (readlat.c: open + read to EOF +
# close, no process start per read) alternates between the two file by file, so a slow moment
# of the machine hits both alike.
#
#   target: median of each of meminfo, cpuinfo, stat, uptime <= 0.25 x Debian's
#           first read from a brand-new container (new pid namespace + cgroup) <= 0.5 ms
#   also:   the top-level files (MOUNT/proc/F) read by the container itself, <= 0.5 x Debian's;
#           the top-level files read by a process of the host's pid namespace in a limited
#           cgroup (both lxcfs give it its cgroup's view); the floor of any read, one FUSE
#           round trip (a read at the end of an open file); our lxcfs' memory and open files
#           after BENCH_LXCFS_CONTAINERS containers each read their files.
#
#   BENCH_LXCFS_READS=2000      reads of each file per lxcfs
#   BENCH_LXCFS_FIRST=15        new containers for the first-read figure (per lxcfs)
#   BENCH_LXCFS_CONTAINERS=500  containers for the memory figure (0: skip)
#
# Debian's lxcfs is installed with apt-get if missing; if its systemd service starts with the
# package it is stopped and disabled again, so nothing stays mounted on /var/lib/lxcfs.
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init lxcfs

READS=${BENCH_LXCFS_READS:-2000}
FIRST=${BENCH_LXCFS_FIRST:-15}
NCTR=${BENCH_LXCFS_CONTAINERS:-500}
OURS=$BIN/lxcfs
DEB=/usr/bin/lxcfs
FILES=(meminfo cpuinfo stat uptime)
LIMIT=$((256 << 20))
CGROOT=/sys/fs/cgroup

[ -x "$OURS" ] || die "build first: make (no $OURS)"
command -v cc >/dev/null || die "no C compiler for the timing loop"

unified() { [ "$(stat -f -c %T "$CGROOT")" = cgroup2fs ]; }
systemd_up() { [ -d /run/systemd/system ]; }

install_debian_lxcfs() {
	if dpkg-query -W -f='${Status}' lxcfs 2>/dev/null | grep -q "install ok installed"; then
		return 0
	fi
	local was_active=no
	systemd_up && systemctl is-active --quiet lxcfs 2>/dev/null && was_active=yes
	log "installing Debian's lxcfs (apt-get install lxcfs)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends lxcfs \
		>"$BENCH_TMP/apt.log" 2>&1 || {
		cat "$BENCH_TMP/apt.log" >&2
		die "apt-get install lxcfs failed"
	}
	if systemd_up && [ "$was_active" = no ] && systemctl is-active --quiet lxcfs 2>/dev/null; then
		log "stopping and disabling the lxcfs service the package started"
		systemctl stop lxcfs || true
		systemctl disable --quiet lxcfs || true
	fi
	if findmnt -n /var/lib/lxcfs >/dev/null 2>&1 && [ "$was_active" = no ]; then
		fusermount3 -u /var/lib/lxcfs 2>/dev/null || umount -l /var/lib/lxcfs || true
	fi
}

# wait_n DIR N: DIR holds N files (within 120 s).
wait_n() {
	local _
	for _ in $(seq 1 1200); do
		[ "$(find "$1" -type f | wc -l)" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_mounted DIR: the lxcfs on DIR answers.
wait_mounted() {
	local _
	for _ in $(seq 1 100); do
		grep -q . "$1/proc/uptime" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

stop_lxcfs() {
	local pidfile=$1 pid
	pid=$(cat "$pidfile" 2>/dev/null) || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null || true
}

finish() {
	stop_lxcfs "$BENCH_TMP/ours.pid"
	stop_lxcfs "$BENCH_TMP/deb.pid"
}

# cg_make PATH: a memory-limited cgroup (v1: with cpuset, cpuacct and blkio too, as a
# container has).
cg_make() {
	local p=$1 c
	if unified; then
		echo "+memory +cpuset" >"$CGROOT/cgroup.subtree_control" 2>/dev/null || true
		mkdir -p "$CGROOT/$p"
		echo "+memory +cpuset" >"$CGROOT/$(dirname "$p")/cgroup.subtree_control" 2>/dev/null || true
		echo "$LIMIT" >"$CGROOT/$p/memory.max"
		return
	fi
	for c in memory cpuset cpuacct blkio; do
		mkdir -p "$CGROOT/$c/$p"
	done
	local d=$CGROOT/cpuset part
	for part in ${p//\// }; do
		[ -n "$(cat "$d/$part/cpuset.mems")" ] || cat "$d/cpuset.mems" >"$d/$part/cpuset.mems"
		[ -n "$(cat "$d/$part/cpuset.cpus")" ] || cat "$d/cpuset.cpus" >"$d/$part/cpuset.cpus"
		d=$d/$part
	done
	echo "$LIMIT" >"$CGROOT/memory/$p/memory.limit_in_bytes"
}

# Shell commands that move the running shell into cgroup PATH.
cg_join() {
	if unified; then
		echo "echo 0 >$CGROOT/$1/cgroup.procs;"
	else
		local c
		for c in memory cpuset cpuacct blkio; do
			echo "echo 0 >$CGROOT/$c/$1/cgroup.procs;"
		done
	fi
}

# in_container PATH CMD...: CMD as the init of a new pid and mount namespace inside cgroup
# PATH, with each lxcfs' files bind-mounted on $CTR/ours/F and $CTR/deb/F as the container's
# start would mount them (the init's host pid names its view in ours).
CTR=$BENCH_TMP/ctr
in_container() {
	local p=$1 binds="" f
	shift
	for f in "${FILES[@]}"; do
		binds+="mount --bind $BENCH_TMP/ours/.views/\$hp/proc/$f $CTR/ours/$f && "
		binds+="mount --bind $BENCH_TMP/deb/proc/$f $CTR/deb/$f && "
	done
	unshare -fpm --propagation private sh -c "$(cg_join "$p")
		hp=\$(cut -d' ' -f4 /proc/self/stat) && $binds exec \"\$@\"" sh "$@"
}

install_debian_lxcfs
[ -x "$DEB" ] || die "no $DEB after installing the lxcfs package"
deb_version=$("$DEB" --version 2>&1 | tr -d '"' | tail -n 1)
log "Debian lxcfs version $deb_version"

cc -O2 -o "$BENCH_TMP/readlat" "$BENCH_LIB_DIR/readlat.c" || die "cannot build readlat.c"

mkdir -p "$BENCH_TMP/ours" "$BENCH_TMP/deb" "$CTR/ours" "$CTR/deb"
for f in "${FILES[@]}"; do
	: >"$CTR/ours/$f"
	: >"$CTR/deb/$f"
done
# Our lxcfs processes first, then the harness's clean-up (with the script's exit code).
trap 'rc=$?; finish; (exit $rc); bench_cleanup' EXIT
# With -l: the load sampler's cost with many containers is part of the memory figure below.
"$OURS" -l -p "$BENCH_TMP/ours.pid" "$BENCH_TMP/ours" || die "our lxcfs did not start"
setsid "$DEB" -f -p "$BENCH_TMP/deb.pid" "$BENCH_TMP/deb" >"$BENCH_TMP/deb.log" 2>&1 </dev/null &
wait_mounted "$BENCH_TMP/ours" || die "our lxcfs does not answer on $BENCH_TMP/ours"
wait_mounted "$BENCH_TMP/deb" || die "Debian's lxcfs does not answer on $BENCH_TMP/deb"

cg_make "$CGPARENT/steady"
# Both must show the container's limit, or the comparison is of different work.
want_kb=$((LIMIT / 1024))
for m in ours deb; do
	got=$(in_container "$CGPARENT/steady" cat "$CTR/$m/meminfo" |
		awk '$1 == "MemTotal:" { print $2 }') || true
	[ "$got" = "$want_kb" ] || die "$m lxcfs shows MemTotal $got kB in a $want_kb kB container"
done

# Also our top-level files, read straight (the reader's pid namespace decides the view):
# what a container gets that mounts MOUNT/proc/F itself instead of through the toolkit.
args=()
for f in "${FILES[@]}"; do
	args+=("$CTR/ours/$f" "$CTR/deb/$f" "$BENCH_TMP/ours/proc/$f")
done
log "timing $READS reads of each file on each mount (alternating)"
# A warm-up round, then the measured one.
in_container "$CGPARENT/steady" "$BENCH_TMP/readlat" 200 "${args[@]}" >/dev/null ||
	die "readlat failed"
in_container "$CGPARENT/steady" "$BENCH_TMP/readlat" "$READS" "${args[@]}" >"$BENCH_TMP/steady.txt" ||
	die "readlat failed"

med() { awk -v f="$1" '$1 == f { print $2 }' "$BENCH_TMP/steady.txt"; }
p99() { awk -v f="$1" '$1 == f { print $3 }' "$BENCH_TMP/steady.txt"; }
for f in "${FILES[@]}"; do
	o=$(med "$CTR/ours/$f")
	d=$(med "$CTR/deb/$f")
	result "$f median, ours (p99 $(p99 "$CTR/ours/$f"))" "$o" us
	result "$f median, Debian $deb_version (p99 $(p99 "$CTR/deb/$f"))" "$d" us
	result "$f ours / Debian" "$(awk -v a="$o" -v b="$d" 'BEGIN { printf "%.2f", a / b }')" x "<=0.25"
	t=$(med "$BENCH_TMP/ours/proc/$f")
	result "$f top-level (reader pid) ours $t us / Debian" \
		"$(awk -v a="$t" -v b="$d" 'BEGIN { printf "%.2f", a / b }')" x "<=0.5"
done

# A process of the host's pid namespace in a limited cgroup reads the top-level files: both
# give it the view of its own cgroup.
got=$(sh -c "$(cg_join "$CGPARENT/steady") awk '\$1 == \"MemTotal:\" { print \$2 }' $BENCH_TMP/ours/proc/meminfo")
[ "$got" = "$want_kb" ] || die "our lxcfs shows MemTotal $got kB to a host process in a $want_kb kB cgroup"
args=()
for f in "${FILES[@]}"; do
	args+=("$BENCH_TMP/ours/proc/$f" "$BENCH_TMP/deb/proc/$f")
done
# The floor: one round trip to each lxcfs that does nothing but answer (a read at the end of
# an open file). Measured here: a container's reads at the end are served from the page
# cache of its own inodes, without a round trip; a host reader's come to lxcfs.
args+=("eof:$BENCH_TMP/ours/proc/meminfo" "eof:$BENCH_TMP/deb/proc/meminfo")
sh -c "$(cg_join "$CGPARENT/steady") exec \"\$0\" \"\$@\"" "$BENCH_TMP/readlat" "$READS" "${args[@]}" \
	>"$BENCH_TMP/shared.txt" || die "readlat failed (host reader)"
smed() { awk -v f="$1" '$1 == f { print $2 }' "$BENCH_TMP/shared.txt"; }
for f in "${FILES[@]}"; do
	o=$(smed "$BENCH_TMP/ours/proc/$f")
	d=$(smed "$BENCH_TMP/deb/proc/$f")
	result "$f host-pidns reader in a cgroup: ours $o us, Debian $d us, ours / Debian" \
		"$(awk -v a="$o" -v b="$d" 'BEGIN { printf "%.2f", a / b }')" x
done
result "floor: one FUSE round trip (read at EOF), ours" "$(smed "eof:$BENCH_TMP/ours/proc/meminfo")" us
result "floor: one FUSE round trip (read at EOF), Debian" "$(smed "eof:$BENCH_TMP/deb/proc/meminfo")" us

# First read from a container lxcfs has never seen: new pid namespace, new cgroup, its files
# mounted as its start mounts them.
log "first reads from $FIRST new containers per lxcfs"
first_ours=() first_deb=()
for i in $(seq 1 "$FIRST"); do
	for m in ours deb; do
		cg_make "$CGPARENT/new-$m-$i"
		# A native /proc read first, so that the new process's own start-up (page faults,
		# placement on a cpu) is not counted as lxcfs' time.
		t=$(in_container "$CGPARENT/new-$m-$i" "$BENCH_TMP/readlat" 1 /proc/uptime \
			"$CTR/$m/meminfo" | awk 'NR == 2 { print $2 }') || true
		[ -n "$t" ] || die "first read from a new container failed ($m)"
		if [ "$m" = ours ]; then first_ours+=("$t"); else first_deb+=("$t"); fi
	done
done
result "first meminfo read in a new container, ours" "$(median "${first_ours[@]}")" us "<=500"
result "first meminfo read in a new container, Debian" "$(median "${first_deb[@]}")" us

# Memory with many containers: NCTR pid namespaces in cgroups of their own, each reading its
# files (and loadavg) once through its view (.views/INIT) and once through the top-level
# files, then sleeping; our lxcfs' resident memory and open files after that, and the cpu the
# load sampler then takes.
if [ "$NCTR" -gt 0 ]; then
	ours_pid=$(cat "$BENCH_TMP/ours.pid")
	rss0=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$ours_pid/status")
	log "$NCTR containers reading their files"
	mkdir -p "$BENCH_TMP/many"
	for i in $(seq 1 "$NCTR"); do
		cg_make "$CGPARENT/many-$i"
		unshare -fp sh -c "$(cg_join "$CGPARENT/many-$i")
			hp=\$(cut -d' ' -f4 /proc/self/stat)
			for f in ${FILES[*]} loadavg; do
				cat $BENCH_TMP/ours/.views/\$hp/proc/\$f $BENCH_TMP/ours/proc/\$f >/dev/null || exit 1
			done
			touch $BENCH_TMP/many/$i
			exec sleep 600" </dev/null >/dev/null 2>&1 &
		# A few at a time: the machine is shared.
		[ $((i % 20)) -ne 0 ] || wait_n "$BENCH_TMP/many" "$i"
	done
	wait_n "$BENCH_TMP/many" "$NCTR" || die "not all $NCTR containers read their files"
	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$ours_pid/status")
	hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$ours_pid/status")
	fds=$(find "/proc/$ours_pid/fd" -mindepth 1 | wc -l)
	result "our lxcfs RSS before the $NCTR containers" "$rss0" kB
	result "our lxcfs RSS with $NCTR containers read (peak $hwm kB)" "$rss" kB
	result "our lxcfs open files with $NCTR containers read" "$fds" fds
	# The load sampler now tracks every container's cgroup: lxcfs' cpu time over 20 s of
	# nobody reading (4 sampling rounds).
	ticks() { awk '{ print $14 + $15 }' "/proc/$ours_pid/stat"; }
	t0=$(ticks)
	sleep 20
	t1=$(ticks)
	result "our lxcfs cpu while sampling the load of $NCTR containers (-l, every 5 s)" \
		"$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz / 20 * 100 }')" "% of a cpu"
	for i in $(seq 1 "$NCTR"); do
		pids=$(cat "$CGROOT/memory/$CGPARENT/many-$i/cgroup.procs" "$CGROOT/$CGPARENT/many-$i/cgroup.procs" 2>/dev/null) || true
		[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
	done
fi
