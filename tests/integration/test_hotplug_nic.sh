#!/usr/bin/env bash
# isulad-tools add-nic/remove-nic/list-nic/update-nic and add-route/remove-route/list-route,
# and syscontainer-hooks' network part (research/tools.md §1.6, §1.7, §2.4 step 6, §2.5), on
# real links: veth pairs on a test bridge, and ifb links standing in for physical NICs (this
# kernel has no dummy driver; an ifb moves between namespaces like one, but takes no MAC).
# Checked inside with busybox `ip`, on the host with iproute2.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
R1=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
R2=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
R3=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
R4=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

TOOLS=$BIN/isulad-tools
HOOKS=$BIN/syscontainer-hooks
tools() { "$TOOLS" "$@"; }
P=$$
BR=hpbr$P   # the test bridge
V1=hpv$P    # veth host ends
E1=hpd${P}a # "physical" NICs
E2=hpd${P}b
E3=hpd${P}c
IDS=$IT_TMP/ids # the containers' IDs, for the pins' cleanup

# Every link of this run (their names hold the pid), deleted even after a failure; pins of
# this run's containers unmounted.
our_links() { ip -o link show 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep "$P" | sort; }
cleanup_net() {
	local l id
	for l in $(our_links); do ip link del "$l" 2>/dev/null; done
	for id in $(cat "$IDS" 2>/dev/null); do
		umount -l "/run/isulad-tools/netns/$id" 2>/dev/null
		rm -f "/run/isulad-tools/netns/$id" "/run/isulad-tools/nic/$id.json"
	done
}
it_on_cleanup cleanup_net

ip link add "$BR" type bridge && ip link set "$BR" up || it_abort "a test bridge is needed"
for l in "$E1" "$E2" "$E3"; do ip link add "$l" type ifb || it_abort "ifb links are needed"; done

H=$IT_TMP/hooks
mkdir -p "$H" && chmod 0755 "$H"
SPEC=$H/spec.json
cat >"$SPEC" <<EOS
{"prestart":[{"path":"$HOOKS","args":["syscontainer-hooks","--state","prestart"]}],
 "poststop":[{"path":"$HOOKS","args":["syscontainer-hooks","--state","poststop"]}]}
EOS
run_ctr() { # run_ctr NAME ROOTFS [ISULA-RUN-OPTION...]
	local name=$1 rootfs=$2
	shift 2
	isula run -d --name "$name" --hook-spec "$SPEC" --system-container "$@" --external-rootfs "$rootfs" none sleep 100000
}
id_of() { isula inspect -f '{{.Id}}' "$1"; }
in_c() { isula exec "$1" sh -c "$2" 2>&1; }
host_has() { ip link show "$1" >/dev/null 2>&1; }
pin_of() { echo "/run/isulad-tools/netns/$(id_of "$1")"; }
pinned() { grep -q " $1 " /proc/self/mountinfo; }
# expect_in DESC PATTERN CONTAINER CMD: the output of CMD inside has PATTERN.
expect_in() { expect_match "$1" "$2" "$(in_c "$3" "$4")"; }
expect_not_in() {
	local out
	out=$(in_c "$3" "$4")
	if [[ "$out" != *"$2"* ]]; then pass "$1"; else fail "$1" "found '$2' in: $out"; fi
}
record() { tools list-nic "$1"; tools list-route "$1"; }

run_ctr c1 "$R1" >/dev/null || it_abort "c1 must start with the hook"
id_of c1 >>"$IDS"
C1PIN=$(pin_of c1)
# Only a physical NIC needs the pin (to come back at stop): none yet, no pin.
expect_fail "prestart pins no namespace without eth NICs" "" test -e "$C1PIN"

# ------------------------------------------------------------------------------- add-nic
expect_ok "add-nic veth" tools add-nic --type veth --name "$V1:eth1" --ip 172.30.1.2/24 \
	--mac 02:42:ac:1e:01:02 --bridge "$BR" --mtu 1400 --qlen 500 c1
