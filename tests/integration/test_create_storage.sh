#!/usr/bin/env bash
# create/run's storage options (issue 19): per-device block IO (--blkio-weight-device,
# --device-read-bps/--device-write-bps/--device-read-iops/--device-write-iops), --hugetlb-limit,
# --mount type=bind|tmpfs, --external-rootfs on a block device (mounted by the engine while the
# container runs), each with its
# Docker API field (docker-py too), proven in the container's cgroup and by throttled reads;
# bad values refused at create naming them. Block devices are loop devices over files of the
# temp dir, detached by the cleanup.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
LOOPS=()
# new_loop SIZE: NEW_LOOP is a loop device over a new file, detached at cleanup.
new_loop() {
	local img
	NEW_LOOP=""
	img=$(mktemp "$IT_TMP/disk.XXXXXX") && truncate -s "$1" "$img" &&
		NEW_LOOP=$(losetup -f --show "$img") || return 1
	LOOPS+=("$NEW_LOOP")
}
detach_loops() {
	local l
	for l in "${LOOPS[@]}"; do
		losetup -d "$l" 2>/dev/null
	done
}
it_on_cleanup detach_loops
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
cgv() { cg_file "$1" "$IT_CGNAME/$(ifield "$3" '{{.Id}}')" "$2"; }
# The Docker CLI decodes inspect into its own types: a field of the wrong shape fails it.
export DOCKER_CONFIG=$IT_TMP/docker-config
D() { timeout 30 docker -H "unix://$SOCK" "$@"; }
run_bb() { isula run -d --name "$1" "${@:2}" --external-rootfs "$BB" none sleep 1000; }

# ------------------------------------------------------------------- per-device block IO
new_loop 64M || it_abort "a loop device is needed"
L=$NEW_LOOP
MM=$(lsblk -dno MAJ:MIN "$L" | tr -d ' ')
expect_ok "run with the four throttles" run_bb thr --device "$L" --device-read-bps "$L:1mb" \
	--device-write-bps "$L:2m" --device-read-iops "$L:100" --device-write-iops "$L:200"
expect_eq "blkio.throttle.read_bps_device" "$MM 1048576" "$(cgv blkio blkio.throttle.read_bps_device thr)"
expect_eq "blkio.throttle.write_bps_device" "$MM 2097152" "$(cgv blkio blkio.throttle.write_bps_device thr)"
expect_eq "blkio.throttle.read_iops_device" "$MM 100" "$(cgv blkio blkio.throttle.read_iops_device thr)"
expect_eq "blkio.throttle.write_iops_device" "$MM 200" "$(cgv blkio blkio.throttle.write_iops_device thr)"
expect_eq "inspect shows BlkioDeviceReadBps" "[{\"Path\":\"$L\",\"Rate\":1048576}]" \
	"$(ifield thr '{{json .HostConfig.BlkioDeviceReadBps}}')"
expect_eq "inspect shows BlkioDeviceWriteIOps" "[{\"Path\":\"$L\",\"Rate\":200}]" \
	"$(ifield thr '{{json .HostConfig.BlkioDeviceWriteIOps}}')"
expect_eq "docker inspect reads the BlkioDevice* fields" "$L:1048576 $L:2097152 $L:100 $L:200" \
	"$(D inspect -f '{{range .HostConfig.BlkioDeviceReadBps}}{{.Path}}:{{.Rate}}{{end}} {{range .HostConfig.BlkioDeviceWriteBps}}{{.Path}}:{{.Rate}}{{end}} {{range .HostConfig.BlkioDeviceReadIOps}}{{.Path}}:{{.Rate}}{{end}} {{range .HostConfig.BlkioDeviceWriteIOps}}{{.Path}}:{{.Rate}}{{end}}' thr 2>&1)"
# 3 MiB at 1 MiB/s: two seconds at least, however loaded the machine (a lower bound only).
t0=$(now_us)
isula exec thr dd if="$L" of=/dev/null bs=1M count=3 iflag=direct >/dev/null 2>&1
t1=$(now_us)
if [ $((t1 - t0)) -ge 1500000 ]; then
	pass "reads from the device inside are throttled to 1 MiB/s"
else
	fail "reads from the device inside are throttled to 1 MiB/s" "3 MiB in $(((t1 - t0) / 1000)) ms"
fi
expect_eq "v1 throttling is flat: the rule is also in the cgroup the container runs in" \
	"$MM 1048576" "$(cgv blkio ns/blkio.throttle.read_bps_device thr)"
