#!/usr/bin/env bash
# Packaging and services: make install/uninstall (PREFIX, DESTDIR, FHS dirs, nothing outside
# them, configuration never overwritten), the units (systemd-analyze verify in the Debian
# systemd rootfs with the product installed), isulad's readiness over $NOTIFY_SOCKET and the
# daemon's own log rotation (log-opts). make dist and make rpm: test_rpm.sh.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
source "$(dirname "$0")/pkg_lib.sh"

# ------------------------------------------------------------------- make install / uninstall
expect_ok "make install DESTDIR (defaults: /usr, /etc, /var)" "${MK[@]}" install DESTDIR="$T/std"
std_list=$(files "$T/std")
for f in /usr/bin/isulad /usr/bin/isula /usr/bin/isulad-monitor /usr/bin/lxcfs \
	/usr/bin/lxcfs-toolkit /usr/bin/isulad-tools /usr/bin/syscontainer-hooks \
	/usr/bin/authz-broker /usr/lib/systemd/system/isulad.service \
	/usr/lib/systemd/system/lxcfs.service /usr/lib/systemd/system/authz.service \
	/etc/isulad/daemon.json /etc/isulad/seccomp_default.json /etc/sysconfig/iSulad \
	/etc/isulad-tools/hookspec.json \
	/var/lib/authz-broker/policy.json /usr/share/man/man1/isula.1 /usr/share/man/man8/isulad.8 \
	/usr/share/man/man5/isulad-daemon.json.5 /usr/share/bash-completion/completions/isula \
	/usr/share/bash-completion/completions/isulad-tools; do
	grep -qx "$f" <<<"$std_list" || fail "make install puts $f in place" "$std_list"
done
pass "make install puts the binaries, units, configuration, man pages and completions in place"
outside=$(grep -vE '^/(usr|etc|var)/' <<<"$std_list")
expect_eq "nothing outside /usr, /etc and /var" "" "$outside"
expect_eq "policy.json is 0640" 640 "$(stat -c %a "$T/std/var/lib/authz-broker/policy.json")"
expect_eq "/var/lib/authz-broker is 0750" 750 "$(stat -c %a "$T/std/var/lib/authz-broker")"
expect_eq "daemon.json is 0640" 640 "$(stat -c %a "$T/std/etc/isulad/daemon.json")"
expect_eq "seccomp_default.json is 0640, the shipped profile" "640 same" \
	"$(stat -c %a "$T/std/etc/isulad/seccomp_default.json") $(cmp -s "$REPO/packaging/etc/seccomp_default.json" "$T/std/etc/isulad/seccomp_default.json" && echo same)"

expect_ok "make install with PREFIX, SYSCONFDIR and LOCALSTATEDIR elsewhere" "${MK[@]}" install \
	DESTDIR="$T/opt" PREFIX=/opt/isl SYSCONFDIR=/opt/isl/etc LOCALSTATEDIR=/opt/isl/var
outside=$(files "$T/opt" | grep -v '^/opt/isl/')
expect_eq "every file under PREFIX (/opt/isl)" "" "$outside"
grep -q '^ExecStart=/opt/isl/bin/isulad ' "$T/opt/opt/isl/lib/systemd/system/isulad.service" &&
	grep -q '^EnvironmentFile=-/opt/isl/etc/sysconfig/iSulad' "$T/opt/opt/isl/lib/systemd/system/isulad.service" &&
	pass "the units name the binaries and sysconfig where they were installed" ||
	fail "the units name the binaries and sysconfig where they were installed" \
		"$(grep -E '^(ExecStart|EnvironmentFile)' "$T/opt/opt/isl/lib/systemd/system/isulad.service")"

# A user's edit survives a second install and an uninstall; the rest goes.
echo '{"log-level": "INFO"}' >"$T/std/etc/isulad/daemon.json"
expect_ok "make install again over an edited daemon.json" "${MK[@]}" install DESTDIR="$T/std"
expect_eq "the edited daemon.json is kept" '{"log-level": "INFO"}' "$(cat "$T/std/etc/isulad/daemon.json")"
expect_ok "make uninstall" "${MK[@]}" uninstall DESTDIR="$T/std"
expect_eq "uninstall leaves only the edited daemon.json" "/etc/isulad/daemon.json" "$(files "$T/std")"
expect_ok "make uninstall of the PREFIX install" "${MK[@]}" uninstall DESTDIR="$T/opt" \
	PREFIX=/opt/isl SYSCONFDIR=/opt/isl/etc LOCALSTATEDIR=/opt/isl/var
expect_eq "uninstall of an unedited install leaves no file" "" "$(files "$T/opt")"

# ----------------------------------------------------------------------------- the daemon.json
# The shipped daemon.json starts a daemon (nothing in it is refused).
cfg=$T/daemon.json
sed -e "s|/var/lib/isulad|$T/d/graph|" -e "s|/var/run/isulad.pid|$T/d/isulad.pid|" \
	-e "s|/var/run/isulad|$T/d/state|" "$REPO/packaging/etc/daemon.json" >"$cfg"
start_daemon shipped --config-file "$cfg" &&
	pass "the shipped daemon.json starts the daemon" ||
	fail "the shipped daemon.json starts the daemon" "$(tail -3 "$IT_TMP/daemon-shipped/isulad.out")"
