#!/usr/bin/env bash
# Container networking on CNI plugins: the default network, --net none|host|container:X|NAME,
# --ip, --mac-address, -p, isula network create|ls|inspect|rm, isula port; every way a
# container ends leaves no link, lease, rule or netns file. Traffic stays between the host's
# bridges and the containers this file makes.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
IT_NETWORK=1 start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
HOSTBB=$(command -v busybox) || it_abort "busybox is needed on the host (busybox-static)"

run_bb() { isula run -d "$@"; }
ip_of() { ifield "$1" '{{.NetworkSettings.IPAddress}}'; }
id_of() { ifield "$1" '{{.Id}}'; }
# The bridge device of a network.
bridge_of() { jq -r '.plugins[0].bridge' "$IT_TMP/daemon-main/cni/$1.conflist" 2>/dev/null; }
links_on() { ip -o link show master "$1" 2>/dev/null | wc -l; }
# net_clean ID: nothing of the container's networking is left on the host.
net_clean() {
	local id=$1
	[ ! -e "$STATE/netns/$id" ] && [ ! -e "$LCR/$id/network.json" ] &&
		! grep -rqs "$id" "$GRAPH/cni" && ! iptables-save 2>/dev/null | grep -q "$id" &&
		! findmnt -rn -o TARGET | grep -q "netns/$id"
}
# A TCP server answering "hello" to every connection, in a container.
serve() { echo "nc -ll -p $1 -e echo hello"; }
# reach IP PORT from the host: the server's answer.
host_get() { "$HOSTBB" nc -w 3 "$1" "$2" </dev/null 2>/dev/null; }
answers() { [ "$(host_get "$1" "$2")" = hello ]; }
# serves NAME PORT: the container answers on its current address.
serves() { local ip; ip=$(ip_of "$1") && [ -n "$ip" ] && answers "$ip" "$2"; }
ctr_answers() { [ "$(isula exec "$1" nc -w 3 "$2" "$3" </dev/null 2>/dev/null)" = hello ]; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		port_free "$p" && ! iptables-save 2>/dev/null | grep -q -- "--dport $p " &&
			echo "$p" && return 0
	done
	return 1
}

# ------------------------------------------------------------------ the default network
run_bb --name c1 --external-rootfs "$BB" none sleep 600 >/dev/null
expect_eq "on a network the default hostname is Docker's short ID" "$(id_of c1 | cut -c1-12)" \
	"$(isula exec c1 hostname 2>&1)"
run_bb --name hn-none --net none --external-rootfs "$BB" none sleep 600 >/dev/null
expect_eq "with --net none it is the seed's localhost" localhost "$(isula exec hn-none hostname 2>&1)"
run_bb --name hn-host --net host --external-rootfs "$BB" none sleep 600 >/dev/null
expect_eq "with --net host it is the host's" "$(hostname)" "$(isula exec hn-host hostname 2>&1)"
isula rm -f hn-none hn-host >/dev/null
expect_eq "c1 runs on the default network" running "$(status_of c1)"
BR=$(bridge_of bridge)
[ -n "$BR" ] && ip link show "$BR" >/dev/null 2>&1 && pass "the default network 'bridge' was made with its own bridge ($BR)" ||
	fail "the default network has its bridge" "$BR"
