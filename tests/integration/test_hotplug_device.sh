#!/usr/bin/env bash
# isulad-tools add-device / remove-device / list-device / update-device and the device part of
# syscontainer-hooks prestart, with real loop devices (one partitioned) in a system container:
# the node inside with the host's numbers, reads and writes as its permissions say, the v1
# devices cgroup and the container's v2 BPF device program (proven by loosening v1, as
# test_attacks_devices.sh does), the blkio files, the record, re-application at restart and
# after a daemon restart, and bad input that changes nothing.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
TOOLS=$BIN/isulad-tools
BPFTOOL=$BIN/../test-tools/bpf-devices
[ -x "$BPFTOOL" ] || it_abort "the bpf-devices test tool is built (make)"
V2=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
V1DEV=""
[ -f "$CGROOT/devices/devices.allow" ] && V1DEV=$CGROOT/devices
BLKIO=$CGROOT/blkio
[ -d "$BLKIO" ] || it_abort "the v1 blkio controller is mounted at $BLKIO"
command -v sfdisk >/dev/null || it_abort "sfdisk (fdisk package) is installed"
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# mkloop NAME SIZE [--partitioned]: a loop device over a new file (run it in this shell, not
# in $(...): it registers the detach at cleanup and sets LOOP).
mkloop() {
	local f=$IT_TMP/$1.img l
	truncate -s "$2" "$f" || return 1
	if [ "${3:-}" = --partitioned ]; then
		printf 'label: dos\n,4M\n,4M\n' | sfdisk -q "$f" >/dev/null || return 1
		l=$(losetup -f --show -P "$f") || return 1
		# A kernel without the DOS table parser leaves them to user space.
		[ -b "${l}p1" ] || partx -a "$l" >/dev/null 2>&1
	else
		l=$(losetup -f --show "$f") || return 1
	fi
	it_on_cleanup "losetup -d $l"
	LOOP=$l
}
mkloop d1 8M || it_abort "a loop device can be made"
L1=$LOOP
mkloop d2 16M --partitioned || it_abort "a partitioned loop device can be made"
L2=$LOOP
mkloop d3 8M || it_abort "a third loop device can be made"
L3=$LOOP
wait_for "the partitions of $L2 appear" 5 test -b "${L2}p2"
# hexnum "MAJHEX MINHEX": "MAJ:MIN" in decimal.
hexnum() { [ $# -eq 2 ] && echo "$((16#$1)):$((16#$2))"; }
num() { hexnum $(stat -Lc '%t %T' "$1"); }
N1=$(num "$L1") N2=$(num "$L2") N3=$(num "$L3") N2P1=$(num "${L2}p1") N2P2=$(num "${L2}p2")

SPEC=$IT_TMP/hookspec.json
cat >"$SPEC" <<EOF
{"prestart": [{"path": "$BIN/syscontainer-hooks", "args": ["syscontainer-hooks", "--state", "prestart"]}],
 "poststop": [{"path": "$BIN/syscontainer-hooks", "args": ["syscontainer-hooks", "--state", "poststop"]}]}
EOF
id=$(timeout 30 "$ISULA" run -d --name c1 --hook-spec "$SPEC" --system-container \
	--external-rootfs "$BB" none sleep 100000)
is_hex64 "$id" || it_abort "a system container with the hook runs (got '$id')"
CGV1=$V1DEV$IT_CGPARENT/$id
CGBLK=$BLKIO$IT_CGPARENT/$id
CGV2=$V2$IT_CGPARENT/$id
REC=$LCR/$id/device_hook.json

tools() { timeout 20 "$TOOLS" "$@"; }
in_c1() { timeout 20 "$ISULA" exec c1 sh -c "$1" 2>&1; }
# The kind and numbers of a node inside: "block MAJ:MIN".
node_in() {
	local out
	out=$(in_c1 "stat -c '%F|%t %T' $1") || return 0
	echo "${out%% *} $(hexnum ${out#*|})"
}
record() { cat "$REC" 2>/dev/null || echo absent; }
progs() { "$BPFTOOL" count "$CGV2" 2>&1; }
loosen_v1() {
	local d
	[ -n "$V1DEV" ] || return 0
	for d in $(find "$CGV1" -type d | sort); do
		echo "$1" >"$d/devices.allow" || return 1
	done
}
# The device (maj:min) opened for reading by a node made inside (in /dev: /tmp is nodev).
open_by_mknod() { in_c1 "rm -f /dev/probe; mknod /dev/probe b ${1%:*} ${1#*:} && dd if=/dev/probe of=/dev/null bs=4k count=1"; }

# ------------------------------------------------------------------------------------ add
expect_eq "the engine attached one device program to the container's v2 cgroup" 1 "$(progs)"
out=$(tools add-device c1 "$L1:/dev/hp/one:rw" --device-read-bps "$L1:1m" 2>&1)
expect_eq "add-device with a read bps: the original's lines" \
	"Add device ($L1) to container(c1,/dev/hp/one) done.
Update read bps for device ($L1,1048576) done." "$out"
expect_eq "... the node is inside (parents made) with the host's numbers" "block $N1" \
	"$(node_in /dev/hp/one)"
expect_eq "... with the host node's mode and owner" "$(stat -Lc '%a %u %g' "$L1")" \
	"$(in_c1 'stat -c "%a %u %g" /dev/hp/one')"
expect_ok "... it reads inside" "$ISULA" exec c1 dd if=/dev/hp/one of=/dev/null bs=4k count=1
expect_ok "... and writes (rw)" "$ISULA" exec c1 dd if=/dev/zero of=/dev/hp/one bs=4k count=1
if [ -n "$V1DEV" ]; then
	expect_match "... the v1 devices cgroup allows it" "b $N1 rw" "$(cat "$CGV1/devices.list")"
	expect_match "... so does the init's own v1 cgroup below it" "b $N1 rw" \
		"$(cat "$CGV1"/*/devices.list)"
fi
expect_eq "... exactly one device program remains on the v2 cgroup" 1 "$(progs)"
expect_eq "... the read bps is in the blkio cgroup" "$N1 1048576" \
	"$(cat "$CGBLK/blkio.throttle.read_bps_device")"
expect_eq "... list-device shows it in the original's key order" \
	"[{\"Type\":\"b\",\"Minor\":${N1#*:},\"Major\":${N1%:*},\"PathOnHost\":\"$L1\",\"PathInContainer\":\"/dev/hp/one\",\"CgroupPermissions\":\"rw\",\"Parent\":\"\"}]" \
	"$(tools list-device c1)"
expect_eq "list-device --pretty indents with tabs" "$(printf '[\n\t{\n\t\t"Type": "b",')" \
	"$(tools list-device --pretty c1 | head -n 3)"

out=$(tools add-device c1 "$L2:/dev/ro:r" 2>&1)
expect_eq "add-device of a read-only device: done" \
	"Add device ($L2) to container(c1,/dev/ro) done." "$out"
expect_ok "a read-only device reads" "$ISULA" exec c1 dd if=/dev/ro of=/dev/null bs=4k count=1
expect_fail "... and cannot be opened for writing" "Operation not permitted" \
	"$ISULA" exec c1 dd if=/dev/zero of=/dev/ro bs=4k count=1
loosen_v1 "b ${N2%:*}:* rwm"
expect_fail "... nor with v1 loosened: the v2 program has it read-only" "Operation not permitted" \
	"$ISULA" exec c1 dd if=/dev/zero of=/dev/ro bs=4k count=1
expect_ok "remove-device of the read-only one" tools remove-device c1 "$L2"
expect_eq "... its node is gone" "gone" "$(in_c1 '[ -e /dev/ro ] && echo present || echo gone')"
expect_fail "... v1 loosened, the v2 program denies it after the remove" "Operation not permitted" \
	open_by_mknod "$N2"
expect_eq "... one device program remains" 1 "$(progs)"

# ----------------------------------------------------------------------------- update
out=$(tools update-device --device-read-bps "$L1:2m" --device-write-iops "$L1:300" c1 2>&1)
expect_eq "update-device: the original's lines" \
	"Update read bps for device ($L1,2097152) done.
Update write iops for device ($L1,300) done." "$out"
expect_eq "... blkio read bps changed" "$N1 2097152" "$(cat "$CGBLK/blkio.throttle.read_bps_device")"
expect_eq "... blkio write iops set" "$N1 300" "$(cat "$CGBLK/blkio.throttle.write_iops_device")"
echo bfq >"/sys/block/${L1#/dev/}/queue/scheduler" 2>/dev/null
if grep -q '\[bfq\]' "/sys/block/${L1#/dev/}/queue/scheduler"; then
	expect_eq "update-device --blkio-weight-device on a bfq queue" \
		"Update blkio weight for device ($L1,500) done." \
		"$(tools update-device --blkio-weight-device "$L1:500" c1 2>&1)"
	expect_match "... the weight is in the blkio cgroup" "$N1 500" \
		"$(cat "$CGBLK"/blkio*weight_device)"
fi

# ------------------------------------------------------------------- --follow-partition
out=$(tools add-device --follow-partition c1 "$L2:/dev/pd" 2>&1)
expect_eq "add-device --follow-partition adds the disk and its partitions" \
	"Add device ($L2) to container(c1,/dev/pd) done.
Add device (${L2}p1) to container(c1,/dev/pd1) done.
Add device (${L2}p2) to container(c1,/dev/pd2) done." "$out"
expect_eq "... partition 1 inside with its numbers" "block $N2P1" "$(node_in /dev/pd1)"
expect_eq "... partition 2 inside with its numbers" "block $N2P2" "$(node_in /dev/pd2)"
expect_ok "... a partition reads inside" "$ISULA" exec c1 dd if=/dev/pd2 of=/dev/null bs=4k count=1
expect_eq "list-device hides the partitions" 2 "$(tools list-device c1 | grep -o PathOnHost | wc -l)"
expect_eq "list-device --sub-partition shows them with their parent" 2 \
	"$(tools list-device --sub-partition c1 | grep -o "\"Parent\":\"$L2\"" | wc -l)"
expect_fail "QoS of a partition is refused" "cannot set Qos of a child device" \
	tools update-device --device-read-bps "${L2}p1:1m" c1
out=$(tools remove-device --follow-partition c1 "$L2:/dev/pd" 2>&1)
expect_eq "remove-device --follow-partition removes them all" \
	"Remove device ($L2) from container(c1,/dev/pd) done.
Remove device (${L2}p1) from container(c1,/dev/pd1) done.
Remove device (${L2}p2) from container(c1,/dev/pd2) done." "$out"
expect_eq "... their nodes are gone" "" "$(in_c1 'ls /dev/pd* 2>/dev/null')"
expect_eq "... one device program remains" 1 "$(progs)"

# ------------------------------------------------------------------ --force and rollback
in_c1 'echo x >/dev/taken; mkdir -p /dev/adir' >/dev/null
expect_fail "a different file at the container path is refused" "already exists" \
	tools add-device c1 "$L3:/dev/taken"
expect_eq "... and kept" "x" "$(in_c1 'cat /dev/taken')"
before=$(record)
expect_fail "a directory at the second device's path fails the whole add" "already exists" \
	tools add-device --force c1 "$L3:/dev/new/sub/n3" "$L2:/dev/adir"
expect_eq "... the first device's node and its new parents are undone" "gone" \
	"$(in_c1 '[ -e /dev/new ] && echo present || echo gone')"
expect_eq "... the record is as before" "$before" "$(record)"
[ -n "$V1DEV" ] && expect_eq "... no v1 rule is left" "" "$(grep "b $N3 " "$CGV1/devices.list")"
out=$(tools add-device --force c1 "$L3:/dev/taken" 2>&1)
expect_eq "--force replaces the file, saying so" \
	"path /dev/taken in container already exists. removing it.
Add device ($L3) to container(c1,/dev/taken) done." "$out"
expect_eq "... the node is there" "block $N3" "$(node_in /dev/taken)"
expect_ok "remove-device HOST:CTR" tools remove-device c1 "$L3:/dev/taken"

# -------------------------------------------------------------------------- bad input
before=$(record)
# bad CMD... PATTERN: fails with PATTERN and changes nothing.
bad() {
	local desc=$1 pat=$2
	shift 2
	expect_fail "$desc" "$pat" tools "$@"
	expect_eq "... the record is unchanged" "$before" "$(record)"
}
bad "a spec of four parts" "invalid device specification: /a:/b:rw:x" add-device c1 /a:/b:rw:x
bad "a bad permission" "invalid permission: rwx" add-device c1 "$L3:/dev/x:rwx"
bad "a relative host path" "hostpath should be an absolute path: dev/loop0" add-device c1 dev/loop0
bad "a relative container path" "containerpath should be an absolute path: x" \
	add-device c1 "$L3:x:rw"
bad "a host path that is no device" "Failed to parse device: /etc/passwd, not a device" \
	add-device c1 /etc/passwd
bad "a missing host node" \
	"Failed to parse device: /dev/nonexist$$, lstat /dev/nonexist$$: no such file or directory" \
	add-device c1 "/dev/nonexist$$"
bad "an unknown container" "No such container" add-device nosuch$$ "$L3"
bad "a bad rate" "Invalid rate for device: $L3:10x" add-device c1 "$L3" --device-read-bps "$L3:10x"
bad "a bad weight" "Invalid weight for device: $L3:5" add-device c1 "$L3" --blkio-weight-device "$L3:5"
bad "QoS of a char device" "cannot set Qos of a char device" \
	add-device c1 /dev/null:/dev/mynull --device-write-bps /dev/null:1m
bad "QoS of a device not being added" "device $L2 was not added to container or not in add-device args" \
	add-device c1 "$L3" --device-read-iops "$L2:10"
bad "a device added twice (same host path)" "device $L1:/dev/hp/one has been already added into container" \
	add-device c1 "$L1:/dev/hp/one"
bad "a device at a container path already taken" "device $L3:/dev/hp/one has been already added" \
	add-device c1 "$L3:/dev/hp/one"
bad "removing a device never added" "Device pair($L3:/dev/zz) is not added by isulad-tools" \
	remove-device c1 "$L3:/dev/zz"
bad "add-device without a device" '"add-device" requires a minimum of 2 args' add-device c1
bad "update-device without QoS" "update device should specify at least one device QOS configuration" \
	update-device c1
bad "update-device of a device not added" "Failed to update device: device $L3 was not added" \
	update-device --device-read-bps "$L3:1m" c1
if ! grep -q '\[bfq\]' "/sys/block/${L3#/dev/}/queue/scheduler"; then
	bad "a weight the queue's scheduler does not take" \
		"please check whether current OS support blkio weight device configuration" \
		add-device c1 "$L3:/dev/w" --blkio-weight-device "$L3:100"
	expect_eq "... its node is undone" "gone" "$(in_c1 '[ -e /dev/w ] && echo present || echo gone')"
fi
expect_eq "list-device of a container without devices prints nothing" "" \
	"$(timeout 20 "$ISULA" run -d --name c2 --external-rootfs "$BB" none sleep 1000 >/dev/null &&
		tools list-device c2)"
