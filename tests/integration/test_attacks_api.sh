#!/usr/bin/env bash
# Attacks on the API server, each performed for real against a private daemon (security
# review §1.2, §1.3, §2.1-§2.4): deeply nested JSON (bodies, filters, answers to the client),
# connection exhaustion and the select() fd ceiling, idle connections, bodies sent where none
# is taken, aborted attach/exec upgrades, caller identity in the log, and daemon.json keys
# asking for protection the daemon does not have.
#
# ATTACKS="json body upgrade log conn conf" (any subset) runs only those sections.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
want() { [ -z "${ATTACKS:-}" ] || [[ " $ATTACKS " == *" $1 "* ]]; }

ATTACK=$IT_LIB_DIR/helpers/api_attack.py
# The system python: it starts fast (a version manager's shim may take seconds), and user
# nobody can run it.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
attack() { timeout 120 "$PY" "$ATTACK" "$@"; }
# field KEY LINE: the value of KEY=... in a result line of the helper.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2" | head -n 1; }
daemon_pid() { echo "${DAEMON_PID[$CUR_DAEMON]}"; }
fd_count() { ls "/proc/$(daemon_pid)/fd" 2>/dev/null | wc -l; }
daemon_log() { cat "$GRAPH/isulad.log" 2>/dev/null; }
alive_and_answering() { daemon_alive "$CUR_DAEMON" && "$ISULA" version >/dev/null 2>&1; }

start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

isula run -d --name deep --external-rootfs "$BB" none sleep 1000 >/dev/null ||
	fail "run a container for the exec and attach routes"

# ------------------------------------------------------------- §2.1 deeply nested JSON
if want json; then
# 200000 levels in a 400 KB body (E2): yajl_tree_free recursed once per level and overflowed
# the 256 KiB connection thread.
for route in /v1.41/containers/create /v1.41/containers/any/update; do
	r=$(attack deep-post "$SOCK" "$route" 200000)
	expect_match "deep JSON body to $route: 400 naming the limit" "status=400" "$r"
	expect_match "deep JSON body to $route: the message names the 64-level limit" \
		"deeper than 64 levels" "$r"
done
r=$(attack deep-post "$SOCK" /v1.41/containers/deep/exec 200000)
expect_match "deep JSON body to exec create: 400 naming the limit" "deeper than 64 levels" "$r"
eid=$(field id "$(attack request "$SOCK" POST /v1.41/containers/deep/exec '{"Cmd":["true"]}')")
r=$(attack deep-post "$SOCK" "/v1.41/exec/$eid/start" 200000)
expect_match "deep JSON body to exec start: 400 naming the limit" "deeper than 64 levels" "$r"
r=$(attack deep-get "$SOCK" "/v1.41/containers/json?all=1" 12000)
expect_match "GET /containers/json?filters=[[[... (24 KB): 400" "status=400" "$r"
expect_match "GET /containers/json deep filters: the message names the limit" \
	"deeper than 64 levels" "$r"
r=$(attack deep-get "$SOCK" "/v1.41/events?since=0&until=1" 12000)
expect_match "GET /events?filters=[[[... (24 KB): 400" "status=400" "$r"
r=$(attack deep-post "$SOCK" /v1.41/containers/create 63)
if [[ "$r" == *status=* && "$r" != *deeper* ]]; then
	pass "a body exactly at the limit (64 levels) is parsed"
else
	fail "a body exactly at the limit (64 levels) is parsed" "$r"
fi
expect_ok "the daemon survived every deep document" alive_and_answering

