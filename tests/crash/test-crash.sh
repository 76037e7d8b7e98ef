#!/bin/bash
# shellcheck disable=SC2016 # inner scripts are meant literally
# Crash consistency of a full apply: a failure (EIO) or a kill (SIGKILL) is injected with strace at
# each mutating syscall of a first apply on a Flatcar-legacy fixture, one point per run. After each,
# every part seprov changes (the config file, the compiled policy, the store, the audit rules) must be
# exactly as before or exactly as after a clean apply, never a mix; and a clean rerun must converge to
# the same final tree.
#   test-crash.sh SEPROV [MAX_POINTS_PER_SYSCALL]
# MAX_POINTS_PER_SYSCALL (default: all) spreads the points evenly when a syscall runs more often; the
# summary says how many points of how many were covered.
set -euo pipefail
SEPROV=$(realpath "${1:?usage: test-crash.sh SEPROV [MAX_POINTS_PER_SYSCALL]}")
max_points=${2:-0}
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/../lib.sh"
export SYSTEMD_LOG_TARGET=null
# LeakSanitizer cannot run under ptrace; the other tests check for leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing seprov.store=writable seprov.audit=1"

syscalls=(openat write pwrite64 writev rename renameat renameat2 unlink unlinkat mkdir mkdirat rmdir
          symlinkat linkat fchmod fchmodat fchown fchownat fsetxattr setxattr lsetxattr fremovexattr
          fsync fdatasync copy_file_range sendfile ioctl utimensat ftruncate fallocate)
# What seprov replaces atomically, each on its own: the config file, the compiled policy tree, the
# store, and each audit rules file. An apply changes several of them; a crash between two leaves
# some new and some old, each whole.
parts=(etc/selinux/config etc/selinux/default var/lib/selinux
       etc/audit/rules.d/00-clear.rules etc/audit/rules.d/80-selinux.rules etc/audit/rules.d/99-default.rules)

work=$(mktemp -d /tmp/seprov-crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
pristine=$(make_fixture flatcar-legacy)
mv "$(dirname "$pristine")" "$work/pristine-dir"
pristine="$work/pristine-dir/root"

# A part's digest. seprov's own temporary files and staging trees (hidden, marked ".NAME.seprov-*" and
# ".#seprov-staging.*") are not part of the live tree: nobody reads them, and the next apply removes
# them; the rerun check below proves they do not stay.
part_digest() { # ROOT PART
    if [ -e "$1/$2" ] || [ -L "$1/$2" ]; then
        (cd "$1" && { find "$2" \( -name '.*.seprov-*' -o -name '.#seprov-staging.*' \) -prune -o -printf '%p %y %m %U:%G %s %l\n' | LC_ALL=C sort
            find "$2" \( -name '.*.seprov-*' -o -name '.#seprov-staging.*' \) -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
            find "$2" \( -name '.*.seprov-*' -o -name '.#seprov-staging.*' \) -prune -o -print0 | LC_ALL=C sort -z |
                xargs -0 getfattr -h -d -m - --absolute-names 2>/dev/null | grep -v '^$'; } | sha256sum)
    else
        echo missing
    fi
}

fresh() { rm -rf "$work/root"; cp -a "$pristine" "$work/root"; }

one_of() { [ "$1" = "$2" ] || [ "$1" = "$3" ]; }

# The digest of all parts, and of the whole tree without modification times (two clean runs write
# the same files at different times).
state_digest() {
    local p
    for p in "${parts[@]}"; do part_digest "$1" "$p"; done
    (cd "$1" && find . -path ./run -prune -o -printf '%p %y %m %U:%G %s %l\n' | LC_ALL=C sort)
}

# The apply under test, /usr read-only, with strace's extra arguments.
apply_traced() {
    unshare -m --propagation private bash -c '
        root=$1; shift
        mount --bind "$root/usr" "$root/usr" && mount -o remount,bind,ro "$root/usr" || exit 99
        exec "$@"' _ "$work/root" strace -f -qq -o "$work/strace.log" "$@" "$SEPROV" apply --root="$work/root" >/dev/null 2>&1
}

declare -A before after
for p in "${parts[@]}"; do before[$p]=$(part_digest "$pristine" "$p"); done
fresh
apply_traced -e trace="$(IFS=,; echo "${syscalls[*]}")" || { echo "clean apply failed"; exit 1; }
for p in "${parts[@]}"; do after[$p]=$(part_digest "$work/root" "$p"); done
final=$(state_digest "$work/root")
declare -A counts
for s in "${syscalls[@]}"; do
    counts[$s]=$(grep -c "^[0-9]* *$s(" "$work/strace.log" || true)
done

total=0
covered=0
for s in "${syscalls[@]}"; do
    n=${counts[$s]}
    total=$((total + n))
    [ "$n" -gt 0 ] || continue
    step=1
    if [ "$max_points" -gt 0 ] && [ "$n" -gt "$max_points" ]; then
        step=$(( (n + max_points - 1) / max_points ))
    fi
    for ((i = 1; i <= n; i += step)); do
        for how in error=EIO signal=KILL; do
            fresh
            apply_traced -e trace="$s" -e inject="$s:$how:when=$i" || true
            for p in "${parts[@]}"; do
                d=$(part_digest "$work/root" "$p")
                check "$s #$i ($how): $p is old or new" one_of "$d" "${before[$p]}" "${after[$p]}"
            done
            apply_traced -e trace=none || fail "$s #$i ($how): the rerun failed"
            check "$s #$i ($how): the rerun converges" [ "$(state_digest "$work/root")" = "$final" ]
        done
        covered=$((covered + 1))
    done
done

echo "injection points: $covered of $total mutating syscalls of a first apply (each as EIO and as SIGKILL)"
finish_tests
