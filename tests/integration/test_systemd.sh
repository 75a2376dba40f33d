#!/usr/bin/env bash
# System containers that boot systemd: boot to "running", isula stop, reboot and halt from
# inside with and without --restart on-reboot (and always).
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
R1=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
R2=$(copy_rootfs systemd) || it_abort "a second systemd rootfs copy is needed"

BOOT_TIMEOUT=20

# in_ct ID CMD...: runs CMD inside the container.
in_ct() {
	local id=$1
	shift
	timeout 10 lxc-attach -n "$id" -P "$LCR" -- "$@"
}
sd_running() { [ "$(in_ct "$1" systemctl is-system-running 2>/dev/null)" = running ]; }
# restarted ID OLDPID: running again with another init.
restarted() {
	local p
	p=$(pid_of "$1")
	is_status "$1" running && [ -n "$p" ] && [ "$p" != 0 ] && [ "$p" != "$2" ]
}
# run_system ROOTFS [FLAGS...]: prints the new container's ID.
run_system() {
	local rootfs=$1
	shift
	isula run -tid --system-container "$@" --external-rootfs "$rootfs" none init
}

# ------------------------------------------------------------------------ boot and stop
id=$(run_system "$R1")
is_hex64 "$id" && pass "run -tid --system-container prints an ID" ||
	it_abort "run -tid --system-container prints an ID (got '$id')"
expect_eq "system container: running" running "$(status_of "$id")"
expect_eq "HostConfig.SystemContainer" true "$(ifield "$id" '{{.HostConfig.SystemContainer}}')"
wait_for "systemd boots to 'running'" "$BOOT_TIMEOUT" sd_running "$id" ||
	in_ct "$id" systemctl --failed --no-pager 2>&1 | sed 's/^/    /'
# No network (this daemon has none by default): the seed's hostname, localhost.
expect_eq "hostname inside is localhost (no network)" localhost "$(in_ct "$id" hostname 2>&1)"
expect_eq "the engine wrote /etc/hostname into the rootfs" localhost "$(cat "$R1/etc/hostname")"
grep -q "localhost" "$R1/etc/hosts" && pass "the engine wrote /etc/hosts into the rootfs" ||
	fail "the engine wrote /etc/hosts into the rootfs" "$(cat "$R1/etc/hosts")"
expect_ok "the engine wrote /etc/resolv.conf into the rootfs" test -f "$R1/etc/resolv.conf"
pid=$(pid_of "$id")
started=$(ifield "$id" '{{.State.StartedAt}}')

t0=$(now_us)
expect_ok "isula stop of a booted systemd" isula stop "$id"
ms=$((($(now_us) - t0) / 1000))
[ "$ms" -lt 3000 ] && pass "isula stop of systemd is quick (${ms} ms < 3000)" ||
	fail "isula stop of systemd is quick (< 3000 ms)" "took ${ms} ms"
expect_eq "stopped: status exited" exited "$(status_of "$id")"
code=$(ifield "$id" '{{.State.ExitCode}}')
[[ "$code" =~ ^[0-9]+$ ]] && [ "$code" != 137 ] &&
	pass "stopped: ExitCode recorded ($code), not a SIGKILL after the timeout" ||
	fail "stopped: ExitCode recorded, not a SIGKILL after the timeout" "ExitCode '$code'"
finished=$(ifield "$id" '{{.State.FinishedAt}}')
[ "$(ts_ns "$finished")" -gt "$(ts_ns "$started")" ] && pass "stopped: FinishedAt after StartedAt" ||
	fail "stopped: FinishedAt after StartedAt" "StartedAt $started" "FinishedAt $finished"
expect_pid_gone "stopped: systemd is gone from the host" "$pid"
expect_ok "rm the stopped system container" isula rm "$id"
expect_ok "rm keeps the rootfs" test -x "$R1/lib/systemd/systemd"