# The client bounds its parse of the daemon's answers too: a fake daemon answers 3 million
# levels (enough for the client's 8 MiB stack); the client reports an error, no crash.
mkdir -p "$IT_TMP/fake"
"$PY" "$ATTACK" fake-daemon "$IT_TMP/fake/sock" 3000000 "$IT_TMP/fake/ready" &
fake_pid=$!
it_on_cleanup "kill $fake_pid 2>/dev/null"
poll 20 test -e "$IT_TMP/fake/ready"
for cmd in "inspect x" "ps" "version"; do
	# shellcheck disable=SC2086
	ISULAD_HOST=unix://$IT_TMP/fake/sock timeout 30 "$ISULA" $cmd >/dev/null 2>&1
	rc=$?
	if [ "$rc" -ge 128 ] && [ "$rc" -ne 124 ]; then
		fail "isula $cmd against a daemon answering 3M levels does not crash" "exit code $rc"
	else
		pass "isula $cmd against a daemon answering 3M levels does not crash (exit $rc)"
	fi
done
kill "$fake_pid" 2>/dev/null
wait "$fake_pid" 2>/dev/null
fi

# --------------------------------------------------- §2.3 bodies refused before reading
if want body; then
# 32 MiB to a route that does not exist (E9): answered from the headers, the body not read
# (and so nothing spooled to the graph dir).
used_before=$(du -sk "$GRAPH" | cut -f1)
for m in PUT POST; do
	r=$(attack big-body "$SOCK" "$m" /v1.41/nope $((32 << 20)))
	expect_match "$m 32 MiB to /v1.41/nope: 404" "status=404" "$r"
	expect_eq "$m 32 MiB to /v1.41/nope: answered before the body was taken" 0 \
		"$(field whole "$r")"
done
r=$(attack big-body "$SOCK" POST /v1.41/containers/create $((32 << 20)))
expect_match "POST 32 MiB (Content-Length) to create: 413 from the headers" "status=413" "$r"
expect_eq "POST 32 MiB to create: answered before the body was taken" 0 "$(field whole "$r")"
r=$(attack big-body "$SOCK" POST /v1.41/containers/create $((32 << 20)) 1)
expect_eq "chunked POST of 32 MiB to create: cut off before the end" 0 "$(field whole "$r")"
r=$(attack big-body "$SOCK" POST /v1.41/containers/deep/start $((1 << 20)))
expect_match "a body to a route that takes none: 400" "status=400" "$r"
expect_match "a body to a route that takes none: says so" "takes no request body" "$r"
expect_eq "a body to a route that takes none: not read" 0 "$(field whole "$r")"
r=$(attack big-body "$SOCK" PUT /v1.41/containers/deep/json $((32 << 20)))
expect_match "PUT to a GET route: 405 without reading" "status=405" "$r"
used_after=$(du -sk "$GRAPH" | cut -f1)
if [ $((used_after - used_before)) -lt 1024 ]; then
	pass "nothing spooled in the graph dir ($used_before KiB -> $used_after KiB)"
else
	fail "nothing spooled in the graph dir" "$used_before KiB -> $used_after KiB"
fi
expect_ok "isula cp (a PUT that takes an archive) still works" \
	isula cp "$ATTACK" deep:/tmp/api_attack.py
expect_ok "the daemon is fine after the big bodies" alive_and_answering
fi

# ------------------------------------------------- §2.4 aborted attach / exec upgrades
if want upgrade; then
# E10: each attach (or exec start) whose client left before the 101 leaked its log reader
# (inotify fd), console lease, exec pipes and a container reference.
isula run -tid --name tty --external-rootfs "$BB" none sh >/dev/null || fail "run a -t container"
base=$(fd_count)
it_log "daemon fds before the aborted upgrades: $base"
back_to_base() { [ "$(fd_count)" -le $((base + 2)) ]; }
r=$(attack upgrade-status "$SOCK" "/v1.41/containers/deep/attach?stream=1&stdout=1")
expect_match "a normal attach gets its 101" "status=101" "$r"
wait_for "a finished attach gives back its fds" 30 back_to_base
attack abort-upgrades "$SOCK" "/v1.41/containers/deep/attach?stream=1&stdout=1&stderr=1" 50 \
	>/dev/null
attack abort-exec-starts "$SOCK" deep 50 >/dev/null
attack abort-upgrades "$SOCK" "/v1.41/containers/tty/attach?stream=1&stdin=1&stdout=1" 20 \
	>/dev/null
