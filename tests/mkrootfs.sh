#!/bin/bash
# Build (and cache) root filesystems for the integration tests.
#
#   tests/mkrootfs.sh busybox [DEST]    minimal static-busybox rootfs (seconds)
#   tests/mkrootfs.sh systemd [DEST]    debootstrapped Debian bookworm with systemd (~1-2 min)
#   tests/mkrootfs.sh copy KIND DEST    fresh writable copy of the cached KIND rootfs
#
# Default DEST: ${ISULAD_TEST_CACHE:-/var/cache/isulad-tests}/rootfs-<kind>.
# A rootfs is built in a temp dir next to DEST and renamed into place only on
# success, then stamped with $STAMP containing "<kind> <recipe version>". An
# existing DEST with a matching stamp is reused as is. Bump the version of a
# kind whenever its recipe below changes.
#
# Progress goes to stderr; the final rootfs path is always the last line on stdout.
set -euo pipefail

BUSYBOX_VERSION=2
SYSTEMD_VERSION=1

CACHE=${ISULAD_TEST_CACHE:-/var/cache/isulad-tests}
STAMP=.isulad-rootfs-ok
MIRROR=${ISULAD_TEST_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm

TMP_ROOT=""
CHILD=""

log() { echo "mkrootfs: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

usage() {
    cat >&2 <<EOF
usage: $0 busybox [DEST]
       $0 systemd [DEST]
       $0 copy KIND DEST
EOF
    exit 2
}

recipe_version() {
    case "$1" in
    busybox) echo "busybox $BUSYBOX_VERSION" ;;
    systemd) echo "systemd $SYSTEMD_VERSION" ;;
    *) die "unknown rootfs kind '$1'" ;;
    esac
}

# Unmount anything left mounted below $1 (e.g. proc/sys of an interrupted
# debootstrap), deepest first, so that rm -rf cannot walk into host filesystems.
umount_below() {
    local dir mnt
    dir=$(readlink -f "$1")
    findmnt -rn -o TARGET | awk -v d="$dir/" 'index($0, d) == 1' | sort -r |
        while read -r mnt; do
            umount -l "$mnt" || true
        done
}

# Run a long command in its own process group in the background and wait for
# it, so that a signal to this script runs the traps at once (bash defers traps
# until a foreground child exits) and cleanup can kill the whole group
# (debootstrap's chrooted dpkg children included) before removing the tree.
run() {
    local rc=0
    setsid "$@" &
    CHILD=$!
    wait "$CHILD" || rc=$?
    CHILD=""
    return "$rc"
}

cleanup() {
    if [ -n "$CHILD" ]; then
        kill -TERM -- "-$CHILD" 2>/dev/null || kill -TERM "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    if [ -n "$TMP_ROOT" ] && [ -d "$TMP_ROOT" ]; then
        log "removing incomplete build $TMP_ROOT"
        umount_below "$TMP_ROOT"
        rm -rf --one-file-system "$TMP_ROOT"
    fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

is_cached() { # DEST KIND
    [ -f "$1/$STAMP" ] && [ "$(cat "$1/$STAMP")" = "$(recipe_version "$2")" ]
}

build_busybox() { # ROOT
    local root=$1 bb applet
    bb=/bin/busybox
    [ -x "$bb" ] || die "$bb missing (apt-get install busybox-static)"
    if ldd "$bb" >/dev/null 2>&1; then
        die "$bb is dynamically linked (need busybox-static)"
    fi

    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,dev,proc,sys,run,root,var/log,tmp}
    chmod 1777 "$root/tmp"
    chmod 0700 "$root/root"
    install -m 0755 "$bb" "$root/bin/busybox"
    # One symlink per applet, all in /bin (also on PATH: /sbin, /usr/bin, /usr/sbin).
    for applet in $("$bb" --list); do
        [ "$applet" = busybox ] && continue
        ln -sf busybox "$root/bin/$applet"
    done
    ln -sf ../bin/busybox "$root/sbin/init"
    ln -sf ../../bin/busybox "$root/usr/bin/env" # for '#!/usr/bin/env' scripts

    cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
    cat >"$root/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
EOF
    echo busybox >"$root/etc/hostname"
    cat >"$root/etc/hosts" <<'EOF'
127.0.0.1	localhost busybox
::1	localhost ip6-localhost ip6-loopback
EOF
}

