#!/usr/bin/env bash
# isula cp both ways (stopped and running containers): docker cp path rules, modes kept,
# "-" tar streams, large files, and paths that must never leave the container's rootfs
# (absolute and relative symlinks, ".." and symlink entries in archives).
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
T=$IT_TMP/cp
mkdir -p "$T"
tag=isula-cp-it-$$

# Traps in the rootfs: links that point at the host's /etc when followed outside the root.
ln -s /etc "$BB/evil"
ln -s ../../../../../../../../etc "$BB/evil_rel"
ln -s "/etc/$tag-through-link" "$BB/trap"
echo "rootfs-passwd-$tag" >>"$BB/etc/passwd"

isula create --name st --external-rootfs "$BB" none sh -c 'sleep 300' >/dev/null ||
	it_abort "create of a stopped container"

# ------------------------------------------------------------------- container -> host
expect_ok "cp a file out of a stopped container" isula cp st:/etc/passwd "$T/passwd"
expect_ok "the copy is the rootfs's file" cmp "$BB/etc/passwd" "$T/passwd"
mkdir "$T/into"
expect_ok "cp a dir into an existing host dir" isula cp st:/etc "$T/into"
expect_ok "the dir lands inside it (into/etc/passwd)" cmp "$BB/etc/passwd" "$T/into/etc/passwd"
expect_ok "cp a dir to a new host name" isula cp st:/etc "$T/newetc"
expect_ok "the new dir is the copy (newetc/passwd)" cmp "$BB/etc/passwd" "$T/newetc/passwd"
mkdir "$T/dot"
expect_ok "cp SRC/. copies the contents" isula cp st:/etc/. "$T/dot"
expect_ok "contents only: dot/passwd" test -f "$T/dot/passwd" -a ! -e "$T/dot/etc"
expect_ok "cp a file onto an existing host file" isula cp st:/etc/group "$T/passwd"
expect_ok "the host file is overwritten" cmp "$BB/etc/group" "$T/passwd"
expect_fail "cp a dir onto a host file" "cannot copy directory" isula cp st:/etc "$T/passwd"
expect_fail "cp into a missing host dir" "does not exist" isula cp st:/etc/passwd "$T/nodir/x"
expect_ok "nothing created for it" test ! -e "$T/nodir"
expect_fail_code "missing source in the container: exit 1" 1 "No such container:path: st:/nonexistent" \
	isula cp st:/nonexistent "$T/missing"
expect_ok "nothing created for a missing source" test ! -e "$T/missing"
expect_fail "missing container" "No such container: nosuch" isula cp nosuch:/etc "$T"
expect_fail "file source with a trailing slash" "not a directory" isula cp st:/etc/passwd/ "$T"

# Symlinks in the container resolve inside its rootfs, never to the host's /etc.
expect_ok "cp through an absolute symlink (/evil -> /etc)" isula cp st:/evil/passwd "$T/evil_pw"
expect_ok "it gives the rootfs's passwd" grep -q "rootfs-passwd-$tag" "$T/evil_pw"
expect_ok "cp through a relative ../../.. symlink" isula cp st:/evil_rel/passwd "$T/evil_rel_pw"
expect_ok "it gives the rootfs's passwd too" grep -q "rootfs-passwd-$tag" "$T/evil_rel_pw"
expect_ok "cp of the symlink itself" isula cp st:/evil "$T/evil_link"
expect_eq "the link is copied, not followed" /etc "$(readlink "$T/evil_link")"

# "-": the tar stream itself.
isula cp st:/etc/passwd - >"$T/pw.tar"
expect_eq "cp CTR:PATH - exits 0" 0 $?
expect_eq "the stream is a tar of the entry" passwd "$(tar -tf "$T/pw.tar")"

