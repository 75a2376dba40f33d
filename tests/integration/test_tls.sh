#!/usr/bin/env bash
# TCP+TLS remote access (seed §1.2.3.4, §1.2.3.5, §2.3.11.2): certificates made here with
# openssl (a CA, a server certificate for 127.0.0.1, a client certificate for CN alice, a
# self-signed one); a daemon on the unix socket and tcp with --tlsverify; isula and the Docker
# CLI over it; clients without a CA-signed certificate refused; the caller's CN in the log;
# --tls without verify; tcp without TLS refused unless opted in; bad certificate files.
set -u
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tls_lib.sh"
it_setup

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# ------------------------------------------------------------------------- certificates
C=$IT_TMP/certs
tls_certs "$C" alice alice

SRV=(--tlscacert "$C/ca.pem" --tlscert "$C/server-cert.pem" --tlskey "$C/server-key.pem")
CLI=(--tlsverify --tlscacert "$C/ca.pem" --tlscert "$C/alice-cert.pem" --tlskey "$C/alice-key.pem")
# start_tls NAME ARGS...: start_daemon with -H tcp://127.0.0.1:$PORT, retried on a new port if
# the one picked was taken meanwhile.
start_tls() {
	local name=$1 try
	shift
	for try in 1 2 3; do
		PORT=$(free_port) || return 1
		TCP=tcp://127.0.0.1:$PORT
		if start_daemon "$name" -H "$TCP" "$@"; then
			return 0
		fi
		grep -q "Address already in use" "$IT_TMP/daemon-$name/isulad.out" || return 1
	done
	return 1
}
tisula() { "$ISULA" -H "$TCP" "$@"; }
daemon_log() { cat "$GRAPH/isulad.log" 2>/dev/null; }

# ------------------------------------------------------------------ --tlsverify: mode 1
start_tls main --tlsverify "${SRV[@]}" || it_abort "the TLS daemon must start"
MAIN_TCP=$TCP

expect_ok "isula version over TLS with the CA-signed client certificate" tisula version "${CLI[@]}"
expect_match "version: the server answered" "Server:" "$LAST_OUT"
expect_ok "the flags also go before the command" "$ISULA" "${CLI[@]}" -H "$TCP" ps

BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
expect_ok "run a busybox container over TLS" \
	tisula run -d "${CLI[@]}" --name tlsbb --external-rootfs "$BB" none sleep 1000
expect_ok "ps over TLS" tisula ps "${CLI[@]}"
expect_match "ps lists it" tlsbb "$LAST_OUT"
expect_ok "inspect over TLS" tisula inspect "${CLI[@]}" -f '{{.State.Status}}' tlsbb
expect_eq "it runs" running "$LAST_OUT"
expect_ok "exec over TLS (a hijacked connection)" tisula exec "${CLI[@]}" tlsbb echo hello-tls
expect_eq "exec output" hello-tls "$LAST_OUT"
# stdin's EOF crosses TLS on its own (the process ends), the output still comes back; a few
# MiB both ways at once through the relay arrive whole.
run_capture timeout 20 "$ISULA" -H "$TCP" exec -i "${CLI[@]}" tlsbb sh -c 'cat; echo after-eof' <<<"to-stdin"
expect_eq "exec -i over TLS: stdin, its EOF, then more output" "to-stdin
after-eof" "$LAST_OUT"
head -c 4000000 /dev/urandom >"$IT_TMP/blob"
run_capture sh -c "timeout 60 '$ISULA' -H '$TCP' ${CLI[*]} exec -i tlsbb cat <'$IT_TMP/blob' | md5sum"
expect_eq "4 MB through exec -i over TLS come back whole" \
	"$(md5sum <"$IT_TMP/blob")" "$LAST_OUT"
expect_ok "rm -f over TLS" tisula rm -f "${CLI[@]}" tlsbb
expect_eq "it is gone (seen over the unix socket)" "" "$(isula ps -a -q --no-trunc)"

expect_match "the daemon log names CN alice as the caller" "(tls cn=alice)" "$(daemon_log)"