wait_for "50 aborted attaches + 50 aborted exec starts: daemon fds back to ~$base" 60 \
	back_to_base || it_log "daemon fds now: $(fd_count)"
tty_attach_ok() {
	[[ "$("$PY" "$ATTACK" upgrade-status "$SOCK" \
		"/v1.41/containers/tty/attach?stream=1&stdout=1")" == *status=101* ]]
}
wait_for "a -t container can be attached after 20 aborted attaches (console lease released)" \
	30 tty_attach_ok
wait_for "... and again (the finished attach released it too)" 30 tty_attach_ok
expect_ok "the daemon is fine after the aborted upgrades" alive_and_answering
fi

# ----------------------------------------------------- §1.2 caller identity in the log
if want log; then
r=$(attack whoami-request "$SOCK" /v1.41/version)
pid=$(field pid "$r")
wait_for "a request as root is logged with uid, user and pid" 10 \
	grep -qF "api: GET /v1.41/version -> 200 (uid=0 user=root pid=$pid)" "$GRAPH/isulad.log"
chmod 0711 "$IT_TMP" "$IT_TMP/daemon-main"
chmod 0666 "$SOCK"
r=$(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups \
	"$PY" - whoami-request "$SOCK" /v1.41/_ping <"$ATTACK" 2>&1)
chmod 0660 "$SOCK"
chmod 0700 "$IT_TMP"
expect_match "a request as nobody is answered (socket opened up for the test)" "status=200" "$r"
pid=$(field pid "$r")
uid=$(id -u nobody)
wait_for "a request as nobody is logged as uid $uid, user nobody, its pid" 10 \
	grep -qF "api: GET /v1.41/_ping -> 200 (uid=$uid user=nobody pid=$pid)" "$GRAPH/isulad.log"
attack request "$SOCK" GET "/v1.41/containers/a%0aforged%20line/json" >/dev/null
if grep -q '^forged line' "$GRAPH/isulad.log"; then
	fail "a newline in the URL cannot forge a log line"
else
	pass "a newline in the URL cannot forge a log line"
fi
fi

# ------------------------------------- §2.2 idle connections and the select() ceiling
if want conn; then
# E5: 1100 idle connections; fds >= 1024 were never served with select().
r=$(attack idle-then "$SOCK" 1100 "$ISULA" version)
expect_eq "isula version answers with 1100 idle connections open" 0 "$(field rc "$r")"
expect_eq "the 1100 idle connections were all taken" 1100 "$(field still_open "$r")"
expect_ok "the daemon is fine after 1100 connections" alive_and_answering

# E5b: a daemon that starts with fds 3..1100 open (as one restoring ~1000 containers has
# pidfds) must still listen: its listening socket and MHD's own fds are all >= 1024.
# Its soft open-files limit starts at 1200 (enough for those fds): the daemon raises it to
# the hard limit.
cat >"$IT_TMP/isulad-with-fds" <<EOF
#!/bin/bash
ulimit -Sn 1200 || exit 1
exec "$PY" "$ATTACK" exec-with-fds 1100 "$ISULAD" "\$@"
EOF
chmod +x "$IT_TMP/isulad-with-fds"
real_isulad=$ISULAD
ISULAD=$IT_TMP/isulad-with-fds
start_daemon fds && pass "a daemon started with fds 3..1100 open comes up"
ISULAD=$real_isulad
if daemon_alive fds; then
	expect_ok "it answers isula version" isula version
	n=$(ls "/proc/$(daemon_pid)/fd" | wc -l)
	[ "$n" -gt 1100 ] && pass "it really runs with $n fds" || fail "it really runs with >1100 fds" "$n"
	expect_ok "it runs a container" isula run -d --external-rootfs "$BB" none true
	lim=$(awk '/^Max open files/ { print $4 " " $5 }' "/proc/$(daemon_pid)/limits")
	expect_eq "it raised its soft open-files limit (1200) to the hard one" \
		"$(ulimit -Hn) $(ulimit -Hn)" "$lim"
	isula run -d --name nofile --external-rootfs "$BB" none sleep 1000 >/dev/null
	expect_eq "... but its containers keep the limit it was given (1200)" 1200 \
		"$(isula exec nofile sh -c 'ulimit -n' 2>&1)"
	isula rm -f nofile >/dev/null
	stop_daemon fds
