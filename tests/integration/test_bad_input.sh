#!/usr/bin/env bash
# Rejected input: every bad value gets a non-zero exit and a clear message, and leaves
# nothing behind (no container in ps -a, no dir in the graph or state, no cgroup).
# Also malformed daemon.json files and conflicting daemon flags.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# A fingerprint of everything a create could leave behind.
snapshot() {
	echo "ps:"
	isula ps -a -q --no-trunc 2>&1 | sort
	echo "graph:"
	find "$LCR" -mindepth 1 -maxdepth 1 2>/dev/null | sort
	echo "state:"
	find "$STATE" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort
	echo "cgroups:"
	leftover_cgroups | sort
}

# expect_rejected DESC CODE PATTERN CMD...: exit CODE, PATTERN in the output, nothing new.
expect_rejected() {
	local desc=$1 code=$2 pat=$3 before after
	shift 3
	before=$(snapshot)
	expect_fail_code "$desc" "$code" "$pat" "$@"
	after=$(snapshot)
	if [ "$before" = "$after" ]; then
		pass "$desc: nothing left behind"
	else
		fail "$desc: nothing left behind" "$(diff <(echo "$before") <(echo "$after") | grep '^[<>]')"
	fi
}

# ------------------------------------------------------------------------ --external-rootfs
expect_rejected "relative --external-rootfs (run)" 125 "must be an absolute path" \
	isula run -d --external-rootfs relative/rootfs none sh
expect_rejected "relative --external-rootfs (create)" 125 "must be an absolute path" \
	isula create --external-rootfs ./rootfs none sh
expect_rejected "missing --external-rootfs dir" 125 "No such file or directory" \
	isula run -d --external-rootfs "$IT_TMP/no-such-rootfs" none sh
touch "$IT_TMP/a-file"
expect_rejected "--external-rootfs that is a file" 125 "not a directory" \
	isula create --external-rootfs "$IT_TMP/a-file" none sh
expect_rejected "--system-container without --external-rootfs" 125 \
	"--system-container must be used together with --external-rootfs" \
	isula run -tid --system-container none init
expect_rejected "no rootfs at all" 125 "No such image" isula create busybox sh

# -------------------------------------------------------------------------------- names
did=$(isula create --name dup --external-rootfs "$BB" none sleep 300)
is_hex64 "$did" && pass "create --name dup" || fail "create --name dup" "got '$did'"
expect_rejected "duplicate --name (create)" 125 \
	"Conflict. The name \"dup\" is already in use by container $did" \
	isula create --name dup --external-rootfs "$BB" none sh
expect_rejected "duplicate --name (run)" 125 "The name \"dup\" is already in use" \
	isula run -d --name dup --external-rootfs "$BB" none sleep 300
expect_eq "the original 'dup' is untouched" "$did inited" "$(ifield dup '{{.Id}} {{.State.Status}}')"
expect_rejected "invalid --name" 125 "Invalid container name" \
	isula create --name 'bad/name' --external-rootfs "$BB" none sh

# --------------------------------------------------------------------------- unknown IDs
for cmd in inspect start stop kill rm restart wait; do
	expect_rejected "$cmd of an unknown ID" 1 "No such container: nosuchid" isula "$cmd" nosuchid
done
expect_rejected "rm -f of an unknown ID" 1 "No such container: nosuchid" isula rm -f nosuchid
expect_eq "a daemon error prints nothing on stdout" "" "$(isula inspect nosuchid 2>/dev/null)"
expect_match "a daemon error goes to stderr as 'Error response from daemon: ...'" \
	"Error response from daemon: No such container: nosuchid" "$(isula stop nosuchid 2>&1 >/dev/null)"
expect_eq "a refused create prints nothing on stdout" "" \
	"$(isula create --external-rootfs "$IT_TMP/nope" none sh 2>/dev/null)"

# ------------------------------------------------------------------------ ambiguous prefix
# Create containers until two IDs share their first character (at most 17 are needed).
declare -A first=()
dup_prefix=""
for _ in $(seq 1 17); do
	x=$(isula create --external-rootfs "$BB" none true) || break
	c=${x:0:1}
	if [ -n "${first[$c]:-}" ] || [ "${did:0:1}" = "$c" ]; then
		dup_prefix=$c
		break
	fi
	first[$c]=$x
done
if [ -n "$dup_prefix" ]; then
	n_before=$(isula ps -a -q | wc -l)
	expect_rejected "inspect of an ambiguous prefix" 1 \
		"Multiple IDs found with provided prefix: $dup_prefix" isula inspect "$dup_prefix"
	expect_rejected "rm -f of an ambiguous prefix" 1 \
		"Multiple IDs found with provided prefix: $dup_prefix" isula rm -f "$dup_prefix"
	expect_rejected "start of an ambiguous prefix" 1 "Multiple IDs found" isula start "$dup_prefix"
	expect_eq "the ambiguous rm removed nothing" "$n_before" "$(isula ps -a -q | wc -l)"
