#!/usr/bin/env bash
# authz-broker on its own (no daemon): the seed's example policies over /isulad.auth and the
# Docker AuthZ endpoints, reloads (file change, rename-over, SIGHUP), malformed lines, bad and
# slow clients, many connections, the pid file and a clean stop.
source "$(dirname "$0")/lib.sh"
it_setup

BROKER=$BIN/authz-broker
POLICIES=$REPO/policies/authz-broker
[ -x "$BROKER" ] || it_abort "build first: no $BROKER"
B_DIR=$IT_TMP/broker
mkdir -p "$B_DIR/etc"
POLICY=$B_DIR/etc/policy.json
SOCK=$B_DIR/run/plugins/authz-broker.sock
PIDF=$B_DIR/authz.pid
BLOG=$B_DIR/broker.log
BERR=$B_DIR/broker.err
B_PID=

broker_up() { curl -sf --max-time 2 --unix-socket "$SOCK" -X POST http://x/Plugin.Activate; }

# start_broker: a broker on $SOCK with $POLICY; B_PID its pid.
start_broker() {
	"$BROKER" --policy-file "$POLICY" --socket "$SOCK" --pid-file "$PIDF" --log "$BLOG" \
		2>>"$BERR" &
	B_PID=$!
	wait_for "broker answers on its socket" 5 broker_up
}

stop_broker() {
	[ -n "$B_PID" ] || return 0
	kill -TERM "$B_PID" 2>/dev/null
	poll 5 broker_gone || kill -KILL "$B_PID" 2>/dev/null
	wait "$B_PID" 2>/dev/null
	B_PID=
}
broker_gone() { ! kill -0 "$B_PID" 2>/dev/null; }
it_on_cleanup 'stop_broker'

# auth USER:ACTION → the status code of /isulad.auth.
auth() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 3 --unix-socket "$SOCK" \
		--data-binary "$1" http://x/isulad.auth
}
expect_auth() { expect_eq "$1: /isulad.auth $2" "$3" "$(auth "$2")"; }
auth_is() { [ "$(auth "$1")" = "$2" ]; }

# authz_req USER METHOD URI → the answer's Allow.
authz_req() {
	curl -s --max-time 3 --unix-socket "$SOCK" -H 'Content-Type: application/json' \
		--data-binary "{\"User\":\"$1\",\"RequestMethod\":\"$2\",\"RequestUri\":\"$3\"}" \
		http://x/AuthZPlugin.AuthZReq |
		python3 -c 'import json,sys; print(str(json.load(sys.stdin)["Allow"]).lower())'
}
expect_req() { expect_eq "$1: AuthZReq $2 $3 $4" "$5" "$(authz_req "$2" "$3" "$4")"; }

log_has() { grep -qF -- "$1" "$BLOG"; }

# ---------------------------------------------------------------- the seed's examples
cp "$POLICIES/policy.json" "$POLICY"
start_broker
expect_eq "Plugin.Activate" '{"Implements":["authz"]}' "$(broker_up)"
expect_eq "AuthZRes always allows" '{"Allow":true}' \
	"$(curl -s --unix-socket "$SOCK" -d '{}' http://x/AuthZPlugin.AuthZRes)"
expect_eq "socket is 0660" 660 "$(stat -c %a "$SOCK")"
expect_eq "socket directory is 0750" 750 "$(stat -c %a "$(dirname "$SOCK")")"
expect_eq "pid file holds the broker's pid" "$B_PID" "$(cat "$PIDF")"
expect_auth "default policy" alice:container_create 200
expect_auth "default policy" nobody:image_delete 200
expect_req "default policy" bob POST /v1.41/containers/create true
expect_ok "decision logged with user, action, policy, result" \
	grep -qF 'user="nobody" action="image_delete" method=- policy=policy_root result=allow' "$BLOG"
stop_broker

cp "$POLICIES/example-all-users.json" "$POLICY"
start_broker
expect_auth "policy_0 (all users)" alice:container_delete 200
expect_auth "policy_0 (all users)" bob:docker_info 200
expect_auth "policy_0 (all users)" unknown:pull 200
stop_broker

cp "$POLICIES/example-user-list.json" "$POLICY"
start_broker
expect_auth "policy_3 (user list)" alice:container_create 200
expect_auth "policy_3 (user list)" bob:container_create 200
expect_auth "policy_3 (user list)" alice:container_delete 403
expect_auth "policy_3 (user list)" bob:container_list 403
expect_auth "policy_3 (user list)" unknown:container_create 404
expect_req "policy_3 (user list)" alice POST /v1.41/containers/create?name=x true
expect_req "policy_3 (user list)" alice GET /v1.41/containers/json false
expect_req "policy_3 (user list)" unknown POST /containers/create false
stop_broker

