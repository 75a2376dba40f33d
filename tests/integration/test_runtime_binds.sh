#!/usr/bin/env bash
# Binds onto the trees liblxc sets up itself (iSulad's test cases bind /dev, /sys/fs, /proc and
# /dev/pts): they start, a :ro one is read-only once liblxc is done (a start-host hook
# remounts it), the host's /dev bound as the container's is left untouched (no ptmx link, no
# device nodes made in it), and a failed start names liblxc's first error, not its last.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

ptmx_before=$(stat -c '%F %t:%T' /dev/ptmx)
# ro_bind SPEC PATH: a container with -v SPEC starts and PATH is read-only inside.
ro_bind() {
	local spec=$1 path=$2 name
	name=rb$(echo "$spec" | tr -c 'a-z' 'x' | head -c 20)
	expect_ok "run -v $spec starts" isula run -d --name "$name" -v "$spec" \
		--external-rootfs "$BB" none sleep 1000
	expect_match "-v $spec: $path is read-only inside" "Read-only file system" \
		"$(isula exec "$name" touch "$path/isulad-probe" 2>&1)"
	expect_ok "-v $spec: /dev/null still works" isula exec "$name" sh -c 'echo x >/dev/null'
	isula rm -f "$name" >/dev/null
}
ro_bind /dev:/dev:ro /dev
ro_bind /sys/fs:/sys/fs:ro /sys/fs
ro_bind /dev/pts:/dev/pts:ro /dev/pts
ro_bind /dev/shm:/dev/shm:ro /dev/shm
expect_ok "run -v /proc:/proc:ro starts" isula run -d --name rbproc -v /proc:/proc:ro \
	--external-rootfs "$BB" none sleep 1000
expect_match "... and /proc is mounted read-only" "proc /proc proc ro," \
	"$(isula exec rbproc sh -c 'grep " /proc " /proc/mounts | tail -n 1' 2>&1)"
isula rm -f rbproc >/dev/null

# The host's /dev as the container's: liblxc makes nothing in it.
isula run -d --name rbdev -v /dev:/dev --external-rootfs "$BB" none sleep 1000 >/dev/null ||
	fail "run -v /dev:/dev failed"
expect_eq "the container sees the host's /dev (its disks)" "$(ls /dev | grep -c '^loop')" \
	"$(isula exec rbdev sh -c 'ls /dev | grep -c "^loop"' 2>&1)"
expect_ok "exec in it works" isula exec rbdev true
isula rm -f rbdev >/dev/null
expect_eq "the host's /dev/ptmx is still its char device (no link left by liblxc)" \
	"$ptmx_before" "$(stat -c '%F %t:%T' /dev/ptmx)"

# An ordinary :ro bind stays liblxc's own (no hook, no list file).
mkdir -p "$IT_TMP/data"
id=$(isula run -d --name rbdata -v "$IT_TMP/data:/data:ro" --external-rootfs "$BB" none sleep 1000)
expect_match "-v DIR:/data:ro is read-only" "Read-only file system" \
	"$(isula exec rbdata touch /data/x 2>&1)"
expect_ok "... without the remount hook" test ! -e "$STATE/$id/ro-remount"
expect_eq "... nor its line in the lxc config" "" "$(grep ro-remount-hook "$LCR/$id/config")"
isula rm -f rbdata >/dev/null

# -v options as Docker's: ro|rw, a propagation, z/Z accepted; Mounts in inspect.
mkdir -p "$IT_TMP/prop" "$IT_TMP/priv"
mount --bind "$IT_TMP/prop" "$IT_TMP/prop" && mount --make-rshared "$IT_TMP/prop"
mount --bind "$IT_TMP/priv" "$IT_TMP/priv" && mount --make-rshared "$IT_TMP/priv"
expect_ok "run -v SRC:DST:ro,rslave,z" isula run -d --name rbprop -v "$IT_TMP/prop:/prop:ro,rslave,z" \
	-v "$IT_TMP/priv:/priv:rprivate" --external-rootfs "$BB" none sleep 1000
mkdir -p "$IT_TMP/prop/sub" "$IT_TMP/priv/sub"
mount -t tmpfs rbprop "$IT_TMP/prop/sub" && mount -t tmpfs rbpriv "$IT_TMP/priv/sub"
expect_match "rslave: a mount made on the host afterwards shows inside" "rbprop" \
	"$(isula exec rbprop cat /proc/mounts 2>&1)"
