#!/usr/bin/env bash
# Lifecycle of busybox containers: create/start/stop/restart/kill/wait/rm, ps and inspect,
# ID prefixes and names, resource limits in the host's cgroups, cgroup parents, --rm.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# --------------------------------------------------------------------------- create, start
id=$(isula create --name life --external-rootfs "$BB" none sh -c 'echo hello-from-life; sleep 300')
expect_eq "create exits 0" 0 $?
is_hex64 "$id" && pass "create prints a 64-hex ID" || fail "create prints a 64-hex ID" "got: '$id'"
expect_eq "a created container is inited" inited "$(status_of "$id")"
expect_ok "create writes config.v2.json and hostconfig.json" \
	test -f "$LCR/$id/config.v2.json" -a -f "$LCR/$id/hostconfig.json"
expect_eq "inited: Pid is 0" 0 "$(pid_of "$id")"

expect_ok "start of an inited container" isula start life
expect_eq "started: status running" running "$(status_of life)"
expect_eq "started: State.Running" true "$(ifield life '{{.State.Running}}')"
pid=$(pid_of life)
pid_alive "$pid" && pass "started: State.Pid $pid exists on the host" ||
	fail "started: State.Pid exists on the host" "Pid: '$pid'"
# Its root is the rootfs (pivoted in its own mount namespace: compare device and inode).
expect_eq "the container's root is the external rootfs" "$(stat -c %d:%i "$BB")" \
	"$(stat -L -c %d:%i "/proc/$pid/root/" 2>&1)"
started1=$(ifield life '{{.State.StartedAt}}')
[ "$(ts_ns "$started1")" -gt 0 ] && pass "StartedAt is set ($started1)" ||
	fail "StartedAt is set" "got: '$started1'"
wait_for "console.log gets the command's output" 5 grep -q hello-from-life "$LCR/$id/console.log"
expect_ok "state dir exists while running" test -d "$STATE/$id"

# The cgroup is <parent>/<id> in every v1 hierarchy; the processes sit in its "ns" child,
# the root of the container's cgroup namespace, so that the limits on <id> are out of reach.
cg_line=$(grep -E '^[0-9]+:memory:' "/proc/$pid/cgroup")
expect_eq "memory cgroup of the init is <daemon parent>/<id>/ns" "$IT_CGPARENT/$id/ns" "${cg_line#*:memory:}"
expect_ok "cgroup dir exists at memory/$IT_CGNAME/<id>" test -d "$CGROOT/memory/$IT_CGNAME/$id"
expect_ok "cgroup dir exists at pids/$IT_CGNAME/<id>" test -d "$CGROOT/pids/$IT_CGNAME/$id"

# ---------------------------------------------------------------------------------- stop
t0=$(now_us)
expect_ok "stop -t 1" isula stop -t 1 life
elapsed_ms=$((($(now_us) - t0) / 1000))
[ "$elapsed_ms" -ge 900 ] && [ "$elapsed_ms" -lt 5000 ] &&
	pass "stop -t 1 waits about 1 s for the SIGTERM-ignoring init, then kills (${elapsed_ms} ms)" ||
	fail "stop -t 1 waits about 1 s for the SIGTERM-ignoring init, then kills" "took ${elapsed_ms} ms"
expect_eq "stopped: status exited" exited "$(status_of life)"
expect_eq "stopped: State.Running" false "$(ifield life '{{.State.Running}}')"
expect_eq "stopped: State.Pid is 0" 0 "$(pid_of life)"
expect_eq "stopped: sh ignores SIGTERM as pid 1, so it is killed (ExitCode 137)" 137 \
	"$(ifield life '{{.State.ExitCode}}')"
expect_pid_gone "stopped: the old init is gone from the host" "$pid"
finished1=$(ifield life '{{.State.FinishedAt}}')
[ "$(ts_ns "$finished1")" -gt "$(ts_ns "$started1")" ] &&
	pass "FinishedAt ($finished1) is after StartedAt" ||
	fail "FinishedAt is after StartedAt" "StartedAt $started1" "FinishedAt $finished1"