# Refused in the handshake: the daemon's alert says why, and isula what to do.
NEEDS_CERT="needs a client certificate signed by its CA"
expect_fail "a self-signed client certificate (CN alice too) is refused" \
	"$NEEDS_CERT" tisula ps --tlsverify --tlscacert "$C/ca.pem" --tlscert "$C/self-cert.pem" \
	--tlskey "$C/self-key.pem"
expect_match "... with the daemon's alert" 'TLS alert "Certificate is required"' "$LAST_OUT"
expect_fail "no client certificate is refused" "$NEEDS_CERT" \
	tisula ps --tlsverify --tlscacert "$C/ca.pem"
expect_fail "a server not signed by the client's CA is refused by isula" "TLS handshake" \
	tisula ps --tlsverify --tlscacert "$C/self-cert.pem" --tlscert "$C/alice-cert.pem" \
	--tlskey "$C/alice-key.pem"
expect_fail "plain HTTP to the TLS port gets no answer" "" \
	curl -sf --max-time 10 "http://127.0.0.1:$PORT/version"
expect_ok "curl with the client certificate gets the version" curl -sf --max-time 10 \
	--cacert "$C/ca.pem" --cert "$C/alice-cert.pem" --key "$C/alice-key.pem" "https://127.0.0.1:$PORT/version"
expect_match "version JSON" '"ApiVersion":"1.41"' "$LAST_OUT"
# curl (OpenSSL) sends the self-signed certificate all the same: the daemon checks it.
expect_fail "curl with the self-signed certificate: refused in the handshake" "alert" \
	curl -sS --max-time 10 --cacert "$C/ca.pem" --cert "$C/self-cert.pem" \
	--key "$C/self-key.pem" "https://127.0.0.1:$PORT/containers/json"
# The daemon logs after it answered with the alert: waited for.
logged() { daemon_log | grep -q "$1"; }
wait_for "... logged: the issuer is unknown" 10 logged \
	"TLS client refused (127.0.0.1:[0-9]*): client certificate refused: .*issuer is unknown"
expect_fail "curl without a certificate: refused in the handshake" "alert certificate required" \
	curl -sS --max-time 10 --cacert "$C/ca.pem" "https://127.0.0.1:$PORT/containers/json"
wait_for "the refusal is logged" 10 logged "TLS client refused (127.0.0.1:[0-9]*): no client certificate"

# The seed's default files and environment (mode 1 from ~/.iSulad).
H=$IT_TMP/home
mkdir -p "$H/.iSulad"
cp "$C/ca.pem" "$H/.iSulad/ca.pem" && cp "$C/alice-cert.pem" "$H/.iSulad/cert.pem" &&
	cp "$C/alice-key.pem" "$H/.iSulad/key.pem"
expect_ok "ISULAD_TLS_VERIFY=1 ISULAD_HOST=tcp:// with ~/.iSulad defaults" \
	env HOME="$H" ISULAD_TLS_VERIFY=1 ISULAD_HOST="$TCP" "$ISULA" ps
expect_ok "ISULAD_HOST=IP:PORT (no scheme) too" \
	env HOME="$H" ISULAD_TLS_VERIFY=1 ISULAD_HOST="127.0.0.1:$PORT" "$ISULA" info
rm "$H/.iSulad/cert.pem" "$H/.iSulad/key.pem"
expect_fail "~/.iSulad without cert.pem/key.pem: only the server is verified, refused" \
	"$NEEDS_CERT" env HOME="$H" ISULAD_TLS_VERIFY=1 ISULAD_HOST="$TCP" \
	"$ISULA" ps

if [ -x /usr/local/bin/docker ]; then
	DOCKER=(/usr/local/bin/docker -H "$TCP" --tlsverify --tlscacert "$C/ca.pem" \
		--tlscert "$C/alice-cert.pem" --tlskey "$C/alice-key.pem")
	expect_ok "docker --tlsverify version" env DOCKER_CONFIG="$IT_TMP/docker" "${DOCKER[@]}" version
	expect_match "docker sees the engine" "API version:" "$LAST_OUT"
	expect_ok "docker --tlsverify ps" env DOCKER_CONFIG="$IT_TMP/docker" "${DOCKER[@]}" ps
	expect_fail "docker without a client certificate is refused" "certificate required" \
		env DOCKER_CONFIG="$IT_TMP/docker" /usr/local/bin/docker -H "$TCP" --tlsverify \
		--tlscacert "$C/ca.pem" ps
