#!/usr/bin/env bash
# Supplementary groups, as Docker gives them: `isula exec -u USER` and a container's init run
# with USER's groups of the container's own /etc/group (plus --group-add), so a file readable
# by one of them is readable and one readable by another group is not; root's memberships
# too; an explicit USER:GROUP gets that group alone; the process's own gid is always among them
# (else a group left with newgrp or setgid would stop restricting it: CVE-2022-36109); bad
# --group-add values are refused.
set -u
source "$(dirname "$0")/lib.sh"
it_setup
start_daemon main || it_abort "the daemon must start"
BB=$(copy_rootfs busybox) || it_abort "a busybox rootfs copy is needed"

cat >>"$BB/etc/passwd" <<'EOF2'
alice:x:1500:1500:Alice:/:/bin/sh
EOF2
cat >"$BB/etc/group" <<'EOF2'
root:x:0:
wheel:x:10:root
alice:x:1500:
team:x:1600:alice,bob
other:x:1700:bob
nobody:x:65534:
EOF2
echo team-secret >"$BB/team.txt"
echo other-secret >"$BB/other.txt"
chown 0:1600 "$BB/team.txt" && chown 0:1700 "$BB/other.txt"
chmod 0640 "$BB/team.txt" "$BB/other.txt"

# groups_of CTR [EXEC-FLAGS...] : the Groups: line of /proc/self/status of an exec.
groups_of() { isula exec "${@:2}" "$1" sh -c 'grep "^Groups:" /proc/self/status' 2>&1 | tr -s ' \t' ' '; }

isula run -d --name ug --external-rootfs "$BB" none sh -c 'sleep 1000' >/dev/null ||
	it_abort "run ug failed"
expect_eq "exec -u alice: her own gid and her groups of the container's /etc/group" \
	"Groups: 1500 1600 " "$(groups_of ug -u alice)"
expect_ok "exec -u alice reads a file of her group" isula exec -u alice ug cat /team.txt
expect_match "... and gets its text" team-secret "$LAST_OUT"
expect_fail "exec -u alice cannot read a file of a group she is not in" "Permission denied" \
	isula exec -u alice ug cat /other.txt
expect_eq "exec -u 1500 (her uid): the same groups" "Groups: 1500 1600 " "$(groups_of ug -u 1500)"
expect_eq "exec -u alice:other: that group alone, no memberships" "Groups: 1700 " \
	"$(groups_of ug -u alice:other)"
expect_fail "exec -u alice:other has no access through team" "Permission denied" \
	isula exec -u alice:other ug cat /team.txt
expect_eq "exec as root: gid 0 and root's memberships" "Groups: 0 10 " "$(groups_of ug)"
expect_eq "exec -u 4242 (not in passwd): its gid 0 only" "Groups: 0 " "$(groups_of ug -u 4242)"
expect_eq "exec -u alice:team keeps team (its gid) among the supplementary groups" \
	"Groups: 1600 " "$(groups_of ug -u alice:team)"

# The init: -u and --group-add.
isula run -d --name ug-init -u alice --group-add other --group-add 4000 \
	--external-rootfs "$BB" none sh -c 'sleep 1000' >/dev/null || fail "run -u alice --group-add failed"
expect_eq "init with -u alice --group-add other --group-add 4000: her gid and all three groups" \
	"Groups: 1500 1600 1700 4000 " \
	"$(isula exec ug-init sh -c 'grep "^Groups:" /proc/1/status' 2>&1 | tr -s ' \t' ' ')"
expect_ok "its exec (the container's user alice, no -u) reads the added group's file" \
	isula exec ug-init cat /other.txt
expect_eq "an exec in that container (its user, no -u) has the added groups too" \
	"Groups: 1500 1600 1700 4000 " "$(groups_of ug-init)"
expect_eq "inspect shows HostConfig.GroupAdd" "[other 4000]" \
	"$(isula inspect -f '{{.HostConfig.GroupAdd}}' ug-init 2>&1)"

# Refusals.
expect_fail_code "--group-add with a ':' is refused at create" 125 \
	"Invalid --group-add value \"a:b\"" \
	isula create --group-add a:b --external-rootfs "$BB" none true
expect_fail_code "an empty --group-add is refused at create" 125 "Invalid --group-add value" \
	isula create --group-add "" --external-rootfs "$BB" none true
expect_fail "--group-add of a group the container does not have fails the start, naming it" \
	"Unable to find group nosuch" \
	isula run -d --name ug-bad --group-add nosuch --external-rootfs "$BB" none true
expect_eq "... and the container is not running" false \
	"$(ifield ug-bad '{{.State.Running}}')"

# The Docker API field, through docker-py.
out=$(python3 - "$SOCK" "$BB" <<'PY' 2>&1
import sys, docker
api = docker.APIClient(base_url="unix://" + sys.argv[1], version="1.41")
hc = api.create_host_config(group_add=["other"])
hc["ExternalRootfs"] = sys.argv[2]
cid = api.create_container("none", ["sh", "-c", "sleep 1000"], user="alice", host_config=hc)["Id"]
api.start(cid)
ex = api.exec_create(cid, ["sh", "-c", "grep ^Groups: /proc/self/status"])["Id"]
print(" ".join(api.exec_start(ex).decode().split()))
api.remove_container(cid, force=True)
PY
)
expect_eq "docker-py: group_add and user reach an exec's groups" "Groups: 1500 1600 1700" "$out"
it_finish