expect_eq "rprivate: it does not" "" "$(isula exec rbprop grep rbpriv /proc/mounts 2>&1)"
expect_match "ro holds on the rslave bind" "Read-only file system" \
	"$(isula exec rbprop touch /prop/x 2>&1)"
mounts=$(ifield rbprop '{{json .Mounts}}')
expect_match "inspect shows the ro rslave bind in Mounts" \
	"\"Source\":\"$IT_TMP/prop\",\"Destination\":\"/prop\",\"Mode\":\"ro,rslave,z\",\"RW\":false,\"Propagation\":\"rslave\"" \
	"$mounts"
expect_match "... and the rprivate one" "\"Destination\":\"/priv\",\"Mode\":\"rprivate\",\"RW\":true" "$mounts"
isula rm -f rbprop >/dev/null
umount "$IT_TMP/prop/sub" "$IT_TMP/priv/sub" "$IT_TMP/prop" "$IT_TMP/priv"
expect_fail_code "an unknown -v option is refused, naming it" 125 'unknown option "bogus"' \
	isula create -v "$IT_TMP/data:/data:ro,bogus" --external-rootfs "$BB" none true
expect_fail_code "two propagations are refused" 125 "two propagations" \
	isula create -v "$IT_TMP/data:/data:shared,slave" --external-rootfs "$BB" none true
# A propagation the source's mount cannot give is refused (Docker's check), not dropped.
mkdir -p "$IT_TMP/psrc"
mount --bind "$IT_TMP/psrc" "$IT_TMP/psrc" && mount --make-private "$IT_TMP/psrc"
expect_fail_code "rshared from a private mount is refused, naming it" 125 \
	"path $IT_TMP/psrc is mounted on $IT_TMP/psrc but it is not a shared mount" \
	isula run -d --name rbps -v "$IT_TMP/psrc:/p:rshared" --external-rootfs "$BB" none sleep 100
isula rm -f rbps >/dev/null 2>&1
expect_fail_code "rslave from a private mount is refused" 125 "not a shared or slave mount" \
	isula run -d --name rbps -v "$IT_TMP/psrc:/p:rslave" --external-rootfs "$BB" none sleep 100
isula rm -f rbps >/dev/null 2>&1
expect_ok "rprivate from it starts" isula run -d --name rbps -v "$IT_TMP/psrc:/p:rprivate" \
	--external-rootfs "$BB" none sleep 100
isula rm -f rbps >/dev/null 2>&1
mount --make-shared "$IT_TMP/psrc" && mkdir -p "$IT_TMP/psrc/in"
expect_ok "shared once the source mount is" isula run -d --name rbps \
	-v "$IT_TMP/psrc:/p:shared" --external-rootfs "$BB" none sleep 100
mount -t tmpfs rbpsin "$IT_TMP/psrc/in"
expect_match "... and a host mount made afterwards shows inside" rbpsin \
	"$(isula exec rbps cat /proc/mounts 2>&1)"
isula rm -f rbps >/dev/null 2>&1
umount "$IT_TMP/psrc/in"
# Without a propagation, Docker's rprivate: even from a shared source nothing comes in later.
expect_ok "a bind without a propagation from the shared source" isula run -d --name rbps \
	-v "$IT_TMP/psrc:/p" --external-rootfs "$BB" none sleep 100
mount -t tmpfs rbpsdef "$IT_TMP/psrc/in"
expect_eq "... a host mount made afterwards does not show inside (rprivate)" "" \
	"$(isula exec rbps grep rbpsdef /proc/mounts 2>&1)"
expect_match "... inspect: Propagation rprivate" '"Propagation":"rprivate"' \
	"$(ifield rbps '{{json .Mounts}}')"
isula rm -f rbps >/dev/null 2>&1
umount "$IT_TMP/psrc/in" "$IT_TMP/psrc"

# A start that fails in liblxc: the error is the cause, not "Failed to receive ...".
echo file >"$IT_TMP/afile"
expect_fail "a bind of a file onto a directory fails the start" "Failed to mount" \
	isula run -d --name rbbad -v "$IT_TMP/afile:/bin" --external-rootfs "$BB" none sleep 1
[[ "$LAST_OUT" != *"Failed to receive"* ]] && pass "... and the message is liblxc's first error" ||
	fail "... and the message is liblxc's first error" "$LAST_OUT"
isula rm -f rbbad >/dev/null 2>&1
assert_no_leftovers
it_finish