expect_eq "add-nic veth message" "Add network interface ($V1) to container (c1,eth1) done" "$LAST_OUT"
expect_in "veth: address inside" "inet 172.30.1.2/24" c1 "ip addr show eth1"
L=$(in_c c1 "ip link show eth1")
expect_match "veth: MAC inside" "link/ether 02:42:ac:1e:01:02" "$L"
expect_match "veth: MTU and qlen inside" "mtu 1400 qdisc noqueue qlen 500" "$L"
expect_match "veth: up inside" ",UP" "$L"
expect_match "veth: host end on the bridge" "$V1" "$(ip -o link show master "$BR")"
expect_match "veth: host end's MTU, qlen, up" "mtu 1400" "$(ip -o link show "$V1")"
expect_match "veth: host end's qlen" "qlen 500" "$(ip -o link show "$V1")"

expect_ok "add-nic eth" tools add-nic --type eth --name "$E1:eth2" --ip 172.30.2.2/24 \
	--mtu 1300 --qlen 2100 c1
expect_eq "add-nic eth message" "Add network interface ($E1) to container (c1,eth2) done" "$LAST_OUT"
expect_fail "eth: gone from the host" "" host_has "$E1"
expect_ok "add-nic eth pinned c1's network namespace" pinned "$C1PIN"
L=$(in_c c1 "ip addr show eth2")
expect_match "eth: address inside" "inet 172.30.2.2/24" "$L"
expect_match "eth: MTU and qlen inside" "mtu 1300" "$L"
expect_match "eth: qlen inside" "qlen 2100" "$L"

expect_ok "list-nic" tools list-nic c1
expect_eq "list-nic output" "[{\"Ip\":\"172.30.1.2/24\",\"Mac\":\"02:42:ac:1e:01:02\",\"Mtu\":1400,\"Qlen\":500,\"Type\":\"veth\",\"Bridge\":\"$BR\",\"HostNicName\":\"$V1\",\"CtrNicName\":\"eth1\"},{\"Ip\":\"172.30.2.2/24\",\"Mac\":\"\",\"Mtu\":1300,\"Qlen\":2100,\"Type\":\"eth\",\"Bridge\":\"\",\"HostNicName\":\"$E1\",\"CtrNicName\":\"eth2\"}]" "$LAST_OUT"
expect_ok "list-nic --filter" tools list-nic --filter '{"type":"eth","Mtu":1300}' c1
expect_eq "list-nic --filter output" "[{\"Ip\":\"172.30.2.2/24\",\"Mac\":\"\",\"Mtu\":1300,\"Qlen\":2100,\"Type\":\"eth\",\"Bridge\":\"\",\"HostNicName\":\"$E1\",\"CtrNicName\":\"eth2\"}]" "$LAST_OUT"
expect_ok "list-nic --pretty" tools list-nic -p -f '{"CtrNicName":"eth1"}' c1
expect_match "list-nic --pretty is indented with tabs" $'[\n\t{\n\t\t"Ip": "172.30.1.2/24",' "$LAST_OUT"
expect_fail "list-nic bad filter" "failed to parse filter" tools list-nic --filter '{"ip":' c1

# ----------------------------------------------------------------------------- add-route
expect_ok "add-route" tools add-route c1 \
	'[{"dest":"default","gw":"172.30.1.1"},{"dest":"10.9.0.0/16","dev":"eth2","src":"172.30.2.2"}]'
expect_eq "add-route messages" "Add route to container c1, route: {dest:default,src:,gw:172.30.1.1,dev:} done
Add route to container c1, route: {dest:10.9.0.0/16,src:172.30.2.2,gw:,dev:eth2} done" "$LAST_OUT"
RT=$(in_c c1 "ip route")
expect_match "default route via gw inside" "default via 172.30.1.1 dev eth1" "$RT"
expect_match "route with dev and src inside" "10.9.0.0/16 dev eth2" "$RT"
expect_match "route's source inside" "src 172.30.2.2" "$(in_c c1 'ip route show 10.9.0.0/16')"
expect_ok "list-route" tools list-route c1
expect_eq "list-route output" '[{"dest":"default","src":"","gw":"172.30.1.1","dev":""},{"dest":"10.9.0.0/16","src":"172.30.2.2","gw":"","dev":"eth2"}]' "$LAST_OUT"
expect_ok "list-route --filter" tools list-route --filter '{"dev":"eth2"}' c1
expect_eq "list-route --filter output" '[{"dest":"10.9.0.0/16","src":"172.30.2.2","gw":"","dev":"eth2"}]' "$LAST_OUT"
expect_fail "list-route bad filter" "malformed filter format" tools list-route -f '[1]' c1
expect_fail "add-route of a route already added" "route {dest:default,src:,gw:172.30.1.1,dev:} alread exist" \
	tools add-route c1 '[{"gw":"172.30.1.1"}]'

