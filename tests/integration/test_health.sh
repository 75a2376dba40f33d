#!/usr/bin/env bash
# it-timeout: 420
# Health checks (issue 19): --health-cmd/--health-interval/--health-timeout/
# --health-start-period/--health-retries/--health-exit-on-unhealthy/--no-healthcheck run in a
# real container: starting -> healthy -> unhealthy (FailingStreak) -> healthy as the check's
# file comes and goes; a check past its timeout is killed with what it started and counts as a
# failure; exit-on-unhealthy kills the container; pause makes it unhealthy (the seed); a
# restart and a daemon restart start over at "starting" with the log kept and checks resumed;
# ps shows "(healthy)" and filters on health; health_status events; refusals of bad values at
# create; the Docker API (the body the Docker CLI sends, docker-py's healthcheck=, docker ps,
# inspect and events). Intervals are 1 s; every wait is for a condition, with a deadline.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
T0=$(date +%s)
WAIT=30

# health REF: State.Health as JSON ("null" without one); hq REF JQ: a value of it.
health() { ifield "$1" '{{json .State.Health}}'; }
hq() { health "$1" | jq -r "$2" 2>/dev/null; }
is_health() { [ "$(hq "$1" .Status)" = "$2" ]; }
# log_count REF: how many results State.Health.Log holds.
log_count() { hq "$1" '.Log | length'; }
has_results() { [ "$(log_count "$1")" -ge "$2" ] 2>/dev/null; }
# run_hc NAME FLAGS...: a container whose init sleeps, with the flags.
run_hc() { isula run -d --name "$1" "${@:2}" --external-rootfs "$BB" none sleep 1000; }
# ct_count REF ARGV: live processes (not zombies) in the container's pid namespace whose command
# line is ARGV exactly.
ct_count() {
	local ns p n=0 want
	ns=$(readlink "/proc/$(pid_of "$1")/ns/pid") || {
		echo -1
		return
	}
	want="$2 "
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		[ "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" = "$want" ] || continue
		[ "$(awk '{ print $3 }' "$p/stat" 2>/dev/null)" = Z ] || n=$((n + 1))
	done
	echo "$n"
}

# ------------------------------------------------------- starting -> healthy -> unhealthy
expect_ok "run --health-cmd with 1 s interval, 2 retries" run_hc hc \
	--health-cmd 'test -e /tmp/ok && echo fine' --health-interval 1s --health-retries 2
expect_eq "Config.Healthcheck as Docker's (ns), with ExitOnUnhealthy" \
	'{"Test":["CMD-SHELL","test -e /tmp/ok && echo fine"],"Interval":1000000000,"Timeout":0,"StartPeriod":0,"Retries":2,"ExitOnUnhealthy":false}' \
	"$(ifield hc '{{json .Config.Healthcheck}}')"
expect_eq "the seed's name works in templates too" "2" "$(ifield hc '{{.Config.HealthCheck.Retries}}')"
# The file is not there yet: the first failure keeps it starting (the seed), the second of
# two retries makes it unhealthy.
wait_for "starting -> unhealthy after 2 failures" $WAIT is_health hc unhealthy
expect_eq "FailingStreak reached the retries" 2 "$(hq hc .FailingStreak)"
expect_eq "the failures' exit code is the command's" 1 "$(hq hc '.Log[-1].ExitCode')"
expect_ok "create the checked file (isula exec)" isula exec hc touch /tmp/ok
wait_for "unhealthy -> healthy on the first success" $WAIT is_health hc healthy
expect_eq "FailingStreak back to 0" 0 "$(hq hc .FailingStreak)"
expect_eq "the check's output is kept" "fine" "$(hq hc '.Log[-1].Output' | tr -d '\n')"
expect_match "ps shows (healthy)" "(healthy)" "$(isula ps -f name=hc --format '{{.Status}}')"
expect_match "ps -f health=healthy lists it" "hc" "$(isula ps -f health=healthy --format '{{.Names}}')"
expect_eq "ps -f health=unhealthy does not" "" "$(isula ps -f health=unhealthy --format '{{.Names}}')"
expect_ok "remove the checked file" isula exec hc rm /tmp/ok
wait_for "healthy -> unhealthy after 2 failures" $WAIT is_health hc unhealthy
expect_match "ps shows (unhealthy)" "(unhealthy)" "$(isula ps -f name=hc --format '{{.Status}}')"
expect_match "ps -f health=unhealthy lists it" "hc" "$(isula ps -f health=unhealthy --format '{{.Names}}')"
wait_for "checking goes on: FailingStreak passes the retries" $WAIT \
	eval '[ "$(hq hc .FailingStreak)" -ge 3 ] 2>/dev/null'
