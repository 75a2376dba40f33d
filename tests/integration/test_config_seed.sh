#!/usr/bin/env bash
# Honest configuration: every daemon.json key and isulad flag of the seed's tables (INVENTORY
# §2.1, §2.2) with the seed's example value either starts the daemon (implemented) or stops it
# with a message naming the key or flag. isula inspect -t is a real bound.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
T=$IT_TMP/cfg
mkdir -p "$T"
n=0

# try_key KEY JSONVALUE implemented|refused
try_key() {
	local key=$1 val=$2 want=$3 name
	n=$((n + 1))
	name=key$n
	mkdir -p "$IT_TMP/daemon-$name"
	echo "{\"$key\": $val}" >"$IT_TMP/daemon-$name/daemon.json"
	if [ "$want" = implemented ]; then
		if start_daemon "$name"; then
			pass "daemon.json \"$key\": $val is implemented (the daemon starts)"
		fi
		stop_daemon "$name"
		return
	fi
	use_daemon "$name"
	run_capture "$ISULAD" -g "$GRAPH" -S "$STATE" -H "unix://$SOCK" \
		--config-file "$IT_TMP/daemon-$name/daemon.json"
	if [ "$LAST_RC" != 0 ] && [[ "$LAST_OUT" == *"\"$key\" is not supported: "*"remove it"* ]]; then
		pass "daemon.json \"$key\": $val is refused, naming it and why"
	else
		fail "daemon.json \"$key\": $val is refused, naming it and why" "rc $LAST_RC: $LAST_OUT"
	fi
}

# The seed's table (INVENTORY §2.2) with its example values.
try_key engine '"lcr"' implemented
try_key group '"isulad"' implemented
try_key hook-spec '""' implemented
# hosts: the daemon listens where the file says (start_daemon's own -H would conflict).
echo '{"hosts": ["unix://'"$T"'/h.sock"]}' >"$T/hosts.json"
"$ISULAD" -g "$T/hg" -S "$T/hs" --cgroup-parent "$IT_CGPARENT" --config-file "$T/hosts.json" \
	>"$T/hosts.out" 2>&1 &
hpid=$!
it_on_cleanup "kill $hpid 2>/dev/null"
wait_for "daemon.json \"hosts\" is implemented (the daemon listens there)" 10 \
	"$ISULA" -H "unix://$T/h.sock" version
kill "$hpid"
wait "$hpid" 2>/dev/null
try_key log-driver '"stdout"' implemented
try_key log-driver '"file"' implemented
try_key log-level '"ERROR"' implemented
try_key log-opts '{"log-file-mode":"0600","log-path":"'"$T"'/log","max-file":"1","max-size":"30KB"}' implemented
try_key start-timeout '"2m"' implemented
try_key default-runtime '"lcr"' implemented
try_key pidfile "\"$T/p.pid\"" implemented
try_key graph "\"$T/graph\"" implemented
try_key state "\"$T/state\"" implemented
try_key tls 'false' implemented
try_key tlsverify 'false' implemented
try_key tls-verify 'false' implemented
try_key tls-config '{"CAFile":"","CertFile":"","KeyFile":""}' implemented
try_key authorization-plugin '""' implemented
try_key cgroup-parent '"/lxc/mycgroup"' implemented
try_key selinux-enabled 'false' implemented
# Network keys: issue 14's (accepted as they are).
try_key network-plugin '""' implemented
try_key cni-bin-dir '""' implemented
try_key cni-conf-dir '""' implemented
try_key runtimes '{"kata-runtime":{"path":"/usr/bin/kata-runtime","runtime-args":[]}}' refused
try_key default-runtime '"kata-runtime"' refused
try_key engine '"kata"' refused
try_key storage-driver '"overlay2"' refused
try_key storage-opts '["overlay2.override_kernel_check=true"]' refused
try_key image-opt-timeout '"5m"' refused
try_key registry-mirrors '["docker.io"]' refused
try_key insecure-registries '["rnd-dockerhub.huawei.com"]' refused
try_key native.umask '"secure"' refused
try_key pod-sandbox-image '"rnd-dockerhub.huawei.com/library/pause-aarch64:3.0"' refused
try_key image-layer-check 'true' refused
try_key insecure-skip-verify-enforce 'true' refused
try_key use-decrypted-key 'true' refused
try_key default-ulimits '{"nofile":{"Name":"nofile","Hard":6400,"Soft":3200}}' refused
try_key websocket-server-listening-port '10350' refused
try_key selinux-enabled 'true' refused

