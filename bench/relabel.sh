#!/bin/bash
# The relabel engine against setfiles on the same tree, side by side in one run (docs/ARCHITECTURE.md,
# "Budgets"), on /dev/shm: a plain fixture root with copies of this machine's /usr/share (twice) and
# /usr/include in it, well over 100k files.
#   full      every file mislabelled first (setfiles with a file_contexts that says tmp_t for
#             everything, not timed), then `setfiles -F -T 0 -r ROOT` (setfiles at its best: one thread
#             per CPU) against `relabel-run full` (the engine seprov's relabel action runs); budget:
#             faster than setfiles.
#   targeted  after a full relabel, one rule added to file_contexts.local for a directory of some
#             thousand files, then a whole relabel of the root the way `restorecon -R /` does it
#             (setfiles -F -r ROOT: restorecon's engine, selinux_restorecon(), with the root's
#             file_contexts; restorecon itself cannot be re-rooted) against `relabel-run targeted
#             REGEX`; budget: 50x faster. Both must leave the same labels.
# Uses an optimised build (no sanitizers) in build-bench/.
#   bench/relabel.sh [ROUNDS]
set -euo pipefail

runs=${1:-3}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_build_targets tests/relabel-run
driver="$bench_build/tests/relabel-run"

work=$(mktemp -d /dev/shm/seprov-bench-relabel.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
out=$work/out
export TMPDIR=$work
"$bench_top/tests/fixtures/make-root.sh" plain "$root" >/dev/null
mkdir -p "$root/opt/copy"
cp -a /usr/share/. "$root/usr/share/"
cp -a /usr/share/. "$root/opt/copy/"
mkdir -p "$root/usr/include"
cp -a /usr/include/. "$root/usr/include/"
files=$(find "$root" | wc -l)
fcdir=$root/etc/selinux/default/contexts/files
fc=$fcdir/file_contexts
echo '/.*    system_u:object_r:tmp_t:s0' >"$work/wrong_contexts"

mislabel() { setfiles -F -T 0 -r "$root" "$work/wrong_contexts" "$root" >/dev/null 2>&1; }
labels() { (cd "$root" && getfattr -R -h -P -d -m security.selinux . 2>/dev/null) | sort | md5sum; }

# timed WHO CMD...: runs CMD after a sync, keeps the fastest time of WHO (setfiles or ours) in
# best_WHO, and the labels it left in labels_WHO.
best_setfiles=0 best_ours=0 labels_setfiles='' labels_ours=''
timed() {
    local who=$1 t0 ms best
    shift
    sync
    t0=$(bench_now_ns)
    "$@" >/dev/null 2>&1 || true
    ms=$((($(bench_now_ns) - t0) / 1000000))
    best=best_$who
    if [ "${!best}" = 0 ] || [ "$ms" -lt "${!best}" ]; then
        printf -v "$best" %s "$ms"
    fi
    printf -v "labels_$who" %s "$(labels)"
}

# full: each from a mislabelled tree, the order alternating.
for i in $(seq "$runs"); do
    order="setfiles ours"
    [ $((i % 2)) = 1 ] || order="ours setfiles"
    for who in $order; do
        mislabel
        if [ "$who" = setfiles ]; then
            timed setfiles setfiles -F -T 0 -r "$root" "$fc" "$root"
        else
            timed ours "$driver" --root="$root" --quiet full
        fi
    done
    [ "$labels_setfiles" = "$labels_ours" ] || { echo "round $i: the labels differ from setfiles'" >&2; exit 1; }
done
echo "full relabel of $files files: setfiles -F -T 0 ${best_setfiles} ms, seprov ${best_ours} ms" \
    "($(awk -v a="$best_setfiles" -v b="$best_ours" 'BEGIN { printf "%.2f", a / b }')x; budget: faster)"

# targeted: one rule, then the whole root walked by setfiles against the rule's subtree by ours, the
# order alternating.
rule='/usr/share/zoneinfo(/.*)?'
"$driver" --root="$root" --quiet full >/dev/null 2>&1
cp "$fcdir/file_contexts.local" "$work/local.orig" 2>/dev/null || : >"$work/local.orig"
best_setfiles=0 best_ours=0
for i in $(seq "$runs"); do
    order="setfiles ours"
    [ $((i % 2)) = 1 ] || order="ours setfiles"
    for who in $order; do
        cp "$work/local.orig" "$fcdir/file_contexts.local"
        "$driver" --root="$root" --quiet subtrees /usr/share/zoneinfo >/dev/null 2>&1
        printf '%s    system_u:object_r:etc_t:s0\n' "$rule" >>"$fcdir/file_contexts.local"
        if [ "$who" = setfiles ]; then
            timed setfiles setfiles -F -r "$root" "$fc" "$root"
        else
            timed ours "$driver" --root="$root" --quiet targeted "$rule"
        fi
    done
    [ "$labels_setfiles" = "$labels_ours" ] || { echo "round $i: the targeted labels differ from setfiles'" >&2; exit 1; }
done
changed=$(find "$root/usr/share/zoneinfo" | wc -l)
echo "targeted relabel after one rule ($changed files under it, $files in the root):" \
    "restorecon -R (setfiles -F -r) ${best_setfiles} ms, seprov ${best_ours} ms" \
    "($(awk -v a="$best_setfiles" -v b="$best_ours" 'BEGIN { printf "%.1f", a / (b ? b : 1) }')x; budget: 50x)"