wait_for "the log fills up" $WAIT has_results hc 5
wait_for "... and keeps the last 5 (one more check ran)" $WAIT \
	eval '[ "$(hq hc .FailingStreak)" -ge 6 ] 2>/dev/null'
expect_eq "... of them" 5 "$(log_count hc)"
expect_ok "create the file again" isula exec hc touch /tmp/ok
wait_for "back to healthy" $WAIT is_health hc healthy
first_start=$(hq hc '.Log[0].Start')
[ "$(ts_ns "$first_start")" -gt 0 ] && pass "a result has its Start time" ||
	fail "a result has its Start time" "$first_start"
[ "$(ts_ns "$(hq hc '.Log[-1].End')")" -ge "$(ts_ns "$(hq hc '.Log[-1].Start')")" ] &&
	pass "End is not before Start" || fail "End is not before Start" "$(health hc)"

# ------------------------------------------------------------------------------- events
ev=$(timeout 10 "$ISULA" events --since "$T0" --until 0s -n hc 2>&1 | grep health_status)
expect_match "isula events: health_status: unhealthy" "container health_status: unhealthy $(ifield hc '{{.Id}}') (image=none, name=hc)" "$ev"
expect_match "isula events: health_status: healthy" "container health_status: healthy $(ifield hc '{{.Id}}')" "$ev"
changes=$(grep -c 'name=hc)' <<<"$ev")
expect_eq "one event per change of status (unhealthy, healthy, unhealthy, healthy)" 4 "$changes"
all=$(timeout 10 "$ISULA" events --since "$T0" --until 0s -n hc 2>&1)
expect_match "the checks show as Docker's exec events" "container exec_start: /bin/sh -c test -e /tmp/ok && echo fine" "$all"

# ----------------------------------------------------------------- timeout kills the check
expect_ok "run a check that sleeps past its 1 s timeout" run_hc tmo \
	--health-cmd 'sleep 100' --health-timeout 1s --health-interval 1s --health-retries 2
wait_for "it turns unhealthy" $WAIT is_health tmo unhealthy
expect_eq "a timed-out check: ExitCode -1" -1 "$(hq tmo '.Log[-1].ExitCode')"
expect_eq "... and Docker's message" "Health check exceeded timeout (1s)" "$(hq tmo '.Log[-1].Output')"
wait_for "three checks timed out" $WAIT has_results tmo 3
wait_for "a check's sleep shows in the container while it runs" $WAIT \
	eval '[ "$(ct_count tmo "sleep 100")" -ge 1 ] 2>/dev/null'
n=$(ct_count tmo "sleep 100")
[ "$n" -ge 0 ] && [ "$n" -le 1 ] && pass "killed at their timeout: at most the current check's sleep runs ($n)" ||
	fail "killed at their timeout: at most the current check's sleep runs" "$n sleep 100 in the container"
isula rm -f tmo >/dev/null

# ---------------------------------------------------------------------- start period
expect_ok "run with a 1 h start period and 1 retry" run_hc sp \
	--health-cmd 'exit 3' --health-interval 1s --health-retries 1 --health-start-period 1h
wait_for "failures in the start period are logged" $WAIT has_results sp 2
expect_eq "... but do not count: still starting" "starting 0" "$(hq sp '"\(.Status) \(.FailingStreak)"')"
expect_match "ps shows (health: starting)" "(health: starting)" "$(isula ps -f name=sp --format '{{.Status}}')"
expect_match "ps -f health=starting lists it" "sp" "$(isula ps -f health=starting --format '{{.Names}}')"
isula rm -f sp >/dev/null