# ------------------------------------------------------------- reboot with --restart on-reboot
id=$(run_system "$R1" --restart on-reboot)
expect_eq "on-reboot container: running" running "$(status_of "$id")"
wait_for "on-reboot container boots" "$BOOT_TIMEOUT" sd_running "$id"
pid=$(pid_of "$id")
in_ct "$id" reboot >/dev/null 2>&1
wait_for "reboot inside restarts it (new Pid, running)" 20 restarted "$id" "$pid"
expect_eq "reboot: RestartCount 1" 1 "$(ifield "$id" '{{.RestartCount}}')"
expect_pid_gone "reboot: the old systemd is gone" "$pid"
wait_for "after the reboot systemd is 'running' again" "$BOOT_TIMEOUT" sd_running "$id"

# ------------------------------------------------------------ halt with --restart on-reboot
pid=$(pid_of "$id")
in_ct "$id" shutdown -h now >/dev/null 2>&1
wait_for "shutdown -h now stops it even with on-reboot" 20 is_status "$id" exited
expect_eq "shutdown -h now: ExitCode 130" 130 "$(ifield "$id" '{{.State.ExitCode}}')"
sleep 1
expect_eq "shutdown -h now: not restarted a second later" exited "$(status_of "$id")"
expect_eq "shutdown -h now: RestartCount stays 1" 1 "$(ifield "$id" '{{.RestartCount}}')"
expect_pid_gone "halt: systemd is gone from the host" "$pid"
expect_ok "rm the halted container" isula rm "$id"

# ------------------------------------------------------------ poweroff with --restart always
id=$(run_system "$R1" --restart always)
wait_for "always container boots" "$BOOT_TIMEOUT" sd_running "$id"
in_ct "$id" poweroff >/dev/null 2>&1
wait_for "poweroff stops it even with always" 20 is_status "$id" exited
expect_eq "poweroff: ExitCode 130" 130 "$(ifield "$id" '{{.State.ExitCode}}')"
sleep 1
expect_eq "poweroff: not restarted a second later" exited "$(status_of "$id")"
expect_ok "rm the powered-off container" isula rm "$id"

# ------------------------------------------------------------------- reboot without policy
id=$(run_system "$R2")
wait_for "policy-less container boots" "$BOOT_TIMEOUT" sd_running "$id"
pid=$(pid_of "$id")
in_ct "$id" reboot >/dev/null 2>&1
wait_for "reboot without on-reboot stops it" 20 is_status "$id" exited
expect_eq "reboot without policy: ExitCode 129 (SIGHUP)" 129 "$(ifield "$id" '{{.State.ExitCode}}')"
sleep 1
expect_eq "reboot without policy: not restarted a second later" exited "$(status_of "$id")"
expect_eq "reboot without policy: RestartCount 0" 0 "$(ifield "$id" '{{.RestartCount}}')"
expect_pid_gone "reboot without policy: systemd is gone" "$pid"
expect_ok "rm the rebooted-and-stopped container" isula rm "$id"

# ------------------------------------------------------------------- reboot with always
id=$(run_system "$R2" --restart always)
wait_for "always container boots" "$BOOT_TIMEOUT" sd_running "$id"
pid=$(pid_of "$id")
in_ct "$id" reboot >/dev/null 2>&1
wait_for "reboot with --restart always restarts it" 20 restarted "$id" "$pid"
wait_for "always: systemd is 'running' after the reboot" "$BOOT_TIMEOUT" sd_running "$id"
expect_ok "isula stop of the always container" isula stop "$id"
sleep 1
expect_eq "isula stop cancels the always policy" exited "$(status_of "$id")"
expect_ok "rm -f of the system container" isula rm -f "$id"

expect_eq "ps -a is empty" "" "$(isula ps -a -q)"
assert_no_leftovers
expect_ok "the rootfs copies survive rm" test -x "$R1/lib/systemd/systemd" -a -x "$R2/lib/systemd/systemd"
it_finish
