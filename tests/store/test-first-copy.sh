#!/bin/bash
# store: writable on each layout: the copy equals the image's trees (content, owners, modes, times,
# other xattrs), every label is what file_contexts says, the image's links are replaced, /usr is
# never written, and the copy records what it came from.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

# The image's tree and the copy: same entries, types, modes, owners, sizes, mtimes and contents.
same_tree() {
    local image=$1 copy=$2 a b
    a=$(cd "$ROOT$image" && entries . | sort)
    b=$(cd "$ROOT$copy" && entries . ! -name .seprov-origin | sort)
    [ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b") | head >&2; fail "$copy differs from $image"; }
    diff -r --exclude=.seprov-origin "$ROOT$image" "$ROOT$copy" >/dev/null || fail "$copy: content differs"
}

flatcar() {
    local layout=$1 with_policy=$2
    setup "$layout"
    # An xattr that is not a label must survive the copy.
    setfattr -n user.seprov-test -v kept "$ROOT/usr/lib/selinux/policy/default/active/commit_num"
    # Another policy type's store in the image's store root stays reachable, read-only, by a link.
    mkdir -p "$ROOT/usr/lib/selinux/policy/other/active"
    config '{"store":"writable"}'
    apply
    expect_rc 0
    expect_out '^store changed copied /usr/lib/selinux/policy/default to a writable /var/lib/selinux/default'
    if [ ! -d "$ROOT/var/lib/selinux" ] || [ -L "$ROOT/var/lib/selinux" ]; then
        fail "/var/lib/selinux is not a real directory"
    fi
    same_tree /usr/lib/selinux/policy/default /var/lib/selinux/default
    kept=$(getfattr --only-values -n user.seprov-test "$ROOT/var/lib/selinux/default/active/commit_num" 2>/dev/null)
    [ "$kept" = kept ] || fail "user xattr lost"
    labels_ok /var/lib/selinux
    [ "$(label_of /var/lib/selinux/default/active/policy.kern)" = system_u:object_r:semanage_store_t:s0 ] ||
        fail "policy.kern labelled $(label_of /var/lib/selinux/default/active/policy.kern)"
    [ "$(label_of /var/lib/selinux)" = system_u:object_r:semanage_store_t:s0 ] || fail "/var/lib/selinux label"
    grep -qx 'source=/usr/lib/selinux/policy/default' "$ROOT/var/lib/selinux/default/.seprov-origin" ||
        fail "no origin record"
    grep -qx 'replaced-target=../../usr/lib/selinux/policy' "$ROOT/var/lib/selinux/default/.seprov-origin" ||
        fail "the replaced link is not recorded"
    [ "$(readlink "$ROOT/var/lib/selinux/other")" = ../../../usr/lib/selinux/policy/other ] ||
        fail "the image's other store is not linked"
    [ -d "$ROOT/var/lib/selinux/other/active" ] || fail "the link to the image's other store leads nowhere"
    if [ "$with_policy" = yes ]; then
        expect_out '^store changed copied /usr/lib/selinux/default to a writable /etc/selinux/default'
        [ ! -L "$ROOT/etc/selinux/default" ] || fail "/etc/selinux/default is still a link"
        same_tree /usr/lib/selinux/default /etc/selinux/default
        labels_ok /etc/selinux/default
        [ "$(label_of /etc/selinux/default/policy/policy.33)" = system_u:object_r:policy_config_t:s0 ] ||
            fail "policy.33 label"
    else
        expect_no_out 'to a writable /etc/selinux/default'
    fi
    status > "$OUT"
    expect_out '^state: writable$'
    expect_out '^copied-from: /usr/lib/selinux/policy/default$'
    [ -z "$(find "$ROOT/var/lib" "$ROOT/etc/selinux" -name '.#seprov-staging.*')" ] || fail "staging leftovers"
    ok "first copy on $layout"
}

flatcar flatcar-legacy yes
flatcar flatcar-current no

# The plain layout's store is already the system's own, writable: nothing to copy.
setup plain
before=$(CTIME=1 digest /var/lib/selinux /etc/selinux)
config '{"store":"writable"}'
apply
expect_rc 0
expect_out '^store unchanged /var/lib/selinux/default is writable'
[ "$before" = "$(CTIME=1 digest /var/lib/selinux /etc/selinux)" ] || fail "plain: the store changed"
ok "plain layout: nothing to copy"

# Each name swapped in is durable before anything later is written: a directory fsync follows every
# rename of a staged tree, before the next one (the mode, written last, may be on another filesystem).
setup flatcar-current
config '{"store":"writable"}'
export ASAN_OPTIONS=detect_leaks=0 # LeakSanitizer cannot run under ptrace
ro_usr strace -f -qq -o "$WORK/trace" -e trace=renameat2,fsync "$DRIVER" --root="$ROOT" apply >"$OUT" 2>&1 ||
    fail "apply under strace failed"
unset ASAN_OPTIONS
awk '/renameat2\(.*seprov-staging.* = 0/ { pending++; renames++; next }
     /fsync\(.* = 0/ { pending = 0; next }
     END { exit !(renames > 0 && pending == 0) }' "$WORK/trace" || fail "a staged rename without fsync after it"
awk '/renameat2\(.*seprov-staging.* = 0/ { if (p) bad = 1; p = 1 } /fsync\(.* = 0/ { p = 0 } END { exit bad }' \
    "$WORK/trace" || fail "two staged renames without an fsync between them"
ok "every staged rename is followed by a directory fsync"
