#!/usr/bin/env bash
# isulad with "authorization-plugin": "authz-broker" (issue 13): every API request is asked to
# an authz-broker (a temp socket and policy file) as "user:action" before it runs. Root over the
# unix socket (peer credentials), alice and bob over TCP+TLS (the certificate's CN); a policy
# edit takes effect at once; a stopped broker denies everything without hanging the daemon; the
# Docker CLI sees the message; an unknown plugin name stops the daemon.
# A non-root user in the socket's group (-G), with two throw-away accounts.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tls_lib.sh"
it_setup

BROKER=$BIN/authz-broker
[ -x "$BROKER" ] || it_abort "build first: no $BROKER"

# ------------------------------------------------------------------------------- broker
B_DIR=$IT_TMP/broker
mkdir -p "$B_DIR"
POLICY=$B_DIR/policy.json
BSOCK=$B_DIR/run/authz-broker.sock
BLOG=$B_DIR/broker.log
B_PID=
broker_up() { curl -sf --max-time 2 --unix-socket "$BSOCK" -X POST http://x/Plugin.Activate >/dev/null; }
start_broker() {
	"$BROKER" --policy-file "$POLICY" --socket "$BSOCK" --pid-file "$B_DIR/pid" \
		--log "$BLOG" 2>>"$B_DIR/broker.err" &
	B_PID=$!
	wait_for "broker answers on its socket" 5 broker_up
}
broker_gone() { ! kill -0 "$B_PID" 2>/dev/null; }
stop_broker() {
	[ -n "$B_PID" ] || return 0
	kill -TERM "$B_PID" 2>/dev/null
	poll 5 broker_gone || kill -KILL "$B_PID" 2>/dev/null
	wait "$B_PID" 2>/dev/null
	B_PID=
}
it_on_cleanup 'stop_broker'

# Root may list and ask the version only (start_daemon polls isula version).
cat >"$POLICY" <<'P'
{"name":"root_ro","users":["root"],"actions":["container_list","docker_version","docker_ping"]}
P
start_broker

# write_conf NAME: the daemon.json of daemon NAME, with the plugin on the test's broker.
write_conf() {
	mkdir -p "$IT_TMP/daemon-$1"
	printf '{"authorization-plugin": "authz-broker", "authorization-plugin-socket": "%s"}\n' \
		"$BSOCK" >"$IT_TMP/daemon-$1/daemon.json"
}

# ------------------------------------------------------------- root over the unix socket
write_conf local
start_daemon local || it_abort "the daemon with the authorization plugin must start"
daemon_log() { cat "$GRAPH/isulad.log" 2>/dev/null; }
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

expect_ok "root: isula ps is allowed (container_list)" isula ps
expect_ok "root: isula version is allowed" isula version
expect_fail "root: isula run is refused with the plugin's message" \
	"authorization denied by plugin authz-broker: action 'container_create' for user 'root': permission denied" \
	isula run -d --name az1 --external-rootfs "$BB" none sleep 1000
expect_eq "nothing was created" "" "$(isula ps -a -q)"
run_capture curl -s -o /dev/null -w '%{http_code}' --max-time 10 --unix-socket "$SOCK" \
	-X POST -H 'Content-Type: application/json' -d '{"Image":"none"}' http://x/containers/create
expect_eq "the refusal is a 403" 403 "$LAST_OUT"
run_capture curl -s --max-time 10 --unix-socket "$SOCK" http://x/info
expect_eq "GET /info (docker_info) is refused with a Docker-style JSON message" \
	'{"message":"authorization denied by plugin authz-broker: action '"'"'docker_info'"'"' for user '"'"'root'"'"': permission denied"}' \
	"$LAST_OUT"
expect_match "the daemon logs the denial" "denied by authorization plugin authz-broker" "$(daemon_log)"
expect_match "the broker saw root's container_create" 'user="root" action="container_create"' \
	"$(cat "$BLOG")"

# isula run -d creates and starts in one request (create?start=1): the broker decides the
# start too, so a user who may create but not start gets nothing from run -d.
cat >"$POLICY.new" <<'P'
{"name":"root_create","users":["root"],"actions":["container_list","docker_version","docker_ping","container_create","container_delete"]}
P
mv "$POLICY.new" "$POLICY"
run_refused() {
	run_capture isula run -d --name az0 --external-rootfs "$BB" none sleep 1000
	[ "$LAST_RC" -ne 0 ] && [[ "$LAST_OUT" == *"action 'container_start' for user 'root'"* ]]
}
wait_for "create allowed, start not: isula run -d is refused naming container_start" 10 run_refused
expect_eq "run -d refused for its start created nothing" "" "$(isula ps -a -q)"
expect_ok "isula create alone is allowed" isula create --name az0 --external-rootfs "$BB" none sleep 1000
expect_fail "and its start is refused" "action 'container_start' for user 'root'" isula start az0
expect_ok "az0 removed" isula rm -f az0

# A policy edit is seen by the broker at once: no restart of either.
cat >"$POLICY.new" <<'P'
{"name":"root_rw","users":["root"],"actions":["container_list","docker_version","docker_ping","container_create","container_start","container_inspect","container_delete","container_kill","container_wait","container_attach","container_resize"]}
P
mv "$POLICY.new" "$POLICY"
create_ok() { isula create --name az2 --external-rootfs "$BB" none sleep 1000 >/dev/null 2>&1; }
wait_for "after the policy edit, root may create" 10 create_ok
expect_ok "the created container is listed" isula ps -a
expect_match "ps shows az2" az2 "$LAST_OUT"
expect_ok "and removed (container_delete allowed)" isula rm -f az2

# ------------------------------------------------------------------- broker stopped
stop_broker
expect_fail "broker down: isula ps is refused" \
	"authorization denied by plugin authz-broker: Failed to request authz plugin. Is server running ?" \
	isula ps
run_capture curl -s -w ' %{http_code}' --max-time 10 --unix-socket "$SOCK" http://x/version
expect_match "broker down: a second request (GET /version) is a 403 too" \
	"Failed to request authz plugin. Is server running ?\"} 403" "$LAST_OUT"
start_broker
wait_for "broker back: isula ps works again (the daemon still answers)" 10 isula ps

# A hung broker (stopped, its socket still listening) denies within the timeout.
kill -STOP "$B_PID"
t0=$(now_us)
expect_fail "hung broker: the request is refused" "Is server running" isula ps
t=$((($(now_us) - t0) / 1000))
kill -CONT "$B_PID"
if [ "$t" -lt 8000 ]; then pass "hung broker: refused in ${t} ms (bounded)"; else fail "hung broker: refused in ${t} ms"; fi
wait_for "broker resumed: ps works" 10 isula ps
stop_daemon local

# ------------------------------------------------ a non-root user in the socket's group
# Two throw-away accounts: MEMBER (primary group = the socket's group, -G) and OUTSIDER.
MEMBER=isitm$$ OUTSIDER=isito$$
it_on_cleanup 'userdel "$MEMBER" 2>/dev/null; userdel "$OUTSIDER" 2>/dev/null; groupdel "$MEMBER" 2>/dev/null; groupdel "$OUTSIDER" 2>/dev/null'
if groupadd -r "$MEMBER" && useradd -r -M -N -g "$MEMBER" -s /usr/sbin/nologin "$MEMBER" &&
	groupadd -r "$OUTSIDER" && useradd -r -M -N -g "$OUTSIDER" -s /usr/sbin/nologin "$OUTSIDER"; then
	cat >"$POLICY.new" <<P
{"name":"root_ro","users":["root"],"actions":["container_list","docker_version","docker_ping"]}
{"name":"member_ro","users":["$MEMBER"],"actions":["container_list","docker_version"]}
P
	mv "$POLICY.new" "$POLICY"
	wait_for "the broker has the member's policy" 10 bash -c \
		"[ \"\$(curl -s -o /dev/null -w '%{http_code}' --unix-socket '$BSOCK' --data-binary $MEMBER:container_list http://x/isulad.auth)\" = 200 ]"
	write_conf grp
	start_daemon grp -G "$MEMBER" || it_abort "the daemon with -G must start"
	chmod o+x "$IT_TMP" "$(dirname "$SOCK")"
	expect_eq "the socket: 0660, group $MEMBER" "660 $MEMBER" "$(stat -c '%a %G' "$SOCK")"
	as_user() { local u=$1; shift; setpriv --reuid "$u" --regid "$u" --init-groups \
		env HOME=/nonexistent "$ISULA" -H "unix://$SOCK" "$@"; }
	expect_ok "the member (not root) lists containers: its user name is allowed" as_user "$MEMBER" ps
	expect_fail "the member may not create: refused naming the user" \
		"action 'container_create' for user '$MEMBER': permission denied" \
		as_user "$MEMBER" run -d --external-rootfs "$BB" none true
	expect_match "the broker saw the member's name" "user=\"$MEMBER\" action=\"container_create\"" \
		"$(cat "$BLOG")"
	expect_fail "a user outside the group cannot even connect" "(Permission denied)" \
		as_user "$OUTSIDER" ps
	stop_daemon grp
else
	fail "throw-away accounts $MEMBER/$OUTSIDER could be made (useradd)"
fi

# ------------------------------------------------------------------------ TCP + TLS
C=$IT_TMP/certs
tls_certs "$C" bob alice bob carol

SRV=(--tlsverify --tlscacert "$C/ca.pem" --tlscert "$C/server-cert.pem" --tlskey "$C/server-key.pem")
as() { local who=$1; shift; "$ISULA" -H "$TCP" --tlsverify --tlscacert "$C/ca.pem" \
	--tlscert "$C/$who-cert.pem" --tlskey "$C/$who-key.pem" "$@"; }

cat >"$POLICY.new" <<'P'
{"name":"root_ro","users":["root"],"actions":["container_list","docker_version","docker_ping"]}
{"name":"alice_ro","users":["alice"],"actions":["container_list","container_inspect","docker_version","docker_ping"]}
{"name":"bob_all","users":["bob"],"actions":[""]}
P
mv "$POLICY.new" "$POLICY"
wait_for "the broker has the TLS policies" 10 bash -c \
	"[ \"\$(curl -s -o /dev/null -w '%{http_code}' --unix-socket '$BSOCK' --data-binary bob:image_list http://x/isulad.auth)\" = 200 ]"

write_conf tls
for try in 1 2 3; do
	PORT=$(free_port) || break
	TCP=tcp://127.0.0.1:$PORT
	start_daemon tls -H "$TCP" "${SRV[@]}" && break
	grep -q "Address already in use" "$IT_TMP/daemon-tls/isulad.out" || break
done
daemon_alive tls || it_abort "the TLS daemon with the plugin must start"

expect_ok "alice: ps allowed" as alice ps
expect_fail "alice: run refused, naming alice" \
	"action 'container_create' for user 'alice': permission denied" \
	as alice run -d --name azt --external-rootfs "$BB" none sleep 1000
expect_ok "bob: run allowed" as bob run -d --name azt --external-rootfs "$BB" none sleep 1000
expect_ok "alice: inspect allowed" as alice inspect -f '{{.State.Status}}' azt
expect_eq "alice sees it running" running "$LAST_OUT"
expect_fail "alice: rm refused" "action 'container_delete' for user 'alice'" as alice rm -f azt
expect_fail "alice: exec refused" "for user 'alice': permission denied" as alice exec azt true
expect_ok "bob: exec allowed (a hijacked stream)" as bob exec azt echo hi-bob
expect_eq "bob's exec output" hi-bob "$LAST_OUT"
expect_fail "a self-signed certificate (CN bob) is refused by TLS already" \
	"needs a client certificate signed by its CA" "$ISULA" -H "$TCP" --tlsverify --tlscacert "$C/ca.pem" \
	--tlscert "$C/self-cert.pem" --tlskey "$C/self-key.pem" ps
# carol's certificate is signed by the CA, but no policy names her: nothing is allowed.
expect_fail "carol (no policy): ps refused, naming carol" \
	"action 'container_list' for user 'carol': permission denied" as carol ps
expect_fail "carol: isula version shows the plugin's message, not 'cannot connect'" \
	"authorization denied by plugin authz-broker: action 'docker_version' for user 'carol'" \
	as carol version
expect_ok "alice: isula version allowed" as alice version

# 1000 TLS clients at once (bob allowed, carol denied, interleaved) while 200 more stall
# mid-handshake: every one is answered as its policy says, none allowed by mistake, and isula
# is served meanwhile.
python3 "$IT_LIB_DIR/helpers/tls_flood.py" "$PORT" "$C/ca.pem" "$C" 200 bob:500 carol:500 \
	>"$IT_TMP/flood.out" 2>"$IT_TMP/flood.err" &
FLOOD=$!
it_on_cleanup "kill $FLOOD 2>/dev/null"
flooding() { kill -0 "$FLOOD" 2>/dev/null && as bob ps >/dev/null 2>&1; }
wait_for "while 1200 TLS connections are open, bob's isula ps is answered" 60 flooding
wait_for "the 1000 clients finish" 180 bash -c "! kill -0 $FLOOD 2>/dev/null"
expect_eq "1000 at once: every allowed one answered 200, every denied one 403" \
	"bob 200=500 403=0 other=0
carol 200=0 403=500 other=0" "$(head -2 "$IT_TMP/flood.out"; cat "$IT_TMP/flood.err")"
expect_ok "the daemon still answers after the flood" as bob ps
expect_match "the broker saw CN alice's denied container_create" \
	'user="alice" action="container_create"' "$(cat "$BLOG")"

if [ -x /usr/local/bin/docker ]; then
	DOCKER=(env DOCKER_CONFIG="$IT_TMP/docker" /usr/local/bin/docker -H "$TCP" --tlsverify
		--tlscacert "$C/ca.pem" --tlscert "$C/alice-cert.pem" --tlskey "$C/alice-key.pem")
	expect_ok "docker as alice: ps allowed" "${DOCKER[@]}" ps
	expect_fail "docker as alice: rm refused with the plugin's message" \
		"authorization denied by plugin authz-broker: action 'container_delete' for user 'alice': permission denied" \
		"${DOCKER[@]}" rm -f azt
else
	fail "the Docker CLI is at /usr/local/bin/docker"
fi

# The seed's example policies through the daemon: for each, ps (container_list, read-only)
# and create (container_create) as alice, bob and carol (no policy names her) over TCP+TLS,
# and as root over the unix socket. y = allowed, n = refused by the plugin.
EX=$REPO/policies/authz-broker
# use_policy FILE USER:ACTION: installs FILE, then waits until the broker answers 200 for a
# request only FILE allows.
use_policy() {
	cp "$1" "$POLICY.new" && mv "$POLICY.new" "$POLICY"
	wait_for "the broker has $(basename "$1")" 10 bash -c \
		"[ \"\$(curl -s -o /dev/null -w '%{http_code}' --unix-socket '$BSOCK' -H 'X-Request-Method: GET' --data-binary '$2' http://x/isulad.auth)\" = 200 ]"
}
n_mx=0
# matrix WHO ACTION WANT: WHO alice|bob|carol (TLS) or root (unix socket).
matrix() {
	local who=$1 action=$2 want=$3 cmd
	n_mx=$((n_mx + 1))
	if [ "$action" = ps ]; then cmd=(ps); else cmd=(create --name "mx$n_mx" --external-rootfs "$BB" none true); fi
	if [ "$who" = root ]; then run_capture isula "${cmd[@]}"; else run_capture as "$who" "${cmd[@]}"; fi
	if [ "$want" = y ] && [ "$LAST_RC" = 0 ]; then
		pass "$POLICY_NAME: $who $action allowed"
	elif [ "$want" = n ] && [ "$LAST_RC" != 0 ] && [[ "$LAST_OUT" == *"for user '$who': permission denied"* ]]; then
		pass "$POLICY_NAME: $who $action refused, naming $who"
	else
		fail "$POLICY_NAME: $who $action: want $want" "exit $LAST_RC: $LAST_OUT"
	fi
}
#               policy file            probe                       alice   bob     carol   root
#                                                                  ps cr   ps cr   ps cr   ps cr
while read -r file probe a1 a2 b1 b2 c1 c2 r1 r2; do
	POLICY_NAME=$file
	use_policy "$EX/$file" "$probe"
	matrix alice ps "$a1"; matrix alice create "$a2"
	matrix bob ps "$b1"; matrix bob create "$b2"
	matrix carol ps "$c1"; matrix carol create "$c2"
	matrix root ps "$r1"; matrix root create "$r2"
done <<'M'
example-all-users.json  anyone:anything                y y     y y     y y     y y
example-user-list.json  bob:container_create           n y     n y     n n     n n
example-one-user.json   service_account:container_top  n n     n n     n n     n n
example-readonly.json   alice:container_list           y n     n n     n n     n n
M
use_policy "$EX/example-all-users.json" anyone:anything
isula rm -f $(isula ps -aq --filter name=mx) >/dev/null 2>&1
stop_broker
expect_fail "broker down: bob is refused too" "Is server running" as bob ps
start_broker
wait_for "broker back: bob works" 10 as bob ps
expect_ok "bob: rm -f" as bob rm -f azt
stop_daemon tls

# ------------------------------------------------------------------ configuration errors
d=$IT_TMP/refuse
mkdir -p "$d"
printf '{"authorization-plugin": "opa"}\n' >"$d/daemon.json"
daemon_refuses "an unknown plugin name stops the daemon" \
	"Invalid authorization plugin 'opa'" --config-file "$d/daemon.json"
printf '{"authorization-plugin": "authz-broker", "authorization-plugin-socket": "rel.sock"}\n' >"$d/daemon.json"
daemon_refuses "a relative plugin socket stops the daemon" \
	'invalid "authorization-plugin-socket" "rel.sock"' --config-file "$d/daemon.json"

assert_no_leftovers
it_finish
