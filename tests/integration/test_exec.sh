#!/usr/bin/env bash
# isula exec (Docker semantics) on busybox containers: stdout/stderr kept apart, exit codes,
# -i (stdin forwarded, EOF closes it, megabytes through), -t (pty, terminal size, resize),
# -u, -w, -e, -d, errors for stopped and unknown containers, parallel execs, exec in a
# --system-container, the Docker CLI against the same socket, and no `isulad-monitor exec`
# helper left once the execs are over.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# run_split CMD...: runs CMD with stdout and stderr captured apart in OUT and ERR, its exit
# code in RC. Stdin is /dev/null unless the caller redirects it.
run_split() {
	"$@" >"$IT_TMP/split.out" 2>"$IT_TMP/split.err"
	RC=$?
	OUT=$(cat "$IT_TMP/split.out")
	ERR=$(cat "$IT_TMP/split.err")
}

# exec_helpers ID: the `isulad-monitor exec` helpers of container ID still alive (pid + args).
exec_helpers() { pgrep -af "isulad-monitor exec .*$1" 2>/dev/null; }
no_exec_helpers() { [ -z "$(exec_helpers "$1")" ]; }

# expect_no_helpers DESC ID: the helpers end at most 5 s after the last exec (a helper reaps
# its command and exits; it must not linger).
expect_no_helpers() {
	if poll 5 no_exec_helpers "$2"; then
		pass "$1"
	else
		fail "$1" "still alive after 5 s:" "$(exec_helpers "$2")"
	fi
}

# in_pty CMD: runs the shell command CMD under a pty of its own whose size is 123x45 (script
# exits with CMD's exit code); prints the output with the pty's CRs removed, and the "^@"
# the pty echoes when script passes on its stdin's end (before or after CMD's output,
# depending on when the client restored the terminal).
in_pty() {
	script -qec "stty cols 123 rows 45; $1" /dev/null </dev/null | tr -d '\r' | sed 's/\^@//g'
	return "${PIPESTATUS[0]}"
}

id=$(isula run -d --name ex -e FOO=from-run -e KEEP=kept --external-rootfs "$BB" none sleep 1000)
is_status ex running || it_abort "run -d of the exec target (got '$id')"

# HOSTNAME, as Docker and iSulad set it: in the init's environment and every exec's.
# (No network here: the seed's default hostname, localhost.)
expect_eq "exec: HOSTNAME is the container's hostname" "localhost" \
	"$(isula exec ex sh -c 'echo $HOSTNAME' 2>&1)"
expect_eq "the init has HOSTNAME too" "HOSTNAME=localhost" \
	"$(isula exec ex sh -c 'tr "\0" "\n" </proc/1/environ | grep ^HOSTNAME=' 2>&1)"
expect_eq "exec -e HOSTNAME=x gives its own" x "$(isula exec -e HOSTNAME=x ex sh -c 'echo $HOSTNAME' 2>&1)"
run_split isula exec ex ""
expect_match "exec of an empty command says so" "the command is empty" "$ERR"
expect_eq "... exit code 125 (refused before anything ran)" 125 "$RC"
run_split "$ISULA"
expect_eq "bare isula: exit 0" 0 "$RC"
expect_match "bare isula: its help on stdout" "COMMANDS:" "$OUT"

# isula info shows the daemon's proxies with their credentials hidden.
HTTP_PROXY=http://alice:s3cret@proxy.invalid:3128 https_proxy=http://bob@proxy.invalid:3129 \
	NO_PROXY=localhost,.example start_daemon px || it_abort "the proxy daemon must start"
info=$(isula info 2>&1)
expect_match "info: Http Proxy, credentials masked" "Http Proxy: http://xxxxx:xxxxx@proxy.invalid:3128" "$info"
expect_match "info: Https Proxy (lower-case variable)" "Https Proxy: http://xxxxx@proxy.invalid:3129" "$info"
expect_match "info: No Proxy" "No Proxy: localhost,.example" "$info"
[[ "$info" != *s3cret* ]] && pass "info never shows the password" || fail "info never shows the password" "$info"
stop_daemon px
use_daemon main

# ------------------------------------------------------------------------ stdout and stderr
run_split isula exec ex sh -c 'echo to-out; echo to-err >&2; echo more-out'
expect_eq "exec: --tls words after the container are the command's own" \
	"--tls --tlsverify --tlscacert x" "$(isula exec ex echo --tls --tlsverify --tlscacert x 2>&1)"
