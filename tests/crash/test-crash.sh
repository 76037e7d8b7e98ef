#!/bin/bash
# shellcheck disable=SC2016 # inner scripts are meant literally
# Crash consistency of a first apply (docs/ARCHITECTURE.md, "Crash safety"), on a Flatcar-legacy
# fixture asking for enforcing, a writable store and SELinux audit events: the apply copies the store
# and the compiled policy, rewrites two audit rules files and turns /etc/selinux/config into a file.
# Failures are injected with strace (tests/crash/lib.sh) at the calls that replace those parts: the
# writes, fchmod/fchown and fsyncs of the hidden ".NAME.seprov-*" files, the renames, the staging
# trees' creation, syncfs, exchange and removal, the directory fsyncs, and the scratch directory of
# the labels. Each point as an error (EIO) and as a kill (SIGKILL), on a fresh root. For each run:
#   - the injection fired, at the call planned (strace's log shows it), and the run ended as it must:
#     killed, or failed with exit status 2 (an EIO seprov tolerates by design ends in 0: listed below);
#   - each part (/etc/selinux/config, the compiled policy, the store root, each rules file) is exactly
#     as before or exactly as after a clean apply, never half; the new mode never appears before the
#     other parts are new; nothing but what a kill leaves is left in the root, nothing at all in
#     $TMPDIR (the test's own);
#   - a clean rerun converges to the clean apply's tree and leaves nothing behind.
# Some runs must end with some parts new and others old ("mixed"), or the points miss the moments
# between two replacements. The summary prints how many points fired, how many runs were mixed.
#   test-crash.sh SEPROV [ci|full]
# full (the default; 41 points, 82 runs): every such call. ci (what the crash suite runs, 17
# points): one point for each distinct moment, each replacement and the calls just before and after
# it; the calls it leaves out are between the same two states as one it keeps (listed at ci_skip).
set -euo pipefail
SEPROV=$(realpath "${1:?usage: test-crash.sh SEPROV [ci|full]}")
mode=${2:-full}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
source "$here/../lib.sh"
# shellcheck source=tests/crash/lib.sh
source "$here/lib.sh"
export SYSTEMD_LOG_TARGET=null
# LeakSanitizer cannot run under ptrace; the other tests check for leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing seprov.store=writable seprov.audit=1"
kinds='renameat|renameat2|syncfs|fsync|mkdir|mkdirat|unlinkat|write|fchmod|fchown'
# What ci leaves out, with the point it keeps for the same moment:
ci_skip=(
    '^(fchmod|fchown) '                                # the write of the same file
    '/run/seprov/\.#seprov-fc\.\*>, |/run/seprov>, "\.#seprov-fc' # the scratch's first write
    '^write [0-9]+ .*/\.#seprov-fc\.\*/\.'               # the same
    'status\.json'                                      # the last fsync: every part is new by then
    '^(mkdirat|write|unlinkat) .*\.#seprov-staging\.default\.' # the same call for the store
    '^(write|fsync) [0-9]+ .*\.99-default\.rules\.seprov-' # the same call for 80-selinux.rules
)
case $mode in
ci) skip=$(IFS='|'; echo "${ci_skip[*]}") ;;
full) skip='^$' ;;
*) echo "usage: test-crash.sh SEPROV [ci|full]" >&2; exit 64 ;;
esac
# Traced in the reference run. fsetxattr (the labels of the temporary files) is not a point: the
# copy's threads label files in any order, so its count in the main thread differs from run to run;
# the fchmod and fchown of the same files are between the same two states.
traced=renameat,renameat2,syncfs,fsync,mkdir,mkdirat,unlinkat,write,fchmod,fchown

# What seprov replaces atomically, each on its own. 00-clear.rules has nothing to rewrite.
parts=(etc/selinux/config etc/selinux/default var/lib/selinux
       etc/audit/rules.d/80-selinux.rules etc/audit/rules.d/99-default.rules)
part_names=(config policy store 80-selinux.rules 99-default.rules)

# Everything in the fixture's own directory (make_fixture() chooses where).
pristine=$(make_fixture flatcar-legacy)
work=$(dirname "$pristine")
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work/tmp
mkdir "$TMPDIR"
root=$work/apply-root