else
	fail "could create containers to get an ambiguous prefix"
fi
# Remove everything but 'dup'.
for x in $(isula ps -a -q --no-trunc); do
	[ "$x" = "$did" ] || isula rm -f "$x" >/dev/null
done
expect_eq "only 'dup' is left" "$did" "$(isula ps -a -q --no-trunc)"

# ------------------------------------------------------------------------------- --restart
expect_rejected "--restart x" 125 "Invalid restart policy 'x'" \
	isula run -d --restart x --external-rootfs "$BB" none true
expect_rejected "--restart always:3" 125 \
	"Maximum retry count cannot be used with restart policy 'always'" \
	isula run -d --restart always:3 --external-rootfs "$BB" none true
expect_rejected "--restart unless-stopped:1" 125 \
	"Maximum retry count cannot be used with restart policy 'unless-stopped'" \
	isula create --restart unless-stopped:1 --external-rootfs "$BB" none true
expect_rejected "--restart on-failure:abc" 125 "Invalid restart policy format" \
	isula run -d --restart on-failure:abc --external-rootfs "$BB" none true
expect_rejected "--restart on-failure:-1" 125 "Invalid restart policy format" \
	isula create --restart on-failure:-1 --external-rootfs "$BB" none true
expect_rejected "--restart with --rm" 125 "Conflicting options: --restart and --rm" \
	isula run -d --rm --restart always --external-rootfs "$BB" none true

# ------------------------------------------------------------------------------- memory
expect_rejected "-m abc" 125 "Invalid value abc for flag --memory" \
	isula run -d -m abc --external-rootfs "$BB" none true
expect_rejected "-m 1m (under 4MB)" 125 "minimum memory limit allowed is 4MB" \
	isula run -d -m 1m --external-rootfs "$BB" none true
expect_rejected "-m -1" 125 "Invalid value -1 for flag --memory" \
	isula create -m -1 --external-rootfs "$BB" none true
expect_rejected "--memory-reservation 1m (under 4MB)" 125 "minimum memory reservation allowed is 4MB" \
	isula create --memory-reservation 1m --external-rootfs "$BB" none true
expect_rejected "-m 4095k (just under 4MB)" 125 "minimum memory limit allowed is 4MB" \
	isula create -m 4095k --external-rootfs "$BB" none true
expect_rejected "--memory-reservation above --memory" 125 \
	"Minimum memory limit can not be less than memory reservation limit" \
	isula run -d -m 64m --memory-reservation 128m --external-rootfs "$BB" none true

# The boundaries themselves are accepted (and leave a container, removed at once).
accept() {
	local desc=$1 id
	shift
	id=$(isula create "$@" --external-rootfs "$BB" none true 2>&1)
	if is_hex64 "$id"; then
		pass "$desc is accepted"
		isula rm "$id" >/dev/null
	else
		fail "$desc is accepted" "$id"
	fi
}
accept "-m 4m (exactly 4MB)" -m 4m
accept "--memory-reservation equal to --memory" -m 64m --memory-reservation 64m
accept "--cpu-period 1000 (1ms)" --cpu-period 1000
accept "--cpu-period 1000000 (1s)" --cpu-period 1000000
accept "--cpu-quota 1000 (1ms)" --cpu-quota 1000
accept "--cpu-quota -1 (unlimited)" --cpu-quota -1
accept "--cpuset-cpus of every online CPU" --cpuset-cpus "$(cat /sys/devices/system/cpu/online)"
accept "--restart on-failure:0" --restart on-failure:0

# ---------------------------------------------------------------------------------- cpu
expect_rejected "--cpu-period 10 (under 1ms)" 125 "CPU cfs period can not be less than 1ms" \
	isula run -d --cpu-period 10 --external-rootfs "$BB" none true
expect_rejected "--cpu-period 2000000 (over 1s)" 125 "larger than 1s" \
	isula create --cpu-period 2000000 --external-rootfs "$BB" none true
expect_rejected "--cpu-period abc" 125 "Invalid value abc for flag --cpu-period" \
	isula create --cpu-period abc --external-rootfs "$BB" none true
expect_rejected "--cpu-quota 10 (under 1ms)" 125 "CPU cfs quota can not be less than 1ms" \
	isula run -d --cpu-quota 10 --external-rootfs "$BB" none true
expect_rejected "--cpuset-cpus 99" 125 "Requested CPUs are not available" \
	isula run -d --cpuset-cpus 99 --external-rootfs "$BB" none true
ncpu=$(getconf _NPROCESSORS_CONF)
expect_rejected "--cpuset-cpus $ncpu (one past the last CPU)" 125 "Requested CPUs are not available" \
	isula create --cpuset-cpus "$ncpu" --external-rootfs "$BB" none true
