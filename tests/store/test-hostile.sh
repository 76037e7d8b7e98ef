#!/bin/bash
# Hostile and broken roots: nothing outside the root is read or written, a store that is not a
# directory or that libsemanage would reach through a symlink is refused, a full or read-only /var
# fails cleanly with the previous tree in place and no staging leftovers.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

# An absolute link that would lead out of the root on the host: inside the root it leads nowhere.
setup flatcar-legacy
mkdir -p "$WORK/decoy"
cp -a "$ROOT/usr/lib/selinux/policy" "$WORK/decoy/store"
cp -a "$ROOT/usr/lib/selinux/default" "$WORK/decoy/policy"
decoy_before=$(cd "$WORK/decoy" && find . -printf '%p %s %T@ %C@\n' | sort)
rm "$ROOT/etc/selinux/default"
ln -s "$WORK/decoy/policy" "$ROOT/etc/selinux/default"
config '{"store":"writable"}'
apply
expect_rc 2
expect_out 'store failed'
[ -L "$ROOT/var/lib/selinux" ] || fail "the store changed although its labels cannot be read"
rm "$ROOT/var/lib/selinux" "$ROOT/etc/selinux/default"
ln -s ../../usr/lib/selinux/default "$ROOT/etc/selinux/default"
ln -s "$WORK/decoy/store" "$ROOT/var/lib/selinux"
apply
expect_rc 0
[ -d "$ROOT/var/lib/selinux/default/active" ] || fail "no copy"
decoy_after=$(cd "$WORK/decoy" && find . -printf '%p %s %T@ %C@\n' | sort)
[ "$decoy_before" = "$decoy_after" ] || fail "the decoy outside the root changed"
ok "symlinks out of the root lead nowhere; nothing outside the root is touched"

# A store that is a file.
setup plain
rm -rf "$ROOT/var/lib/selinux/default"
echo not a store > "$ROOT/var/lib/selinux/default"
before=$(CTIME=1 digest /var/lib /etc/selinux)
config '{"store":"writable","dontaudit":false}'
apply
expect_rc 2
expect_out '^store failed reading the store failed: Not a directory'
expect_out '^policy failed cannot read the policy store /var/lib/selinux/default: Not a directory'
[ "$before" = "$(CTIME=1 digest /var/lib /etc/selinux)" ] || fail "something changed"
ok "a store that is a file is refused"

# libsemanage takes paths: a store reached through a symlink (even inside the root) is refused.
# seprov's own edit of dontaudit goes through the root like every other file access: it works.
setup plain
mkdir -p "$ROOT/srv"
mv "$ROOT/var/lib/selinux/default" "$ROOT/srv/store"
ln -s /srv/store "$ROOT/var/lib/selinux/default"
make_module seprova /usr/share/seprov-test/seprova.cil
before=$(CTIME=1 digest /var/lib /etc/selinux /srv)
config '{"modules":[{"name":"seprova","source":"/usr/share/seprov-test/seprova.cil"}]}'
apply
expect_rc 2
expect_out '^module failed installing seprova at priority 400: cannot use /var/lib/selinux/default for libsemanage: it leads through a symlink to /srv/store$'
[ "$before" = "$(CTIME=1 digest /var/lib /etc/selinux /srv)" ] || fail "something changed"
config '{"dontaudit":false}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules disabled, policy edited without a rebuild$'
[ -e "$ROOT/srv/store/active/disable_dontaudit" ] || fail "the edit did not reach the store behind the link"
[ -L "$ROOT/var/lib/selinux/default" ] || fail "the link to the store was replaced"
ok "libsemanage is never given a path through a symlink; seprov's edit follows it inside the root"

# A full /var (a small tmpfs) and a read-only /var, inside the test's mount namespace.
in_var_mount() {
    local how=$1
    RC=0
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        set -e
        root=$1 how=$2 driver=$3
        mount --bind "$root/usr" "$root/usr"
        mount -o remount,bind,ro "$root/usr"
        if [ "$how" = full ]; then
            mkdir -p /tmp/seprov-var.$$ && cp -a "$root/var/." /tmp/seprov-var.$$/
            mount -t tmpfs -o size=8m tmpfs "$root/var"
            cp -a /tmp/seprov-var.$$/. "$root/var/" && rm -rf /tmp/seprov-var.$$
        else
            mount --bind "$root/var" "$root/var"
            mount -o remount,bind,ro "$root/var"
        fi
        rc=0
        "$driver" --root="$root" apply || rc=$?
        echo "link: $(readlink "$root/var/lib/selinux")"
        echo "leftovers: $(find "$root/var/lib" -name ".#seprov-staging.*" | wc -l)"
        exit $rc' in_var_mount "$ROOT" "$how" "$DRIVER" > "$OUT" 2>&1 || RC=$?
}

setup flatcar-legacy
config '{"store":"writable"}'
in_var_mount full
expect_rc 2
expect_out 'No space left on device'
expect_out '^link: \.\./\.\./usr/lib/selinux/policy$'
expect_out '^leftovers: 0$'
[ -L "$ROOT/etc/selinux/default" ] || fail "the compiled policy was swapped although the store copy failed"
ok "ENOSPC while copying: the old tree stays, no staging leftovers"

in_var_mount ro
expect_rc 2
expect_out 'Read-only file system'
expect_out '^link: \.\./\.\./usr/lib/selinux/policy$'
[ -L "$ROOT/etc/selinux/default" ] || fail "the compiled policy was swapped although /var is read-only"
ok "a read-only /var is refused cleanly"
