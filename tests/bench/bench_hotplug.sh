#!/usr/bin/env bash
# Hot-plug latency (issue 12): `isulad-tools add-device|add-nic|add-route|add-path` into a
# running busybox system container against the same change made by hand (mknod + devices.allow
# through nsenter, ip link/addr/route through nsenter, nsenter mount --bind), alternated run by
# run; each add is undone (remove-*, or by hand) before the next run. Targets: every add <= 50 ms
# and <= 2 x the hand-made change. Then the extra start time of a container with 8 recorded
# resources (2 of each) over the same container with none, both with syscontainer-hooks as
# their prestart hook: target <= 30 ms.
#
#   BENCH_HOTPLUG_RUNS=15  BENCH_HOTPLUG_STARTS=10
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init hotplug

RUNS=${BENCH_HOTPLUG_RUNS:-15}
STARTS=${BENCH_HOTPLUG_STARTS:-10}
TOOLS=$BIN/isulad-tools
HOOK=$BIN/syscontainer-hooks
[ -x "$TOOLS" ] && [ -x "$HOOK" ] || die "build first: make (no $TOOLS)"

busybox_rootfs
daemon_start

SPEC=$BENCH_TMP/hookspec.json
cat >"$SPEC" <<EOF
{"prestart":[{"path":"$HOOK","args":["syscontainer-hooks","--state","prestart"]}],
 "poststop":[{"path":"$HOOK","args":["syscontainer-hooks","--state","poststop"]}]}
EOF
BR=hpbbr$$
IMG=$BENCH_TMP/disk.img
truncate -s 4M "$IMG"
LOOP=$(losetup -f --show "$IMG") || die "no loop device"
IMG2=$BENCH_TMP/disk2.img
truncate -s 4M "$IMG2"
LOOP2=$(losetup -f --show "$IMG2") || die "no second loop device"
ip link add "$BR" type bridge && ip link set "$BR" up || die "cannot make a bridge"
HOSTDIR=$BENCH_TMP/shared
mkdir -p "$HOSTDIR"
bench_hotplug_cleanup() {
	ip link del "$BR" 2>/dev/null
	losetup -d "$LOOP" "$LOOP2" 2>/dev/null
	bench_cleanup
}
trap bench_hotplug_cleanup EXIT

