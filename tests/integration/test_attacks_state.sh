#!/usr/bin/env bash
# Attacks on the daemon's state files, performed for real: invalid UTF-8 from a label cut
# mid-character, a rootfs env file in Latin-1, a failing hook's CJK stderr and a container's
# top output; each must leave `isula ps -a` working and the container there after a daemon
# restart. A hand-corrupted config.v2.json shows as a broken container whose name stays
# taken, until rm.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

api() { curl -s --unix-socket "$SOCK" -H 'Content-Type: application/json' "$@"; }
# valid_utf8 FILE: the file is valid UTF-8.
valid_utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
restart_daemon() {
	stop_daemon main
	start_daemon main
}

# E1: a label of 4092 'a' + '€' (3 bytes) is cut at 4096 bytes of "k=value".
long=$(printf 'a%.0s' $(seq 1 4092))
out=$(api -d "{\"Image\":\"none\",\"Cmd\":[\"true\"],\"Labels\":{\"k\":\"${long}€\"},\"HostConfig\":{\"ExternalRootfs\":\"$BB\"}}" \
	"http://x/v1.41/containers/create?name=label")
expect_match "E1: create with a 4092 a + € label" '"Id"' "$out"
expect_ok "E1: config.v2.json is valid UTF-8" valid_utf8 "$LCR/$(ifield label '{{.Id}}')/config.v2.json"
expect_ok "E1: isula ps -a works" isula ps -a
expect_match "E1: ... and lists it" label "$LAST_OUT"

# E8: an env target file in Latin-1.
R=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
printf 'GREETING=caf\xe9\n' >"$R/etc/environment"
expect_ok "E8: create with a Latin-1 env target file" isula create --name latin1 \
	--system-container --env-target-file /etc/environment --external-rootfs "$R" none sh
expect_ok "E8: config.v2.json is valid UTF-8" valid_utf8 "$LCR/$(ifield latin1 '{{.Id}}')/config.v2.json"
expect_match "E8: the byte is U+FFFD in Config.Env" "GREETING=caf�" "$(ifield latin1 '{{json .Config.Env}}')"
expect_ok "E8: isula ps -a works" isula ps -a

# A failing prestart hook that writes > 512 bytes of CJK to stderr (its tail is kept).
H=$IT_TMP/hooks
mkdir -p "$H"
cat >"$H/cjk.sh" <<'EOF'
#!/bin/sh
i=0
while [ $i -lt 300 ]; do printf '失败' >&2; i=$((i + 1)); done
exit 1
EOF
chmod 0755 "$H" "$H/cjk.sh"
echo "{\"prestart\":[{\"path\":\"$H/cjk.sh\"}]}" >"$H/spec.json"
expect_ok "hook: create with a hook that fails with CJK on stderr" isula create --name cjk \
	--hook-spec "$H/spec.json" --external-rootfs "$BB" none true
expect_fail "hook: the start fails, quoting the hook's stderr" "失败" isula start cjk
cjk_id=$(ifield cjk '{{.Id}}')
expect_ok "hook: config.v2.json is valid UTF-8" valid_utf8 "$LCR/$cjk_id/config.v2.json"
expect_ok "hook: isula ps -a works" isula ps -a
expect_ok "hook: inspect shows State.Error" isula inspect -f '{{.State.Error}}' cjk
expect_match "hook: ... with the CJK text" "失败" "$LAST_OUT"

# top: a process whose arguments are not UTF-8 (made inside the container: the API only
# takes UTF-8).
isula run -d --name topper --external-rootfs "$BB" none sleep 300 >/dev/null
wait_for "top: the container runs" 30 is_status topper running
expect_ok "top: a process with a non-UTF-8 argument" isula exec topper \
	sh -c 'sh -c "sleep 301; :" "$(printf "\377\376")" </dev/null >/dev/null 2>&1 &'
expect_ok "top: isula top works" isula top topper
expect_match "top: ... and shows it" "sleep 301" "$LAST_OUT"

# After a daemon restart every one of them is still there.
restart_daemon
for n in label latin1 cjk topper; do
	expect_ok "restart: $n is still there" isula inspect -f '{{.Name}}' "$n"
done
expect_ok "restart: isula ps -a works" isula ps -a
isula rm -f topper >/dev/null

# A state file written before the fix (a lone 0xE2 in a label) is repaired at load.
vid=$(isula create --name oldbad --label k=v --external-rootfs "$BB" none true)
stop_daemon main
sed -i 's/"k":"v"/"k":"v\xe2"/' "$LCR/$vid/config.v2.json"
expect_fail "old state: the file holds invalid UTF-8" "" valid_utf8 "$LCR/$vid/config.v2.json"
start_daemon main
expect_eq "old state: the container is loaded" oldbad "$(ifield oldbad '{{.Name}}')"
expect_ok "old state: isula ps -a works" isula ps -a

# A hand-corrupted config.v2.json: reported, listed as broken, its name kept.
bid=$(isula create --name victim --external-rootfs "$BB" none true)
stop_daemon main
head -c 120 "$LCR/$bid/config.v2.json" >"$IT_TMP/cut" && cp "$IT_TMP/cut" "$LCR/$bid/config.v2.json"
start_daemon main
expect_ok "broken: isula ps -a works" isula ps -a --no-trunc
expect_match "broken: ps -a lists it by id" "$bid" "$LAST_OUT"
expect_match "broken: ... as Broken" "Broken (" "$LAST_OUT"
expect_eq "broken: inspect says broken" broken "$(ifield "$bid" '{{.State.Status}}')"
expect_match "broken: the daemon log gives the reason" "container $bid is broken: " \
	"$(grep "is broken" "$GRAPH/isulad.log")"
expect_fail "broken: its name cannot be reused" 'The name "victim" is already in use' \
	isula create --name victim --external-rootfs "$BB" none true
expect_fail "broken: start is refused, saying why" "is broken" isula start "$bid"
expect_ok "broken: rm removes it" isula rm "$bid"
expect_ok "broken: then the name is free" isula create --name victim --external-rootfs "$BB" none true

# A running container whose state breaks: rm needs -f, and -f stops it through liblxc.
rid=$(isula run -d --name runbroken --external-rootfs "$BB" none sh -c 'sleep 1000')
rpid=$(pid_of runbroken)
stop_daemon main
echo '{"broken' >"$LCR/$rid/config.v2.json"
start_daemon main
expect_eq "running broken: inspect says broken" broken "$(ifield "$rid" '{{.State.Status}}')"
expect_fail "running broken: rm without -f is refused (it still runs)" "cannot remove a running" \
	isula rm "$rid"
expect_ok "running broken: rm -f" isula rm -f "$rid"
expect_eq "... its init has ended" gone "$(pid_alive "$rpid" && echo alive || echo gone)"
expect_ok "... no monitor of it is left" poll 10 bash -c "! pgrep -f '[i]sulad-monitor start $rid' >/dev/null"

timeout 60 "$ISULA" rm -f $(isula ps -aq) >/dev/null 2>&1
assert_no_leftovers
it_finish
