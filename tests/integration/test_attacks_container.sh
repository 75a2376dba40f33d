#!/usr/bin/env bash
# Attacks on the engine, performed for real: lxc config injection through every API string
# that reaches a generated config (raw POST /containers/create), a FIFO at a container's
# /etc/passwd, KERNEL_MODULES from a rootfs's env target file, and deeply nested cgroups made
# from inside a running container (top, update --cpuset-*, stop, rm).
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

# api_create NAME BODY: raw create; prints "CODE BODY".
api_create() {
	curl -s -w '\n%{http_code}' --unix-socket "$SOCK" -H 'Content-Type: application/json' \
		-d "$2" "http://x/v1.41/containers/create?name=$1" 2>&1 |
		awk '{ a[NR] = $0 } END { printf "%s", a[NR]; for (i = 1; i < NR; i++) printf " %s", a[i]; print "" }'
}

# A create body: the base Config/HostConfig with $1 merged into Config and $2 into HostConfig
# (JSON members, with their leading comma).
body() {
	printf '{"Image":"none","Cmd":["sleep","300"]%s,"HostConfig":{"ExternalRootfs":"%s"%s}}' \
		"$1" "$BB" "$2"
}

# ================================================================ lxc config injection (§3.1)
INJ='lxc.hook.pre-start = /bin/touch '"$IT_TMP"'/pwned'
# JSON string escapes of the control characters tried in every field.
CTRLS=('\n' '\r' '\u0001' '\u007f')
mkdir -p "$IT_TMP/hc"
# field NAME CONFIG-MEMBERS HOSTCONFIG-MEMBERS, with @ for the control character.
FIELDS=(
	'Hostname|,"Hostname":"h@INJ"|'
	'WorkingDir|,"WorkingDir":"/@INJ"|'
	'User|,"User":"root@INJ"|'
	'Env|,"Env":["A=b@INJ"]|'
	'Binds source|,|,"Binds":["/tmp@INJ:/mnt"]'
	'Binds destination|,|,"Binds":["/tmp:/mnt@INJ"]'
	'Binds mode|,|,"Binds":["/tmp:/mnt:ro@INJ"]'
	'CgroupParent|,|,"CgroupParent":"/x@INJ"'
	'HookSpec|,|,"HookSpec":"/etc/hook.json@INJ"'
	'EnvTargetFile|,|,"SystemContainer":true,"EnvTargetFile":"/etc/environment@INJ"'
	'HostChannel host path|,|,"HostChannel":{"PathOnHost":"'"$IT_TMP"'/hc/ch@INJ","PathInContainer":"/ch","Permissions":"rw"}'
	'HostChannel container path|,|,"HostChannel":{"PathOnHost":"'"$IT_TMP"'/hc/ch2","PathInContainer":"/ch@INJ","Permissions":"rw"}'
	'Devices host path|,|,"Devices":[{"PathOnHost":"/dev/null@INJ","PathInContainer":"/dev/n","CgroupPermissions":"rwm"}]'
	'Devices container path|,|,"Devices":[{"PathOnHost":"/dev/null","PathInContainer":"/dev/n@INJ","CgroupPermissions":"rwm"}]'
	'Sysctls|,|,"Sysctls":{"kernel.msgmax":"8192@kernel.shmmax=1"}'
	'LogConfig option|,|,"LogConfig":{"Type":"json-file","Config":{"max-size":"1m@INJ"}}'
	'Ulimits name|,|,"Ulimits":[{"Name":"nofile@INJ","Soft":10,"Hard":10}]'
	'DnsOptions|,|,"DnsOptions":["ndots:1@INJ"]'
	'UserRemap|,|,"UserRemap":"100000:100000:65536@INJ"'
)
bad=""
n=0
for f in "${FIELDS[@]}"; do
	IFS='|' read -r fname cpart hpart <<<"$f"
	[ "$cpart" = "," ] && cpart=""
	for c in "${CTRLS[@]}"; do
		n=$((n + 1))
		b=$(body "${cpart//@/$c}" "${hpart//@/$c}")
		b=${b//INJ/$INJ}
		got=$(api_create "inj$n" "$b")
		case "$got" in
		"400 "*Invalid*) ;;
		*) bad+="$fname with '$c': $got"$'\n' ;;
		esac
	done
