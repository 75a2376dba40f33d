#!/usr/bin/env bash
# System-container options of seed 000 §2.3.6-2.3.10: --ns-change-opt, --host-channel,
# --env-target-file, --files-limit, -e KERNEL_MODULES; the seed's examples as expected
# results, one test per rejected value, inspect and a daemon restart. (--user-remap:
# test_userremap.sh.)
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# run_sys ROOTFS [FLAGS...] [-- CMD...]: a detached system container; prints its ID.
run_sys() {
	local rootfs=$1
	shift
	isula run -tid --system-container "$@" --external-rootfs "$rootfs" none sh
}
in_ct() {
	local id=$1
	shift
	timeout 10 "$ISULA" exec "$id" "$@"
}
# A fingerprint of what a rejected create could leave: containers, their dirs.
created_things() {
	isula ps -aq --no-trunc | sort
	find "$LCR" "$STATE" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort
}
# rejected DESC PATTERN CMD...: non-zero exit, PATTERN in the output, nothing created.
rejected() {
	local desc=$1 pat=$2 before
	shift 2
	before=$(created_things)
	expect_fail "$desc" "$pat" "$@" || return 1
	[ "$before" = "$(created_things)" ] || fail "$desc: nothing created" "$(created_things)"
}

# ============================================================================ --ns-change-opt
rw_proc_sys() { in_ct "$1" mount | grep ' on /proc/sys' | grep '(rw,'; }
host_ttl=$(cat /proc/sys/net/ipv4/ip_default_ttl)
new_ttl=$((host_ttl == 99 ? 98 : 99))
host_shmmni=$(cat /proc/sys/kernel/shmmni)
host_queues=$(cat /proc/sys/fs/mqueue/queues_max)

id=$(run_sys "$BB" --ns-change-opt net)
expect_eq "ns-change-opt net: running" running "$(status_of "$id")"
expect_eq "ns-change-opt net: the rw /proc/sys mount is exactly the seed's" \
	"proc on /proc/sys/net type proc (rw,nosuid,nodev,noexec,relatime)" "$(rw_proc_sys "$id")"
expect_match "ns-change-opt net: /proc/sys itself stays read-only" \
	"proc on /proc/sys type proc (ro," "$(in_ct "$id" mount)"
expect_ok "ns-change-opt net: net.ipv4.ip_default_ttl can be written inside" \
	in_ct "$id" sh -c "echo $new_ttl > /proc/sys/net/ipv4/ip_default_ttl"
expect_eq "ns-change-opt net: the value is the container's" "$new_ttl" \
	"$(in_ct "$id" cat /proc/sys/net/ipv4/ip_default_ttl)"
expect_eq "ns-change-opt net: the host's value is unchanged" "$host_ttl" \
	"$(cat /proc/sys/net/ipv4/ip_default_ttl)"
expect_fail "ns-change-opt net: kernel.shmmni stays read-only" "Read-only file system" \
	in_ct "$id" sh -c 'echo 1000 > /proc/sys/kernel/shmmni'
expect_fail "ns-change-opt net: vm.swappiness stays read-only" "Read-only file system" \
	in_ct "$id" sh -c 'echo 10 > /proc/sys/vm/swappiness'
expect_eq "ns-change-opt net: inspect NsChangeOpt" net "$(ifield "$id" '{{.HostConfig.NsChangeOpt}}')"
expect_eq "ns-change-opt net: inspect NsChangeFiles" '["/proc/sys/net"]' \
	"$(ifield "$id" '{{json .HostConfig.NsChangeFiles}}')"
isula rm -f "$id" >/dev/null

IPC_LINES=""
for f in kernel/shmmax kernel/shmmni kernel/shmall kernel/shm_rmid_forced kernel/msgmax \
	kernel/msgmni kernel/msgmnb kernel/sem fs/mqueue; do
	IPC_LINES+="proc on /proc/sys/$f type proc (rw,nosuid,nodev,noexec,relatime)"$'\n'
done
IPC_LINES=${IPC_LINES%$'\n'}
id=$(run_sys "$BB" --ns-change-opt ipc)
expect_eq "ns-change-opt ipc: the rw /proc/sys mounts are exactly the seed's list" \
	"$IPC_LINES" "$(rw_proc_sys "$id")"