# ------------------------------------------------------------------- host -> container
echo "file-one-$tag" >"$T/f1"
expect_ok "cp a host file into a container dir" isula cp "$T/f1" st:/tmp/
expect_ok "it is in the rootfs" cmp "$T/f1" "$BB/tmp/f1"
expect_ok "cp a host file to a new name" isula cp "$T/f1" st:/tmp/renamed
expect_ok "renamed in the rootfs" cmp "$T/f1" "$BB/tmp/renamed"
expect_ok "cp a host file onto a container file" isula cp "$T/f1" st:/etc/hostname
expect_ok "the container file is overwritten" cmp "$T/f1" "$BB/etc/hostname"
expect_ok "cp into /evil/ (-> /etc)" isula cp "$T/f1" "st:/evil/$tag"
expect_ok "it is written into the rootfs's /etc" cmp "$T/f1" "$BB/etc/$tag"
expect_ok "not into the host's /etc" test ! -e "/etc/$tag"
expect_ok "cp into /evil_rel/ (../../..)" isula cp "$T/f1" "st:/evil_rel/$tag-rel"
expect_ok "rootfs /etc again" test -f "$BB/etc/$tag-rel" -a ! -e "/etc/$tag-rel"
expect_ok "cp onto a dangling symlink to /etc/..." isula cp "$T/f1" st:/trap
expect_ok "its target is created inside the rootfs" test -f "$BB/etc/$tag-through-link"
expect_ok "and not on the host" test ! -e "/etc/$tag-through-link"

# A tree with modes, owners, times, a symlink and a hard link.
mkdir -p "$T/tree/a/b"
echo data >"$T/tree/a/b/file"
ln "$T/tree/a/b/file" "$T/tree/a/hard"
ln -s b/file "$T/tree/a/soft"
chmod 4751 "$T/tree/a/b/file"
chown 1234:5678 "$T/tree/a/b/file"
chmod 0710 "$T/tree/a"
touch -h -d '2001-02-03 04:05:06' "$T/tree/a/b/file" "$T/tree/a"
mkdir -p "$BB/opt"
expect_ok "cp a host dir into a container dir" isula cp "$T/tree" st:/opt/
expect_eq "mode, owner and mtime are kept on files" "$(stat -c '%a %u %g %Y' "$T/tree/a/b/file")" \
	"$(stat -c '%a %u %g %Y' "$BB/opt/tree/a/b/file" 2>&1)"
expect_eq "and on directories" "$(stat -c '%a %Y' "$T/tree/a")" "$(stat -c '%a %Y' "$BB/opt/tree/a" 2>&1)"
expect_eq "symlinks stay symlinks" b/file "$(readlink "$BB/opt/tree/a/soft")"
expect_eq "hard links stay hard links" "$(stat -c %i "$BB/opt/tree/a/b/file")" \
	"$(stat -c %i "$BB/opt/tree/a/hard" 2>&1)"
expect_ok "cp a host dir to a new container name" isula cp "$T/tree" st:/opt/tree2
expect_ok "it is the copy" test -f "$BB/opt/tree2/a/b/file"
mkdir "$BB/opt/dotdest"
expect_ok "cp a host dir's contents (SRC/.)" isula cp "$T/tree/." st:/opt/dotdest
expect_ok "contents only" test -f "$BB/opt/dotdest/a/b/file" -a ! -e "$BB/opt/dotdest/tree"
mkdir "$BB/tmp/was_dir"
echo file >"$T/was_dir"
expect_ok "a file over a same-name container dir (iSulad overwrites)" isula cp "$T/was_dir" st:/tmp/
expect_ok "the dir became the file" test -f "$BB/tmp/was_dir"

expect_fail "cp a host dir onto a container file" "cannot copy directory" \
	isula cp "$T/tree" st:/etc/passwd
expect_fail "cp a file to a missing container dir/" "no such directory" \
	isula cp "$T/f1" st:/no/such/dir/
expect_fail "cp under a missing container dir" "No such container:path: st:/no/such" \
	isula cp "$T/f1" st:/no/such/file
expect_ok "nothing created for it" test ! -e "$BB/no"
expect_fail "missing host source" "No such file or directory" isula cp "$T/nonexistent" st:/tmp/
expect_fail "both paths local" "must specify at least one container source" isula cp "$T/f1" "$T/f2"
expect_fail "both paths in containers" "copying between containers is not supported" \
	isula cp st:/a st:/b
expect_fail "one argument" "requires exactly 2 arguments" isula cp st:/a

