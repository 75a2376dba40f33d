#!/usr/bin/env bash
# create/run options of the seed and Docker beyond the basics (issue 19, first part): resources
# at create (--blkio-weight, --kernel-memory, --memory-swappiness), --read-only, --annotation,
# --label-file; each with its Docker API field (docker-py too), bad values refused at create.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
cgv() { cg_file "$1" "$IT_CGNAME/$(ifield "$3" '{{.Id}}')" "$2"; }
run_bb() { isula run -d --name "$1" "${@:2}" --external-rootfs "$BB" none sleep 1000; }

# Resources at create.
expect_ok "run --memory-swappiness 10" run_bb sw --memory-swappiness 10
expect_eq "memory.swappiness written" 10 "$(cgv memory memory.swappiness sw)"
expect_eq "inspect shows MemorySwappiness" 10 "$(ifield sw '{{.HostConfig.MemorySwappiness}}')"
expect_fail_code "--memory-swappiness 101 is refused, naming it" 125 \
	"Invalid value: 101, valid memory swappiness range is 0-100" \
	isula create --memory-swappiness 101 --external-rootfs "$BB" none true
run_capture isula run -d --name bw --blkio-weight 300 --external-rootfs "$BB" none sleep 1000
if [ "$LAST_RC" -eq 0 ]; then
	expect_match "--blkio-weight 300 is written" 300 \
		"$(cgv blkio blkio.bfq.weight bw || cgv blkio blkio.weight bw)"
else
	expect_match "--blkio-weight without a weight file is refused" "does not support blkio weight" \
		"$LAST_OUT"
fi
expect_fail_code "--blkio-weight 5 is refused at create" 125 \
	"range of blkio weight is from 10 to 1000" \
	isula create --blkio-weight 5 --external-rootfs "$BB" none true
run_capture isula run -d --name km --kernel-memory 64m --external-rootfs "$BB" none sleep 1000
if [ "$LAST_RC" -eq 0 ]; then
	expect_eq "--kernel-memory written" $((64 << 20)) "$(cgv memory memory.kmem.limit_in_bytes km)"
else
	expect_match "an unsupported --kernel-memory is refused naming the file" \
		"memory.kmem.limit_in_bytes" "$LAST_OUT"
fi
expect_fail_code "--kernel-memory 1m is refused" 125 "minimum kernel memory limit allowed is 4MB" \
	isula create --kernel-memory 1m --external-rootfs "$BB" none true

# --read-only.
expect_ok "run --read-only" run_bb ro --read-only
expect_match "the root is read-only inside" "Read-only file system" \
	"$(isula exec ro touch /probe 2>&1)"
expect_eq "inspect shows ReadonlyRootfs" true "$(ifield ro '{{.HostConfig.ReadonlyRootfs}}')"
expect_match "the OCI spec says so" '"readonly": true' \
	"$(cat "$LCR/$(ifield ro '{{.Id}}')/config.json")"
expect_ok "... and the host's rootfs dir stays writable" touch "$BB/host-probe"
expect_ok "a --read-only system container boots its init" isula run -d --name rosys --read-only \
	--system-container --external-rootfs "$BB" none sleep 1000
expect_ok "... with /tmp writable (its tmpfs)" isula exec rosys touch /tmp/x

# --annotation and --label-file.
printf '# labels\ncom.example.a=1\n\n  com.example.b=two words\nbare\n' >"$IT_TMP/labels"
expect_ok "run --label-file --label --annotation" run_bb meta --label-file "$IT_TMP/labels" \
	--label com.example.a=override --annotation io.example.x=y --annotation note=z
expect_eq "labels from the file, --label wins" "override|two words|" \
	"$(ifield meta '{{index .Config.Labels "com.example.a"}}|{{index .Config.Labels "com.example.b"}}|{{index .Config.Labels "bare"}}')"
expect_eq "inspect shows HostConfig.Annotations" "map[io.example.x:y note:z]" \
	"$(ifield meta '{{.HostConfig.Annotations}}')"
expect_match "the OCI spec carries them" '"io.example.x": "y"' \
	"$(cat "$LCR/$(ifield meta '{{.Id}}')/config.json")"
expect_fail_code "--annotation without = is refused" 125 "expected KEY=VALUE" \
	isula create --annotation novalue --external-rootfs "$BB" none true
expect_fail_code "a missing --label-file is refused, naming it" 125 "$IT_TMP/nofile" \
	isula create --label-file "$IT_TMP/nofile" --external-rootfs "$BB" none true

# --pid, --ipc, --uts: container:NAME and host.
nsid() { isula exec "$1" readlink "/proc/1/ns/$2" 2>&1; }
expect_ok "run nsa" run_bb nsa
expect_ok "run --pid/--ipc/--uts container:nsa" run_bb nsb --pid container:nsa --ipc container:nsa \
	--uts container:nsa
