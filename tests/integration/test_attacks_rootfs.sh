#!/usr/bin/env bash
# Attacks through what a container's root leaves on the host (security review §3.4, §3.5):
# setuid-root programs and device nodes in its rootfs, which other host users could run or
# open if they can reach it, and in what `isula cp` copies out of it.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
NOBODY=(runuser -u nobody --)

# An exposed copy: every directory from / down to it lets others through.
EXP=$(mktemp -d /tmp/isulad-it-exposed.XXXXXX)
it_on_cleanup "rm -rf '$EXP'"
chmod 0755 "$EXP"
bash "$MKROOTFS" copy busybox "$EXP/root" >/dev/null 2>&1 || it_abort "a copy in $EXP"

# --------------------------------------------------------------- §3.4 reachable rootfs
expect_fail_code "create on a rootfs other host users can reach is refused" 125 \
	"other host users can reach it" \
	isula create --name exp --external-rootfs "$EXP/root" none sh
expect_match "... the error says how to fix it" "chmod 0700 on a parent" "$LAST_OUT"
expect_ok "... no container was made" gone exp
expect_eq "... no container dir was left" "" "$(disk_ids main)"
ln -s "$EXP/root" "$IT_TMP/link"
expect_fail "a closed path that links to an exposed rootfs is refused too" \
	"other host users can reach it" isula create --name lnk --external-rootfs "$IT_TMP/link" none sh
GRP=$(mktemp -d /tmp/isulad-it-group.XXXXXX)
it_on_cleanup "rm -rf '$GRP'"
chgrp users "$GRP" && chmod 0750 "$GRP"
mkdir -m 0755 "$GRP/r"
expect_fail "a directory closed to others but open to a group is not enough" \
	"other host users can reach it" isula create --name grp --external-rootfs "$GRP/r" none sh
chgrp root "$GRP"
expect_ok "the same directory with group root closes the path" \
	isula create --name grp --external-rootfs "$GRP/r" none sh
isula rm -f grp >/dev/null

# The attack the refusal prevents: the container's root plants a setuid-root program (one
# that keeps its privilege: busybox drops it) where host users would find it.
printf '#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf("%%d\\n", (int)geteuid()); return 0; }\n' |
	cc -static -x c -o "$IT_TMP/euid" - 2>"$IT_TMP/cc.err" || it_abort "cc builds the probe: $(cat "$IT_TMP/cc.err")"
cp "$IT_TMP/euid" "$BB/euid"
a=$(timeout 30 "$ISULA" run -d --name ca --external-rootfs "$BB" none sh -c 'sleep 1000')
is_hex64 "$a" || it_abort "run on a closed rootfs (got '$a')"
expect_ok "the container's root makes a setuid-root program in its rootfs" \
	"$ISULA" exec ca sh -c 'chown 0:0 /euid && chmod 4755 /euid'
expect_eq "... it is there, setuid root, on the host" "4755 0" "$(stat -c '%a %u' "$BB/euid")"
expect_fail "... but no other host user can reach it to run it" "Permission denied" \
	"${NOBODY[@]}" "$BB/euid"
# The same program in the exposed copy (what the refused create would have allowed).
cp "$IT_TMP/euid" "$EXP/root/euid" && chmod 4755 "$EXP/root/euid"
expect_eq "(in an exposed rootfs it gives nobody euid 0)" 0 "$("${NOBODY[@]}" "$EXP/root/euid" 2>&1)"
rm -f "$EXP/root/euid"
expect_ok "rm -f ca" isula rm -f ca

# A remapped root is nobody on the host: its rootfs may be anywhere.
SHIFT=$BIN/../test-tools/shift-rootfs
expect_ok "shift the exposed copy by 100000" "$SHIFT" "$EXP/root" 100000 100000
expect_ok "create with --user-remap on the exposed rootfs is allowed" \
	isula create --name remapped --system-container --user-remap 100000:100000:65535 \
	--external-rootfs "$EXP/root" none sh
isula rm -f remapped >/dev/null
expect_fail "--user-remap with uid 0 (no effect) is refused like no remap" \
	"other host users can reach it" isula create --name noeff --system-container \
	--user-remap 0:0:65535 --external-rootfs "$EXP/root" none sh

# ------------------------------------------------------------- §3.5 what cp copies out
c=$(timeout 30 "$ISULA" run -d --name cc --external-rootfs "$BB" none sh -c 'sleep 1000')
is_hex64 "$c" || it_abort "run of the cp container (got '$c')"
expect_ok "the container's root prepares a setuid shell and a disk node" \
	"$ISULA" exec cc sh -c "mkdir /out && cp /bin/busybox /out/sh && chmod 6755 /out/sh &&
		mknod /out/disk b 7 0 && chmod 0666 /out/disk && echo hi >/out/file"
OUT=$IT_TMP/cp-out
mkdir -p "$OUT"
expect_ok "isula cp cc:/out HOST" isula cp cc:/out "$OUT/plain"
expect_match "... warns that a device node was not copied" "1 device node(s) not copied" "$LAST_OUT"
expect_eq "... the shell lost its setuid and setgid bits" 755 "$(stat -c %a "$OUT/plain/sh")"
expect_eq "... no disk node was made on the host" "absent" \
	"$([ -e "$OUT/plain/disk" ] && echo present || echo absent)"
expect_eq "... regular files arrive" hi "$(cat "$OUT/plain/file")"
expect_ok "isula cp -a cc:/out HOST (asked for)" isula cp -a cc:/out "$OUT/archive"
expect_eq "... -a keeps setuid and setgid" 6755 "$(stat -c %a "$OUT/archive/sh")"
expect_eq "... -a makes the device node" "block special file" "$(stat -c %F "$OUT/archive/disk")"
expect_ok "a single setuid file copied out loses its bits too" isula cp cc:/out/sh "$OUT/one"
expect_eq "... mode 0755" 755 "$(stat -c %a "$OUT/one")"
expect_ok "rm -f cc" isula rm -f cc

assert_no_leftovers
it_finish