# ------------------------------------------------------------------ exit-on-unhealthy
expect_ok "run --health-exit-on-unhealthy" run_hc eou --health-cmd 'exit 1' \
	--health-interval 1s --health-retries 1 --health-exit-on-unhealthy
wait_for "the container is killed when it turns unhealthy" $WAIT is_status eou exited
expect_eq "... with 137" 137 "$(ifield eou '{{.State.ExitCode}}')"
expect_eq "... its health says why" unhealthy "$(hq eou .Status)"
expect_match "... and a kill event" "container kill $(ifield eou '{{.Id}}') (image=none, name=eou, signal=9)" \
	"$(timeout 10 "$ISULA" events --since "$T0" --until 0s -n eou 2>&1)"
isula rm -f eou >/dev/null
expect_ok "with --restart always: killed when unhealthy, then restarted" run_hc eour \
	--restart always --health-cmd 'exit 1' --health-interval 1s --health-retries 1 \
	--health-exit-on-unhealthy
wait_for "... it restarts (RestartCount >= 1)" $WAIT \
	eval '[ "$(ifield eour "{{.RestartCount}}")" -ge 1 ] 2>/dev/null'
isula rm -f eour >/dev/null

# ----------------------------------------------------------------------------------- pause
expect_ok "pause the healthy container" isula pause hc
expect_eq "a paused container is unhealthy (the seed)" unhealthy "$(hq hc .Status)"
expect_match "ps shows (Paused)" "(Paused)" "$(isula ps -f name=hc --format '{{.Status}}')"
expect_ok "unpause it" isula unpause hc
wait_for "checks resume after unpause: healthy again" $WAIT is_health hc healthy
expect_eq "the container kept running" running "$(status_of hc)"

# ------------------------------------------------------------------- container restart
# Retries 100: failures leave it as it is, so the reset to starting shows and stays.
expect_ok "run a check with 100 retries" run_hc rs --health-cmd 'test -e /ok' \
	--health-interval 1s --health-retries 100
wait_for "failing while starting: stays starting" $WAIT has_results rs 2
expect_eq "... starting" starting "$(hq rs .Status)"
expect_ok "make it pass" isula exec rs touch /ok
wait_for "healthy" $WAIT is_health rs healthy
expect_ok "make it fail again" isula exec rs rm /ok
wait_for "failing (streak 2), still healthy below the retries" $WAIT \
	eval '[ "$(hq rs .FailingStreak)" -ge 2 ] 2>/dev/null'
expect_eq "... healthy" healthy "$(hq rs .Status)"
expect_ok "isula restart" isula restart -t 0 rs
expect_eq "after a restart: starting, streak 0 (until a check ran)" starting "$(hq rs .Status)"
wait_for "checks run again after the restart" $WAIT \
	eval '[ "$(hq rs .FailingStreak)" -ge 1 ] 2>/dev/null'
expect_eq "... and it stays starting (failures below the retries)" starting "$(hq rs .Status)"
expect_ok "stop it" isula stop -t 0 rs
n=$(log_count rs)
sleep 2.5 # what must not happen in 2.5 intervals: no condition to wait for
expect_eq "no checks while stopped" "$n" "$(log_count rs)"
isula rm -f rs >/dev/null

# ------------------------------------------------------------------------ daemon restart
expect_ok "run one that turns healthy, then fails with 100 retries" run_hc dr \
	--health-cmd 'test -e /ok' --health-interval 1s --health-retries 100
expect_ok "... make it pass" isula exec dr touch /ok
wait_for "... healthy" $WAIT is_health dr healthy
expect_ok "... make it fail" isula exec dr rm /ok
wait_for "... failing while healthy" $WAIT eval '[ "$(hq dr .FailingStreak)" -ge 1 ] 2>/dev/null'
wait_for "hc is healthy before the daemon restart" $WAIT is_health hc healthy
hc_last=$(hq hc '.Log[-1].Start')
dr_last=$(hq dr '.Log[-1].Start')
stop_daemon main
start_daemon main || it_abort "the daemon must restart"
# in_log REF START: the log holds a result that began at START.
in_log() { [ "$(health "$1" | jq -r --arg t "$2" '[.Log[].Start] | any(. == $t)')" = true ]; }
expect_eq "after a daemon restart hc still runs" running "$(status_of hc)"
case "$(hq hc .Status)" in
starting | healthy) pass "after a daemon restart: starting (the seed), or healthy once a check ran" ;;
*) fail "after a daemon restart: starting (the seed), or healthy once a check ran" "$(health hc)" ;;
esac
expect_ok "the log was kept on disk" in_log hc "$hc_last"
wait_for "checks resume: healthy" $WAIT is_health hc healthy
wait_for "... with results of after the restart" $WAIT \
	eval '[ "$(hq hc ".Log[-1].Start")" != "$hc_last" ]'