for k in pid ipc uts; do
	expect_eq "nsb is in nsa's $k namespace" "$(nsid nsa "$k")" "$(isula exec nsb readlink "/proc/self/ns/$k" 2>&1)"
done
expect_eq "nsb sees nsa's processes (two sleeps)" 2 "$(isula exec nsb ps 2>&1 | grep -c 'sleep 1000')"
expect_eq "inspect shows the modes" "container:nsa container:nsa container:nsa" \
	"$(ifield nsb '{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}')"
host_name=$(hostname)
expect_ok "run --pid host --ipc host --uts host" run_bb nsh --pid host --ipc host --uts host
for k in pid ipc uts; do
	expect_eq "nsh is in the host's $k namespace" "$(readlink "/proc/self/ns/$k")" \
		"$(isula exec nsh readlink "/proc/self/ns/$k" 2>&1)"
done
expect_eq "the host's hostname was not changed by the start" "$host_name" "$(hostname)"
expect_ok "stop of the --pid host container" isula stop -t 1 nsh
expect_fail_code "--pid with a bad value is refused" 125 'Invalid --pid value "bogus"' \
	isula create --pid bogus --external-rootfs "$BB" none true
expect_fail_code "--ipc with a bad value is refused, naming the choices" 125 "private, shareable" \
	isula create --ipc bogus --external-rootfs "$BB" none true
expect_fail_code "--pid host with --system-container is refused" 125 "must be pid 1" \
	isula create --pid host --system-container --external-rootfs "$BB" none true
expect_fail_code "--uts host with --system-container is refused" 125 "sets the hostname" \
	isula create --uts host --system-container --external-rootfs "$BB" none true
isula create --name nsx --pid container:nsgone --external-rootfs "$BB" none sleep 1 >/dev/null
expect_fail "start with --pid container: of an unknown container fails, naming it" \
	"--pid container:nsgone" isula start nsx
isula stop -t 0 nsa >/dev/null
expect_fail "start with --ipc container: of a stopped container fails" "is not running" \
	isula run -d --ipc container:nsa --external-rootfs "$BB" none sleep 1
isula rm -f nsa nsb nsh nsx >/dev/null 2>&1

# --security-opt: no-new-privileges, seccomp=unconfined, seccomp=PROFILE.json (Docker's format).
status_field() { isula exec "$1" sh -c "grep '^$2:' /proc/self/status" 2>&1 | awk '{print $2}'; }
expect_ok "run with the defaults" run_bb sd
expect_eq "default: NoNewPrivs 0, a seccomp filter (2)" "0 2" \
	"$(status_field sd NoNewPrivs) $(status_field sd Seccomp)"
expect_ok "run --security-opt no-new-privileges" run_bb snnp --security-opt no-new-privileges
expect_eq "NoNewPrivs is 1 inside" 1 "$(status_field snnp NoNewPrivs)"
expect_ok "run --security-opt seccomp=unconfined" run_bb sunc --security-opt seccomp=unconfined
expect_eq "no seccomp filter inside" 0 "$(status_field sunc Seccomp)"
cat >"$IT_TMP/nomkdir.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
              {"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}
JSON
expect_ok "run --security-opt seccomp=PROFILE.json" run_bb sprof --security-opt "seccomp=$IT_TMP/nomkdir.json"
expect_match "the profile's rule holds: mkdir fails with EPERM" "Operation not permitted" \
	"$(isula exec sprof mkdir /tmp/newdir 2>&1)"
expect_ok "a rule for a capability the container lacks is left out: chmod works" \
	isula exec sprof chmod 600 /etc/hostname
expect_ok "other calls run" isula exec sprof touch /tmp/file
printf '{"defaultAction": "SCMP_ACT_BOGUS"}' >"$IT_TMP/bad.json"
expect_fail_code "a profile with an unknown action is refused at create, naming it" 125 \
	"unsupported defaultAction SCMP_ACT_BOGUS" \
	isula create --security-opt "seccomp=$IT_TMP/bad.json" --external-rootfs "$BB" none true
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mk\\ndir"], "action": "SCMP_ACT_ERRNO"}]}' \
	>"$IT_TMP/inject.json"
expect_fail_code "a syscall name with a line break is refused" 125 "invalid syscall name" \
	isula create --security-opt "seccomp=$IT_TMP/inject.json" --external-rootfs "$BB" none true
expect_fail "a missing profile file is named by the client" "$IT_TMP/nofile.json" \
	isula create --security-opt "seccomp=$IT_TMP/nofile.json" --external-rootfs "$BB" none true
expect_fail_code "an unknown --security-opt is refused" 125 'Invalid --security-opt "label=disable"' \
	isula create --security-opt label=disable --external-rootfs "$BB" none true
isula rm -f sd snnp sunc sprof >/dev/null 2>&1

# The default profile file (the seed's /etc/isulad/seccomp_default.json; --seccomp-profile):
# the shipped one edited to deny mkdir as well.
python3 - "$REPO/packaging/etc/seccomp_default.json" "$IT_TMP/seccomp_default.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["syscalls"].append({"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})
json.dump(p, open(sys.argv[2], "w"))
PY
if start_daemon prof --seccomp-profile "$IT_TMP/seccomp_default.json"; then
	expect_ok "a daemon with an edited default profile: run" run_bb pmk
	expect_match "its rule holds: mkdir fails" "Operation not permitted" \
		"$(isula exec pmk mkdir /tmp/d 2>&1)"
	expect_match "... and the shipped rules too: unshare(CLONE_NEWUSER) fails" "Operation not permitted" \
		"$(isula exec pmk unshare -U true 2>&1)"
	expect_ok "seccomp=unconfined bypasses it" run_bb punc --security-opt seccomp=unconfined
	expect_ok "... mkdir works there" isula exec punc mkdir /tmp/d
	expect_ok "a profile of its own replaces it" run_bb pown --security-opt "seccomp=$IT_TMP/nomkdir.json"
	expect_ok "... (chmod, denied only with CAP_SYS_ADMIN there, works)" isula exec pown chmod 600 /etc/hostname
	isula rm -f pmk punc pown >/dev/null 2>&1
	stop_daemon prof
