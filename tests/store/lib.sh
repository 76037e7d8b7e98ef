#!/bin/bash
# Helpers for the store tests: fixture roots, the driver run with the root's /usr read-only in a
# private mount namespace (so any write to the image fails loudly), digests and assertions.
# Sourced by tests/store/test-*.sh, which get the driver (store-apply) as their first argument.
set -euo pipefail

DRIVER=${1:?usage: $0 STORE_APPLY}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAKE_ROOT="$HERE/../fixtures/make-root.sh"
# shellcheck source=tests/tmpdir.sh
. "$HERE/../tmpdir.sh"
WORK=$(mktemp -d "$(test_tmpdir)/seprov-store-test.XXXXXX")
ROOT="$WORK/root"
OUT="$WORK/out"
RC=0
cleanup_hooks=()

cleanup() {
    local h
    for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    if [ -f "$OUT" ]; then sed 's/^/  | /' "$OUT" >&2; fi
    exit 1
}

ok() {
    echo "ok - $*"
}

# setup LAYOUT: a fresh fixture root in $ROOT.
setup() {
    rm -rf "$ROOT"
    "$MAKE_ROOT" "$1" "$ROOT"
    mkdir -p "$ROOT/etc/seprov/config.d"
}

# config JSON-OF-SELINUX: the root's config, replacing the previous one.
config() {
    printf '{"version":"1.0.0","selinux":%s}\n' "$1" > "$ROOT/etc/seprov/config.d/50-test.json"
}

# ro_usr CMD...: runs CMD with the root's /usr bind-mounted read-only, in a private mount namespace.
ro_usr() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        set -e
        mount --bind "$1/usr" "$1/usr"
        mount -o remount,bind,ro "$1/usr"
        shift
        exec "$@"' ro_usr "$ROOT" "$@"
}

# apply [OPTIONS]: runs the store and policy actions; output in $OUT, exit code in $RC.
apply() {
    RC=0
    ro_usr "$DRIVER" --root="$ROOT" "$@" apply > "$OUT" 2>&1 || RC=$?
}

status() {
    ro_usr "$DRIVER" --root="$ROOT" status
}

expect_rc() {
    [ "$RC" -eq "$1" ] || fail "exit code $RC, expected $1"
}

expect_out() {
    grep -qE -- "$1" "$OUT" || fail "no line matching '$1' in the output"
}

expect_no_out() {
    if grep -qE -- "$1" "$OUT"; then fail "a line matches '$1'"; fi
}

# entries PATH [FIND-TESTS...]: a line per entry below PATH: its path, type, mode, owner, size,
# mtime (with CTIME=1, ctime too) and link target. A directory's size is left out: it depends on
# the file system (blocks on ext4, entries on tmpfs), and its entries are listed anyway.
entries() {
    local p=$1 f="%T@ ${CTIME:+%C@ }%l\n"
    shift
    find "$p" "$@" \( -type d -printf "%p %y %m %U %G - $f" -o -printf "%p %y %m %U %G %s $f" \)
}

# digest PATH...: every entry below the paths (inside the root): type, mode, owner, size, times,
# link target, label and content; enough to show that nothing changed. With CTIME=1, ctimes too.
digest() {
    local p
    (
        cd "$ROOT"
        for p in "$@"; do
            [ -e "${p#/}" ] || [ -L "${p#/}" ] || { echo "missing $p"; continue; }
            entries "${p#/}"
        done | sort
        for p in "$@"; do
            [ -e "${p#/}" ] || continue
            find "${p#/}" -type f -exec md5sum {} + | sort -k2
            getfattr -h -R -d -m - "${p#/}" 2>/dev/null | grep -v '^$' | sort
        done
    )
}

