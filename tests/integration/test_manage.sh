#!/usr/bin/env bash
# pause/unpause, rename, update, top, stats and events, through isula and the Docker CLI.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# A container that writes a line every 0.1 s: its console.log grows only while it runs.
ticker() {
	isula run -d --name "$1" "${@:2}" --external-rootfs "$BB" none \
		sh -c 'while :; do echo tick; sleep 0.1; done'
}
log_size() { stat -c %s "$LCR/$(ifield "$1" '{{.Id}}')/console.log" 2>/dev/null || echo 0; }
cgv() { cg_file "$1" "$IT_CGNAME/$(ifield "$3" '{{.Id}}')" "$2"; }
hostcfg() { cat "$LCR/$(ifield "$1" '{{.Id}}')/hostconfig.json"; }

# Every event from here on, seen by a client connected before any action.
isula events >"$IT_TMP/events.live" 2>&1 &
events_pid=$!
sleep 0.3
t_begin=$(date +%s)

# ------------------------------------------------------------------------ pause, unpause
id=$(ticker pz)
expect_eq "the ticker runs" running "$(status_of pz)"
expect_fail "unpause of a running container is refused" "is not paused" isula unpause pz
expect_eq "pause prints the name given" pz "$(isula pause pz 2>&1)"
expect_eq "paused: State.Status" paused "$(status_of pz)"
expect_eq "paused: State.Paused and Running" "true true" "$(ifield pz '{{.State.Paused}} {{.State.Running}}')"
expect_eq "paused: the freezer cgroup is FROZEN" FROZEN "$(cgv freezer freezer.state pz)"
expect_match "paused: ps shows (Paused)" "(Paused)" "$(isula ps)"
s1=$(log_size pz)
sleep 0.5
expect_eq "paused: the container makes no progress" "$s1" "$(log_size pz)"
expect_fail_code "pause of a paused container is refused: exit 1 (Docker, iSulad)" 1 "is already paused" isula pause pz
expect_eq "unpause prints the name given" pz "$(isula unpause pz 2>&1)"
expect_eq "unpaused: running again" "running false" "$(ifield pz '{{.State.Status}} {{.State.Paused}}')"
expect_eq "unpaused: the freezer cgroup is THAWED" THAWED "$(cgv freezer freezer.state pz)"
s2=$(log_size pz)
grows() { [ "$(log_size pz)" -gt "$s2" ]; }
wait_for "unpaused: the container makes progress again" 3 grows
expect_ok "pause again" isula pause pz
expect_ok "stop of a paused container" isula stop -t 1 pz
expect_eq "stop of a paused container: exited, not paused" "exited false" \
	"$(ifield pz '{{.State.Status}} {{.State.Paused}}')"
expect_fail_code "pause of a stopped container is refused" 1 "is not running" isula pause pz
expect_fail "pause of an unknown container" "No such container: nosuch" isula pause nosuch
expect_ok "start after a paused stop" isula start pz
expect_ok "pause, then kill" isula pause pz
expect_ok "kill of a paused container" isula kill pz
expect_eq "kill of a paused container: exited 137" "exited 137" \
	"$(ifield pz '{{.State.Status}} {{.State.ExitCode}}')"
ticker pz2 >/dev/null
expect_ok "pause pz2" isula pause pz2
pz2_pid=$(pid_of pz2)
expect_ok "rm -f of a paused container" isula rm -f pz2
expect_pid_gone "rm -f of a paused container kills its init" "$pz2_pid"

# ---------------------------------------------------------------------------------- rename
ticker rn >/dev/null
isula create --name other --external-rootfs "$BB" none true >/dev/null
expect_fail_code "rename needs 2 arguments" 1 "requires 2 arguments" isula rename rn
expect_fail_code "rename to the same name: exit 1" 1 \
	"Renaming a container with the same name as its current name" isula rename rn rn
expect_fail_code "rename to a taken name: exit 1" 1 \
	'Conflict. The name "other" is already in use by container' isula rename rn other
expect_fail_code "rename to an invalid name: exit 1" 1 "Invalid container new name (bad/name)" \
	isula rename rn bad/name
