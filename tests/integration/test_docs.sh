#!/usr/bin/env bash
# The documentation users reach: every man page renders without warnings (man -l), every
# command and flag a binary's --help prints appears in its page, and the bash completion of
# isula and isulad-tools completes commands, flags and the daemon's containers.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
MAN=$REPO/$BUILD/man
make -s -C "$REPO" BUILD="$BUILD" man >/dev/null || it_abort "make man (scdoc) must work"

for page in isula.1 isulad.8 isulad-monitor.8 isulad-tools.1 syscontainer-hooks.8 lxcfs.1 \
	lxcfs-toolkit.1 authz-broker.8 isulad-daemon.json.5; do
	run_capture env MANWIDTH=80 man --warnings -l "$MAN/$page"
	warn=$(MANWIDTH=80 man --warnings -l "$MAN/$page" 2>&1 >/dev/null)
	[ "$LAST_RC" = 0 ] && [ -z "$warn" ] && pass "man -l $page renders without warnings" ||
		fail "man -l $page renders without warnings" "$warn"
done

# help_words HELP-TEXT: the flags (long and short) and commands it lists.
help_flags() { grep -oE '^ +(-[A-Za-z], )?--?[A-Za-z][A-Za-z0-9.-]*' | tr -d ',' | tr ' ' '\n' | grep -E '^-'; }
help_cmds() { awk '/^(COMMANDS|Commands):/ { on = 1; next } on && NF >= 2 { print $1 } on && NF == 0 { on = 0 }'; }

# covers PAGE BINARY [CMD]: every flag of "BINARY [CMD] --help" is in PAGE's text.
covers() {
	local page=$1 bin=$2 text missing=() w
	shift 2
	text=$(MANWIDTH=200 man -l "$MAN/$page" 2>/dev/null)
	for w in $("$BIN/$bin" "$@" --help 2>&1 | help_flags) $("$BIN/$bin" "$@" --help 2>&1 | help_cmds); do
		# the whole word: "-t" is not found inside "--tty"
		grep -qE -- "(^|[^A-Za-z0-9.-])${w//./\\.}([^A-Za-z0-9.-]|$)" <<<"$text" || missing+=("$w")
	done
	[ ${#missing[@]} -eq 0 ] && pass "$page documents everything '$bin $* --help' prints" ||
		fail "$page documents everything '$bin $* --help' prints" "missing: ${missing[*]}"
}
covers isulad.8 isulad
covers authz-broker.8 authz-broker
covers lxcfs.1 lxcfs
covers syscontainer-hooks.8 syscontainer-hooks
covers lxcfs-toolkit.1 lxcfs-toolkit
for c in $("$BIN/lxcfs-toolkit" --help | help_cmds); do covers lxcfs-toolkit.1 lxcfs-toolkit "$c"; done
covers isulad-tools.1 isulad-tools
for c in $("$BIN/isulad-tools" --help | help_cmds); do covers isulad-tools.1 isulad-tools "$c"; done
covers isula.1 isula
for c in $("$BIN/isula" --help | help_cmds); do covers isula.1 isula "$c"; done
# isulad-monitor has no --help of its own: its page names each of its modes.
text=$(man -l "$MAN/isulad-monitor.8" 2>/dev/null)
for m in start post-stop-hook oci-hooks exec proc-rw-hook; do
	grep -qw -- "$m" <<<"$text" || fail "isulad-monitor.8 names the mode $m"
done
pass "isulad-monitor.8 names every mode"

# --------------------------------------------------------------------------- completion
start_daemon main || it_abort "the daemon must start"
R=$(copy_rootfs busybox) || it_abort "a rootfs copy is needed"
id=$(isula create --name webfront --system-container --external-rootfs "$R" none sh) ||
	it_abort "create a container"
# complete LINE: what the completion offers for LINE (the last word is completed).
complete_line() {
	PATH=$BIN:$PATH bash -c '
		source "$1"; source "$2"; shift 2
		read -ra COMP_WORDS <<<"$1"
		[[ "$1" == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		f=$(complete -p "${COMP_WORDS[0]}" | sed -E "s/.*-F ([^ ]+).*/\1/")
		"$f"
		printf "%s\n" "${COMPREPLY[@]}" | sort | xargs' _ \
		"$REPO/completion/isula" "$REPO/completion/isulad-tools" "$1"
}
expect_eq "isula st<TAB>" "start stats stop" "$(complete_line 'isula st')"
expect_eq "isula ru<TAB>" "run" "$(complete_line 'isula ru')"
expect_eq "isula inspect --<TAB>" "--format --help --host --time" "$(complete_line 'isula inspect --')"
expect_eq "isula run --syste<TAB>" "--system-container" "$(complete_line 'isula run --syste')"
expect_eq "isula stop web<TAB> (a name from the daemon)" "webfront" "$(complete_line 'isula stop web')"
expect_eq "isula rm ${id:0:6}<TAB> (a short ID from the daemon)" "${id:0:12}" "$(complete_line "isula rm ${id:0:6}")"
expect_eq "isula -H unix://SOCK stop web<TAB> (the command line's host)" "webfront" \
	"$(ISULAD_HOST=unix:///nonexistent complete_line "isula -H unix://$SOCK stop web")"
expect_eq "isula run --name <TAB>: a value, no container" "" "$(complete_line 'isula run --name ')"
expect_eq "isula run --net h<TAB>" "host" "$(complete_line 'isula run --net h')"
expect_eq "isula network <TAB>" "create inspect ls rm" "$(complete_line 'isula network ')"
if isula network create "webnet$$" >/dev/null 2>&1; then
	expect_eq "isula network rm webnet<TAB> (a network from the daemon)" "webnet$$" \
		"$(complete_line "isula network rm webnet")"
	expect_eq "isula run --net webnet<TAB>" "webnet$$" "$(complete_line "isula run --net webnet")"
	isula network rm "webnet$$" >/dev/null
else
	fail "isula network create webnet$$ (for the completion)"
fi
expect_eq "isula port web<TAB>" "webfront" "$(complete_line 'isula port web')"
expect_eq "isulad-tools add-<TAB>" "add-device add-nic add-path add-route" "$(complete_line 'isulad-tools add-')"
expect_eq "isulad-tools add-nic --ty<TAB>" "--type" "$(complete_line 'isulad-tools add-nic --ty')"
expect_eq "isulad-tools add-nic --type <TAB>" "eth veth" "$(complete_line 'isulad-tools add-nic --type ')"
expect_eq "isulad-tools list-path web<TAB>" "webfront" "$(complete_line 'isulad-tools list-path web')"
isula rm -f "$id" >/dev/null
it_finish
