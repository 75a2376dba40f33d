#!/usr/bin/env bash
# Security and /etc flags of create/run, seen from inside real containers: --sysctl (seed
# whitelist, kernel-checked values), --shm-size, --dns/--dns-option/--dns-search, --add-host,
# --oom-kill-disable, --cap-add/--cap-drop, --device, --privileged, the default capability
# list, the default seccomp profile, masked and read-only paths; one test per rejected value;
# the fields in inspect, across a daemon restart and from a Docker-shaped create body; one
# systemd boot under the defaults.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# A static probe that makes single system calls (tests/integration/helpers/secprobe.c).
PROBE_SRC=$IT_LIB_DIR/helpers/secprobe.c
if cc -static -O2 -o "$IT_TMP/secprobe" "$PROBE_SRC" 2>"$IT_TMP/cc.err"; then
	cp "$IT_TMP/secprobe" "$BB/bin/secprobe"
else
	it_abort "the seccomp probe builds (cc -static): $(cat "$IT_TMP/cc.err")"
fi

in_ct() {
	local id=$1
	shift
	timeout 20 "$ISULA" exec "$id" "$@" 2>&1
}
run_bb() { timeout 30 "$ISULA" run -d --external-rootfs "$BB" "$@" none sh -c 'sleep 1000'; }
# cap_mask BIT...: the CapEff hex of exactly those capability numbers.
cap_mask() {
	local m=0 b
	for b in "$@"; do m=$((m | (1 << b))); done
	printf '%016x' "$m"
}
cap_eff() { in_ct "$1" grep CapEff /proc/self/status | awk '{ print $2 }'; }
seccomp_mode() { in_ct "$1" grep '^Seccomp:' /proc/self/status | awk '{ print $2 }'; }
# The mount options of the mount point PATH inside the container.
# /proc files have no size: read a byte.
has_content() { [ -n "$(head -c 1 "$1" 2>/dev/null)" ]; }
mount_opts() { in_ct "$1" awk -v p="$2" '$5 == p { o = $6 } END { print o }' /proc/self/mountinfo; }

# Capability numbers.
CHOWN=0 DAC_OVERRIDE=1 FOWNER=3 FSETID=4 KILL=5 SETGID=6 SETUID=7 SETPCAP=8
NET_BIND_SERVICE=10 NET_ADMIN=12 NET_RAW=13 SYS_CHROOT=18 SYS_ADMIN=21 SYS_BOOT=22 MKNOD=27
AUDIT_WRITE=29 SETFCAP=31
DEFAULT_CAPS=($CHOWN $DAC_OVERRIDE $FSETID $FOWNER $MKNOD $NET_RAW $SETGID $SETUID $SETFCAP
	$SETPCAP $NET_BIND_SERVICE $SYS_CHROOT $KILL $AUDIT_WRITE)
# What this host lets any process have (here CAP_SYS_RESOURCE may be missing): the ceiling.
HOST_BND=$((0x$(awk '/^CapBnd/ { print $2 }' /proc/self/status)))
# bounded BITS...: cap_mask limited to the host's bounding set.
bounded() { printf '%016x' $((0x$(cap_mask "$@") & HOST_BND)); }
LAST_CAP=$(cat /proc/sys/kernel/cap_last_cap)

# --------------------------------------------------------------------------------- defaults
def=$(run_bb --name def)
is_hex64 "$def" || it_abort "run of a default busybox container (got '$def')"
expect_eq "default CapEff: the seed's 14 capabilities" "$(cap_mask "${DEFAULT_CAPS[@]}")" "$(cap_eff def)"
expect_eq "default: seccomp filter on (Seccomp: 2)" 2 "$(seccomp_mode def)"
expect_eq "default seccomp: keyctl fails with EPERM" EPERM "$(in_ct def secprobe keyctl)"
expect_eq "default seccomp: kexec_load fails with EPERM (the host kernel says ENOSYS)" EPERM \
	"$(in_ct def secprobe kexec_load)"
expect_eq "default seccomp: unshare(CLONE_NEWUSER) fails with EPERM" EPERM \
	"$(in_ct def secprobe unshare_user)"
expect_eq "the probe itself works on the host (keyctl ok)" ok "$("$IT_TMP/secprobe" keyctl)"
for f in /proc/keys /proc/timer_list; do
	has_content "$f" || continue
	expect_eq "masked: $f is empty inside (host's is not)" 0 "$(in_ct def sh -c "wc -c <$f")"
done
for d in /proc/acpi /sys/firmware; do
	[ -d "$d" ] || continue
	expect_eq "masked: $d is a read-only tmpfs" "tmpfs ro" \
		"$(in_ct def awk -v p="$d" '$5 == p { split($6, o, ","); t = $(NF - 2) " " o[1] } END { print t }' /proc/self/mountinfo)"