expect_fail_code "rename to a one-character name is refused (Docker's pattern)" 1 \
	"Invalid container new name (x), only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed" \
	isula rename rn x
expect_fail_code "rename to a name starting with '.' is refused" 1 "Invalid container new name" \
	isula rename rn .hidden
expect_fail_code "rename of an unknown container: exit 1" 1 "No such container: nosuch" \
	isula rename nosuch xy
rn_id=$(ifield rn '{{.Id}}')
expect_fail_code "create --name of one character is refused" 125 \
	"Invalid container name (z), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed" \
	isula create --name z --external-rootfs "$BB" none true
expect_ok "rename rn renamed" isula rename rn renamed
expect_eq "the new name is known" "$rn_id" "$(ifield renamed '{{.Id}}')"
expect_fail "the old name is gone" "No such container: rn" isula inspect rn
expect_match "config.v2.json holds the new name" '"Name":"renamed"' "$(cat "$LCR/$rn_id/config.v2.json")"
expect_ok "the old name is free again" isula create --name rn --external-rootfs "$BB" none true
expect_eq "a renamed container keeps running" running "$(status_of renamed)"

# ---------------------------------------------------------------------------------- update
ticker up -m 64m --cpu-shares 1024 >/dev/null
up_pid=$(pid_of up)
expect_ok "update of a running container" isula update --cpu-shares 512 -m 96m --memory-swap 192m \
	--memory-reservation 32m --pids-limit 60 --cpuset-cpus 0 --cpu-period 50000 --cpu-quota 25000 up
expect_eq "update prints the container" up "$LAST_OUT"
expect_eq "cpu.shares changed at once" 512 "$(cgv cpu cpu.shares up)"
expect_eq "memory limit changed at once" $((96 << 20)) "$(cgv memory memory.limit_in_bytes up)"
expect_eq "memsw limit changed at once" $((192 << 20)) "$(cgv memory memory.memsw.limit_in_bytes up)"
expect_eq "soft limit changed at once" $((32 << 20)) "$(cgv memory memory.soft_limit_in_bytes up)"
expect_eq "pids.max changed at once" 60 "$(cgv pids pids.max up)"
expect_eq "cpuset.cpus changed at once" 0 "$(cgv cpuset cpuset.cpus up)"
expect_eq "cpuset.cpus of the processes' cgroup (ns) too" 0 "$(cgv cpuset ns/cpuset.cpus up)"
expect_eq "cfs period and quota changed at once" "50000 25000" \
	"$(cgv cpu cpu.cfs_period_us up) $(cgv cpu cpu.cfs_quota_us up)"
expect_eq "the container kept running through the update" "$up_pid" "$(pid_of up)"
hc=$(hostcfg up)
expect_match "hostconfig.json keeps CpuShares" '"CpuShares":512' "$hc"
expect_match "hostconfig.json keeps Memory" "\"Memory\":$((96 << 20))" "$hc"
expect_match "hostconfig.json keeps PidsLimit" '"PidsLimit":60' "$hc"
expect_eq "inspect shows the new limits" "512 $((96 << 20)) 0" \
	"$(ifield up '{{.HostConfig.CpuShares}} {{.HostConfig.Memory}} {{.HostConfig.CpusetCpus}}')"
if [ -n "$(ls "$CGROOT"/blkio/"$IT_CGNAME"/*/blkio.bfq.weight "$CGROOT"/blkio/"$IT_CGNAME"/*/blkio.weight 2>/dev/null)" ]; then
	expect_ok "update --blkio-weight" isula update --blkio-weight 300 up
	w=$(cgv blkio blkio.bfq.weight up || cgv blkio blkio.weight up)
	expect_match "blkio weight changed at once" 300 "$w"
fi
expect_ok "restart after update" isula restart -t 0 up
expect_eq "update survives restart: cpu.shares" 512 "$(cgv cpu cpu.shares up)"
expect_eq "update survives restart: memory" $((96 << 20)) "$(cgv memory memory.limit_in_bytes up)"
expect_eq "update survives restart: pids.max" 60 "$(cgv pids pids.max up)"
expect_eq "update survives restart: cpuset" 0 "$(cgv cpuset cpuset.cpus up)"

