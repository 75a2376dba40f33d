#!/usr/bin/env bash
# Attacks on and faults in the engine's process handling, performed for real:
#   - exec must not put the container's environment on any command line (§1.7);
#   - pid reuse: cp, exec and kill must not act on a stranger that took the container init's
#     pid, and reattach must not adopt a stranger that took the monitor's pid (§4.5).
# The crash-safety and lock tests are in test_attacks_crash.sh.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# cmdlines_with VALUE: every process whose command line contains VALUE (pid: cmdline). Bash
# builtins only, so that the search itself never shows VALUE on a command line.
cmdlines_with() {
	local p args
	for p in /proc/[0-9]*; do
		mapfile -d '' args 2>/dev/null <"$p/cmdline" || continue
		[[ "${args[*]}" == *"$1"* ]] && echo "${p#/proc/}: ${args[*]}"
	done
	return 0
}

# ------------------------------------------------------------------ §1.7 exec environment
SECRET=run-secret-$RANDOM$RANDOM
OTHER=exec-secret-$RANDOM$RANDOM
isula run -d --name envc -e "SECRET=$SECRET" --external-rootfs "$BB" none sleep 1000 >/dev/null
is_status envc running || it_abort "run -d of the exec target"
# Detached, so that no client (whose own -e is the user's choice) is alive meanwhile.
expect_ok "exec -d -e OTHER=... of a long-running command" \
	isula exec -d -e "OTHER=$OTHER" envc sh -c 'echo "$SECRET $OTHER" >/tmp/seen; exec sleep 1000'
wait_for "the exec'd command ran" 20 test -s "$BB/tmp/seen"
helper=$(pgrep -f "isulad-monitor exec .*$(isula inspect -f '{{.Id}}' envc)")
if [ -n "$helper" ]; then
	pass "the exec helper is alive while the command runs"
else
	fail "the exec helper is alive while the command runs"
fi
expect_eq "no command line holds the container's -e value" "" "$(cmdlines_with "$SECRET")"
expect_eq "no command line holds the exec's -e value" "" "$(cmdlines_with "$OTHER")"
expect_eq "the command saw both variables" "$SECRET $OTHER" "$(cat "$BB/tmp/seen" 2>/dev/null)"
run_capture isula exec -e "OTHER=attached" envc sh -c 'echo "$SECRET/$OTHER/$PATH"'
expect_eq "an attached exec sees the container's and its own variables and a PATH" \
	"$SECRET/attached/$(isula exec envc sh -c 'echo $PATH')" "$LAST_OUT"
expect_ok "rm -f the exec target" isula rm -f envc

assert_no_leftovers
it_finish