else
	fail "the Docker CLI is at /usr/local/bin/docker"
fi

# A client stopping mid-handshake (a ClientHello cut short, then silence) holds its own
# connection only: others are answered meanwhile.
"$PY" - "$PORT" <<'PYEOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]))
time.sleep(60)
PYEOF
STALL=$!
it_on_cleanup "kill $STALL 2>/dev/null"
stalled() { kill -0 "$STALL" 2>/dev/null && tisula version "${CLI[@]}" >/dev/null 2>&1; }
wait_for "while a client stalls mid-handshake, another is answered" 20 stalled
kill "$STALL" 2>/dev/null
wait "$STALL" 2>/dev/null
# Bad requests inside a verified TLS session get the same answers as on the unix socket: a
# malformed request line 400, a body declared over the limit 413 before it is read; one that
# stops mid-request holds only its own connection.
cat >"$IT_TMP/tls_bad.py" <<'PYEOF'
import socket, ssl, sys, time
port, certs, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(cafile=certs + "/ca.pem")
ctx.load_cert_chain(certs + "/alice-cert.pem", certs + "/alice-key.pem")
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20),
                    server_hostname="127.0.0.1")
if mode == "stall":
    s.sendall(b"POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Le")
    print("ready", flush=True)
    time.sleep(60)
    sys.exit(0)
if mode == "garbage":
    s.sendall(b"\x01\x02 NOT-HTTP \xff\r\n\r\n")
else:
    s.sendall(b"POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{")
data = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        data += b
except (OSError, ssl.SSLError):
    pass
print(data[9:12].decode("ascii", "replace"))
PYEOF
expect_eq "TLS: a malformed request line is a 400" 400 \
	"$(timeout 30 "$PY" "$IT_TMP/tls_bad.py" "$PORT" "$C" garbage 2>&1)"
expect_eq "TLS: a 10 GB body is refused with 413 before it is sent" 413 \
	"$(timeout 30 "$PY" "$IT_TMP/tls_bad.py" "$PORT" "$C" huge 2>&1)"
"$PY" "$IT_TMP/tls_bad.py" "$PORT" "$C" stall >"$IT_TMP/stall.out" 2>&1 &
STALL=$!
it_on_cleanup "kill $STALL 2>/dev/null"
wait_for "a TLS client stops mid-request" 20 grep -q ready "$IT_TMP/stall.out"
expect_ok "meanwhile another TLS client is answered" tisula ps "${CLI[@]}"
kill "$STALL" 2>/dev/null
wait "$STALL" 2>/dev/null
expect_eq "nothing was created by the bad requests" "" "$(isula ps -a -q)"
expect_ok "the unix socket still works" isula ps
stop_daemon main

# ------------------------------------------------------------- --tls without verify: mode 2
start_tls tlsonly --tls "${SRV[@]}" || fail "a --tls daemon starts"
expect_ok "--tls: isula --tls without a client certificate works" tisula --tls version
expect_ok "--tls: isula --tlsverify verifies the server (CA only)" \
	tisula --tlsverify --tlscacert "$C/ca.pem" ps
expect_fail "--tls: plain HTTP is refused" "" curl -sf --max-time 10 "http://127.0.0.1:$PORT/version"
expect_fail "--tls: isula without TLS gets no answer" "Cannot connect" tisula ps
expect_match "--tls: no verified caller in the log" "(tls, no verified client certificate)" \
	"$(daemon_log)"
stop_daemon tlsonly

# --------------------------------------------------------------- daemon.json, both spellings
for key in tls-verify tlsverify; do
	d=$IT_TMP/daemon-json-$key
	mkdir -p "$d"
	printf '{"%s": true, "tls-config": {"CAFile": "%s", "CertFile": "%s", "KeyFile": "%s"}}\n' \
		"$key" "$C/ca.pem" "$C/server-cert.pem" "$C/server-key.pem" >"$d/daemon.json"
	if start_tls "json-$key" --config-file "$d/daemon.json"; then
		expect_ok "daemon.json \"$key\" + tls-config: isula with the client certificate" \
			tisula version "${CLI[@]}"
		expect_fail "daemon.json \"$key\": no client certificate refused" \
			"$NEEDS_CERT" tisula ps --tlsverify --tlscacert "$C/ca.pem"
		stop_daemon "json-$key"
	else
		fail "daemon.json \"$key\" + tls-config: the daemon starts"
	fi