done
expect_eq "every API field with a control character is refused with 400 'Invalid ...' ($n tries)" "" "$bad"
b=$(body ',"Hostname":"h\nINJ"' '')
expect_match "the answer names the field and shows the value" \
	"Invalid hostname 'h\\\\nlxc.hook.pre-start = /bin/touch" "$(api_create inj-msg "${b//INJ/$INJ}")"

# ExternalRootfs: a real directory whose name carries a newline and an lxc line.
EVIL_ROOT="$IT_TMP/"$'r\nlxc.uts.name = injected'
mkdir "$EVIL_ROOT"
got=$(api_create inj-rootfs "{\"Image\":\"none\",\"Cmd\":[\"true\"],\"HostConfig\":{\"ExternalRootfs\":\"$IT_TMP/r\\nlxc.uts.name = injected\"}}")
expect_match "ExternalRootfs naming an existing directory with a newline: 400" "400 " "$got"
expect_match "... 'Invalid external rootfs'" "Invalid external rootfs" "$got"
got=$(api_create inj-space "$(body ',"Hostname":" h "' '')")
expect_match "a hostname with blanks liblxc would trim: 400" "starts or ends with a space" "$got"
got=$(api_create inj-quote "$(body ',"WorkingDir":"\"/tmp\""' '')")
expect_match "a working dir in quotes liblxc would strip: 400" "is enclosed in quotes" "$got"
got=$(api_create inj-bindsp "$(body '' ',"Binds":["/tmp:/mnt x"]')")
expect_match "a bind destination with a space: 400" "400 " "$got"
got=$(api_create inj-bindbs "$(body '' ',"Binds":["/tmp:/mnt\\\\040x"]')")
expect_match "a bind destination with an fstab escape (backslash): 400" "contains a backslash" "$got"

expect_fail "isula create --hostname with a newline exits non-zero, naming it" "Invalid hostname" \
	isula create --hostname $'h\nlxc.uts.name = x' --external-rootfs "$BB" none true
expect_fail "isula create -w with a newline exits non-zero, naming it" "Invalid working directory" \
	isula create -w $'/\nlxc.mount.auto = proc:rw' --external-rootfs "$BB" none true
expect_eq "no container was created by any of them" "" "$(isula ps -aq)"
expect_eq "no container dir in the graph or state" "" \
	"$(find "$LCR" "$STATE" -mindepth 1 -maxdepth 1 -type d 2>/dev/null)"
expect_eq "no host-channel dir was made" "" "$(ls -A "$IT_TMP/hc")"
expect_eq "no injected line in any file the daemon wrote" "" \
	"$(grep -rlE --exclude=isulad.log 'pwned|injected' "$GRAPH" "$STATE" 2>/dev/null)"
expect_ok "no injected hook ran" test ! -e "$IT_TMP/pwned"

# Legitimate values still work, and the config holds them verbatim.
id=$(isula run -d --name legit --hostname ok-host -w /tmp -e 'GREETING=hello world' \
	-v "$IT_TMP/hc:/mnt/hc:ro" --external-rootfs "$BB" none sleep 300)
wait_for "a container with ordinary values runs" 30 is_status legit running
expect_eq "... its hostname" ok-host "$(isula exec legit hostname)"
expect_eq "... its working dir" /tmp "$(isula exec legit pwd)"
expect_eq "... its env" "hello world" "$(isula exec legit sh -c 'echo $GREETING')"
expect_eq "every line of its lxc config is one key = value" "" \
	"$(grep -vE '^(#.*|lxc\.[a-z0-9_.-]+ = [^ ].*)$' "$LCR/$id/config")"
isula rm -f legit >/dev/null

# =========================================================== FIFO at /etc/passwd (§3.2)
R=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
isula run -d --name fifo -u root --external-rootfs "$R" none sleep 300 >/dev/null
wait_for "fifo: the container runs (-u root)" 30 is_status fifo running
expect_ok "fifo: from inside, /etc/passwd becomes a FIFO" \
	isula exec fifo sh -c 'rm -f /etc/passwd && mkfifo /etc/passwd && test -p /etc/passwd'
expect_fail "fifo: exec -u fails at once, naming the file" "/etc/passwd: not a regular file" \
	timeout 20 "$ISULA" exec -u root fifo true
expect_ok "fifo: stop" timeout 30 "$ISULA" stop -t 1 fifo
expect_fail "fifo: start (-u) fails at once, naming the file" "/etc/passwd: not a regular file" \
	timeout 20 "$ISULA" start fifo
expect_ok "fifo: rm -f works at once" timeout 20 "$ISULA" rm -f fifo
# Without the fix a start would still be blocked in the FIFO (holding the container's lock):
# a writer releases it, so that the rest of the file can run.
timeout 2 sh -c ": >'$R/etc/passwd'" 2>/dev/null
timeout 30 "$ISULA" rm -f fifo >/dev/null 2>&1
# The env target file is read at create the same way.
mkfifo "$R/etc/envfifo"
expect_fail "fifo: an env target file that is a FIFO is refused at once" "not a regular file" \
	timeout 20 "$ISULA" create --system-container --env-target-file /etc/envfifo \
	--external-rootfs "$R" none true

# ================================================ KERNEL_MODULES from the rootfs (§3.3)
MOD=isulad_it_mod_$$
expect_ok "modules: $MOD is not in the kernel" test ! -e "/sys/module/$MOD"
R2=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"
printf 'KERNEL_MODULES=%s\nFROM_FILE=1\n' "$MOD" >"$R2/etc/environment"
expect_ok "modules: a system container whose env file names a module is created and starts" \
	isula run -tid --name mods --system-container --env-target-file /etc/environment \
	--external-rootfs "$R2" none sh
wait_for "modules: ... it runs (no modprobe of the file's module)" 30 is_status mods running
env_json=$(ifield mods '{{json .Config.Env}}')
expect_match "modules: the file's other entries are merged" "FROM_FILE=1" "$env_json"
[[ "$env_json" == *KERNEL_MODULES* ]] &&
	fail "modules: the file's KERNEL_MODULES is not in Config.Env" "$env_json" ||
	pass "modules: the file's KERNEL_MODULES is not in Config.Env"
expect_ok "modules: the module was not loaded" test ! -e "/sys/module/$MOD"
expect_match "modules: the daemon log says the entry was ignored" "KERNEL_MODULES is taken from the API only" \
	"$(grep KERNEL_MODULES "$GRAPH/isulad.log" 2>/dev/null)"
isula rm -f mods >/dev/null
expect_fail "modules: -e KERNEL_MODULES from the API still counts (the start tries it)" "$MOD" \
	isula run -tid --system-container -e "KERNEL_MODULES=$MOD" --external-rootfs "$R2" none sh
timeout 60 "$ISULA" rm -f $(isula ps -aq) >/dev/null 2>&1

# ===================================================== nested cgroups from inside (§5.1)
DEPTH=200
deep=$(printf 'a/%.0s' $(seq 1 $DEPTH))
isula run -d --name nest --external-rootfs "$BB" none sleep 300 >/dev/null
wait_for "nest: the container runs" 30 is_status nest running
# Every hierarchy the container may write (its own cgroup, through its cgroup namespace).
expect_ok "nest: from inside, $DEPTH nested cgroups in the pids and cpuset hierarchies" \
	isula exec nest sh -c "for h in pids cpuset; do mkdir -p /sys/fs/cgroup/\$h/$deep || exit 1; done"
expect_ok "nest: a process in the deepest pids cgroup" \
	isula exec nest sh -c "sleep 301 </dev/null >/dev/null 2>&1 & echo \$! >/sys/fs/cgroup/pids/${deep}cgroup.procs"
expect_ok "nest: top works" timeout 60 "$ISULA" top nest
expect_match "nest: top lists the process in the deepest cgroup" "sleep 301" "$LAST_OUT"
expect_ok "nest: update --cpuset-cpus 0 works" timeout 60 "$ISULA" update --cpuset-cpus 0 nest
expect_ok "nest: the daemon is alive" daemon_alive main
expect_ok "nest: stop" timeout 60 "$ISULA" stop -t 1 nest
expect_ok "nest: rm" timeout 60 "$ISULA" rm nest
expect_ok "nest: the daemon is still alive" daemon_alive main

# The daemon's own removal walk (what liblxc leaves when a monitor is killed): nested cgroups
# where a created container's cgroup will be, as its root would have left them.
cid=$(isula create --external-rootfs "$BB" none true)
base=$CGROOT/pids$IT_CGPARENT/$cid/ns
mkdir -p "$base"
(cd "$base" && for _ in $(seq 1 150); do mkdir a && cd a || exit 1; done) ||
	fail "nest: cannot make the nested cgroups"
expect_ok "nest: rm of a container with 150 nested cgroups left" timeout 60 "$ISULA" rm "$cid"
expect_ok "nest: the daemon survived it" daemon_alive main
expect_ok "nest: its cgroup tree is gone" test ! -e "$CGROOT/pids$IT_CGPARENT/$cid"

assert_no_leftovers
it_finish
