# A private lxcfs for a suite (sourced after lib.sh): LXCFS_BIN serving MNT, with its pid
# file, log and sanitizer reports in LXDIR; TOOLKIT tells whether it answers.

LXCFS_PID=""

# The suite's lxcfs and toolkit from this build, its dirs made (call after it_setup).
lxcfs_suite_setup() {
	LXCFS_BIN=$BIN/lxcfs
	TOOLKIT=$BIN/lxcfs-toolkit
	{ [ -x "$LXCFS_BIN" ] && [ -x "$TOOLKIT" ]; } || it_abort "build first: no $LXCFS_BIN or $TOOLKIT"
	LXDIR=$IT_TMP/lxcfs
	MNT=$LXDIR/mnt
	mkdir -p "$MNT"
}

lxcfs_up() { "$TOOLKIT" --mount-point "$MNT" check-lxcfs >/dev/null 2>&1; }

# Started from a subshell: not a job of this shell, so kill -9 prints no job notice. Under
# `make check SANITIZE=1` the detached lxcfs has no stderr: its reports go to
# LXDIR/sanitizer.* (only lxcfs's: the daemon's stay on its own stderr, where lib.sh looks).
start_lxcfs() {
	(ASAN_OPTIONS="log_path=$LXDIR/sanitizer${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
		UBSAN_OPTIONS="print_stacktrace=1:log_path=$LXDIR/sanitizer${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" \
		"$LXCFS_BIN" ${LXCFS_ARGS:-} -p "$LXDIR/lxcfs.pid" "$MNT" >>"$LXDIR/lxcfs.log" 2>&1 </dev/null &)
	wait_for "lxcfs ($LXCFS_BIN) serves on $MNT" 10 lxcfs_up || return 1
	LXCFS_PID=$(cat "$LXDIR/lxcfs.pid")
}

# kill_lxcfs SIGNAL: ends lxcfs (by its pid) and waits until it has gone.
kill_lxcfs() {
	[ -n "$LXCFS_PID" ] || return 0
	kill "-$1" "$LXCFS_PID" 2>/dev/null
	poll 5 _gone "$LXCFS_PID"
	LXCFS_PID=""
}

# A dead lxcfs leaves its mount behind (reads fail with ENOTCONN): off with it.
clear_mount_point() {
	while mountpoint -q "$MNT" 2>/dev/null || grep -qF " $MNT " /proc/self/mountinfo; do
		fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || break
	done
}

# Whatever happens: lxcfs ended by its pid, its mount point off.
stop_lxcfs() {
	kill_lxcfs TERM
	clear_mount_point
}