expect_rejected "--cpuset-cpus abc" 125 "Invalid value abc for cpuset-cpus" \
	isula create --cpuset-cpus abc --external-rootfs "$BB" none true

# ------------------------------------------------------------------------- other flags
expect_rejected "kill -s of an unknown signal" 1 "Invalid signal: NOPE" isula kill -s NOPE dup
expect_rejected "stop -t abc" 1 "Invalid value abc for flag --time" isula stop -t abc dup

expect_ok "rm the 'dup' container" isula rm dup
expect_eq "ps -a is empty" "" "$(isula ps -a -q)"
assert_no_leftovers main

# ------------------------------------------------------------------------ daemon.json
# bad_daemon DESC PATTERN FILE-CONTENT [EXTRA ARGS]: isulad with that daemon.json exits 1,
# names the file, says PATTERN, and creates neither its graph, its state nor its socket.
bad_n=0
bad_daemon() {
	local desc=$1 pat=$2 content=$3
	shift 3
	bad_n=$((bad_n + 1))
	local d=$IT_TMP/bad-$bad_n
	mkdir -p "$d"
	printf '%s' "$content" >"$d/daemon.json"
	expect_fail_code "daemon.json $desc: exits 1 with the key's message" 1 "$pat" \
		timeout 10 "$ISULAD" --config-file "$d/daemon.json" -g "$d/graph" -S "$d/state" \
		-H "unix://$d/isulad.sock" --cgroup-parent "$IT_CGPARENT" "$@"
	[[ "$LAST_OUT" == *"$d/daemon.json"* ]] && pass "daemon.json $desc: the message names the file" ||
		fail "daemon.json $desc: the message names the file" "output: $LAST_OUT"
	if [ ! -e "$d/graph" ] && [ ! -e "$d/state" ] && [ ! -e "$d/isulad.sock" ]; then
		pass "daemon.json $desc: no graph, state or socket created"
	else
		fail "daemon.json $desc: no graph, state or socket created" "$(ls -la "$d")"
	fi
}
bad_daemon "malformed JSON" "malformed JSON" '{"graph": "/x",'
bad_daemon "not an object" "malformed JSON" '["graph"]'
bad_daemon "graph of the wrong type" 'invalid value for key "graph": expected a string' '{"graph": 1}'
bad_daemon "hosts of the wrong type" 'invalid value for key "hosts": expected an array' \
	'{"hosts": "unix:///tmp/x.sock"}'
bad_daemon "tls of the wrong type" 'invalid value for key "tls": expected a boolean' '{"tls": "yes"}'
bad_daemon "unknown key" 'unknown key "foo"' '{"foo": 1}'
bad_daemon "hosts in the file and by -H" \
	"specified both as a flag and in the configuration file: hosts" \
	"{\"hosts\": [\"unix://$IT_TMP/other.sock\"]}"
expect_ok "no socket for the file's hosts either" test ! -e "$IT_TMP/other.sock"

d=$IT_TMP/bad-missing
expect_fail_code "--config-file that does not exist: exits 1" 1 "$d/daemon.json" \
	timeout 10 "$ISULAD" --config-file "$d/daemon.json" -g "$d/graph" -S "$d/state" \
	-H "unix://$d/isulad.sock"
expect_ok "--config-file that does not exist: nothing created" test ! -e "$d"
d=$IT_TMP/bad-relative
mkdir -p "$d"
echo '{}' >"$d/daemon.json"
expect_fail_code "relative -g: exits 1" 1 "must be an absolute path" \
	timeout 10 "$ISULAD" --config-file "$d/daemon.json" -g relative/graph -S "$d/state" \
	-H "unix://$d/isulad.sock"
expect_fail_code "a tcp:// host without TLS (and no insecure-tcp): exits 1" 1 \
	'host "tcp://127.0.0.1:2375" has no TLS' \
	timeout 10 "$ISULAD" --config-file "$d/daemon.json" -g "$d/graph" -S "$d/state" \
	-H tcp://127.0.0.1:2375
expect_fail_code "a host that is neither unix:// nor tcp://: exits 1" 1 'invalid host' \
	timeout 10 "$ISULAD" --config-file "$d/daemon.json" -g "$d/graph" -S "$d/state" \
	-H udp://127.0.0.1:2375
expect_ok "the bad daemons created nothing" test ! -e "$d/graph" -a ! -e "$d/state"

# A second daemon on the same state dir (same pid file) is refused; the first goes on.
expect_fail_code "a second daemon on the same -S is refused" 1 "another isulad is running" \
	timeout 10 "$ISULAD" --config-file "$IT_TMP/daemon-main/daemon.json" -g "$IT_TMP/g2" \
	-S "$STATE" -H "unix://$IT_TMP/second.sock"
expect_ok "the first daemon still answers" isula version
expect_ok "the refused daemon made no socket" test ! -e "$IT_TMP/second.sock"

assert_no_leftovers main
it_finish
