#!/usr/bin/env bash
# Attacks on device confinement from inside real containers (security review §4.1): a
# container root makes a disk's node with mknod and opens it. On cgroup v2 there is no devices
# controller, so the engine attaches a BPF device program to the container's cgroup; this
# host mounts a v2 tree beside the v1 hierarchies, so the program is proven here by loosening
# the v1 rules of a running container (what a v2-only host never had) and attacking again.
# Also: the rules of --device with partial access, --privileged, and fail-closed: a container
# whose v2 program cannot be attached does not start and leaves nothing behind.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
BPFTOOL=$BIN/../test-tools/bpf-devices
[ -x "$BPFTOOL" ] || it_abort "the bpf-devices test tool is built (make)"
V2=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
[ -n "$V2" ] || it_abort "a cgroup2 tree is mounted (this test proves the v2 confinement)"
V1DEV=""
[ -f "$CGROOT/devices/devices.allow" ] && V1DEV=$CGROOT/devices
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

LOOP=""
for l in /dev/loop[0-9]*; do
	[ -b "$l" ] && LOOP=$l && break
done
[ -n "$LOOP" ] || it_abort "a host loop device exists"
majmin=$(stat -c '%t:%T' "$LOOP")
MAJ=$((0x${majmin%:*})) MIN=$((0x${majmin#*:}))

run_bb() { timeout 30 "$ISULA" run -d --external-rootfs "$BB" "$@" none sh -c 'sleep 1000'; }
in_ct() {
	local id=$1
	shift
	timeout 20 "$ISULA" exec "$id" "$@" 2>&1
}
# loosen_v1 ID RULE: the rule added to every v1 devices cgroup of the container, parents
# first (v1 refuses a child more than its parent has), as if the host had no v1 controller.
loosen_v1() {
	local d
	[ -n "$V1DEV" ] || return 0
	for d in $(find "$V1DEV$IT_CGPARENT/$1" -type d | sort); do
		echo "$2" >"$d/devices.allow" || return 1
	done
}
# The disk attack: a node of the loop device, made and opened for reading.
ATTACK="mknod /tmp/disk b $MAJ $MIN 2>/dev/null; dd if=/tmp/disk of=/dev/null bs=512 count=1"

# ---------------------------------------------------------------------- default containers
a=$(run_bb --name da)
is_hex64 "$a" || it_abort "run of a default container (got '$a')"
expect_eq "a device program is attached to the container's v2 cgroup" 1 \
	"$("$BPFTOOL" count "$V2$IT_CGPARENT/$a" 2>&1)"
expect_fail "default: a mknod'ed disk node cannot be opened" "Operation not permitted" \
	"$ISULA" exec da sh -c "$ATTACK"
if [ -n "$V1DEV" ]; then
	expect_ok "the v1 rules of a running container can be loosened to the disk" \
		loosen_v1 "$a" "b $MAJ:* rwm"
	expect_match "... the v1 list now allows the disk" "b $MAJ:* rwm" \
		"$(cat "$V1DEV$IT_CGPARENT/$a/devices.list")"
fi
expect_fail "v2 alone: the mknod'ed disk node still cannot be opened for reading" \
	"Operation not permitted" "$ISULA" exec da sh -c "$ATTACK"
expect_fail "v2 alone: nor for writing" "Operation not permitted" \
	"$ISULA" exec da sh -c "mknod /tmp/w b $MAJ $MIN 2>/dev/null; dd if=/dev/zero of=/tmp/w count=0"
expect_fail "v2 alone: /dev/mem (c 1:1) cannot be opened" "Operation not permitted" \
	"$ISULA" exec da sh -c 'mknod /tmp/mem c 1 1 && head -c 1 /tmp/mem'
expect_ok "v2 alone: mknod itself is allowed (the default list's 'b *:* m')" \
	"$ISULA" exec da sh -c "mknod /tmp/n2 b $MAJ $MIN"
expect_eq "the default devices work: null, zero, full, random, urandom" "ok" \
	"$(in_ct da sh -c 'echo x >/dev/null && head -c 4 /dev/zero | wc -c | grep -q 4 &&
		head -c 1 /dev/full >/dev/null && head -c 1 /dev/urandom >/dev/null &&
		head -c 1 /dev/random >/dev/null && echo ok')"
expect_ok "the default devices: /dev/ptmx opens" "$ISULA" exec da sh -c 'exec 3<>/dev/ptmx'
expect_ok "exec -t (a pts of the container's devpts) works" \
	script -qec "timeout 20 $ISULA exec -t da true" /dev/null
expect_ok "rm -f da" isula rm -f da

# ----------------------------------------------------- --device with partial access on v2
r=$(run_bb --name rd --device "$LOOP:/dev/mydisk:r")
is_hex64 "$r" || it_abort "run with --device $LOOP:/dev/mydisk:r (got '$r')"
loosen_v1 "$r" "b $MAJ:* rwm"
expect_ok "--device :r: the disk reads" "$ISULA" exec rd dd if=/dev/mydisk of=/dev/null bs=512 count=1
expect_fail "--device :r: v2 refuses opening it for writing" "Operation not permitted" \
	"$ISULA" exec rd dd if=/dev/zero of=/dev/mydisk count=0
expect_fail "--device :r: another minor of the same major is refused" "Operation not permitted" \
	"$ISULA" exec rd sh -c "mknod /tmp/o b $MAJ $((MIN + 1)) && dd if=/tmp/o of=/dev/null count=1"
expect_ok "rm -f rd" isula rm -f rd

# --------------------------------------------------------------------------- --privileged
p=$(run_bb --name pv --privileged)
is_hex64 "$p" || it_abort "run --privileged (got '$p')"
expect_eq "--privileged: no device program" 0 "$("$BPFTOOL" count "$V2$IT_CGPARENT/$p" 2>&1)"
expect_ok "--privileged: the disk reads" "$ISULA" exec pv sh -c "$ATTACK"
expect_ok "rm -f pv" isula rm -f pv

# ------------------------------------------------------------------------------ fail closed
# A program on the parent that allows no other below it: the container's cannot be attached.
FC=$IT_CGPARENT-fc
mkdir -p "$V2$FC"
expect_ok "an exclusive program is attached to the parent $FC" "$BPFTOOL" attach "$V2$FC" \
	--exclusive a
expect_fail_code "a container whose device program cannot be attached does not start" 125 \
	"cannot confine the container's devices" \
	timeout 30 "$ISULA" run -d --name fc --cgroup-parent "$FC" --external-rootfs "$BB" none sleep 100
expect_eq "... it is not running" "exited" "$(status_of fc | sed 's/inited/exited/')"
expect_eq "... no init of it runs" "0" "$(pid_of fc)"
expect_eq "... its cgroups are gone from every hierarchy" "" \
	"$(find "$CGROOT"/*/"${FC#/}" -mindepth 1 -type d 2>/dev/null)"
expect_ok "rm fc" isula rm -f fc

# liblxc runs hook lines through sh -c: the API's cgroup parent must never reach one.
PWN=$IT_TMP/pwned
i=$(timeout 30 "$ISULA" run -d --name inj --cgroup-parent "$IT_CGPARENT-i\$(touch $PWN)" \
	--external-rootfs "$BB" none sh -c 'sleep 1000' 2>&1)
expect_eq "a cgroup parent with \$(...) runs no shell command on the host" absent \
	"$([ -e "$PWN" ] && echo present || echo absent)"
isula rm -f inj >/dev/null 2>&1

# -------------------------------------------------------------- across a daemon restart
s=$(run_bb --name sr --restart always)
is_hex64 "$s" || it_abort "run --restart always (got '$s')"
stop_daemon main
start_daemon main || it_abort "the daemon restarts"
expect_ok "after a daemon restart: restart of the container" isula restart -t 1 sr
expect_eq "... the restarted container has its device program" 1 \
	"$("$BPFTOOL" count "$V2$IT_CGPARENT/$s" 2>&1)"
expect_fail "... and the disk stays closed" "Operation not permitted" \
	"$ISULA" exec sr sh -c "$ATTACK"
expect_ok "rm -f sr" isula rm -f sr

assert_no_leftovers
it_finish
