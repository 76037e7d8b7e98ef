#!/bin/bash
# fileContexts and fileContextEquivalences in the writable store: the same change made by semanage
# (fcontext -a, fcontext -a -e) on a copy of the same fixture leaves the same store files, the same
# installed file_contexts.local and .subs, the same `semanage fcontext -l -C` and the same labels
# from libselinux; a second apply changes nothing and never loads libsemanage; a later semodule -B
# keeps everything; what seprov made is undone when the config drops it, while a rule an
# administrator made with semanage stays; an image store refuses them before anything changes.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

REF="$WORK/ref"
ACTIVE=var/lib/selinux/default/active
FILES=etc/selinux/default/contexts/files

# in_root DIR CMD...: CMD with DIR's /etc/selinux and /var/lib/selinux over the host's, in a private
# mount namespace (semanage has no root option).
in_root() {
    local dir=$1
    shift
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        set -e
        mount --bind "$1/etc/selinux" /etc/selinux
        mount --bind "$1/var/lib/selinux" /var/lib/selinux
        shift
        exec "$@"' in_root "$dir" "$@"
}

ref_semanage() {
    in_root "$REF" semanage import -N 2>/dev/null
}

# lookup DIR PATH: the label libselinux gives PATH from DIR's installed file_contexts (its .local,
# .subs and .subs_dist included).
lookup() {
    selabel_lookup -b file -t 0 -f "$1/$FILES/file_contexts" -k "$2" 2>/dev/null | sed -n 's/^Default context: //p'
}

same_as_ref() {
    local f
    for f in "$ACTIVE/file_contexts.local" "$FILES/file_contexts.local" "$FILES/file_contexts.subs"; do
        if [ -e "$ROOT/$f" ] || [ -e "$REF/$f" ]; then
            cmp -s "$ROOT/$f" "$REF/$f" || { diff "$ROOT/$f" "$REF/$f" >&2 || true; fail "$f differs from semanage's"; }
            [ "$(stat -c %a "$ROOT/$f")" = "$(stat -c %a "$REF/$f")" ] || fail "$f's mode differs from semanage's"
        fi
    done
    [ "$(in_root "$ROOT" semanage fcontext -l -C)" = "$(in_root "$REF" semanage fcontext -l -C)" ] ||
        fail "semanage fcontext -l -C lists other rules than on semanage's copy"
    for p in /opt/cni/bin/bridge /var/lib/kubelet /var/lib/kubelet/pods /srv/www/index.html /srv/data/x; do
        [ "$(lookup "$ROOT" "$p")" = "$(lookup "$REF" "$p")" ] || fail "libselinux labels $p otherwise than on semanage's copy"
    done
}

setup plain
cp -a "$ROOT" "$REF"
[ ! -L "$REF/etc/selinux/config" ] || cp --remove-destination "$(readlink -f "$REF/etc/selinux/config")" "$REF/etc/selinux/config"
config '{"fileContexts":[{"path":"/opt/cni/bin(/.*)?","type":"bin_t"},
                         {"path":"/var/lib/kubelet(/.*)?","fileType":"directory","type":"var_lib_t","range":"s0"}],
         "fileContextEquivalences":[{"path":"/srv/www","sameAs":"/var/www"}]}'
before=$(digest /var/lib/selinux /etc/selinux)
apply --dry-run
expect_rc 0
expect_out '^fcontext planned would set /opt/cni/bin\(/\.\*\)\? \(all\) bin_t'
expect_out '^equivalence planned would set /srv/www = /var/www'
[ "$before" = "$(digest /var/lib/selinux /etc/selinux)" ] || fail "the dry run changed the store"
ok "a dry run plans the rules and the equivalence and changes nothing"

apply
expect_rc 0
expect_out '^fcontext changed /opt/cni/bin\(/\.\*\)\? \(all\) bin_t set'
expect_out '^fcontext changed /var/lib/kubelet\(/\.\*\)\? \(directory\) var_lib_t:s0 set'
expect_out '^equivalence changed /srv/www = /var/www set'
expect_out '^relabel-regex /opt/cni/bin\(/\.\*\)\?$'
expect_out '^relabel-regex /var/lib/kubelet\(/\.\*\)\?$'
expect_out '^relabel-regex /srv/www\(/\.\*\)\?$'
printf '%s\n' 'fcontext -a -f a -t bin_t "/opt/cni/bin(/.*)?"' \
    'fcontext -a -f d -t var_lib_t -r s0 "/var/lib/kubelet(/.*)?"' 'fcontext -a -e /var/www /srv/www' | ref_semanage ||
    fail "semanage failed on the reference"
same_as_ref
[ "$(lookup "$ROOT" /opt/cni/bin/bridge)" = system_u:object_r:bin_t:s0 ] || fail "the rule does not label /opt/cni/bin/bridge"
[ "$(lookup "$ROOT" /srv/www/index.html)" = "$(lookup "$ROOT" /var/www/index.html)" ] || fail "/srv/www is not labelled as /var/www"
labels_ok /var/lib/selinux /etc/selinux/default
ok "two rules and an equivalence: the same files, listing and labels as semanage fcontext -a and -a -e"

