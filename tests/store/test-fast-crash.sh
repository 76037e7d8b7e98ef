#!/bin/bash
# Crash consistency of the edit without a rebuild (dontaudit off and two booleans in one edit): a
# failure is injected at the system calls that write the store and the installed policy (strace -e
# inject): error=EIO, and signal=KILL for a real crash. After each, the files a commit writes are
# the old ones, the new ones, or a mix with seprov's record of the edit beside them (so the next
# apply knows); and a clean rerun leaves them exactly as an uninterrupted edit does (which
# test-fast.sh checks against libsemanage's). The number of injection points is printed.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

SYSCALLS=(openat write fsync fsetxattr linkat renameat unlinkat syncfs)
export ASAN_OPTIONS=detect_leaks=0 # LeakSanitizer cannot run under ptrace
STORE=var/lib/selinux/default
BASE="$WORK/base"

# The files a commit writes: name and content digest, or missing.
commit_files() {
    local f
    for f in active/policy.linked active/policy.kern active/booleans.local active/disable_dontaudit \
        active/commit_num; do
        if [ -e "$ROOT/$STORE/$f" ]; then echo "$f $(md5sum < "$ROOT/$STORE/$f")"; else echo "$f missing"; fi
    done
    echo "policy.33 $(md5sum < "$ROOT/etc/selinux/default/policy/policy.33")"
}

# Those and seprov's saved original (saved before the edit begins, harmless alone: it is only used
# while active/policy.linked is the one its record names).
files() {
    commit_files
    if [ -e "$ROOT/$STORE/.seprov-dontaudit.linked" ]; then
        echo "saved $(md5sum < "$ROOT/$STORE/.seprov-dontaudit.linked")"
    fi
}

# Only what the edit may write is put back.
reset_base() {
    rm -rf "$ROOT/var/lib/selinux" "$ROOT/etc/selinux"
    cp -a "$BASE/var/lib/selinux" "$ROOT/var/lib/selinux"
    cp -a "$BASE/etc/selinux" "$ROOT/etc/selinux"
}

setup flatcar-legacy
config '{"store":"writable"}'
apply
expect_rc 0
config '{"store":"writable","dontaudit":false,
         "booleans":[{"name":"virt_use_nfs","value":true},{"name":"ssh_sysadm_login","value":false}]}'
mkdir -p "$BASE/var/lib" "$BASE/etc"
cp -a "$ROOT/var/lib/selinux" "$BASE/var/lib/selinux"
cp -a "$ROOT/etc/selinux" "$BASE/etc/selinux"
OLD=$(commit_files)
apply
expect_rc 0
expect_out 'policy edited without a rebuild$'
NEW=$(files) NEW_COMMIT=$(commit_files)
[ "$OLD" != "$NEW_COMMIT" ] || fail "the edit changed nothing"

# How often each system call happens in the edit.
reset_base
ro_usr strace -f -c -o "$WORK/counts" "$DRIVER" --root="$ROOT" apply >/dev/null 2>&1
[ "$(files)" = "$NEW" ] || fail "the reference run did not converge"

total=0 failed=0
for sc in "${SYSCALLS[@]}"; do
    n=$(awk -v s="$sc" '$NF == s {print $4}' "$WORK/counts")
    [ -n "$n" ] || fail "the edit makes no $sc call (is strace counting?)"
    for how in error=EIO signal=KILL; do
        # The calls that make a file visible or durable, every one; the others at their first, a
        # middle and their last call (openat: the last ones open what the edit writes).
        case $sc in
        renameat | linkat | unlinkat | syncfs) whens=$(seq 1 "$n") ;;
        *) whens=$(printf '%s\n' 1 $(( (n + 1) / 2 )) "$n" | sort -nu) ;;
        esac
        for when in $whens; do
            reset_base
            RC=0
            # Without --seccomp-bpf: with it, strace 6.1 does not deliver an injected signal.
            ro_usr strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc:$how:when=$when" \
                "$DRIVER" --root="$ROOT" apply > "$OUT" 2>&1 || RC=$?
            [ "$RC" -eq 0 ] || failed=$((failed + 1))
            [ "$RC" -ne 0 ] || [ "$how" != signal=KILL ] || fail "$sc $how at call $when: the run was not killed"
            now=$(commit_files)
            if [ "$now" != "$OLD" ] && [ "$now" != "$NEW_COMMIT" ] && [ ! -e "$ROOT/$STORE/.seprov-edit" ]; then
                fail "$sc $how at call $when: the store is half edited and seprov has no record of it"
            fi
            apply
            expect_rc 0
            [ "$(files)" = "$NEW" ] || fail "$sc $how at call $when: the rerun did not converge"
            [ ! -e "$ROOT/$STORE/.seprov-edit" ] || fail "$sc $how at call $when: the record of the edit was left"
            total=$((total + 1))
        done
    done
done
labels_ok /var/lib/selinux /etc/selinux/default/policy
ok "crash consistency of the edit: $total injection points ($failed failed or crashed the run);" \
    "each left the old files, the new ones or a record of the edit, and the rerun converged"