# "-" from stdin.
mkdir "$BB/srv"
tar -C "$T/tree" -cf "$T/tree.tar" .
expect_ok "cp - CTR:DIR extracts a tar from stdin" sh -c "$ISULA cp - st:/srv <'$T/tree.tar'"
expect_ok "its entries are there" test -f "$BB/srv/a/b/file"
expect_fail "cp - onto a container file" "must be a directory" \
	sh -c "$ISULA cp - st:/etc/passwd <'$T/tree.tar'"

# Hostile archives: ".." entries, a file through a symlink entry, hard links out.
python3 - "$T" "$tag" <<'PY'
import io, sys, tarfile
out, tag = sys.argv[1], sys.argv[2]
def mk(name, entries):
    with tarfile.open(f"{out}/{name}", "w") as t:
        for kind, n, arg in entries:
            ti = tarfile.TarInfo(n)
            if kind == "file":
                ti.size = len(arg); t.addfile(ti, io.BytesIO(arg))
            elif kind == "sym":
                ti.type = tarfile.SYMTYPE; ti.linkname = arg; t.addfile(ti)
            elif kind == "hard":
                ti.type = tarfile.LNKTYPE; ti.linkname = arg; t.addfile(ti)
mk("dotdot.tar", [("file", "good-" + tag, b"ok"), ("file", "../../../../dotdot-" + tag, b"x")])
mk("abs.tar", [("file", "/abs-" + tag, b"abs")])
mk("symfile.tar", [("sym", "lnk-" + tag, "/etc"), ("file", f"lnk-{tag}/pwned-{tag}", b"p")])
mk("hardout.tar", [("hard", "hl-" + tag, "../../../../etc/passwd")])
mk("hardsym.tar", [("sym", "l2-" + tag, "/etc"), ("hard", "hl2-" + tag, f"l2-{tag}/passwd")])
PY
expect_fail "an archive with ../ entries is refused" '".." is not allowed' \
	sh -c "$ISULA cp - st:/tmp <'$T/dotdot.tar'"
expect_ok "nothing of it is extracted (not even its good entry)" \
	test ! -e "$BB/tmp/good-$tag" -a ! -e "$BB/dotdot-$tag" -a ! -e "/dotdot-$tag"
expect_ok "an absolute entry name lands under the destination" \
	sh -c "$ISULA cp - st:/tmp <'$T/abs.tar'"
expect_ok "in the container's /tmp" test -f "$BB/tmp/abs-$tag" -a ! -e "/abs-$tag"
expect_ok "a file through a symlink entry to /etc" sh -c "$ISULA cp - st:/tmp <'$T/symfile.tar'"
expect_ok "lands in the rootfs's /etc, not the host's" \
	test -f "$BB/etc/pwned-$tag" -a ! -e "/etc/pwned-$tag"
expect_fail "a hard link to ../../etc/passwd is refused" '".." is not allowed' \
	sh -c "$ISULA cp - st:/tmp <'$T/hardout.tar'"
expect_fail "a hard link through a symlink is refused" "hard link" \
	sh -c "$ISULA cp - st:/tmp <'$T/hardsym.tar'"
expect_ok "and leaves no link" test ! -e "$BB/tmp/hl2-$tag"
left=$(find "$BB" "$GRAPH" -name '.isula-cp.*' -o -name '.isulad-upload-*' 2>/dev/null)
expect_eq "no temp files left in the rootfs or the graph dir" "" "$left"

# A file larger than the 16 MiB API body limit goes both ways.
head -c $((40 << 20)) /dev/urandom >"$T/big"
expect_ok "cp a 40 MiB file in" isula cp "$T/big" st:/tmp/big
expect_ok "it arrives intact" cmp "$T/big" "$BB/tmp/big"
expect_ok "cp it back out" isula cp st:/tmp/big "$T/big.back"
expect_ok "it comes back intact" cmp "$T/big" "$T/big.back"

# The raw API: HEAD gives the stat header only, GET a tar.
api() { curl -s --unix-socket "$SOCK" "$@"; }
hdr=$(api -I "http://d/v1.41/containers/st/archive?path=/etc/passwd" | tr -d '\r' |
	sed -n 's/^X-Docker-Container-Path-Stat: //Ip')