# ---------------------------------------------------------------------------- update-nic
expect_ok "update-nic MTU and IP" tools update-nic --name eth1 --mtu 1450 --ip 172.30.1.3/24 c1
expect_eq "update-nic messages" "Update IP address for network interface (eth1,172.30.1.3/24) done
Update Mtu for network interface (eth1,1450) done" "$LAST_OUT"
L=$(in_c c1 "ip addr show eth1")
expect_match "update-nic: new address inside" "inet 172.30.1.3/24" "$L"
expect_match "update-nic: new MTU inside" "mtu 1450" "$L"
expect_not_in "update-nic: old address gone" "172.30.1.2/" c1 "ip addr show eth1"
expect_match "update-nic: host end's MTU" "mtu 1450" "$(ip -o link show "$V1")"
expect_match "update-nic: recorded" '"Ip":"172.30.1.3/24","Mac":"02:42:ac:1e:01:02","Mtu":1450' "$(tools list-nic c1)"
expect_fail "update-nic without --name" "Network interface name in container must be provided" \
	tools update-nic --mtu 1500 c1
expect_fail "update-nic of an unknown NIC" "Network interface eth9 not exist in container c1" \
	tools update-nic --name eth9 --mtu 1500 c1
expect_fail "update-nic with a bridge on eth" "for eth type, bridge cannot be set" \
	tools update-nic --name eth2 --bridge "$BR" c1
# The routes through the NIC outlive the change of its address.
RT=$(in_c c1 "ip route")
expect_match "update-nic: default route kept" "default via 172.30.1.1" "$RT"
expect_match "update-nic: route kept" "10.9.0.0/16 dev eth2" "$RT"

# ------------------------------------------------------------------ stop, start, restart
expect_ok "stop c1" isula stop -t 1 c1
expect_ok "poststop: eth back on the host under its name" host_has "$E1"
expect_fail "poststop: veth host end gone" "" host_has "$V1"
expect_fail "poststop: pin unmounted" "" pinned "$C1PIN"
expect_fail "poststop: pin file removed" "" test -e "$C1PIN"
# The record is kept; a stopped container's changes only go to the record.
expect_ok "add-route on a stopped container" tools add-route c1 '[{"dest":"10.10.0.0/16","gw":"172.30.2.1"}]'
expect_match "stopped: route recorded" '"dest":"10.10.0.0/16"' "$(tools list-route c1)"

expect_ok "start c1" isula start c1
expect_ok "start: eth inside again" in_c c1 "ip addr show eth2 | grep -q 'inet 172.30.2.2/24'"
expect_fail "start: eth not on the host" "" host_has "$E1"
expect_in "start: veth inside again, updated" "inet 172.30.1.3/24" c1 "ip addr show eth1"
expect_in "start: veth MTU" "mtu 1450" c1 "ip link show eth1"
expect_match "start: host end on the bridge" "$V1" "$(ip -o link show master "$BR")"
RT=$(in_c c1 "ip route")
expect_match "start: default route back" "default via 172.30.1.1 dev eth1" "$RT"
expect_match "start: route recorded while stopped applied" "10.10.0.0/16 via 172.30.2.1 dev eth2" "$RT"
expect_ok "start: pinned again" pinned "$C1PIN"

expect_ok "restart c1" isula restart -t 1 c1
expect_in "restart: eth inside" "inet 172.30.2.2/24" c1 "ip addr show eth2"
expect_in "restart: veth inside" "inet 172.30.1.3/24" c1 "ip addr show eth1"
expect_in "restart: routes back" "default via 172.30.1.1 dev eth1" c1 "ip route"

