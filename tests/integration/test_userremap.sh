#!/usr/bin/env bash
# --user-remap uid:gid:offset (seed 000 §2.3.11.1): every validation rule, no effect with a
# uid or gid of 0, a rootfs the mapped root cannot reach or does not own refused before the
# start, the seed's example (a file created inside is owned by the shifted ids on the host),
# the files the engine makes given to the mapped root, and a shifted systemd rootfs that
# boots to "running".
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
case "$BUILD" in
/*) SHIFT=$BUILD/test-tools/shift-rootfs ;;
*) SHIFT=$REPO/$BUILD/test-tools/shift-rootfs ;;
esac
[ -x "$SHIFT" ] || it_abort "build first (make): no $SHIFT"
BB=$(copy_rootfs busybox open) || it_abort "a busybox rootfs copy is needed"
BOOT_TIMEOUT=30

run_remapped() {
	local remap=$1 rootfs=$2
	shift 2
	isula run -tid --system-container --user-remap "$remap" "$@" --external-rootfs "$rootfs" \
		none sh
}
in_ct() {
	local id=$1
	shift
	timeout 10 "$ISULA" exec "$id" "$@"
}
# host_uid PID: the real uid of a host process.
host_uid() { awk '/^Uid:/ { print $2 }' "/proc/$1/status"; }
uid_map() { in_ct "$1" cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //'; }
owner() { stat -c '%u:%g' "$1"; }
# rejected DESC PATTERN CMD...: non-zero exit, PATTERN in the output, no container made.
rejected() {
	local desc=$1 pat=$2
	shift 2
	expect_fail "$desc" "$pat" "$@"
	[ -z "$(isula ps -aq)" ] || fail "$desc: no container left" "$(isula ps -a)"
}

# ============================================================================ validation
while IFS='|' read -r value pat; do
	rejected "user-remap '$value' is rejected" "$pat" \
		isula run -tid --system-container --user-remap "$value" --external-rootfs "$BB" none sh
done <<'EOF'
abc|Invalid user remap specification 'abc': unsupported format
100000:100000|Invalid user remap specification '100000:100000': unsupported format
100000:100000:65535:1|unsupported format
|unsupported format
-1:100000:65535|Invalid host uid for '-1:100000:65535': uid must be an integer
x:100000:65535|Invalid host uid
1.5:100000:65535|Invalid host uid
4294967296:100000:1|Invalid host uid for '4294967296:100000:1'
100000:-1:65535|Invalid host gid for '100000:-1:65535': gid must be an integer
100000:y:65535|Invalid host gid
100000:100000:0|Invalid id offset for '100000:100000:0': offset must be an integer greater than 0 and less than 65536
100000:100000:65536|offset must be an integer greater than 0 and less than 65536
100000:100000:-1|Invalid id offset
100000:100000:z|Invalid id offset
4294967000:100000:65535|uid + offset (4295032535) must not be larger than 2^32-1 (4294967295)
100000:4294967000:65535|gid + offset (4295032535) must not be larger than 2^32-1
EOF
rejected "user-remap is rejected by create too" "Invalid id offset" \
	isula create --system-container --user-remap 1:1:0 --external-rootfs "$BB" none sh
rejected "user-remap with --privileged is rejected" \
	"--user-remap and --privileged cannot be set simultaneously" \
	isula run -tid --system-container --privileged --user-remap 100000:100000:65535 \
	--external-rootfs "$BB" none sh
rejected "user-remap with --privileged is rejected even with uid 0" \
	"--user-remap and --privileged cannot be set simultaneously" \
	isula run -tid --system-container --privileged --user-remap 0:0:65535 --external-rootfs "$BB" none sh
rejected "user-remap on a normal container is rejected" \
	"--user-remap only available for system container" \
	isula run -tid --user-remap 100000:100000:65535 --external-rootfs "$BB" none sh
# The largest sums the seed allows are accepted (the start is another matter).
cid=$(isula create --system-container --user-remap 4294901760:4294901760:65535 \
	--external-rootfs "$BB" none sh)
is_hex64 "$cid" && pass "user-remap uid + offset == 2^32-1 is accepted" ||
	fail "user-remap uid + offset == 2^32-1 is accepted" "$cid"
isula rm -f "$cid" >/dev/null

# ================================================================= no effect with uid/gid 0
for remap in 0:100000:65535 100000:0:65535; do
	id=$(run_remapped "$remap" "$BB")
	expect_eq "user-remap $remap: running" running "$(status_of "$id")"
	expect_eq "user-remap $remap: no effect (init is host root)" 0 "$(host_uid "$(pid_of "$id")")"
	expect_eq "user-remap $remap: no user namespace" "0 0 4294967295" "$(uid_map "$id")"
	grep -q lxc.idmap "$LCR/$id/config" && fail "user-remap $remap: no lxc.idmap" ||
		pass "user-remap $remap: no lxc.idmap"
	isula rm -f "$id" >/dev/null
done

# ================================================== a rootfs the mapped root cannot use
SB=$(copy_rootfs busybox open) || it_abort "a busybox rootfs copy is needed"
expect_ok "shift the busybox copy by 100000" "$SHIFT" "$SB" 100000 100000
expect_eq "shifted: the rootfs is owned by 100000:100000" 100000:100000 "$(owner "$SB")"
expect_eq "shifted: symlinks themselves are shifted" 100000:100000 \
	"$(stat -c '%u:%g' "$SB/bin/sh")"
# mktemp made the temp dir 0700: the mapped root cannot get through it.
expect_fail "user-remap: a rootfs below a dir the mapped root cannot search fails before start" \
	"is not accessible to the container's root (host uid 100000, gid 100000" \
	isula run -tid --system-container --name blocked --user-remap 100000:100000:65535 \
	--external-rootfs "$SB" none sh
expect_match "user-remap: the error names the blocking directory" \
	"$IT_TMP (owner 0:0, mode 0700) cannot be searched by it" "$LAST_OUT"
expect_eq "user-remap: the refused container never ran" inited "$(status_of blocked)"
isula rm -f blocked >/dev/null
chmod 0711 "$IT_TMP"
expect_fail "user-remap: a rootfs not shifted (owned by 0:0) fails before start" \
	"is owned by 0:0, outside uids 100000-165534 and gids 100000-165534" \
	isula run -tid --system-container --name unshifted --user-remap 100000:100000:65535 \
	--external-rootfs "$BB" none sh
expect_eq "user-remap: the unshifted rootfs got no engine files" 0:0 "$(owner "$BB/etc/hostname")"
isula rm -f unshifted >/dev/null

# ============================================================= the seed's example, busybox
id=$(run_remapped 100000:100000:65535 "$SB" --host-channel "$IT_TMP/uchan:/chan:rw:1M" \
	--env-target-file /etc/environment -e abc=123)
expect_eq "user-remap 100000:100000:65535: running" running "$(status_of "$id")"
pid=$(pid_of "$id")
expect_eq "user-remap: the init runs as host uid 100000" 100000 "$(host_uid "$pid")"
expect_eq "user-remap: inside, the init is root" 0 "$(in_ct "$id" id -u)"
expect_eq "user-remap: the uid map" "0 100000 65535" "$(uid_map "$id")"
expect_eq "user-remap: the gid map" "0 100000 65535" \
	"$(in_ct "$id" cat /proc/self/gid_map | tr -s ' ' | sed 's/^ //')"
expect_eq "user-remap: the lxc config maps the ids" \
	"lxc.idmap = u 0 100000 65535"$'\n'"lxc.idmap = g 0 100000 65535" \
	"$(grep lxc.idmap "$LCR/$id/config")"
expect_eq "user-remap: inspect UserRemap" 100000:100000:65535 \
	"$(ifield "$id" '{{.HostConfig.UserRemap}}')"
expect_ok "user-remap seed example: echo test123 >> /test123 inside" \
	in_ct "$id" sh -c 'echo test123 >> /test123'
expect_eq "user-remap seed example: on the host the file is owned by 100000 100000, 8 bytes" \
	"-rw-r--r-- 100000 100000 8" "$(stat -c '%A %u %g %s' "$SB/test123")"
for f in /etc/hostname /etc/hosts /etc/resolv.conf /etc/environment; do
	expect_eq "user-remap: the engine's $f belongs to the mapped root" 100000:100000 \
		"$(owner "$SB$f")"
done
expect_eq "user-remap: inside, /etc/hostname is root's" "0 0" \
	"$(in_ct "$id" stat -c '%u %g' /etc/hostname)"
expect_eq "user-remap: the host channel tmpfs belongs to the mapped root, mode 1777" \
	"100000:100000 1777" "$(stat -c '%u:%g %a' "$IT_TMP/uchan")"
expect_ok "user-remap: the container writes to the host channel" \
	in_ct "$id" sh -c 'echo hi > /chan/f'
expect_eq "user-remap: the host sees the channel file as 100000's" 100000:100000 \
	"$(owner "$IT_TMP/uchan/f")"
expect_ok "user-remap: stop" isula stop -t 1 "$id"
expect_ok "user-remap: start again" isula start "$id"
expect_eq "user-remap: running again as 100000" 100000 "$(host_uid "$(pid_of "$id")")"
stop_daemon main
start_daemon main || it_abort "the daemon must start again"
expect_eq "user-remap: kept across a daemon restart" 100000:100000:65535 \
	"$(ifield "$id" '{{.HostConfig.UserRemap}}')"
expect_eq "user-remap: exec works after the daemon restart" 0 "$(in_ct "$id" id -u)"
expect_ok "user-remap: rm -f" isula rm -f "$id"
expect_ok "user-remap: rm removed the host channel" test ! -e "$IT_TMP/uchan"

# ============================================================== with --ns-change-opt ipc
host_shmmni=$(cat /proc/sys/kernel/shmmni)
id=$(run_remapped 100000:100000:65535 "$SB" --ns-change-opt ipc)
expect_eq "user-remap + ns-change-opt ipc: the nine rw mounts" 9 \
	"$(in_ct "$id" mount | grep ' on /proc/sys' | grep -c '(rw,')"
expect_ok "user-remap + ns-change-opt ipc: the remapped root writes kernel.shmmni" \
	in_ct "$id" sh -c 'echo 1234 > /proc/sys/kernel/shmmni'
expect_eq "user-remap + ns-change-opt ipc: its own value" 1234 \
	"$(in_ct "$id" cat /proc/sys/kernel/shmmni)"
expect_eq "user-remap + ns-change-opt ipc: the host's is unchanged" "$host_shmmni" \
	"$(cat /proc/sys/kernel/shmmni)"
isula rm -f "$id" >/dev/null

# ================================================================ systemd, shifted rootfs
SD=$(copy_rootfs systemd open) || it_abort "a systemd rootfs copy is needed"
su_mode=$(stat -c %a "$SD/usr/bin/su")
t0=$(now_us)
expect_ok "shift the systemd copy by 200000" "$SHIFT" "$SD" 200000 200000
it_log "shift-rootfs: $(find "$SD" | wc -l) files in $((($(now_us) - t0) / 1000)) ms"
expect_eq "shifted: setuid bits are kept (su)" "$su_mode 200000:200000" \
	"$(stat -c '%a %u:%g' "$SD/usr/bin/su")"
id=$(isula run -tid --system-container --user-remap 200000:200000:65535 \
	--external-rootfs "$SD" none init)
is_hex64 "$id" && pass "user-remap systemd: run prints an ID" ||
	it_abort "user-remap systemd: run prints an ID (got '$id')"
sd_running() { [ "$(in_ct "$1" systemctl is-system-running 2>/dev/null)" = running ]; }
wait_for "user-remap systemd: boots to 'running'" "$BOOT_TIMEOUT" sd_running "$id" ||
	in_ct "$id" systemctl --failed --no-pager 2>&1 | sed 's/^/    /'
expect_eq "user-remap systemd: systemd runs as host uid 200000" 200000 \
	"$(host_uid "$(pid_of "$id")")"
expect_ok "user-remap systemd: a file created inside" in_ct "$id" sh -c 'echo test123 >> /test123'
expect_eq "user-remap systemd: ... is owned by the shifted ids on the host" 200000:200000 \
	"$(owner "$SD/test123")"
expect_ok "user-remap systemd: isula stop" isula stop "$id"
code=$(ifield "$id" '{{.State.ExitCode}}')
[ "$code" != 137 ] && pass "user-remap systemd: a clean shutdown (ExitCode $code)" ||
	fail "user-remap systemd: a clean shutdown" "ExitCode 137 (killed after the timeout)"
expect_ok "user-remap systemd: rm" isula rm "$id"

expect_eq "ps -a is empty" "" "$(isula ps -aq)"
assert_no_leftovers
it_finish
