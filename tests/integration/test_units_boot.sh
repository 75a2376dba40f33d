#!/usr/bin/env bash
# The units started for real: the Debian systemd rootfs, with the product installed into a
# copy of it (make install DESTDIR=ROOTFS, and the host's libraries it needs that the minimal
# rootfs lacks), boots as a system container, and its systemd runs authz.service (restarted
# always, after 2 s) and isulad.service (Type=notify: `systemctl start` returns once the socket
# answers). lxcfs.service cannot run there: FUSE needs /dev/fuse, which a container does not
# get, so its ConditionVirtualization=!container skips it (checked).
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
R=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
run_capture make -s -C "$REPO" BUILD="$BUILD" install DESTDIR="$R"
[ "$LAST_RC" = 0 ] && pass "make install into the rootfs copy" ||
	it_abort "make install into the rootfs copy: $LAST_OUT"
# The libraries the programs link that the minimal rootfs lacks, from the host (the same
# Debian release the binaries were built on): what the package manager's Requires would add.
for b in "$R"/usr/bin/{isulad,isula,isulad-monitor,authz-broker}; do
	ldd "$b" | awk '/=> \// { print $3 } /^\t\// { print $1 }'
done | sort -u | while read -r lib; do
	[ -e "$R$lib" ] || { mkdir -p "$R$(dirname "$lib")" && cp -L "$lib" "$R$lib"; }
done
missing=$(chroot "$R" sh -c 'for b in /usr/bin/isulad /usr/bin/isula /usr/bin/authz-broker; do ldd $b; done' |
	grep 'not found')
expect_eq "inside the rootfs no program misses a library" "" "$missing"

in_ct() {
	local id=$1
	shift
	timeout 30 lxc-attach -n "$id" -P "$LCR" -- "$@"
}
sd_up() {
	local s
	s=$(in_ct "$1" systemctl is-system-running 2>/dev/null)
	[ "$s" = running ] || [ "$s" = degraded ]
}
id=$(isula run -tid --system-container --external-rootfs "$R" none init) ||
	it_abort "boot the rootfs as a system container"
wait_for "systemd boots in the container" 60 sd_up "$id" || it_abort "systemd must boot"

# --------------------------------------------------------------------------- authz.service
expect_ok "systemctl start authz" in_ct "$id" systemctl start authz
expect_eq "authz.service is active" active "$(in_ct "$id" systemctl is-active authz)"
wait_for "the broker's socket appears" 30 in_ct "$id" test -S /run/isulad/plugins/authz-broker.sock
pid1=$(in_ct "$id" systemctl show -p MainPID --value authz)
t0=$(now_us)
in_ct "$id" kill -KILL "$pid1"
restarted() {
	local p
	p=$(in_ct "$id" systemctl show -p MainPID --value authz)
	[ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$pid1" ]
}
wait_for "authz.service restarts the killed broker (Restart=always)" 60 restarted
ms=$((($(now_us) - t0) / 1000))
[ "$ms" -ge 1900 ] && pass "the restart waited RestartSec=2s (${ms} ms)" ||
	fail "the restart waited RestartSec=2s" "after ${ms} ms"
expect_eq "authz.service is active again" active "$(in_ct "$id" systemctl is-active authz)"

# --------------------------------------------------------------------------- lxcfs.service
in_ct "$id" systemctl start lxcfs >/dev/null 2>&1
expect_eq "lxcfs.service is skipped in a container (ConditionVirtualization=!container)" no \
	"$(in_ct "$id" systemctl show -p ConditionResult --value lxcfs)"

# -------------------------------------------------------------------------- isulad.service
# Nested: isulad in the container serves its API; no container is started inside.
expect_ok "systemctl start isulad (returns once isulad said READY=1)" in_ct "$id" systemctl start isulad
if [ "$LAST_RC" != 0 ]; then
	in_ct "$id" journalctl -u isulad --no-pager -n 20 2>&1 | sed 's/^/    /'
fi
expect_eq "isulad.service is active" active "$(in_ct "$id" systemctl is-active isulad)"
# Right after start returned: the socket answers (no wait).
expect_ok "isula version answers at once after systemctl start" in_ct "$id" env -u ISULAD_HOST isula version
expect_eq "isulad.service's MainPID is isulad's pid file" \
	"$(in_ct "$id" systemctl show -p MainPID --value isulad)" "$(in_ct "$id" cat /var/run/isulad.pid)"
expect_ok "systemctl stop isulad" in_ct "$id" systemctl stop isulad
expect_eq "isulad.service is inactive" inactive "$(in_ct "$id" systemctl is-active isulad)"

expect_ok "isula stop the system container" isula stop "$id"
expect_ok "isula rm" isula rm "$id"
assert_no_leftovers
it_finish