stop_daemon main
start_daemon main || it_abort "the daemon must restart"
expect_in "daemon restart: NICs kept" "inet 172.30.2.2/24" c1 "ip addr show eth2"
expect_in "daemon restart: routes kept" "default via 172.30.1.1" c1 "ip route"
expect_ok "daemon restart: the tools still find c1" tools list-nic c1
expect_match "daemon restart: record kept" "\"HostNicName\":\"$E1\"" "$LAST_OUT"

# ---------------------------------------------------------- containers and the eth limit
run_ctr c2 "$R2" >/dev/null || it_abort "c2 must start"
id_of c2 >>"$IDS"
isula stop -t 1 c2 >/dev/null
expect_ok "add-nic eth on a stopped container" tools add-nic --type eth --name "$E2:eth1" --ip 172.31.0.2/24 c2
expect_ok "stopped: eth left on the host" host_has "$E2"
expect_fail "a NIC recorded by another container is refused" \
	"network interface $E2 is already added to container" \
	tools add-nic --type eth --name "$E2:eth5" --ip 172.30.5.2/24 c1
expect_ok "start c2" isula start c2
expect_in "c2: its eth inside" "inet 172.31.0.2/24" c2 "ip addr show eth1"
expect_ok "rm -f c2" isula rm -f c2
expect_ok "rm -f: eth back on the host" host_has "$E2"
expect_fail "rm -f: no pin left" "" test -e "/run/isulad-tools/netns/$(tail -n 1 "$IDS")"

run_ctr c3 "$R3" >/dev/null && isula stop -t 1 c3 >/dev/null
id_of c3 >>"$IDS"
EXTRA=()
for i in 0 1 2 3 4 5 6 7 8; do
	ip link add "hpx$P$i" type ifb && EXTRA+=("hpx$P$i")
done
ok=0
for i in 0 1 2 3 4 5 6 7; do
	tools add-nic --type eth --name "hpx$P$i:eth1$i" --ip "172.29.$i.2/24" c3 >/dev/null && ok=$((ok + 1))
done
expect_eq "8 eth NICs recorded" 8 "$ok"
expect_fail "a 9th eth NIC is refused" "at most 8 eth NICs" \
	tools add-nic --type eth --name "hpx${P}8:eth18" --ip 172.29.8.2/24 c3
expect_eq "the 9th is not recorded" 8 "$(tools list-nic c3 | grep -o '"Type":"eth"' | wc -l)"
isula rm -f c3 >/dev/null
for l in "${EXTRA[@]}"; do ip link del "$l"; done

# A recorded NIC missing at start fails the start naming it, and undoes the others.
run_ctr c4 "$R2" >/dev/null && isula stop -t 1 c4 >/dev/null
id_of c4 >>"$IDS"
tools add-nic --type eth --name "$E2:eth1" --ip 172.28.0.2/24 c4 >/dev/null
tools add-nic --type eth --name "$E3:eth2" --ip 172.28.1.2/24 c4 >/dev/null
ip link del "$E3"
expect_fail "start with a recorded NIC missing fails naming it" "Failed to add network interface ($E3)" \
	isula start c4
expect_ok "the start's other eth is back on the host" host_has "$E2"
expect_fail "no pin left by the failed start" "" test -e "$(pin_of c4)"
isula rm -f c4 >/dev/null
ip link add "$E3" type ifb