# seprov's own temporary entries: files ".NAME.seprov-XXXXXXXX", staging trees and scratch
# directories ".#seprov-*". Not part of the live tree (hidden; nobody reads them); a kill leaves
# them, and the next apply must remove them.
leftover_find() { # DIR
    find "$1" \( -name '.*.seprov-????????' -o -name '.#seprov-*' \) -prune -print
}

# A part's digest, seprov's temporary entries left out.
part_digest() { # ROOT PART
    if [ -e "$1/$2" ] || [ -L "$1/$2" ]; then
        (cd "$1" && { find "$2" \( -name '.*.seprov-????????' -o -name '.#seprov-*' \) -prune -o -printf '%p %y %m %U:%G %s %l\n' | LC_ALL=C sort
            find "$2" \( -name '.*.seprov-????????' -o -name '.#seprov-*' \) -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
            find "$2" \( -name '.*.seprov-????????' -o -name '.#seprov-*' \) -prune -o -print0 | LC_ALL=C sort -z |
                xargs -0 getfattr -h -d -m - --absolute-names 2>/dev/null | grep -v '^$'; } | sha256sum)
    else
        echo missing
    fi
}

# The whole tree without times (two clean runs write the same files at different times).
tree_shape() {
    (cd "$1" && find . -path ./run -prune -o -printf '%p %y %m %U:%G %s %l\n' | LC_ALL=C sort) | sha256sum
}

fresh() { rm -rf "$root"; cp -a "$pristine" "$root"; }

# The apply under test, /usr read-only; "$@" goes before seprov (crash_trace or crash_inject and their
# arguments: functions, so not exec'ed).
apply_ro_usr() {
    unshare -m --propagation private bash -c '
        root=$1; shift
        mount --bind "$root/usr" "$root/usr" && mount -o remount,bind,ro "$root/usr" || exit 99
        "$@"' _ "$root" "$@" "$SEPROV" apply --root="$root"
}

declare -A before after
for p in "${parts[@]}"; do before[$p]=$(part_digest "$pristine" "$p"); done

# The reference: a clean first apply, traced. Every part must change, the mode last.
fresh
apply_ro_usr crash_trace "$work/reference.log" "$traced" > "$work/reference.out" 2>&1 ||
    { cat "$work/reference.out"; echo "FAIL: the clean apply failed"; exit 1; }
for p in "${parts[@]}"; do
    after[$p]=$(part_digest "$root" "$p")
    check "the clean apply changes $p" [ "${after[$p]}" != "${before[$p]}" ]
done
final_shape=$(tree_shape "$root")
check "the clean apply leaves nothing behind" [ -z "$(leftover_find "$root")" ]
crash_points "$work/reference.log" '.' > "$work/all-points"
# The last call that puts a part in place (a rename or an exchange in etc/ or var/) must be the
# config's: "the mode is written last".
last_put=$(grep -E '^(renameat|renameat2) ' "$work/all-points" | grep -v '/run/' | tail -n 1)
check "the mode is written last (last replacement: ${last_put:-none})" \
    grep -qE '^renameat [0-9]+ .*/etc/selinux>, "config"\)$' <<<"$last_put"

# The points: the calls on seprov's temporary entries and on the directories that hold the parts;
# not the copy's own calls inside a staging tree (tests/store/test-crash.sh covers those), but the
# record of what it copied, written last into each.
crash_points "$work/reference.log" '\.seprov-\*|\.#seprov-|/etc/selinux>|/etc/audit/rules\.d>|/var/lib>|/run/seprov>' |
    grep -E "^($kinds) " | grep -vE '^[a-z0-9]+ [0-9]+ [a-z0-9]+\(</[^>]*/\.#seprov-staging\.[^>]*>, "' |
    grep -vE '/\.#seprov-staging\.[^>/]*/[^>]*>' | cat - <(crash_points "$work/reference.log" '/\.seprov-origin>' | grep -E "^($kinds) ") |
    grep -vE -- "$skip" > "$work/points"
n_points=$(wc -l < "$work/points")
# Whatever the mode, the points include each replacement.
for put in 'renameat2 [0-9]+ .*"selinux", RENAME_EXCHANGE' 'renameat2 [0-9]+ .*"default", RENAME_EXCHANGE' \
    'renameat [0-9]+ .*"80-selinux\.rules"' 'renameat [0-9]+ .*"99-default\.rules"' 'renameat [0-9]+ .*"config"'; do
    check "the points include the replacement '$put'" grep -qE -- "^$put\)\$" "$work/points"