cp "$POLICIES/example-one-user.json" "$POLICY"
start_broker
expect_auth "policy_4 (one user)" service_account:container_logs 200
expect_auth "policy_4 (one user)" service_account:container_top 200
expect_auth "policy_4 (one user)" service_account:container_create 403
expect_auth "policy_4 (one user)" alice:container_logs 404
expect_auth "policy_4 (one user)" bob:container_top 404
expect_req "policy_4 (one user)" service_account GET /containers/c1/logs?follow=1 true
expect_req "policy_4 (one user)" service_account DELETE /containers/c1 false
stop_broker

cp "$POLICIES/example-readonly.json" "$POLICY"
start_broker
expect_req "policy_5 (readonly regex)" alice GET /v1.41/containers/json true
expect_req "policy_5 (readonly regex)" alice GET /containers/c1/logs true
expect_req "policy_5 (readonly regex)" alice POST /v1.41/containers/create false
expect_req "policy_5 (readonly regex)" alice POST /containers/c1/stop false
expect_req "policy_5 (readonly regex)" alice GET /images/json false
expect_req "policy_5 (readonly regex)" bob GET /containers/json false
expect_auth "policy_5 (readonly: no method on isulad.auth)" alice:container_list 403
# isulad sends the request's method beside: a readonly policy then allows GETs only.
auth_m() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 --unix-socket "$SOCK" \
	-H "X-Request-Method: $1" --data-binary "$2" http://x/isulad.auth; }
expect_eq "policy_5: isulad.auth with X-Request-Method GET" 200 "$(auth_m GET alice:container_list)"
expect_eq "policy_5: isulad.auth with X-Request-Method POST" 403 "$(auth_m POST alice:container_create)"
expect_eq "policy_5: a method that is no token counts as none" 403 "$(auth_m 'GET;x' alice:container_list)"
expect_auth "policy_5 (readonly regex)" bob:container_list 404
expect_ok "readonly denial logged" \
	grep -qF "method=POST policy=policy_5 result=deny via=AuthZReq" "$BLOG"

# ---------------------------------------------------------------- reloads
printf '%s\n' '{"name":"edited","users":["alice"],"actions":["^image_"]}' >"$POLICY"
wait_for "live edit of the file takes effect" 5 auth_is alice:image_list 200
expect_auth "live edit: the old policy is gone" alice:container_list 403
tmp=$B_DIR/etc/.policy.json.tmp
printf '%s\n' '{"name":"renamed","users":["bob"],"actions":["container_(create|start)"]}' >"$tmp"
mv "$tmp" "$POLICY"
wait_for "an editor's rename-over takes effect" 5 auth_is bob:container_start 200
expect_auth "rename-over: alice no longer named" alice:image_list 404

# Written through a hard link elsewhere: the watched directory sees nothing, SIGHUP reloads.
mkdir -p "$B_DIR/other"
ln "$POLICY" "$B_DIR/other/link"
printf '%s\n' '{"name":"hup","users":["carol"],"actions":[""]}' >"$B_DIR/other/link"
expect_auth "before SIGHUP the policies are unchanged" carol:container_list 404
kill -HUP "$B_PID"
wait_for "SIGHUP reloads the policies" 5 auth_is carol:container_list 200
expect_ok "SIGHUP reload logged" log_has "SIGHUP: 1 policies from $POLICY"

printf '%s\n' \
	'{"name":"good1","users":["bob"],"actions":["container_list"]}' \
	'{"name":"bad","users":["alice"],"actions":[""],' \
	'{"name":"badre","users":["alice"],"actions":["(container"]}' \
	'' \
	'{"name":"good2","users":["carol"],"actions":["image_list"]}' >"$POLICY"
wait_for "malformed lines: the rest loads" 5 auth_is carol:image_list 200
expect_ok "malformed line reported with its number" log_has "line 2: not JSON"
expect_ok "bad regex reported with its line number" \
	log_has 'line 3: action pattern "(container" is not a regular expression'
expect_auth "a malformed line never allows" alice:container_list 404
expect_auth "good lines around it apply" bob:container_list 200

rm -f "$B_DIR/other/link" "$POLICY"
wait_for "unreadable file logged" 5 log_has "the previous policies stay in force"
expect_auth "unreadable file: previous policies kept" bob:container_list 200
cp "$POLICIES/example-user-list.json" "$POLICY"
wait_for "file back: reloaded" 5 auth_is alice:container_create 200

# ---------------------------------------------------------------- bad requests
expect_auth "no colon" alicecontainer_create 400
expect_auth "two colons" alice:container:create 400
expect_auth "empty user" :container_create 400
expect_eq "empty body" 400 "$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" \
	-X POST http://x/isulad.auth)"
