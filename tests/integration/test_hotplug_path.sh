#!/bin/bash
# isulad-tools add-path / remove-path / list-path and the path part of syscontainer-hooks
# (issue 12, research/tools.md §1.8): real bind mounts into running system containers, the
# record (device_hook.json) and its rules, re-applied at every start by the prestart hook.
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon hp || it_abort "the daemon must start"

TOOLS=$BIN/isulad-tools
case "$BUILD" in
/*) SHIFT=$BUILD/test-tools/shift-rootfs ;;
*) SHIFT=$REPO/$BUILD/test-tools/shift-rootfs ;;
esac
SPEC=$IT_TMP/hookspec.json
cat >"$SPEC" <<J
{"prestart":[{"path":"$BIN/syscontainer-hooks","args":["syscontainer-hooks","--state","prestart"]}],
 "poststart":[],
 "poststop":[{"path":"$BIN/syscontainer-hooks","args":["syscontainer-hooks","--state","poststop"]}]}
J
chmod 0711 "$IT_TMP" # the remapped root must get through to its rootfs and the host paths
H=$IT_TMP/host-$$
mkdir -p "$H/d" "$H/ro" "$H/many"
echo hello >"$H/d/hello"
echo file-on-host >"$H/f.txt"

tools() { "$TOOLS" "$@"; }
run_sys() { # NAME ROOTFS [ARGS...]
	local name=$1 rootfs=$2
	shift 2
	isula run -d --name "$name" --hook-spec "$SPEC" --system-container "$@" \
		--external-rootfs "$rootfs" none sleep 100000 >/dev/null
}
# in_root NAME PATH: PATH as the container's processes see it, through its init's root.
in_root() { echo "/proc/$(pid_of "$1")/root$2"; }
mounts_of() { cat "/proc/$(pid_of "$1")/mountinfo" 2>/dev/null; }
# mounted NAME CTRPATH: CTRPATH is a mount point in the container.
mounted() { mounts_of "$1" | awk -v p="$2" '$5 == p { f = 1 } END { exit !f }'; }
record_of() { cat "$LCR/$(ifield "$1" '{{.Id}}')/device_hook.json" 2>/dev/null; }
host_mounts_of_h() { findmnt -rn -o TARGET,SOURCE | grep -F "host-$$" || true; }

R=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
run_sys c1 "$R" || it_abort "c1 must run"
wait_for "c1 runs" 5 is_status c1 running

# ======================================================================== add, see, write
expect_ok "add-path a directory" tools add-path c1 "$H/d:/mnt/d"
expect_eq "add-path prints the original's line" "Add path ($H/d) to container(c1,/mnt/d) done." \
	"$LAST_OUT"
expect_eq "inside: the host's file is seen" hello "$(isula exec c1 cat /mnt/d/hello)"
isula exec c1 sh -c 'echo from-ctr > /mnt/d/inside'
expect_eq "a file written inside is seen on the host" from-ctr "$(cat "$H/d/inside" 2>&1)"
echo from-host >"$H/d/later"
expect_eq "a file written on the host later is seen inside" from-host \
	"$(cat "$(in_root c1 /mnt/d/later)")"
expect_eq "the mount is never shared (at most a slave of the host's)" "" \
	"$(mounts_of c1 | awk '$5 == "/mnt/d" && /shared:/')"
expect_eq "nothing of it is mounted on the host" "" "$(host_mounts_of_h)"
expect_eq "the record holds host:ctr:opts" "{\"bindToAdd\":[\"$H/d:/mnt/d:rw,rslave\"]}" \
	"$(record_of c1)"

expect_ok "add-path a single file (ro) and a ro directory in one call" \
	tools add-path c1 "$H/f.txt:/etc/hp-file:ro" "$H/ro:/mnt/ro:ro,rprivate"
expect_eq "one line per path" 2 "$(printf '%s\n' "$LAST_OUT" | grep -c 'done\.$')"
expect_eq "inside: the single file's content" file-on-host "$(isula exec c1 cat /etc/hp-file)"
expect_fail "ro: a write inside the directory fails" "Read-only file system" \
	isula exec c1 sh -c 'echo x > /mnt/ro/x'
expect_fail "ro: a write to the single file fails" "Read-only file system" \
	isula exec c1 sh -c 'echo x > /etc/hp-file'
expect_match "rprivate: the mount has no master" "/mnt/ro" \
	"$(mounts_of c1 | awk '$5 == "/mnt/ro" && !/master:/')"

expect_ok "add-path a missing host path creates it" tools add-path c1 "$H/made/a/b:/srv/made"
expect_eq "the created host directory is 0755 root" "755 0:0" "$(stat -c '%a %u:%g' "$H/made/a/b")"
expect_ok "inside: the created path is mounted" mounted c1 /srv/made
expect_ok "the same host path at a second container path with the same options" \
	tools add-path c1 "$H/d:/mnt/d2:rslave,rw"

# =================================================================================== list
expect_ok "list-path" tools list-path c1
expect_eq "list-path prints the JSON array" \
	"[\"$H/d:/mnt/d:rw,rslave\",\"$H/f.txt:/etc/hp-file:ro\",\"$H/ro:/mnt/ro:ro,rprivate\",\"$H/made/a/b:/srv/made:rw,rslave\",\"$H/d:/mnt/d2:rslave,rw\"]" \
	"$LAST_OUT"
expect_ok "list-path --pretty" tools list-path --pretty c1
expect_eq "list-path --pretty indents with a tab" \
	"$(printf '[\n\t"%s",\n\t"%s",\n\t"%s",\n\t"%s",\n\t"%s"\n]' "$H/d:/mnt/d:rw,rslave" \
		"$H/f.txt:/etc/hp-file:ro" "$H/ro:/mnt/ro:ro,rprivate" "$H/made/a/b:/srv/made:rw,rslave" \
		"$H/d:/mnt/d2:rslave,rw")" "$LAST_OUT"
expect_ok "list-path -p" tools list-path -p c1
expect_fail "list-path needs the container" '"list-path" must accept a container-id' \
	tools list-path

# ============================================================================= bad input
before_rec=$(record_of c1)
before_mnt=$(mounts_of c1 | wc -l)
bad() { # DESC MESSAGE SPEC...
	local desc=$1 msg=$2
	shift 2
	expect_fail "$desc" "$msg" tools add-path c1 "$@"
}
bad "a relative host path" "Failed to parse bind: d:/mnt/x, invalid path specification:d:/mnt/x, only absolute path is allowed" "d:/mnt/x"
bad "a relative container path" "only absolute path is allowed" "$H/d:mnt/x"
bad "one field" "Failed to parse bind: $H/d, invalid path specification: $H/d" "$H/d"
bad "four fields" "invalid path specification: $H/d:/a:rw:x" "$H/d:/a:rw:x"
bad "an unknown option" "invalid permissions: rw,shared" "$H/d:/mnt/x:rw,shared"
bad "an option twice" "invalid permissions: ro,ro" "$H/d:/mnt/x:ro,ro"
bad "ro with rw" "invalid permissions: ro,rw" "$H/d:/mnt/x:ro,rw"
bad "two propagations" "invalid permissions: private,rslave" "$H/d:/mnt/x:private,rslave"
bad "the container's /" "the container's / cannot be mounted over" "$H/d:/"
bad "the container's / spelt /.." "the container's / cannot be mounted over" "$H/d:/mnt/.."
bad "a taken container path" \
	"Failed to add path: Mount more than one host paths to a single path in container" \
	"$H/ro:/mnt/d"
bad "the same pair again" "Mount more than one host paths to a single path in container" \
	"$H/d:/mnt/d"
bad "one host path with other options" \
	"Failed to add path: Mount one host path with different permissions, old: rw,rslave, new: ro" \
	"$H/d:/mnt/d3:ro"
ln -s "$H/nowhere" "$H/dangling"
bad "a dangling symlink as host path" "Parsebind get symlibk source file error" "$H/dangling:/mnt/x"
bad "a rule broken by the second path of a call records neither" \
	"Mount more than one host paths" "$H/ro2:/mnt/first" "$H/ro:/mnt/d"
# The second path cannot be mounted (a directory on a file): the first is taken off again.
bad "a mount failing in the second path of a call" "/etc/passwd is not a directory" \
	"$H/new/sub:/mnt/first" "$H/d:/etc/passwd"
expect_eq "bad input: the record is unchanged" "$before_rec" "$(record_of c1)"
expect_eq "bad input: nothing more is mounted" "$before_mnt" "$(mounts_of c1 | wc -l)"
expect_eq "bad input: the host path the failed call created is removed again" no \
	"$([ -e "$H/new" ] && echo yes || echo no)"
expect_eq "bad input: no host path created for a refused call" no \
	"$([ -e "$H/ro2" ] && echo yes || echo no)"
expect_fail "add-path needs a path" '"add-path" requires a minimum of 2 args' tools add-path c1
expect_fail "add-path to an unknown container" "No such container" tools add-path nosuch-$$ "$H/d:/x"

# ======================================================================== symlinks inside
isula exec c1 sh -c 'mkdir -p /mnt/trap && ln -s /etc /mnt/trap/evil && ln -s ../../../../../.. /mnt/trap/up'
expect_ok "a container symlink to /etc" tools add-path c1 "$H/d:/mnt/trap/evil/hp-evil-$$"
expect_eq "it resolves in the container's /etc" hello \
	"$(isula exec c1 cat /etc/hp-evil-$$/hello 2>&1)"
expect_eq "the host's /etc is untouched" no "$([ -e /etc/hp-evil-$$ ] && echo yes || echo no)"
expect_ok "a container symlink climbing with .." tools add-path c1 "$H/d:/mnt/trap/up/tmp/hp-up-$$"
expect_eq "it stays in the container's root" yes \
	"$([ -e "$(in_root c1 /tmp/hp-up-$$/hello)" ] && [ ! -e /tmp/hp-up-$$ ] && echo yes || echo no)"
expect_eq "still nothing mounted on the host" "" "$(host_mounts_of_h)"

# ================================================================================ remove
expect_ok "remove-path" tools remove-path c1 "$H/d:/mnt/d"
expect_eq "remove-path prints the original's line" \
	"Remove path ($H/d) from container(c1,/mnt/d) done" "$LAST_OUT"
expect_fail "removed: gone inside" "No such file" isula exec c1 cat /mnt/d/hello
expect_ok "removed: the mount point directory stays" isula exec c1 test -d /mnt/d
expect_ok "removed: the other binding of the same host path stays" \
	test -e "$(in_root c1 /mnt/d2/hello)"
expect_ok "remove-path with the options field" tools remove-path c1 "$H/made/a/b:/srv/made:rw,rslave"
expect_fail "remove-path of a pair never added" \
	"Failed to remove path: Path pair($H/d:/mnt/d) is not added by isulad-tools, can not remove it, please check input parameter." \
	tools remove-path c1 "$H/d:/mnt/d"
rec=$(record_of c1)
expect_fail "remove-path of two where the second is not added removes neither" \
	"is not added by isulad-tools" tools remove-path c1 "$H/d:/mnt/d2" "$H/x:/nope"
expect_eq "... the record is unchanged" "$rec" "$(record_of c1)"
expect_ok "... and the first is still mounted" mounted c1 /mnt/d2

# ========================================================================== concurrency
pids=()
for i in $(seq 1 16); do
	mkdir -p "$H/par$i"
	"$TOOLS" add-path c1 "$H/par$i:/par/p$i" >"$IT_TMP/par$i.out" 2>&1 &
	pids+=($!)
done
ok=0
for p in "${pids[@]}"; do wait "$p" && ok=$((ok + 1)); done
expect_eq "16 parallel add-path calls all succeed" 16 "$ok"
expect_eq "list-path shows all 16" 16 "$(tools list-path c1 | tr ',' '\n' | grep -c ':/par/p')"
n=0
for i in $(seq 1 16); do mounted c1 "/par/p$i" && n=$((n + 1)); done
expect_eq "all 16 are mounted" 16 "$n"

# ================================================================ restarts keep the paths
expect_ok "isula restart c1" isula restart -t 0 c1
wait_for "c1 runs again" 5 is_status c1 running
expect_eq "after restart: the path is mounted by the hook" hello \
	"$(isula exec c1 cat /mnt/d2/hello 2>&1)"
expect_fail "after restart: ro still refuses writes" "Read-only file system" \
	isula exec c1 sh -c 'echo x > /mnt/ro/x'
expect_ok "after restart: the parallel ones too" mounted c1 /par/p16
expect_ok "after restart: the symlinked one, inside the container" \
	test -e "$(in_root c1 /etc/hp-evil-$$/hello)"
expect_ok "isula stop c1" isula stop -t 0 c1
expect_ok "stopped: add-path records only" tools add-path c1 "$H/d:/mnt/later"
expect_eq "stopped: the same message" "Add path ($H/d) to container(c1,/mnt/later) done." "$LAST_OUT"
expect_match "stopped: recorded" "$H/d:/mnt/later:rw,rslave" "$(record_of c1)"
expect_ok "stopped: remove-path records only" tools remove-path c1 "$H/d:/mnt/d2"
expect_ok "isula start c1" isula start c1
wait_for "c1 runs after start" 5 is_status c1 running
expect_eq "start: the path added while stopped is mounted" hello \
	"$(cat "$(in_root c1 /mnt/later/hello)" 2>&1)"
expect_eq "start: the path removed while stopped is not" no \
	"$(mounted c1 /mnt/d2 && echo yes || echo no)"

stop_daemon hp
start_daemon hp || it_abort "the daemon must restart"
expect_eq "daemon restart: c1 still runs" running "$(status_of c1)"
expect_ok "daemon restart: the path is still mounted" mounted c1 /mnt/later
expect_match "daemon restart: list-path still shows it" "$H/d:/mnt/later" "$(tools list-path c1)"
expect_ok "daemon restart, then isula restart" isula restart -t 0 c1
wait_for "c1 runs after the restart" 5 is_status c1 running
expect_ok "the path is mounted again" mounted c1 /mnt/later

# ========================================================================= 128 at most
isula create --name c2 --hook-spec "$SPEC" --system-container --external-rootfs "$R" \
	none sleep 100000 >/dev/null || fail "c2 must be created"
specs=()
for i in $(seq 1 128); do specs+=("$H/many/m$i:/many/m$i"); done
expect_ok "128 paths in one call on a created container" tools add-path c2 "${specs[@]}"
expect_fail "the 129th is refused" "Failed to add path: Path already reach max limit" \
	tools add-path c2 "$H/many/m129:/many/m129"
expect_eq "the record holds 128" 128 "$(tools list-path c2 | tr ',' '\n' | grep -c ':/many/m')"
expect_ok "c2 starts with 128 paths" isula start c2
wait_for "c2 runs" 5 is_status c2 running
expect_eq "all 128 are mounted" 128 "$(mounts_of c2 | awk '$5 ~ /^\/many\/m/' | wc -l)"
expect_ok "c2 removed" isula rm -f c2

# ===================================================================== a bad record fails start
isula create --name c3 --hook-spec "$SPEC" --system-container --external-rootfs "$R" \
	none sleep 100000 >/dev/null
expect_ok "a file recorded where the container has a directory" tools add-path c3 "$H/f.txt:/etc"
expect_fail "the start fails naming the path" "$H/f.txt:/etc" isula start c3
isula rm -f c3 >/dev/null

# ======================================================================= user-remapped
SB=$(copy_rootfs busybox open) || it_abort "a busybox rootfs copy is needed"
"$SHIFT" "$SB" 100000 100000 || fail "shift the rootfs"
run_sys u1 "$SB" --user-remap 100000:100000:65535 || fail "u1 must run"
wait_for "u1 runs" 5 is_status u1 running
expect_ok "user-remap: add-path a new host path" tools add-path u1 "$H/u/data:/mnt/u"
expect_eq "user-remap: the created host path belongs to the container's root" 100000:100000 \
	"$(stat -c '%u:%g' "$H/u/data")"
expect_ok "user-remap: root writes inside" isula exec u1 sh -c 'echo remapped > /mnt/u/w'
expect_eq "user-remap: seen on the host, owned by the mapped root" "remapped 100000" \
	"$(cat "$H/u/data/w") $(stat -c %u "$H/u/data/w")"
expect_ok "user-remap: a new container path's parents are created" \
	tools add-path u1 "$H/d:/new/deep/dir"
expect_eq "user-remap: they belong to the container's root" "0 0" \
	"$(isula exec u1 stat -c '%u %g' /new/deep)"
expect_ok "user-remap: restart" isula restart -t 0 u1
wait_for "u1 runs again" 5 is_status u1 running
expect_eq "user-remap: mounted again by the hook" remapped \
	"$(isula exec u1 cat /mnt/u/w 2>&1)"
isula create --name u2 --hook-spec "$SPEC" --system-container --user-remap 100000:100000:65535 \
	--external-rootfs "$SB" none sleep 100000 >/dev/null || fail "u2 must be created"
expect_ok "user-remap, never started: add-path a new host path" tools add-path u2 "$H/u2/data:/mnt/u2"
expect_eq "user-remap, never started: the host path belongs to the container's root" \
	100000:100000 "$(stat -c '%u:%g' "$H/u2/data")"
isula rm -f u2 >/dev/null
expect_ok "user-remap: remove-path" tools remove-path u1 "$H/u/data:/mnt/u"
expect_fail "user-remap: gone inside" "No such file" isula exec u1 cat /mnt/u/w

# ================================================ a hostile container: symlinks it plants
# S is a host directory bound rw: the container writes in it, so it can plant symlinks there.
S=$H/share
mkdir -p "$S" "$H/secret"
echo kc >"$S/kc"
run_sys c4 "$R" || fail "c4 must run"
wait_for "c4 runs" 5 is_status c4 running
expect_ok "a container-writable host directory bound rw" tools add-path c4 "$S:/srv/share"
expect_ok "... and a sub-path of it bound elsewhere" tools add-path c4 "$S/sub:/srv/sub"
isula exec c4 sh -c "ln -s / /srv/share/evil && ln -s $H/secret /srv/share/evil2"
expect_fail "live: a host path that is a symlink the container planted is refused" \
	"Failed to add path: the host path $S/evil goes through a symlink" \
	tools add-path c4 "$S/evil:/srv/evil"
expect_eq "... the host's / is not mounted" no "$(mounted c4 /srv/evil && echo yes || echo no)"
expect_fail "live: a missing host path below a planted symlink is refused" \
	"the host path $S/evil2/made goes through a symlink" tools add-path c4 "$S/evil2/made:/srv/made"
expect_eq "... nothing is created through the symlink" no \
	"$([ -e "$H/secret/made" ] && echo yes || echo no)"
expect_eq "... nor recorded" "" "$(tools list-path c4 | grep -F evil)"
# The container swaps a recorded host path for a symlink to the host's /: the next start must
# not bind the host's / (rw) into it.
isula exec c4 sh -c 'rmdir /srv/share/sub && ln -s / /srv/share/sub'
expect_fail "restart after the container swapped a recorded host path for a symlink fails, naming it" \
	"$S/sub" isula restart -t 0 c4
expect_eq "... the host's / never shows at the container path" no \
	"$([ -n "$(pid_of c4)" ] && [ -e "$(in_root c4 "/srv/sub$H/d/hello")" ] && echo yes || echo no)"
expect_ok "... the stopped container's record can drop it" tools remove-path c4 "$S/sub:/srv/sub"
expect_ok "... and then it starts" isula start c4
wait_for "c4 runs again" 5 is_status c4 running

# remove-path redirected: the host path is gone (the container deleted it through the shared
# directory) and the container path's parent swapped for a symlink to /proc, where the engine
# masks /proc/keys with a bind mount. That mask must stay.
expect_ok "a file of the shared directory bound below a container directory" \
	tools add-path c4 "$S/kc:/mnt/r/keys:ro"
expect_ok "the container has /proc/keys masked" mounted c4 /proc/keys
isula exec c4 sh -c 'rm /srv/share/kc && mv /mnt/r /mnt/r.old && ln -s /proc /mnt/r'
expect_ok "remove-path after the swap" tools remove-path c4 "$S/kc:/mnt/r/keys"
expect_match "... it says the mount was left in place" \
	"the host path $S/kc is gone: the mount at /mnt/r/keys in the container is left in place" \
	"$LAST_OUT"
expect_ok "... the /proc/keys mask is still in place" mounted c4 /proc/keys
expect_ok "... our mount stays where the container moved it" mounted c4 /mnt/r.old/keys
expect_eq "... the record entry is dropped" "" "$(tools list-path c4 | grep -F "$S/kc")"
# The same with the host path still there. A file: a symlink in the container path is not
# followed (a file could be the very file a mask shows, /dev/null).
echo kc2 >"$S/kc2"
expect_ok "a second file bound below a container directory" tools add-path c4 "$S/kc2:/mnt/q/keys:ro"
isula exec c4 sh -c 'mv /mnt/q /mnt/q.old && ln -s /proc /mnt/q'
expect_ok "remove-path after the swap (host file present)" tools remove-path c4 "$S/kc2:/mnt/q/keys"
expect_match "... it says the symlinked path was left alone" \
	"the container path /mnt/q/keys goes through a symlink and $S/kc2 is a file: the mount there is left in place" \
	"$LAST_OUT"
expect_ok "... the /proc/keys mask is still in place" mounted c4 /proc/keys
expect_ok "... our mount stays where the container moved it" mounted c4 /mnt/q.old/keys
# A directory: followed, but the mask there (/proc/bus) is not the host directory's mount.
expect_ok "a directory bound below a container directory" tools add-path c4 "$H/d:/mnt/p/bus"
isula exec c4 sh -c 'mv /mnt/p /mnt/p.old && ln -s /proc /mnt/p'
expect_ok "remove-path after the swap (host directory present)" tools remove-path c4 "$H/d:/mnt/p/bus"
expect_match "... it says nothing of ours was there" \
	"$H/d is not mounted at /mnt/p/bus in the container: nothing unmounted" "$LAST_OUT"
expect_ok "... the /proc/bus mask is still in place" mounted c4 /proc/bus
expect_ok "... our mount stays where the container moved it" mounted c4 /mnt/p.old/bus
isula exec c4 sh -c 'mkdir -p /srv/real && ln -s /srv/real /mnt/link'
expect_ok "a container path through the container's own symlink" \
	tools add-path c4 "$H/d:/mnt/link/viad"
expect_ok "... is mounted where the symlink leads" mounted c4 /srv/real/viad
expect_ok "... and removed through it" tools remove-path c4 "$H/d:/mnt/link/viad"
expect_eq "... unmounted" no "$(mounted c4 /srv/real/viad && echo yes || echo no)"

# ============================================================================== cleanup
expect_ok "containers removed" isula rm -f c1 u1 c4
expect_eq "no mount of the host paths is left on the host" "" "$(host_mounts_of_h)"
assert_no_leftovers
it_finish
