#!/usr/bin/env bash
# The main job: install dependencies, build and install, start isulad, build the default systemd
# rootfs (cached) and boot a system container from it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
make -s
make -s install PREFIX=/usr/local
ROOTFS=${ISULAD_DEMO_ROOTFS:-/srv/isulad/rootfs-systemd}
if ! isula version >/dev/null 2>&1; then
	echo "starting isulad (log: /var/lib/isulad/isulad.log)" >&2
	nohup isulad >/dev/null 2>&1 &
	for _ in $(seq 1 50); do isula version >/dev/null 2>&1 && break; sleep 0.1; done
fi
if [ ! -e "$ROOTFS/.isulad-rootfs-ok" ]; then
	cached=$(bash tests/mkrootfs.sh systemd | tail -n 1)
	echo "copying $cached to $ROOTFS" >&2
	rm -rf "$ROOTFS.tmp" && mkdir -p "$(dirname "$ROOTFS")"
	cp -a "$cached" "$ROOTFS.tmp" && mv "$ROOTFS.tmp" "$ROOTFS"
fi
isula rm -f systest01 >/dev/null 2>&1 || true
isula run -tid -n systest01 --system-container --external-rootfs "$ROOTFS" none init
id=$(isula inspect -f '{{.Id}}' systest01)
graph=$(isula info | sed -n 's/^iSulad Root Dir: //p')
state=unknown
for _ in $(seq 1 150); do
	state=$(lxc-attach -n "$id" -P "$graph/engines/lcr" -- systemctl is-system-running 2>/dev/null || true)
	[ "$state" = running ] && break
	sleep 0.2
done
isula ps
echo "systemctl is-system-running (inside systest01): $state"
[ "$state" = running ]