expect_ok "stop of an exited container is not an error" isula stop -t 1 life
# --stop-signal (Config.StopSignal): what stop sends first, kept as given.
ss=$(isula run -d --stop-signal SIGUSR1 --external-rootfs "$BB" none \
	sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done')
expect_eq "--stop-signal: Config.StopSignal as given" SIGUSR1 "$(ifield "$ss" '{{.Config.StopSignal}}')"
expect_ok "stop of a --stop-signal USR1 container" isula stop -t 10 "$ss"
expect_eq "... its init got USR1 (the trap's exit code)" 42 "$(ifield "$ss" '{{.State.ExitCode}}')"
sp=$(isula run -d --stop-signal STOP --external-rootfs "$BB" none sleep 300)
sp_pid=$(pid_of "$sp")
isula stop -t 3 "$sp" >/dev/null 2>&1 &
stopper=$!
stopped_state() { grep -q '^State:.*stopped' "/proc/$sp_pid/status"; }
wait_for "--stop-signal STOP: stop stops the init first" 3 stopped_state
wait "$stopper"
expect_eq "... then kills it after the timeout" "exited 137" \
	"$(ifield "$sp" '{{.State.Status}} {{.State.ExitCode}}')"
expect_fail_code "--stop-signal xxx is refused" 125 "Invalid signal: xxx" \
	isula create --stop-signal xxx --external-rootfs "$BB" none true
expect_fail_code "--stop-signal 90 is refused" 125 "Invalid signal: 90" \
	isula create --stop-signal 90 --external-rootfs "$BB" none true
isula rm -f "$ss" "$sp" >/dev/null

# ------------------------------------------------------------------------ start again, restart
expect_ok "start of an exited container" isula start life
expect_ok "start of a running container is a no-op" isula start life
expect_eq "restarted by start: running" running "$(status_of life)"
pid2=$(pid_of life)
[ "$pid2" != "$pid" ] && pid_alive "$pid2" && pass "start gives a new live init ($pid2)" ||
	fail "start gives a new live init" "old $pid new $pid2"
expect_ok "restart -t 1 of a running container" isula restart -t 1 life
pid3=$(pid_of life)
expect_eq "after restart: running" running "$(status_of life)"
[ "$pid3" != "$pid2" ] && pid_alive "$pid3" && pass "restart gives a new live init ($pid3)" ||
	fail "restart gives a new live init" "old $pid2 new $pid3"
expect_pid_gone "restart: the previous init is gone" "$pid2"
expect_eq "a user restart is not counted in RestartCount" 0 "$(ifield life '{{.RestartCount}}')"
started3=$(ifield life '{{.State.StartedAt}}')
[ "$(ts_ns "$started3")" -gt "$(ts_ns "$started1")" ] && pass "restart moves StartedAt forward" ||
	fail "restart moves StartedAt forward" "first $started1 now $started3"

# ---------------------------------------------------------------------------- kill, wait
expect_ok "kill (default signal)" isula kill life
expect_eq "kill: status exited" exited "$(status_of life)"
expect_eq "kill: default SIGKILL gives ExitCode 137" 137 "$(ifield life '{{.State.ExitCode}}')"
expect_eq "wait on an exited container prints its exit code" 137 "$(isula wait life 2>&1)"
expect_ok "restart of an exited container" isula restart -t 1 life
expect_eq "restart of an exited container starts it" running "$(status_of life)"
expect_ok "kill it again" isula kill life

isula run -d --name trapper --external-rootfs "$BB" none \
	sh -c 'trap "exit 42" USR1; echo trap-ready; while :; do sleep 0.1; done' >/dev/null
expect_eq "run -d of the trapping container" running "$(status_of trapper)"
wait_for "the trap is installed" 5 grep -q trap-ready "$LCR/$(ifield trapper '{{.Id}}')/console.log"
isula wait trapper >"$IT_TMP/wait.out" 2>&1 &
waiter=$!
sleep 0.3
pid_alive "$waiter" && pass "wait blocks while the container runs" ||
	fail "wait blocks while the container runs" "$(cat "$IT_TMP/wait.out")"
expect_ok "kill -s USR1" isula kill -s USR1 trapper
wait_for "the handled signal makes the container exit" 5 is_status trapper exited
expect_eq "ExitCode is the handler's 42" 42 "$(ifield trapper '{{.State.ExitCode}}')"
wait "$waiter"
expect_eq "the blocked wait exits 0" 0 $?
expect_eq "the blocked wait prints 42" 42 "$(cat "$IT_TMP/wait.out")"
expect_fail "kill of an exited container is refused" "is not running" isula kill trapper

# --------------------------------------------------------------------------- foreground run
run_capture isula run --name fg --external-rootfs "$BB" none sh -c 'exit 5'
expect_eq "foreground run returns the container's exit code" 5 "$LAST_RC"
expect_eq "foreground run: the container is kept, exited" "exited 5" \
	"$(ifield fg '{{.State.Status}} {{.State.ExitCode}}')"
expect_ok "rm the foreground container" isula rm fg
# With --rm the container goes away as it exits; the client must still get its exit code.
# A quick exit races the removal against the client's wait, so try it many times, in four
# parallel streams (which makes the race likelier).
rm_stream() {
	local i
	for i in 1 2 3 4 5 6 7 8; do
		run_capture isula run --rm --external-rootfs "$BB" none sh -c 'exit 5'
		[ "$LAST_RC" = 5 ] || echo "stream $1 run $i: exit $LAST_RC: $LAST_OUT"
	done >"$IT_TMP/rm-stream-$1"
}
ps_before=$(isula ps -a -q --no-trunc | sort)
streams=()
for s in 1 2 3 4; do
	rm_stream "$s" &
	streams+=($!)
done
wait "${streams[@]}"
bad=$(cat "$IT_TMP"/rm-stream-*)
nbad=$(grep -c . <<<"$bad")
[ -z "$bad" ] && pass "foreground run --rm returns the container's exit code (32 of 32)" ||
	fail "foreground run --rm returns the container's exit code (32 of 32)" \
		"$nbad of 32 runs failed, e.g.:" "$(head -n 3 <<<"$bad")"
same_ps_as_before() { [ "$(isula ps -a -q --no-trunc | sort)" = "$ps_before" ]; }
wait_for "no --rm container is left" 5 same_ps_as_before

# ------------------------------------------------------------------------------------ rm
rid=$(isula run -d --name rmme --external-rootfs "$BB" none sleep 300)
rpid=$(pid_of rmme)
expect_fail_code "rm of a running container is refused without -f" 1 \
	"You cannot remove a running container" isula rm rmme
expect_eq "the refused rm left it running" running "$(status_of rmme)"
expect_ok "rm -f of a running container" isula rm -f rmme
expect_fail "rm -f: the container is gone" "No such container: rmme" isula inspect rmme
expect_pid_gone "rm -f: its init is gone from the host" "$rpid"
expect_ok "rm -f: its graph and state dirs are gone" test ! -e "$LCR/$rid" -a ! -e "$STATE/$rid"
expect_ok "rm -f: its cgroup is gone" test ! -e "$CGROOT/memory/$IT_CGNAME/$rid"
expect_ok "rm of an exited container" isula rm life
expect_fail "rm: the container is gone" "No such container" isula inspect "$id"
expect_ok "rm: its graph and state dirs are gone" test ! -e "$LCR/$id" -a ! -e "$STATE/$id"
expect_ok "rm never deletes the external rootfs" test -x "$BB/bin/busybox" -a -d "$BB/etc"

# ------------------------------------------------------------------------------------ ps
run_id=$(isula run -d --name ps-run --external-rootfs "$BB" none sleep 300)
exit_id=$(isula run -d --name ps-exit --external-rootfs "$BB" none sh -c 'exit 3')
wait_for "ps-exit exits" 5 is_status ps-exit exited
out=$(isula ps)
[[ "$out" == *ps-run* && "$out" != *ps-exit* ]] && pass "ps lists running containers only" ||
	fail "ps lists running containers only" "$out"
out=$(isula ps -a)
[[ "$out" == *ps-run* && "$out" == *ps-exit* && "$out" == *trapper* ]] &&
	pass "ps -a lists all containers" || fail "ps -a lists all containers" "$out"
[[ "$out" == *"Exited (3)"* ]] && pass "ps -a shows 'Exited (3)'" ||
	fail "ps -a shows 'Exited (3)'" "$out"
expect_eq "ps -q prints the short ID of the running one" "${run_id:0:12}" "$(isula ps -q)"
out=$(isula ps -a -q | sort | tr '\n' ' ')
want=$(printf '%s\n' "${run_id:0:12}" "${exit_id:0:12}" "$(ifield trapper '{{.Id}}' | cut -c1-12)" |
	sort | tr '\n' ' ')
expect_eq "ps -a -q prints every short ID" "$want" "$out"
expect_eq "ps -q --no-trunc prints the full ID" "$run_id" "$(isula ps -q --no-trunc)"
out=$(isula ps --no-trunc)
[[ "$out" == *"$run_id"* ]] && pass "ps --no-trunc shows the full ID" ||
	fail "ps --no-trunc shows the full ID" "$out"
out=$(isula ps -a -f status=exited)
[[ "$out" == *ps-exit* && "$out" == *trapper* && "$out" != *ps-run* ]] &&
	pass "ps -a -f status=exited lists exited ones only" ||
	fail "ps -a -f status=exited lists exited ones only" "$out"
out=$(isula ps -a -f status=running -q --no-trunc)
expect_eq "ps -f status=running -q --no-trunc" "$run_id" "$out"
out=$(isula ps -a -f name=ps-exit)
[[ "$out" == *ps-exit* && "$out" != *ps-run* && "$out" != *trapper* ]] &&
	pass "ps -a -f name= lists the named one only" ||
	fail "ps -a -f name= lists the named one only" "$out"
expect_fail "ps with an unknown filter key is refused" "Invalid filter" isula ps -a -f bogus=1
# -l / -n N: the last created, whatever their state (ps-exit was created after ps-run).
expect_eq "ps -l -q: the latest created (exited) one" "${exit_id:0:12}" "$(isula ps -l -q)"
expect_eq "ps -n 2 -q: the two last created, newest first" "${exit_id:0:12} ${run_id:0:12}" \
	"$(isula ps -n 2 -q | paste -sd' ')"
out=$(isula ps --last 1)
[[ "$out" == *ps-exit* && "$out" == *"Exited (3)"* && "$out" != *ps-run* ]] &&
	pass "ps --last 1: the table of that one" || fail "ps --last 1: the table of that one" "$out"
expect_eq "ps -n -1: every running one (the default)" "$(isula ps -q)" "$(isula ps -n -1 -q)"
expect_fail_code "ps -n x is refused" 125 "Invalid value x for flag --last" isula ps -n x

# ------------------------------------------------------------------------------- inspect
iid=$(isula create --name insp --restart on-failure:3 --external-rootfs "$BB" none sleep 300)
raw=$(isula inspect insp)
expect_eq "inspect exits 0" 0 $?
if command -v python3 >/dev/null; then
	expect_ok "inspect prints valid JSON" python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$raw"
fi
[[ "$raw" =~ \"Id\":\ *\"[0-9a-f]{64}\" ]] && pass "inspect JSON has a 64-hex Id" ||
	fail "inspect JSON has a 64-hex Id" "$(head -c 400 <<<"$raw")"
for key in '"Name"' '"State"' '"Status"' '"Running"' '"Pid"' '"ExitCode"' '"StartedAt"' \
	'"FinishedAt"' '"HostConfig"' '"SystemContainer"' '"ExternalRootfs"' '"RestartPolicy"' \
	'"Config"'; do
	[[ "$raw" == *"$key"* ]] && pass "inspect JSON has $key" || fail "inspect JSON has $key"
done
expect_eq "{{.Id}}" "$iid" "$(ifield insp '{{.Id}}')"
expect_eq "{{.Name}}" insp "$(ifield insp '{{.Name}}')"
expect_eq "{{.State.Status}} of a created container" inited "$(ifield insp '{{.State.Status}}')"
expect_eq "{{.State.Running}}" false "$(ifield insp '{{.State.Running}}')"
expect_eq "{{.State.ExitCode}}" 0 "$(ifield insp '{{.State.ExitCode}}')"
expect_eq "{{.HostConfig.SystemContainer}}" false "$(ifield insp '{{.HostConfig.SystemContainer}}')"
expect_eq "{{.HostConfig.ExternalRootfs}}" "$BB" "$(ifield insp '{{.HostConfig.ExternalRootfs}}')"
expect_eq "{{.HostConfig.RestartPolicy.Name}}" on-failure \
	"$(ifield insp '{{.HostConfig.RestartPolicy.Name}}')"
expect_eq "{{.HostConfig.RestartPolicy.MaximumRetryCount}}" 3 \
	"$(ifield insp '{{.HostConfig.RestartPolicy.MaximumRetryCount}}')"
config_json=$(ifield insp '{{json .Config}}')
[[ "$config_json" == '{'*'"Cmd":["sleep","300"]'* ]] && pass "{{json .Config}} has the command" ||
	fail "{{json .Config}} has the command" "$config_json"
isula start insp >/dev/null
st=$(ifield insp '{{json .State}}')
if command -v python3 >/dev/null; then
	expect_ok "{{json .State}} is valid JSON" python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$st"
fi
ipid=$(pid_of insp)
[[ "$st" == *'"Status":"running"'* && "$st" == *'"Running":true'* && "$st" == *"\"Pid\":$ipid"* ]] &&
	pass "{{json .State}} of a running container" || fail "{{json .State}} of a running container" "$st"
expect_fail "inspect of an unknown name" "No such container: no-such-thing" \
	isula inspect no-such-thing

# ------------------------------------------------------------------ ID prefixes and names
expect_eq "inspect by name" "$iid" "$(ifield insp '{{.Id}}')"
expect_eq "inspect by full ID" "$iid" "$(ifield "$iid" '{{.Id}}')"
expect_eq "inspect by 12-char prefix" "$iid" "$(ifield "${iid:0:12}" '{{.Id}}')"
# A prefix of 6 is unique here unless we are very unlucky: check before relying on it.
if [ "$(isula ps -a -q --no-trunc | grep -c "^${iid:0:6}")" = 1 ]; then
	expect_eq "inspect by 6-char prefix" "$iid" "$(ifield "${iid:0:6}" '{{.Id}}')"
fi
expect_ok "stop by ID prefix" isula stop -t 0 "${iid:0:12}"
expect_eq "stop by prefix stopped it" exited "$(status_of insp)"
expect_ok "start by full ID" isula start "$iid"
expect_ok "kill by name" isula kill insp
expect_ok "rm by ID prefix" isula rm "${iid:0:12}"
expect_ok "rm by prefix removed it" gone "$iid"

# ------------------------------------------------------------------------ resource limits
lid=$(isula run -d --name limits -m 64m --cpu-shares 512 --cpu-quota 50000 --cpu-period 100000 \
	--cpuset-cpus 0 --pids-limit 100 --external-rootfs "$BB" none sleep 300)
expect_eq "run -d with resource flags" running "$(status_of limits)"
rel=$IT_CGNAME/$lid
expect_eq "-m 64m: memory.limit_in_bytes" 67108864 "$(cg_file memory "$rel" memory.limit_in_bytes)"
expect_eq "--cpu-shares 512: cpu.shares" 512 "$(cg_file cpu "$rel" cpu.shares)"
expect_eq "--cpu-quota 50000: cpu.cfs_quota_us" 50000 "$(cg_file cpu "$rel" cpu.cfs_quota_us)"
expect_eq "--cpu-period 100000: cpu.cfs_period_us" 100000 "$(cg_file cpu "$rel" cpu.cfs_period_us)"
expect_eq "--cpuset-cpus 0: cpuset.cpus" 0 "$(cg_file cpuset "$rel" cpuset.cpus)"
expect_eq "--pids-limit 100: pids.max" 100 "$(cg_file pids "$rel" pids.max)"
expect_eq "-m 64m in HostConfig.Memory" 67108864 "$(ifield limits '{{.HostConfig.Memory}}')"
expect_eq "--pids-limit in HostConfig.PidsLimit" 100 "$(ifield limits '{{.HostConfig.PidsLimit}}')"
lpid=$(pid_of limits)
grep -qE "^[0-9]+:pids:$IT_CGPARENT/$lid/ns\$" "/proc/$lpid/cgroup" &&
	pass "the init is in pids:$IT_CGPARENT/<id>/ns" ||
	fail "the init is in pids:$IT_CGPARENT/<id>/ns" "$(cat "/proc/$lpid/cgroup")"
# The container sees a writable cgroupfs (systemd needs one), but only below its limits.
nsenter -t "$lpid" -m -C sh -c 'echo 1073741824 > /sys/fs/cgroup/memory/memory.limit_in_bytes' \
	>/dev/null 2>&1
expect_eq "a limit written from inside does not raise the container's own" 67108864 \
	"$(cg_file memory "$rel" memory.limit_in_bytes)"
expect_ok "rm -f the limited container" isula rm -f limits

# -------------------------------------------------------------------- per-container parent
alt=$IT_CGPARENT-alt
aid=$(isula run -d --cgroup-parent "$alt" --external-rootfs "$BB" none sleep 300)
apid=$(pid_of "$aid")
cg_line=$(grep -E '^[0-9]+:memory:' "/proc/$apid/cgroup" 2>/dev/null)
expect_eq "--cgroup-parent overrides the daemon's" "$alt/$aid/ns" "${cg_line#*:memory:}"
expect_ok "cgroup dir at memory/${alt#/}/<id>" test -d "$CGROOT/memory/${alt#/}/$aid"
expect_ok "no cgroup dir under the daemon's parent" test ! -e "$CGROOT/memory/$IT_CGNAME/$aid"
expect_eq "HostConfig.CgroupParent" "$alt" "$(ifield "$aid" '{{.HostConfig.CgroupParent}}')"
expect_ok "rm -f the container with its own parent" isula rm -f "$aid"
expect_ok "its cgroup is gone" test ! -e "$CGROOT/memory/${alt#/}/$aid"

# ----------------------------------------------------------------------------------- --rm
xid=$(isula run -d --rm --external-rootfs "$BB" none sh -c 'sleep 0.5')
is_hex64 "$xid" && pass "run -d --rm starts" || fail "run -d --rm starts" "got '$xid'"
wait_for "--rm: the container disappears after it exits" 5 gone "$xid"
expect_ok "--rm: its graph and state dirs are gone" test ! -e "$LCR/$xid" -a ! -e "$STATE/$xid"
expect_ok "--rm never deletes the external rootfs" test -x "$BB/bin/busybox"

sid=$(isula run -d --rm --external-rootfs "$BB" none sleep 300)
expect_ok "--rm: isula stop of a running --rm container" isula stop -t 0 "$sid"
wait_for "--rm: the container disappears after isula stop" 5 gone "$sid"
kid=$(isula run -d --rm --external-rootfs "$BB" none sleep 300)
expect_ok "--rm: isula kill of a running --rm container" isula kill "$kid"
wait_for "--rm: the container disappears after isula kill" 5 gone "$kid"

# ------------------------------------------------------------------------- Docker CLI
export DOCKER_CONFIG=$IT_TMP/docker-config
D() { timeout 30 docker -H "unix://$SOCK" "$@"; }
if command -v docker >/dev/null; then
	expect_ok "docker info" D info
	expect_match "docker info: the server section" "Logging Driver: json-file" "$LAST_OUT"
	expect_match "docker info: the cgroup driver" "Cgroup Driver: cgroupfs" "$LAST_OUT"
	did=$(isula create --name dk --external-rootfs "$BB" none sh -c 'trap "exit 9" TERM; sleep 300 & wait')
	expect_ok "docker start" D start dk
	expect_eq "docker start: running" running "$(status_of dk)"
	p1=$(pid_of dk)
	expect_ok "docker restart -t 5" D restart -t 5 dk
	p2=$(pid_of dk)
	expect_eq "docker restart: running again" running "$(status_of dk)"
	[ "$p1" != "$p2" ] && pass "docker restart: a new init" || fail "docker restart: a new init" "$p1 = $p2"
	expect_ok "docker stop -t 5" D stop -t 5 dk
	expect_eq "docker stop: exited with the TERM trap's code" "exited 9" \
		"$(ifield dk '{{.State.Status}} {{.State.ExitCode}}')"
	expect_ok "docker start again" D start dk
	D wait dk >"$IT_TMP/dwait" 2>&1 &
	dwait=$!
	sleep 0.3
	expect_ok "docker kill -s KILL" D kill -s KILL dk
	wait "$dwait"
	expect_eq "docker wait: the exit code of the kill" 137 "$(cat "$IT_TMP/dwait")"
	expect_fail "docker kill of a stopped container" "is not running" D kill dk
	expect_ok "docker rm" D rm dk
	expect_ok "docker rm: gone" gone "$did"
	rid=$(isula run -d --name dk2 --external-rootfs "$BB" none sleep 300)
	expect_fail "docker rm of a running container without -f" "" D rm dk2
	expect_eq "docker rm without -f: still running" running "$(status_of dk2)"
	expect_ok "docker rm -f" D rm -f dk2
	expect_ok "docker rm -f: gone" gone "$rid"
	expect_fail "docker start of an unknown container" "No such container" D start nosuch
	expect_eq "docker ps -l: the latest created, as isula ps -l" "$(isula ps -l -q)" "$(D ps -l -q)"
	# Config.StopSignal and HostConfig.NanoCpus through docker-py.
	out=$(python3 - "$SOCK" "$BB" <<'PY' 2>&1
import sys, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config(nano_cpus=250000000)
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sh", "-c", "trap 'exit 7' USR2; while :; do sleep 0.1; done"],
                           host_config=hc, stop_signal="SIGUSR2")["Id"]
api.start(cid)
i = api.inspect_container(cid)
api.stop(cid, timeout=10)
print(i["Config"]["StopSignal"], i["HostConfig"]["NanoCpus"], api.inspect_container(cid)["State"]["ExitCode"])
api.remove_container(cid, force=True)
PY
	)
	expect_eq "docker-py: stop_signal (the init's trap) and nano_cpus" "SIGUSR2 250000000 7" "$out"
	expect_ok "the rootfs survives docker rm" test -x "$BB/bin/sh"
else
	fail "the docker CLI is installed for these tests"
fi

# --------------------------------------------------------------------------------- the end
ids=$(isula ps -a -q --no-trunc)
# shellcheck disable=SC2086
[ -z "$ids" ] || expect_ok "rm -f of every container" isula rm -f $ids
expect_eq "ps -a is empty" "" "$(isula ps -a -q)"
assert_no_leftovers
expect_ok "the rootfs is still there at the end" test -x "$BB/bin/sh"
it_finish