expect_eq "run: --tls words after the image are the command's own" "--tlsverify" \
	"$(isula run --rm --external-rootfs "$BB" none echo --tlsverify 2>&1)"
expect_eq "exec of a succeeding command exits 0" 0 "$RC"
expect_eq "stdout gets the command's stdout only" "to-out
more-out" "$OUT"
expect_eq "stderr gets the command's stderr only" "to-err" "$ERR"

# Many interleaved lines: each stream keeps all of its own lines, in order, and none of the
# other's.
run_split isula exec ex sh -c 'i=1; while [ $i -le 2000 ]; do echo o$i; echo e$i >&2; i=$((i+1)); done'
expect_eq "2000 interleaved lines: stdout is exactly o1..o2000" "$(seq 1 2000 | sed 's/^/o/')" "$OUT"
expect_eq "2000 interleaved lines: stderr is exactly e1..e2000" "$(seq 1 2000 | sed 's/^/e/')" "$ERR"

run_split isula exec ex sh -c 'printf no-newline'
expect_eq "output without a final newline comes through" "no-newline" "$OUT"

# ------------------------------------------------------------------------------ exit codes
run_split isula exec ex true
expect_eq "true: exit code 0" 0 "$RC"
run_split isula exec ex sh -c 'echo before-exit; exit 4'
expect_eq "sh -c 'exit 4': exit code 4" 4 "$RC"
expect_eq "sh -c 'exit 4': its output still arrives" "before-exit" "$OUT"
run_split isula exec ex false
expect_eq "false: exit code 1" 1 "$RC"
run_split isula exec ex sh -c 'kill -9 $$'
expect_eq "a command killed by SIGKILL: exit code 137" 137 "$RC"
run_split isula exec ex nonexist
expect_eq "a missing command: exit code 127" 127 "$RC"
expect_eq "a missing command: the exact error on stderr" \
	'exec failed: unable to start container process: exec: "nonexist": executable file not found in $PATH' \
	"$ERR"
expect_eq "a missing command: nothing on stdout" "" "$OUT"
run_split isula exec ex /no/such/binary
expect_eq "a missing absolute path: exit code 127" 127 "$RC"
expect_match "a missing absolute path: named in the error" '"/no/such/binary"' "$ERR"
expect_fail "exec without a command is a usage error" "requires at least 2 arguments" isula exec ex

# -------------------------------------------------------------------------------- stdin (-i)
out=$(echo hello | timeout 20 "$ISULA" exec -i ex cat 2>&1)
rc=$?
expect_eq "echo hello | exec -i cat: exit code 0" 0 "$rc"
expect_eq "echo hello | exec -i cat: prints hello" hello "$out"
out=$(echo hello | timeout 20 "$ISULA" exec ex cat 2>&1)
rc=$?
expect_eq "without -i stdin is not forwarded: cat reads nothing and ends" "0 ''" "$rc '$out'"
out=$(printf 'x\ny\n' | timeout 20 "$ISULA" exec -i ex sh -c 'cat >/dev/null; echo saw-eof' 2>&1)
expect_eq "EOF on the client's stdin closes the command's stdin" saw-eof "$out"
out=$(printf 'a\nb\nc\n' | timeout 20 "$ISULA" exec -i ex wc -l 2>&1)
expect_eq "exec -i wc -l counts the piped lines" 3 "$(echo $out)"
out=$( (
	echo first
	sleep 1
	echo second
) | timeout 20 "$ISULA" exec -i ex cat 2>&1)
expect_eq "input arriving over time is forwarded as it comes" "first
second" "$out"
# Shell: a script on stdin, stdout and stderr still apart.
printf 'echo via-sh\necho via-sh-err >&2\nexit 9\n' >"$IT_TMP/script.sh"
run_split timeout 20 "$ISULA" exec -i ex sh <"$IT_TMP/script.sh"
expect_eq "exec -i sh < script: the script's exit code" 9 "$RC"
expect_eq "exec -i sh < script: its stdout" via-sh "$OUT"
expect_eq "exec -i sh < script: its stderr" via-sh-err "$ERR"