expect_fail "the container cannot clear it: its blkio hierarchy is read-only inside" \
	"Read-only file system" isula exec thr sh -c \
	"echo '$MM 0' >/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device"
expect_ok "... and its other cgroup hierarchies stay as they were (memory writable)" \
	isula exec thr sh -c "test -w /sys/fs/cgroup/memory/memory.limit_in_bytes"

if echo bfq >"/sys/block/${L#/dev/}/queue/scheduler" 2>/dev/null; then
	expect_ok "run --blkio-weight-device on a bfq device" run_bb wd --blkio-weight-device "$L:300"
	expect_eq "blkio.bfq.weight_device holds it" "$MM 300" \
		"$(cgv blkio blkio.bfq.weight_device wd | grep "^$MM ")"
	expect_eq "inspect shows BlkioWeightDevice" "[{\"Path\":\"$L\",\"Weight\":300}]" \
		"$(ifield wd '{{json .HostConfig.BlkioWeightDevice}}')"
	expect_eq "docker inspect reads BlkioWeightDevice" "$L:300" \
		"$(D inspect -f '{{range .HostConfig.BlkioWeightDevice}}{{.Path}}:{{.Weight}}{{end}}' wd 2>&1)"
	echo none >"/sys/block/${L#/dev/}/queue/scheduler"
	expect_fail "a start once the device's scheduler is no longer bfq fails, saying so" \
		"scheduler of the device ($MM) is none" isula restart -t 0 wd