# Bad values: refused with the value named, nothing changed in cgroups or on disk.
hc_before=$(hostcfg up)
expect_fail_code "update --cpu-period 10 is refused: exit 1 (Docker, iSulad)" 1 "Invalid CPU period 10" \
	isula update --cpu-shares 700 --cpu-period 10 up
expect_fail_code "update --cpuset-cpus beyond the host is refused" 1 "Requested CPUs are not available" \
	isula update --cpu-shares 700 --cpuset-cpus 0-1000 up
expect_fail_code "update -m below 4MB is refused" 1 "minimum memory limit allowed is 4MB" \
	isula update --cpu-shares 700 -m 1m up
expect_fail_code "update --blkio-weight 5 is refused" 1 "range of blkio weight is from 10 to 1000" \
	isula update --blkio-weight 5 up
expect_fail_code "update -m above the swap limit without swap is refused, naming both" 1 \
	"Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time (memory $((300 << 20)), memoryswap $((192 << 20)))" \
	isula update -m 300m up
expect_fail_code "update with a malformed size" 125 "Invalid value 12q for flag --memory" isula update -m 12q up
expect_fail "update without flags" "You must provide one or more flags" isula update up
if [ "$(cat "$CGROOT"/memory/memory.kmem.limit_in_bytes 2>/dev/null)" != "" ]; then
	run_capture isula update --kernel-memory 64m up
	if [ "$LAST_RC" -eq 0 ]; then
		expect_eq "kernel memory limit written" $((64 << 20)) "$(cgv memory memory.kmem.limit_in_bytes up)"
		hc_before=$(hostcfg up)
	else
		expect_match "an unsupported --kernel-memory is named in the error" "memory.kmem.limit_in_bytes" "$LAST_OUT"
	fi
fi
expect_eq "refused updates left cpu.shares alone" 512 "$(cgv cpu cpu.shares up)"
expect_eq "refused updates left hostconfig.json alone" "$hc_before" "$(hostcfg up)"

# A stopped container: stored now, applied at the next start.
isula stop -t 0 up >/dev/null
expect_ok "update of a stopped container" isula update --cpu-shares 256 --pids-limit 40 -m 128m \
	--memory-swap 256m up
expect_match "stopped update stored" '"CpuShares":256' "$(hostcfg up)"
expect_ok "start after the stopped update" isula start up
expect_eq "stopped update applied at start: cpu.shares" 256 "$(cgv cpu cpu.shares up)"
expect_eq "stopped update applied at start: pids.max" 40 "$(cgv pids pids.max up)"
expect_eq "stopped update applied at start: memory" $((128 << 20)) "$(cgv memory memory.limit_in_bytes up)"

# The container reads the limits it runs under in its own cgroupfs, and follows updates.
ticker cv -m 64m --cpu-quota 50000 --cpu-period 100000 --pids-limit 50 >/dev/null
inside() { isula exec cv sh -c "cat /sys/fs/cgroup/$1" 2>&1; }
expect_eq "inside: memory.limit_in_bytes is its -m" $((64 << 20)) "$(inside memory/memory.limit_in_bytes)"
expect_eq "inside: cpu.cfs_quota_us and period are its own" "50000 100000" \
	"$(inside cpu/cpu.cfs_quota_us) $(inside cpu/cpu.cfs_period_us)"
expect_eq "inside: pids.max is its --pids-limit" 50 "$(inside pids/pids.max)"
expect_ok "update -m 96m --memory-swap 192m --cpu-quota 25000" \
	isula update -m 96m --memory-swap 192m --cpu-quota 25000 cv
expect_eq "inside after the update: memory, memsw, quota" "$((96 << 20)) $((192 << 20)) 25000" \
	"$(inside memory/memory.limit_in_bytes) $(inside memory/memory.memsw.limit_in_bytes) $(inside cpu/cpu.cfs_quota_us)"
