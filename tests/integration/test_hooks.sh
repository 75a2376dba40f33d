#!/usr/bin/env bash
# OCI hooks (seed 000 §1.3.10): --hook-spec and the daemon's default spec, every validation
# rule of §1.3.10.3, prestart/poststart/poststop at the right moments with the OCI state on
# stdin, args/env/timeout honoured, failures and timeouts, the bundle's config.json, a daemon
# restart, and CONTAINER_ACTION on a systemd container's reboot.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
R=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

H=$IT_TMP/hooks # hook programs and specs: root-owned, mode 0755
REC=$IT_TMP/rec # what the hooks record, one dir per container
mkdir -p "$H" "$REC"
chmod 0755 "$H"

# rec.sh OUTDIR STAGE: records its stdin (the state), argv, env, time, and what it sees of
# the state's pid (alive, namespaces, command line, cgroup), then appends STAGE to OUTDIR/order.
cat >"$H/rec.sh" <<'EOF'
#!/bin/sh
out=$1 st=$2
mkdir -p "$out"
cat >"$out/$st.state"
printf '%s\n' "$@" >"$out/$st.argv"
env | sort >"$out/$st.env"
date +%s%N >"$out/$st.time"
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$out/$st.state")
if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
	for ns in pid mnt net uts ipc; do readlink "/proc/$pid/ns/$ns"; done >"$out/$st.ns"
	tr '\0' ' ' <"/proc/$pid/cmdline" >"$out/$st.cmdline"
	cat "/proc/$pid/cgroup" >"$out/$st.cgroup"
