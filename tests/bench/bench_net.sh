#!/usr/bin/env bash
# `isula run -d` of a busybox container on the default network (CNI bridge + host-local +
# portmap, the netns made and ADDed before the init) vs `lxc-start -d` of the same config with
# a liblxc veth NIC on a bridge of its own (lxc.net.0.type = veth, a static address), same
# rootfs, alternating; medians side by side. Traffic stays on the host's bridges.
#
#   BENCH_NET_RUNS=20   runs per side
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init bench_net
RUNS=${BENCH_NET_RUNS:-20}
BENCH_NETWORK=1 daemon_start
busybox_rootfs

# The lxc side's bridge and a /24 no route of the host uses.
BENCH_BRIDGE=islb$$
net=""
for n in $(seq 200 250); do
	ip -4 route | grep -q "^10\.$n\." || { net=10.$n.0 && break; }
done
[ -n "$net" ] || die "no free 10.N.0.0/24 for the lxc bridge"
ip link add "$BENCH_BRIDGE" type bridge && ip addr add "$net.1/24" dev "$BENCH_BRIDGE" &&
	ip link set "$BENCH_BRIDGE" up || die "cannot make the bridge $BENCH_BRIDGE"

bb_cmd=(sh -c 'sleep 1000')
# The reference config: the engine's own for a --net none container, its network lines
# replaced by liblxc's veth on the bench bridge.
REF_ID=$("$ISULA" run -d --net none --external-rootfs "$BUSYBOX_ROOTFS" none "${bb_cmd[@]}") ||
	die "isula run -d --net none failed"
bb_cfg=$(lxc_config_from_engine "$REF_ID" NAME "$BUSYBOX_ROOTFS" |
	sed -e '/^lxc\.net\.0\./d')
# Warm-up of the engine side: makes the default network (not counted).
"$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none "${bb_cmd[@]}" >/dev/null ||
	die "isula run -d on the default network failed"
none_run=()
for i in $(seq 1 "$RUNS"); do
	make_lxc "bb$i" "${bb_cfg//NAME/bb$i}
lxc.net.0.type = veth
lxc.net.0.link = $BENCH_BRIDGE
lxc.net.0.name = eth0
lxc.net.0.flags = up
lxc.net.0.ipv4.address = $net.$((i + 1))/24
lxc.net.0.ipv4.gateway = $net.1" "$REF_ID"
	busybox_run_pair "$i"
	# The same start without a network, for scale.
	t0=${EPOCHREALTIME/./}
	"$ISULA" run -d --net none --external-rootfs "$BUSYBOX_ROOTFS" none "${bb_cmd[@]}" >/dev/null ||
		die "isula run -d --net none failed"
	none_run+=("$(ms_between "$t0" "${EPOCHREALTIME/./}")")
done
isula_run=("${ISULA_MS[@]}")
lxc_run=("${LXC_MS[@]}")
# Both sides really have their address (checked after the timing).
n_addr=0
for id in $("$ISULA" ps -q --no-trunc); do
	ip=$("$ISULA" inspect -f '{{.NetworkSettings.IPAddress}}' "$id")
	[ -n "$ip" ] && n_addr=$((n_addr + 1))
done
[ "$n_addr" -ge "$RUNS" ] || die "only $n_addr engine containers have an address"
n_veth=$(ip -o link show master "$BENCH_BRIDGE" | wc -l)
[ "$n_veth" -eq "$RUNS" ] || die "only $n_veth lxc veths on $BENCH_BRIDGE"
log "isula run -d (default network) ms: ${isula_run[*]}"
log "lxc-start -d (veth on a bridge) ms: ${lxc_run[*]}"
mi=$(median "${isula_run[@]}")
ml=$(median "${lxc_run[@]}")
result "busybox isula run -d, default network (median ms)" "$mi" ms
result "busybox lxc-start -d, veth on a bridge (median ms)" "$ml" ms
result "busybox isula run -d --net none, same rounds (median ms)" "$(median "${none_run[@]}")" ms
result "run -d on a network ratio isula/lxc" "$(awk -v a="$mi" -v b="$ml" 'BEGIN { printf "%.3f", a / b }')" x 1.2
