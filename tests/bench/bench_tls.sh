#!/usr/bin/env bash
# `isula version` over the unix socket against the same over TCP+TLS (--tlsverify, a client
# certificate), one daemon listening on both, alternating, in one run (report only).
#
#   BENCH_TLS_RUNS=50
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init tls

RUNS=${BENCH_TLS_RUNS:-50}
command -v openssl >/dev/null || die "openssl not found"

C=$BENCH_TMP/certs
mkdir -p "$C"
{
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$C/ca-key.pem" -out "$C/ca.pem" \
		-days 2 -subj "/CN=bench CA"
	openssl req -newkey rsa:2048 -nodes -keyout "$C/server-key.pem" -out "$C/s.csr" \
		-subj "/CN=127.0.0.1"
	printf 'subjectAltName=IP:127.0.0.1\n' >"$C/s.ext"
	openssl x509 -req -in "$C/s.csr" -CA "$C/ca.pem" -CAkey "$C/ca-key.pem" -CAcreateserial \
		-out "$C/server-cert.pem" -days 2 -extfile "$C/s.ext"
	openssl req -newkey rsa:2048 -nodes -keyout "$C/key.pem" -out "$C/c.csr" -subj "/CN=bench"
	openssl x509 -req -in "$C/c.csr" -CA "$C/ca.pem" -CAkey "$C/ca-key.pem" -CAcreateserial \
		-out "$C/cert.pem" -days 2
} >"$C/openssl.log" 2>&1 || die "openssl failed: $(tail -3 "$C/openssl.log")"

read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
PORT=$((lo + RANDOM % (hi - lo)))
TCP=tcp://127.0.0.1:$PORT
setsid "$ISULAD" -g "$GRAPH" -S "$STATE" -H "unix://$SOCK" -H "$TCP" --tlsverify \
	--tlscacert "$C/ca.pem" --tlscert "$C/server-cert.pem" --tlskey "$C/server-key.pem" \
	--cgroup-parent "/$CGPARENT" --config-file "$BENCH_TMP/daemon.json" \
	>"$BENCH_TMP/isulad.out" 2>&1 &
DAEMON_PID=$!
TLS=(-H "$TCP" --tlsverify --tlscacert "$C/ca.pem" --tlscert "$C/cert.pem" --tlskey "$C/key.pem")
for _ in $(seq 1 200); do
	"$ISULA" "${TLS[@]}" version >/dev/null 2>&1 && break
	kill -0 "$DAEMON_PID" 2>/dev/null || die "isulad did not start: $(cat "$BENCH_TMP/isulad.out")"
	sleep 0.05
done
"$ISULA" version >/dev/null || die "isula version over the unix socket failed"

# time_cmd VAR CMD...: appends CMD's wall time (ms, 0.1 resolution) to array VAR.
time_cmd() {
	local -n into=$1
	shift
	local t0=${EPOCHREALTIME/./}
	"$@" >/dev/null || die "failed: $*"
	local t1=${EPOCHREALTIME/./}
	into+=("$(((t1 - t0) / 1000)).$((((t1 - t0) % 1000) / 100))")
}
unix_t=() tls_t=()
for _ in $(seq 1 "$RUNS"); do
	time_cmd unix_t "$ISULA" version
	time_cmd tls_t "$ISULA" "${TLS[@]}" version
done
result "isula version over the unix socket (median ms)" "$(median "${unix_t[@]}")" ms
result "isula version over TCP+TLS, tlsverify (median ms)" "$(median "${tls_t[@]}")" ms