C1=$(ip_of c1)
GW=$(ifield c1 '{{.NetworkSettings.Networks.bridge.Gateway}}')
[[ "$C1" =~ ^[0-9.]+$ ]] && pass "inspect: IPAddress $C1" || fail "inspect: IPAddress" "$C1"
expect_eq "inspect: Networks.bridge.IPAddress matches" "$C1" "$(ifield c1 '{{.NetworkSettings.Networks.bridge.IPAddress}}')"
prefix=$(ifield c1 '{{.NetworkSettings.Networks.bridge.IPPrefixLen}}')
[ "$prefix" -ge 8 ] 2>/dev/null && pass "inspect: IPPrefixLen $prefix" || fail "inspect: IPPrefixLen" "$prefix"
mac=$(ifield c1 '{{.NetworkSettings.Networks.bridge.MacAddress}}')
[[ "$mac" =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] && pass "inspect: MacAddress $mac" || fail "inspect: MacAddress" "$mac"
expect_eq "inspect: HostConfig.NetworkMode bridge" bridge "$(ifield c1 '{{.HostConfig.NetworkMode}}')"
expect_match "the container has its address on eth0" "inet $C1/$prefix" "$(isula exec c1 ip -4 addr show eth0 2>&1)"
expect_match "the container's default route goes through the gateway" "default via $GW" "$(isula exec c1 ip route 2>&1)"
expect_match "the host's bridge holds the gateway" "inet $GW/" "$(ip -4 addr show "$BR")"
# ipam NETWORK: "SUBNET GATEWAY" of its first IPAM config.
ipam() { isula network inspect -f '{{json .IPAM.Config}}' "$1" | jq -r '.[0] | "\(.Subnet) \(.Gateway)"'; }
subnet=$(ipam bridge | cut -d' ' -f1)
masq_rules() { iptables -w -t nat -S POSTROUTING | grep -cF -- "! -o $1 -j MASQUERADE"; }
expect_eq "one masquerading rule for the default network" 1 "$(masq_rules "$BR")"
other=$(ip -4 route | grep -v " dev $BR " | awk -v s="$subnet" '$1 == s')
[ -z "$other" ] && pass "the default subnet $subnet overlaps no other route of the host" ||
	fail "the default subnet overlaps no route" "$other"

# The init starts only once ADD is done: its very first command sees the address.
run_bb --name early --external-rootfs "$BB" none sh -c 'ip -4 -o addr show eth0; sleep 600' >/dev/null
wait_for "the init's first command sees its address" 10 sh -c "'$ISULA' logs early | grep -qF \"inet \$('$ISULA' inspect -f '{{.NetworkSettings.IPAddress}}' early)/\""
isula rm -f early >/dev/null

# ----------------------------------------------------------- two containers talk over TCP
run_bb --name srv --external-rootfs "$BB" none sh -c "$(serve 8080)" >/dev/null
SRV=$(ip_of srv)
wait_for "c1 reaches srv over TCP (busybox nc)" 10 ctr_answers c1 "$SRV" 8080
wait_for "the host reaches srv on its address" 10 answers "$SRV" 8080

# --------------------------------------------------------- --ip, --mac-address, -p, port
P1=$(pick_port) || it_abort "a free host port is needed"
base=${GW%.*}
want_ip=$base.77
id=$(run_bb --name pub --ip "$want_ip" --mac-address 02:42:ac:11:00:4d -p "$P1:8080" \
	--external-rootfs "$BB" none sh -c "$(serve 8080)")
expect_eq "--ip is the container's address" "$want_ip" "$(ip_of pub)"
expect_eq "--mac-address is eth0's MAC" 02:42:ac:11:00:4d "$(ifield pub '{{.NetworkSettings.MacAddress}}')"
expect_match "the MAC is on eth0 inside" "02:42:ac:11:00:4d" "$(isula exec pub ip link show eth0 2>&1)"
wait_for "a published port answers from the host's bridge address" 10 answers "$GW" "$P1"
expect_eq "isula port lists the mapping" "8080/tcp -> 0.0.0.0:$P1" "$(isula port pub)"
expect_eq "isula port CTR 8080" "0.0.0.0:$P1" "$(isula port pub 8080)"
expect_match "isula ps shows the published port" "0.0.0.0:$P1->8080/tcp" "$(isula ps)"
expect_eq "inspect: NetworkSettings.Ports" "$P1" "$(ifield pub '{{json .NetworkSettings.Ports}}' | jq -r '."8080/tcp"[0].HostPort')"

# -------------------------------------------------------------- bad input: nothing made
nleases() { find "$GRAPH/cni" -type f ! -name lock ! -name 'last_reserved_ip*' | wc -l; }
nlinks=$(links_on "$BR")
leases=$(nleases)
expect_fail_code "--ip outside the subnet is refused" 125 "10.255.255.9" \
	isula create --name bad --ip 10.255.255.9 --external-rootfs "$BB" none true
expect_fail_code "--ip already taken is refused" 125 "$want_ip" \
	isula create --name bad --ip "$want_ip" --external-rootfs "$BB" none true
expect_fail_code "an unknown network is refused" 125 "nosuchnet" \
	isula create --name bad --net nosuchnet --external-rootfs "$BB" none true
expect_fail_code "a malformed -p is refused" 125 "80:xx" \
	isula create --name bad -p 80:xx --external-rootfs "$BB" none true
expect_fail_code "a port out of range is refused" 125 "70000:80" \
	isula create --name bad -p 70000:80 --external-rootfs "$BB" none true
expect_fail_code "a host port already published is refused" 125 "$P1/tcp" \
	isula create --name bad -p "$P1:80" --external-rootfs "$BB" none true
expect_fail_code "a bad MAC is refused" 125 "zz:00" \
	isula create --name bad --mac-address zz:00 --external-rootfs "$BB" none true
expect_fail_code "--net container: of a container that does not run is refused" 125 "not running" \
	sh -c "'$ISULA' create --name stopped0 --external-rootfs '$BB' none true >/dev/null; '$ISULA' create --name bad --net container:stopped0 --external-rootfs '$BB' none true"
expect_fail_code "--ip with --net none is refused" 125 "--net none" \
	isula create --name bad --net none --ip "$base.90" --external-rootfs "$BB" none true
expect_fail_code "--net host with --sysctl net.* is refused" 125 "net.ipv4.ip_forward=1" \
	isula create --name bad --net host --sysctl net.ipv4.ip_forward=1 --external-rootfs "$BB" none true
expect_fail_code "--net host with --ns-change-opt net is refused" 125 "--ns-change-opt net" \
	isula create --name bad --net host --system-container --ns-change-opt net --external-rootfs "$BB" none true
gone bad && pass "no container 'bad' was made" || fail "no container 'bad' was made"
expect_eq "no lease was taken by the refusals" "$leases" "$(nleases)"
expect_eq "no link was made by the refusals" "$nlinks" "$(links_on "$BR")"

# -------------------------------------------------------------- --net container:, host, none
run_bb --name joined --net container:c1 --external-rootfs "$BB" none sleep 600 >/dev/null
expect_match "--net container:c1 shares c1's address" "inet $C1/" "$(isula exec joined ip -4 addr show eth0 2>&1)"
expect_eq "--net container: is recorded" container:c1 "$(ifield joined '{{.HostConfig.NetworkMode}}')"
run_bb --name hostnet --net host --external-rootfs "$BB" none sleep 600 >/dev/null
expect_match "--net host sees the host's bridge" "$BR" "$(isula exec hostnet ip -o link 2>&1)"
run_bb --name nonet --net none --external-rootfs "$BB" none sleep 600 >/dev/null
expect_eq "--net none: only lo" "lo" "$(isula exec nonet ls /sys/class/net 2>&1 | tr -s ' \n' ' ' | sed 's/ $//')"
expect_eq "--net none: no address in inspect" "" "$(ip_of nonet)"
isula rm -f joined hostnet nonet stopped0 >/dev/null

# --------------------------------------------------------------- isula network commands
expect_fail_code "network create: a subnet overlapping the default network is refused" 125 "$subnet" \
	isula network create --subnet "$subnet" ov1
out=$(isula network create --subnet 10.213.7.0/24 --gateway 10.213.7.254 --label team=qa --internal isnet 2>&1)
is_hex64 "$out" && pass "network create prints the network's id" || fail "network create prints an id" "$out"
expect_match "network ls lists it" "isnet" "$(isula network ls)"
expect_eq "network ls -q -f name=isnet" "${out:0:12}" "$(isula network ls -q -f name=isnet)"
expect_eq "network ls -f label=team=qa" "isnet" "$(isula network ls -f label=team=qa | awk 'NR > 1 { print $2 }')"
expect_eq "network inspect: subnet, gateway" "10.213.7.0/24 10.213.7.254" "$(ipam isnet)"
expect_eq "network inspect -f {{.Internal}}" true "$(isula network inspect -f '{{.Internal}}' isnet)"
expect_fail_code "network create: a taken name is refused" 125 "isnet" isula network create isnet
expect_fail_code "network create: a bad subnet is refused" 125 "10.1.2.3/33" \
	isula network create --subnet 10.1.2.3/33 badnet
expect_fail_code "network create: a gateway outside the subnet is refused" 125 "10.9.9.1" \
	isula network create --subnet 10.213.8.0/24 --gateway 10.9.9.1 badnet
expect_fail_code "network create: an unknown driver is refused" 125 "macvlan" \
	isula network create -d macvlan badnet
run_bb --name in1 --net isnet --external-rootfs "$BB" none sh -c "$(serve 8080)" >/dev/null
run_bb --name in2 --net isnet --external-rootfs "$BB" none sleep 600 >/dev/null
[ -z "$(isula exec in2 ip route 2>&1 | grep default)" ] && pass "--internal: no default route" ||
	fail "--internal: no default route" "$(isula exec in2 ip route 2>&1)"
wait_for "two containers on a user network talk over TCP" 10 ctr_answers in2 "$(ip_of in1)" 8080
expect_match "network inspect lists its containers" "$(id_of in1)" "$(isula network inspect isnet)"
expect_fail_code "network rm is refused while a container uses it" 1 "active endpoints" \
	isula network rm isnet
expect_fail_code "network rm of the default network is refused" 1 "pre-defined" isula network rm bridge
in1=$(id_of in1)
in2=$(id_of in2)
isbr=$(bridge_of isnet)
isula rm -f in1 in2 >/dev/null
expect_eq "an --internal network has no masquerading rule" 0 "$(masq_rules "$isbr")"
out=$(isula network create ext1 2>&1)
extbr=$(bridge_of ext1)
expect_eq "network create: one masquerading rule" 1 "$(masq_rules "$extbr")"
expect_eq "network rm ext1" ext1 "$(isula network rm ext1 2>&1)"
expect_eq "network rm: its masquerading rule is gone" 0 "$(masq_rules "$extbr")"
expect_eq "network rm" isnet "$(isula network rm isnet 2>&1)"
ip link show "$isbr" >/dev/null 2>&1 && fail "network rm deletes its bridge" || pass "network rm deletes its bridge"
[ ! -e "$GRAPH/cni/isnet" ] && pass "network rm deletes its leases" || fail "network rm deletes its leases"
expect_fail_code "network inspect of a removed network" 1 "not found" isula network inspect isnet

# ------------------------------------------------------- the Docker CLI and docker-py
dk() { DOCKER_HOST=unix://$SOCK docker "$@"; }
if command -v docker >/dev/null; then
	out=$(dk network create --subnet 10.213.9.0/24 --label via=docker dnet 2>&1)
	is_hex64 "$out" && pass "docker network create" || fail "docker network create" "$out"
	expect_match "docker network ls" "dnet" "$(dk network ls 2>&1)"
	expect_eq "docker network ls -q -f name=dnet" "${out:0:12}" "$(dk network ls -q -f name=dnet 2>&1)"
	expect_eq "docker network inspect" "10.213.9.0/24" \
		"$(dk network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' dnet 2>&1)"
	expect_eq "docker network rm" dnet "$(dk network rm dnet 2>&1)"
else
	fail "the Docker CLI is installed (/usr/local/bin/docker)"
fi
py=$(python3 - "$SOCK" 2>&1 <<'PY'
import sys, docker
c = docker.DockerClient(base_url="unix://" + sys.argv[1], version="1.41")
pool = docker.types.IPAMPool(subnet="10.213.10.0/24")
n = c.networks.create("pynet", driver="bridge", ipam=docker.types.IPAMConfig(pool_configs=[pool]))
got = c.networks.get("pynet").attrs["IPAM"]["Config"][0]["Subnet"]
n.remove()
print(got, "pynet" in [x.name for x in c.networks.list()])
PY
)
expect_eq "docker-py creates, reads and removes a network" "10.213.10.0/24 False" "$py"

# ----------------------------------------------------------- a user-remapped container
# Not on a network yet (README: Networking): it defaults to none, and a network is refused.
id=$(isula create --system-container --user-remap 300000:300000:65535 --external-rootfs "$BB" none sh)
expect_eq "a user-remapped container defaults to --net none" none "$(ifield "$id" '{{.HostConfig.NetworkMode}}')"
isula rm -f "$id" >/dev/null
expect_fail_code "a user-remapped container on a network is refused" 125 "--user-remap 300000:300000:65535" \
	isula create --name bad --net bridge --system-container --user-remap 300000:300000:65535 \
	--external-rootfs "$BB" none sh

# ------------------------------------------------------------------------- the end paths
# Each way a container ends, with a published port (portmap's rules) and a lease.
end_path() {
	local what=$1 p id
	shift
	p=$(pick_port) || return 1
	id=$(run_bb -p "$p:8080" --external-rootfs "$BB" none "$@")
	wait_for "$what: running with its address" 10 sh -c "[ -n \"\$('$ISULA' inspect -f '{{.NetworkSettings.IPAddress}}' $id)\" ]"
	echo "$id"
}
nveth=$(links_on "$BR")
id=$(end_path stop sleep 600 | tail -1)
isula stop -t 1 "$id" >/dev/null
net_clean "$id" && pass "stop: no netns, lease, rule or state left" || fail "stop leaves nothing" "$(ls "$STATE/netns")"
expect_eq "stop: its link is gone" "$nveth" "$(links_on "$BR")"
isula rm "$id" >/dev/null
id=$(end_path kill sleep 600 | tail -1)
isula kill "$id" >/dev/null
wait_for "kill: nothing left" 10 net_clean "$id"
expect_eq "kill: its link is gone" "$nveth" "$(links_on "$BR")"
isula rm "$id" >/dev/null
id=$(end_path exit sh -c 'sleep 1; exit 3' | tail -1)
wait_for "exit: the container ends by itself" 10 is_status "$id" exited
wait_for "exit: nothing left" 10 net_clean "$id"
expect_eq "exit: its link is gone" "$nveth" "$(links_on "$BR")"
isula rm "$id" >/dev/null
id=$(end_path "rm -f" sleep 600 | tail -1)
isula rm -f "$id" >/dev/null
net_clean "$id" && pass "rm -f: nothing left" || fail "rm -f: nothing left"
expect_eq "rm -f: its link is gone" "$nveth" "$(links_on "$BR")"

# restart keeps working networking; the old lease is given back
id=$(run_bb --name rs --external-rootfs "$BB" none sh -c "$(serve 8080)")
expect_ok "restart" isula restart -t 1 rs
wait_for "after restart the container answers on its address" 10 serves rs 8080
expect_eq "after restart: one lease for it" 1 "$(grep -rls "$id" "$GRAPH/cni" | wc -l)"

# restart policy: a container that exits is started again with a fresh ADD
# The first run fails at once; the second serves.
once=/rp-once-$$
id=$(run_bb --name rp --restart on-failure:1 --external-rootfs "$BB" none \
	sh -c "[ -e $once ] || { touch $once; exit 1; }; $(serve 8080)")
wait_for "restart policy: restarted once" 15 sh -c "[ \"\$('$ISULA' inspect -f '{{.RestartCount}}' rp)\" = 1 ]"
wait_for "restart policy: networking works after the restart" 10 serves rp 8080
expect_eq "restart policy: one lease for it" 1 "$(grep -rls "$id" "$GRAPH/cni" | wc -l)"
isula rm -f rp >/dev/null
net_clean "$id" && pass "restart policy: rm -f leaves nothing" || fail "restart policy: rm -f leaves nothing"

# ---------------------------------------------------------------------- daemon restart
stop_daemon main
IT_NETWORK=1 start_daemon main || it_abort "the daemon must start again"
expect_eq "daemon restart: inspect keeps the address" "$C1" "$(ip_of c1)"
expect_eq "daemon restart: still one masquerading rule" 1 "$(masq_rules "$BR")"
wait_for "daemon restart: srv still answers" 10 ctr_answers c1 "$SRV" 8080
# A container that ends while the daemon is down is DELeted when it comes back.
id=$(id_of srv)
kill_daemon main
kill -9 "$(jq -r .State.Pid "$LCR/$id/config.v2.json")"
IT_NETWORK=1 start_daemon main || it_abort "the daemon must start again"
wait_for "ended while the daemon was down: exited" 10 is_status srv exited
wait_for "ended while the daemon was down: nothing left at daemon start" 10 net_clean "$id"

isula rm -f c1 pub rs srv >/dev/null 2>&1
expect_eq "every container gone: no link left on the bridge" 0 "$(links_on "$BR")"
expect_eq "no netns file left" "" "$(ls "$STATE/netns" 2>/dev/null)"
expect_eq "no lease left" 0 "$(nleases)"

# ------------------------------------------------------------------ cni-bin-dir, bridge none
mkdir -p "$IT_TMP/nobin"
start_daemon nobin --cni-bin-dir "$IT_TMP/nobin" --bip 10.214.3.1/24 || it_abort "daemon nobin"
expect_fail_code "a cni-bin-dir without the plugin is refused at create" 125 '"bridge" not found' \
	isula create --name bad --external-rootfs "$BB" none true
gone bad && pass "cni-bin-dir without the plugin: nothing made" || fail "nothing made"
expect_eq "bip sets the default network's subnet" "10.214.3.0/24 10.214.3.1" "$(ipam bridge)"
# A failing ADD at start (the bridge plugin gone from the bin dir after create): the start
# fails naming it, and nothing is left.
mkdir -p "$IT_TMP/bins"
for p in /usr/lib/cni/*; do ln -s "$p" "$IT_TMP/bins/"; done
start_daemon flaky --cni-bin-dir "$IT_TMP/bins" --bip 10.214.4.1/24 || it_abort "daemon flaky"
fid=$(isula create --external-rootfs "$BB" none sleep 600)
rm "$IT_TMP/bins/bridge"
expect_fail "a start whose ADD fails is refused" '"bridge" not found' isula start "$fid"
expect_eq "after the failed ADD the container is not running" inited "$(status_of "$fid")"
[ ! -e "$STATE/netns/$fid" ] && [ ! -e "$LCR/$fid/network.json" ] && ! grep -rqs "$fid" "$GRAPH/cni" &&
	pass "after the failed ADD: no netns, state or lease left" || fail "after the failed ADD: nothing left"
ln -s /usr/lib/cni/bridge "$IT_TMP/bins/bridge"
expect_ok "the same container starts once the plugin is back" isula start "$fid"
[ -n "$(ip_of "$fid")" ] && pass "and has its address" || fail "and has its address"
start_daemon off || it_abort "daemon off"
id=$(run_bb --external-rootfs "$BB" none sleep 600)
expect_eq "bridge none: containers get --net none" none "$(ifield "$id" '{{.HostConfig.NetworkMode}}')"
expect_eq "bridge none: no network made" "" "$(ls "$IT_TMP/daemon-off/cni" 2>/dev/null)"

it_finish