stat_json=$(echo "$hdr" | base64 -d 2>/dev/null)
expect_match "HEAD: the stat header names the file" '"name":"passwd"' "$stat_json"
expect_match "HEAD: with its size" "\"size\":$(stat -c %s "$BB/etc/passwd")" "$stat_json"
expect_match "HEAD: and Go's mode bits (0644)" '"mode":420' "$stat_json"
ctype=$(api -o /dev/null -w '%{content_type}' "http://d/v1.41/containers/st/archive?path=/etc")
expect_eq "GET: Content-Type application/x-tar" application/x-tar "$ctype"
code=$(api -o /dev/null -w '%{http_code}' -X PUT --data-binary @"$T/tree.tar" \
	"http://d/v1.41/containers/st/archive?path=/etc/passwd")
expect_eq "PUT onto a file: 400" 400 "$code"
mkdir -p "$BB/opt/nooverwrite/a"
echo x >"$BB/opt/nooverwrite/a/keep"
rm -rf "$T/clash" && mkdir "$T/clash" && echo f >"$T/clash/a"
tar -C "$T/clash" -cf "$T/clash.tar" a
code=$(api -o /dev/null -w '%{http_code}' -X PUT --data-binary @"$T/clash.tar" \
	"http://d/v1.41/containers/st/archive?path=/opt/nooverwrite&noOverwriteDirNonDir=1")
expect_eq "PUT with noOverwriteDirNonDir refuses a file over a dir" 400 "$code"
expect_ok "the dir is kept" test -f "$BB/opt/nooverwrite/a/keep"

# ---------------------------------------------------------------- running system container
SB=$(copy_rootfs busybox) || it_abort "a second busybox rootfs copy is needed"
ln -s /etc "$SB/evil"
isula run -d --name sys --system-container --external-rootfs "$SB" none init >/dev/null
expect_eq "the system container runs" running "$(status_of sys)"
pid=$(pid_of sys)
expect_ok "cp into its /tmp (a tmpfs inside)" isula cp "$T/f1" sys:/tmp/
expect_ok "the container sees the file" cmp "$T/f1" "/proc/$pid/root/tmp/f1"
expect_ok "on its tmpfs, not in the rootfs dir" test ! -e "$SB/tmp/f1"
echo "inside-$tag" >"/proc/$pid/root/run/inside"
expect_ok "cp out of its /run tmpfs" isula cp sys:/run/inside "$T/inside"
expect_eq "the container's view is copied" "inside-$tag" "$(cat "$T/inside" 2>&1)"
expect_ok "cp a dir into the running container" isula cp "$T/tree" sys:/tmp/
expect_ok "it is there" test -f "/proc/$pid/root/tmp/tree/a/b/file"
expect_ok "cp through /evil in the running container" isula cp sys:/evil/passwd "$T/sys_pw"
expect_ok "gives its own passwd" cmp "$SB/etc/passwd" "$T/sys_pw"
expect_ok "cp into /evil/ of the running container" isula cp "$T/f1" "sys:/evil/$tag-run"
expect_ok "lands in its /etc, not the host's" test -f "$SB/etc/$tag-run" -a ! -e "/etc/$tag-run"

# Names and link targets are bytes: UTF-8 (Debian's /etc/ssl/certs) and Latin-1 both ways.
U8=$(printf 'F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny.pem') L1=$(printf 'lat\xe9n')
mkdir -p "$BB/certs"
echo cert >"$BB/certs/$U8"
ln -s "$U8" "$BB/certs/link.pem"
ln -s "$L1" "$BB/certs/latin"
echo l1 >"$BB/certs/$L1"
expect_ok "cp out a dir with non-ASCII names and link targets" timeout 60 "$ISULA" cp st:/certs "$T/"
expect_eq "... the UTF-8 link keeps its target's bytes" "$U8" "$(readlink "$T/certs/link.pem")"
expect_eq "... the Latin-1 link too" "$L1" "$(readlink "$T/certs/latin")"
expect_eq "... and the files are there" "cert l1" "$(cat "$T/certs/$U8" "$T/certs/$L1" | paste -sd' ')"
expect_ok "cp them back in, under another name" timeout 60 "$ISULA" cp "$T/certs" st:/certs2
expect_eq "... in the container with the same bytes" "$U8" "$(readlink "$BB/certs2/link.pem")"
expect_ok "... the Latin-1 name too" test -f "$BB/certs2/$L1"
if command -v docker >/dev/null; then
	expect_ok "docker cp out of the same dir" timeout 60 env DOCKER_CONFIG="$T/dk" \
		docker -H "unix://$SOCK" cp st:/certs "$T/dcerts"
	expect_eq "... docker's copy has the UTF-8 link" "$U8" "$(readlink "$T/dcerts/link.pem")"