expect_ok "update down: -m 32m --memory-swap 64m, quota up to 75000" \
	isula update -m 32m --memory-swap 64m --cpu-quota 75000 cv
expect_eq "inside after it" "$((32 << 20)) 75000" \
	"$(inside memory/memory.limit_in_bytes) $(inside cpu/cpu.cfs_quota_us)"
isula exec cv sh -c 'echo 1073741824 >/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes;
	echo 1073741824 >/sys/fs/cgroup/memory/memory.limit_in_bytes' >/dev/null 2>&1
expect_eq "whatever it writes there, its real limit stays" $((32 << 20)) \
	"$(cgv memory memory.limit_in_bytes cv)"
isula rm -f cv >/dev/null

# Docker's and iSulad's default: a memory limit alone gets swap twice as big.
ticker sw -m 500M >/dev/null
expect_eq "run -m 500M: MemorySwap is twice the memory" "$((500 << 20)) $((1000 << 20))" \
	"$(ifield sw '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}')"
expect_eq "... and the swap limit is in the cgroup" $((1000 << 20)) \
	"$(cgv memory memory.memsw.limit_in_bytes sw)"
expect_ok "update -m below that swap limit keeps it" isula update -m 600M sw
expect_eq "... memory and swap limits" "$((600 << 20)) $((1000 << 20))" \
	"$(cgv memory memory.limit_in_bytes sw) $(cgv memory memory.memsw.limit_in_bytes sw)"
expect_fail_code "update -m above it is refused, naming both" 1 \
	"(memory $((1200 << 20)), memoryswap $((1000 << 20)))" \
	isula update -m 1200M sw
ticker sw2 -m 64m --memory-swap -1 >/dev/null
expect_eq "--memory-swap -1 (unlimited) is kept as is" -1 "$(ifield sw2 '{{.HostConfig.MemorySwap}}')"
isula rm -f sw sw2 >/dev/null

# --cpus (Docker's NanoCpus): a quota over a 100 ms period, exclusive with --cpu-period/quota.
ticker nc --cpus 1.5 >/dev/null
expect_eq "--cpus 1.5: NanoCpus, CpuQuota left 0" "1500000000 0" \
	"$(ifield nc '{{.HostConfig.NanoCpus}} {{.HostConfig.CpuQuota}}')"
expect_eq "--cpus 1.5: the cgroup's quota and period" "150000 100000" \
	"$(cgv cpu cpu.cfs_quota_us nc) $(cgv cpu cpu.cfs_period_us nc)"
expect_eq "--cpus 1.5: the container reads them" "150000 100000" \
	"$(isula exec nc cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us |
		paste -sd' ')"
expect_fail_code "update --cpus with --cpu-period is refused" 1 \
	"Nano CPUs and CPU Period cannot both be set" isula update --cpus 1.3 --cpu-period 20000 nc
expect_fail_code "update --cpu-quota of a --cpus container is refused" 1 \
	"CPU Quota cannot be updated as NanoCPUs has already been set" isula update --cpu-quota 20000 nc
expect_ok "update --cpus 0.5" isula update --cpus 0.5 nc
expect_eq "update --cpus 0.5: the quota" 50000 "$(cgv cpu cpu.cfs_quota_us nc)"
expect_ok "restart of the --cpus container" isula restart -t 0 nc
expect_eq "... keeps its quota" 50000 "$(cgv cpu cpu.cfs_quota_us nc)"
expect_fail_code "--cpus with --cpu-quota is refused at create" 125 \
	"Nano CPUs and CPU Quota cannot both be set" \
	isula create --cpus 1 --cpu-quota 20000 --external-rootfs "$BB" none true
expect_fail_code "--cpus beyond the host's CPUs is refused" 125 "Range of CPUs is from 0.01 to" \
	isula create --cpus 100000 --external-rootfs "$BB" none true
expect_fail_code "--cpus abc is refused by isula" 125 "Invalid value abc for flag --cpus" \
	isula create --cpus abc --external-rootfs "$BB" none true