isula rm -f c2 >/dev/null 2>&1

# ----------------------------------------------- --update-config-only, stop, restart
LINK=$IT_TMP/disk-link
ln -s "$L3" "$LINK"
out=$(tools add-device --update-config-only c1 "$LINK:/dev/lnk" --device-write-bps "$LINK:1m" 2>&1)
expect_eq "--update-config-only: done lines" "Add device ($LINK) to container(c1,/dev/lnk) done.
Update write bps for device ($LINK,1048576) done." "$out"
expect_eq "... nothing inside" "gone" "$(in_c1 '[ -e /dev/lnk ] && echo present || echo gone')"
expect_eq "... no blkio rule" "" "$(grep "^$N3 " "$CGBLK/blkio.throttle.write_bps_device")"
expect_match "... list-device has it" "\"PathOnHost\":\"$LINK\"" "$(tools list-device c1)"
expect_ok "restart of the container" timeout 30 "$ISULA" restart -t 1 c1
expect_eq "after the restart the hook made the node of the link's device" "block $N3" \
	"$(node_in /dev/lnk)"
expect_eq "... and kept the first device" "block $N1" "$(node_in /dev/hp/one)"
expect_ok "... which reads" "$ISULA" exec c1 dd if=/dev/hp/one of=/dev/null bs=4k count=1
expect_eq "... its QoS is back" "$N1 2097152" "$(cat "$CGBLK/blkio.throttle.read_bps_device")"
expect_eq "... the link's write bps applied" "$N3 1048576" \
	"$(cat "$CGBLK/blkio.throttle.write_bps_device")"