# ------------------------------------------------------------------------- bad input
BEFORE_LINKS=$(our_links)
BEFORE_REC=$(record c1)
bad() { # bad DESC PATTERN ARGS...: fails with PATTERN and leaves the links and c1's record
	local desc=$1 pat=$2
	shift 2
	expect_fail "$desc" "$pat" tools "$@"
	expect_eq "$desc: no link left or lost" "$BEFORE_LINKS" "$(our_links)"
	expect_eq "$desc: record unchanged" "$BEFORE_REC" "$(record c1)"
}
bad "bad IP" 'invalid IP address "172.30.9.300/24"' add-nic --type veth --name hpv${P}z:eth9 --ip 172.30.9.300/24 --bridge "$BR" c1
bad "IP without prefix" 'invalid IP address "172.30.9.2"' add-nic --type veth --name hpv${P}z:eth9 --ip 172.30.9.2 --bridge "$BR" c1
bad "bad MAC" 'invalid MAC address "02:42:zz:00:00:01"' add-nic --type veth --name hpv${P}z:eth9 --ip 172.30.9.2/24 --mac 02:42:zz:00:00:01 --bridge "$BR" c1
bad "mtu 67" "Mtu must not be less than 68" add-nic --type veth --name hpv${P}z:eth9 --ip 172.30.9.2/24 --mtu 67 --bridge "$BR" c1
bad "missing --type" "invalid network option: unsupported type" add-nic --name hpv${P}z:eth9 --ip 172.30.9.2/24 c1
bad "veth without bridge" "bridge must be specified" add-nic --type veth --name hpv${P}z:eth9 --ip 172.30.9.2/24 c1
bad "bridge on eth" "for eth type, bridge cannot be set" add-nic --type eth --name "$E3:eth9" --ip 172.30.9.2/24 --bridge "$BR" c1
bad "missing host link" "HostNic(hpd${P}q) not found, please check" add-nic --type eth --name "hpd${P}q:eth9" --ip 172.30.9.2/24 c1
bad "eth without host name" "host nic name input error" add-nic --type eth --name eth9 --ip 172.30.9.2/24 c1
bad "name conflict" "interface name conflict: eth1" add-nic --type veth --name hpv${P}z:eth1 --ip 172.30.9.2/24 --bridge "$BR" c1
bad "ip conflict" "interface ip conflict: 172.30.2.2/24" add-nic --type eth --name "$E3:eth9" --ip 172.30.2.2/24 c1
bad "mac conflict" "interface mac conflict: 02:42:ac:1e:01:02" add-nic --type veth --name hpv${P}z:eth9 --ip 172.30.9.2/24 --mac 02:42:ac:1e:01:02 --bridge "$BR" c1
bad "veth host name taken" "Host has nic with name $E3, please choose another one" add-nic --type veth --name "$E3:eth9" --ip 172.30.9.2/24 --bridge "$BR" c1
bad "name taken inside the container" "interface name conflict: lo" add-nic --type eth --name "$E3:lo" --ip 172.30.9.2/24 c1
# Failures after the link was made: an IPv6 address on a link below IPv6's minimum MTU.
bad "veth failing after creation is deleted" "failed to add nic into container: eth9" add-nic --type veth --name hpv${P}z:eth9 --ip fd00:9::2/64 --mtu 1000 --bridge "$BR" c1
bad "eth failing after the move goes back" "failed to add nic into container: eth9" add-nic --type eth --name "$E3:eth9" --ip fd00:9::2/64 --mtu 1000 c1
expect_ok "the eth is back under its own name" host_has "$E3"
bad "malformed route JSON" "malformed rule format" add-route c1 '[{"dest":"default",'
bad "route rules not an array" "malformed rule format" add-route c1 '{"dest":"default"}'
bad "empty rules" "rule can't be empty" add-route c1 '[]'
bad "route without src/gw/dev" "src or gw or dev name is required" add-route c1 '[{"dest":"10.1.0.0/16"}]'
bad "bad dest CIDR" 'failed to parse dest "10.1.0.0/33" of route rule' add-route c1 '[{"dest":"10.1.0.0/33","dev":"eth1"}]'
bad "bad gw" 'failed to parse gw "10.1.0.x" of route rule' add-route c1 '[{"dest":"10.1.0.0/16","gw":"10.1.0.x"}]'
bad "route over an unknown link, with the first rule undone" "failed to get link by name eth7" \
	add-route c1 '[{"dest":"10.11.0.0/16","dev":"eth1"},{"dest":"10.12.0.0/16","dev":"eth7"}]'
expect_not_in "the first rule was undone" "10.11.0.0/16" c1 "ip route"
bad "removing a route not added" "Route({dest:10.99.0.0/16,src:,gw:,dev:}) is not added by isulad-tools" remove-route c1 '[{"dest":"10.99.0.0/16"}]'
bad "remove-nic of a NIC not added" "Network interface ,eth9 with type eth not exist in container c1" remove-nic --type eth --name eth9 c1