fi

# Idle timeout (daemon.json "api-idle-timeout"). Streams started before an idle probe
# connection must outlive it: wait, events, logs -f and attach stay silent for longer than the
# timeout and are not cut.
mkdir -p "$IT_TMP/daemon-tmo"
echo '{"api-idle-timeout": "2s"}' >"$IT_TMP/daemon-tmo/daemon.json"
start_daemon tmo || it_abort "a daemon with a 2 s idle timeout must start"
isula run -d --name quiet --external-rootfs "$BB" none sh -c 'echo started; sleep 1000' \
	>/dev/null || fail "run quiet"
isula wait quiet >"$IT_TMP/wait.out" 2>&1 &
wait_pid=$!
isula events --since 0 >"$IT_TMP/events.out" 2>&1 &
events_pid=$!
isula logs -f quiet >"$IT_TMP/logs.out" 2>&1 &
logs_pid=$!
isula attach quiet </dev/null >"$IT_TMP/attach.out" 2>&1 &
attach_pid=$!
it_on_cleanup "kill $wait_pid $events_pid $logs_pid $attach_pid 2>/dev/null"
# Each follower is connected (and answered) before the probe connection is opened.
wait_for "the followers are connected" 30 bash -c "
	grep -q 'containers/quiet/wait -> 200' '$GRAPH/isulad.log' &&
	grep -q 'attach -> 101' '$GRAPH/isulad.log' &&
	grep -q started '$IT_TMP/logs.out' && grep -q ' start ' '$IT_TMP/events.out'"
r=$(attack idle-closed "$SOCK" 60)
expect_eq "an idle connection is closed by the daemon (2 s idle timeout)" 1 "$(field closed "$r")"
it_log "idle connection closed after $(field seconds "$r") s"
for p in "wait:$wait_pid" "events:$events_pid" "logs:$logs_pid" "attach:$attach_pid"; do
	if kill -0 "${p#*:}" 2>/dev/null; then
		pass "isula ${p%%:*}, silent for longer than the idle timeout, is not cut"
	else
		fail "isula ${p%%:*}, silent for longer than the idle timeout, is not cut" \
			"$(cat "$IT_TMP/${p%%:*}.out" 2>/dev/null)"
	fi
done
isula kill quiet >/dev/null
wait_for "the wait that outlived the idle timeout gets the exit code" 20 \
	grep -qx 137 "$IT_TMP/wait.out"
wait_for "the events follower that outlived the idle timeout gets the die event" 20 \
	grep -q " die " "$IT_TMP/events.out"
r=$(attack request "$SOCK" GET /v1.41/_ping)
expect_match "the daemon with the idle timeout answers" "status=200" "$r"
kill "$events_pid" "$logs_pid" "$attach_pid" 2>/dev/null
wait "$wait_pid" "$events_pid" "$logs_pid" "$attach_pid" 2>/dev/null
stop_daemon tmo

# Connection limit (daemon.json "api-max-connections"): over it, connections are closed at
# accept; the daemon answers again once they are gone.
mkdir -p "$IT_TMP/daemon-lim"
echo '{"api-max-connections": 40}' >"$IT_TMP/daemon-lim/daemon.json"
start_daemon lim || it_abort "a daemon with a connection limit of 40 must start"
r=$(attack limit "$SOCK" 60 20)
closed=$(field closed "$r")
if [ "${closed:-0}" -ge 15 ] && [ "${closed:-0}" -le 25 ]; then
	pass "connections over api-max-connections (40) are closed at once ($closed of 60)"
else
	fail "connections over api-max-connections (40) are closed at once" "$r"