expect_eq "... one device program on the new cgroup" 1 "$(progs)"

expect_ok "stop of the container" timeout 30 "$ISULA" stop -t 1 c1
out=$(tools add-device c1 "$L2:/dev/late" 2>&1)
expect_eq "add-device to a stopped container records it" \
	"Add device ($L2) to container(c1,/dev/late) done." "$out"
ln -sfn "$L2" "$LINK"
expect_ok "remove of a device from the stopped container" tools remove-device c1 "$L2:/dev/late"
expect_ok "start of the container" timeout 30 "$ISULA" start c1
expect_eq "the link now leads to another disk: the hook made its node" "block $N2" \
	"$(node_in /dev/lnk)"
expect_match "... and the record has its numbers" "\"Minor\":${N2#*:},\"Major\":${N2%:*},\"PathOnHost\":\"$LINK\"" \
	"$(tools list-device c1)"
expect_eq "... the device removed while stopped is not there" "gone" \
	"$(in_c1 '[ -e /dev/late ] && echo present || echo gone')"

# ------------------------------------------------------------------- daemon restart
stop_daemon main
start_daemon main || it_abort "the daemon restarts"
expect_ok "after a daemon restart: restart of the container" timeout 30 "$ISULA" restart -t 1 c1
expect_eq "... the device is back" "block $N1" "$(node_in /dev/hp/one)"
expect_ok "... and reads" "$ISULA" exec c1 dd if=/dev/hp/one of=/dev/null bs=4k count=1
out=$(tools remove-device c1 "$L1" 2>&1)
expect_match "remove-device clears its QoS, with the original's lines" \
	"Remove device ($L1) from container(c1,/dev/hp/one) done." "$out"