fi
use_daemon main
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_SOMETIMES"}]}' \
	>"$IT_TMP/bad_default.json"
daemon_refuses "a bad default profile stops the daemon, naming the file and the error" \
	"seccomp profile $IT_TMP/bad_default.json: seccomp profile: unsupported action SCMP_ACT_SOMETIMES" \
	--seccomp-profile "$IT_TMP/bad_default.json"
echo '{"defaultAction": ' >"$IT_TMP/broken.json"
daemon_refuses "a default profile that is no JSON stops the daemon" "$IT_TMP/broken.json: seccomp profile: not a JSON object" \
	--seccomp-profile "$IT_TMP/broken.json"
daemon_refuses "a default profile named but missing stops the daemon" \
	"seccomp profile $IT_TMP/missing.json: No such file or directory" --seccomp-profile "$IT_TMP/missing.json"
mkdir -p "$IT_TMP/dj" && printf '{"seccomp-profile": "%s"}' "$IT_TMP/bad_default.json" >"$IT_TMP/dj/daemon.json"
daemon_refuses "daemon.json's seccomp-profile is read too" "unsupported action SCMP_ACT_SOMETIMES" \
	--config-file "$IT_TMP/dj/daemon.json"

# ps --format, as Docker's.
run_bb fmt -l team=blue >/dev/null
fid=$(ifield fmt '{{.Id}}')
expect_eq "ps --format with fields" "${fid:0:12} fmt running blue" \
	"$(isula ps -f name=fmt --format '{{.ID}} {{.Names}} {{.State}} {{index .LabelMap "team"}}' 2>&1)"
expect_eq "ps --no-trunc --format {{.ID}}: the whole id" "$fid" \
	"$(isula ps --no-trunc -f name=fmt --format '{{.ID}}' 2>&1)"
out=$(isula ps -f name=fmt --format 'table {{.Names}}\t{{.Status}}\t{{.Labels}}' 2>&1)
expect_match "ps --format 'table ...': Docker's headers" "NAMES   STATUS" "$(head -n 1 <<<"$out")"
expect_match "... and the row under them" "fmt     Up " "$(sed -n 2p <<<"$out")"
expect_match "... labels as k=v" "team=blue" "$out"
expect_fail "ps --format with a broken template says so" "invalid --format template" \
	isula ps --format '{{.ID'
isula rm -f fmt >/dev/null

# The Docker API fields through docker-py.
out=$(python3 - "$SOCK" "$BB" <<'PY' 2>&1
import sys, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config(read_only=True, mem_swappiness=20)
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sleep", "1000"], host_config=hc)["Id"]
api.start(cid)
h = api.inspect_container(cid)["HostConfig"]
print(h["ReadonlyRootfs"], h["MemorySwappiness"])
api.remove_container(cid, force=True)
PY
)
expect_eq "docker-py: read_only and mem_swappiness" "True 20" "$out"
isula rm -f sw bw km ro rosys meta >/dev/null 2>&1
isula rm -f $(isula ps -aq) >/dev/null 2>&1
assert_no_leftovers
it_finish