# ------------------------------------------------------------------ large stdin and stdout
# 5 MB of printable data (base64 of random bytes) through cat and back.
head -c 3750000 /dev/urandom | base64 -w 0 >"$IT_TMP/big.txt"
want_sum=$(md5sum <"$IT_TMP/big.txt")
got_sum=$(timeout 60 "$ISULA" exec -i ex cat <"$IT_TMP/big.txt" | md5sum)
expect_eq "5 MB of text through exec -i cat: same checksum" "$want_sum" "$got_sum"
got=$(cat "$IT_TMP/big.txt" | timeout 60 "$ISULA" exec -i ex wc -c)
expect_eq "5 MB of text piped to exec -i wc -c: all 5000000 bytes arrive" 5000000 "$(echo $got)"
# 5 MB of random binary data out of the container, on stdout and on stderr.
head -c 5000000 /dev/urandom >"$BB/big.bin"
bin_sum=$(md5sum <"$BB/big.bin")
got_sum=$(timeout 60 "$ISULA" exec ex cat /big.bin | md5sum)
expect_eq "5 MB of binary data on stdout: same checksum" "$bin_sum" "$got_sum"
got_sum=$(timeout 60 "$ISULA" exec ex sh -c 'cat /big.bin >&2' 2>&1 >/dev/null | md5sum)
expect_eq "5 MB of binary data on stderr: same checksum" "$bin_sum" "$got_sum"
# Random binary input holds Ctrl-P Ctrl-Q pairs: without -t they are data, not the detach
# keys (Docker scans for detach keys only with a TTY).
got_sum=$(timeout 60 "$ISULA" exec -i ex cat <"$BB/big.bin" | md5sum)
expect_eq "5 MB of binary data through exec -i cat: same checksum" "$bin_sum" "$got_sum"
out=$(printf 'ab\x10\x11cd' | timeout 20 "$ISULA" exec -i ex od -An -tx1 2>&1)
expect_eq "without -t, Ctrl-P Ctrl-Q in stdin are plain data" "61 62 10 11 63 64" "$(echo $out)"
out=$(printf 'ab\x10cd\x00\xff' | timeout 20 "$ISULA" exec -i ex od -An -tx1 2>&1)
expect_eq "without -t, a lone Ctrl-P, NUL and 0xff pass unchanged" "61 62 10 63 64 00 ff" "$(echo $out)"
# A command that writes 5 MB before it reads its stdin: the client must keep reading the
# output while its own stdin is still pending (a client that blocks sending stdin and reads
# output only in between deadlocks here, every time).
got_sum=$(timeout 60 "$ISULA" exec -i ex sh -c 'cat /big.bin; wc -c >&2' <"$IT_TMP/big.txt" \
	2>"$IT_TMP/wc.err" | md5sum)
expect_eq "exec -i: 5 MB of output before the 5 MB of stdin is read (no deadlock)" \
	"$bin_sum|5000000" "$got_sum|$(tr -d ' \n' <"$IT_TMP/wc.err")"

# --------------------------------------------------------------------------------- tty (-t)
run_split isula exec ex tty
expect_eq "without -t the command has no terminal (tty exits 1)" "1 not a tty" "$RC $OUT"
out=$(in_pty "$ISULA exec -it ex sh -c 'tty; stty size'")
rc=$?
expect_eq "exec -it: exit code 0" 0 "$rc"
[[ "$out" =~ (^|[^a-z/])/dev/pts/[0-9]+$'\n' ]] && pass "exec -it: tty is a /dev/pts/N" ||
	fail "exec -it: tty is a /dev/pts/N" "output: '$out'"
[[ "$out" == *$'\n'"45 123" ]] && pass "exec -it: stty size is the client terminal's 45 123" ||
	fail "exec -it: stty size is the client terminal's 45 123" "output: '$out'"
out=$(in_pty "$ISULA exec -t ex sh -c 'tty; stty size'")
[[ "$out" =~ /dev/pts/[0-9]+$'\n'"45 123" ]] && pass "exec -t (no -i): a pty of the client's size" ||
	fail "exec -t (no -i): a pty of the client's size" "output: '$out'"
in_pty "$ISULA exec -it ex sh -c 'exit 3'" >/dev/null
expect_eq "exec -it: the command's exit code (3)" 3 "$?"
out=$(in_pty "$ISULA exec -it ex sh -c 'echo to-err >&2'")
expect_eq "exec -it: stderr comes through the pty" "to-err" "$out"
# Bytes as Docker gives them: the container's pty makes "\r\n" of "\n", nothing after it
# adds another "\r" (liblxc's own attach terminal gave "hi\r\r\n").
expect_eq "exec -t echo hi: exactly 'hi\\r\\n'" "68 69 0d 0a" \
	"$("$ISULA" exec -t ex echo hi | od -An -tx1 | xargs)"
