#!/usr/bin/env bash
# it-timeout: 900
# Kill anywhere: a seeded loop of random operations (create / start / exec / update / rename /
# stop / rm / host kills of a --restart always container's init) over busybox containers and
# one systemd container, with the private daemon SIGKILLed while requests are in flight, or a
# container's isulad-monitor SIGKILLed. After each kill (and a daemon restart) the invariants
# hold: every acknowledged create is there, every acknowledged rm, rename, update and stop
# stays done; Running iff the init is alive; no *.tmp* file, orphan dir, tombstone, cgroup,
# host-channel mount, netns file or state dir; every container with a hook spec keeps its
# hooks (its prestart hook runs at each acknowledged start).
#
#   KILL_SEED=N   replays a run (the seed is printed at the start)
#   KILL_LOG=FILE keeps the loop's log (kept in /tmp/kill_anywhere.SEED.log on a failure)
#   KILL_ITER=N   iterations (one kill each; default 50: 100 took 11 minutes beside another
#                 test file on a loaded 2-core machine, 4-5 alone; KILL_ITER=300 for a long run)
set -u
source "$(dirname "$0")/lib.sh"
it_setup
SEED=${KILL_SEED:-$((($$ * 7919 + $(date +%s)) % 1000000))}
ITER=${KILL_ITER:-50}
it_log "seed $SEED, $ITER iterations (KILL_SEED=$SEED KILL_ITER=$ITER replays)"
RANDOM=$SEED
# The default CNI network on: some containers join it (netns files, leases, rules to leave
# nothing of), the others have --net none.
export IT_NETWORK=1
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
SD=$(copy_rootfs systemd) || it_abort "a systemd rootfs copy is needed"

H=$IT_TMP/hooks
REC=$IT_TMP/rec
CH=$IT_TMP/channels
OPS=$IT_TMP/ops
mkdir -p "$H" "$REC" "$CH" "$OPS"
chmod 0755 "$H"
cat >"$H/mark.sh" <<'EOF'
#!/bin/sh
echo prestart >>"$1"
EOF
chmod 0755 "$H/mark.sh"

# R: the last random number drawn by rnd (a function, not $(...): the draws of a subshell
# would not advance the parent's sequence, and the seed would replay nothing).
R=0
rnd() { R=$((RANDOM % $1)); }

# ------------------------------------------------------------------------------ the model
# By container ID: what the API acknowledged of it.
declare -A NAME=() KIND=() TAG=() WANT=() SHARES=() STARTS=()
GONE=()                # IDs whose rm was acknowledged
declare -A PEND_KIND=() # create not acknowledged (name -> kind): may or may not exist
N_DKILL=0 N_MKILL=0 N_OPS=0 N_ACKED=0 N_FAILS=0
LOG=$IT_TMP/loop.log

