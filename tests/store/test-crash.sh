#!/bin/bash
# Crash consistency inside the first copy (docs/ARCHITECTURE.md): a failure is injected with strace
# (tests/crash/lib.sh, counted per thread) at the calls that fill the staging trees of a full first
# copy: error=EIO, and signal=KILL for a real crash. For each run: the injection fired (strace's log
# shows the call it hit); the live trees are the old ones (the image's links) or the complete new
# ones, never a mix; a failed run exits non-zero and leaves no staging tree; nothing is left in
# $TMPDIR; a clean rerun converges to the same trees and leaves no staging tree.
# Each system call is hit (per thread) at its first call and at the last one sure to happen (the
# copy's threads share the files differently each run: crash_counts) as EIO, and at the middle one
# as SIGKILL; with SEPROV_CRASH_FULL=1, at every call sure to happen, both ways. The commit of the trees (syncfs,
# the exchanges, the removal of what they replaced) is tests/crash/test-crash.sh's, on a whole apply;
# SEPROV_CRASH_FULL=1 injects there too. The number of runs, and how many failed, is printed.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/crash/lib.sh
. "$HERE/../crash/lib.sh"

SYSCALLS=(openat mkdirat copy_file_range fsetxattr lsetxattr utimensat symlinkat fchmod write
          sync_file_range)
[ -z "${SEPROV_CRASH_FULL:-}" ] || SYSCALLS+=(syncfs renameat2 unlinkat)
# An error in these must fail the copy (errors in removing the old entry are tolerated by design).
ESSENTIAL="openat mkdirat copy_file_range fsetxattr utimensat syncfs renameat2"
export ASAN_OPTIONS=detect_leaks=0 # LeakSanitizer cannot run under ptrace
export TMPDIR="$WORK/tmp"
mkdir "$TMPDIR"

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

# traced CRASH_FUNCTION ARGS...: the driver's apply under a function of tests/crash/lib.sh.
traced() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    ro_usr bash -c '"$@"' traced "$@" "$DRIVER" --root="$ROOT" apply
}

setup flatcar-legacy
config '{"store":"writable"}'
reset_old
OLD=$(trees) OLD_S=$(tree /var/lib/selinux) OLD_P=$(tree /etc/selinux/default)
apply
expect_rc 0
NEW=$(trees) NEW_S=$(tree /var/lib/selinux) NEW_P=$(tree /etc/selinux/default)
[ "$OLD" != "$NEW" ] || fail "the copy changed nothing"

# How often each thread makes each system call in a full first copy: strace's when= counts so.
reset_old
traced crash_trace "$WORK/reference.log" "$(IFS=,; echo "${SYSCALLS[*]}")" > "$OUT" 2>&1 ||
    fail "the reference run failed"
[ "$(trees)" = "$NEW" ] || fail "the reference run did not converge"
crash_counts "$WORK/reference.log" > "$WORK/counts"

points() { # N HOW
    local n=$1
    if [ -n "${SEPROV_CRASH_FULL:-}" ]; then seq 1 "$n"
    elif [ "$2" = signal=KILL ]; then echo $(( (n + 1) / 2 ))
    else printf '%s\n' 1 "$n" | sort -nu
    fi
}

total=0 failed=0
for sc in "${SYSCALLS[@]}"; do
    n=$(awk -v s="$sc" '$1 == s { print $3 }' "$WORK/counts")
    case " $ESSENTIAL " in
    *" $sc "*) [ -n "$n" ] || fail "$sc: the copy never calls it (is strace tracing?)" ;;
    esac
    [ -n "$n" ] || continue
    sc_failed=0
    for how in error=EIO signal=KILL; do
        for when in $(points "$n" "$how"); do
            what="$sc $how at call $when of $n"
            reset_old
            RC=0
            traced crash_inject "$WORK/inject.log" "$how" "$sc" "$when" > "$OUT" 2>&1 || RC=$?
            crash_fired "$WORK/inject.log" "$how" || fail "$what: the injection did not fire"
            case $how in
            signal=KILL) [ "$RC" -eq 137 ] || fail "$what: the run was not killed (exit $RC)" ;;
            *)
                [ "$RC" -eq 0 ] || sc_failed=1
                [ "$RC" -eq 0 ] || [ "$(leftovers)" -eq 0 ] || fail "$what: staging leftovers after a failure" ;;
            esac
            [ "$RC" -eq 0 ] || failed=$((failed + 1))
            consistent || fail "$what: a live tree is neither the old nor the new one"
            [ -z "$(ls -A "$TMPDIR")" ] || fail "$what: left $(ls -A "$TMPDIR") in \$TMPDIR"
            apply
            expect_rc 0
            [ "$(trees)" = "$NEW" ] || fail "$what: the rerun did not converge"
            [ "$(leftovers)" -eq 0 ] || fail "$what: the rerun left staging trees"
            total=$((total + 1))
        done
    done
    # Where the copy cannot go on without the call, an injected error must fail the run.
    case " $ESSENTIAL " in
    *" $sc "*) [ "$sc_failed" -eq 1 ] || fail "$sc: no injected error failed the run" ;;
    esac
done
[ "$total" -gt 0 ] || fail "no injection point"
ok "crash consistency: $total injected runs, each fired ($failed failed or crashed the run);" \
    "each left the old or the new trees, and the rerun converged"