expect_eq "... two lines: 'a\\r\\nb\\r\\n'" "61 0d 0a 62 0d 0a" \
	"$("$ISULA" exec -t ex printf 'a\nb\n' | od -An -tx1 | xargs)"
expect_eq "... through the Docker CLI too" "68 69 0d 0a" \
	"$(docker -H "unix://$SOCK" exec -t ex echo hi | od -An -tx1 | xargs)"
run_split isula exec -t ex sh -c 'exit 7'
expect_eq "exec -t: the command's exit code (7)" 7 "$RC"
# ConsoleSize (Docker API 1.42) in the exec's create: the pty has that size from the start,
# before any resize (the race a command asking at once would lose).
eid=$(curl -s --max-time 10 --unix-socket "$SOCK" -H 'Content-Type: application/json' \
	-d '{"Cmd":["sh","-c","stty size >/tmp/cs"],"Tty":true,"ConsoleSize":[31,77]}' \
	http://x/v1.41/containers/ex/exec | sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p')
curl -s --max-time 10 --unix-socket "$SOCK" -H 'Content-Type: application/json' \
	-d '{"Detach":true,"Tty":true}' "http://x/v1.41/exec/$eid/start" >/dev/null
wait_for "an exec created with ConsoleSize [31,77] ran" 10 isula exec ex test -s /tmp/cs
expect_eq "... its pty had that size from the start" "31 77" "$(isula exec ex cat /tmp/cs)"
# The client's terminal is resized while the command runs: the pty inside follows.
out=$(in_pty "sh -c '$ISULA exec -it ex sh -c \"stty size; sleep 1.5; stty size\" </dev/tty & sleep 0.6; stty cols 99 rows 33; wait'")
expect_eq "exec -it: a resize of the client's terminal reaches the pty" "45 123
33 99" "$out"
# Typed input reaches the command through the pty.
out=$(script -qec "stty cols 123 rows 45; $ISULA exec -it ex sh -c 'read l; echo got-\$l'" /dev/null \
	< <(sleep 0.5; printf 'typed\r'; sleep 1) | tr -d '\r')
[[ "$out" == *got-typed* ]] && pass "exec -it: typed input reaches the command" ||
	fail "exec -it: typed input reaches the command" "output: '$out'"

# No -i, -t or -d at a terminal: the seed's "-it by default"; piped or redirected: Docker's.
out=$(in_pty "$ISULA exec ex sh -c 'tty; stty size'")
[[ "$out" =~ /dev/pts/[0-9]+$'\n'"45 123" ]] && pass "exec without flags at a terminal: a pty (the seed's -it)" ||
	fail "exec without flags at a terminal: a pty (the seed's -it)" "output: '$out'"
out=$(script -qec "stty cols 123 rows 45; $ISULA exec ex sh -c 'read l; echo got-\$l'" /dev/null \
	< <(sleep 0.5; printf 'typed\r'; sleep 1) | tr -d '\r')
[[ "$out" == *got-typed* ]] && pass "exec without flags at a terminal: typed input reaches the command" ||
	fail "exec without flags at a terminal: typed input reaches the command" "output: '$out'"
expect_eq "exec without flags, output piped: no tty (Docker's)" "not a tty" \
	"$(in_pty "$ISULA exec ex tty | cat")"
expect_eq "exec without flags, input redirected: no tty (Docker's)" "not a tty" \
	"$(in_pty "$ISULA exec ex tty </dev/null")"
expect_eq "exec -i at a terminal: no tty (a flag given: no default)" "not a tty" \
	"$(in_pty "$ISULA exec -i ex tty")"
expect_eq "exec -d=false at a terminal: no tty either" "not a tty" \
	"$(in_pty "$ISULA exec -d=false ex tty")"

# Ctrl-P Ctrl-Q typed on the terminal detach: the client ends at once (exit 0), the command
# goes on.
# (script itself stays until its input ends: the client's own end time is what counts.)
t0=$(now_us)
# (date, not $EPOCHREALTIME: script runs the command with $SHELL, which may not be bash.)
script -qec "$ISULA exec -it ex sleep 444; echo \$? \$(date +%s%6N) >$IT_TMP/detached" \
	/dev/null < <(sleep 0.5; printf '\x10\x11'; sleep 8) >/dev/null
rc="" t1=""
read -r rc t1 2>/dev/null <"$IT_TMP/detached"
ms=$(((${t1:-0} - t0) / 1000))
[ "$rc" = 0 ] && [ "$ms" -lt 6000 ] && pass "exec -it: Ctrl-P Ctrl-Q detaches the client (exit 0, ${ms} ms)" ||
	fail "exec -it: Ctrl-P Ctrl-Q detaches the client" "exit $rc after ${ms} ms"
expect_match "exec -it: the detached command goes on" "sleep 444" "$(isula exec ex ps 2>&1)"

# ------------------------------------------------------------------------------------ -u
expect_eq "-u nobody: uid and gid 65534" "65534 65534" "$(isula exec -u nobody ex sh -c 'echo $(id -u) $(id -g)' 2>&1)"
expect_eq "-u 65534: by number" 65534 "$(isula exec -u 65534 ex id -u 2>&1)"
expect_eq "-u 1234:5678: numeric uid:gid not in passwd" "1234 5678" \
	"$(isula exec -u 1234:5678 ex sh -c 'echo $(id -u) $(id -g)' 2>&1)"
expect_eq "-u root" 0 "$(isula exec -u root ex id -u 2>&1)"
expect_eq "no -u: root" 0 "$(isula exec ex id -u 2>&1)"
run_split isula exec -u nosuchuser ex id -u
expect_eq "-u of an unknown user fails with exit code 126" 126 "$RC"
expect_match "-u of an unknown user: the error names the user" \
	"unable to find user nosuchuser: no matching entries in passwd file" "$ERR"
expect_eq "-u of an unknown user: the command does not run" "" "$OUT"

# ------------------------------------------------------------------------------------ -w
expect_eq "-w /etc sets the cwd" /etc "$(isula exec -w /etc ex pwd 2>&1)"
expect_eq "-w /usr/bin with -u nobody" "/usr/bin 65534" "$(isula exec -u nobody -w /usr/bin ex sh -c 'echo $(pwd) $(id -u)' 2>&1)"
expect_eq "no -w: the container's cwd /" / "$(isula exec ex pwd 2>&1)"
# Docker (runc) refuses a missing cwd: exit 126, 'chdir to cwd ("/nonexist") ...'; the
# command must not run in / instead.
expect_fail_code "-w of a missing directory is refused with exit code 126" 126 \
	'chdir to cwd ("/nonexist")' isula exec -w /nonexist ex pwd
expect_eq "-w of a missing directory: the command does not run" "" "$(isula exec -w /nonexist ex pwd 2>/dev/null)"
expect_fail_code "-w of a file is refused with exit code 126" 126 \
	'chdir to cwd ("/etc/passwd")' isula exec -w /etc/passwd ex pwd

# ------------------------------------------------------------------------------------ -e
out=$(isula exec ex sh -c 'echo "$FOO|$KEEP|$PATH"' 2>&1)
expect_eq "no -e: the container's env and the default PATH" \
	"from-run|kept|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$out"
out=$(isula exec -e FOO=overridden -e NEW=added ex sh -c 'echo "$FOO|$KEEP|$NEW"' 2>&1)
expect_eq "-e overrides FOO, adds NEW, KEEP is inherited" "overridden|kept|added" "$out"
out=$(isula exec -e PATH=/bin -e 'SPACED=a b  c' -e EMPTY= ex sh -c 'echo "$PATH|$SPACED|${EMPTY-unset}"' 2>&1)
expect_eq "-e PATH=/bin, a value with spaces, an empty value" "/bin|a b  c|" "$out"
expect_eq "the container's env is not changed by an exec's -e" "from-run" \
	"$(isula exec ex sh -c 'echo $FOO' 2>&1)"

# ------------------------------------------------------------------------------------ -d
t0=$(now_us)
run_split isula exec -d ex sh -c 'echo d-ran >/tmp/d-mark; echo should-not-appear; exec sleep 777'
ms=$((($(now_us) - t0) / 1000))
expect_eq "exec -d exits 0" 0 "$RC"
expect_eq "exec -d prints nothing (the command's output is not attached)" "" "$OUT$ERR"
[ "$ms" -lt 3000 ] && pass "exec -d returns at once (${ms} ms) while the command runs on" ||
	fail "exec -d returns at once while the command runs on" "took ${ms} ms"
wait_for "the detached command ran (wrote /tmp/d-mark)" 5 isula exec ex grep -q d-ran /tmp/d-mark
out=$(isula exec ex ps 2>&1)
expect_match "the detached command is visible with exec ps" "sleep 777" "$out"
[ -n "$(exec_helpers "$id" | grep 'sleep 777')" ] &&
	pass "a helper waits for the detached command while it runs" ||
	fail "a helper waits for the detached command while it runs" "$(exec_helpers "$id")"
# (busybox has no pkill; the [s] keeps awk from matching itself)
kill_in_ex() { isula exec ex sh -c "kill \$(ps | awk '/[s]leep $1/ { print \$1 }')"; }
expect_ok "the detached command can be killed from another exec" kill_in_ex 777
expect_ok "so can the one detached from -it" kill_in_ex 444
poll 5 sh -c "! '$ISULA' exec ex ps | grep -q 'sleep 777'"
expect_eq "the killed detached command is gone from ps" 0 "$LAST_RC"
expect_no_helpers "its helper ends with it" "$id"

# -------------------------------------------------------------------------- parallel execs
# Ten at once; each waits until all ten have started (so they really overlap), then writes
# 300 lines of its own on stdout, one on stderr, and exits 20+N.
cat >"$BB/par.sh" <<'EOF'
#!/bin/sh
n=$1
touch /tmp/par-started-$n
t=0
while [ "$(ls /tmp | grep -c '^par-started-')" -lt 10 ]; do
	t=$((t + 1))
	[ $t -gt 200 ] && { echo "barrier timeout" >&2; exit 99; }
	sleep 0.1
done
seq 1 300 | sed "s/^/out-$n-/"
echo "err-$n" >&2
exit $((20 + n))
EOF
chmod +x "$BB/par.sh"
pids=()
for n in $(seq 1 10); do
	"$ISULA" exec ex /par.sh "$n" >"$IT_TMP/par-$n.out" 2>"$IT_TMP/par-$n.err" &
	pids+=($!)
done
bad_rc="" bad_out="" bad_err=""
for n in $(seq 1 10); do
	wait "${pids[$((n - 1))]}"
	rc=$?
	[ "$rc" = $((20 + n)) ] || bad_rc+="exec $n: exit $rc (want $((20 + n))); "
	[ "$(cat "$IT_TMP/par-$n.out")" = "$(seq 1 300 | sed "s/^/out-$n-/")" ] ||
		bad_out+="exec $n: $(wc -l <"$IT_TMP/par-$n.out") lines, first '$(head -n 1 "$IT_TMP/par-$n.out")'; "
	[ "$(cat "$IT_TMP/par-$n.err")" = "err-$n" ] ||
		bad_err+="exec $n: '$(head -c 200 "$IT_TMP/par-$n.err")'; "
done
[ -z "$bad_rc" ] && pass "10 parallel execs: each gets its own exit code" ||
	fail "10 parallel execs: each gets its own exit code" "$bad_rc"
[ -z "$bad_out" ] && pass "10 parallel execs: each gets exactly its own stdout" ||
	fail "10 parallel execs: each gets exactly its own stdout" "$bad_out"
[ -z "$bad_err" ] && pass "10 parallel execs: each gets exactly its own stderr" ||
	fail "10 parallel execs: each gets exactly its own stderr" "$bad_err"
expect_no_helpers "no exec helper is left after the parallel execs" "$id"
expect_eq "the container's init is untouched by all the execs" running "$(status_of ex)"

# ------------------------------------------------------------ the container stops under exec
isula exec ex sleep 300 >/dev/null 2>&1 &
epid=$!
poll 5 sh -c "'$ISULA' exec ex ps | grep -q 'sleep 300'"
t0=$(now_us)
expect_ok "stop -t 1 while an exec runs" isula stop -t 1 ex
wait "$epid"
rc=$?
ms=$((($(now_us) - t0) / 1000))
[ "$rc" -ne 0 ] && [ "$ms" -lt 5000 ] &&
	pass "the exec client ends when the container stops (exit $rc after ${ms} ms)" ||
	fail "the exec client ends when the container stops" "exit $rc after ${ms} ms"
expect_no_helpers "no exec helper is left after the container stopped" "$id"

# ------------------------------------------------------------ not running, unknown container
expect_fail_code "exec into a stopped container: exit code 125" 125 \
	"Error response from daemon: Exec container error; Container is not running:$id" \
	isula exec ex true
expect_eq "exec into a stopped container: exactly the error line" \
	"Error response from daemon: Exec container error; Container is not running:$id" "$LAST_OUT"
cid=$(isula create --name inited --external-rootfs "$BB" none sleep 1000)
expect_fail_code "exec into a created, never started container: exit code 125" 125 \
	"Error response from daemon: Exec container error; Container is not running:$cid" \
	isula exec inited true
expect_fail "exec into an unknown container fails" "No such container: no-such-ctr" \
	isula exec no-such-ctr true
expect_fail "exec -d into a stopped container fails too" "Container is not running" \
	isula exec -d ex true
expect_fail "exec -i into a stopped container fails too" "Container is not running" \
	sh -c "echo x | '$ISULA' exec -i ex cat"
expect_ok "start it again" isula start ex
expect_eq "exec works again after the restart" again "$(isula exec ex echo again 2>&1)"

# ------------------------------------------------------------------------ system container
SYS=$(copy_rootfs busybox) || it_abort "a second busybox rootfs copy is needed"
sid=$(isula run -d --name sys --system-container --external-rootfs "$SYS" none init)
expect_eq "run -d --system-container ... init" running "$(status_of sys)"
expect_eq "system container: exec sees busybox init as pid 1" init "$(isula exec sys cat /proc/1/comm 2>&1)"
out=$(isula exec sys ps 2>&1)
[[ "$out" =~ [[:space:]]1[[:space:]]+root[[:space:]]+init ]] &&
	pass "system container: exec ps lists init as pid 1" ||
	fail "system container: exec ps lists init as pid 1" "$out"
run_split isula exec sys sh -c 'echo sys-out; echo sys-err >&2; exit 6'
expect_eq "system container: stdout, stderr and exit code" "sys-out|sys-err|6" "$OUT|$ERR|$RC"
expect_eq "system container: exec -i" hi-sys "$(echo hi-sys | timeout 20 "$ISULA" exec -i sys cat 2>&1)"
expect_eq "system container: -u nobody -w /tmp" "65534 /tmp" \
	"$(isula exec -u nobody -w /tmp sys sh -c 'echo $(id -u) $(pwd)' 2>&1)"
out=$(in_pty "$ISULA exec -it sys sh -c 'tty; stty size'")
[[ "$out" =~ /dev/pts/[0-9]+$'\n'"45 123" ]] && pass "system container: exec -it gets a sized pty" ||
	fail "system container: exec -it gets a sized pty" "output: '$out'"
expect_no_helpers "system container: no exec helper left" "$sid"
expect_ok "rm -f the system container" isula rm -f sys

# ------------------------------------------------------------------------------ Docker CLI
export DOCKER_CONFIG=$IT_TMP/docker-config
mkdir -p "$DOCKER_CONFIG"
DOCKER=$(command -v docker) || fail "the docker CLI is installed"
if [ -n "$DOCKER" ]; then
	run_split "$DOCKER" -H "unix://$SOCK" exec ex sh -c 'echo d-out; echo d-err >&2'
	expect_eq "docker exec: stdout, stderr and exit code apart" "d-out|d-err|0" "$OUT|$ERR|$RC"
	run_split "$DOCKER" -H "unix://$SOCK" exec ex sh -c 'exit 4'
	expect_eq "docker exec: exit code 4" 4 "$RC"
	run_split "$DOCKER" -H "unix://$SOCK" exec ex nonexist
	expect_eq "docker exec of a missing command: exit code 127" 127 "$RC"
	expect_match "docker exec of a missing command: the error" \
		'exec: "nonexist": executable file not found in $PATH' "$ERR"
	out=$(echo hello | timeout 20 "$DOCKER" -H "unix://$SOCK" exec -i ex cat 2>&1)
	expect_eq "echo hello | docker exec -i cat" hello "$out"
	got_sum=$(timeout 60 "$DOCKER" -H "unix://$SOCK" exec -i ex cat <"$IT_TMP/big.txt" | md5sum)
	expect_eq "docker exec -i: 5 MB of text through cat" "$want_sum" "$got_sum"
	out=$("$DOCKER" -H "unix://$SOCK" exec -e FOO=d -u nobody -w /tmp ex sh -c 'echo $FOO $KEEP $(id -u) $(pwd)' 2>&1)
	expect_eq "docker exec -e -u -w" "d kept 65534 /tmp" "$out"
	out=$(in_pty "$DOCKER -H unix://$SOCK exec -it ex sh -c 'tty; stty size'")
	rc=$?
	[[ "$rc" = 0 && "$out" =~ /dev/pts/[0-9]+$'\n'"45 123" ]] &&
		pass "docker exec -it: a pty of the client's size" ||
		fail "docker exec -it: a pty of the client's size" "exit $rc, output: '$out'"
	in_pty "$DOCKER -H unix://$SOCK exec -it ex sh -c 'exit 5'" >/dev/null
	expect_eq "docker exec -it: exit code 5" 5 "$?"
	run_split "$DOCKER" -H "unix://$SOCK" exec -d ex sleep 555
	expect_eq "docker exec -d exits 0 at once" 0 "$RC"
	wait_for "docker exec -d: the command runs" 5 sh -c "'$ISULA' exec ex ps | grep -q 'sleep 555'"
	kill_in_ex 555
	run_split "$DOCKER" -H "unix://$SOCK" exec no-such-ctr true
	[ "$RC" -ne 0 ] && [[ "$ERR" == *"No such container: no-such-ctr"* ]] &&
		pass "docker exec into an unknown container fails" ||
		fail "docker exec into an unknown container fails" "exit $RC: $ERR"
fi
expect_no_helpers "no exec helper is left after the Docker CLI execs" "$id"

# ------------------------------------------ -it without a terminal, a client that vanishes
# On a container of its own: a stuck client or session leaves its helper behind.
tid=$(isula run -d --name ttyc --external-rootfs "$BB" none sleep 1000)
# `echo x | isula exec -it CTR cat` must not hang (the tty keeps cat's stdin open past the
# pipe's EOF): like the Docker CLI, refuse at once: "the input device is not a TTY", exit 1.
t0=$(now_us)
out=$(echo x | timeout 10 "$ISULA" exec -it ttyc cat 2>&1)
rc=$?
ms=$((($(now_us) - t0) / 1000))
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [[ "$out" == *"the input device is not a TTY"* ]] &&
	pass "exec -it with a pipe as stdin is refused ('the input device is not a TTY')" ||
	fail "exec -it with a pipe as stdin is refused ('the input device is not a TTY')" \
		"exit $rc after ${ms} ms (124: killed by timeout 10)" "output: '$out'"

# The client goes away while the daemon is still feeding the command's stdin and the command is
# not reading it (it sleeps 2 s, then writes 5 MB, then reads). The command must not be left
# blocked for ever: a Docker daemon closes its pipes once the client is gone, the next write
# gets EPIPE/SIGPIPE and the command ends.
# (Once a bug: the relay joined an input thread blocked in write() to the command's stdin.)
timeout 1 "$ISULA" exec -i ttyc sh -c 'sleep 2; cat /big.bin; wc -c >&2' <"$IT_TMP/big.txt" \
	>/dev/null 2>&1
expect_eq "a client killed mid-stream (timeout 1)" 124 "$?"
gone_helper() { ! pgrep -f "isulad-monitor exec .*$tid.*sleep 2; cat /big.bin" >/dev/null; }
if poll 8 gone_helper; then
	pass "the command of a vanished client does not stay blocked (helper gone within 8 s)"
else
	fail "the command of a vanished client does not stay blocked (helper gone within 8 s)" \
		"$(exec_helpers "$tid")"
fi

expect_ok "rm -f of a container with an exec still running" isula rm -f ttyc
expect_no_helpers "rm -f ends the container's exec helpers" "$tid"

# ----------------------------------------------------------------------------------- the end
expect_no_helpers "no exec helper is left at the end" "$id"
expect_ok "rm -f of the containers" isula rm -f ex inited
expect_eq "ps -a is empty" "" "$(isula ps -a -q)"
[ -z "$(pgrep -af 'isulad-monitor exec' | grep -F "$IT_TMP/")" ] &&
	pass "no exec helper of this daemon is left at all" ||
	fail "no exec helper of this daemon is left at all" "$(pgrep -af 'isulad-monitor exec' | grep -F "$IT_TMP/")"
assert_no_leftovers
it_finish
