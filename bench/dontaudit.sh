#!/bin/bash
# The dontaudit toggle (docs/ARCHITECTURE.md: today a full rebuild; the target is 50 times faster, with the same
# rules): seprov's toggle through libsemanage against `semodule -DB` / `semodule -B`, the manual
# procedure, side by side on copies of the same writable fixture store. seprov's time is the whole
# apply: the rebuild, then labelling what libsemanage wrote. Prints each round and the medians: the
# baseline for the later optimisation. Uses an optimised build in build-bench/.
#   bench/dontaudit.sh [ROUNDS]
set -euo pipefail

rounds=${1:-3}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
top=$bench_top
bench_build_targets tests/store-apply
driver="$bench_build/tests/store-apply"

scratch=$(mktemp -d /var/tmp/seprov-bench-dontaudit.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

ms() { echo $(( ($2 - $1) / 1000000 )); }

# A writable copy of the fixture store, made once; each measurement works on a fresh copy of it.
"$top/tests/fixtures/make-root.sh" flatcar-legacy "$scratch/base" >/dev/null
mkdir -p "$scratch/base/etc/seprov/config.d"
printf '{"version":"1.0.0","selinux":{"store":"writable"}}\n' > "$scratch/base/etc/seprov/config.d/50.json"
"$driver" --root="$scratch/base" apply >/dev/null 2>&1
cp /etc/selinux/semanage.conf "$scratch/base/etc/selinux/semanage.conf"

seprov_toggle() {
    local root=$1 value=$2 t0 t1
    printf '{"version":"1.0.0","selinux":{"store":"writable","dontaudit":%s}}\n' "$value" \
        > "$root/etc/seprov/config.d/50.json"
    t0=$(date +%s%N)
    "$driver" --root="$root" apply >/dev/null 2>&1
    t1=$(date +%s%N)
    ms "$t0" "$t1"
}

semodule_toggle() {
    local root=$1 flag=$2 t0 t1
    t0=$(date +%s%N)
    semodule -p "$root" -n "$flag" 2>/dev/null
    t1=$(date +%s%N)
    ms "$t0" "$t1"
}

rules() {
    local f=("$1"/etc/selinux/default/policy/policy.*)
    sesearch --dontaudit "${f[0]}" | wc -l
}

declare -a s_off s_on m_off m_on
for i in $(seq 1 "$rounds"); do
    rm -rf "$scratch/a" "$scratch/b"
    cp -a "$scratch/base" "$scratch/a"
    cp -a "$scratch/base" "$scratch/b"
    # Alternating which goes first, so neither always finds the other's warm caches.
    if [ $((i % 2)) -eq 1 ]; then
        so=$(seprov_toggle "$scratch/a" false); mo=$(semodule_toggle "$scratch/b" -DB)
    else
        mo=$(semodule_toggle "$scratch/b" -DB); so=$(seprov_toggle "$scratch/a" false)
    fi
    off_rules=$(rules "$scratch/a")
    [ "$off_rules" = "$(rules "$scratch/b")" ] || { echo "different dontaudit rules after the toggle" >&2; exit 1; }
    if [ $((i % 2)) -eq 1 ]; then
        sn=$(seprov_toggle "$scratch/a" true); mn=$(semodule_toggle "$scratch/b" -B)
    else
        mn=$(semodule_toggle "$scratch/b" -B); sn=$(seprov_toggle "$scratch/a" true)
    fi
    on_rules=$(rules "$scratch/a")
    [ "$on_rules" = "$(rules "$scratch/b")" ] ||
        { echo "different dontaudit rules after the toggle back" >&2; exit 1; }
    s_off+=("$so"); s_on+=("$sn"); m_off+=("$mo"); m_on+=("$mn")
    printf 'round %d: off: seprov %5d ms, semodule -DB %5d ms   on: seprov %5d ms, semodule -B %5d ms\n' \
        "$i" "$so" "$mo" "$sn" "$mn"
done

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
printf '\nmedian toggle: seprov %d ms (off) / %d ms (on); semodule %d ms / %d ms; dontaudit rules: %d on, %d off\n' \
    "$(median "${s_off[@]}")" "$(median "${s_on[@]}")" "$(median "${m_off[@]}")" "$(median "${m_on[@]}")" \
    "$on_rules" "$off_rules"
echo "target (docs/ARCHITECTURE.md): 50x faster than today's toggle, with the same rules"