stop_daemon shipped

# ------------------------------------------------------------------- readiness ($NOTIFY_SOCKET)
use_daemon notify
mkdir -p "$IT_TMP/daemon-notify"
nsock=$T/notify.sock
echo "{}" >"$T/empty.json"
python3 "$IT_LIB_DIR/helpers/notify_listen.py" "$nsock" 30 >"$T/notify.out" 2>&1 &
lpid=$!
wait_for "the notify listener binds" 10 test -S "$nsock"
NOTIFY_SOCKET=$nsock "$ISULAD" -g "$GRAPH" -S "$STATE" -H "unix://$SOCK" \
	--cgroup-parent "$IT_CGPARENT" --config-file "$T/empty.json" \
	--cni-conf-dir "$IT_TMP/daemon-notify/cni" --bridge none \
	>>"$IT_TMP/daemon-notify/isulad.out" 2>&1 </dev/null &
DAEMON_PID[notify]=$!
IT_DAEMONS+=(notify)
wait "$lpid"
lrc=$?
# The moment READY=1 arrived, the socket answered already.
if [ "$lrc" = 0 ] && "$ISULA" version >/dev/null 2>&1; then
	pass "isulad sends READY=1 over \$NOTIFY_SOCKET once its socket answers"
else
	fail "isulad sends READY=1 over \$NOTIFY_SOCKET once its socket answers" "$(cat "$T/notify.out")"
fi
grep -q "MAINPID=${DAEMON_PID[notify]}" "$T/notify.out" && pass "READY=1 carries MAINPID" ||
	fail "READY=1 carries MAINPID" "$(cat "$T/notify.out")"
# unsetenv() does not change /proc/PID/environ: a container's monitor (a new process) shows it.
BR=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
cid=$(isula run -d --system-container --external-rootfs "$BR" none sleep 1000)
mon=$(pgrep -f "isulad-monitor start $cid" | head -1)
[ -n "$mon" ] && pass "the container's monitor runs" || fail "the container's monitor runs"
expect_eq "the daemon's monitors do not inherit NOTIFY_SOCKET" "" \
	"$(tr '\0' '\n' <"/proc/$mon/environ" | grep '^NOTIFY_SOCKET=')"
isula rm -f "$cid" >/dev/null
stop_daemon notify

# ----------------------------------------------------------------- the daemon log (log-opts)
use_daemon logrot
mkdir -p "$T/logs"
echo '{"log-opts": {"log-path": "'"$T/logs"'", "max-size": "2KB", "max-file": "3", "log-file-mode": "0640"}}' \
	>"$T/logrot.json"
start_daemon logrot --config-file "$T/logrot.json" -l INFO || true
# Every request is logged at info level: enough of them rotate the log.
for i in $(seq 1 60); do "$ISULA" version >/dev/null 2>&1; done
stop_daemon logrot
expect_ok "log-opts: the log rotated into isulad.log.1" test -f "$T/logs/isulad.log.1"
expect_ok "log-opts: max-file 3 keeps isulad.log.2" test -f "$T/logs/isulad.log.2"
[ ! -e "$T/logs/isulad.log.3" ] && pass "log-opts: max-file 3: no isulad.log.3" ||
	fail "log-opts: max-file 3: no isulad.log.3"
big=$(find "$T/logs" -name 'isulad.log*' -size +4k)
expect_eq "log-opts: no file much over max-size (2KB)" "" "$big"
expect_eq "log-opts: log-file-mode 0640" "640 640 640" \
	"$(stat -c %a "$T/logs/isulad.log" "$T/logs/isulad.log.1" "$T/logs/isulad.log.2" | xargs)"

# ----------------------------------------------------- the units, verified in a systemd root
R=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"
expect_ok "make install into the Debian systemd rootfs" "${MK[@]}" install DESTDIR="$R"
for u in isulad lxcfs authz; do
	expect_ok "systemd-analyze verify $u.service" systemd-analyze verify --root="$R" --man=no \
		"$R/usr/lib/systemd/system/$u.service"
	[ -z "$LAST_OUT" ] && pass "$u.service: verify says nothing" ||
		fail "$u.service: verify says nothing" "$LAST_OUT"
done
u=$R/usr/lib/systemd/system
grep -qx 'Type=notify' "$u/isulad.service" && grep -qx 'KillMode=process' "$u/isulad.service" &&
	grep -qx 'After=network-online.target lxcfs.service authz.service' "$u/isulad.service" &&
	pass "isulad.service: Type=notify, KillMode=process, after lxcfs and authz" ||
	fail "isulad.service: Type=notify, KillMode=process, after lxcfs and authz"
grep -qx 'Restart=always' "$u/authz.service" && grep -qx 'RestartSec=2s' "$u/authz.service" &&
	pass "authz.service: Restart=always, RestartSec=2s" || fail "authz.service: Restart=always, RestartSec=2s"
grep -q '^ExecStopPost=.*umount.*/var/lib/lxcfs' "$u/lxcfs.service" &&
	pass "lxcfs.service unmounts /var/lib/lxcfs after it stops" ||
	fail "lxcfs.service unmounts /var/lib/lxcfs after it stops"

it_finish
