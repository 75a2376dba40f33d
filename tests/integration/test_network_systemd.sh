#!/usr/bin/env bash
# A systemd system container on the default network: its address, route, /etc/hosts and
# /etc/resolv.conf are in place when systemd starts, it boots to "running", the host reaches
# it, and reboot with on-reboot gives it its network again; stop leaves nothing behind.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
IT_NETWORK=1 start_daemon main || it_abort "the daemon must start"
R1=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
BOOT_TIMEOUT=30

ip_of() { ifield "$1" '{{.NetworkSettings.IPAddress}}'; }
HOSTBB=$(command -v busybox) || it_abort "busybox is needed on the host (busybox-static)"
pings() { "$HOSTBB" ping -c 1 -W 2 "$1" >/dev/null 2>&1; }

id=$(isula run -tid --system-container --restart on-reboot --hostname netsd --dns 192.0.2.53 \
	--external-rootfs "$R1" none init)
is_hex64 "$id" && pass "a system container runs on the default network" || it_abort "run" "$id"
ip=$(ip_of "$id")
[ -n "$ip" ] && pass "it has an address ($ip)" || fail "it has an address"
wait_for "systemd boots to 'running' with its network" "$BOOT_TIMEOUT" sd_booted "$id" ||
	lxc_in "$id" systemctl --failed --no-pager 2>&1 | sed 's/^/    /'
# The address was there before the init: the netns was made and ADDed before liblxc ran it.
expect_match "eth0 holds the address inside" "inet $ip/" "$(lxc_in "$id" ip -4 addr show eth0 2>&1)"
gw=$(ifield "$id" '{{.NetworkSettings.Gateway}}')
expect_match "the default route goes through the gateway" "default via $gw" "$(lxc_in "$id" ip route 2>&1)"
expect_match "/etc/hosts names the container at its address" "$ip	netsd" "$(lxc_in "$id" cat /etc/hosts 2>&1)"
expect_match "/etc/resolv.conf has --dns" "nameserver 192.0.2.53" "$(lxc_in "$id" cat /etc/resolv.conf 2>&1)"
wait_for "the host reaches the container (ping of its address)" 10 pings "$ip"
pid=$(pid_of "$id")
lxc_in "$id" systemctl reboot >/dev/null 2>&1
wait_for "reboot with on-reboot: running again" 30 restarted_from "$id" "$pid"
ip2=$(ip_of "$id")
[ -n "$ip2" ] && pass "after the reboot it has an address ($ip2)" || fail "after the reboot it has an address"
wait_for "after the reboot systemd is running again" "$BOOT_TIMEOUT" sd_booted "$id"
wait_for "after the reboot the host reaches it" 10 pings "$ip2"
expect_eq "one lease for it after the reboot" 1 "$(grep -rls "$id" "$GRAPH/cni" | wc -l)"
expect_ok "isula stop" isula stop "$id"
[ ! -e "$STATE/netns/$id" ] && ! grep -rqs "$id" "$GRAPH/cni" && ! iptables-save | grep -q "$id" &&
	pass "stop: no netns, lease or rule left" || fail "stop: no netns, lease or rule left"
br=$(jq -r '.plugins[0].bridge' "$IT_TMP/daemon-main/cni/bridge.conflist")
expect_eq "stop: no link left on the bridge" 0 "$(ip -o link show master "$br" | wc -l)"
it_finish