done
for p in /proc/bus /proc/fs /proc/irq /proc/sys; do
	expect_match "read-only path: $p is mounted ro" "ro" "$(mount_opts def "$p" | cut -d, -f1)"
done
expect_fail "read-only path: a write to /proc/irq/default_smp_affinity fails" \
	"Read-only file system" "$ISULA" exec def sh -c 'echo 1 >/proc/irq/default_smp_affinity'
expect_fail "read-only path: a write to /proc/sys/kernel/shmmax fails" \
	"Read-only file system" "$ISULA" exec def sh -c 'echo 1 >/proc/sys/kernel/shmmax'
expect_eq "default /dev/shm is a 64 MB tmpfs" 65536 "$(in_ct def df -k /dev/shm | awk 'NR == 2 { print $2 }')"
expect_eq "inspect: default ShmSize 67108864" 67108864 "$(ifield def '{{.HostConfig.ShmSize}}')"
expect_eq "inspect: default CapAdd []" "[]" "$(ifield def '{{json .HostConfig.CapAdd}}')"
expect_eq "inspect: default Sysctls {}" "{}" "$(ifield def '{{json .HostConfig.Sysctls}}')"
expect_eq "inspect: default OomKillDisable false" false "$(ifield def '{{.HostConfig.OomKillDisable}}')"

# --device: the node exists only through the flag; a self-made node is refused by the cgroup.
LOOP=""
for l in /dev/loop[0-9]*; do
	[ -b "$l" ] && LOOP=$l && break
