#!/usr/bin/env bash
# isula attach and foreground isula run: the output of containers without a tty (from their
# log, none missed by a foreground run, even with --rm), the console of -t containers, Ctrl-P
# Ctrl-Q detaching, exit codes, events, and the Docker CLI's attach.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# in_pty CMD: CMD under a pty of its own (script), CRs removed; script's exit code is CMD's.
in_pty() {
	script -qec "stty cols 100 rows 30; $1" /dev/null </dev/null | tr -d '\r'
	return "${PIPESTATUS[0]}"
}

# ----------------------------------------------------------------- foreground run, no tty
out=$(isula run --rm --external-rootfs "$BB" none sh -c 'echo to-out; echo to-err >&2; exit 3' \
	2>"$IT_TMP/err")
rc=$?
expect_eq "foreground run: stdout of the container" to-out "$out"
expect_eq "foreground run: stderr of the container on stderr" to-err "$(cat "$IT_TMP/err")"
expect_eq "foreground run: the container's exit code" 3 "$rc"
bad=0
for i in $(seq 1 10); do
	got=$(isula run --rm --external-rootfs "$BB" none echo "quick-$i" 2>&1)
	[ "$got" = "quick-$i" ] || bad=$((bad + 1))
done
expect_eq "foreground run --rm of an instant command prints its output (10 of 10)" 0 "$bad"
out=$(isula run --rm --external-rootfs "$BB" none sh -c 'seq 1 20000' | tail -n 1)
expect_eq "foreground run: the last of 20000 lines arrives" 20000 "$out"

# ------------------------------------------------------------------ attach, no tty
# The container goes on only once the attach is connected (its event), however slow the
# machine: a file the host makes in the rootfs.
id=$(isula run -d --external-rootfs "$BB" none sh -c \
	'echo before; while [ ! -e /attach-go ]; do sleep 0.05; done; echo after; exit 7')
asince=$(date +%s)
timeout 60 "$ISULA" attach "$id" >"$IT_TMP/attach.out" 2>&1 &
apid=$!
attached() {
	timeout 5 "$ISULA" events --since "$asince" --until "$(($(date +%s) + 1))" 2>/dev/null |
		grep -q "container attach $id"
}
wait_for "attach (no tty): connected (its event)" 30 attached
touch "$BB/attach-go"
wait "$apid"
rc=$?
rm -f "$BB/attach-go"
out=$(cat "$IT_TMP/attach.out")
expect_eq "attach (no tty): output from the attach on, until the exit" after "$out"
expect_eq "attach (no tty): the container's exit code" 7 "$rc"
expect_fail "attach to an exited container is refused" "You cannot attach to a stopped container" \
	isula attach "$id"
expect_fail "attach to an unknown container is refused" "No such container" \
	isula attach no-such-container
isula rm -f "$id" >/dev/null

# ------------------------------------------------------------------ stdin, no tty
out=$(printf 'line-1\nline-2\n' | timeout 20 "$ISULA" run -i --rm --external-rootfs "$BB" none cat)
rc=$?
expect_eq "run -i (no tty): piped stdin reaches the container and its end ends cat" \
	"line-1 line-2 0" "$(echo $out) $rc"
out=$(printf 'abc' | timeout 20 "$ISULA" run -i --rm --external-rootfs "$BB" none sh -c 'wc -c')
expect_eq "run -i (no tty): input without a final newline arrives whole" 3 "$(echo $out)"
sid=$(isula run -d -i --external-rootfs "$BB" none sh -c 'while read l; do echo "got:$l"; done; echo eof')
out=$(printf 'one\n' | timeout 5 "$ISULA" attach "$sid" 2>&1)
expect_eq "attach (no tty, -i): stdin forwarded, output comes back" "got:one" "$out"
expect_eq "attach (no tty, -i, not run -i): the end of the client's input leaves stdin open" \
	running "$(status_of "$sid")"
out=$(printf 'two\n' | timeout 5 "$ISULA" attach "$sid" 2>&1)
expect_eq "attach (no tty, -i): a second attach sends input too" "got:two" "$out"
expect_eq "inspect: StdinOnce of a detached -i container" false "$(ifield "$sid" '{{.Config.StdinOnce}}')"
isula rm -f "$sid" >/dev/null