expect_ok "ns-change-opt ipc: kernel.shmmni can be written inside" \
	in_ct "$id" sh -c 'echo 1234 > /proc/sys/kernel/shmmni'
expect_eq "ns-change-opt ipc: kernel.shmmni is the container's" 1234 \
	"$(in_ct "$id" cat /proc/sys/kernel/shmmni)"
expect_ok "ns-change-opt ipc: kernel.sem can be written inside" \
	in_ct "$id" sh -c 'echo "250 32000 32 200" > /proc/sys/kernel/sem'
expect_ok "ns-change-opt ipc: fs.mqueue.queues_max can be written inside" \
	in_ct "$id" sh -c 'echo 300 > /proc/sys/fs/mqueue/queues_max'
expect_eq "ns-change-opt ipc: the host's kernel.shmmni is unchanged" "$host_shmmni" \
	"$(cat /proc/sys/kernel/shmmni)"
expect_eq "ns-change-opt ipc: the host's fs.mqueue.queues_max is unchanged" "$host_queues" \
	"$(cat /proc/sys/fs/mqueue/queues_max)"
expect_fail "ns-change-opt ipc: kernel.msg_next_id (not in the list) stays read-only" \
	"Read-only file system" in_ct "$id" sh -c 'echo 5 > /proc/sys/kernel/msg_next_id'
expect_fail "ns-change-opt ipc: /proc/sys/net stays read-only" "Read-only file system" \
	in_ct "$id" sh -c "echo $new_ttl > /proc/sys/net/ipv4/ip_default_ttl"
isula rm -f "$id" >/dev/null

id=$(run_sys "$BB" --ns-change-opt net,ipc)
expect_eq "ns-change-opt net,ipc: net and the ipc list are rw" \
	"proc on /proc/sys/net type proc (rw,nosuid,nodev,noexec,relatime)"$'\n'"$IPC_LINES" \
	"$(rw_proc_sys "$id")"
isula rm -f "$id" >/dev/null

# A privileged container keeps CAP_NET_ADMIN, and liblxc then leaves /proc/sys/net writable
# by itself; --ns-change-opt adds nothing to that.
id=$(run_sys "$BB" --privileged)
priv_rw=$(rw_proc_sys "$id")
isula rm -f "$id" >/dev/null
id=$(run_sys "$BB" --ns-change-opt net,ipc --privileged)
expect_eq "ns-change-opt with --privileged: no effect (the rw mounts of --privileged alone)" \
	"$priv_rw" "$(rw_proc_sys "$id")"
[[ "$(rw_proc_sys "$id")" == *kernel/shmmax* ]] &&
	fail "ns-change-opt with --privileged: no ipc file made writable" ||
	pass "ns-change-opt with --privileged: no ipc file made writable"
expect_eq "ns-change-opt with --privileged: NsChangeFiles is empty" "[]" \
	"$(ifield "$id" '{{json .HostConfig.NsChangeFiles}}')"
isula rm -f "$id" >/dev/null

for v in foo "net," ",ipc" "" "net;ipc" NET uts; do
	rejected "ns-change-opt '$v' is rejected" "Invalid --ns-change-opt value '$v': allowed are net and ipc" \
		isula run -tid --system-container --ns-change-opt "$v" --external-rootfs "$BB" none sh
done
rejected "ns-change-opt on a normal container is rejected" \
	"--ns-change-opt only available for system container" \
	isula run -tid --ns-change-opt net --external-rootfs "$BB" none sh

# ============================================================================= --host-channel
CH=$IT_TMP/testdir
id=$(run_sys "$BB" --host-channel "$CH:/testdir:rw:32M")
expect_eq "host-channel: running" running "$(status_of "$id")"
expect_eq "host-channel: a tmpfs on the host path" tmpfs "$(findmnt -n -o FSTYPE "$CH")"
expect_match "host-channel: of the given size (32M)" "size=32768k" "$(findmnt -n -o OPTIONS "$CH")"
expect_eq "host-channel: mode 1777 on the host" 1777 "$(stat -c %a "$CH")"
expect_eq "host-channel: mounted in the container at /testdir" "tmpfs" \
	"$(in_ct "$id" sh -c 'grep " /testdir " /proc/mounts | cut -d" " -f3')"