done
if [ -n "$LOOP" ]; then
	majmin=$(stat -c '%t:%T' "$LOOP")
	maj=$((0x${majmin%:*})) min=$((0x${majmin#*:}))
	expect_fail "default: a mknod'ed $LOOP node cannot be opened (devices cgroup)" \
		"Operation not permitted" "$ISULA" exec def sh -c \
		"mknod /dev/probe b $maj $min && dd if=/dev/probe of=/dev/null count=1"
else
	fail "a host loop device exists for the --device tests"
fi
expect_ok "rm -f def" isula rm -f def

# ------------------------------------------------------------------------ every flag at once
host_msgmax=$(cat /proc/sys/kernel/msgmax)
host_sem=$(cat /proc/sys/kernel/sem)
host_pidmax=$(cat /proc/sys/kernel/pid_max)
want_msgmax=$((host_msgmax == 12345 ? 12346 : 12345))
dev_args=()
[ -n "$LOOP" ] && dev_args=(--device "$LOOP:/dev/mydisk:rw")
fl=$(run_bb --name fl --sysctl kernel.msgmax=$want_msgmax --sysctl "kernel.sem=250 32000 100 64" \
	--sysctl net.ipv4.ip_forward=1 --sysctl fs.mqueue.msg_max=64 --sysctl kernel.pid_max=5000 \
	--shm-size 32m --dns 10.1.2.3 --dns 2001:db8::1 --dns-search example.com --dns-search corp.test \
	--dns-opt ndots:3 --dns-option rotate --add-host db:10.0.0.5 --add-host v6host:fe80::1 \
	--cap-add SYS_ADMIN --cap-add net_admin --cap-drop CAP_CHOWN --cap-drop kill "${dev_args[@]}")
is_hex64 "$fl" || it_abort "run with every flag (got '$fl')"
expect_eq "--sysctl kernel.msgmax inside" "$want_msgmax" "$(in_ct fl cat /proc/sys/kernel/msgmax)"
expect_eq "--sysctl kernel.msgmax: the host's value is unchanged" "$host_msgmax" "$(cat /proc/sys/kernel/msgmax)"
expect_eq "--sysctl kernel.sem (a value with spaces) inside" "250	32000	100	64" \
	"$(in_ct fl cat /proc/sys/kernel/sem)"
expect_eq "--sysctl kernel.sem: host unchanged" "$host_sem" "$(cat /proc/sys/kernel/sem)"
expect_eq "--sysctl net.ipv4.ip_forward inside" 1 "$(in_ct fl cat /proc/sys/net/ipv4/ip_forward)"
expect_eq "--sysctl fs.mqueue.msg_max inside" 64 "$(in_ct fl cat /proc/sys/fs/mqueue/msg_max)"
expect_eq "--sysctl kernel.pid_max inside (namespaced on Linux >= 6.14)" 5000 \
	"$(in_ct fl cat /proc/sys/kernel/pid_max)"
expect_eq "--sysctl kernel.pid_max: host unchanged" "$host_pidmax" "$(cat /proc/sys/kernel/pid_max)"
expect_eq "--shm-size 32m: /dev/shm is 32 MB" 32768 "$(in_ct fl df -k /dev/shm | awk 'NR == 2 { print $2 }')"
resolv=$(in_ct fl cat /etc/resolv.conf)
expect_match "--dns: nameserver 10.1.2.3" "nameserver 10.1.2.3" "$resolv"
expect_match "--dns: nameserver 2001:db8::1" "nameserver 2001:db8::1" "$resolv"
expect_eq "--dns replaces the host's nameservers" 2 "$(grep -c '^nameserver' <<<"$resolv")"
expect_match "--dns-search" "search example.com corp.test" "$resolv"
expect_match "--dns-option and --dns-opt" "options ndots:3 rotate" "$resolv"
hosts=$(in_ct fl cat /etc/hosts)
expect_match "--add-host db:10.0.0.5" "10.0.0.5	db" "$hosts"
expect_match "--add-host v6host:fe80::1" "fe80::1	v6host" "$hosts"
expect_match "/etc/hosts keeps localhost" "127.0.0.1	localhost" "$hosts"
expect_ok "the rootfs's own /etc/hosts is not touched" sh -c "! grep -q 10.0.0.5 '$BB/etc/hosts'"
want=$(cap_mask $DAC_OVERRIDE $FSETID $FOWNER $MKNOD $NET_RAW $SETGID $SETUID $SETFCAP $SETPCAP \
	$NET_BIND_SERVICE $SYS_CHROOT $AUDIT_WRITE $SYS_ADMIN $NET_ADMIN)
expect_eq "--cap-add SYS_ADMIN,net_admin --cap-drop CAP_CHOWN,kill: CapEff" "$want" "$(cap_eff fl)"
expect_eq "with CAP_SYS_ADMIN, seccomp lets unshare(CLONE_NEWNS) through" ok \
	"$(in_ct fl secprobe unshare_ns)"
expect_eq "with CAP_SYS_ADMIN, keyctl stays blocked" EPERM "$(in_ct fl secprobe keyctl)"
if [ -n "$LOOP" ]; then
	expect_eq "--device: /dev/mydisk has the host's major:minor" "$majmin" \
		"$(in_ct fl stat -c '%t:%T' /dev/mydisk)"
	expect_eq "--device: /dev/mydisk is a block device" "block special file" \
		"$(in_ct fl stat -c '%F' /dev/mydisk)"
	expect_ok "--device: /dev/mydisk is readable" "$ISULA" exec fl dd if=/dev/mydisk of=/dev/null count=1
	cgdev=$(cg_file devices "$IT_CGNAME/$fl" devices.list)
	expect_match "--device: the devices cgroup allows b $maj:$min rw" "b $maj:$min rw" "$cgdev"
fi
expect_eq "inspect: Sysctls" "{\"kernel.msgmax\":\"$want_msgmax\",\"kernel.sem\":\"250 32000 100 64\",\"net.ipv4.ip_forward\":\"1\",\"fs.mqueue.msg_max\":\"64\",\"kernel.pid_max\":\"5000\"}" \
	"$(ifield fl '{{json .HostConfig.Sysctls}}')"
expect_eq "inspect: ShmSize" 33554432 "$(ifield fl '{{.HostConfig.ShmSize}}')"
expect_eq "inspect: Dns" '["10.1.2.3","2001:db8::1"]' "$(ifield fl '{{json .HostConfig.Dns}}')"
expect_eq "inspect: DnsOptions" '["ndots:3","rotate"]' "$(ifield fl '{{json .HostConfig.DnsOptions}}')"
expect_eq "inspect: DnsSearch" '["example.com","corp.test"]' "$(ifield fl '{{json .HostConfig.DnsSearch}}')"
expect_eq "inspect: ExtraHosts" '["db:10.0.0.5","v6host:fe80::1"]' "$(ifield fl '{{json .HostConfig.ExtraHosts}}')"
expect_eq "inspect: CapAdd" '["SYS_ADMIN","net_admin"]' "$(ifield fl '{{json .HostConfig.CapAdd}}')"
expect_eq "inspect: CapDrop" '["CAP_CHOWN","kill"]' "$(ifield fl '{{json .HostConfig.CapDrop}}')"
[ -n "$LOOP" ] && expect_eq "inspect: Devices" "[{\"PathOnHost\":\"$LOOP\",\"PathInContainer\":\"/dev/mydisk\",\"CgroupPermissions\":\"rw\"}]" \
	"$(ifield fl '{{json .HostConfig.Devices}}')"
expect_ok "rm -f fl" isula rm -f fl

if [ -n "$LOOP" ]; then
	ro=$(run_bb --name devro --device "$LOOP:/dev/ro:r")
	expect_ok "--device HOST:CTR:r: readable" "$ISULA" exec devro dd if=/dev/ro of=/dev/null count=1
	expect_fail "--device HOST:CTR:r: opening for write is refused" "Operation not permitted" \
		"$ISULA" exec devro sh -c 'echo x >/dev/ro'
	expect_ok "rm -f devro" isula rm -f "$ro"
	# --device-cgroup-rule (Docker's DeviceCgroupRules): a node the container makes itself.
	dr=$(run_bb --name devrule --device-cgroup-rule "b $maj:* r")
	expect_ok "--device-cgroup-rule 'b MAJ:* r': a mknod'ed node of that major is readable" \
		"$ISULA" exec devrule sh -c "mknod /dev/probe b $maj $min && dd if=/dev/probe of=/dev/null count=1"
	expect_fail "... and not writable" "Operation not permitted" \
		"$ISULA" exec devrule sh -c 'echo x >/dev/probe'
	expect_match "... the rule in the container's devices.list" "b $maj:* r" \
		"$(in_ct devrule cat /sys/fs/cgroup/devices/devices.list)"
	expect_eq "inspect: DeviceCgroupRules" "[\"b $maj:* r\"]" \
		"$(ifield devrule '{{json .HostConfig.DeviceCgroupRules}}')"
	expect_ok "rm -f devrule" isula rm -f "$dr"
fi
out=$(python3 - "$SOCK" "$BB" <<'PY' 2>&1
import sys, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config(device_cgroup_rules=["c 10:237 r"])
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sleep", "1000"], host_config=hc)["Id"]
api.start(cid)
ex = api.exec_create(cid, ["cat", "/sys/fs/cgroup/devices/devices.list"])["Id"]
print("c 10:237 r" in api.exec_start(ex).decode(), api.inspect_container(cid)["HostConfig"]["DeviceCgroupRules"])
api.remove_container(cid, force=True)
PY
)
expect_eq "docker-py: device_cgroup_rules reach the devices cgroup" "True ['c 10:237 r']" "$out"
for bad in 'b *:*' 'd *:* r' 'c 1:x rwm' 'c 1:3 rwmx' 'c 1:3 rr'; do
	expect_fail_code "--device-cgroup-rule '$bad' is refused, naming it" 125 \
		"Invalid value \"$bad\" for --device-cgroup-rule" \
		isula create --device-cgroup-rule "$bad" --external-rootfs "$BB" none true
done

# ------------------------------------------------------------------- capability arithmetic
all=()
for ((b = 0; b <= LAST_CAP; b++)); do [ "$b" != $SYS_ADMIN ] && all+=("$b"); done
c=$(run_bb --cap-add all --cap-drop SYS_ADMIN)
expect_eq "--cap-add all --cap-drop SYS_ADMIN (seed example): every capability but SYS_ADMIN" \
	"$(bounded "${all[@]}")" "$(cap_eff "$c")"
isula rm -f "$c" >/dev/null
c=$(run_bb --cap-drop ALL --cap-add NET_RAW)
expect_eq "--cap-drop ALL --cap-add NET_RAW: only NET_RAW" "$(cap_mask $NET_RAW)" "$(cap_eff "$c")"
isula rm -f "$c" >/dev/null
c=$(run_bb --cap-drop ALL)
expect_eq "--cap-drop ALL: no capability" "$(cap_mask)" "$(cap_eff "$c")"
isula rm -f "$c" >/dev/null

# ------------------------------------------------------------------------------ privileged
pv=$(run_bb --name pv --privileged --cap-drop ALL)
all=()
for ((b = 0; b <= LAST_CAP; b++)); do all+=("$b"); done
expect_eq "--privileged: every capability (--cap-drop ignored, as Docker)" "$(bounded "${all[@]}")" "$(cap_eff pv)"
expect_eq "--privileged: no seccomp filter" 0 "$(seccomp_mode pv)"
expect_eq "--privileged: keyctl works" ok "$(in_ct pv secprobe keyctl)"
expect_eq "--privileged: kexec_load reaches the kernel (ENOSYS here)" ENOSYS "$(in_ct pv secprobe kexec_load)"
has_content /proc/timer_list && expect_ok "--privileged: /proc/timer_list is not masked" \
	"$ISULA" exec pv sh -c '[ -n "$(head -c 1 /proc/timer_list)" ]'
expect_eq "--privileged: /proc/irq is not a read-only mount" "" "$(mount_opts pv /proc/irq)"
expect_eq "--privileged: /proc/sys is not a read-only mount" "" "$(mount_opts pv /proc/sys)"
expect_eq "--privileged: /sys is rw" rw "$(mount_opts pv /sys | cut -d, -f1)"
expect_eq "--privileged: the devices cgroup allows everything" "a *:* rwm" \
	"$(cg_file devices "$IT_CGNAME/$(ifield pv '{{.Id}}')" devices.list)"
if [ -n "$LOOP" ]; then
	expect_eq "--privileged: the host's $LOOP is there with its major:minor" "$majmin" \
		"$(in_ct pv stat -c '%t:%T' "$LOOP")"
	expect_ok "--privileged: and readable" "$ISULA" exec pv dd if="$LOOP" of=/dev/null count=1
fi
[ -c /dev/net/tun ] && expect_ok "--privileged: subdirectory devices too (/dev/net/tun)" \
	"$ISULA" exec pv test -c /dev/net/tun
expect_eq "inspect: Privileged true" true "$(ifield pv '{{.HostConfig.Privileged}}')"
expect_ok "rm -f pv" isula rm -f pv

# ------------------------------------------------------------- IPC modes and /dev/shm
# shareable: a host tmpfs (<dir>/mounts/shm, create to rm) that a joiner binds too, so POSIX
# shared memory (files in /dev/shm) is shared with the namespace; host: the host's /dev/shm.
ish=$(timeout 30 "$ISULA" create --ipc shareable --shm-size 8m --external-rootfs "$BB" none \
	sh -c 'sleep 1000')
ishm="$LCR/$ish/mounts/shm"
expect_ok "--ipc shareable: its /dev/shm is mounted on the host at create" findmnt -rn "$ishm"
expect_ok "start of the shareable container" isula start "$ish"
in_ct "$ish" sh -c 'echo shm-shared >/dev/shm/seg' >/dev/null
SB2=$(copy_rootfs busybox) || it_abort "another busybox rootfs copy is needed"
ijo=$(timeout 30 "$ISULA" run -d --ipc container:"$ish" --external-rootfs "$SB2" none sh -c 'sleep 1000')
expect_eq "--ipc container: of a shareable one: its /dev/shm files" shm-shared \
	"$(in_ct "$ijo" cat /dev/shm/seg)"
expect_eq "... and its IPC namespace" "$(readlink "/proc/$(pid_of "$ish")/ns/ipc")" \
	"$(readlink "/proc/$(pid_of "$ijo")/ns/ipc")"
expect_eq "--shm-size holds for the shareable tmpfs (8 MB)" 8192 \
	"$(in_ct "$ish" df -k /dev/shm | awk 'NR == 2 { print $2 }')"
expect_ok "restart of the shareable container" isula restart -t 0 "$ish"
expect_eq "its /dev/shm outlives a restart (lives until rm)" shm-shared "$(in_ct "$ish" cat /dev/shm/seg)"
echo host-shm >"/dev/shm/isulad-it-$$"
iho=$(run_bb --ipc host)
expect_eq "--ipc host: the host's /dev/shm" host-shm "$(in_ct "$iho" cat "/dev/shm/isulad-it-$$")"
rm -f "/dev/shm/isulad-it-$$"
ino=$(run_bb --ipc none)
expect_eq "--ipc none (Docker's): its own IPC namespace" 1 \
	"$([ "$(readlink "/proc/$(pid_of "$ino")/ns/ipc")" != "$(readlink /proc/self/ns/ipc)" ] && echo 1)"
expect_eq "... and no /dev/shm mounted" "" "$(in_ct "$ino" grep ' /dev/shm ' /proc/mounts)"
expect_ok "rm -f of the joiner, host, none and shareable containers" \
	isula rm -f "$ijo" "$iho" "$ino" "$ish"
expect_fail "the shareable tmpfs is unmounted at rm" "" findmnt -rn "$ishm"

# ------------------------------------------------------------------------ oom-kill-disable
if [ -f "$CGROOT/memory/memory.oom_control" ]; then
	# A string that doubles forever: its page faults (user-space ones, the only kind that waits
	# under a disabled OOM killer) go past the limit.
	om=$(timeout 30 "$ISULA" run -d --external-rootfs "$BB" --oom-kill-disable -m 32m --memory-swap 32m \
		none sh -c 'sleep 1; awk "BEGIN { s = \"x\"; while (1) s = s s }"; sleep 1000')
	oc=$CGROOT/memory/$IT_CGNAME/$om/memory.oom_control
	expect_eq "--oom-kill-disable: memory.oom_control oom_kill_disable 1" "oom_kill_disable 1" \
		"$(grep oom_kill_disable "$oc" 2>&1)"
	wait_for "--oom-kill-disable: over its limit the container waits under OOM, nothing killed" 20 \
		grep -qx 'under_oom 1' "$oc"
	expect_eq "--oom-kill-disable: no OOM kill recorded" "oom_kill 0" "$(grep '^oom_kill ' "$oc")"
	expect_eq "--oom-kill-disable: still running" running "$(status_of "$om")"
	expect_eq "inspect: OomKillDisable true" true "$(ifield "$om" '{{.HostConfig.OomKillDisable}}')"
	expect_ok "rm -f of a container under OOM" timeout 30 "$ISULA" rm -f "$om"
	om=$(run_bb -m 32m)
	expect_eq "without the flag oom_kill_disable stays 0" "oom_kill_disable 0" \
		"$(grep oom_kill_disable "$CGROOT/memory/$IT_CGNAME/$om/memory.oom_control" 2>&1)"
	isula rm -f "$om" >/dev/null
else
	fail "this host has cgroup v1 memory.oom_control (the v2 refusal is not tested here)"
fi

# -------------------------------------------------------- system container: /etc in rootfs
SB=$(copy_rootfs busybox) || it_abort "a second busybox rootfs copy is needed"
cp "$IT_TMP/secprobe" "$SB/bin/secprobe"
sc=$(timeout 30 "$ISULA" run -d --system-container --external-rootfs "$SB" --add-host gw:192.0.2.1 \
	--dns 192.0.2.53 --dns-search sys.test none sh -c 'sleep 1000')
expect_match "system container: --add-host written into the rootfs's /etc/hosts" "192.0.2.1	gw" "$(cat "$SB/etc/hosts")"
expect_match "system container: --dns written into the rootfs's /etc/resolv.conf" "nameserver 192.0.2.53" "$(cat "$SB/etc/resolv.conf")"
expect_match "system container: --dns-search too" "search sys.test" "$(in_ct "$sc" cat /etc/resolv.conf)"
want=$(cap_mask "${DEFAULT_CAPS[@]}" $SYS_BOOT)
expect_eq "system container CapEff: the default list plus SYS_BOOT" "$want" "$(cap_eff "$sc")"
expect_eq "system container: unshare(CLONE_NEWNS) passes seccomp (EPERM only from the missing capability)" \
	EPERM "$(in_ct "$sc" secprobe unshare_ns)"
expect_eq "system container: kexec_load blocked by seccomp despite CAP_SYS_BOOT" EPERM \
	"$(in_ct "$sc" secprobe kexec_load)"
# A user namespace would give the container's root every capability in it (review §4.1b).
expect_eq "system container: unshare(CLONE_NEWUSER) blocked by seccomp" EPERM \
	"$(in_ct "$sc" secprobe unshare_user)"
expect_eq "system container: clone(CLONE_NEWUSER) blocked by seccomp" EPERM \
	"$(in_ct "$sc" secprobe clone_user)"
expect_eq "system container: clone3 says ENOSYS (libc falls back to clone)" ENOSYS \
	"$(in_ct "$sc" secprobe clone3_user)"
expect_eq "the probe itself makes a user namespace on the host" ok "$("$IT_TMP/secprobe" clone_user)"
isula rm -f "$sc" >/dev/null
sa=$(timeout 30 "$ISULA" run -d --system-container --cap-add SYS_ADMIN --external-rootfs "$SB" \
	none sh -c 'sleep 1000')
expect_eq "system container with CAP_SYS_ADMIN: unshare(CLONE_NEWUSER) allowed" ok \
	"$(in_ct "$sa" secprobe unshare_user)"
isula rm -f "$sa" >/dev/null

# ----------------------------------------- user-remapped system container: same defaults
# Its root is host uid 200000: the rootfs is shifted, and the engine dirs must be reachable.
chmod 755 "$IT_TMP"
UR=$(copy_rootfs busybox open) || it_abort "a third busybox rootfs copy is needed"
cp "$IT_TMP/secprobe" "$UR/bin/secprobe"
chown -R 200000:200000 "$UR"
ur=$(timeout 30 "$ISULA" run -d --system-container --user-remap 200000:200000:65535 \
	--sysctl kernel.msgmax=4321 --sysctl net.ipv4.ip_forward=1 --external-rootfs "$UR" none sh -c 'sleep 1000')
if is_hex64 "$ur"; then
	expect_eq "user-remap: --sysctl kernel.msgmax written in the container's IPC namespace" 4321 \
		"$(in_ct "$ur" cat /proc/sys/kernel/msgmax)"
	expect_eq "user-remap: --sysctl net.ipv4.ip_forward too" 1 "$(in_ct "$ur" cat /proc/sys/net/ipv4/ip_forward)"
	expect_eq "user-remap: seccomp on" 2 "$(seccomp_mode "$ur")"
	expect_eq "user-remap: keyctl blocked" EPERM "$(in_ct "$ur" secprobe keyctl)"
	expect_eq "user-remap: a nested user namespace is allowed" ok \
		"$(in_ct "$ur" secprobe clone_user)"
	has_content /proc/timer_list && expect_eq "user-remap: /proc/timer_list masked" 0 \
		"$(in_ct "$ur" sh -c 'wc -c </proc/timer_list')"
	expect_match "user-remap: /proc/irq read-only" ro "$(mount_opts "$ur" /proc/irq | cut -d, -f1)"
	isula rm -f "$ur" >/dev/null
else
	fail "run of a user-remapped busybox system container with --sysctl" "got '$ur'"
fi

# ------------------------------------------------------- create, inspect, daemon restart
cr=$(isula create --name cr --external-rootfs "$BB" --sysctl kernel.shmmni=1234 --dns 10.9.9.9 \
	--add-host keep:10.9.9.10 --cap-drop NET_RAW --shm-size 16m --oom-kill-disable none sh -c 'sleep 1000')
is_hex64 "$cr" && pass "create with the flags" || fail "create with the flags" "got '$cr'"
before=$(ifield cr '{{json .HostConfig}}')
stop_daemon main
start_daemon main || it_abort "the daemon restarts"
after=$(ifield cr '{{json .HostConfig}}')
expect_eq "HostConfig identical after a daemon restart" "$before" "$after"
expect_match "after restart: Sysctls kept" '"kernel.shmmni":"1234"' "$after"
expect_match "after restart: ShmSize kept" '"ShmSize":16777216' "$after"
expect_match "after restart: OomKillDisable kept" '"OomKillDisable":true' "$after"
expect_ok "start after the restart" isula start cr
expect_eq "after restart: the sysctl applies" 1234 "$(in_ct cr cat /proc/sys/kernel/shmmni)"
expect_match "after restart: the dns applies" "nameserver 10.9.9.9" "$(in_ct cr cat /etc/resolv.conf)"
expect_eq "after restart: CapDrop NET_RAW applies" 0 $((0x$(cap_eff cr) >> NET_RAW & 1))
expect_ok "rm -f cr" isula rm -f cr

# --------------------------------------------------------------- Docker-shaped create body
body=$(cat <<EOF
{"Image":"none","Cmd":["sh","-c","sleep 1000"],"HostConfig":{"ExternalRootfs":"$BB",
"Privileged":false,"Sysctls":{"kernel.msgmni":"77"},"ShmSize":8388608,"Dns":["10.7.7.7"],
"DnsOptions":["ndots:5"],"DnsSearch":["docker.test"],"ExtraHosts":["dk:10.7.7.8"],
"OomKillDisable":false,"CapAdd":["CAP_SYS_TIME"],"CapDrop":null,"Devices":null,
"Binds":null,"NetworkMode":"default","RestartPolicy":{"Name":"no","MaximumRetryCount":0}}}
EOF
)
out=$(curl -s --unix-socket "$SOCK" -H 'Content-Type: application/json' -d "$body" \
	"http://localhost/v1.41/containers/create?name=dk")
dk=$(sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p' <<<"$out")
is_hex64 "$dk" && pass "Docker-shaped create body accepted" || fail "Docker-shaped create body accepted" "$out"
expect_ok "start it" isula start dk
expect_eq "docker body: Sysctls applied" 77 "$(in_ct dk cat /proc/sys/kernel/msgmni)"
expect_eq "docker body: ShmSize applied" 8192 "$(in_ct dk df -k /dev/shm | awk 'NR == 2 { print $2 }')"
expect_match "docker body: Dns/DnsOptions/DnsSearch applied" "nameserver 10.7.7.7" "$(in_ct dk cat /etc/resolv.conf)"
expect_match "docker body: ExtraHosts applied" "10.7.7.8	dk" "$(in_ct dk cat /etc/hosts)"
expect_eq "docker body: CapAdd CAP_SYS_TIME applied" 1 $((0x$(cap_eff dk) >> 25 & 1))
if command -v docker >/dev/null; then
	export DOCKER_CONFIG=$IT_TMP/docker-config
	mkdir -p "$DOCKER_CONFIG"
	expect_eq "docker inspect reads the fields" "[10.7.7.7] [docker.test] [dk:10.7.7.8] 8388608" \
		"$(timeout 20 docker -H "unix://$SOCK" inspect -f '{{.HostConfig.Dns}} {{.HostConfig.DnsSearch}} {{.HostConfig.ExtraHosts}} {{.HostConfig.ShmSize}}' dk 2>&1)"
fi
bad=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" -H 'Content-Type: application/json' \
	-d "{\"Image\":\"none\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"ExternalRootfs\":\"$BB\",\"CapAdd\":[\"NOPE\"]}}" \
	"http://localhost/v1.41/containers/create")
expect_eq "API: an unknown capability is a 400" 400 "$bad"
isula rm -f dk >/dev/null

# ------------------------------------------------------------------------- rejected values
snapshot() {
	isula ps -a -q --no-trunc 2>&1 | sort
	find "$LCR" -mindepth 1 -maxdepth 1 2>/dev/null | sort
}
# rejected DESC PATTERN FLAGS...: isula run with FLAGS exits 125 with PATTERN; nothing made.
rejected() {
	local desc=$1 pat=$2 before
	shift 2
	before=$(snapshot)
	expect_fail_code "rejected: $desc" 125 "$pat" timeout 30 "$ISULA" run -d "$@" \
		--external-rootfs "$BB" none sh -c 'sleep 1000'
	[ "$before" = "$(snapshot)" ] || fail "rejected: $desc: nothing left behind" "$(snapshot)"
}
rejected "--sysctl kernel.domainname (not in the whitelist)" \
	"Sysctl kernel.domainname=x is not allowed in a container: only kernel.msgmax" --sysctl kernel.domainname=x
rejected "--sysctl vm.swappiness (not in the whitelist)" "Sysctl vm.swappiness=10 is not allowed" \
	--sysctl vm.swappiness=10
rejected "--sysctl kernel.msgmax=abc (the kernel refuses the value)" \
	"Invalid sysctl kernel.msgmax=abc: Invalid argument" --sysctl kernel.msgmax=abc
rejected "--sysctl net.ipv4.no_such_knob=1" "Invalid sysctl net.ipv4.no_such_knob=1: no such kernel parameter" \
	--sysctl net.ipv4.no_such_knob=1
rejected "--sysctl without =" 'Invalid sysctl "kernel.msgmax": expected KEY=VALUE' --sysctl kernel.msgmax
rejected "--sysctl with a path in the key" 'Invalid sysctl key "net/../kernel/x"' --sysctl net/../kernel/x=1
rejected "--shm-size 0" 'Invalid --shm-size "0": expected a size greater than 0' --shm-size 0
rejected "--shm-size -1" 'Invalid --shm-size "-1"' --shm-size -1
rejected "--shm-size 12x" 'Invalid --shm-size "12x"' --shm-size 12x
rejected "--dns 1.2.3" 'Invalid --dns "1.2.3": not an IP address' --dns 1.2.3
rejected "--dns-search bad_domain!" 'Invalid --dns-search "bad_domain!"' --dns-search 'bad_domain!'
rejected "--dns-option with a space" 'Invalid --dns-option "ndots 2"' --dns-option 'ndots 2'
rejected "--add-host without :" 'Invalid --add-host "nocolon": expected HOST:IP' --add-host nocolon
rejected "--add-host with a bad IP" 'Invalid --add-host "h:999.1.1.1": "999.1.1.1" is not an IP address' \
	--add-host h:999.1.1.1
rejected "--add-host with an empty host" 'Invalid --add-host ":10.0.0.1": the host name must be non-empty' \
	--add-host :10.0.0.1
rejected "--cap-add FOO" 'Invalid capability "FOO" in --cap-add: unknown capability' --cap-add FOO
rejected "--cap-drop CAP_BOGUS" 'Invalid capability "CAP_BOGUS" in --cap-drop: unknown capability' \
	--cap-drop CAP_BOGUS
rejected "--device of a missing host device (125, as the seed says)" \
	'adding custom device "/dev/no-such-device": No such file or directory' --device /dev/no-such-device
rejected "--device of a directory" 'Invalid device "/tmp": not a character or block device' \
	--device /tmp:/dev/tmpdir
rejected "--device with bad permissions" 'Invalid device permissions "rwx"' --device /dev/null:/dev/n:rwx
rejected "--device with a relative host path" 'Invalid device "dev/null": the host path must be an absolute path' \
	--device dev/null
rejected "--device into a path outside /dev" 'Invalid device path in the container "/etc/passwd"' \
	--device /dev/null:/etc/passwd
rejected "--device with four parts" 'Invalid device specification "/dev/null:/dev/a:r:w"' \
	--device /dev/null:/dev/a:r:w
expect_fail_code "rejected on create too: --cap-add FOO" 125 'Invalid capability "FOO"' \
	"$ISULA" create --external-rootfs "$BB" --cap-add FOO none sh

# ------------------------------------------------------------------------- systemd boot
R=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
cp "$IT_TMP/secprobe" "$R/usr/local/bin/secprobe"
sd=$(timeout 30 "$ISULA" run -tid --system-container --external-rootfs "$R" none init)
is_hex64 "$sd" || it_abort "run of a systemd system container (got '$sd')"
sd_running() { [ "$(timeout 10 lxc-attach -n "$sd" -P "$LCR" -- systemctl is-system-running 2>/dev/null)" = running ]; }
wait_for "systemd boots to 'running' under the default seccomp profile and masked paths" 30 sd_running ||
	timeout 10 lxc-attach -n "$sd" -P "$LCR" -- systemctl --failed --no-pager 2>&1 | sed 's/^/    /'
expect_eq "systemd's PID 1 is filtered (Seccomp: 2)" 2 \
	"$(in_ct "$sd" grep '^Seccomp:' /proc/1/status | awk '{ print $2 }')"
expect_eq "systemd container: /proc/timer_list masked" 0 "$(in_ct "$sd" sh -c 'wc -c </proc/timer_list')"
expect_eq "systemd container: keyctl blocked" EPERM "$(in_ct "$sd" secprobe keyctl)"
expect_ok "stop of the systemd container" isula stop "$sd"
isula rm -f "$sd" >/dev/null

assert_no_leftovers
it_finish
