#!/usr/bin/env bash
# Container logs: the monitor's json-file log (stdout/stderr tagged), `isula logs` (tail,
# timestamps, since/until, follow), rotation, disable-log, restarts, a killed daemon, tty
# containers, the -i stdin FIFO, daemon.json defaults, bad options, and the Docker CLI.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
cid() { ifield "$1" '{{.Id}}'; }
TS_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z '

# ------------------------------------------------------------------ streams, exited container
run_capture isula run --name sep --external-rootfs "$BB" none \
	sh -c 'echo out-one; echo err-one >&2; echo out-two; echo err-two >&2; exit 3'
expect_eq "foreground run returns the exit code" 3 "$LAST_RC"
isula logs sep >"$IT_TMP/sep.out" 2>"$IT_TMP/sep.err"
expect_eq "logs of an exited container exits 0" 0 $?
expect_eq "stdout lines go to stdout" "out-one
out-two" "$(cat "$IT_TMP/sep.out")"
expect_eq "stderr lines go to stderr" "err-one
err-two" "$(cat "$IT_TMP/sep.err")"
log=$LCR/$(cid sep)/console.log
first=$(head -n 1 "$log")
[[ "$first" =~ ^\{\"log\":\"(out|err)-one\\n\",\"stream\":\"std(out|err)\",\"time\":\"[0-9T:.-]+Z\"\}$ ]] &&
	pass "console.log holds json-file records ($first)" ||
	fail "console.log holds json-file records" "$first"
expect_eq "stderr records are tagged stderr" 2 "$(grep -c '"stream":"stderr"' "$log")"
expect_ok "the monitor's own messages have their own file in the state dir" \
	test -f "$STATE/$(cid sep)/monitor.log"

# All output is in the log before the exit is reported: no waiting here.
isula run --name burst --external-rootfs "$BB" none seq 1 20000 >/dev/null
expect_eq "a quick burst of 20000 lines is all there once run returns" 20000 \
	"$(isula logs burst | wc -l)"
expect_eq "... in order" "$(seq 1 20000 | md5sum)" "$(isula logs burst | md5sum)"

run_capture timeout 20 "$ISULA" run --name pipe --external-rootfs "$BB" none sh -c 'yes | head -n 2'
expect_eq "the init does not inherit the daemon's ignored SIGPIPE (yes | head ends)" 0 "$LAST_RC"
expect_eq "... and its output is logged" "y y" "$(isula logs pipe | xargs)"

# ----------------------------------------------------------------------- tail, timestamps
isula run --name hundred --external-rootfs "$BB" none seq 1 100 >/dev/null
expect_eq "--tail 3" "98 99 100" "$(isula logs --tail 3 hundred | xargs)"
expect_eq "--tail 0 prints nothing" "" "$(isula logs --tail 0 hundred)"
expect_eq "--tail all" 100 "$(isula logs --tail all hundred | wc -l)"
expect_eq "--tail larger than the log" 100 "$(isula logs --tail 1000 hundred | wc -l)"
line=$(isula logs -t --tail 1 hundred)
[[ "$line" =~ ${TS_RE}100$ ]] && pass "-t prefixes RFC 3339 nano UTC timestamps ($line)" ||
	fail "-t prefixes RFC 3339 nano UTC timestamps" "$line"
expect_eq "--timestamps works as -t" "$line" "$(isula logs --timestamps --tail 1 hundred)"
expect_eq "--since in the future: nothing" "" "$(isula logs --since 2999-01-01T00:00:00Z hundred)"
expect_eq "--until in the past: nothing" "" "$(isula logs --until 1h hundred)"
expect_eq "--since 1h: everything" 100 "$(isula logs --since 1h hundred | wc -l)"
ts50=$(isula logs -t hundred | sed -n 50p | cut -d' ' -f1)
expect_eq "--since the 50th line's time starts there" 50 \
	"$(isula logs --since "$ts50" hundred | head -n 1)"
expect_eq "--until the 50th line's time ends there" 50 \
	"$(isula logs --until "$ts50" hundred | tail -n 1)"

expect_fail_code "--tail must be a number" 125 "Invalid value x for flag --tail" \
	isula logs --tail x hundred
expect_fail_code "--since must be a time" 125 "Invalid value yesterday for flag --since" \
	isula logs --since yesterday hundred
expect_fail_code "logs of an unknown container" 125 "No such container: nosuch" \
	isula logs nosuch
expect_fail "logs takes exactly one container" "requires exactly 1 argument" \
	isula logs hundred sep

# ----------------------------------------------------------------------- running, follow
isula run -d --name runner --external-rootfs "$BB" none sh -c 'echo started; sleep 300' >/dev/null
wait_for "logs of a running container" 5 sh -c "'$ISULA' logs runner | grep -qx started"

isula run -d --name ticker --external-rootfs "$BB" none \
	sh -c 'i=1; while [ $i -le 6 ]; do echo tick $i; i=$((i+1)); sleep 0.4; done' >/dev/null
isula logs -f ticker >"$IT_TMP/follow.out" 2>&1 &
follower=$!
wait_for "-f shows output while the container runs" 5 grep -q "tick 2" "$IT_TMP/follow.out"
pid_alive "$follower" && pass "-f keeps following while the container runs" ||
	fail "-f keeps following while the container runs" "$(cat "$IT_TMP/follow.out")"
wait_for "-f ends when the container stops" 10 sh -c "! kill -0 $follower 2>/dev/null"
wait "$follower"
expect_eq "-f exits 0" 0 $?
expect_eq "-f got every line" "tick 1 tick 2 tick 3 tick 4 tick 5 tick 6" \
	"$(xargs <"$IT_TMP/follow.out")"
run_capture timeout 5 "$ISULA" logs -f --tail 2 ticker
expect_eq "-f of an exited container returns at once with the log" "tick 5
tick 6" "$LAST_OUT"

isula logs -f --tail 0 runner >"$IT_TMP/follow2.out" 2>&1 &
follower=$!
sleep 0.5
expect_ok "stop the followed container" isula stop -t 1 runner
wait_for "-f ends when the container is stopped" 10 sh -c "! kill -0 $follower 2>/dev/null"
wait "$follower" 2>/dev/null
expect_eq "-f --tail 0 printed nothing old" "" "$(cat "$IT_TMP/follow2.out")"

isula logs -f runner >/dev/null 2>&1 &
follower=$!
it_on_cleanup "kill $follower 2>/dev/null"
wait_for "-f on an exited container ends by itself (nothing more can come)" 10 \
	sh -c "! kill -0 $follower 2>/dev/null"
wait "$follower" 2>/dev/null

# ---------------------------------------------------------------------- across restarts
isula run -d --name again --external-rootfs "$BB" none sh -c 'echo hello-run; sleep 300' >/dev/null
wait_for "first run's output" 5 sh -c "'$ISULA' logs again | grep -q hello-run"
expect_ok "restart" isula restart -t 1 again
wait_for "both runs' output after a restart (log appended)" 5 \
	sh -c "[ \$('$ISULA' logs again | grep -c hello-run) -eq 2 ]"
# A restart policy's restart is no stop for a follower (a user's stop or restart is).
isula run -d --name policy --restart on-failure:2 --external-rootfs "$BB" none \
	sh -c 'echo attempt; sleep 0.5; exit 1' >/dev/null
isula logs -f policy >"$IT_TMP/follow3.out" 2>&1 &
follower=$!
wait_for "-f ends once the restart policy gives up" 15 sh -c "! kill -0 $follower 2>/dev/null"
wait "$follower" 2>/dev/null
expect_eq "-f follows across policy restarts (3 runs)" 3 "$(grep -c attempt "$IT_TMP/follow3.out")"
expect_eq "the policy container ran 3 times" "exited 2" \
	"$(ifield policy '{{.State.Status}} {{.RestartCount}}')"

# ---------------------------------------------------------------------------- rotation
isula run --name rot --log-opt max-size=10k --log-opt max-file=3 --external-rootfs "$BB" none \
	sh -c 'i=0; while [ $i -lt 3000 ]; do echo "rotating line $i padding padding padding"; i=$((i+1)); done' \
	>/dev/null
d=$LCR/$(cid rot)
expect_ok "rotation: console.log, .1 and .2 exist" test -f "$d/console.log" -a -f "$d/console.log.1" \
	-a -f "$d/console.log.2"
expect_ok "rotation: at most max-file=3 files" test ! -e "$d/console.log.3"
big=$(find "$d" -name 'console.log*' -size +10240c)
[ -z "$big" ] && pass "rotation: no file is over max-size=10k" ||
	fail "rotation: no file is over max-size=10k" "$(ls -l "$d")"
expect_eq "rotation: the newest line is in console.log" 1 \
	"$(grep -c '"rotating line 2999 padding' "$d/console.log")"
out=$(isula logs rot)
expect_match "rotation: logs ends with the newest line" "rotating line 2999 padding" \
	"$(echo "$out" | tail -n 1)"
[[ "$out" != *"rotating line 0 padding"* ]] && pass "rotation: the oldest lines are dropped" ||
	fail "rotation: the oldest lines are dropped"
first=$(echo "$out" | head -n 1 | awk '{ print $3 }')
expect_eq "rotation: what is kept is contiguous" "$((3000 - first))" "$(echo "$out" | wc -l)"
expect_eq "rotation: --tail across files" "$(echo "$out" | tail -n 250 | md5sum)" \
	"$(isula logs --tail 250 rot | md5sum)"
expect_match "inspect shows the effective log options" '"max-size":"10240","max-file":"3"' \
	"$(isula inspect rot | tr -d ' \n')"

# ---------------------------------------------------------------------------- disable-log
isula run --name quiet --log-opt disable-log=true --external-rootfs "$BB" none echo secret >/dev/null
expect_ok "disable-log: no console.log" test ! -e "$LCR/$(cid quiet)/console.log"
expect_fail_code "disable-log: logs says the log is disabled" 125 "disable-log=true" isula logs quiet
isula run --name loud --log-opt disable-log=false --external-rootfs "$BB" none echo shout >/dev/null
expect_eq "disable-log=false logs" shout "$(isula logs loud)"

# ------------------------------------------------------------------------- bad options
before=$(isula ps -aq | wc -l)
for bad in "max-size=abc|max-size=abc" "max-size=10|max-size=10" "max-file=0|max-file=0" \
	"max-file=x|max-file=x" "disable-log=maybe|disable-log=maybe" "colour=red|colour" ; do
	opt=${bad%%|*} pat=${bad#*|}
	expect_fail_code "--log-opt $opt is rejected" 125 "Invalid log option $pat" \
		isula create --log-opt "$opt" --external-rootfs "$BB" none true
done
expect_fail_code "--log-opt without = is rejected by the client" 125 'Invalid --log-opt "novalue"' \
	isula create --log-opt novalue --external-rootfs "$BB" none true
expect_eq "rejected creates leave no container" "$before" "$(isula ps -aq | wc -l)"

# ------------------------------------------------------------------------------- tty
isula run -d -t --name tty --external-rootfs "$BB" none sh -c 'echo tty-out; sleep 300' >/dev/null
wait_for "tty: logs returns the console's raw bytes" 5 \
	sh -c "'$ISULA' logs tty | od -c | grep -q 'o   u   t  \\\\r  \\\\n'"
expect_ok "tty: the console log is liblxc's" grep -q "lxc.console.logfile" "$LCR/$(cid tty)/config"
expect_ok "tty: the console log is bounded by max-size" \
	grep -q "lxc.console.size = 1048576" "$LCR/$(cid tty)/config"
expect_ok "rm -f tty" isula rm -f tty

# --------------------------------------------------------------------------- -i stdin FIFO
isula run -d -i --name reader --external-rootfs "$BB" none \
	sh -c 'while read line; do echo "got:$line"; done' >/dev/null
rid=$(cid reader)
expect_ok "-i: the stdin FIFO exists in the state dir" test -p "$STATE/$rid/stdin.fifo"
echo "first" >"$STATE/$rid/stdin.fifo"
wait_for "-i: what is written to the FIFO reaches the init" 5 \
	sh -c "'$ISULA' logs reader | grep -qx got:first"
sleep 0.3
expect_eq "-i: the init sees no EOF after the writer closes" running "$(status_of reader)"
echo "second" >"$STATE/$rid/stdin.fifo"
wait_for "-i: a second writer is read too" 5 sh -c "'$ISULA' logs reader | grep -qx got:second"
isula run --name noin --external-rootfs "$BB" none sh -c 'cat; echo eof-seen' >/dev/null
expect_eq "without -i stdin is /dev/null" eof-seen "$(isula logs noin)"

# ----------------------------------------------------------------- daemon killed mid-output
isula run -d --name survivor --external-rootfs "$BB" none \
	sh -c 'i=0; while [ $i -lt 300 ]; do echo "n $i"; i=$((i+1)); sleep 0.01; done' >/dev/null
sid=$(cid survivor)
sleep 0.5
kill_daemon main
sleep 1
grep -q '"n 1' "$LCR/$sid/console.log" && pass "the log grows while the daemon is dead" ||
	fail "the log grows while the daemon is dead"
poll 15 sh -c "grep -q '\"n 299' '$LCR/$sid/console.log'"
start_daemon main
wait_for "the container exited meanwhile" 10 is_status survivor exited
expect_eq "no output lost while the daemon was dead" "$(seq 0 299 | sed 's/^/n /' | md5sum)" \
	"$(isula logs survivor | md5sum)"

# ------------------------------------------------------------------------ daemon defaults
mkdir -p "$IT_TMP/daemon-defs"
echo '{"container-log": {"driver": "json-file", "opts": {"max-size": "20k", "max-file": "2"}}}' \
	>"$IT_TMP/daemon-defs/daemon.json"
start_daemon defs
isula create --name withdefs --external-rootfs "$BB" none true >/dev/null
expect_match "daemon.json container-log sets the defaults" '"max-size":"20480","max-file":"2"' \
	"$(isula inspect withdefs | tr -d ' \n')"
isula create --name ownopts --log-opt max-file=5 --external-rootfs "$BB" none true >/dev/null
expect_match "a container's --log-opt wins over daemon.json" '"max-size":"20480","max-file":"5"' \
	"$(isula inspect ownopts | tr -d ' \n')"
isula rm withdefs ownopts >/dev/null
stop_daemon defs
use_daemon main
echo '{"container-log": {"opts": {"max-file": "zero"}}}' >"$IT_TMP/bad-daemon.json"
expect_fail "a bad container-log option stops the daemon with a clear error" \
	"container-log: Invalid log option max-file=zero" \
	"$ISULAD" --config-file "$IT_TMP/bad-daemon.json" -g "$IT_TMP/g2" -S "$IT_TMP/s2" \
	-H "unix://$IT_TMP/bad.sock"
echo '{"container-log": {"driver": "syslog"}}' >"$IT_TMP/bad-daemon.json"
expect_fail "an unknown container-log driver stops the daemon" "allowed are json-file and none" \
	"$ISULAD" --config-file "$IT_TMP/bad-daemon.json" -g "$IT_TMP/g2" -S "$IT_TMP/s2" \
	-H "unix://$IT_TMP/bad.sock"

# ------------------------------------------------------------------------------ docker CLI
if command -v docker >/dev/null; then
	export DOCKER_CONFIG=$IT_TMP/docker-config
	mkdir -p "$DOCKER_CONFIG"
	docker -H "unix://$SOCK" logs sep >"$IT_TMP/d.out" 2>"$IT_TMP/d.err"
	expect_eq "docker logs: exit 0" 0 $?
	expect_eq "docker logs: stdout demultiplexed" "out-one
out-two" "$(cat "$IT_TMP/d.out")"
	expect_eq "docker logs: stderr demultiplexed" "err-one
err-two" "$(cat "$IT_TMP/d.err")"
	expect_eq "docker logs --tail 2" "99
100" "$(docker -H "unix://$SOCK" logs --tail 2 hundred 2>&1)"
	line=$(docker -H "unix://$SOCK" logs -t --tail 1 hundred 2>&1)
	[[ "$line" =~ ${TS_RE}100$ ]] && pass "docker logs -t ($line)" ||
		fail "docker logs -t" "$line"
	run_capture timeout 10 docker -H "unix://$SOCK" logs -f ticker
	expect_eq "docker logs -f of an exited container" 6 "$(echo "$LAST_OUT" | grep -c tick)"
	isula run -d -t --name dtty --external-rootfs "$BB" none sh -c 'echo docker-tty' >/dev/null
	wait_for "docker logs of a tty container" 5 \
		sh -c "docker -H 'unix://$SOCK' logs dtty | grep -q docker-tty"
else
	fail "docker CLI installed (needed for the compatibility checks)"
fi

# ---------------------------------------------------------------------------------- clean
ids=$(isula ps -aq)
# shellcheck disable=SC2086
[ -z "$ids" ] || expect_ok "rm -f of every container" isula rm -f $ids
assert_no_leftovers main
it_finish