# The second apply: nothing changes, and libsemanage is not even loaded (LeakSanitizer cannot run
# under strace).
before=$(CTIME=1 digest /var/lib/selinux /etc/selinux)
RC=0
ASAN_OPTIONS=detect_leaks=0 ro_usr strace -f -e trace=openat -o "$WORK/strace" "$DRIVER" --root="$ROOT" apply > "$OUT" 2>&1 || RC=$?
expect_rc 0
expect_no_out ' (changed|planned|failed) '
expect_no_out '^relabel-regex'
expect_out '^fcontext unchanged /opt/cni/bin'
expect_out '^equivalence unchanged /srv/www = /var/www'
[ "$before" = "$(CTIME=1 digest /var/lib/selinux /etc/selinux)" ] || fail "the second apply changed the store"
grep -q 'libsemanage\.so' "$WORK/strace" && fail "the second apply loaded libsemanage"
ok "a second apply changes nothing and does not load libsemanage"

# A rebuild by libsemanage keeps them: the rules are its records, the equivalence is where semanage
# puts it.
semodule -p "$ROOT" -B 2>/dev/null || fail "semodule -B failed"
semodule -p "$REF" -B 2>/dev/null || fail "semodule -B failed on the reference"
same_as_ref
apply
expect_rc 0
expect_no_out ' (changed|planned|failed) '
ok "semodule -B keeps the rules and the equivalence; apply still has nothing to do"

# An administrator's own rule, made by hand; then the config drops seprov's: they go, it stays.
in_root "$ROOT" semanage fcontext -a -t etc_t '/srv/data(/.*)?' 2>/dev/null || fail "semanage failed"
printf '%s\n' "fcontext -a -t etc_t '/srv/data(/.*)?'" | ref_semanage || fail "semanage failed on the reference"
config '{"fileContexts":[{"path":"/opt/cni/bin(/.*)?","type":"bin_t","state":"absent"}]}'
apply
expect_rc 0
expect_out '^fcontext changed /opt/cni/bin\(/\.\*\)\? \(all\) removed: the config no longer lists it'
expect_out '^fcontext changed /var/lib/kubelet\(/\.\*\)\? \(directory\) removed'
expect_out '^equivalence changed /srv/www removed: the config no longer lists it'
expect_out '^relabel-regex /srv/www\(/\.\*\)\?$'
printf '%s\n' 'fcontext -d -f a "/opt/cni/bin(/.*)?"' 'fcontext -d -f d "/var/lib/kubelet(/.*)?"' \
    'fcontext -d -e /var/www /srv/www' | ref_semanage || fail "semanage -d failed on the reference"
same_as_ref
in_root "$ROOT" semanage fcontext -l -C | grep -q '^/srv/data(/\.\*)?' || fail "the administrator's rule is gone"
grep -q '^fcontext\|^equivalence' "$ROOT/var/lib/selinux/default/.seprov-managed" && fail "the manifest still lists them"
apply
expect_rc 0
expect_no_out ' (changed|planned|failed) '
ok "dropped from the config: seprov's rules and equivalence undone as semanage -d does, the administrator's rule kept"

# With the image's store the policy action cannot make them (apply's preflight refuses them before:
# tests/apply/test-file-contexts.sh), and changes nothing.
setup flatcar-legacy
config '{"fileContexts":[{"path":"/opt/cni/bin(/.*)?","type":"bin_t"}],
         "fileContextEquivalences":[{"path":"/srv/www","sameAs":"/var/www"}]}'
before=$(digest /var/lib/selinux /etc/selinux /usr/lib/selinux)
apply
expect_rc 2
expect_out '^fcontext failed setting /opt/cni/bin.*: needs store: writable'
expect_out '^equivalence failed setting /srv/www = /var/www: needs store: writable'
[ "$before" = "$(digest /var/lib/selinux /etc/selinux /usr/lib/selinux)" ] || fail "the failed apply changed something"
ok "the image's read-only store: not made, nothing changed"

# flatcar-current with a writable store: made in the copy, idempotent.
setup flatcar-current
config '{"store":"writable","fileContexts":[{"path":"/opt/cni/bin(/.*)?","type":"bin_t"}],
         "fileContextEquivalences":[{"path":"/srv/www","sameAs":"/var/www"}]}'
apply
expect_rc 0
expect_out '^fcontext changed /opt/cni/bin'
expect_out '^equivalence changed /srv/www = /var/www set'
[ "$(lookup "$ROOT" /opt/cni/bin/bridge)" = system_u:object_r:bin_t:s0 ] || fail "the rule does not label /opt/cni/bin/bridge"
[ "$(lookup "$ROOT" /srv/www/index.html)" = "$(lookup "$ROOT" /var/www/index.html)" ] || fail "/srv/www is not labelled as /var/www"
apply
expect_rc 0
expect_no_out ' (changed|planned|failed) '
ok "flatcar-current: applied in the writable copy, a second apply has nothing to do"

# With booleans alone the policy is edited without libsemanage; an equivalence beside them is
# written all the same, and its line says nothing of how the policy was changed.
config '{"store":"writable"}'
apply
expect_rc 0
expect_out '^fcontext changed /opt/cni/bin\(/\.\*\)\? \(all\) removed'
config '{"store":"writable","booleans":[{"name":"httpd_can_network_connect","value":true}],
         "fileContextEquivalences":[{"path":"/srv/data","sameAs":"/var/lib"}]}'
apply
expect_rc 0
expect_out '^boolean changed httpd_can_network_connect=on \(persistent\), policy edited without a rebuild$'
expect_out '^equivalence changed /srv/data = /var/lib set$'
[ "$(lookup "$ROOT" /srv/data/x)" = "$(lookup "$ROOT" /var/lib/x)" ] || fail "/srv/data is not labelled as /var/lib"
grep -qx '/srv/www /var/www' "$ROOT/$FILES/file_contexts.subs" && fail "the dropped equivalence is still there"
ok "an equivalence beside booleans edited without libsemanage"
