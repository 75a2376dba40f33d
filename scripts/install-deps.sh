#!/usr/bin/env bash
# Installs what building, running and testing the product needs on Debian 12 (run as root).
set -euo pipefail
PKGS=(build-essential pkg-config clang-format lxc lxc-dev libyajl-dev libmicrohttpd-dev
      libcap-dev libarchive-dev libcmocka-dev debootstrap busybox-static iproute2 procps
      kmod lxcfs fuse3 libfuse3-dev jq curl strace clang libclang-rt-14-dev
      libnl-3-dev libnl-route-3-dev libudev-dev fdisk libgnutls28-dev openssl
      containernetworking-plugins python3-docker rpm scdoc man-db python3)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's lxcfs is only a reference for the tests, which run it on mount points of their own:
# its service must not hold /var/lib/lxcfs.
if [ -d /run/systemd/system ]; then
	systemctl disable --now lxcfs >/dev/null 2>&1 || true
fi