expect_match "... read bps" "Remove read bps for device ($L1) done." "$out"
expect_eq "... the blkio rules are gone" "" \
	"$(cat "$CGBLK/blkio.throttle.read_bps_device" "$CGBLK/blkio.throttle.write_iops_device" | grep "^$N1 ")"
expect_ok "remove-device of the link" tools remove-device c1 "$LINK"
expect_eq "the record has no device left" "" "$(tools list-device --sub-partition c1)"
loosen_v1 "b ${N1%:*}:* rwm"
expect_fail "v1 loosened, the removed disk stays closed (v2 program)" "Operation not permitted" \
	open_by_mknod "$N1"
expect_ok "rm -f c1" isula rm -f c1

# ------------------------------------------------- links and binds from the container's side
# A host directory bound rw into a second container: whatever the container plants in its
# /dev (links to the volume), the node work never reaches the volume.
mkloop d4 8M || it_abort "a fourth loop device can be made"
L4=$LOOP
N4=$(num "$L4")
VOL=$IT_TMP/vol
mkdir "$VOL" && echo keep >"$VOL/hostfile" && chmod 0600 "$VOL/hostfile"
# A node of L4 already in the volume, with another owner and mode than L4's.
mknod -m 0604 "$VOL/dnode" b ${N4%:*} ${N4#*:} && chown 1234:1234 "$VOL/dnode"
id=$(timeout 30 "$ISULA" run -d --name cx -v "$VOL:/mnt/vol" --hook-spec "$SPEC" \
	--system-container --external-rootfs "$BB" none sleep 100000)
is_hex64 "$id" || it_abort "a system container with a volume runs (got '$id')"
CXV1=$V1DEV$IT_CGPARENT/$id
RECX=$LCR/$id/device_hook.json
in_cx() { timeout 20 "$ISULA" exec cx sh -c "$1" 2>&1; }
# The record ("{}" when none: a failed first add restores the empty record).
recordx() { cat "$RECX" 2>/dev/null || echo '{}'; }
vol_state() { (cd "$VOL" && find . -printf '%p %y %m %U:%G\n' | sort); }
in_cx 'ln -s /mnt/vol /dev/evil; mkdir /dev/sub; ln -s /mnt/vol /dev/sub/lnk;
	ln -s /mnt/vol/hostfile /dev/flink' >/dev/null
# through DESC CMD...: refused for a link, with the volume and the record untouched. On a
# tool that went through, the device is removed again so that the next case starts clean.
through() {
	local desc=$1 vol_before before
	shift
	vol_before=$(vol_state)
	before=$(recordx)
	expect_fail "$desc" "is a symbolic link" tools "$@"
	expect_eq "... nothing made, changed or removed in the host directory" "$vol_before" \
		"$(vol_state)"
	expect_eq "... the record is unchanged" "$before" "$(recordx)"
	[ "$before" = "$(recordx)" ] || tools remove-device cx "$L4" >/dev/null 2>&1
}
through "add-device through a parent that is a link to the volume" add-device cx "$L4:/dev/evil/x"
through "... with new parents below the link" add-device cx "$L4:/dev/evil/new/x"
through "... a link deeper in the path" add-device cx "$L4:/dev/sub/lnk/y"
through "--force over a host file through the link" add-device --force cx "$L4:/dev/evil/hostfile"
through "over the volume's node of the same device (no chown or chmod through the link)" \
	add-device cx "$L4:/dev/evil/dnode"
through "--force over a last component that is a link to a host file" \
	add-device --force cx "$L4:/dev/flink"
expect_eq "... the link is kept" "/mnt/vol/hostfile" "$(in_cx 'readlink /dev/flink')"
vol_before=$(vol_state)
before=$(recordx)
expect_fail "a node on the bound host directory itself is refused" "not the container's" \
	tools add-device cx "$L4:/mnt/vol/z"
expect_eq "... nothing in the host directory" "$vol_before" "$(vol_state)"
expect_eq "... the record is unchanged" "$before" "$(recordx)"
[ "$before" = "$(recordx)" ] || tools remove-device cx "$L4" >/dev/null 2>&1
[ -n "$V1DEV" ] && expect_eq "... and no v1 rule for the device" "" \
	"$(grep "b $N4 " "$CXV1/devices.list")"
vol_before=$(vol_state)
expect_ok "remove-device of a recorded device whose parent became a link" \
	sh -c "$TOOLS add-device cx $L4:/dev/d4/n && $ISULA exec cx sh -c 'rm -rf /dev/d4; ln -s /mnt/vol /dev/d4' && $TOOLS remove-device cx $L4"
expect_eq "... leaves the host directory alone" "$vol_before" "$(vol_state)"

# ------------------------------------------- the engine's rules survive a rollback or remove
null_ok() { in_cx 'echo x >/dev/null && echo ok'; }
v1_has() { [ -z "$V1DEV" ] || grep -qx "$1" "$CXV1/devices.list"; }
in_cx 'echo x >/dev/pf' >/dev/null
expect_fail "add-device of /dev/null below a file fails" "Failed to add device" \
	tools add-device cx /dev/null:/dev/pf/x
expect_eq "... /dev/null still works inside" ok "$(null_ok)"
expect_ok "... v1 still allows c 1:3" v1_has "c 1:3 rwm"
echo none >"/sys/block/${L4#/dev/}/queue/scheduler"
expect_fail "add-device of /dev/null with a disk whose weight cannot be set fails late" \
	"please check whether current OS support blkio weight" \
	tools add-device cx /dev/null:/dev/nul2 "$L4:/dev/w4" --blkio-weight-device "$L4:100"
expect_eq "... after the rollback /dev/null still works inside" ok "$(null_ok)"
expect_ok "... v1 still allows c 1:3" v1_has "c 1:3 rwm"
[ -n "$V1DEV" ] && expect_eq "... the disk is denied again" "" "$(grep "b $N4 " "$CXV1/devices.list")"
expect_eq "... /dev/nul2 is undone" gone "$(in_cx '[ -e /dev/nul2 ] && echo present || echo gone')"
for perms in r rwm; do
	expect_ok "add-device /dev/null:/dev/nul3:$perms" tools add-device cx /dev/null:/dev/nul3:$perms
	expect_ok "... and remove-device of it" tools remove-device cx /dev/null
	expect_eq "... /dev/null still works inside" ok "$(null_ok)"
	expect_ok "... v1 still allows c 1:3 rwm" v1_has "c 1:3 rwm"
done
ln -s "$L4" "$IT_TMP/l4link"
expect_ok "the same disk at two container paths (through a host link)" \
	tools add-device cx "$L4:/dev/a4" "$IT_TMP/l4link:/dev/b4"
expect_ok "... remove-device of the first" tools remove-device cx "$L4"
expect_ok "... the second still reads" "$ISULA" exec cx dd if=/dev/b4 of=/dev/null bs=4k count=1
expect_ok "... and writes" "$ISULA" exec cx dd if=/dev/zero of=/dev/b4 bs=4k count=1
expect_ok "... v1 still allows it" v1_has "b $N4 rwm"
expect_ok "... remove-device of the second" tools remove-device cx "$IT_TMP/l4link"
[ -n "$V1DEV" ] && expect_eq "... now the disk is denied" "" "$(grep "b $N4 " "$CXV1/devices.list")"
expect_ok "rm -f cx" isula rm -f cx

assert_no_leftovers
it_finish