# try_flag implemented|refused FLAG...: the seed's --help flags (INVENTORY §2.1).
try_flag() {
	local want=$1 name
	shift
	n=$((n + 1))
	name=flag$n
	if [ "$want" = implemented ]; then
		start_daemon "$name" "$@" && pass "isulad $* is implemented (the daemon starts)"
		stop_daemon "$name"
		return
	fi
	use_daemon "$name"
	mkdir -p "$IT_TMP/daemon-$name" && echo '{}' >"$IT_TMP/daemon-$name/daemon.json"
	run_capture "$ISULAD" -g "$GRAPH" -S "$STATE" -H "unix://$SOCK" \
		--config-file "$IT_TMP/daemon-$name/daemon.json" "$@"
	local f=$1
	[ "$f" = -s ] && f=--storage-opt
	[ "$f" = -e ] && f=--engine
	if [ "$LAST_RC" != 0 ] && [[ "$LAST_OUT" == *"flag ${f%%=*} is not supported: "*"remove it"* ]]; then
		pass "isulad $* is refused, naming the flag and why"
	else
		fail "isulad $* is refused, naming the flag and why" "rc $LAST_RC: $LAST_OUT"
	fi
}
try_flag implemented --cgroup-parent /lxc/x
try_flag implemented -G isulad
try_flag implemented --hook-spec ""
try_flag implemented --log-driver stdout
try_flag implemented -l DEBUG
try_flag implemented --log-opt "log-path=$T/flaglog" --log-opt max-size=1MB --log-opt max-file=2
try_flag implemented -p "$T/flag.pid"
try_flag implemented --start-timeout 1m
try_flag implemented --tls
try_flag implemented --tlsverify --tlscacert "$T/ca.pem" --tlscert "$T/c.pem" --tlskey "$T/k.pem"
try_flag refused --authorization-plugin authz-broker
try_flag refused --default-ulimit nofile=1024:2048
try_flag refused -e lcr
try_flag refused --engine=lcr
try_flag refused --image-layer-check
try_flag refused --image-opt-timeout 5m
try_flag refused --insecure-registry x
try_flag refused --insecure-skip-verify-enforce
try_flag refused --native.umask secure
try_flag refused --pod-sandbox-image x
try_flag refused --registry-mirrors docker.io
try_flag refused --storage-driver overlay2
try_flag refused -s overlay2.size=1G
try_flag refused --use-decrypted-key=false
try_flag refused --websocket-server-listening-port 10350
try_flag refused --selinux-enabled

# log-opts and log-driver values outside what is allowed stop the daemon, naming them (its own
# empty daemon.json: never the host's).
mkdir -p "$T" && echo '{}' >"$T/empty.json"
for o in max-size=1x max-file=0 max-file=1001 log-file-mode=0999 log-file-mode=0400 \
	log-path=relative colour=red; do
	run_capture "$ISULAD" -g "$T/g" -S "$T/s" -H "unix://$T/x.sock" --config-file "$T/empty.json" \
		--log-opt "$o"
	[ "$LAST_RC" != 0 ] && [[ "$LAST_OUT" == *"invalid log option \"$o\""* ]] &&
		pass "--log-opt $o is refused, naming it" || fail "--log-opt $o is refused, naming it" "$LAST_OUT"
done
run_capture "$ISULAD" -g "$T/g" -S "$T/s" -H "unix://$T/x.sock" --config-file "$T/empty.json" \
	--log-driver syslog
[[ "$LAST_OUT" == *'invalid log driver "syslog": allowed are file and stdout'* ]] &&
	pass "--log-driver syslog is refused" || fail "--log-driver syslog is refused" "$LAST_OUT"

# isula inspect -t: checked, and a bound on the wait (a socket that never answers).
start_daemon main || it_abort "the daemon must start"
for t in 0 -1 abc 86401; do
	expect_fail "isula inspect -t $t is refused, naming the value" "\"$t\" for \"-t, --time\"" \
		isula inspect -t "$t" x
done
python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(5); time.sleep(30)' \
	"$T/mute.sock" &
mute=$!
it_on_cleanup "kill $mute 2>/dev/null"
wait_for "the mute socket exists" 10 test -S "$T/mute.sock"
t0=$(now_us)
run_capture "$ISULA" -H "unix://$T/mute.sock" inspect -t 1 x
ms=$((($(now_us) - t0) / 1000))
[ "$LAST_RC" = 1 ] && [[ "$LAST_OUT" == *"timed out waiting for the daemon"* ]] &&
	pass "isula inspect -t 1 gives up on a daemon that does not answer (${ms} ms)" ||
	fail "isula inspect -t 1 gives up on a daemon that does not answer" "rc $LAST_RC ($ms ms): $LAST_OUT"
kill $mute 2>/dev/null
it_finish
