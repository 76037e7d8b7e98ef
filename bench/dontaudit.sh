#!/bin/bash
# dontaudit and booleans without a rebuild (budget: 50 times faster than libsemanage, the same rules):
# seprov's dontaudit off / on and three persistent booleans, each a whole apply (the edit of the
# compiled policy, every store file written, labelled, synced), against what users run for the same
# change: `semodule -DB`, `semodule -B`, and `setsebool -P` (with `semanage boolean -m`, the same
# commit through semanage's python, as a second reference). setsebool and semanage have no root
# option, so they run in a mount namespace where the copy's /etc/selinux and /var/lib/selinux
# replace the host's. Side by side on copies of the same writable fixture store, alternating which
# goes first; prints each round and the medians. The roots are on tmpfs (/dev/shm): what is measured
# is the work, not the disk's metadata writes. Uses an optimised build in build-bench/.
#   bench/dontaudit.sh [ROUNDS]
set -euo pipefail

rounds=${1:-3}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
top=$bench_top
bench_build_targets tests/store-apply
driver="$bench_build/tests/store-apply"

scratch=$(mktemp -d /dev/shm/seprov-bench-dontaudit.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# Microseconds between two bench_now_us: the edits take a few milliseconds, too few for whole ones.
us() { echo $(($2 - $1)); }

# A writable copy of the fixture store, made once; each measurement works on a fresh copy of it.
"$top/tests/fixtures/make-root.sh" flatcar-legacy "$scratch/base" >/dev/null
mkdir -p "$scratch/base/etc/seprov/config.d"
printf '{"version":"1.0.0","selinux":{"store":"writable"}}\n' > "$scratch/base/etc/seprov/config.d/50.json"
"$driver" --root="$scratch/base" apply >/dev/null 2>&1
cp /etc/selinux/semanage.conf "$scratch/base/etc/selinux/semanage.conf"
# semanage reads the host's /etc/selinux/config path: not a link into the copy's /usr.
cp --remove-destination "$(readlink -f "$scratch/base/etc/selinux/config")" "$scratch/base/etc/selinux/config"
booleans='{"name":"httpd_can_network_connect","value":true},{"name":"virt_use_nfs","value":true},
          {"name":"ssh_sysadm_login","value":false}'

seprov_toggle() {
    local root=$1 value=$2 t0 t1
    printf '{"version":"1.0.0","selinux":{"store":"writable","dontaudit":%s}}\n' "$value" \
        > "$root/etc/seprov/config.d/50.json"
    bench_now_us t0
    "$driver" --root="$root" apply >/dev/null 2>&1
    bench_now_us t1
    us "$t0" "$t1"
}

seprov_booleans() {
    local root=$1 t0 t1
    printf '{"version":"1.0.0","selinux":{"store":"writable","booleans":[%s]}}\n' "$booleans" \
        > "$root/etc/seprov/config.d/50.json"
    bench_now_us t0
    "$driver" --root="$root" apply >/dev/null 2>&1
    bench_now_us t1
    us "$t0" "$t1"
}

# The copy's /etc/selinux and /var/lib/selinux over the host's, then "$@"; the namespace costs both
# references the same few milliseconds.
in_copy() {
    local root=$1
    shift
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        mount --bind "$1/etc/selinux" /etc/selinux
        mount --bind "$1/var/lib/selinux" /var/lib/selinux
        shift
        "$@"' in_copy "$root" "$@"
}

setsebool_booleans() {
    local root=$1 t0 t1
    bench_now_us t0
    in_copy "$root" setsebool -N -P httpd_can_network_connect=1 virt_use_nfs=1 ssh_sysadm_login=0 2>/dev/null
    bench_now_us t1
    us "$t0" "$t1"
}

semanage_booleans() {
    local root=$1 t0 t1
    bench_now_us t0
    printf 'boolean -m --on httpd_can_network_connect\nboolean -m --on virt_use_nfs\nboolean -m --off ssh_sysadm_login\n' |
        in_copy "$root" semanage import -N 2>/dev/null
    bench_now_us t1
    us "$t0" "$t1"
}

semodule_toggle() {
    local root=$1 flag=$2 t0 t1
    bench_now_us t0
    semodule -p "$root" -n "$flag" 2>/dev/null
    bench_now_us t1
    us "$t0" "$t1"
}

rules() {
    local f=("$1"/etc/selinux/default/policy/policy.*)
    sesearch --dontaudit "${f[0]}" | wc -l
}

msec() { awk -v u="$1" 'BEGIN { printf "%.1f ms", u / 1000 }'; }

# The three booleans' default states in a policy, one line.
bool_states() {
    local f=("$1"/etc/selinux/default/policy/policy.*) b
    for b in httpd_can_network_connect virt_use_nfs ssh_sysadm_login; do
        seinfo -x -b "$b" "${f[0]}" | grep -oE "bool $b (true|false)"
    done | paste -sd' '
}

declare -a s_off s_on m_off m_on s_b m_b n_b
for i in $(seq 1 "$rounds"); do
    rm -rf "$scratch/a" "$scratch/b" "$scratch/c"
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
    cp -a "$scratch/b" "$scratch/c"
    if [ $((i % 2)) -eq 1 ]; then
        sb=$(seprov_booleans "$scratch/a"); mb=$(setsebool_booleans "$scratch/b"); nb=$(semanage_booleans "$scratch/c")
    else
        nb=$(semanage_booleans "$scratch/c"); mb=$(setsebool_booleans "$scratch/b"); sb=$(seprov_booleans "$scratch/a")
    fi
    cmp -s "$scratch/b/etc/selinux/default/policy/policy.33" "$scratch/c/etc/selinux/default/policy/policy.33" ||
        { echo "setsebool -P and semanage boolean -m wrote different policies" >&2; exit 1; }
    states=$(bool_states "$scratch/a")
    if [ "$states" != "$(bool_states "$scratch/b")" ] || [ "$(wc -w <<< "$states")" -ne 9 ]; then
        echo "different booleans after setting them: $states" >&2
        exit 1
    fi
    s_off+=("$so"); s_on+=("$sn"); m_off+=("$mo"); m_on+=("$mn"); s_b+=("$sb"); m_b+=("$mb"); n_b+=("$nb")
    printf 'round %d: off: seprov %s, semodule -DB %s   on: seprov %s, semodule -B %s   3 booleans: seprov %s, setsebool -P %s, semanage %s\n' \
        "$i" "$(msec "$so")" "$(msec "$mo")" "$(msec "$sn")" "$(msec "$mn")" "$(msec "$sb")" "$(msec "$mb")" "$(msec "$nb")"
done

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (a > 0 ? b / a : 0) }'; }
so=$(median "${s_off[@]}"); sn=$(median "${s_on[@]}"); sb=$(median "${s_b[@]}")
mo=$(median "${m_off[@]}"); mn=$(median "${m_on[@]}"); mb=$(median "${m_b[@]}"); nb=$(median "${n_b[@]}")
printf '\nmedians: dontaudit off: seprov %s, semodule -DB %s (%sx)\n' "$(msec "$so")" "$(msec "$mo")" "$(ratio "$so" "$mo")"
printf '         dontaudit on:  seprov %s, semodule -B %s (%sx)\n' "$(msec "$sn")" "$(msec "$mn")" "$(ratio "$sn" "$mn")"
printf '         3 booleans:    seprov %s, setsebool -P %s (%sx), semanage boolean -m %s (%sx)\n' "$(msec "$sb")" \
    "$(msec "$mb")" "$(ratio "$sb" "$mb")" "$(msec "$nb")" "$(ratio "$sb" "$nb")"
printf 'dontaudit rules: %d on, %d off; budget: 50x faster, the same rules\n' "$on_rules" "$off_rules"