ticker qp --cpu-period 20000 --cpu-quota 10000 >/dev/null
expect_fail_code "update --cpus of a --cpu-period container is refused" 1 \
	"Nano CPUs cannot be updated as CPU Period has already been set" isula update --cpus 1 qp
# update --restart (Docker's RestartPolicy in the update body); not with --rm.
expect_ok "update --restart on-failure:3" isula update --restart on-failure:3 qp
expect_eq "update --restart: the policy" "on-failure 3" \
	"$(ifield qp '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}')"
isula run -d --rm --name rmd --external-rootfs "$BB" none sleep 300 >/dev/null
expect_fail_code "update --restart always of an --rm container is refused" 1 "--restart and --rm" \
	isula update --restart always rmd
expect_ok "update --restart no of an --rm container" isula update --restart no rmd
if command -v docker >/dev/null; then
	expect_ok "docker update --cpus 0.25" timeout 30 docker -H "unix://$SOCK" update --cpus 0.25 nc
	expect_eq "docker update --cpus: the quota" 25000 "$(cgv cpu cpu.cfs_quota_us nc)"
fi
isula rm -f nc qp rmd >/dev/null

# ------------------------------------------------------------------------------------- top
top_out=$(isula top up 2>&1)
expect_match "top has ps -ef titles" "UID" "$(head -n 1 <<<"$top_out")"
expect_match "top lists the container's command" "while :; do echo tick" "$top_out"
expect_match "top lists the init pid" " $(pid_of up) " "$top_out"
[[ "$top_out" != *"isulad "* ]] && pass "top lists no host process (isulad)" ||
	fail "top lists no host process (isulad)" "$top_out"
expect_eq "top with ps options" "PID COMMAND" "$(isula top up -o pid,comm | head -n 1 | tr -s ' ')"
expect_fail "top of a stopped container" "is not running" isula top other
expect_fail "top with bad ps options" "Error running ps" isula top up --no-such-ps-flag

# ----------------------------------------------------------------------------------- stats
st=$(isula stats --no-stream up)
expect_eq "stats header" "CONTAINER ID NAME CPU % MEM USAGE / LIMIT MEM % NET I/O BLOCK I/O PIDS" \
	"$(head -n 1 <<<"$st" | tr -s ' ')"
row=$(sed -n 2p <<<"$st")
up_id=$(ifield up '{{.Id}}')
expect_eq "stats row: short id and name" "${up_id:0:12} up" "$(tr -s ' ' <<<"$row" | cut -d' ' -f1-2)"
expect_match "stats row: memory limit is -m (128 MiB)" "/ 128.00 MiB" "$row"
pids_col=$(awk '{ print $NF }' <<<"$row")
[ "$pids_col" -ge 2 ] 2>/dev/null && pass "stats row: PIDS counts the shell and its sleep ($pids_col)" ||
	fail "stats row: PIDS counts the shell and its sleep" "$row"
cpu_col=$(tr -s ' ' <<<"$row" | cut -d' ' -f3)
awk -v c="$cpu_col" 'BEGIN { exit !(c >= 0 && c <= 100 * 64) }' && pass "stats row: CPU % is a number ($cpu_col)" ||
	fail "stats row: CPU % is a number" "$row"
expect_eq "stats --no-stream without names lists the running ones" 2 \
	"$(isula stats --no-stream | tail -n +2 | wc -l)"
expect_eq "stats -a also lists stopped ones" 5 "$(isula stats --no-stream -a | tail -n +2 | wc -l)"
expect_fail "stats of an unknown container" "No such container: nosuch" isula stats --no-stream nosuch
api_stats=$(curl -s --unix-socket "$SOCK" "http://x/v1.41/containers/up/stats?stream=0")
expect_match "API stats: memory_stats.limit" "\"limit\":$((128 << 20))" "$api_stats"
expect_match "API stats: pids_stats" '"pids_stats":{"current":' "$api_stats"
expect_match "API stats: precpu system usage" '"precpu_stats":{"cpu_usage":' "$api_stats"