run_ctr() {
	"$ISULA" run -d --hook-spec "$SPEC" --system-container --external-rootfs "$BUSYBOX_ROOTFS" \
		none sleep 100000
}
id=$(run_ctr) || die "the container does not start"
pid=$("$ISULA" inspect -f '{{.State.Pid}}' "$id")
cg=$(sed -n 's/^lxc.cgroup.dir.container = //p' "$LCRPATH/$id/config")
devices_allow=$(awk '$3 == "cgroup" && $4 ~ /(^|,)devices(,|$)/ { print $2; exit }' /proc/self/mounts)/$cg/devices.allow
[ -f "$devices_allow" ] || die "no v1 devices cgroup at $devices_allow"
MAJ=$((16#$(stat -c %t "$LOOP")))
MIN=$((16#$(stat -c %T "$LOOP")))
ns() { nsenter -t "$pid" "$@"; }

# time_into VAR CMD...: appends CMD's wall time (ms, 1 decimal) to array VAR; failure is fatal.
time_into() {
	local -n into=$1
	shift
	local t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>"$BENCH_TMP/cmd.err" </dev/null || die "failed: $* ($(head -c 600 "$BENCH_TMP/cmd.err"))"
	local t1=${EPOCHREALTIME/./}
	into+=("$(((t1 - t0) / 1000)).$((((t1 - t0) % 1000) / 100))")
}

# By hand: the node and the v1 rule (on the container's cgroup and its init's "ns" child).
# On a host with a cgroup2 tree the container's BPF device program still denies the device
# afterwards (replacing it by hand needs a BPF compiler): the tool does that too, so this
# baseline is less work than the tool's change (see the "usable inside" line).
hand_device() {
	ns -m mknod /dev/hpb b "$MAJ" "$MIN" && echo "b $MAJ:$MIN rwm" >"$devices_allow" &&
		echo "b $MAJ:$MIN rwm" >"${devices_allow%/devices.allow}/ns/devices.allow"
}
hand_device_undo() { ns -m rm -f /dev/hpb && echo "b $MAJ:$MIN rwm" >"${devices_allow%.allow}.deny"; }
hand_nic() {
	ip link add hpbh type veth peer name hpbc &&
		ip link set hpbc netns "$pid" &&
		ip link set hpbh master "$BR" up &&
		ns -n ip link set hpbc name eth7 &&
		ns -n ip addr add 10.233.1.2/24 dev eth7 &&
		ns -n ip link set eth7 up
}
hand_nic_undo() { ip link del hpbh; }
hand_route() { ns -n ip route add 10.234.0.0/16 via 10.233.1.1 dev eth7; }
hand_route_undo() { ns -n ip route del 10.234.0.0/16 via 10.233.1.1 dev eth7; }
# By hand a host path cannot be named inside the container's mount namespace: bind a directory
# of its own rootfs instead (the same nsenter + mount work).
hand_path() { ns -m sh -c 'mkdir -p /mnt/hpb && mount --bind /etc /mnt/hpb'; }
hand_path_undo() { ns -m umount /mnt/hpb; }

tool_device() { "$TOOLS" add-device "$id" "$LOOP:/dev/hpt"; }
tool_device_undo() { "$TOOLS" remove-device "$id" "$LOOP:/dev/hpt"; }
tool_nic() { "$TOOLS" add-nic --type veth --name "hpbt:eth8" --ip 10.233.2.2/24 --bridge "$BR" "$id"; }
tool_nic_undo() { "$TOOLS" remove-nic --type veth --name "hpbt:eth8" "$id"; }
tool_route() { "$TOOLS" add-route "$id" '[{"dest":"10.235.0.0/16","gw":"10.233.2.1","dev":"eth8"}]'; }
tool_route_undo() { "$TOOLS" remove-route "$id" '[{"dest":"10.235.0.0/16","gw":"10.233.2.1","dev":"eth8"}]'; }
tool_path() { "$TOOLS" add-path "$id" "$HOSTDIR:/mnt/hpt"; }
tool_path_undo() { "$TOOLS" remove-path "$id" "$HOSTDIR:/mnt/hpt"; }

# The routes need their NICs: those stay for the route runs.
measure() { # KIND
	local kind=$1 i
	local -a tool_t=() hand_t=()
	for i in $(seq 1 "$RUNS"); do
		if [ $((i % 2)) -eq 1 ]; then
			time_into tool_t "tool_$kind"
			"tool_${kind}_undo" >/dev/null
			time_into hand_t "hand_$kind"
			"hand_${kind}_undo" >/dev/null
		else
			time_into hand_t "hand_$kind"
			"hand_${kind}_undo" >/dev/null
			time_into tool_t "tool_$kind"
			"tool_${kind}_undo" >/dev/null
		fi
	done
	local mt mh ratio
	mt=$(median "${tool_t[@]}")
	mh=$(median "${hand_t[@]}")
	ratio=$(awk -v a="$mt" -v b="$mh" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }')
	result "add-$kind (median ms)" "$mt" ms "<=50"
	result "add-$kind by hand (median ms)" "$mh" ms
	result "ratio add-$kind / by hand" "$ratio" x "<=2"
}
measure device
usable() { "$ISULA" exec "$id" dd if="$1" of=/dev/null bs=4k count=1 >/dev/null 2>&1 && echo 1 || echo 0; }
hand_device || die "the by-hand device change for the usability check"
result "by-hand device change usable inside (1 yes, 0 no)" "$(usable /dev/hpb)" x
hand_device_undo
tool_device >/dev/null || die "add-device for the usability check"
result "add-device usable inside (1 yes, 0 no)" "$(usable /dev/hpt)" x ">=1"
tool_device_undo >/dev/null
measure nic
measure path
tool_nic >/dev/null && hand_nic >/dev/null || die "NICs for the route runs"
measure route
tool_nic_undo >/dev/null
hand_nic_undo >/dev/null

# ------------------------------------------- extra start time of 8 recorded resources
"$ISULA" rm -f "$id" >/dev/null
empty=$(run_ctr) && full=$(run_ctr) || die "the start-time containers do not start"
mkdir -p "$HOSTDIR/b"
"$TOOLS" add-device "$full" "$LOOP:/dev/hpd1" "$LOOP2:/dev/hpd2" >/dev/null &&
	"$TOOLS" add-path "$full" "$HOSTDIR:/mnt/p1" "$HOSTDIR/b:/mnt/p2" >/dev/null &&
	"$TOOLS" add-nic --type veth --name "hps1:eth1" --ip 10.236.1.2/24 --bridge "$BR" "$full" >/dev/null &&
	"$TOOLS" add-nic --type veth --name "hps2:eth2" --ip 10.236.2.2/24 --bridge "$BR" "$full" >/dev/null &&
	"$TOOLS" add-route "$full" '[{"dest":"10.237.0.0/16","gw":"10.236.1.1","dev":"eth1"},{"dest":"10.238.0.0/16","gw":"10.236.2.1","dev":"eth2"}]' >/dev/null ||
	die "recording 8 resources failed"
"$ISULA" stop -t 0 "$empty" "$full" >/dev/null
start_t_empty=() start_t_full=()
for i in $(seq 1 "$STARTS"); do
	if [ $((i % 2)) -eq 1 ]; then
		time_into start_t_empty "$ISULA" start "$empty"
		time_into start_t_full "$ISULA" start "$full"
	else
		time_into start_t_full "$ISULA" start "$full"
		time_into start_t_empty "$ISULA" start "$empty"
	fi
	"$ISULA" stop -t 0 "$empty" "$full" >/dev/null
done
me=$(median "${start_t_empty[@]}")
mf=$(median "${start_t_full[@]}")
extra=$(awk -v a="$mf" -v b="$me" 'BEGIN { printf "%.1f", a - b }')
result "isula start, hook, nothing recorded (median ms)" "$me" ms
result "isula start, hook, 8 resources recorded (median ms)" "$mf" ms
result "extra start time of 8 recorded resources" "$extra" ms "<=30"