done

# EIO at these calls is tolerated by design (the apply goes on, exit 0), each for its reason:
#   status.json (runtime state: "…, ignoring"); the removal of the entries the exchanges replaced
#   (left for the next run); the file_contexts subset (the labeler falls back to the whole file).
tolerated='/run/seprov/\.status\.json\.seprov-|/run/seprov>, "\.status\.json|/run/seprov/\.#seprov-fc\.|/run/seprov>, "\.#seprov-fc\.|^unlinkat [0-9]+ unlinkat\(</[^>]*>, "\.#seprov-staging\.'

state_of() { # prints "old", "new" or "HALF" for each part, in order
    local i d
    for i in "${!parts[@]}"; do
        d=$(part_digest "$root" "${parts[$i]}")
        if [ "$d" = "${before[${parts[$i]}]}" ]; then echo old
        elif [ "$d" = "${after[${parts[$i]}]}" ]; then echo new
        else echo HALF
        fi
    done
}

runs=0 fired=0 mixed=0
start=$(date +%s)
while read -r syscall when sig; do
    for how in error=EIO signal=KILL; do
        what="$syscall #$when $how ($sig)"
        fresh
        rc=0
        apply_ro_usr crash_inject "$work/inject.log" "$how" "$syscall" "$when" > "$work/inject.out" 2>&1 || rc=$?
        injected_rc=$rc
        runs=$((runs + 1))
        if crash_fired "$work/inject.log" "$how" "$sig"; then
            fired=$((fired + 1))
        else
            fail "$what: the injection did not fire there (hit: $(crash_hit "$work/inject.log" "$how" | paste -sd';'))"
        fi
        case $how in
        signal=KILL) check "$what: the run was killed (exit $rc)" [ "$rc" -eq 137 ] ;;
        *)
            if grep -qE -- "$tolerated" <<<"$syscall $when $sig"; then
                check "$what: tolerated, the run goes on (exit $rc)" [ "$rc" -eq 0 ]
            else
                check "$what: the run fails (exit $rc)" [ "$rc" -eq 2 ]
                check "$what: a failed run leaves nothing behind" [ -z "$(leftover_find "$root")" ]
            fi ;;
        esac
        mapfile -t states < <(state_of)
        for i in "${!parts[@]}"; do
            check "$what: ${parts[$i]} is old or new" [ "${states[$i]}" != HALF ]
        done
        if [ "${states[0]}" = new ]; then
            check "$what: the new mode only once every other part is new" \
                bash -c '! grep -qv "^new$" <<<"$1"' _ "$(printf '%s\n' "${states[@]}")"
        fi
        summary=$(for i in "${!parts[@]}"; do printf '%s=%s ' "${part_names[$i]}" "${states[$i]}"; done)
        if grep -q new <<<"${states[*]}" && grep -q old <<<"${states[*]}"; then
            mixed=$((mixed + 1))
            summary+="(mixed)"
        fi
        check "$what: nothing in \$TMPDIR" [ -z "$(ls -A "$TMPDIR")" ]
        rc=0
        apply_ro_usr > "$work/rerun.out" 2>&1 || rc=$?
        check "$what: the rerun succeeds (exit $rc)" [ "$rc" -eq 0 ]
        for p in "${parts[@]}"; do
            check "$what: after the rerun, $p is new" [ "$(part_digest "$root" "$p")" = "${after[$p]}" ]
        done
        check "$what: the rerun converges" [ "$(tree_shape "$root")" = "$final_shape" ]
        check "$what: the rerun leaves nothing behind" [ -z "$(leftover_find "$root")$(ls -A "$TMPDIR")" ]
        echo "$what: exit $injected_rc; $summary"
    done
done < "$work/points"

check "some runs end with parts old and new ($mixed did)" [ "$mixed" -gt 0 ]
echo "crash points ($mode): $n_points calls x 2 = $runs runs, $fired fired where planned, $mixed left a mix" \
    "of old and new parts; $(($(date +%s) - start)) s"
finish_tests
