#!/usr/bin/env bash
# Restart policies: no, always, on-failure[:N], unless-stopped, on-reboot; user stop and kill
# cancel restarts.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

rc_of() { ifield "$1" '{{.RestartCount}}'; }
exit_of() { ifield "$1" '{{.State.ExitCode}}'; }
# restarted REF OLDPID: running again with another init.
restarted() {
	local p
	p=$(pid_of "$1")
	is_status "$1" running && [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$2" ]
}
# settled REF STATUS COUNT: in STATUS with RestartCount COUNT.
settled() { is_status "$1" "$2" && [ "$(rc_of "$1")" = "$3" ]; }
run_bb() { isula run -d "$@"; }
rc_at_least() { [ "$(rc_of "$1")" -ge "$2" ] 2>/dev/null; }

# ------------------------------------------------------------------------------------ no
id=$(run_bb --restart no --external-rootfs "$BB" none sh -c 'exit 3')
expect_eq "--restart no is recorded" no "$(ifield "$id" '{{.HostConfig.RestartPolicy.Name}}')"
wait_for "no: the container exits" 5 is_status "$id" exited
sleep 1
expect_eq "no: still exited a second later" exited "$(status_of "$id")"
expect_eq "no: RestartCount 0" 0 "$(rc_of "$id")"
expect_eq "no: ExitCode 3" 3 "$(exit_of "$id")"

# -------------------------------------------------------------------------------- always
id=$(run_bb --restart always --name always1 --external-rootfs "$BB" none sleep 300)
pid=$(pid_of always1)
pid_alive "$pid" && pass "always: running with a live init" || fail "always: running with a live init"
kill -9 "$pid"
wait_for "always: kill -9 of the init from the host -> running again" 5 restarted always1 "$pid"
expect_eq "always: RestartCount 1" 1 "$(rc_of always1)"
pid2=$(pid_of always1)
kill -9 "$pid2"
wait_for "always: a second host kill -9 -> running again" 5 restarted always1 "$pid2"
expect_eq "always: RestartCount 2" 2 "$(rc_of always1)"
expect_ok "always: isula stop" isula stop -t 1 always1
expect_eq "always: stopped" exited "$(status_of always1)"
sleep 1
expect_eq "always: isula stop -> stays exited" exited "$(status_of always1)"
expect_eq "always: RestartCount unchanged after stop" 2 "$(rc_of always1)"
expect_ok "always: start again" isula start always1
expect_ok "always: isula kill" isula kill always1
sleep 1
expect_eq "always: isula kill (SIGKILL) -> stays exited" exited "$(status_of always1)"
expect_eq "always: isula kill exit code 137" 137 "$(exit_of always1)"

# -------------------------------------------------------------------------- on-failure:2
id=$(run_bb --restart on-failure:2 --external-rootfs "$BB" none sh -c 'exit 2')
expect_eq "on-failure:2 is recorded" "on-failure 2" \
	"$(ifield "$id" '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}')"
wait_for "on-failure:2 with exit 2: RestartCount reaches 2, then exited" 10 settled "$id" exited 2
sleep 1.5
expect_eq "on-failure:2: still exited later" exited "$(status_of "$id")"
expect_eq "on-failure:2: RestartCount stays 2" 2 "$(rc_of "$id")"
expect_eq "on-failure:2: ExitCode 2" 2 "$(exit_of "$id")"

# -------------------------------------------------------------------- back-off doubling
# 100 + 200 + 400 + 800 ms between the four restarts: at least 1.5 s in all.
t0=$(now_us)
id=$(run_bb --restart on-failure:4 --external-rootfs "$BB" none sh -c 'exit 1')
wait_for "on-failure:4: 'restarting' is shown during the back-off" 3 is_status "$id" restarting
wait_for "on-failure:4 with exit 1: RestartCount reaches 4, then exited" 10 settled "$id" exited 4
ms=$((($(now_us) - t0) / 1000))
# A loaded machine only makes it slower: the lower bound is the check on time, the daemon's
# own log the check on the doubling.
[ "$ms" -ge 1400 ] && pass "on-failure:4: the four back-offs took at least 1.5 s (${ms} ms)" ||
	fail "on-failure:4: the four back-offs took at least 1.5 s" "took ${ms} ms"
expect_eq "on-failure:4: back-off 100 ms doubling (the daemon's log)" "100 200 400 800" \
	"$(grep "container $id exited (1), restarting in" "$GRAPH/isulad.log" |
		sed 's/.*restarting in \([0-9]*\) ms.*/\1/' | tr '\n' ' ' | sed 's/ $//')"