expect_eq "a failing one restarts at starting (the seed)" starting "$(hq dr .Status)"
expect_ok "... its log kept" in_log dr "$dr_last"
wait_for "... its checks resume (failing again)" $WAIT \
	eval '[ "$(hq dr .FailingStreak)" -ge 1 ] && [ "$(hq dr ".Log[-1].Start")" != "$dr_last" ]'
expect_eq "... starting below the retries" starting "$(hq dr .Status)"
isula rm -f dr >/dev/null

# ------------------------------------------------------------------- output, CMD, none
expect_ok "a check with long output" run_hc out \
	--health-cmd 'head -c 6000 /dev/zero | tr "\\0" a; echo err >&2' --health-interval 1s
wait_for "... it runs" $WAIT has_results out 1
o=$(hq out '.Log[0].Output')
expect_eq "output kept up to 4096 bytes, '...' after" "4099 ..." "${#o} ${o: -3}"
isula rm -f out >/dev/null
expect_ok "--no-healthcheck" run_hc none --no-healthcheck
expect_eq "... Test is [NONE]" '["NONE"]' "$(ifield none '{{json .Config.Healthcheck.Test}}')"
expect_eq "... no State.Health" null "$(health none)"
expect_match "... ps -f health=none lists it" "none" "$(isula ps -f health=none --format '{{.Names}}')"
expect_eq "... no health in ps" "" "$(isula ps -f name=none --format '{{.Status}}' | grep -o '(.*)')"
expect_ok "no flags: no check" run_hc plain
expect_eq "... no Config.Healthcheck" null "$(ifield plain '{{json .Config.Healthcheck}}')"
isula rm -f none plain >/dev/null

# -------------------------------------------------------------------------------- refusals
count_before=$(isula ps -aq | wc -l)
refuse() { expect_fail_code "$1" 125 "$2" isula create "${@:3}" --external-rootfs "$BB" none true; }
refuse "--no-healthcheck with --health-* is refused, naming them" \
	"--no-healthcheck conflicts with --health-cmd, --health-retries" \
	--no-healthcheck --health-cmd true --health-retries 2
refuse "--health-interval 500ms is refused with the range" \
	"Invalid --health-interval 500ms: allowed are 0 (the default, 30s) or 1s to 2562047h47m16.854775807s" \
	--health-cmd true --health-interval 500ms
refuse "--health-timeout -1s is refused" "Invalid --health-timeout -1s: allowed are 0 (the default, 30s)" \
	--health-cmd true --health-timeout -1s
refuse "--health-start-period 10 (no unit) is refused" \
	"Invalid --health-start-period \"10\": expected a duration like 30s, 5m or 1m30s" \
	--health-cmd true --health-start-period 10
refuse "--health-retries -1 is refused" "Invalid --health-retries -1: allowed are 0 (the default, 3) to 2147483647" \
	--health-cmd true --health-retries -1
refuse "--health-retries 2147483648 is refused" "Invalid --health-retries 2147483648" \
	--health-cmd true --health-retries 2147483648
refuse "--health-interval without --health-cmd is refused" "--health-interval needs --health-cmd" \
	--health-interval 5s
api_create() {
	curl -s --unix-socket "$SOCK" -H 'Content-Type: application/json' -d "$1" \
		"http://localhost/v1.41/containers/create${2:+?name=$2}"
}
body() { printf '{"Image":"none","Cmd":["sleep","1000"],"Healthcheck":%s,"HostConfig":{"ExternalRootfs":"%s"}}' "$1" "$BB"; }
expect_match "API: Interval of 5 ns is refused, naming the field and the range" \
	"Invalid Healthcheck.Interval 5: allowed are 0 (the default, 30s) or 1s to" \
	"$(api_create "$(body '{"Test":["CMD","true"],"Interval":5}')")"