fi
echo "$st" >>"$out/order"
EOF
# fail.sh OUTDIR: records that it ran, complains on stderr, exits 1.
cat >"$H/fail.sh" <<'EOF'
#!/bin/sh
echo fail >>"$1/order"
echo "quota service unreachable" >&2
exit 1
EOF
# slow.sh OUTDIR: records its pid and a child's, then outlives any sane timeout.
cat >"$H/slow.sh" <<'EOF'
#!/bin/sh
sleep 60 &
echo "$$ $!" >"$1/slow.pids"
wait
EOF
chmod 0755 "$H"/*.sh

# hook PATH ARGS_JSON [EXTRA_JSON]: one hook object.
hook() { echo "{\"path\":\"$1\",\"args\":$2${3:+,$3}}"; }
# rec_hook TAG STAGE [EXTRA_JSON]: a rec.sh hook writing into $REC/TAG.
rec_hook() { hook "$H/rec.sh" "[\"rec.sh\",\"$REC/$1\",\"$2\"]" "${3:-}"; }
# spec NAME JSON: writes $H/NAME.json and prints its path.
spec() {
	echo "$2" >"$H/$1.json"
	echo "$H/$1.json"
}
jqf() { jq -r "$1" "$2" 2>/dev/null; }
bundle_of() { echo "$LCR/$1"; }
order_of() { cat "$REC/$1/order" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
# ended PID: the process is gone (or a zombie waiting for its reaper).
ended() { ! kill -0 "$1" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# expect_slow_killed DESC TAG: slow.sh (recording into $REC/TAG) and its child are gone.
expect_slow_killed() {
	local hook_pid="" child_pid=""
	read -r hook_pid child_pid <"$REC/$2/slow.pids" 2>/dev/null
	if [ -n "$hook_pid" ] && poll 3 ended "$hook_pid" && poll 3 ended "$child_pid"; then
		pass "$1"
	else
		fail "$1" "pids '$hook_pid' '$child_pid'"
	fi
}
ctr_count() { isula ps -aq | wc -l; }
lcr_dirs() { find "$LCR" -mindepth 1 -maxdepth 1 -type d | wc -l; }

# ------------------------------------------------------------------ validation at create
# Each rejected value: isula exits 125 naming the value, and nothing is left behind.
before_ctrs=$(ctr_count)
before_dirs=$(lcr_dirs)
# refuse DESC PATTERN SPEC_PATH
refuse() {
	expect_fail_code "rejected: $1" 125 "$2" \
		isula create --hook-spec "$3" --external-rootfs "$R" none true
}
mkdir -p "$H/a-dir"
refuse "relative hook-spec path" 'Invalid hook spec "hooks/spec.json": the path must be absolute' \
	hooks/spec.json
refuse "missing hook-spec file" "Invalid hook spec \"$H/none.json\": No such file or directory" \
	"$H/none.json"
refuse "hook-spec that is a directory" "Invalid hook spec \"$H/a-dir\": not a regular file" "$H/a-dir"
refuse "hook-spec that is not JSON" "not a JSON text file" "$(spec notjson 'prestart: [')"
refuse "hook-spec that is a JSON array" "must be a JSON object" "$(spec array '[]')"
head -c $((10 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$H/big.json"
refuse "hook-spec over 10 MB" "size 10485761 bytes exceeds the limit of 10 MB" "$H/big.json"
refuse "unknown hook type" 'unsupported hook type "createRuntime"' \
	"$(spec type "{\"createRuntime\":[$(rec_hook x prestart)]}")"
refuse "hook without a path" 'prestart[0]: "path" is mandatory' \
	"$(spec nopath '{"prestart":[{"args":["x"]}]}')"
refuse "relative hook path" 'prestart[0]: hook path "bin/true" must be an absolute path' \
	"$(spec relhook '{"prestart":[{"path":"bin/true"}]}')"
refuse "missing hook program" "poststop[0]: hook path \"$H/gone.sh\" cannot be used: No such file" \
	"$(spec gone "{\"poststop\":[{\"path\":\"$H/gone.sh\"}]}")"
cp "$H/rec.sh" "$H/noexec.sh" && chmod 0644 "$H/noexec.sh"
refuse "hook program without execute permission" "\"$H/noexec.sh\" must be an executable file (mode 0644)" \
	"$(spec noexec "{\"prestart\":[{\"path\":\"$H/noexec.sh\"}]}")"
cp "$H/rec.sh" "$H/notroot.sh" && chmod 0755 "$H/notroot.sh" && chown 1000:1000 "$H/notroot.sh"
refuse "hook program not owned by root" "\"$H/notroot.sh\" must be owned by root (owner uid 1000)" \
	"$(spec notroot "{\"prestart\":[{\"path\":\"$H/notroot.sh\"}]}")"
cp "$H/rec.sh" "$H/groupw.sh" && chmod 0775 "$H/groupw.sh"
refuse "hook program writable by its group" "\"$H/groupw.sh\" must be writable only by root (mode 0775" \
	"$(spec groupw "{\"poststart\":[{\"path\":\"$H/groupw.sh\"}]}")"
cp "$H/rec.sh" "$H/otherw.sh" && chmod 0757 "$H/otherw.sh"
refuse "hook program writable by others" "\"$H/otherw.sh\" must be writable only by root (mode 0757" \
	"$(spec otherw "{\"poststart\":[{\"path\":\"$H/otherw.sh\"}]}")"
refuse "timeout 0" "prestart[0]: invalid timeout 0: it must be an integer number of seconds greater than 0" \
	"$(spec t0 "{\"prestart\":[$(rec_hook x prestart '"timeout":0')]}")"
refuse "negative timeout" "poststop[0]: invalid timeout -5" \
	"$(spec tneg "{\"poststop\":[$(rec_hook x poststop '"timeout":-5')]}")"
refuse "fractional timeout" "invalid timeout 1.5" \
	"$(spec tfrac "{\"prestart\":[$(rec_hook x prestart '"timeout":1.5')]}")"
refuse "env entry that is not KEY=VALUE" '"env"[0] "JUSTAKEY" must be a KEY=VALUE pair' \
	"$(spec env "{\"prestart\":[$(rec_hook x prestart '"env":["JUSTAKEY"]')]}")"
expect_fail_code "run with a bad hook-spec: exit 125, nothing started" 125 "Invalid hook spec" \
	isula run -d --hook-spec "$H/t0.json" --external-rootfs "$R" none sleep 100
expect_eq "rejected creates left no container" "$before_ctrs" "$(ctr_count)"
expect_eq "rejected creates left no container dir" "$before_dirs" "$(lcr_dirs)"
[ -e "$REC/x" ] && fail "no hook of a rejected spec ran" "$(ls "$REC/x")" ||
	pass "no hook of a rejected spec ran"

# ------------------------------------------------------------------ the three stages
full=$(spec full "{
  \"prestart\": [$(rec_hook c1 prestart '"env":["HOOK_ENV=pre value","PATH=/usr/bin:/bin"],"timeout":10')],
  \"poststart\": [$(rec_hook c1 poststart '"timeout":10')],
  \"poststop\": [$(rec_hook c1 poststop '"timeout":10')]
}")
id=$(isula create --name c1 --hook-spec "$full" -e FOO=bar -w /tmp --hostname hk -m 96m \
	-v "$H:/mnt/hooks:ro" --external-rootfs "$R" none sleep 1000)
is_hex64 "$id" && pass "create with --hook-spec" || it_abort "create with --hook-spec (got '$id')"
B=$(bundle_of "$id")
expect_eq "inspect shows HostConfig.HookSpec" "$full" "$(ifield c1 '{{.HostConfig.HookSpec}}')"
expect_eq "create runs no hook" "" "$(order_of c1)"

# config.json: the bundle's OCI spec, written at create.
CJ=$B/config.json
expect_ok "config.json is written at create (valid JSON)" jq -e . "$CJ"
expect_eq "config.json ociVersion" 1.0.2 "$(jqf .ociVersion "$CJ")"
expect_eq "config.json process.args" "sleep 1000" "$(jqf '.process.args | join(" ")' "$CJ")"
expect_eq "config.json process.env has -e FOO=bar" FOO=bar "$(jqf '.process.env[] | select(startswith("FOO="))' "$CJ")"
expect_eq "config.json process.cwd is -w" /tmp "$(jqf .process.cwd "$CJ")"
expect_eq "config.json root.path is the rootfs" "$R" "$(jqf .root.path "$CJ")"
expect_eq "config.json hostname" hk "$(jqf .hostname "$CJ")"
expect_eq "config.json mounts the -v bind read-only" "$H bind ro" \
	"$(jqf '.mounts[] | select(.destination=="/mnt/hooks") | "\(.source) \(.type) \(.options | map(select(.=="ro")) | join(""))"' "$CJ")"
expect_eq "config.json mounts /proc" proc "$(jqf '.mounts[] | select(.destination=="/proc") | .type' "$CJ")"
expect_eq "config.json linux.resources.memory.limit" $((96 << 20)) "$(jqf .linux.resources.memory.limit "$CJ")"
expect_eq "config.json linux.cgroupsPath" "$IT_CGPARENT/$id" "$(jqf .linux.cgroupsPath "$CJ")"
expect_eq "config.json capabilities (the default list)" 14 "$(jqf '.process.capabilities.bounding | length' "$CJ")"
expect_eq "config.json hooks: the spec's, in order" "$H/rec.sh $H/rec.sh $H/rec.sh" \
	"$(jqf '[.hooks.prestart[0].path, .hooks.poststart[0].path, .hooks.poststop[0].path] | join(" ")' "$CJ")"
expect_eq "config.json hooks keep env and timeout" "HOOK_ENV=pre value 10" \
	"$(jqf '"\(.hooks.prestart[0].env[0]) \(.hooks.prestart[0].timeout)"' "$CJ")"
expect_eq "config.json annotations: the log file" "$B/console.log" "$(jqf '.annotations["log.console.file"]' "$CJ")"

expect_ok "start runs the hooks" isula start c1
# Right after start returns: prestart and poststart have run, in this order.
expect_eq "prestart then poststart, both before start returns" "prestart poststart" "$(order_of c1)"
pid=$(pid_of c1)
S=$REC/c1/prestart.state
expect_eq "prestart state: ociVersion" 1.0.2 "$(jqf .ociVersion "$S")"
expect_eq "prestart state: id" "$id" "$(jqf .id "$S")"
expect_eq "prestart state: status created" created "$(jqf .status "$S")"
expect_eq "prestart state: pid is the container's init" "$pid" "$(jqf .pid "$S")"
expect_eq "prestart state: bundle" "$B" "$(jqf .bundle "$S")"
expect_eq "prestart state: annotations" "$B/console.log" "$(jqf '.annotations["log.console.file"]' "$S")"
expect_eq "prestart: the pid existed, in the container's namespaces" \
	"$(for ns in pid mnt net uts ipc; do readlink "/proc/$pid/ns/$ns"; done)" "$(cat "$REC/c1/prestart.ns" 2>&1)"
[ "$(readlink /proc/self/ns/pid)" != "$(head -n 1 "$REC/c1/prestart.ns" 2>/dev/null)" ] &&
	pass "prestart: the container's pid namespace is not the host's" ||
	fail "prestart: the container's pid namespace is not the host's" "$(cat "$REC/c1/prestart.ns")"
[[ "$(cat "$REC/c1/prestart.cmdline" 2>/dev/null)" == "isulad-monitor start $id "* ]] &&
	pass "prestart: the user's command had not run yet (the init is still liblxc's fork)" ||
	fail "prestart: the user's command had not run yet" "$(cat "$REC/c1/prestart.cmdline")"
expect_match "prestart: the init was already in the container's cgroup" "$IT_CGPARENT/$id" \
	"$(cat "$REC/c1/prestart.cgroup" 2>&1)"
expect_eq "prestart: args as given (args[0] is argv[0])" "$REC/c1 prestart" "$(tr '\n' ' ' <"$REC/c1/prestart.argv" | sed 's/ $//')"
expect_match "prestart: env as given" "HOOK_ENV=pre value" "$(cat "$REC/c1/prestart.env")"
expect_eq "prestart: only the given env (no daemon variables)" "" \
	"$(grep -E '^(ISULAD_HOST|LXC_[A-Z_]*)=' "$REC/c1/prestart.env")"
S=$REC/c1/poststart.state
expect_eq "poststart state: status running" running "$(jqf .status "$S")"
expect_eq "poststart state: pid" "$pid" "$(jqf .pid "$S")"
[ "$(cat "$REC/c1/poststart.time")" -ge "$(cat "$REC/c1/prestart.time")" ] &&
	pass "poststart ran after prestart" || fail "poststart ran after prestart"
expect_match "poststart: the user's command runs" "sleep 1000" "$(cat "$REC/c1/poststart.cmdline" 2>&1)"

expect_ok "stop runs the poststop hooks" isula stop -t 1 c1
expect_eq "poststop before stop returns" "prestart poststart poststop" "$(order_of c1)"
S=$REC/c1/poststop.state
expect_eq "poststop state: status stopped" stopped "$(jqf .status "$S")"
expect_eq "poststop state: no pid" null "$(jqf .pid "$S")"
expect_eq "poststop state: id" "$id" "$(jqf .id "$S")"
expect_match "poststop: CONTAINER_ACTION=shutdown after a stop" CONTAINER_ACTION=shutdown \
	"$(cat "$REC/c1/poststop.env")"
expect_pid_gone "poststop: the init is gone" "$pid"
expect_ok "a second start" isula start c1
expect_eq "every start runs prestart and poststart again" \
	"prestart poststart poststop prestart poststart" "$(order_of c1)"

expect_ok "update -m" isula update -m 128m c1
expect_eq "update refreshes config.json's memory limit" $((128 << 20)) "$(jqf .linux.resources.memory.limit "$CJ")"
expect_eq "update keeps config.json's hooks" "$H/rec.sh" "$(jqf '.hooks.prestart[0].path' "$CJ")"

# ------------------------------------------------------------------ a daemon restart
# The hooks were read at create: neither a restart nor the spec file going away loses them.
mv "$full" "$full.moved"
stop_daemon main
start_daemon main || it_abort "the daemon must start again"
expect_ok "after a daemon restart: stop" isula stop -t 1 c1
expect_ok "after a daemon restart: start" isula start c1
expect_eq "after a daemon restart (spec file gone): the stored hooks still run" \
	"prestart poststart poststop prestart poststart poststop prestart poststart" "$(order_of c1)"
expect_ok "rm -f" isula rm -f c1
expect_eq "rm -f of a running container runs its poststop hooks" poststop "$(tail -n 1 "$REC/c1/order")"
mv "$full.moved" "$full"

# ------------------------------------------------------------------ failing prestart
fail_spec=$(spec fail "{\"prestart\":[$(hook "$H/fail.sh" "[\"fail.sh\",\"$REC/f1\"]"),$(rec_hook f1 prestart)],
  \"poststop\":[$(rec_hook f1 poststop)]}")
mkdir -p "$REC/f1"
isula create --name f1 --hook-spec "$fail_spec" --external-rootfs "$R" none sleep 1000 >/dev/null
f1=$(ifield f1 '{{.Id}}')
expect_fail "a failing prestart fails start with its error" \
	"prestart hook \"$H/fail.sh\" failed: exit status 1: quota service unreachable" isula start f1
[ "$LAST_RC" -ne 0 ] && pass "failed start: non-zero exit ($LAST_RC)" || fail "failed start: non-zero exit"
expect_eq "failed start: the next prestart hook did not run" fail "$(head -n 2 "$REC/f1/order" | grep -v poststop | tr '\n' ' ' | sed 's/ $//')"
expect_eq "failed start: the container is not running" inited "$(status_of f1)"
expect_match "failed start: State.Error says why" "quota service unreachable" "$(ifield f1 '{{.State.Error}}')"
expect_eq "failed start: no cgroup left" "" "$(leftover_cgroups | grep "$f1")"
expect_eq "failed start: no container process or monitor left" "" \
	"$(for p in $(own_pids); do tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -F "$f1"; done)"
expect_fail "run -d with a failing prestart fails too" "quota service unreachable" \
	isula run -d --name f2 --hook-spec "$fail_spec" --external-rootfs "$R" none sleep 1000

# ------------------------------------------------------------------ timeout
mkdir -p "$REC/t1"
slow_spec=$(spec slow "{\"prestart\":[$(hook "$H/slow.sh" "[\"slow.sh\",\"$REC/t1\"]" '"timeout":1')]}")
isula create --name t1 --hook-spec "$slow_spec" --external-rootfs "$R" none sleep 1000 >/dev/null
t0=$(now_us)
expect_fail "a prestart past its timeout fails the start" \
	"prestart hook \"$H/slow.sh\" failed: killed after its timeout of 1 s" isula start t1
secs=$((($(now_us) - t0) / 1000000))
[ "$secs" -lt 20 ] && pass "the timeout ended the start (${secs} s, not the hook's 60 s)" ||
	fail "the timeout ended the start" "took $secs s"
expect_slow_killed "the timed-out hook and its child were killed" t1
expect_eq "timeout: the container is not running" inited "$(status_of t1)"

# A prestart hook with no timeout of its own still ends with the start-timeout: a start
# always ends, and the container can be removed.
hang=$(spec hang "{\"prestart\":[$(hook "$H/slow.sh" "[\"slow.sh\",\"$REC/t2\"]")]}")
mkdir -p "$REC/t2"
start_daemon short --start-timeout 3s || it_abort "a daemon with --start-timeout 3s must start"
isula create --name t2 --hook-spec "$hang" --external-rootfs "$R" none sleep 1000 >/dev/null
t0=$(now_us)
expect_fail "a prestart without a timeout is killed when the start-timeout runs out" \
	"prestart hook \"$H/slow.sh\" failed: killed when the time left to the start ran out (3000 ms)" \
	timeout 30 "$ISULA" start t2
secs=$((($(now_us) - t0) / 1000000))
[ "$secs" -lt 15 ] && pass "start-timeout 3s: the start ended (${secs} s)" ||
	fail "start-timeout 3s: the start ended" "took $secs s"
expect_slow_killed "start-timeout: the hook and its child were killed" t2
expect_ok "start-timeout: rm works" timeout 30 "$ISULA" rm -f t2
stop_daemon short
use_daemon main

# ------------------------------------------------------------------ failing poststart/poststop
mkdir -p "$REC/w1"
warn_spec=$(spec warn "{\"poststart\":[$(hook "$H/fail.sh" "[\"fail.sh\",\"$REC/w1\"]"),$(rec_hook w1 poststart)],
  \"poststop\":[$(hook "$H/fail.sh" "[\"fail.sh\",\"$REC/w1\"]"),$(rec_hook w1 poststop)]}")
expect_ok "a failing poststart does not fail the start (OCI: a warning)" \
	isula run -d --name w1 --hook-spec "$warn_spec" --external-rootfs "$R" none sleep 1000
expect_eq "failing poststart: the container runs" running "$(status_of w1)"
expect_eq "failing poststart: the next poststart hook still ran" "fail poststart" "$(order_of w1)"
expect_match "failing poststart: logged by the daemon" "poststart hook \"$H/fail.sh\" failed" \
	"$(cat "$GRAPH/isulad.log")"
expect_ok "a failing poststop does not fail the stop" isula stop -t 1 w1
expect_eq "failing poststop: exited" exited "$(status_of w1)"
expect_eq "failing poststop: the next poststop hook still ran" "fail poststart fail poststop" "$(order_of w1)"
w1=$(ifield w1 '{{.Id}}')
expect_match "failing poststop: logged in the monitor's log" "poststop hook \"$H/fail.sh\" failed" \
	"$(cat "$STATE/$w1/monitor.log")"
[[ "$(isula logs w1 2>&1)" != *"hook"* ]] && pass "hook warnings stay out of the container's log" ||
	fail "hook warnings stay out of the container's log" "$(isula logs w1 2>&1)"
isula rm -f w1 f1 f2 t1 >/dev/null 2>&1

# ------------------------------------------------------------------ the daemon's default spec
bad_default=$(spec baddefault "{\"prestart\":[$(rec_hook d prestart '"timeout":0')]}")
echo '{}' >"$IT_TMP/bad.json"
out=$(timeout 10 "$ISULAD" -g "$IT_TMP/bad/g" -S "$IT_TMP/bad/s" -H "unix://$IT_TMP/bad/sock" \
	--config-file "$IT_TMP/bad.json" --hook-spec "$bad_default" 2>&1 </dev/null)
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [[ "$out" == *"invalid timeout 0"* ]] &&
	pass "isulad refuses to start with an invalid default hook spec ($rc)" ||
	fail "isulad refuses to start with an invalid default hook spec" "exit $rc" "$out"

dflt=$(spec default "{\"prestart\":[$(rec_hook d prestart)],\"poststop\":[$(rec_hook d poststop)]}")
mkdir -p "$IT_TMP/daemon-dflt"
echo "{\"hook-spec\": \"$dflt\"}" >"$IT_TMP/daemon-dflt/daemon.json"
start_daemon dflt || it_abort "a daemon with a default hook spec (daemon.json) must start"
expect_ok "default spec: run without --hook-spec" \
	isula run -d --name d1 --external-rootfs "$R" none sleep 1000
expect_eq "default spec: its prestart ran" prestart "$(order_of d)"
expect_eq "default spec: in the container's config.json" "$REC/d" "$(jqf '.hooks.prestart[0].args[1]' "$LCR/$(ifield d1 '{{.Id}}')/config.json")"
own=$(spec own "{\"prestart\":[$(rec_hook d own-prestart)],\"poststop\":[$(rec_hook d own-poststop)]}")
expect_ok "default spec with --hook-spec" \
	isula run -d --name d2 --hook-spec "$own" --external-rootfs "$R" none sleep 1000
expect_eq "daemon's hooks first, then the container's" "prestart prestart own-prestart" "$(order_of d)"
expect_ok "stop" isula stop -t 1 d2
expect_eq "poststop: daemon's first too" "prestart prestart own-prestart poststop own-poststop" "$(order_of d)"
isula rm -f d1 d2 >/dev/null 2>&1
stop_daemon dflt
use_daemon main

# ------------------------------------------------------------------ systemd: reboot
S1=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
sd=$(spec sd "{\"prestart\":[$(rec_hook sd prestart)],\"poststop\":[$(rec_hook sd poststop)]}")
in_ct() { timeout 10 lxc-attach -n "$1" -P "$LCR" -- "${@:2}"; }
sd_running() { [ "$(in_ct "$1" systemctl is-system-running 2>/dev/null)" = running ]; }
restarted() {
	local p
	p=$(pid_of "$1")
	is_status "$1" running && [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$2" ]
}
sid=$(isula run -tid --system-container --restart on-reboot --hook-spec "$sd" \
	--external-rootfs "$S1" none init)
is_hex64 "$sid" && pass "systemd container with hooks runs" || it_abort "systemd container with hooks runs ($sid)"
expect_eq "systemd: prestart ran" prestart "$(order_of sd)"
wait_for "systemd boots to 'running'" 30 sd_running "$sid"
spid=$(pid_of "$sid")
in_ct "$sid" reboot >/dev/null 2>&1
wait_for "reboot inside restarts it (on-reboot)" 30 restarted "$sid" "$spid"
expect_eq "reboot: poststop then a fresh prestart" "prestart poststop prestart" "$(order_of sd)"
expect_match "reboot: poststop got CONTAINER_ACTION=reboot" CONTAINER_ACTION=reboot \
	"$(cat "$REC/sd/poststop.env")"
expect_eq "reboot: poststop state stopped" stopped "$(jqf .status "$REC/sd/poststop.state")"
wait_for "after the reboot systemd is 'running' again" 30 sd_running "$sid"
expect_ok "stop the systemd container" isula stop "$sid"
expect_match "stop: poststop got CONTAINER_ACTION=shutdown" CONTAINER_ACTION=shutdown \
	"$(cat "$REC/sd/poststop.env")"
isula rm -f "$sid" >/dev/null 2>&1

assert_no_leftovers
it_finish