# ------------------------------------------------------------------ on-failure, exit 0
id=$(run_bb --restart on-failure --external-rootfs "$BB" none sh -c 'exit 0')
wait_for "on-failure with exit 0: exits" 5 is_status "$id" exited
sleep 1
expect_eq "on-failure with exit 0: not restarted" "exited 0" "$(status_of "$id") $(rc_of "$id")"
expect_eq "on-failure with exit 0: ExitCode 0" 0 "$(exit_of "$id")"

# ---------------------------------------------------- on-failure (unlimited), then stop
id=$(run_bb --restart on-failure --external-rootfs "$BB" none sh -c 'exit 1')
wait_for "on-failure unlimited: restarts at least twice" 10 rc_at_least "$id" 2
expect_ok "on-failure unlimited: isula stop while it loops" isula stop -t 1 "$id"
sleep 0.3
n=$(rc_of "$id")
sleep 2
expect_eq "isula stop cancels the pending restarts (status)" exited "$(status_of "$id")"
expect_eq "isula stop cancels the pending restarts (RestartCount frozen)" "$n" "$(rc_of "$id")"

# ------------------------------------------------------------------------ unless-stopped
id=$(run_bb --restart unless-stopped --external-rootfs "$BB" none sleep 300)
pid=$(pid_of "$id")
kill -9 "$pid"
wait_for "unless-stopped: host kill -9 -> restarted" 5 restarted "$id" "$pid"
expect_eq "unless-stopped: RestartCount 1" 1 "$(rc_of "$id")"
expect_ok "unless-stopped: isula stop" isula stop -t 1 "$id"
sleep 1
expect_eq "unless-stopped: isula stop -> stays exited" exited "$(status_of "$id")"

# ---------------------------------------------------------------------------- on-reboot
id=$(run_bb --restart on-reboot --external-rootfs "$BB" none sh -c 'exit 0')
wait_for "on-reboot with a normal exit: exits" 5 is_status "$id" exited
sleep 1
expect_eq "on-reboot with a normal exit: not restarted" "exited 0" \
	"$(status_of "$id") $(rc_of "$id")"
id=$(run_bb --restart on-reboot --external-rootfs "$BB" none sh -c 'exit 1')
wait_for "on-reboot with exit 1: exits" 5 is_status "$id" exited
sleep 1
expect_eq "on-reboot with a failure exit: not restarted" "exited 0" \
	"$(status_of "$id") $(rc_of "$id")"
id=$(run_bb --restart on-reboot --external-rootfs "$BB" none sleep 300)
pid=$(pid_of "$id")
kill -9 "$pid"
wait_for "on-reboot with a host kill -9: exits" 5 is_status "$id" exited
sleep 1
expect_eq "on-reboot with a host kill -9: not restarted" "exited 0 137" \
	"$(status_of "$id") $(rc_of "$id") $(exit_of "$id")"

# --------------------------------------------------------- a restart that fails to start
# A restart that cannot start for a moment (its rootfs gone) is tried again with backoff, as
# Docker's restart manager does: an always container must not stay stopped for good.
R2=$(copy_rootfs busybox) || it_abort "a second busybox rootfs copy is needed"
id=$(run_bb --restart always --external-rootfs "$R2" none sh -c 'sleep 1; exit 3')
mv "$R2" "$R2.away"
retried() { grep -q "restart of $1 failed: .*; trying again in" "$GRAPH/isulad.log"; }
wait_for "always: a restart that fails to start is retried" 20 retried "$id"
expect_ok "... and the container is not left exited meanwhile" \
	sh -c "[ \"\$($ISULA inspect -f '{{.State.Status}}' $id)\" = restarting ]"
mv "$R2.away" "$R2"
wait_for "... once its rootfs is back it runs again" 30 is_status "$id" running
isula rm -f "$id" >/dev/null

# ------------------------------------------------------------------------------- the end
ids=$(isula ps -a -q --no-trunc)
# shellcheck disable=SC2086
[ -z "$ids" ] || expect_ok "rm -f of every container" isula rm -f $ids
assert_no_leftovers
it_finish