run_capture in_ct "$id" dd if=/dev/zero of=/testdir/test.file bs=1024 count=64K
expect_match "host-channel seed example: dd fails when the channel is full" \
	"dd: error writing '/testdir/test.file': No space left on device" "$LAST_OUT"
expect_match "host-channel seed example: 32768+0 records out" "32768+0 records out" "$LAST_OUT"
expect_eq "host-channel: the host sees the 32 MiB the container wrote" 33554432 \
	"$(stat -c %s "$CH/test.file")"
rm "$CH/test.file"
echo from-host >"$CH/hello"
expect_eq "host-channel: the container sees what the host writes" from-host \
	"$(in_ct "$id" cat /testdir/hello)"
expect_eq "host-channel: inspect HostChannel" \
	"{\"PathOnHost\":\"$CH\",\"PathInContainer\":\"/testdir\",\"Permissions\":\"rw\",\"Size\":33554432}" \
	"$(ifield "$id" '{{json .HostConfig.HostChannel}}')"
expect_ok "host-channel: stop" isula stop -t 0 "$id"
expect_eq "host-channel: the tmpfs stays mounted after a stop" tmpfs "$(findmnt -n -o FSTYPE "$CH")"
expect_ok "host-channel: start again" isula start "$id"
expect_eq "host-channel: its content survives a stop and start" from-host \
	"$(in_ct "$id" cat /testdir/hello)"
rejected "host-channel: a second container on the same host path is rejected" \
	"Host path '$CH' already exists" \
	isula run -tid --system-container --host-channel "$CH:/x" --external-rootfs "$BB" none sh
CH_ID=$id

CH2=$IT_TMP/chan-default
id=$(run_sys "$BB" --host-channel "$CH2:/chan")
expect_match "host-channel: default size 64MB" "size=65536k" "$(findmnt -n -o OPTIONS "$CH2")"
expect_eq "host-channel: default permission rw" rw "$(ifield "$id" '{{.HostConfig.HostChannel.Permissions}}')"
isula rm -f "$id" >/dev/null
expect_eq "host-channel: rm unmounts the tmpfs" "" "$(findmnt -n "$CH2")"
expect_ok "host-channel: rm removes the host path" test ! -e "$CH2"

CH3=$IT_TMP/chan-ro
id=$(run_sys "$BB" --host-channel "$CH3:/chan:ro:1M")
expect_fail "host-channel ro: the container cannot write" "Read-only file system" \
	in_ct "$id" sh -c 'echo x > /chan/f'
expect_ok "host-channel ro: the host can" sh -c "echo x > $CH3/f"
expect_eq "host-channel ro: the container reads it" x "$(in_ct "$id" cat /chan/f)"
isula rm -f "$id" >/dev/null
expect_ok "host-channel ro: rm removes the host path" test ! -e "$CH3"

mkdir "$IT_TMP/exists"
rejected "host-channel: an existing host path is rejected" "Host path '$IT_TMP/exists' already exists" \
	isula run -tid --system-container --host-channel "$IT_TMP/exists:/c" --external-rootfs "$BB" none sh
expect_ok "host-channel: the existing path is left alone" test -d "$IT_TMP/exists"
mem=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) * 1024))
BAD=$IT_TMP/bad-chan
while IFS='|' read -r spec pat; do
	rejected "host-channel '$spec' is rejected" "$pat" \
		isula run -tid --system-container --host-channel "$spec" --external-rootfs "$BB" none sh
	[ -e "$BAD" ] && fail "host-channel '$spec': the host path was not created" "$(ls -la "$BAD")"
done <<EOF
$BAD|Bad host channel format
$BAD:/c:rw:1M:x|Bad host channel format
rel/path:/c|Host channel host path should be absolute: rel/path
$BAD:rel|Host channel container path should be absolute: rel
$BAD:/|Host channel container path must not be /
$BAD:/c:rx|Invalid mount mode for host channel: rx
$BAD:/c:rw:abc|Invalid size limit for host channel: abc
$BAD:/c:rw:4095|the minimum is 4KB
$BAD:/c:rw:1k|the minimum is 4KB
$BAD:/c:rw:$mem|larger than half of total memory
$IT_TMP/a/../b:/c|must not contain ..
EOF
id=$(run_sys "$BB" --host-channel "$BAD:/c:rw:4k")
expect_eq "host-channel: 4k is the smallest size accepted" running "$(status_of "$id")"
isula rm -f "$id" >/dev/null

