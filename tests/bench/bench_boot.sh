#!/usr/bin/env bash
# Boot time of a systemd system container through the engine vs plain lxc-start with the
# same lxc config, `isula stop` of a booted systemd container, and `isula run -d` of a busybox
# container vs `lxc-start -d` of the same config.
#
#   BENCH_ROUNDS=15     systemd boot rounds per side (alternating order; single boots take
#                       227-342 ms on either side here, and five left the ratio 1.05 in one
#                       run and 0.98 in the next)
#   BENCH_BB_RUNS=20    busybox runs per side
#   BENCH_BOOT_TIMEOUT=120  seconds to wait for "running"
set -euo pipefail
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/bench/boot_lib.sh
source "$(dirname "$0")/boot_lib.sh"
bench_init boot

ROUNDS=${BENCH_ROUNDS:-15}
BB_RUNS=${BENCH_BB_RUNS:-20}

busybox_rootfs
bash "$REPO/tests/mkrootfs.sh" systemd >/dev/null # build the cache outside any timing
daemon_start

# The reference container: its generated config is what the lxc side runs with, and the
# network files the engine wrote into its rootfs are copied into the lxc side's rootfs. It is
# also the warm-up boot of the engine side (not counted).
log "warm-up and reference config"
ref_rootfs=$(fresh_copy "$BENCH_TMP/ref-rootfs")
REF_ID=$("$ISULA" create -ti --system-container --external-rootfs "$ref_rootfs" none init) ||
	die "isula create -ti --system-container --external-rootfs $ref_rootfs none init failed"
"$ISULA" start "$REF_ID" >/dev/null || die "isula start $REF_ID failed"
wait_booted "$REF_ID" "$LCRPATH" || die "reference container did not boot"
"$ISULA" stop "$REF_ID" >/dev/null || die "isula stop $REF_ID failed"
# Keep the reference (stopped) so its config stays readable.
cp "$LCRPATH/$REF_ID/config" "$BENCH_TMP/ref.config"
for f in etc/hostname etc/hosts etc/resolv.conf; do
	cp "$ref_rootfs/$f" "$BENCH_TMP/$(basename "$f")"
done
lxc_rootfs() { # fresh copy with the files the engine writes before a start
	local dest
	dest=$(fresh_copy "$1")
	for f in hostname hosts resolv.conf; do cp "$BENCH_TMP/$f" "$dest/etc/$f"; done
	echo "$dest"
}
r=$(lxc_rootfs "$BENCH_TMP/lxc-warm")
boot_lxc warmup "$r" "$(lxc_config_from_engine "$REF_ID" warmup "$r")" >/dev/null || exit 1
rm -rf "$r"
log "lxc side = engine-generated config of $REF_ID with these lines changed (< engine, > lxc):"
diff "$BENCH_TMP/ref.config" <(lxc_config_from_engine "$REF_ID" sysN "$BENCH_TMP/lxc-N") |
	grep '^[<>]' | sed 's/^/    /' >&2 || true

isula_boot=() lxc_boot=() isula_stop=() lxc_stop=()
for i in $(seq 1 "$ROUNDS"); do
	ri=$(fresh_copy "$BENCH_TMP/isula-$i")
	rl=$(lxc_rootfs "$BENCH_TMP/lxc-$i")
	sides="isula lxc"
	[ $((i % 2)) -eq 0 ] && sides="lxc isula"
	for side in $sides; do
		if [ "$side" = isula ]; then
			out=$(boot_isula "$ri") || exit 1
			read -r b s id <<<"$out"
			isula_boot+=("$b") isula_stop+=("$s")
			log "round $i isula: boot ${b} ms, stop ${s} ms"
		else
			out=$(boot_lxc "sys$i" "$rl" "$(lxc_config_from_engine "$REF_ID" "sys$i" "$rl")") || exit 1
			read -r b s <<<"$out"
			lxc_boot+=("$b") lxc_stop+=("$s")
			log "round $i lxc:   boot ${b} ms, stop ${s} ms"
		fi
	done
	rm -rf "$ri" "$rl"
done
mi=$(median "${isula_boot[@]}")
ml=$(median "${lxc_boot[@]}")
result "systemd boot, isula run (median ms)" "$mi" ms
result "systemd boot, lxc-start (median ms)" "$ml" ms
result "systemd boot ratio isula/lxc" "$(awk -v a="$mi" -v b="$ml" 'BEGIN { printf "%.3f", a / b }')" x 1.05
result "isula stop, booted systemd (median ms)" "$(median "${isula_stop[@]}")" ms 500
result "lxc-stop, booted systemd (median ms)" "$(median "${lxc_stop[@]}")" ms

# Busybox: `isula run -d` vs `lxc-start -d` of the same config, alternating, all left running
# until the end (both sides see the same number of running containers).
log "busybox run -d x $BB_RUNS per side"
bb_cmd=(sh -c 'sleep 1000')
REF_ID=$("$ISULA" run -d --external-rootfs "$BUSYBOX_ROOTFS" none "${bb_cmd[@]}") ||
	die "isula run -d --external-rootfs $BUSYBOX_ROOTFS none sh -c 'sleep 1000' failed"
bb_cfg=$(lxc_config_from_engine "$REF_ID" NAME "$BUSYBOX_ROOTFS")
for i in $(seq 1 "$BB_RUNS"); do
	make_lxc "bb$i" "${bb_cfg//NAME/bb$i}" "$REF_ID"
	busybox_run_pair "$i"
done
isula_run=("${ISULA_MS[@]}")
lxc_run=("${LXC_MS[@]}")
log "isula run -d ms: ${isula_run[*]}"
log "lxc-start -d ms: ${lxc_run[*]}"
result "busybox isula run -d (median ms)" "$(median "${isula_run[@]}")" ms 40
result "busybox lxc-start -d (median ms)" "$(median "${lxc_run[@]}")" ms
if command -v python3 >/dev/null; then
	result "busybox create+start via API, no client (ms)" \
		"$(python3 "$BENCH_LIB_DIR/api_time.py" "$SOCK" "$BB_RUNS" run "$BUSYBOX_ROOTFS" sh -c 'sleep 1000')" ms ||
		die "api_time.py run failed"
fi
