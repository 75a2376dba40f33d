#!/usr/bin/env bash
# make dist and make rpm: the versioned tarball; the RPMs built from it (rpmbuild -ba
# --nodeps), installed into a throw-away root, hold exactly the files make install installs,
# with its contents and the seed's modes, configuration as %config, and no binary misses a
# library; installed into the Debian systemd rootfs, their scriptlets run (the isulad group),
# and rpm -e keeps an edited daemon.json.
# it-timeout: 900 (rpmbuild compiles the whole tree again)
set -u
source "$(dirname "$0")/lib.sh"
it_setup
source "$(dirname "$0")/pkg_lib.sh"

expect_ok "make install DESTDIR (to compare)" "${MK[@]}" install DESTDIR="$T/fresh"
std_list=$(files "$T/fresh")

# ------------------------------------------------------------------------------ make dist
ver=$(sed -n 's/^#define ISULAD_VERSION "\(.*\)"/\1/p' "$REPO/lib/core/version.h")
expect_ok "make dist" "${MK[@]}" dist
tarball=$REPO/$BUILD/isulad-$ver.tar.gz
[ -f "$tarball" ] && pass "make dist makes isulad-$ver.tar.gz" || fail "make dist makes isulad-$ver.tar.gz"
list=$(tar tzf "$tarball")
for f in Makefile COMMIT packaging/rpm/isulad.spec engine/daemon/main.c man/isula.1.scd; do
	grep -qx "isulad-$ver/$f" <<<"$list" || fail "the tarball holds isulad-$ver/$f"
done
pass "the tarball holds the tree under isulad-$ver/ and its COMMIT"

# ------------------------------------------------------------------------------- make rpm
if ! command -v rpmbuild >/dev/null; then
	fail "rpmbuild is installed (scripts/install-deps.sh: rpm)"
	it_finish
fi
expect_ok "make rpm (rpmbuild -ba --nodeps)" "${MK[@]}" rpm
rpms=$(find "$REPO/$BUILD/rpm/RPMS" -name '*.rpm' | sort)
names=$(for r in $rpms; do rpm -qp --qf '%{NAME}\n' "$r" 2>/dev/null; done | sort | xargs)
expect_eq "the binary packages" "authz iSulad lxcfs lxcfs-toolkit syscontainer-tools" "$names"
[ -n "$(find "$REPO/$BUILD/rpm/SRPMS" -name '*.src.rpm')" ] && pass "a source RPM" || fail "a source RPM"
root=$T/rpmroot
mkdir -p "$root"
# --noscripts: the throw-away root has no shell for the scriptlets (they run in the systemd
# rootfs below).
RPMQ=(rpm --root "$root" --dbpath /var/lib/rpm)
expect_ok "rpm --root DIR -i --nodeps --noscripts" "${RPMQ[@]}" -i --nodeps --noscripts $rpms
rpm_list=$(files "$root" | grep -vE '^/var/lib/rpm/')
expect_eq "the RPMs install exactly the files make install does" "$std_list" "$rpm_list"
# Each file the same as make install's, but the programs (compiled again from the tarball);
# same modes.
differ=$(cd "$root" && for f in $rpm_list; do
	[ -f "$T/fresh$f" ] || continue
	[ "$(stat -c %a ".$f")" = "$(stat -c %a "$T/fresh$f")" ] || echo "mode $f"
	case "$f" in /usr/bin/*) continue ;; esac
	cmp -s ".$f" "$T/fresh$f" || echo "content $f"
done)
expect_eq "each RPM file has make install's content and mode" "" "$differ"
for d in /etc/isulad /etc/isulad-tools /var/lib/authz-broker; do
	expect_eq "RPM and make install: $d has the same mode" "$(stat -c %a "$T/fresh$d")" "$(stat -c %a "$root$d")"
done
expect_eq "RPM: policy.json 0640" 640 "$(stat -c %a "$root/var/lib/authz-broker/policy.json")"
expect_eq "RPM: /var/lib/authz-broker 0750" 750 "$(stat -c %a "$root/var/lib/authz-broker")"
expect_eq "RPM: daemon.json 0640" 640 "$(stat -c %a "$root/etc/isulad/daemon.json")"
cfgs=$("${RPMQ[@]}" -qac 2>/dev/null | sort | xargs)
expect_eq "RPM: configuration is %config" "/etc/isulad-tools/hookspec.json /etc/isulad/daemon.json /etc/isulad/seccomp_default.json /etc/sysconfig/iSulad /var/lib/authz-broker/policy.json" "$cfgs"
missing=$(for b in "$root"/usr/bin/*; do ldd "$b" | grep 'not found' | sed "s|^|$b: |"; done)
expect_eq "no installed binary misses a library (ldd)" "" "$missing"
expect_ok "the installed isula runs" "$root/usr/bin/isula" --help

# The scriptlets, run for real: the RPMs installed into a systemd rootfs (rpm chroots there
# and runs them with its shell). systemctl in a chroot reloads nothing and says so.
R2=$(copy_rootfs systemd) || it_abort "a second systemd rootfs copy is needed"
expect_ok "rpm --root SYSTEMD-ROOTFS -i --nodeps (with the scriptlets)" \
	rpm --root "$R2" --dbpath /var/lib/rpm -i --nodeps $rpms
grep -q '^isulad:' "$R2/etc/group" && pass "%pre made the isulad group" ||
	fail "%pre made the isulad group" "$(tail -3 "$R2/etc/group")"
echo '{"log-level": "WARN"}' >"$R2/etc/isulad/daemon.json"
expect_ok "rpm -e iSulad (an edited daemon.json)" rpm --root "$R2" --dbpath /var/lib/rpm -e --nodeps iSulad
expect_eq "rpm -e keeps the edited daemon.json (as .rpmsave)" '{"log-level": "WARN"}' \
	"$(cat "$R2/etc/isulad/daemon.json.rpmsave" 2>/dev/null)"
[ ! -e "$R2/usr/bin/isulad" ] && pass "rpm -e removed isulad" || fail "rpm -e removed isulad"
it_finish