# A start that fails leaves no tmpfs mounted; rm removes the directory.
CH4=$IT_TMP/chan-failed
expect_fail "host-channel: a start that fails (missing kernel module)" "isulad_no_such_module" \
	isula run -tid --system-container --name chanfail --host-channel "$CH4:/c" \
	-e KERNEL_MODULES=isulad_no_such_module --external-rootfs "$BB" none sh
expect_eq "host-channel: nothing mounted after the failed start" "" "$(findmnt -n "$CH4")"
isula rm -f chanfail >/dev/null
expect_ok "host-channel: rm of the failed container removes the host path" test ! -e "$CH4"

# =========================================================================== --env-target-file
R=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
id=$(isula run -tid -e abc=123 --env-target-file /etc/environment --system-container \
	--external-rootfs "$R" none sh)
expect_eq "env-target-file seed example: /etc/environment holds the container's env" \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TERM=xterm
abc=123" "$(in_ct "$id" cat /etc/environment)"
expect_eq "env-target-file: inspect EnvTargetFile" /etc/environment \
	"$(ifield "$id" '{{.HostConfig.EnvTargetFile}}')"
isula rm -f "$id" >/dev/null

printf '# site settings\nabc=old\nFOO=bar\n' >"$R/etc/environment"
id=$(isula run -tid -e abc=123 --env-target-file /etc/environment --system-container \
	--external-rootfs "$R" none sh)
got=$(in_ct "$id" cat /etc/environment)
expect_match "env-target-file: --env wins over the file (abc=123)" "abc=123" "$got"
[[ "$got" == *abc=old* ]] && fail "env-target-file: the file's abc=old is gone" "$got" ||
	pass "env-target-file: the file's abc=old is gone"
expect_match "env-target-file: the file's other entries are kept (FOO=bar)" "FOO=bar" "$got"
expect_match "env-target-file: the file's entries join the container's env" "FOO=bar" \
	"$(in_ct "$id" env)"
isula rm -f "$id" >/dev/null

id=$(run_sys "$R" -e X=1 --env-target-file /etc/isulad-env/sub/env)
expect_match "env-target-file: missing parent directories are made" "X=1" \
	"$(cat "$R/etc/isulad-env/sub/env" 2>&1)"
isula rm -f "$id" >/dev/null

# Symlinks never lead out of the rootfs.
echo host-content >"$IT_TMP/outside"
ln -s "$IT_TMP/outside" "$R/etc/evil"
id=$(run_sys "$R" -e X=2 --env-target-file /etc/evil)
expect_eq "env-target-file: a symlink to a host file leaves the host file alone" host-content \
	"$(cat "$IT_TMP/outside")"
expect_match "env-target-file: the env is written inside the rootfs instead" "X=2" \
	"$(cat "$R/etc/evil" 2>&1)"
isula rm -f "$id" >/dev/null
mkdir "$IT_TMP/outdir"
ln -s "$IT_TMP/outdir" "$R/etc/envdir"
isula run -tid --system-container --name envdir -e X=3 --env-target-file /etc/envdir/env \
	--external-rootfs "$R" none sh >/dev/null 2>&1
expect_eq "env-target-file: a symlinked directory does not lead to the host directory" "" \
	"$(ls -A "$IT_TMP/outdir")"
isula rm -f envdir >/dev/null 2>&1
id=$(run_sys "$R" -e X=4 --env-target-file "/../../../..$IT_TMP/escape")
expect_ok "env-target-file: /../.. stays inside the rootfs (no host file)" test ! -e "$IT_TMP/escape"
expect_match "env-target-file: /../.. is resolved inside the rootfs" "X=4" \
	"$(cat "$R$IT_TMP/escape" 2>&1)"
isula rm -f "$id" >/dev/null