ids() { printf '%s\n' "${!NAME[@]}"; }
count() { local n=0 id; for id in "${!NAME[@]}"; do [ "${KIND[$id]}" = "$1" ] && n=$((n + 1)); done; echo "$n"; }
pick_id() { # pick_id [KIND]: a random ID of the model (of KIND) in P, or empty
	local v=() id
	for id in "${!NAME[@]}"; do
		[ -z "${1:-}" ] || [ "${KIND[$id]}" = "$1" ] && v+=("$id")
	done
	P=""
	[ ${#v[@]} -gt 0 ] || return 1
	rnd ${#v[@]}
	P=${v[$R]}
}
spec() {
	echo "{\"prestart\":[{\"path\":\"$H/mark.sh\",\"args\":[\"mark.sh\",\"$REC/$1\"]}]}" \
		>"$H/$1.json"
	echo "$H/$1.json"
}
starts_of() { { wc -l <"$REC/$1"; } 2>/dev/null || echo 0; }

# ------------------------------------------------------------------------------ operations
# Each op is a client command run in the background; its exit code and output land in
# $OPS/N.rc and $OPS/N.out. OPCMD holds the command, OPAFTER what to do with an answer.
OPN=0
declare -a OP_AFTER=()
launch() { # launch AFTER CMD...
	local n=$OPN
	OPN=$((OPN + 1))
	OP_AFTER[$n]=$1
	shift
	echo "  op $n: $*" >>"$LOG"
	(
		timeout 120 "$@" >"$OPS/$n.out" 2>&1
		echo $? >"$OPS/$n.rc"
	) &
	OP_PIDS+=($!)
	OP_NUMS+=("$n")
	N_OPS=$((N_OPS + 1))
}

# plan_ops: one or two operations, chosen at random, launched. A start and a stop of the same
# container in one iteration run at once: whichever the daemon served last decides whether it
# runs, so either state is right.
after_raced() {
	known "$1" || return 0
	WANT[$1]=any
}
plan_ops() {
	local k n=1 id name
	local -A sent=()
	rnd 3
	[ "$R" = 0 ] && n=2
	for ((k = 0; k < n; k++)); do
		rnd 100
		if [ "$R" -lt 18 ] && [ ${#NAME[@]} -lt 8 ]; then
			name=k$OPN
			local args=(--name "$name") kind=bb
			rnd 3
			[ "$R" -lt 2 ] && args+=(--hook-spec "$(spec "$name")")
			rnd 3
			[ "$R" = 0 ] && args+=(--host-channel "$CH/$name:/ch:rw:8M")
			rnd 4
			[ "$R" = 0 ] && kind=al && args+=(--restart always)
			rnd 3
			[ "$R" = 0 ] || args+=(--net none)
			PEND_KIND[$name]=$kind
			launch "after_create $name $kind" "$ISULA" create "${args[@]}" \
				--external-rootfs "$BB" none sleep 1000
		elif [ "$R" -lt 36 ] && pick_id; then
			id=$P
			# (a start of a running container answers 304 and runs no hook)
			STARTS[$id]=""
			is_status "$id" running || STARTS[$id]=$(starts_of "${TAG[$id]}")
			launch "after_start $id${sent[$id]:+; after_raced $id}" "$ISULA" start "$id"
			sent[$id]=1
		elif [ "$R" -lt 46 ] && pick_id; then
			launch "after_nothing" "$ISULA" exec "$P" true
		elif [ "$R" -lt 56 ] && pick_id; then
			rnd 1000
			local shares=$((R + 2))
			launch "after_update $P $shares" "$ISULA" update --cpu-shares "$shares" "$P"
		elif [ "$R" -lt 64 ] && pick_id; then
			launch "after_rename $P r$OPN" "$ISULA" rename "$P" "r$OPN"
		elif [ "$R" -lt 78 ] && pick_id; then
			local t=0
			[ "${KIND[$P]}" = sd ] && t=5
			launch "after_stop $P${sent[$P]:+; after_raced $P}" "$ISULA" stop -t "$t" "$P"
			sent[$P]=1
		elif [ "$R" -lt 88 ] && pick_id && [ "${KIND[$P]}" != sd ]; then
			launch "after_rm $P" "$ISULA" rm -f "$P"
		elif pick_id al; then
			# The init of a --restart always container exits (killed from the host).
			local pid
			pid=$(pid_of "$P")
			echo "  host kill of $P's init ($pid)" >>"$LOG"
			# (it ran long: the back-off is short, it comes back within the deadline)
			[[ "$pid" =~ ^[1-9][0-9]*$ ]] && kill -9 "$pid" 2>/dev/null && WANT[$P]=running
		fi
	done
}

# The answers: an acknowledged operation fixes what must hold from now on; an unanswered
# one leaves it open (either outcome is right).
after_nothing() { :; }
after_create() {
	local name=$1 kind=$2 id
	if [ "$RC" = 0 ] && is_hex64 "$OUT"; then
		id=$OUT
		NAME[$id]=$name KIND[$id]=$kind TAG[$id]=$name WANT[$id]=stopped SHARES[$id]=0
		unset "PEND_KIND[$name]"
	fi
}
# An answer about a container whose rm was acknowledged meanwhile (the two were in flight
# together) records nothing: it is forgotten, and "it is back" is checked on its own.
known() { [ -n "${KIND[$1]:-}" ]; }
after_start() {
	local id=$1
	known "$id" || return 0
	if [ "$RC" = 0 ]; then
		WANT[$id]=running
		[ "${KIND[$id]}" = al ] || [ "${KIND[$id]}" = fl ] && WANT[$id]=any
		# Its prestart hook ran (if it has one).
		if [ -f "$H/${TAG[$id]}.json" ] && [ -n "${STARTS[$id]}" ] && [ "$(starts_of "${TAG[$id]}")" -le "${STARTS[$id]}" ]; then
			bad+=("acknowledged start of ${NAME[$id]} ($id) did not run its prestart hook")
		fi
	else
		WANT[$id]=any
	fi
}
after_update() { known "$1" || return 0; [ "$RC" = 0 ] && SHARES[$1]=$2 || SHARES[$1]='?'; }
after_rename() { known "$1" || return 0; [ "$RC" = 0 ] && NAME[$1]=$2 || NAME[$1]='?'; }
after_stop() { known "$1" || return 0; [ "$RC" = 0 ] && WANT[$1]=stopped || WANT[$1]=any; }
after_rm() {
	if [ "$RC" = 0 ]; then
		forget "$1"
		GONE+=("$1")
	else
		WANT[$1]=any
		RM_OPEN+=("$1")
	fi
}
forget() { unset "NAME[$1]" "KIND[$1]" "TAG[$1]" "WANT[$1]" "SHARES[$1]" "STARTS[$1]"; }

# settle_ops: waits for the launched ops and applies their answers.
settle_ops() {
	local i n
	for i in "${!OP_PIDS[@]}"; do
		wait "${OP_PIDS[$i]}" 2>/dev/null
		n=${OP_NUMS[$i]}
		RC=$(cat "$OPS/$n.rc" 2>/dev/null || echo 99)
		OUT=$(cat "$OPS/$n.out" 2>/dev/null)
		echo "  op $n: rc $RC ${OUT:0:120}" >>"$LOG"
		[ "$RC" = 0 ] && N_ACKED=$((N_ACKED + 1))
		eval "${OP_AFTER[$n]}"
	done
	OP_PIDS=() OP_NUMS=()
}

# -------------------------------------------------------------------------- the invariants
# resync: after a restart, what unanswered operations left open is read back from the daemon.
resync() {
	local name id kind
	for name in "${!PEND_KIND[@]}"; do
		kind=${PEND_KIND[$name]}
		id=$(ifield "$name" '{{.Id}}')
		unset "PEND_KIND[$name]"
		is_hex64 "$id" || continue
		[ -n "${NAME[$id]:-}" ] && continue
		NAME[$id]=$name KIND[$id]=$kind TAG[$id]=$name WANT[$id]=any SHARES[$id]=0
		echo "  unanswered create of $name landed: $id" >>"$LOG"
	done
	for id in "${RM_OPEN[@]}"; do
		gone "$id" && forget "$id" && GONE+=("$id")
	done
	RM_OPEN=()
	for id in "${!NAME[@]}"; do
		[ "${NAME[$id]}" = '?' ] && NAME[$id]=$(ifield "$id" '{{.Name}}')
		[ "${SHARES[$id]}" = '?' ] && SHARES[$id]=$(ifield "$id" '{{.HostConfig.CpuShares}}')
	done
}

# in_cgroup ID PID: PID is one of the container's processes (its pids cgroup lists it).
cg_procs() { find "$CGROOT/pids/$IT_CGNAME/$1" -name cgroup.procs -exec cat {} + 2>/dev/null; }
# consistent ID STATUS RUNNING PID: Running iff its init is alive (and a stopped container
# has no process left in its cgroup).
consistent() {
	local id=$1 st=$2 run=$3 pid=$4
	if [ "$run" = true ]; then
		pid_alive "$pid" && cg_procs "$id" | grep -qx "$pid"
	else
		[ -z "$(cg_procs "$id")" ]
	fi
}

# check_one ID: "" when ID's invariants hold, else why not (polled: a restart in progress or
# a monitor just killed settles within the deadline).
FMT='{{.Name}} {{.State.Status}} {{.State.Running}} {{.State.Pid}} {{.HostConfig.CpuShares}}'
check_one() {
	local id=$1 line
	line=$(isula inspect -f "$FMT" "$id" 2>&1) ||
		{ WHY="acknowledged ${NAME[$id]} ($id) is missing: $line"; return 1; }
	check_line "$id" "$line"
}
# check_line ID LINE: check_one on an inspect line already read.
check_line() {
	local id=$1 line=$2 st run pid name shares
	read -r name st run pid shares <<<"$line"
	WHY="${NAME[$id]} ($id): $line"
	[ "$name" = "${NAME[$id]}" ] || { WHY+=" (name: want ${NAME[$id]})"; return 1; }
	[ "$shares" = "${SHARES[$id]}" ] || { WHY+=" (cpu-shares: want ${SHARES[$id]})"; return 1; }
	case "${WANT[$id]}" in
	running) [ "$run" = true ] || { WHY+=" (want running)"; return 1; } ;;
	stopped) [ "$run" = false ] && [ "$st" != restarting ] || { WHY+=" (want stopped)"; return 1; } ;;
	esac
	consistent "$id" "$st" "$run" "$pid" ||
		{ WHY+=" (Running=$run but init alive: $(pid_alive "$pid" && echo yes || echo no), cgroup procs: $(cg_procs "$id" | tr '\n' ' '))"; return 1; }
	if [ -f "$H/${TAG[$id]}.json" ] && ! grep -q "$H/mark.sh" "$LCR/$id/config.json" 2>/dev/null; then
		WHY+=" (its hooks are lost: no mark.sh in config.json)"
		return 1
	fi
	WHY=""
}

# leftovers: what is on disk or in the kernel that no present container owns.
leftovers() {
	local present e b id m
	present=" $(ids | tr '\n' ' ') "
	find "$LCR" "$STATE" -name '*.tmp*' 2>/dev/null | sed 's/^/temp file: /'
	for e in "$LCR"/* "$LCR"/.[!.]*; do
		[ -e "$e" ] || continue
		b=$(basename "$e")
		[[ "$present" == *" $b "* ]] || echo "orphan container dir or tombstone: $e"
	done
	for e in "$STATE"/*; do
		[ -d "$e" ] || continue
		b=$(basename "$e")
		[ "$b" = netns ] && continue
		[[ "$present" == *" $b "* ]] || echo "orphan state dir: $e"
	done
	for e in "$STATE"/netns/*; do
		[ -e "$e" ] || continue
		b=$(basename "$e")
		[[ "$present" == *" $b "* ]] || echo "orphan netns file: $e"
	done
	# (globs, not find: this runs after every kill)
	for e in "$CGROOT"/*/"$IT_CGNAME"/*/ "$CGROOT"/*/"$IT_CGNAME"-*/*/; do
		[ -d "$e" ] || continue
		b=$(basename "$e")
		is_hex64 "$b" || continue
		[[ "$present" == *" $b "* ]] || echo "orphan cgroup: $e"
	done
	local rules mounts leases
	rules=$(iptables-save 2>/dev/null)
	mounts=$(findmnt -rn -o TARGET)
	leases=$(grep -rhoE '[0-9a-f]{64}' "$GRAPH/cni" 2>/dev/null | sort -u)
	for id in "${GONE[@]}"; do
		for e in "$CGROOT"/*/isulad-monitor/"$id"; do
			[ -d "$e" ] && echo "orphan monitor cgroup: $e"
		done
		[[ "$leases" != *"$id"* ]] || echo "lease of a removed container $id"
		[[ "$rules" != *"$id"* ]] || echo "iptables rule of a removed container $id"
		[[ "$mounts" != *"netns/$id"* ]] || echo "netns mount of a removed container $id"
	done
	# A netns file is a running container's.
	for e in "$STATE"/netns/*; do
		[ -e "$e" ] || continue
		b=$(basename "$e")
		[ -n "${NAME[$b]:-}" ] && [ "$(ifield "$b" '{{.State.Running}}')" != true ] &&
			echo "netns file of a stopped container: $e"
	done
	awk -v d="$CH/" 'index($0, d) == 1' <<<"$mounts" | while read -r m; do
		b=$(basename "$m")
		local owner=""
		for id in "${!TAG[@]}"; do [ "${TAG[$id]}" = "$b" ] && owner=$id; done
		[ -n "$owner" ] || echo "orphan host-channel mount: $m"
	done
	return 0
}
no_leftovers() { [ -z "$(leftovers)" ]; }

# check_all DESC: every invariant, each polled up to a deadline.
check_all() {
	local desc=$1 id listed line all=() t0
	t0=$(now_us)
	declare -A first=()
	# One inspect of them all first; only what does not hold at once is polled one by one.
	all=("${!NAME[@]}")
	if [ ${#all[@]} -gt 0 ]; then
		while read -r id line; do
			first[$id]=$line
		done < <(isula inspect -f "{{.Id}} $FMT" "${all[@]}" 2>/dev/null)
	fi
	for id in "${all[@]}"; do
		[ -n "${first[$id]:-}" ] && check_line "$id" "${first[$id]}" && continue
		poll 20 check_one "$id" || { check_one "$id"; bad+=("$WHY"); }
	done
	listed=" $(isula ps -a -q --no-trunc 2>&1 | tr '\n' ' ') "
	for id in "${GONE[@]}"; do
		[[ "$listed" != *" $id "* ]] || bad+=("acknowledged rm of $id undone: it is back")
	done
	for id in $listed; do
		[ -n "${NAME[$id]:-}" ] || bad+=("unknown container listed: $id")
	done
	poll 10 no_leftovers || bad+=("$(leftovers)")
	echo "  checked in $((($(now_us) - t0) / 1000)) ms" >>"$LOG"
	if [ ${#bad[@]} -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc" "${bad[@]}" "seed $SEED: KILL_SEED=$SEED KILL_ITER=$ITER replays"
		N_FAILS=$((N_FAILS + 1))
		echo "  FAILED: ${bad[*]}" >>"$LOG"
	fi
	bad=()
}

restart_daemon() {
	local t0
	t0=$(now_us)
	kill_daemon main
	start_daemon main || it_abort "the daemon restarts after SIGKILL"
	echo "  daemon restarted in $((($(now_us) - t0) / 1000)) ms" >>"$LOG"
}

# monitor_of ID: the isulad-monitor of a running container (the parent of its init).
monitor_of() {
	local pid
	pid=$(pid_of "$1")
	[[ "$pid" =~ ^[1-9][0-9]*$ ]] || return 1
	awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null
}

# ------------------------------------------------------------------------------- set up
bad=() OP_PIDS=() OP_NUMS=() RM_OPEN=()
sid=$(isula create -t --system-container --name sd --hook-spec "$(spec sd)" --net none \
	--external-rootfs "$SD" none init) || it_abort "create the systemd container"
NAME[$sid]=sd KIND[$sid]=sd TAG[$sid]=sd WANT[$sid]=stopped SHARES[$sid]=0
fid=$(isula create --name flap --restart always --net none --external-rootfs "$BB" none \
	sh -c 'sleep 2; exit 3') || it_abort "create the flapping always container"
NAME[$fid]=flap KIND[$fid]=fl TAG[$fid]=flap WANT[$fid]=any SHARES[$fid]=0
expect_ok "start the flapping --restart always container" isula start flap
aid=$(isula run -d --name al0 --restart always --external-rootfs "$BB" none sleep 1000) ||
	it_abort "run an always container"
NAME[$aid]=al0 KIND[$aid]=al TAG[$aid]=al0 WANT[$aid]=any SHARES[$aid]=0

# ------------------------------------------------------------------------------- the loop
t_loop=$(now_us)
for ((it = 1; it <= ITER; it++)); do
	echo "iteration $it ($((($(now_us) - t_loop) / 1000000)) s)" >>"$LOG"
	plan_ops
	rnd 100
	mapfile -t running < <(isula ps -q --no-trunc 2>/dev/null)
	if [ "$R" -lt 20 ] && [ ${#running[@]} -gt 0 ]; then
		# A running container's monitor is SIGKILLed.
		rnd ${#running[@]}
		mid=${running[$R]}
		mon=$(monitor_of "$mid")
		settle_ops
		if [[ "$mon" =~ ^[1-9][0-9]*$ ]] &&
			tr '\0' ' ' <"/proc/$mon/cmdline" 2>/dev/null | grep -q "isulad-monitor start $mid"; then
			kill -9 "$mon" 2>/dev/null
			N_MKILL=$((N_MKILL + 1))
			echo "  SIGKILL of monitor $mon of ${NAME[$mid]} ($mid)" >>"$LOG"
			case ${KIND[$mid]} in
			al) WANT[$mid]=running ;; # restarted by its policy
			fl) ;;
			*) WANT[$mid]=stopped ;;
			esac
			rnd 2
			[ "$R" = 0 ] && restart_daemon && N_DKILL=$((N_DKILL + 1))
		fi
		resync
		check_all "iteration $it: invariants hold after a monitor kill"
	else
		rnd 150
		sleep "$(printf '0.%03d' "$R")"
		restart_daemon
		N_DKILL=$((N_DKILL + 1))
		echo "  SIGKILL of the daemon after ${R} ms" >>"$LOG"
		settle_ops
		resync
		check_all "iteration $it: invariants hold after a daemon SIGKILL"
	fi
	[ "$N_FAILS" -ge 5 ] && it_log "5 failed iterations: stopping the loop" && break
done
secs=$((($(now_us) - t_loop) / 1000000))
it_log "loop: seed $SEED, $((it > ITER ? ITER : it)) iterations in ${secs}s, $N_DKILL daemon kills," \
	"$N_MKILL monitor kills, $N_OPS operations ($N_ACKED acknowledged)"
if [ "$N_FAILS" != 0 ]; then
	sed 's/^/    /' "$LOG" | tail -n 60
	cp "$LOG" "/tmp/kill_anywhere.$SEED.log" && it_log "the whole loop log: /tmp/kill_anywhere.$SEED.log"
fi
[ -z "${KILL_LOG:-}" ] || cp "$LOG" "$KILL_LOG"

# ------------------------------------------------------------------------------- the end
ids_left=$(isula ps -a -q --no-trunc)
# shellcheck disable=SC2086
[ -z "$ids_left" ] || expect_ok "rm -f of every container" timeout 120 "$ISULA" rm -f $ids_left
GONE+=("${!NAME[@]}")
for id in "${!NAME[@]}"; do forget "$id"; done
assert_no_leftovers
it_finish