fi
wait_for "after they are gone the daemon answers again" 20 isula version
stop_daemon lim
fi

# ------------- §1.3 authorization: only the authz-broker plugin; fail-closed while it is down
if want conf; then
refuse_conf() {
	local name=$1 json=$2 pat=$3 d
	d=$IT_TMP/conf-$name
	mkdir -p "$d"
	echo "$json" >"$d/daemon.json"
	run_capture timeout 20 "$ISULAD" -g "$d/graph" -S "$d/state" -H "unix://$d/sock" \
		--cgroup-parent "$IT_CGPARENT" --config-file "$d/daemon.json"
	if [ "$LAST_RC" -ne 0 ] && [ "$LAST_RC" -ne 124 ] && [[ "$LAST_OUT" == *"$pat"* ]]; then
		pass "daemon.json $json: refuses to start ($pat)"
	else
		fail "daemon.json $json: refuses to start ($pat)" "exit $LAST_RC" "$LAST_OUT"
	fi
}
refuse_conf authz '{"authorization-plugin": "authz"}' "Invalid authorization plugin 'authz'"
# TLS is implemented: test_tls.sh checks its keys (and that bad certificates stop the daemon).
refuse_conf seed '{"authorization-plugin":"opa","tls":true,"tlsverify":true,"tls-config":{"CertFile":"/c"}}' \
	"Invalid authorization plugin 'opa'"
# "authz-broker" is accepted; with no broker on its socket every request is denied (never an
# open daemon). test_authz_daemon.sh checks the rest with a real broker.
d=$IT_TMP/conf-authzup
mkdir -p "$d"
printf '{"authorization-plugin": "authz-broker", "authorization-plugin-socket": "%s"}\n' \
	"$d/none.sock" >"$d/daemon.json"
"$ISULAD" -g "$d/graph" -S "$d/state" -H "unix://$d/sock" --cgroup-parent "$IT_CGPARENT" \
	--config-file "$d/daemon.json" --cni-conf-dir "$d/cni" --bridge none >"$d/out" 2>&1 </dev/null &
AZ_PID=$!
it_on_cleanup "kill -TERM $AZ_PID 2>/dev/null; wait $AZ_PID 2>/dev/null"
az_denied() {
	curl -s --max-time 5 --unix-socket "$d/sock" http://x/containers/json 2>/dev/null |
		grep -qF "authorization denied by plugin authz-broker: Failed to request authz plugin. Is server running ?"
}
wait_for "daemon.json authorization-plugin authz-broker: starts, and denies while no broker answers" 10 az_denied
kill -TERM "$AZ_PID" 2>/dev/null
wait "$AZ_PID" 2>/dev/null
bad_limit() {
	local name=$1 json=$2 pat=$3 d=$IT_TMP/conf-$1
	mkdir -p "$d"
	echo "$json" >"$d/daemon.json"
	expect_fail "daemon.json $json: refused" "$pat" timeout 20 "$ISULAD" -g "$d/graph" \
		-S "$d/state" -H "unix://$d/sock" --cgroup-parent "$IT_CGPARENT" \
		--config-file "$d/daemon.json"
}
bad_limit maxc0 '{"api-max-connections": 0}' '"api-max-connections": 0: expected 1..1000000'
bad_limit maxcs '{"api-max-connections": "9"}' '"api-max-connections": expected an integer'
bad_limit idle '{"api-idle-timeout": "soon"}' '"api-idle-timeout": soon: expected a duration'
bad_limit idlems '{"api-idle-timeout": "1500ms"}' '"api-idle-timeout": 1500ms'
mkdir -p "$IT_TMP/daemon-off"
echo '{"authorization-plugin": "", "tls": false, "tlsverify": false, "tls-verify": false, "tls-config": {}}' \
	>"$IT_TMP/daemon-off/daemon.json"
start_daemon off && pass "daemon.json with authz/TLS turned off or empty: starts"
daemon_alive off && stop_daemon off
fi

it_finish
