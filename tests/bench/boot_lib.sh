# shellcheck shell=bash
# Systemd boot helpers shared by bench_boot.sh and bench_net.sh (sourced after lib.sh).
#
#   fresh_copy DEST              a writable copy of the cached systemd rootfs; prints its path
#   wait_booted NAME LXCPATH     polls `systemctl is-system-running` until "running"
#   boot_isula ROOTFS [FLAGS...] prints "BOOT_MS STOP_MS ID" of `isula run -tid FLAGS`
#   boot_lxc NAME ROOTFS CONFIG  prints "BOOT_MS STOP_MS" of `lxc-start -d` with CONFIG
#
# Both sides are removed afterwards. BOOT_TIMEOUT (seconds) bounds the wait.

BOOT_TIMEOUT=${BENCH_BOOT_TIMEOUT:-120}
BOOT_POLL=0.02

fresh_copy() { bash "$REPO/tests/mkrootfs.sh" copy systemd "$1" 2>/dev/null | tail -n 1; }

wait_booted() {
	local deadline=$((${EPOCHREALTIME/./} + BOOT_TIMEOUT * 1000000)) state=""
	while :; do
		state=$(lxc-attach -n "$1" -P "$2" -- systemctl is-system-running 2>/dev/null) || true
		[ "$state" = running ] && return 0
		if [ "${EPOCHREALTIME/./}" -gt "$deadline" ]; then
			log "container $1 not running after ${BOOT_TIMEOUT}s (last state: '${state:-none}')"
			return 1
		fi
		sleep "$BOOT_POLL"
	done
}

boot_isula() {
	local rootfs=$1 t0 t1 t2 t3 id
	shift
	t0=${EPOCHREALTIME/./}
	id=$("$ISULA" run -tid "$@" --system-container --external-rootfs "$rootfs" none init) ||
		die "isula run -tid $* --system-container --external-rootfs $rootfs none init failed"
	wait_booted "$id" "$LCRPATH" || {
		tail -n 20 "$LCRPATH/$id/console.log" >&2 2>/dev/null || true
		die "engine container $id did not boot"
	}
	t1=${EPOCHREALTIME/./}
	t2=${EPOCHREALTIME/./}
	"$ISULA" stop "$id" >/dev/null || die "isula stop $id failed"
	t3=${EPOCHREALTIME/./}
	"$ISULA" rm "$id" >/dev/null || die "isula rm $id failed"
	echo "$(ms_between "$t0" "$t1") $(ms_between "$t2" "$t3") $id"
}

boot_lxc() {
	local name=$1 rootfs=$2 t0 t1 t2 t3
	make_lxc "$name" "$3" "$REF_ID"
	t0=${EPOCHREALTIME/./}
	lxc-start -n "$name" -P "$LXCPATH" -d -- init ||
		die "lxc-start -n $name -P $LXCPATH -d -- init failed"
	wait_booted "$name" "$LXCPATH" || die "lxc container $name did not boot"
	t1=${EPOCHREALTIME/./}
	t2=${EPOCHREALTIME/./}
	lxc-stop -n "$name" -P "$LXCPATH" || die "lxc-stop -n $name -P $LXCPATH failed"
	t3=${EPOCHREALTIME/./}
	rm -rf "${LXCPATH:?}/$name"
	echo "$(ms_between "$t0" "$t1") $(ms_between "$t2" "$t3")"
}