# ------------------------------------------------------------------ -t containers
out=$(in_pty "$ISULA run -t --rm --external-rootfs $BB none sh -c 'sleep 0.5; tty; exit 6'")
rc=$?
[[ "$out" == */dev/pts/* ]] && pass "run -t: the command has a terminal" ||
	fail "run -t: the command has a terminal" "output: '$out'"
expect_eq "run -t: the container's exit code" 6 "$rc"
out=$(in_pty "$ISULA run -t --rm --external-rootfs $BB none sh -c 'echo at-once; sleep 0.3; echo later'")
expect_eq "run -t: output written before the attach is not lost" "at-once later" "$(echo $out)"

tid=$(isula run -tid --external-rootfs "$BB" none sh)
wait_for "the -ti container runs" 5 is_status "$tid" running
out=$(script -qec "$ISULA attach $tid; echo \"client=\$?\"" /dev/null \
	< <(sleep 0.5; printf 'echo typed-$((6*7))\r'; sleep 0.5; printf '\x10\x11'; sleep 0.5) |
	tr -d '\r')
[[ "$out" == *typed-42* ]] && pass "attach -t: typed input reaches the console, output comes back" ||
	fail "attach -t: typed input reaches the console, output comes back" "output: '$out'"
[[ "$out" == *client=0* ]] && pass "attach -t: Ctrl-P Ctrl-Q detaches with exit 0" ||
	fail "attach -t: Ctrl-P Ctrl-Q detaches with exit 0" "output: '$out'"
expect_eq "attach -t: the container still runs after the detach" running "$(status_of "$tid")"
out=$(script -qec "$ISULA attach $tid; echo \"client=\$?\"" /dev/null \
	< <(sleep 0.5; printf 'exit 5\r'; sleep 1) | tr -d '\r')
[[ "$out" == *client=5* ]] && pass "attach -t: the shell's exit ends the attach with its code" ||
	fail "attach -t: the shell's exit ends the attach with its code" "output: '$out'"
wait_for "the -ti container has exited" 5 is_status "$tid" exited

# Events of attach and exec.
since=$(date +%s)
aid=$(isula run -d --external-rootfs "$BB" none sleep 100)
isula exec "$aid" true
isula exec "$aid" sh -c 'exit 3'
timeout 60 "$ISULA" attach "$aid" >/dev/null 2>&1 </dev/null &
apid=$!
ev_has() {
	ev=$(timeout 5 "$ISULA" events --since "$since" --until "$(($(date +%s) + 1))" 2>&1)
	[[ "$ev" == *"container attach $aid"* ]]
}
wait_for "the attach is connected (its event)" 30 ev_has
kill "$apid" 2>/dev/null
wait "$apid" 2>/dev/null
ev=$(timeout 5 "$ISULA" events --since "$since" --until "$(($(date +%s) + 1))" 2>&1)
for action in "exec_create: true" "exec_start: true" "exec_create: sh -c exit 3" attach; do
	expect_match "events: container $action (Docker's action with the command)" \
		"container $action $aid" "$ev"
done
expect_match "events: exec_die with the exit code 0" "container exec_die $aid (execID=" "$ev"
expect_match "events: exec_die with the exit code 3" "exitCode=3" "$ev"
# isula events has no --filter (the seed's); the Docker CLI's goes to the API.
ev=$(DOCKER_CONFIG=$IT_TMP/docker timeout 20 docker -H "unix://$SOCK" events --since "$since" \
	--until "$(($(date +%s) + 1))" --filter event=exec_create 2>&1)
expect_eq "docker events --filter event=exec_create: both execs' creates, nothing else" \
	"exec_create: true|exec_create: sh -c exit 3" \
	"$(sed -n 's/.* container \(exec_create: .*\) [0-9a-f]\{64\} (.*/\1/p' <<<"$ev" | paste -sd'|')"

# ------------------------------------------------------------------ start -a / -i
sa=$(isula create --external-rootfs "$BB" none sh -c 'echo start-a-out; echo start-a-err >&2; exit 5')
out=$(isula start -a "$sa" 2>"$IT_TMP/err")
rc=$?
expect_eq "start -a: the container's stdout" start-a-out "$out"
expect_eq "start -a: its stderr on stderr" start-a-err "$(cat "$IT_TMP/err")"
expect_eq "start -a: the container's exit code" 5 "$rc"
expect_eq "start -a: the container has exited" exited "$(status_of "$sa")"
out=$(isula start --attach "$sa" 2>&1)
rc=$?
expect_eq "start --attach again: both streams of the second run" \
	"$(printf 'start-a-err\nstart-a-out')" "$(sort <<<"$out")"
expect_eq "start --attach again: its exit code" 5 "$rc"
sb=$(isula create --external-rootfs "$BB" none sh -c 'no-such-cmd-here')
isula start -a "$sb" >/dev/null 2>&1
expect_eq "start -a of a command that is not found: sh's 127" 127 $?
sc=$(isula create --external-rootfs "$BB" none true)
expect_fail_code "start -a of two containers is refused" 1 \
	"you cannot start and attach multiple containers at once" isula start -a "$sb" "$sc"
expect_eq "... and starts neither" inited "$(status_of "$sc")"
expect_fail_code "start -a of an unknown container: exit 1" 1 "No such container" \
	isula start -a no-such-ctr
si=$(isula create -i --external-rootfs "$BB" none sh -c 'read l; echo "got:$l"; exit 6')
out=$(echo line-in | isula start -a -i "$si" 2>&1)
rc=$?
expect_eq "start -a -i: stdin reaches a -i container" got:line-in "$out"
expect_eq "start -a -i: its exit code" 6 "$rc"
st=$(isula create -t --external-rootfs "$BB" none sh -c 'echo tty-start-a; exit 7')
out=$(in_pty "$ISULA start -a $st")
rc=$?
expect_eq "start -a of a -t container: its console" tty-start-a "$out"
expect_eq "start -a of a -t container: its exit code" 7 "$rc"
out=$(in_pty "$ISULA start -a $st")
expect_eq "start -a of the -t container again: the second run's console only" tty-start-a "$out"
bad=0 kept=()
for i in 1 2 3 4 5 6 7 8 9 10; do
	rm_flag=--rm
	[ $((i % 2)) = 0 ] && rm_flag="--name quick-$i" && kept+=("quick-$i")
	out=$(in_pty "$ISULA run -t $rm_flag --external-rootfs $BB none sh -c 'echo quick-tty-$i; exit 4'")
	rc=$?
	[ "$out" = "quick-tty-$i" ] && [ "$rc" = 4 ] || { bad=$((bad + 1)); it_log "run -t $i: rc $rc, output: $(printf %q "$out")"; }
done
expect_eq "run -t (and --rm) of an instant command: its output once and exit code (10 of 10)" \
	0 "$bad"
isula rm -f "${kept[@]}" >/dev/null
if command -v docker >/dev/null; then
	out=$(DOCKER_CONFIG=$IT_TMP/docker timeout 20 docker -H "unix://$SOCK" start -a "$sa" 2>&1)
	rc=$?
	expect_eq "docker start -a of an exited container: its output" \
		"$(printf 'start-a-err\nstart-a-out')" "$(sort <<<"$out")"
	expect_eq "docker start -a: its exit code" 5 "$rc"
fi
isula rm -f "$sa" "$sb" "$sc" "$si" "$st" >/dev/null

# ------------------------------------------------------------------ Docker CLI
export DOCKER_CONFIG=$IT_TMP/docker
if command -v docker >/dev/null; then
	# Output 3 s after the start: the docker CLI can take over a second to attach (sanitizers).
	did=$(isula run -d --external-rootfs "$BB" none sh -c 'sleep 3; echo from-docker; exit 4')
	out=$(timeout 20 docker -H "unix://$SOCK" attach "$did" 2>&1)
	rc=$?
	expect_eq "docker attach: the output" from-docker "$out"
	expect_eq "docker attach: the exit code" 4 "$rc"
else
	fail "the docker CLI is installed"
fi

isula rm -f "$tid" "$aid" ${did:+"$did"} >/dev/null
assert_no_leftovers main
it_finish