# ----------------------------------------------------- --update-config-only, removal
expect_ok "add-route --update-config-only" tools add-route --update-config-only c1 '[{"dest":"10.20.0.0/16","dev":"eth1"}]'
expect_not_in "config-only route not applied" "10.20.0.0/16" c1 "ip route"
expect_ok "add-nic --update-config-only" tools add-nic --update-config-only --type eth --name "$E3:eth3" --ip 172.30.3.2/24 c1
expect_ok "config-only NIC left on the host" host_has "$E3"
expect_match "config-only NIC recorded" "\"HostNicName\":\"$E3\"" "$(tools list-nic c1)"
expect_ok "remove-nic of the config-only eth" tools remove-nic --type eth --name "$E3:eth3" c1
expect_ok "it stays on the host" host_has "$E3"

expect_ok "remove-route" tools remove-route c1 '[{"dest":"default","gw":"172.30.1.1"},{"dest":"10.20.0.0/16"}]'
expect_eq "remove-route messages" "Remove route from container c1, route: {dest:default,src:,gw:172.30.1.1,dev:} done
Remove route from container c1, route: {dest:10.20.0.0/16,src:,gw:,dev:eth1} done" "$LAST_OUT"
expect_not_in "default route removed inside" "default via" c1 "ip route"
expect_ok "remove-nic eth" tools remove-nic --type eth --name "$E1:eth2" c1
expect_eq "remove-nic eth message" "Remove network interface ($E1) from container (c1,eth2) done" "$LAST_OUT"
expect_ok "remove-nic: eth back on the host under its name" host_has "$E1"
expect_not_in "remove-nic: eth gone from the container" "eth2" c1 "ip link"
expect_ok "remove-nic veth by its container name" tools remove-nic --type veth --name eth1 c1
expect_eq "remove-nic veth message" "Remove network interface ($V1) from container (c1,eth1) done" "$LAST_OUT"
expect_fail "remove-nic: veth host end gone" "" host_has "$V1"
expect_eq "list-nic of no NIC prints nothing" "" "$(tools list-nic c1)"
expect_ok "stop c1" isula stop -t 1 c1
expect_fail "no pin left after stop" "" test -e "$C1PIN"

# ------------------------------------------------- a veth alone needs no pin (finding 2)
# c5 may change its own links (CAP_NET_ADMIN in its namespace), as a user-namespaced one can.
run_ctr c5 "$R3" --cap-add NET_ADMIN >/dev/null || it_abort "c5 must start"
id_of c5 >>"$IDS"
C5PIN=$(pin_of c5)
V5=hpw$P
expect_ok "c5: add-nic veth" tools add-nic --type veth --name "$V5:eth0v" --ip 172.27.9.2/24 --bridge "$BR" c5
expect_fail "veth only: no pin" "" test -e "$C5PIN"
expect_ok "stop c5 with a veth only" isula stop -t 1 c5
expect_fail "veth only: its host end went with the namespace" "" host_has "$V5"
expect_ok "start c5 with a veth only" isula start c5
expect_ok "veth only: its host end is back" host_has "$V5"
expect_fail "veth only: no pin at start" "" test -e "$C5PIN"

# ----------------------------------- a NIC swapped for another link inside (finding 1)
# The container owns its namespace: it renames the NIC it was given and makes a link of its
# own under that name (a macvlan on its veth, an ifb: both could be moved to the host; a
# bridge could not). Only the NIC given may go back to the host under the host's name; it is
# told here by an alias set on the host.
is_nic() { [ "$(cat "/sys/class/net/$1/ifalias" 2>/dev/null)" = "nic$P" ]; }
ip link set "$E3" alias "nic$P"
expect_ok "c5: add-nic eth" tools add-nic --type eth --name "$E3:eth1" --ip 172.27.0.2/24 c5
expect_ok "c5: the eth pinned the namespace" pinned "$C5PIN"
expect_ok "inside: the NIC renamed away and a macvlan made under its name" \
	in_c c5 "ip link set eth1 down && ip link set eth1 name other && ip link add link eth0v name eth1 type macvlan"