big=$(head -c 5000 /dev/zero | tr '\0' a)
expect_eq "body over 4 KiB: 413" 413 "$(auth "alice:$big")"
expect_eq "malformed JSON to AuthZReq" 400 "$(curl -s -o /dev/null -w '%{http_code}' \
	--unix-socket "$SOCK" --data-binary '{"User":' http://x/AuthZPlugin.AuthZReq)"
expect_eq "deep JSON to AuthZReq" 400 "$(python3 -c 'print("["*1000 + "]"*1000)' |
	curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" --data-binary @- \
		http://x/AuthZPlugin.AuthZReq)"
expect_eq "AuthZReq without RequestMethod" 400 "$(curl -s -o /dev/null -w '%{http_code}' \
	--unix-socket "$SOCK" --data-binary '{"User":"alice","RequestUri":"/x"}' \
	http://x/AuthZPlugin.AuthZReq)"
expect_eq "AuthZReq over 1 MiB" 413 "$(head -c 1100000 /dev/zero | tr '\0' ' ' |
	curl -s -o /dev/null -w '%{http_code}' --unix-socket "$SOCK" --data-binary @- \
		http://x/AuthZPlugin.AuthZReq)"
expect_eq "unknown endpoint" 404 "$(curl -s -o /dev/null -w '%{http_code}' \
	--unix-socket "$SOCK" http://x/nothing)"
expect_auth "still serving after bad requests" alice:container_create 200

# ---------------------------------------------------------------- slow and many clients
# Clients that send half a request and stop (each holds its connection), then 1000 at once.
cat >"$B_DIR/clients.py" <<'PY'
import socket, sys, time
path, mode, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def conn():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(path)
    return s
if mode == "half":
    socks = [conn() for _ in range(n)]
    for s in socks:
        s.sendall(b"POST /isulad.auth HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\nali")
    print("ready", flush=True)
    time.sleep(30)
    sys.exit(0)
import resource
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
# Alternately an allowed request and a denied one (a user no policy names).
def req(body):
    return b"POST /isulad.auth HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
reqs = [req(b"alice:container_create"), req(b"zed:container_create")]
socks = [conn() for _ in range(n)]
for i, s in enumerate(socks):
    s.sendall(reqs[i % 2])
got = {True: [0, 0, 0], False: [0, 0, 0]}  # allowed?: [200, 4xx (a denial), other]
for i, s in enumerate(socks):
    data = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        data += b
    k = 0 if data.startswith(b"HTTP/1.1 200") else 1 if data.startswith(b"HTTP/1.1 4") else 2
    got[i % 2 == 0][k] += 1
    s.close()
print("allowed 200=%d 4xx=%d other=%d; denied 200=%d 4xx=%d other=%d" % (*got[True], *got[False]))
PY
python3 "$B_DIR/clients.py" "$SOCK" half 20 >"$B_DIR/half.out" 2>&1 &
HALF_PID=$!
it_on_cleanup 'kill $HALF_PID 2>/dev/null'
wait_for "20 clients stuck mid-request" 5 grep -q ready "$B_DIR/half.out"
t0=$(now_us)
expect_auth "others served while clients stall mid-request" alice:container_create 200
expect_ok "served in under a second" test $(($(now_us) - t0)) -lt 1000000
expect_eq "1000 concurrent connections: each answered as the policy says, none allowed by mistake" \
	"allowed 200=500 4xx=0 other=0; denied 200=0 4xx=500 other=0" \
	"$(timeout 60 python3 "$B_DIR/clients.py" "$SOCK" many 1000)"
kill "$HALF_PID" 2>/dev/null
wait "$HALF_PID" 2>/dev/null

# ---------------------------------------------------------------- pid file, stop, restart
expect_fail "a second broker is refused by the pid file" "another authz-broker is running" \
	"$BROKER" --policy-file "$POLICY" --socket "$SOCK" --pid-file "$PIDF"
expect_auth "the first broker still serves" alice:container_create 200
expect_fail "an unreadable policy file stops the start" "cannot read policy file" \
	"$BROKER" --policy-file "$B_DIR/none.json" --socket "$B_DIR/s2.sock" \
	--pid-file "$B_DIR/p2.pid"
expect_fail "unknown flag" "unknown flag" "$BROKER" --nope
kill -KILL "$B_PID"
wait "$B_PID" 2>/dev/null
expect_ok "SIGKILL leaves a stale socket" test -S "$SOCK"
start_broker
expect_auth "a stale socket is replaced" alice:container_create 200
kill -TERM "$B_PID"
wait_for "SIGTERM stops the broker" 5 broker_gone
wait "$B_PID" 2>/dev/null
B_PID=
expect_ok "SIGTERM removes the socket" test ! -e "$SOCK"
expect_ok "SIGTERM removes the pid file" test ! -e "$PIDF"
found=$(grep -E -m 5 -A 12 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$BERR")
expect_eq "broker ran clean under the sanitizers" "" "$found"

it_finish