# ---------------------------------------------------------------------------------- events
sleep 0.3
kill "$events_pid" 2>/dev/null
wait "$events_pid" 2>/dev/null
live=$(cat "$IT_TMP/events.live")
for a in "container create $id" "container start $id" "container pause $id (image=none, name=pz)" \
	"container unpause $id" "container die $id (exitCode=137" "container stop $id" \
	"container kill $id (image=none, name=pz, signal=9)" "container destroy" \
	"container rename $rn_id (image=none, name=renamed, oldName=rn)" "container update" \
	"container restart"; do
	expect_match "live events: $a" "$a" "$live"
done
[[ "$(head -n 1 <<<"$live")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{9}(Z|[+-][0-9]{2}:[0-9]{2})\ container\ create\ [0-9a-f]{64}\ \(image=none,\ name=pz\)$ ]] &&
	pass "an event line has iSulad's format" || fail "an event line has iSulad's format" "$(head -n 1 <<<"$live")"
hist=$(timeout 10 "$ISULA" events --since "$t_begin" --until 0s)
expect_eq "events --since/--until replays the history and ends (exit 0)" 0 $?
expect_match "history has the first create" "container create $id" "$hist"
expect_match "history has the stop" "container stop $id" "$hist"
named=$(timeout 10 "$ISULA" events -S 10m -U "$(date +%s)" -n renamed)
expect_match "events -n keeps the renamed container's" "container rename $rn_id" "$named"
[[ "$named" != *"name=pz"* ]] && pass "events -n drops the others'" || fail "events -n drops the others'" "$named"
expect_fail_code "events --since garbage" 125 "Invalid value yesterday for flag --since" isula events --since yesterday

# ----------------------------------------------------------------------------- Docker CLI
export DOCKER_CONFIG=$IT_TMP/docker-config
mkdir -p "$DOCKER_CONFIG"
D() { timeout 30 docker -H "unix://$SOCK" "$@"; }
if command -v docker >/dev/null; then
	expect_ok "docker version" D version
	expect_match "docker version: the server answers" "API version:       1.41" "$LAST_OUT"
	expect_ok "docker ps -a" D ps -a --format '{{.Names}} {{.State}}'
	expect_match "docker ps -a lists renamed" "renamed running" "$LAST_OUT"
	d0=$(date +%s)
	expect_ok "docker pause" D pause renamed
	expect_eq "docker pause: paused" paused "$(status_of renamed)"
	expect_match "docker ps shows the paused state" "renamed paused" "$(D ps --format '{{.Names}} {{.State}}')"
	expect_ok "docker unpause" D unpause renamed
	expect_eq "docker unpause: running" running "$(status_of renamed)"
	expect_ok "docker rename" D rename renamed dren
	expect_eq "docker rename: the new name resolves" "$rn_id" "$(ifield dren '{{.Id}}')"
	expect_ok "docker top" D top dren
	expect_match "docker top lists the command" "while :; do echo tick" "$LAST_OUT"
	expect_ok "docker stats --no-stream" D stats --no-stream dren up
	expect_match "docker stats: the memory limit of up" "/ 128MiB" "$LAST_OUT"
	expect_match "docker stats: the name column" "dren" "$LAST_OUT"
	expect_ok "docker update" D update --cpu-shares 333 dren
	expect_eq "docker update: cpu.shares" 333 "$(cgv cpu cpu.shares dren)"
	expect_ok "docker events --since --until" D events --since "$d0" --until "$(($(date +%s) + 1))"
	expect_match "docker events: pause" "container pause $rn_id" "$LAST_OUT"
	expect_match "docker events: rename" "container rename $rn_id (image=none, name=dren, oldName=renamed)" "$LAST_OUT"
	expect_ok "docker events with filters" D events --since "$d0" --until 0s --filter event=unpause
	expect_eq "docker events --filter event=unpause: one line" 1 "$(grep -c . <<<"$LAST_OUT")"
	expect_fail "docker pause of a stopped container" "is not running" D pause other
else
	fail "the docker CLI is installed for these tests"
fi

isula rm -f $(isula ps -aq) >/dev/null 2>&1
assert_no_leftovers
it_finish
