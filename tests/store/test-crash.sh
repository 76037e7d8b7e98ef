#!/bin/bash
# Crash consistency of the first copy (docs/ARCHITECTURE.md): a failure is injected at mutating system calls of
# a full first copy (strace -e inject): error=EIO, and signal=KILL for a real crash. After each, the
# live trees must be the old ones (the image's links) or the complete new ones, never a mix; after
# an error no staging tree may be left; and a clean rerun must converge to the same final trees.
# Each system call is hit at its first calls, its last, and spread between (every one with
# SEPROV_CRASH_FULL=1). The number of injection points is printed.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

SYSCALLS=(openat mkdirat copy_file_range fsetxattr lsetxattr utimensat symlinkat fchmod write
          sync_file_range syncfs renameat2 unlinkat)
ESSENTIAL="openat mkdirat copy_file_range fsetxattr utimensat syncfs renameat2"
export ASAN_OPTIONS=detect_leaks=0 # LeakSanitizer cannot run under ptrace

# Each tree on its own: the store (with its store root) and the compiled policy are swapped one
# after the other; either may be old or new, but each is whole.
tree() {
    digest "$1" | grep -v '\.seprov-origin [a-z] .* [0-9.]*$' || true
}

trees() {
    tree /var/lib/selinux
    tree /etc/selinux/default
}

consistent() {
    local s p
    s=$(tree /var/lib/selinux)
    p=$(tree /etc/selinux/default)
    { [ "$s" = "$OLD_S" ] || [ "$s" = "$NEW_S" ]; } && { [ "$p" = "$OLD_P" ] || [ "$p" = "$NEW_P" ]; }
}

reset_old() {
    rm -rf "$ROOT/var/lib/selinux" "$ROOT/etc/selinux/default"
    ln -s ../../usr/lib/selinux/policy "$ROOT/var/lib/selinux"
    ln -s ../../usr/lib/selinux/default "$ROOT/etc/selinux/default"
    # The same links every time, to compare with the old state.
    touch -h -d @1700000000 "$ROOT/var/lib/selinux" "$ROOT/etc/selinux/default"
    find "$ROOT/var/lib" "$ROOT/etc/selinux" -maxdepth 1 -name '.#seprov-staging.*' -exec rm -rf {} +
}

leftovers() {
    find "$ROOT/var/lib" "$ROOT/var/lib/selinux/" "$ROOT/etc/selinux" -maxdepth 1 -name '.#seprov-staging.*' | wc -l
}

setup flatcar-legacy
config '{"store":"writable"}'
reset_old
OLD=$(trees) OLD_S=$(tree /var/lib/selinux) OLD_P=$(tree /etc/selinux/default)
apply
expect_rc 0
NEW=$(trees) NEW_S=$(tree /var/lib/selinux) NEW_P=$(tree /etc/selinux/default)
[ "$OLD" != "$NEW" ] || fail "the copy changed nothing"

# How often each system call happens in a full first copy (all threads).
reset_old
ro_usr strace -f -c -o "$WORK/counts" "$DRIVER" --root="$ROOT" apply >/dev/null 2>&1
[ "$(trees)" = "$NEW" ] || fail "the reference run did not converge"

points() {
    local n=$1 i
    if [ -n "${SEPROV_CRASH_FULL:-}" ]; then seq 1 "$n"; return; fi
    { seq 1 "$(( n < 3 ? n : 3 ))"; seq "$(( n > 1 ? n - 1 : 1 ))" "$n"
      for i in 1 2 3 4; do echo $(( n * i / 5 )); done; } | awk '$1 > 0' | sort -nu
}

total=0 failed=0
for sc in "${SYSCALLS[@]}"; do
    n=$(awk -v s="$sc" '$NF == s {print $4}' "$WORK/counts")
    [ -n "$n" ] || continue
    sc_failed=0
    for how in error=EIO signal=KILL; do
        for when in $(points "$n"); do
            # Crashes are tried where they matter most: the calls that make the copies visible, and
            # the first calls of the others.
            case "$how:$sc" in
            signal=KILL:syncfs | signal=KILL:renameat2 | signal=KILL:unlinkat | error=EIO:*) ;;
            *) [ "$when" -le 2 ] || continue ;;
            esac
            reset_old
            RC=0
            ro_usr strace -f -qq --seccomp-bpf -o /dev/null -e trace="$sc" -e inject="$sc:$how:when=$when" \
                "$DRIVER" --root="$ROOT" apply > "$OUT" 2>&1 || RC=$?
            [ "$RC" -eq 0 ] || failed=$((failed + 1))
            [ "$RC" -eq 0 ] || [ "$how" != error=EIO ] || sc_failed=1
            consistent || fail "$sc $how at call $when: a live tree is neither the old nor the new one"
            if [ "$how" = error=EIO ] && [ "$RC" -ne 0 ] && [ "$(leftovers)" -ne 0 ]; then
                fail "$sc $how at call $when: staging leftovers after a failure"
            fi
            RC=0
            ro_usr "$DRIVER" --root="$ROOT" apply > "$OUT" 2>&1 || RC=$?
            expect_rc 0
            [ "$(trees)" = "$NEW" ] || fail "$sc $how at call $when: the rerun did not converge"
            [ "$(leftovers)" -eq 0 ] || fail "$sc $how at call $when: the rerun left staging trees"
            total=$((total + 1))
        done
    done
    # Where the copy cannot go on without the call, an injected error must fail the run (errors in
    # removing the old entry, or in writing the report, are tolerated by design).
    case " $ESSENTIAL " in
    *" $sc "*) [ "$sc_failed" -eq 1 ] || fail "$sc: no injected error failed the run (is strace injecting?)" ;;
    esac
done
ok "crash consistency: $total injection points ($failed failed or crashed the run);" \
    "each left the old or the new trees, and the rerun converged"