head -c $((10 * 1024 * 1024 + 1)) /dev/zero >"$R/etc/big-env"
rejected "env-target-file larger than 10 MB is rejected" "size exceed limit" \
	isula run -tid --system-container --env-target-file /etc/big-env --external-rootfs "$R" none sh
rejected "env-target-file: a relative path is rejected" "env target file path must be absolute path: etc/environment" \
	isula run -tid --system-container --env-target-file etc/environment --external-rootfs "$R" none sh
rejected "env-target-file: a directory is rejected" "Env target file is a directory: /etc" \
	isula run -tid --system-container --env-target-file /etc --external-rootfs "$R" none sh

# ============================================================================== --files-limit
ulimit_n() { in_ct "$1" sh -c 'ulimit -n'; }
# open_files ID N: holds N files open at once in the container; prints fds=<open fds> and
# any errors.
cat >"$BB/openfds.sh" <<'EOF'
cd /tmp && l="" && for i in $(seq 1 $1); do : > f$i; l="$l f$i"; done
tail -n0 -f $l > /dev/null 2>/tmp/err & p=$!
sleep 0.3
n=$(ls /proc/$p/fd 2>/dev/null | wc -l); kill $p 2>/dev/null; wait $p 2>/dev/null
echo "fds=$n"; cat /tmp/err
EOF
expect_eq "this kernel has no files cgroup (so --files-limit falls back to RLIMIT_NOFILE)" "" \
	"$(grep -w files /proc/1/cgroup)"
id=$(run_sys "$BB" --files-limit 100)
expect_eq "files-limit 100: running" running "$(status_of "$id")"
expect_eq "files-limit 100: inspect FilesLimit" 100 "$(ifield "$id" '{{.HostConfig.FilesLimit}}')"
expect_match "files-limit 100: the lxc config has the RLIMIT_NOFILE fallback" \
	"lxc.prlimit.nofile = 100:100" "$(cat "$LCR/$id/config")"
expect_eq "files-limit 100: the init's open files limit" "Max open files 100 100 files" \
	"$(grep 'Max open files' "/proc/$(pid_of "$id")/limits" | tr -s " " | sed "s/ *\$//")"
expect_eq "files-limit 100: exec'd commands get it too" 100 "$(ulimit_n "$id")"
got=$(in_ct "$id" sh /openfds.sh 60)
expect_eq "files-limit 100: 60 files open at once is fine" "fds=63" "$got"
got=$(in_ct "$id" sh /openfds.sh 150)
expect_match "files-limit 100: opening 150 at once fails" "Too many open files" "$got"
expect_match "files-limit 100: no more than 100 descriptors" "fds=100" "$got"
isula rm -f "$id" >/dev/null
id=$(run_sys "$BB")
default_n=$(ulimit_n "$id")
isula rm -f "$id" >/dev/null
for n in 0 -1; do
	id=$(run_sys "$BB" --files-limit "$n")
	expect_eq "files-limit $n: no limit (the default $default_n)" "$default_n" "$(ulimit_n "$id")"
	grep -q prlimit.nofile "$LCR/$id/config" && fail "files-limit $n: no prlimit line" ||
		pass "files-limit $n: no prlimit line"
	isula rm -f "$id" >/dev/null
done
id=$(run_sys "$BB" --files-limit 1000 --ulimit nofile=200:300)
expect_eq "files-limit with a lower --ulimit nofile: the lower values stay" "200" "$(ulimit_n "$id")"
expect_match "files-limit with a lower --ulimit nofile: 200:300" "lxc.prlimit.nofile = 200:300" \
	"$(cat "$LCR/$id/config")"
isula rm -f "$id" >/dev/null
id=$(run_sys "$BB" --files-limit 100 --ulimit nofile=2000:3000)
expect_eq "files-limit with a higher --ulimit nofile: files-limit wins" 100 "$(ulimit_n "$id")"
isula rm -f "$id" >/dev/null
for v in -2 abc 1.5 "" 10k; do
	rejected "files-limit '$v' is rejected" "files-limit" \
		isula run -tid --system-container --files-limit "$v" --external-rootfs "$BB" none sh
done
rejected "files-limit above fs.nr_open is rejected (RLIMIT_NOFILE fallback)" \
	"at most fs.nr_open = $(cat /proc/sys/fs/nr_open)" \
	isula run -tid --system-container --files-limit 99999999999 --external-rootfs "$BB" none sh
