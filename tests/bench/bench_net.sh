#!/usr/bin/env bash
# `isula run -d` of a busybox container on the default network (CNI bridge + host-local +
# portmap, the netns made and ADDed before the init) vs `lxc-start -d` of the same config with
# a liblxc veth NIC on a bridge of its own (lxc.net.0.type = veth, a static address), same
# rootfs, alternating; medians side by side. Traffic stays on the host's bridges.
#
# Then a systemd system container's boot (until `systemctl is-system-running` says running)
# on the default network vs lxc-start with the veth, alternating.
#
#   BENCH_NET_RUNS=20         busybox runs per side
#   BENCH_NET_BOOT_ROUNDS=3   systemd boots per side (0: none)
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/bench/boot_lib.sh
source "$(dirname "$0")/boot_lib.sh"
bench_init bench_net
RUNS=${BENCH_NET_RUNS:-20}
BOOT_ROUNDS=${BENCH_NET_BOOT_ROUNDS:-3}
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

[ "$BOOT_ROUNDS" -gt 0 ] || exit 0
# Systemd: the engine's config of a booted reference container on the default network, its
# network lines (the shared netns and the hook that waits for ADD) replaced by the veth.
bash "$REPO/tests/mkrootfs.sh" systemd >/dev/null # the cache, outside any timing
ref_rootfs=$(fresh_copy "$BENCH_TMP/ref-rootfs")
REF_ID=$("$ISULA" create -ti --system-container --external-rootfs "$ref_rootfs" none init) ||
	die "isula create --system-container on the default network failed"
"$ISULA" start "$REF_ID" >/dev/null || die "isula start $REF_ID failed"
wait_booted "$REF_ID" "$LCRPATH" || die "reference container did not boot"
"$ISULA" stop "$REF_ID" >/dev/null || die "isula stop $REF_ID failed"
# sys_config NAME ROOTFS ADDRESS: the lxc side's config.
sys_config() {
	lxc_config_from_engine "$REF_ID" "$1" "$2" |
		sed -e '/^lxc\.namespace\.share\.net/d' -e '/^lxc\.hook\.start-host.* net-wait /d'
	printf '%s\n' "lxc.net.0.type = veth" "lxc.net.0.link = $BENCH_BRIDGE" \
		"lxc.net.0.name = eth0" "lxc.net.0.flags = up" "lxc.net.0.ipv4.address = $3/24" \
		"lxc.net.0.ipv4.gateway = $net.1"
}
lxc_sys_rootfs() { # a fresh copy with the network files the engine wrote for its side
	local dest f
	dest=$(fresh_copy "$1")
	for f in hostname hosts resolv.conf; do cp "$ref_rootfs/etc/$f" "$dest/etc/$f"; done
	echo "$dest"
}
r=$(lxc_sys_rootfs "$BENCH_TMP/lxc-warm")
boot_lxc nwarm "$r" "$(sys_config nwarm "$r" "$net.200")" >/dev/null || exit 1
rm -rf "$r"
isula_boot=() lxc_boot=()
for i in $(seq 1 "$BOOT_ROUNDS"); do
	ri=$(fresh_copy "$BENCH_TMP/isula-sys$i")
	rl=$(lxc_sys_rootfs "$BENCH_TMP/lxc-sys$i")
	sides="isula lxc"
	[ $((i % 2)) -eq 0 ] && sides="lxc isula"
	for side in $sides; do
		if [ "$side" = isula ]; then
			out=$(boot_isula "$ri") || exit 1
			read -r b _ _ <<<"$out"
			isula_boot+=("$b")
		else
			out=$(boot_lxc "nsys$i" "$rl" "$(sys_config "nsys$i" "$rl" "$net.$((200 + i))")") ||
				exit 1
			read -r b _ <<<"$out"
			lxc_boot+=("$b")
		fi
		log "round $i $side: boot $b ms"
	done
	rm -rf "$ri" "$rl"
done
mi=$(median "${isula_boot[@]}")
ml=$(median "${lxc_boot[@]}")
result "systemd boot, default network (median ms)" "$mi" ms
result "systemd boot, lxc-start veth (median ms)" "$ml" ms
result "systemd boot on a network ratio isula/lxc" "$(awk -v a="$mi" -v b="$ml" 'BEGIN { printf "%.3f", a / b }')" x 1.1