expect_match "API: an unknown Test type is refused" \
	'unknown type \"BOGUS\": allowed are CMD, CMD-SHELL, NONE' \
	"$(api_create "$(body '{"Test":["BOGUS","x"]}')")"
expect_match "API: Test as a string is refused" "Healthcheck.Test must be an array of strings" \
	"$(api_create "$(body '{"Test":"true"}')")"
expect_match "API: Retries beyond int32 is refused" "Invalid Healthcheck.Retries 4294967296" \
	"$(api_create "$(body '{"Test":["CMD","true"],"Retries":4294967296}')")"
expect_eq "nothing was created by the refusals" "$count_before" "$(isula ps -aq | wc -l)"
expect_fail "ps -f health=bogus is refused" "Unrecognised filter value for health: bogus" \
	isula ps -f health=bogus

# ------------------------------------------------------------------------------ Docker API
# The body the Docker CLI sends for `docker create --health-cmd 'test -e /etc/passwd'
# --health-interval 1s --health-retries 2` (it cannot name an external rootfs: added).
out=$(api_create "$(body '{"Test":["CMD-SHELL","test -e /etc/passwd"],"Interval":1000000000,"Retries":2}')" dk)
dk=$(sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p' <<<"$out")
is_hex64 "$dk" && pass "the Docker CLI's create body is accepted" || fail "the Docker CLI's create body is accepted" "$out"
expect_ok "start it" isula start dk
wait_for "... it turns healthy" $WAIT is_health dk healthy
out=$(python3 - "$SOCK" "$BB" <<'PY' 2>&1
import sys, time, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config()
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sleep", "1000"], host_config=hc, name="dpy",
                           healthcheck={"test": ["CMD", "test", "-e", "/etc/passwd"],
                                        "interval": 1000000000, "retries": 2})["Id"]
api.start(cid)
deadline, status = time.time() + 30, None
while time.time() < deadline and status != "healthy":
    status = (api.inspect_container(cid)["State"].get("Health") or {}).get("Status")
    time.sleep(0.2)
c = api.inspect_container(cid)
print(status, c["Config"]["Healthcheck"]["Test"], c["Config"]["Healthcheck"]["Retries"],
      c["State"]["Health"]["Log"][-1]["ExitCode"])
print(" ".join(x["Names"][0] for x in api.containers(filters={"health": "healthy"})))
PY
)
expect_match "docker-py: healthcheck={...} creates a working check" \
	"healthy ['CMD', 'test', '-e', '/etc/passwd'] 2 0" "$out"
expect_match "docker-py: containers(filters={'health': 'healthy'})" "/dpy" "$out"
if command -v docker >/dev/null; then
	export DOCKER_CONFIG=$IT_TMP/docker-config
	mkdir -p "$DOCKER_CONFIG"
	D() { timeout 30 docker -H "unix://$SOCK" "$@"; }
	expect_match "docker ps shows (healthy)" "(healthy)" "$(D ps -f name=dk --format '{{.Status}}' 2>&1)"
	expect_match "docker ps --filter health=healthy" "dk" "$(D ps --filter health=healthy --format '{{.Names}}' 2>&1)"
	expect_eq "docker inspect State.Health.Status" healthy "$(D inspect -f '{{.State.Health.Status}}' dk 2>&1)"
	expect_eq "docker inspect Config.Healthcheck" "[CMD-SHELL test -e /etc/passwd] 1s 2" \
		"$(D inspect -f '{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}}' dk 2>&1)"
	expect_match "docker events --filter event=health_status" "container health_status: healthy $dk" \
		"$(D events --since "$T0" --until "$(($(date +%s) + 1))" --filter event=health_status 2>&1)"
fi
isula rm -f dk dpy hc >/dev/null 2>&1
mapfile -t left < <(isula ps -aq)
[ ${#left[@]} -eq 0 ] || isula rm -f "${left[@]}" >/dev/null 2>&1
assert_no_leftovers
it_finish