fi

# A destination that is a chain of links ends at the chain's end, inside the container.
mkdir -p "$BB/ch"
echo old >"$BB/ch/target"
ln -s target "$BB/ch/t1" && ln -s t1 "$BB/ch/t2" && ln -s /ch/t2 "$BB/ch/t3"
echo new >"$T/new"
expect_ok "cp FILE ctr:/ch/t3 (t3 -> /ch/t2 -> t1 -> target)" isula cp "$T/new" st:/ch/t3
expect_eq "... writes the target" new "$(cat "$BB/ch/target")"
expect_eq "... and leaves the links as they were" "target t1 /ch/t2" \
	"$(readlink "$BB/ch/t1") $(readlink "$BB/ch/t2") $(readlink "$BB/ch/t3")"
ln -s loop2 "$BB/ch/loop1" && ln -s loop1 "$BB/ch/loop2"
expect_fail "a destination whose links loop is refused" "too many levels of symbolic links" \
	isula cp "$T/new" st:/ch/loop1
PW_BEFORE=$(md5sum <"$BB/etc/passwd")
expect_fail "cp onto ctr:/etc/passwd/ says it is not a directory" \
	'destination "st:/etc/passwd/" is not a directory' isula cp "$T/new" st:/etc/passwd/
expect_eq "... and /etc/passwd is untouched" "$PW_BEFORE" "$(md5sum <"$BB/etc/passwd")"

# The seed's freeze: a running container is frozen while isula cp reads or writes it (the
# reader stalled on purpose keeps the copy, and so the freeze, going); not with --pause=false,
# not for Docker's clients, and a container its user paused stays paused.
isula run -d --name frz --external-rootfs "$BB" none sh -c 'sleep 1000' >/dev/null
head -c 8388608 /dev/urandom >"$BB/big"
frz_state() { cat "$CGROOT/freezer/$IT_CGNAME/$(ifield frz '{{.Id}}')/freezer.state" 2>/dev/null; }
is_frozen() { [ "$(frz_state)" = FROZEN ]; }
isula cp frz:/big - | (sleep 30; cat >/dev/null) &
stalled=$!
wait_for "isula cp out: the container is frozen while the copy runs" 20 is_frozen
kill "$stalled" 2>/dev/null
wait "$stalled" 2>/dev/null
pkill -f "isula cp frz:/big" 2>/dev/null
wait_for "... and thawed when the copy is over" 20 eval '[ "$(frz_state)" = THAWED ]'
expect_eq "... and not marked paused" false "$(ifield frz '{{.State.Paused}}')"
isula cp --pause=false frz:/big - | (sleep 3; cat >/dev/null) &
stalled=$!
sleep 1
expect_eq "--pause=false: not frozen during the copy" THAWED "$(frz_state)"
wait "$stalled" 2>/dev/null
expect_ok "isula cp into it works (frozen for the write)" isula cp "$T/f1" frz:/tmp/
expect_eq "... thawed after" THAWED "$(frz_state)"
isula pause frz >/dev/null
expect_ok "cp out of a paused container" isula cp frz:/etc/hostname "$T/frz_host"
expect_eq "... it stays paused" "FROZEN true" "$(frz_state) $(ifield frz '{{.State.Paused}}')"
isula unpause frz >/dev/null
isula rm -f frz >/dev/null
rm -f "$BB/big"

expect_ok "rm -f the containers" isula rm -f st sys
assert_no_leftovers
it_finish