expect_fail "files-limit too small for the container's setup: a clear error" \
	"--files-limit 20 is too small" \
	isula run -tid --system-container --name tiny --files-limit 20 --external-rootfs "$BB" none sh
isula rm -f tiny >/dev/null 2>&1

# ============================================================================ KERNEL_MODULES
# This kernel has no loadable modules (CONFIG_MODULES is off): loop and overlay are built in.
for m in loop overlay; do
	expect_ok "/sys/module/$m exists (built in)" test -d "/sys/module/$m"
done
id=$(run_sys "$BB" -e KERNEL_MODULES=loop,overlay)
expect_eq "KERNEL_MODULES=loop,overlay (built in): the container starts" running "$(status_of "$id")"
isula rm -f "$id" >/dev/null
id=$(run_sys "$BB" -e KERNEL_MODULES=loop,)
expect_eq "KERNEL_MODULES with a trailing comma is accepted" running "$(status_of "$id")"
isula rm -f "$id" >/dev/null
id=$(run_sys "$BB" -e KERNEL_MODULES=)
expect_eq "an empty KERNEL_MODULES is accepted" running "$(status_of "$id")"
isula rm -f "$id" >/dev/null
expect_fail "KERNEL_MODULES with a missing module fails the start, naming it" \
	"cannot load kernel module 'isulad_no_such_module' (KERNEL_MODULES)" \
	isula run -tid --system-container --name nomod -e KERNEL_MODULES=loop,isulad_no_such_module \
	--external-rootfs "$BB" none sh
expect_match "KERNEL_MODULES: modprobe's own message is passed on" \
	"Module isulad_no_such_module not found" "$LAST_OUT"
expect_eq "KERNEL_MODULES: the container did not start" inited "$(status_of nomod)"
isula rm -f nomod >/dev/null
rejected "KERNEL_MODULES with an invalid name is rejected at create" \
	"Invalid KERNEL_MODULES entry '../x'" \
	isula run -tid --system-container -e KERNEL_MODULES=loop,../x --external-rootfs "$BB" none sh
id=$(isula run -tid -e KERNEL_MODULES=isulad_no_such_module --external-rootfs "$BB" none sh)
expect_eq "KERNEL_MODULES in a normal container is only an env variable" running "$(status_of "$id")"
isula rm -f "$id" >/dev/null

# ===================================================== create, inspect, and a daemon restart
CH5=$IT_TMP/chan-restart
cid=$(isula create --system-container --ns-change-opt ipc --host-channel "$CH5:/c:ro:8M" \
	--env-target-file /etc/env.sh --files-limit 4096 --external-rootfs "$BB" none sleep 3600)
is_hex64 "$cid" && pass "isula create takes the system-container flags" ||
	fail "isula create takes the system-container flags" "$cid"
fields='{{.HostConfig.NsChangeOpt}} {{json .HostConfig.HostChannel}} {{.HostConfig.EnvTargetFile}} {{.HostConfig.FilesLimit}}'
want="ipc {\"PathOnHost\":\"$CH5\",\"PathInContainer\":\"/c\",\"Permissions\":\"ro\",\"Size\":8388608} /etc/env.sh 4096"
expect_eq "inspect after create" "$want" "$(ifield "$cid" "$fields")"
stop_daemon main
start_daemon main || it_abort "the daemon must start again"
expect_eq "inspect after a daemon restart" "$want" "$(ifield "$cid" "$fields")"
expect_ok "start after the daemon restart" isula start "$cid"
expect_eq "the options apply after the restart (8M tmpfs)" tmpfs "$(findmnt -n -o FSTYPE "$CH5")"
expect_eq "the options apply after the restart (files limit)" 4096 "$(ulimit_n "$cid")"
expect_eq "the first host channel is still in use after the restart" from-host \
	"$(in_ct "$CH_ID" cat /testdir/hello)"

expect_ok "rm -f of every container" isula rm -f "$cid" "$CH_ID"
expect_ok "rm removed every host channel" test ! -e "$CH" -a ! -e "$CH5"
expect_eq "ps -a is empty" "" "$(isula ps -aq)"
assert_no_leftovers
it_finish
