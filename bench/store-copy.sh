#!/bin/bash
# The first store copy against `cp -a` of the same trees, side by side in one run (docs/ARCHITECTURE.md: ours
# must take at most half the time). Each round builds a fresh flatcar-legacy fixture root, then
# times, in alternating order:
#   cp -a     the image's store and compiled policy copied with `cp -a` (no labelling, no sync), and
#             the `sync -f` that would make that copy durable, reported apart
#   seprov    the whole store action (a process of its own): discovery, copy, labelling from
#             file_contexts, syncfs, atomic swap
# Runs on a scratch ext4 filesystem of its own (a loop device), so that syncfs() flushes our data
# only and other work on the machine's disk does not leak into the figures; BENCH_FS=host runs in
# /var/tmp instead. Uses an optimised build (no sanitizers) in build-bench/.
#   bench/store-copy.sh [ROUNDS]
set -euo pipefail

rounds=${1:-7}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
top=$bench_top
bench_build_targets tests/store-apply
driver="$bench_build/tests/store-apply"

scratch=$(mktemp -d /var/tmp/seprov-bench.XXXXXX)
cleanup() {
    if mountpoint -q "$scratch/fs"; then umount "$scratch/fs"; fi
    rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/fs"
if [ "${BENCH_FS:-loop}" = loop ]; then
    truncate -s 512M "$scratch/fs.img"
    mkfs.ext4 -q -F "$scratch/fs.img"
    mount -o loop "$scratch/fs.img" "$scratch/fs"
fi
fs="$scratch/fs"

ms() { echo $(( ($2 - $1) / 1000000 )); }

# Prints "COPY SYNC": the cp -a time and the time of the sync after it.
time_cp() {
    local root=$1 t0 t1 t2
    mkdir -p "$fs/cp"
    t0=$(date +%s%N)
    cp -a "$root/usr/lib/selinux/policy/default" "$fs/cp/store"
    cp -a "$root/usr/lib/selinux/default" "$fs/cp/policy"
    t1=$(date +%s%N)
    sync -f "$fs/cp"
    t2=$(date +%s%N)
    echo "$(ms "$t0" "$t1") $(ms "$t1" "$t2")"
    rm -rf "$fs/cp"
    sync -f "$fs"
}

time_seprov() {
    local root=$1 t0 t1
    t0=$(date +%s%N)
    "$driver" --root="$root" apply >/dev/null 2>&1
    t1=$(date +%s%N)
    ms "$t0" "$t1"
}

entries=0
declare -a cps cpsyncs ours
for i in $(seq 1 "$rounds"); do
    root="$fs/root"
    rm -rf "$root"
    "$top/tests/fixtures/make-root.sh" flatcar-legacy "$root"
    mkdir -p "$root/etc/seprov/config.d"
    printf '{"version":"1.0.0","selinux":{"store":"writable"}}\n' > "$root/etc/seprov/config.d/50-store.json"
    entries=$(find "$root/usr/lib/selinux/policy/default" "$root/usr/lib/selinux/default" | wc -l)
    sync -f "$fs/."
    if [ $((i % 2)) -eq 1 ]; then
        read -r c cs < <(time_cp "$root"); o=$(time_seprov "$root")
    else
        o=$(time_seprov "$root"); read -r c cs < <(time_cp "$root")
    fi
    if [ ! -d "$root/var/lib/selinux/default/active" ] || [ -L "$root/var/lib/selinux" ]; then
        echo "round $i: the copy failed" >&2
        exit 1
    fi
    cps+=("$c"); cpsyncs+=("$((c + cs))"); ours+=("$o")
    printf 'round %d: cp -a %5d ms (+ sync %4d ms)   seprov %5d ms\n' "$i" "$c" "$cs" "$o"
done

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
mc=$(median "${cps[@]}"); mcs=$(median "${cpsyncs[@]}"); mo=$(median "${ours[@]}")
size=$(du -sm "$root/usr/lib/selinux/policy/default" "$root/usr/lib/selinux/default" | awk '{s+=$1} END {print s}')
printf '\n%d entries, %d MB, %d rounds on %s\n' "$entries" "$size" "$rounds" "${BENCH_FS:-loop}"
printf 'median: cp -a %d ms, cp -a + sync %d ms, seprov %d ms\n' "$mc" "$mcs" "$mo"
printf 'seprov takes %d%% of cp -a (budget: 50%%), %d%% of cp -a + sync\n' \
    "$(( mc > 0 ? mo * 100 / mc : 0 ))" "$(( mcs > 0 ? mo * 100 / mcs : 0 ))"