build_systemd() { # ROOT
    local root=$1
    command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap)"
    log "debootstrap $SUITE from $MIRROR (takes a minute or two)"
    run debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,iproute2,procps \
        "$SUITE" "$root" "$MIRROR" >&2
    umount_below "$root" # debootstrap unmounts its proc/sys itself; be sure

    # Clean apt caches (downloaded .debs, package lists, binary caches).
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
        "$root"/var/lib/apt/lists/* "$root"/var/log/apt/* "$root"/var/log/dpkg.log \
        "$root"/var/log/bootstrap.log
    # Password-less root (console login in tests).
    chroot "$root" passwd -d root >/dev/null
    # Empty machine-id: every container boot gets a fresh transient id, and an
    # empty (not missing) file means systemd does not run "first boot" units.
    : >"$root/etc/machine-id"
    rm -f "$root/var/lib/dbus/machine-id"
    echo isulad-systemd >"$root/etc/hostname"
    cat >"$root/etc/hosts" <<'EOF'
127.0.0.1	localhost isulad-systemd
::1	localhost ip6-localhost ip6-loopback
EOF
    : >"$root/etc/resolv.conf" # no network in tests; do not leak the host's
    # No units need masking to reach "running" with the config in
    # tests/lxc-systemd-notes.md: systemd's own Condition*= checks skip what
    # cannot work in a container (see the notes for the details).
}

build() { # KIND DEST
    local kind=$1 dest=$2 parent lock
    parent=$(dirname "$dest")
    mkdir -p "$parent"
    # Only root enters the cache: isulad refuses a rootfs that other host users can reach.
    if [ "$parent" = "$CACHE" ]; then chmod 0700 "$CACHE"; fi
    if is_cached "$dest" "$kind"; then
        echo "$dest"
        exit 0
    fi
    # Serialise concurrent builds of the same DEST.
    lock="$parent/.$(basename "$dest").lock"
    exec 9>"$lock"
    flock 9
    if is_cached "$dest" "$kind"; then
        echo "$dest"
        exit 0
    fi
    # We hold the lock: temp dirs of this DEST are leftovers of a killed build.
    local stale
    for stale in "$parent/.$(basename "$dest").tmp."* "$parent/.$(basename "$dest").old."*; do
        [ -d "$stale" ] || continue
        log "removing leftover $stale"
        umount_below "$stale"
        rm -rf --one-file-system "$stale"
    done
    if [ -e "$dest" ]; then
        if [ -f "$dest/$STAMP" ]; then
            log "$dest is stale ($(cat "$dest/$STAMP") != $(recipe_version "$kind")), rebuilding"
        elif [ -d "$dest" ] && [ -z "$(ls -A "$dest")" ]; then
            : # empty dir: fine to replace
        else
            die "$dest exists but is not a rootfs made by this script (no $STAMP); remove it"
        fi
    fi

    TMP_ROOT=$(mktemp -d "$parent/.$(basename "$dest").tmp.XXXXXX")
    chmod 0755 "$TMP_ROOT"
    log "building $kind rootfs in $TMP_ROOT"
    "build_$kind" "$TMP_ROOT"
    recipe_version "$kind" >"$TMP_ROOT/$STAMP"
    sync -f "$TMP_ROOT/$STAMP" 2>/dev/null || true

    if [ -e "$dest" ]; then
        local old
        old=$(mktemp -d "$parent/.$(basename "$dest").old.XXXXXX")
        mv "$dest" "$old/"
        mv "$TMP_ROOT" "$dest"
        TMP_ROOT=""
        umount_below "$old"
        rm -rf --one-file-system "$old"
    else
        mv -T "$TMP_ROOT" "$dest"
        TMP_ROOT=""
    fi
    log "done: $dest"
    echo "$dest"
}

copy() { # KIND DEST
    local kind=$1 dest=$2 src
    recipe_version "$kind" >/dev/null
    if [ -e "$dest" ] && { [ ! -d "$dest" ] || [ -n "$(ls -A "$dest")" ]; }; then
        die "copy destination $dest exists and is not empty"
    fi
    # Make sure the cached rootfs exists (builds it the first time).
    src=$("$0" "$kind" | tail -n 1)
    mkdir -p "$dest"
    log "copying $src -> $dest"
    cp -a --reflink=auto "$src/." "$dest/"
    rm -f "$dest/$STAMP" # a scratch copy is not a cache entry
    echo "$dest"
}

[ $# -ge 1 ] || usage
[ "$(id -u)" = 0 ] || die "must run as root"
case "$1" in
busybox | systemd)
    [ $# -le 2 ] || usage
    build "$1" "${2:-$CACHE/rootfs-$1}"
    ;;
copy)
    [ $# -eq 3 ] || usage
    copy "$2" "$3"
    ;;
*) usage ;;
esac
