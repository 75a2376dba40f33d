# shellcheck shell=bash
# cni_remove_networks CONF_DIR...: removes the bridges and masquerading rules of the networks
# whose conflists are in CONF_DIR (they outlive their daemon, as docker0 does). Sourced by
# tests/integration/lib.sh and tests/bench/lib.sh.
cni_remove_networks() {
	local d f br
	for d in "$@"; do
		for f in "$d"/*.conflist; do
			[ -f "$f" ] || continue
			br=$(jq -r '.plugins[0].bridge // empty' "$f" 2>/dev/null)
			[ -n "$br" ] || continue
			ip link del "$br" 2>/dev/null
			iptables -w -t nat -S POSTROUTING 2>/dev/null |
				grep -F -- "! -o $br -j MASQUERADE" |
				while read -r _ rule; do
					# shellcheck disable=SC2086
					iptables -w -t nat -D $rule
				done
		done
	done
	return 0
}
