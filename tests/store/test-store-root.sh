#!/bin/bash
# The store root as distributions ship it: libsemanage's final/ scratch directory, lock files, other
# policy types' stores and unknown entries each get what libsemanage needs when /var/lib/selinux
# becomes real; a real store root an earlier seprov left with final/ linked into the image is mended;
# a libsemanage failure is reported in libsemanage's own words. Each case installs a module, so that
# libsemanage commits (dontaudit and booleans alone are edited without it).
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

# real_dir PATH: a directory inside the root, not a link to one.
real_dir() {
    [ -d "$ROOT$1" ] && [ ! -L "$ROOT$1" ]
}

dontaudit_rules() {
    sesearch --dontaudit "$(policy_file)" | wc -l
}

# The fixture's store root is the package's whole /var/lib/selinux: final/ is there.
setup flatcar-legacy
[ -d "$ROOT/usr/lib/selinux/policy/final" ] || fail "the fixture's image store root has no final/ (make-root.sh copies the whole store root)"
image_rules=$(sesearch --dontaudit "$ROOT/usr/lib/selinux/default/policy/policy.33" | wc -l)
make_module seprova /usr/share/seprov-test/seprova.cil
config '{"store":"writable","dontaudit":false,"booleans":[{"name":"virt_use_nfs","value":true}],
         "modules":[{"name":"seprova","source":"/usr/share/seprov-test/seprova.cil"}]}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules disabled$'
expect_out '^boolean changed virt_use_nfs=on \(persistent\)$'
expect_out '^module changed seprova installed at priority 400$'
real_dir /var/lib/selinux/final || fail "final/ is not a real directory"
[ "$(stat -c %a "$ROOT/var/lib/selinux/final")" = 700 ] || fail "final/ lost the image's mode"
[ -z "$(ls -A "$ROOT/var/lib/selinux/final")" ] || fail "libsemanage's scratch directory was left with content"
[ "$(dontaudit_rules)" -lt "$image_rules" ] || fail "the dontaudit rules are still in the compiled policy"
labels_ok /var/lib/selinux
ok "a first copy from a store root with final/: dontaudit, a boolean and a module in one commit"

# Other entries of the image's store root: another type's store and an unknown file stay the image's
# (links); lock files are not carried over.
setup flatcar-legacy
img=$ROOT/usr/lib/selinux/policy
cp -a "$img/default" "$img/mls"
echo "built by the image" > "$img/README"
chmod 0644 "$img/README"
touch "$img/semanage.read.LOCK"
config '{"store":"writable","dontaudit":false}'
apply
expect_rc 0
for e in mls README; do
    [ "$(readlink "$ROOT/var/lib/selinux/$e")" = "../../../usr/lib/selinux/policy/$e" ] || fail "$e is not a link into the image"
done
[ ! -e "$ROOT/var/lib/selinux/semanage.read.LOCK" ] || fail "a lock file was carried over"
real_dir /var/lib/selinux/default || fail "the store is not a copy"
labels_ok /var/lib/selinux
ok "other types' stores and unknown entries are links into the image; lock files stay behind"

# A real store root whose final/ is a link into the read-only image (what earlier seprov versions
# made): libsemanage cannot write there. The next apply mends it, then the policy change works.
setup flatcar-legacy
config '{"store":"writable"}'
apply
expect_rc 0
rm -rf "$ROOT/var/lib/selinux/final"
ln -s ../../../usr/lib/selinux/policy/final "$ROOT/var/lib/selinux/final"
make_module seprova /usr/share/seprov-test/seprova.cil
config '{"store":"writable","modules":[{"name":"seprova","source":"/usr/share/seprov-test/seprova.cil"}]}'
before=$(CTIME=1 digest /var/lib/selinux /etc/selinux)
apply --dry-run
expect_rc 0
expect_out '^store planned would make /var/lib/selinux/final a real directory \(libsemanage writes there\)$'
[ "$before" = "$(CTIME=1 digest /var/lib/selinux /etc/selinux)" ] || fail "the dry run changed the store"
apply
expect_rc 0
expect_out '^store changed made /var/lib/selinux/final a real directory \(libsemanage writes there\)$'
expect_out '^module changed seprova installed at priority 400$'
real_dir /var/lib/selinux/final || fail "final/ is still a link"
labels_ok /var/lib/selinux
apply
expect_rc 0
expect_no_out ' (changed|planned|failed) '
ok "a store root with final/ linked into the image is mended, and libsemanage can commit"

# libsemanage's own message, not a bare errno: final/ taken by a file.
setup plain
rm -rf "$ROOT/var/lib/selinux/final"
echo x > "$ROOT/var/lib/selinux/final"
make_module seprova /usr/share/seprov-test/seprova.cil
config '{"modules":[{"name":"seprova","source":"/usr/share/seprov-test/seprova.cil"}]}'
# Without ctimes: removing libsemanage's leftover sandbox leaves the store directory's ctime newer.
before=$(digest /var/lib/selinux /etc/selinux)
apply
expect_rc 2
expect_out '^module failed installing seprova at priority 400: libsemanage: Directory path taken by non-directory file at .*/var/lib/selinux/final'
expect_no_out 'Input/output error'
[ "$before" = "$(digest /var/lib/selinux /etc/selinux)" ] || fail "a failed commit changed the store"
ok "a libsemanage failure carries libsemanage's message"