# labels_ok PATH...: setfiles would change no label below the paths.
labels_ok() {
    local fc="$ROOT/etc/selinux/default/contexts/files/file_contexts" p args=()
    for p in "$@"; do args+=("$ROOT$p"); done
    local changes
    changes=$(setfiles -n -v -r "$ROOT" "$fc" "${args[@]}" 2>&1 || true)
    [ -z "$changes" ] || { echo "$changes" | head -5 >&2; fail "labels differ from file_contexts below $*"; }
}

label_of() {
    getfattr -h --only-values -n security.selinux "$ROOT$1" 2>/dev/null | tr -d '\0'
}

# A module source in the root, owned by root, mode 0644.
make_module() {
    local name=$1 path=$2
    mkdir -p "$(dirname "$ROOT$path")"
    printf '(type %s_t)\n(roletype object_r %s_t)\n' "$name" "$name" > "$ROOT$path"
    chmod 0644 "$ROOT$path"
}

policy_file() {
    local f=("$ROOT"/etc/selinux/default/policy/policy.*)
    echo "${f[0]}"
}

# image_update MODULE [CIL]: the image's store and compiled policy rebuilt with one more module at
# the distribution's priority (its type MODULE_t, and the CIL statements given), as an OS update
# ships them (in a scratch root, then swapped into /usr).
image_update() {
    local module=$1 extra=${2:-} t="$WORK/update" img_store img_policy
    img_store=$(readlink -f "$ROOT/usr/lib/selinux/policy/default")
    img_policy="$ROOT/usr/lib/selinux/default"
    rm -rf "$t"
    mkdir -p "$t/etc/selinux" "$t/var/lib/selinux"
    cp -a "$img_store" "$t/var/lib/selinux/default"
    cp -a "$(readlink -f "$img_policy")" "$t/etc/selinux/default"
    printf 'SELINUX=permissive\nSELINUXTYPE=default\n' > "$t/etc/selinux/config"
    cp /etc/selinux/semanage.conf "$t/etc/selinux/"
    printf '(type %s_t)\n(roletype object_r %s_t)\n%s\n' "$module" "$module" "$extra" > "$WORK/$module.cil"
    semodule -p "$t" -n -X 100 -i "$WORK/$module.cil" 2>/dev/null
    rm -rf "$img_store"
    cp -a "$t/var/lib/selinux/default" "$img_store"
    if [ ! -L "$img_policy" ]; then
        rm -rf "$img_policy"
        cp -a "$t/etc/selinux/default" "$img_policy"
    fi
    rm -rf "$t"
}

# The store's modules as semodule lists them; semodule's own failure is this function's.
modules_of() {
    semodule -p "$ROOT" -l
}

# no_rule_difference POLICY POLICY: no rule of any category differs. sediff asked for every category
# explicitly prints a count line for each: all of them, all zero. setools runs under the system's
# python only.
no_rule_difference() {
    local cats=(--property --polcap --common -c -t -a -r -u -b --sensitivity --category --level
        --allow --neverallow --auditallow --dontaudit --allowxperm --neverallowxperm --auditallowxperm
        --dontauditxperm --type_trans --type_change --type_member --role_allow --role_trans --range_trans
        --constrain --mlsconstrain --validatetrans --mlsvalidatetrans --initialsid --fs_use --genfscon
        --netifcon --nodecon --portcon --ibpkeycon --ibendportcon --default --typebounds)
    local out lines nonzero
    out=$(/usr/bin/python3 /usr/bin/sediff --stats "${cats[@]}" "$1" "$2" 2>&1) || fail "sediff failed: $out"
    lines=$(grep -cE '\((([0-9]+ Added, [0-9]+ Removed(, [0-9]+ Modified)?)|[0-9]+ Modified)\)$' <<< "$out" || true)
    nonzero=$(grep -E '\([0-9]+ (Added|Modified)' <<< "$out" | grep -E '[1-9][0-9]* (Added|Removed|Modified)' || true)
    [ "$lines" -eq "${#cats[@]}" ] || fail "sediff printed $lines category lines of ${#cats[@]}: $out"
    [ -z "$nonzero" ] || fail "sediff finds differences: $nonzero"
}