expect_ok "update-nic of the swapped NIC" tools update-nic --name eth1 --mtu 1400 c5
expect_in "update-nic: the NIC given changed" "mtu 1400" c5 "ip link show other"
expect_not_in "update-nic: the impostor left alone" "mtu 1400" c5 "ip link show eth1"
expect_ok "remove-nic of the swapped NIC" tools remove-nic --type eth --name "$E3:eth1" c5
expect_ok "remove-nic: the NIC given is back under its host name" is_nic "$E3"
expect_not_in "remove-nic: the NIC given left the container" "other" c5 "ip link"
expect_in "remove-nic: the impostor stays in the container" "eth1@eth0v" c5 "ip link show eth1"
expect_fail "remove-nic of the last eth: no pin" "" test -e "$C5PIN"

expect_ok "c5: add-nic eth again" tools add-nic --type eth --name "$E3:eth2" --ip 172.27.1.2/24 c5
expect_ok "inside: the NIC renamed away again, an ifb under its name" \
	in_c c5 "ip link set eth2 name other2 && ip link add eth2 type ifb"
expect_ok "stop c5 with its NIC swapped" isula stop -t 1 c5
expect_ok "poststop: the NIC given is back under its host name" is_nic "$E3"
expect_fail "poststop: no pin left" "" test -e "$C5PIN"

# The NIC deleted and another link of its kind made under its name: nothing is the NIC.
expect_ok "start c5 with the eth" isula start c5
expect_ok "inside: the NIC deleted, another ifb under its name" \
	in_c c5 "ip link del eth2 && ip link add eth2 type ifb"
expect_fail "remove-nic of a NIC replaced is refused" "not the network interface added" \
	tools remove-nic --type eth --name "$E3:eth2" c5
expect_fail "refused: the impostor is not on the host" "" host_has "$E3"
expect_match "refused: the NIC stays recorded" "\"HostNicName\":\"$E3\"" "$(tools list-nic c5)"
expect_ok "rm -f c5" isula rm -f c5
expect_fail "rm -f: the impostor is not on the host" "" host_has "$E3"
expect_fail "rm -f: no pin left" "" test -e "$C5PIN"
ip link add "$E3" type ifb

# ------------------------------------- one NIC claimed by two containers at once (finding 3)
# Both add-nic wait on their container's lock, held here, and are let go together: without a
# lock shared by all containers both would find the NIC free in the other's record.
for c in c6 c7; do
	run_ctr "$c" "$R4" >/dev/null && isula stop -t 1 "$c" >/dev/null
	id_of "$c" >>"$IDS"
done
blocked() { # blocked PID...: each PID has found its container and waits for its lock (it
	# holds the lock file open and polls it)
	local p
	for p in "$@"; do ls -l "/proc/$p/fd" 2>/dev/null | grep -q device_hook.lock || return 1; done
}
exec 8>>"$LCR/$(id_of c6)/.device_hook.lock" 9>>"$LCR/$(id_of c7)/.device_hook.lock"
flock -x 8 && flock -x 9
"$TOOLS" add-nic --type eth --name "$E2:eth1" --ip 172.26.0.2/24 c6 >"$IT_TMP/race6" 2>&1 8>&- 9>&- &
P6=$!
"$TOOLS" add-nic --type eth --name "$E2:eth1" --ip 172.26.1.2/24 c7 >"$IT_TMP/race7" 2>&1 8>&- 9>&- &
P7=$!
wait_for "both add-nic wait for their container's lock" 10 blocked "$P6" "$P7"
exec 8>&- 9>&-
ok=0
wait "$P6" && ok=$((ok + 1))
wait "$P7" && ok=$((ok + 1))
expect_eq "two add-nic of one NIC at once: exactly one succeeds" 1 "$ok"
expect_match "the other names the container that has it" "network interface $E2 is already added to container" \
	"$(cat "$IT_TMP/race6" "$IT_TMP/race7")"
expect_eq "exactly one record has it" 1 "$( (tools list-nic c6; tools list-nic c7) | grep -c "\"HostNicName\":\"$E2\"")"
isula rm -f c6 >/dev/null
isula rm -f c7 >/dev/null
isula rm -f c1 >/dev/null

# ----------------------------------------------------------------------- nothing left
for id in $(cat "$IDS"); do
	expect_fail "no pin left for ${id:0:12}" "" test -e "/run/isulad-tools/netns/$id"
	expect_fail "no NIC identity left for ${id:0:12}" "" test -e "/run/isulad-tools/nic/$id.json"
done

it_finish
