#!/usr/bin/env bash
# The main job: install dependencies, build and install, start isulad, build the default systemd
# rootfs (cached) and boot a system container from it, with lxcfs views (its own memory limit
# in `free -m`) when lxcfs can run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
make -s
make -s install PREFIX=/usr/local
ROOTFS=${ISULAD_DEMO_ROOTFS:-/srv/isulad/rootfs-systemd}
# Only root may enter the default rootfs's directory: isulad refuses a rootfs other host users
# can reach (its container's root could leave setuid programs there for them).
if [ -z "${ISULAD_DEMO_ROOTFS:-}" ]; then
	mkdir -p /srv/isulad && chmod 0700 /srv/isulad
fi
if ! isula version >/dev/null 2>&1; then
	echo "starting isulad (log: /var/lib/isulad/isulad.log)" >&2
	nohup isulad >/dev/null 2>&1 &
	for _ in $(seq 1 50); do isula version >/dev/null 2>&1 && break; sleep 0.1; done
fi
# lxcfs on its default mount point, unless one already serves there; the container gets the
# views through the toolkit's hook spec (installed by make install). Without lxcfs the demo
# goes on with the host's /proc files.
LXCFS_MNT=/var/lib/lxcfs
HOOKSPEC=/var/lib/isulad/hooks/hookspec.json
hook=()
if ! lxcfs-toolkit --mount-point "$LXCFS_MNT" check-lxcfs >/dev/null 2>&1; then
	if mountpoint -q "$LXCFS_MNT" 2>/dev/null; then
		echo "warning: something else is mounted on $LXCFS_MNT; not starting lxcfs" >&2
	else
		echo "starting lxcfs on $LXCFS_MNT (pid file /run/lxcfs.pid)" >&2
		lxcfs -p /run/lxcfs.pid "$LXCFS_MNT" </dev/null >/dev/null 2>&1 ||
			echo "warning: lxcfs did not start" >&2
		for _ in $(seq 1 50); do
			lxcfs-toolkit --mount-point "$LXCFS_MNT" check-lxcfs >/dev/null 2>&1 && break
			sleep 0.1
		done
	fi
fi
if lxcfs-toolkit --mount-point "$LXCFS_MNT" check-lxcfs >/dev/null 2>&1; then
	hook=(--hook-spec "$HOOKSPEC")
else
	echo "warning: no lxcfs on $LXCFS_MNT: the container sees the host's /proc files" >&2
fi
if [ ! -e "$ROOTFS/.isulad-rootfs-ok" ]; then
	cached=$(bash tests/mkrootfs.sh systemd | tail -n 1)
	echo "copying $cached to $ROOTFS" >&2
	rm -rf "$ROOTFS.tmp" && mkdir -p -m 0700 "$(dirname "$ROOTFS")"
	cp -a "$cached" "$ROOTFS.tmp" && mv "$ROOTFS.tmp" "$ROOTFS"
fi
isula rm -f systest01 >/dev/null 2>&1 || true
isula run -tid -n systest01 --system-container -m 1g "${hook[@]}" --external-rootfs "$ROOTFS" \
	none init
id=$(isula inspect -f '{{.Id}}' systest01)
graph=$(isula info | sed -n 's/^iSulad Root Dir: //p')
state=unknown
for _ in $(seq 1 150); do
	state=$(lxc-attach -n "$id" -P "$graph/engines/lcr" -- systemctl is-system-running 2>/dev/null || true)
	[ "$state" = running ] && break
	sleep 0.2
done
isula ps
if [ ${#hook[@]} -gt 0 ]; then
	echo "free -m (inside systest01, -m 1g):"
	isula exec systest01 free -m || true
fi
echo "systemctl is-system-running (inside systest01): $state"
[ "$state" = running ]