else
	fail "bfq can be selected for $L" "$(cat "/sys/block/${L#/dev/}/queue/scheduler")"
fi
expect_fail_code "--blkio-weight-device on a device without bfq is refused (the seed's words)" \
	125 "please check whether current OS support blkio weight device configuration for bfq" \
	isula create --blkio-weight-device "$L:300" --external-rootfs "$BB" none true
expect_fail_code "a weight out of range is refused, naming it" 125 \
	"value 5 for $L: allowed is a weight from 10 to 1000" \
	isula create --blkio-weight-device "$L:5" --external-rootfs "$BB" none true
expect_fail_code "a rate without a number is refused, naming it" 125 \
	"Invalid --device-read-bps '$L:fast'" \
	isula create --device-read-bps "$L:fast" --external-rootfs "$BB" none true
expect_fail_code "an IO count with a fraction is refused" 125 "Invalid --device-write-iops '$L:1.5'" \
	isula create --device-write-iops "$L:1.5" --external-rootfs "$BB" none true
touch "$IT_TMP/plainfile"
expect_fail_code "a path that is not a block device is refused, naming it" 125 \
	"$IT_TMP/plainfile is not a block device" \
	isula create --device-read-bps "$IT_TMP/plainfile:1mb" --external-rootfs "$BB" none true
expect_fail_code "a missing device is refused, naming it" 125 "/dev/nosuchdisk: No such file" \
	isula create --device-write-bps /dev/nosuchdisk:1mb --external-rootfs "$BB" none true
out=$(python3 - "$SOCK" "$BB" "$L" <<'PY' 2>&1
import sys, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
dev = sys.argv[3]
hc = api.create_host_config(device_write_bps=[{"Path": dev, "Rate": 4096000}],
                            device_read_iops=[{"Path": dev, "Rate": 77}])
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sleep", "1000"], host_config=hc, name="dpy")["Id"]
api.start(cid)
h = api.inspect_container(cid)["HostConfig"]
print(h["BlkioDeviceWriteBps"][0]["Rate"], h["BlkioDeviceReadIOps"][0]["Rate"])
hc = api.create_host_config(device_read_bps=[{"Path": dev, "Rate": 0}])
hc["ExternalRootfs"] = sys.argv[2]
try:
    api.create_container("none", ["true"], host_config=hc)
except docker.errors.APIError as e:
    print(e.status_code, e.explanation)
PY
)
expect_match "docker-py: device_write_bps and device_read_iops" "4096000 77" "$out"
expect_eq "docker-py: the write rate is in the cgroup" "$MM 4096000" \
	"$(cgv blkio blkio.throttle.write_bps_device dpy)"
expect_match "docker-py: a rate of 0 is refused (400), naming it" \
	"400 Invalid --device-read-bps (BlkioDeviceReadBps) value 0 for $L" "$out"

# ------------------------------------------------------------------------ --hugetlb-limit
# hugetlb_file CTR FILE: the file in the container's cgroup, in the v1 hugetlb hierarchy or
# the v2 tree (where a hybrid host like this one may have hugetlb alone).
hugetlb_file() {
	local id d
	id=$(ifield "$1" '{{.Id}}')
	for d in "$CGROOT/hugetlb" "$CGROOT/unified" "$CGROOT"; do
		[ -f "$d/$IT_CGNAME/$id/$2" ] && { cat "$d/$IT_CGNAME/$id/$2"; return; }
	done
}
if [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
	v1_hugetlb=$(awk '$5 ~ /hugetlb/ && $9 == "cgroup" { print }' /proc/self/mountinfo)
	expect_ok "run --hugetlb-limit 2MB:32MB" run_bb huge --hugetlb-limit 2MB:32MB
	if [ -n "$v1_hugetlb" ]; then
		expect_eq "hugetlb.2MB.limit_in_bytes holds it" $((32 << 20)) \
			"$(hugetlb_file huge hugetlb.2MB.limit_in_bytes)"
	else
		expect_eq "hugetlb.2MB.max of the v2 tree holds it" $((32 << 20)) \
			"$(hugetlb_file huge hugetlb.2MB.max)"
	fi
	expect_eq "inspect shows Hugetlbs" '[{"PageSize":"2MB","Limit":33554432}]' \
		"$(ifield huge '{{json .HostConfig.Hugetlbs}}')"
	dflt=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
	expect_ok "--hugetlb-limit without a page size takes the host's default" \
		run_bb hugedef --hugetlb-limit 64m
	expect_match "... ${dflt}kB" "\"Limit\":67108864" "$(ifield hugedef '{{json .HostConfig.Hugetlbs}}')"
	expect_ok "a restart applies it again" isula restart -t 0 huge
	expect_eq "... (running, limit in place)" "running $((32 << 20))" \
		"$(status_of huge) $(hugetlb_file huge hugetlb.2MB.max)$(hugetlb_file huge hugetlb.2MB.limit_in_bytes)"
else
	fail "this host has 2 MB huge pages (/sys/kernel/mm/hugepages/hugepages-2048kB)"
fi
sizes=$(for f in /sys/kernel/mm/hugepages/hugepages-*kB; do
	kb=${f##*-}; kb=${kb%kB}
	if [ "$kb" -ge 1048576 ]; then echo "$((kb >> 20))GB"; elif [ "$kb" -ge 1024 ]; then echo "$((kb >> 10))MB"; else echo "${kb}KB"; fi
done | sort -h | paste -sd, | sed 's/,/, /g')
expect_fail_code "an unsupported page size is refused, naming the host's" 125 \
	"page size 4MB: this host supports $sizes" \
	isula create --hugetlb-limit 4MB:32MB --external-rootfs "$BB" none true
expect_fail_code "a page size that is no size is refused" 125 "page size '3MB' is not a size" \
	isula create --hugetlb-limit 3MB:32MB --external-rootfs "$BB" none true
expect_fail_code "a limit of 0 is refused" 125 "with a limit greater than 0" \
	isula create --hugetlb-limit 2MB:0 --external-rootfs "$BB" none true
expect_fail_code "one page size twice is refused" 125 "page size 2MB is given twice" \
	isula create --hugetlb-limit 2MB:32MB --hugetlb-limit 2m:64MB --external-rootfs "$BB" none true
out=$(python3 - "$SOCK" "$BB" <<'PY' 2>&1
import sys, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config()
hc["ExternalRootfs"] = sys.argv[2]
hc["Hugetlbs"] = [{"PageSize": "2MB", "Limit": 16777216}]
cid = api.create_container("none", ["sleep", "1000"], host_config=hc, name="hugepy")["Id"]
api.start(cid)
print(api.inspect_container(cid)["HostConfig"]["Hugetlbs"])
hc["Hugetlbs"] = [{"PageSize": "7MB", "Limit": 1}]
try:
    api.create_container("none", ["true"], host_config=hc)
except docker.errors.APIError as e:
    print(e.status_code, e.explanation)
PY
)
expect_match "docker-py: iSulad's Hugetlbs field" "[{'PageSize': '2MB', 'Limit': 16777216}]" "$out"
expect_eq "docker-py: the limit is in the cgroup" $((16 << 20)) \
	"$(hugetlb_file hugepy hugetlb.2MB.max)$(hugetlb_file hugepy hugetlb.2MB.limit_in_bytes)"
expect_match "docker-py: a bad page size is refused (400)" "400 Invalid --hugetlb-limit (Hugetlbs) page size '7MB'" "$out"

# --------------------------------------------------------------------------------- --mount
M=$IT_TMP/mnt
mkdir -p "$M/a" "$M/b" "$M/ro" "$M/prop" "$M/vol"
echo from-a >"$M/a/marker"
echo from-b >"$M/b/marker"
echo from-vol >"$M/vol/marker"
mount --bind "$M/prop" "$M/prop" && mount --make-rshared "$M/prop"
expect_ok "run with bind and tmpfs --mounts" run_bb mnt \
	--mount "type=bind,source=$M/a,target=/data" \
	--mount "type=bind,src=$M/ro,dst=/rodata,readonly" \
	--mount "type=bind,src=$M/prop,dst=/prop,bind-propagation=rslave" \
	--mount type=tmpfs,destination=/scratch,tmpfs-size=8m,tmpfs-mode=1770 \
	--mount type=tmpfs,dst=/rotmp,ro=true \
	-v "$M/vol:/both" --mount "type=bind,src=$M/b,dst=/both"
expect_eq "the bind is visible inside" from-a "$(isula exec mnt cat /data/marker 2>&1)"
expect_ok "... and written through to the host" isula exec mnt sh -c 'echo in >/data/new'
expect_eq "... (on the host)" in "$(cat "$M/a/new" 2>&1)"
expect_match "readonly: writes are refused" "Read-only file system" \
	"$(isula exec mnt touch /rodata/x 2>&1)"
mkdir -p "$M/prop/sub" && mount -t tmpfs mntprop "$M/prop/sub"
expect_match "bind-propagation=rslave: a host mount made afterwards shows inside" "mntprop" \
	"$(isula exec mnt cat /proc/mounts 2>&1)"
umount "$M/prop/sub"
expect_match "tmpfs: mounted with its size, noexec nosuid nodev" \
	"tmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=8192k,mode=1770" \
	"$(isula exec mnt grep ' /scratch ' /proc/mounts 2>&1)"
expect_eq "tmpfs: its mode" 1770 "$(isula exec mnt stat -c %a /scratch 2>&1)"
expect_ok "tmpfs: writable" isula exec mnt sh -c 'echo x >/scratch/f'
expect_match "tmpfs readonly: writes are refused" "Read-only file system" \
	"$(isula exec mnt touch /rotmp/x 2>&1)"
expect_eq "--mount wins over -v on the same destination (applied after it)" from-b \
	"$(isula exec mnt cat /both/marker 2>&1)"
mounts=$(ifield mnt '{{json .Mounts}}')
expect_match "inspect Mounts: the bind" \
	"{\"Type\":\"bind\",\"Source\":\"$M/a\",\"Destination\":\"/data\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"rprivate\"}" \
	"$mounts"
expect_match "inspect Mounts: the read-only bind" "\"Destination\":\"/rodata\",\"Mode\":\"\",\"RW\":false" "$mounts"
expect_match "inspect Mounts: the tmpfs" \
	"{\"Type\":\"tmpfs\",\"Source\":\"\",\"Destination\":\"/scratch\",\"Mode\":\"\",\"RW\":true" "$mounts"
expect_eq "inspect Mounts: one entry for /both, the --mount's" "1 1" \
	"$(grep -o '"Destination":"/both"' <<<"$mounts" | wc -l) $(grep -o "\"Source\":\"$M/b\",\"Destination\":\"/both\"" <<<"$mounts" | wc -l)"
expect_match "inspect HostConfig.Mounts: Docker's fields" \
	'{"Type":"tmpfs","Source":"","Target":"/scratch","ReadOnly":false,"TmpfsOptions":{"SizeBytes":8388608,"Mode":1016}}' \
	"$(ifield mnt '{{json .HostConfig.Mounts}}')"
# (Go prints mode 01770, sent as Docker sends it, without its own sticky bit: -rwxrwx---.)
expect_eq "docker inspect reads HostConfig.Mounts" \
	"bind:$M/a:/data:false: bind:$M/ro:/rodata:true: bind:$M/prop:/prop:false:rslave tmpfs::/scratch:false:8388608/-rwxrwx--- tmpfs::/rotmp:true:0/---------- bind:$M/b:/both:false: " \
	"$(D inspect -f '{{range .HostConfig.Mounts}}{{.Type}}:{{.Source}}:{{.Target}}:{{.ReadOnly}}:{{if .BindOptions}}{{.BindOptions.Propagation}}{{end}}{{if .TmpfsOptions}}{{.TmpfsOptions.SizeBytes}}/{{.TmpfsOptions.Mode}}{{end}} {{end}}' mnt 2>&1)"
expect_eq "docker inspect reads the Mounts" "/data /rodata /prop /scratch /rotmp /both " \
	"$(D inspect -f '{{range .Mounts}}{{.Destination}} {{end}}' mnt 2>&1)"
expect_ok "a restart mounts them again" isula restart -t 0 mnt
expect_eq "... (the bind)" from-a "$(isula exec mnt cat /data/marker 2>&1)"
isula rm -f mnt >/dev/null
umount "$M/prop"
mount_refused() { expect_fail_code "$1" 125 "$2" isula create --mount "$3" --external-rootfs "$BB" none true; }
mount_refused "type=volume is refused: no volumes" "Invalid mount type 'volume': not supported (no volumes" \
	"type=volume,src=myvol,dst=/v"
mount_refused "type=squashfs is refused: no images" "Invalid mount type 'squashfs': not supported (no images" \
	"type=squashfs,src=/img.sqfs,dst=/v"
mount_refused "no type is refused (Docker's default is volume)" "type is required: bind or tmpfs" "src=$M/a,dst=/v"
mount_refused "a bind without source is refused" "type bind needs a source" "type=bind,dst=/v"
mount_refused "a tmpfs with a source is refused" "type tmpfs takes no source" "type=tmpfs,src=$M/a,dst=/v"
mount_refused "a bad propagation is refused, naming it" "bind-propagation 'sideways'" \
	"type=bind,src=$M/a,dst=/v,bind-propagation=sideways"
mount_refused "an unknown key is refused, naming it" "unexpected key 'colour'" "type=bind,src=$M/a,dst=/v,colour=red"
mount_refused "a non-octal tmpfs-mode is refused" "tmpfs-mode '999'" "type=tmpfs,dst=/v,tmpfs-mode=999"
mount_refused "tmpfs options on a bind are refused" "tmpfs-size and tmpfs-mode need type=tmpfs" \
	"type=bind,src=$M/a,dst=/v,tmpfs-size=1m"
mount_refused "a relative target is refused" "target 'v' must be an absolute path" "type=tmpfs,dst=v"
mount_refused "target / is refused" "target can't be '/'" "type=tmpfs,dst=/"
mount_refused "a missing bind source is refused, naming it" "bind source path $M/none: No such file" \
	"type=bind,src=$M/none,dst=/v"
mount_refused "a stray quote is refused" "malformed field" 'type=bind,src=/a"b,dst=/v'
expect_fail_code "two --mounts onto one target are refused" 125 "duplicate mount point /v" \
	isula create --mount type=tmpfs,dst=/v --mount "type=bind,src=$M/a,dst=/v/" --external-rootfs "$BB" none true
out=$(python3 - "$SOCK" "$BB" "$M/ro" <<'PY' 2>&1
import sys, docker
from docker.types import Mount
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config(mounts=[Mount("/pyro", sys.argv[3], type="bind", read_only=True),
                                    Mount("/pytmp", None, type="tmpfs", tmpfs_size="4m")])
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sleep", "1000"], host_config=hc, name="mntpy")["Id"]
api.start(cid)
print(sorted((m["Destination"], m["Type"], m["RW"]) for m in api.inspect_container(cid)["Mounts"]))
hc = api.create_host_config(mounts=[Mount("/v", "myvolume")])
hc["ExternalRootfs"] = sys.argv[2]
try:
    api.create_container("none", ["true"], host_config=hc)
except docker.errors.APIError as e:
    print(e.status_code, e.explanation)
PY
)
expect_match "docker-py: bind and tmpfs Mounts" "[('/pyro', 'bind', False), ('/pytmp', 'tmpfs', True)]" "$out"
expect_match "docker-py: the tmpfs has its size" "size=4096k" "$(isula exec mntpy grep ' /pytmp ' /proc/mounts 2>&1)"
expect_match "docker-py: a volume mount is refused (400), naming the type" \
	"400 Invalid --mount (Mounts entry 1): Invalid mount type 'volume'" "$out"

# ------------------------------------------------------- --external-rootfs a block device
# An ext4 image made from the busybox rootfs, on a loop device.
mounts_of() { findmnt -rn -S "$1" -o TARGET 2>/dev/null; }
img=$IT_TMP/rootfs.ext4
if truncate -s 64M "$img" && mkfs.ext4 -q -d "$BB" "$img" && BL=$(losetup -f --show "$img"); then
	LOOPS+=("$BL")
	expect_ok "run --external-rootfs on a block device" isula run -d --name blk \
		--external-rootfs "$BL" none sleep 1000
	bid=$(ifield blk '{{.Id}}')
	expect_eq "the engine mounted it on the container's state dir" "$STATE/$bid/rootfs" "$(mounts_of "$BL")"
	expect_match "exec runs in it" "BusyBox" "$(isula exec blk sh -c 'busybox 2>&1 | head -n 1' 2>&1)"
	expect_ok "the container writes to it" isula exec blk sh -c 'echo kept >/written'
	expect_eq "inspect shows the device as ExternalRootfs" "$BL" "$(ifield blk '{{.HostConfig.ExternalRootfs}}')"
	expect_eq "cp out of the running container" "kept" "$(isula cp blk:/written - 2>&1 | tar -xO 2>/dev/null)"
	expect_ok "stop" isula stop -t 0 blk
	expect_eq "stopped: no mount of the device left" "" "$(mounts_of "$BL")"
	expect_fail "cp of a stopped block-rootfs container says why" "mounted only while the container runs" \
		isula cp blk:/written "$IT_TMP/x"
	expect_ok "start again" isula start blk
	expect_eq "... what it wrote is there (the device's filesystem)" kept "$(isula exec blk cat /written 2>&1)"
	# A daemon killed while the container runs: the container ends meanwhile; the daemon
	# started again records the exit and unmounts.
	bpid=$(pid_of blk)
	kill_daemon main
	kill -KILL "$bpid"
	wait_for "the container's monitor ends with it" 20 sh -c "! lxc-info -n '$bid' -P '$LCR' 2>/dev/null | grep -q RUNNING"
	start_daemon main
	wait_for "the restarted daemon records the exit" 10 is_status blk exited
	expect_eq "... and unmounts the device" "" "$(mounts_of "$BL")"
	mkdir -p "$IT_TMP/elsewhere"
	mount "$BL" "$IT_TMP/elsewhere"
	expect_fail "a start while the device is mounted read-write elsewhere is refused, naming the mount" \
		"mounted read-write at $IT_TMP/elsewhere" isula start blk
	expect_fail_code "... and so is a create" 125 "mounted read-write at $IT_TMP/elsewhere" \
		isula create --external-rootfs "$BL" none true
	umount "$IT_TMP/elsewhere"
	expect_ok "rm" isula rm blk
	expect_ok "run --read-only on the device" isula run -d --name blkro --read-only \
		--external-rootfs "$BL" none sleep 1000
	expect_match "... mounted read-only on the host" "ro" \
		"$(findmnt -rn -S "$BL" -o OPTIONS 2>/dev/null | cut -d, -f1)"
	expect_match "... and read-only inside" "Read-only file system" "$(isula exec blkro touch /x 2>&1)"
	expect_ok "rm -f of the running container" isula rm -f blkro
	expect_eq "rm -f: no mount left" "" "$(mounts_of "$BL")"
	expect_ok "a system container on the device" isula run -d --name blksys --system-container \
		--external-rootfs "$BL" none sleep 1000
	expect_eq "... gets its /etc/hostname written in the device's filesystem" localhost \
		"$(isula exec blksys cat /etc/hostname 2>&1)"
	expect_ok "rm -f" isula rm -f blksys
	expect_eq "... no mount left" "" "$(mounts_of "$BL")"
	expect_ok "the image's filesystem is clean (e2fsck -n)" e2fsck -fn "$img"
else
	fail "an ext4 image of the busybox rootfs on a loop device"
fi
new_loop 16M && blank=$NEW_LOOP
expect_ok "a device without a filesystem is created" isula create --name blank --external-rootfs "$blank" none true
expect_fail "... its start fails, naming the types tried" "types tried: ext3, ext2, ext4" isula start blank
expect_eq "... and leaves no mount" "" "$(findmnt -rn -o TARGET | grep "$STATE/" )"
expect_fail_code "a character device is refused" 125 "not a directory or a block device" \
	isula create --external-rootfs /dev/null none true

# shellcheck disable=SC2046
isula rm -f $(isula ps -aq) >/dev/null 2>&1
assert_no_leftovers
it_finish