done

# ------------------------------------------------------------------ refusals at start
P=$(free_port)
daemon_refuses "tcp without TLS refused at start, naming the host" "tcp://127.0.0.1:$P" \
	-H "tcp://127.0.0.1:$P"
expect_match "... and naming the opt-in" "insecure-tcp" "$LAST_OUT"
daemon_refuses "a bad tcp host is refused" 'invalid host "tcp://1.2.3:5"' -H tcp://1.2.3:5 --tls
daemon_refuses "a missing certificate stops the daemon, naming the file" "$C/nope.pem" \
	-H "tcp://127.0.0.1:$P" --tls --tlscert "$C/nope.pem" --tlskey "$C/server-key.pem"
daemon_refuses "a missing key stops the daemon, naming the file" "$C/nokey.pem" \
	-H "tcp://127.0.0.1:$P" --tls --tlscert "$C/server-cert.pem" --tlskey "$C/nokey.pem"
daemon_refuses "a missing CA (tlsverify) stops the daemon, naming the file" "$C/noca.pem" \
	-H "tcp://127.0.0.1:$P" --tlsverify --tlscacert "$C/noca.pem" --tlscert "$C/server-cert.pem" \
	--tlskey "$C/server-key.pem"
echo "not a certificate" >"$C/garbage.pem"
daemon_refuses "an invalid certificate stops the daemon, naming the file" \
	"invalid TLS certificate $C/garbage.pem" -H "tcp://127.0.0.1:$P" --tls \
	--tlscert "$C/garbage.pem" --tlskey "$C/server-key.pem"
daemon_refuses "a key of another certificate stops the daemon, naming both files" \
	"TLS key $C/self-key.pem does not go with certificate $C/server-cert.pem" \
	-H "tcp://127.0.0.1:$P" --tls --tlscert "$C/server-cert.pem" --tlskey "$C/self-key.pem"
d=$IT_TMP/refuse-json
mkdir -p "$d"
printf '{"tls": true, "hosts": ["unix://%s/sock", "tcp://127.0.0.1:%s"], "tls-config": {"CertFile": "%s/none.pem", "KeyFile": "%s"}}\n' \
	"$d" "$P" "$C" "$C/server-key.pem" >"$d/daemon.json"
# (its daemon.json names the hosts: no -H beside, so not daemon_refuses)
expect_fail_code "daemon.json tls-config with a missing CertFile stops the daemon, naming it" 1 \
	"$C/none.pem" timeout 20 "$ISULAD" -g "$d/graph" -S "$d/state" --cgroup-parent \
	"$IT_CGPARENT" --config-file "$d/daemon.json"
printf '{"tls-config": {"CAfile": "/x"}}\n' >"$d/daemon.json"
daemon_refuses "daemon.json tls-config with an unknown key is refused" \
	'invalid key "tls-config.CAfile"' --config-file "$d/daemon.json"
printf '{"authorization-plugin": "authz-brokr"}\n' >"$d/daemon.json"
daemon_refuses "an unknown authorization-plugin is refused at start" \
	"Invalid authorization plugin 'authz-brokr'" --config-file "$d/daemon.json"

# ------------------------------------------------------------ insecure tcp: opt-in, warns
start_tls plain --insecure-tcp || fail "--insecure-tcp: the daemon starts"
expect_ok "--insecure-tcp: isula over plain tcp" tisula version
expect_match "--insecure-tcp: a warning in the log" "WITHOUT TLS (insecure-tcp)" "$(daemon_log)"
stop_daemon plain
d=$IT_TMP/daemon-plainjson
mkdir -p "$d"
echo '{"insecure-tcp": true}' >"$d/daemon.json"
start_tls plainjson --config-file "$d/daemon.json" || fail "daemon.json insecure-tcp: starts"
expect_ok "daemon.json \"insecure-tcp\": true: isula over plain tcp" tisula ps
stop_daemon plainjson

it_finish
