#!/bin/bash
# seprov-generator's golden tests, in systemd's style. Each case is a directory NN-name/ holding:
#   cmdline    the kernel command line (given as $SYSTEMD_PROC_CMDLINE)
#   initrd     1 in the initrd, 0 in the real root ($SYSTEMD_IN_INITRD)
#   base       optional: the name of a shared root under roots/ to start from
#   root/      optional: files laid over it ($SEPROV_ROOT; /run always exists)
#   setup      optional: bash run in the root before the generator, with $SEPROV_STATE (the state
#              helper, seprov's own writers) to write the state files as apply would
#   expected/  the expected output: normal/, early/, late/ (a missing one is expected empty); a
#              symlink target's @UNITDIR@ stands for the configured unit directory
#   log        optional: lines the generator's log must contain; without it, it must log nothing
# The output is compared with diff -r, symlink targets included.
#   run.sh GENERATOR STATE_HELPER UNITDIR [CASE...]
set -euo pipefail

generator=$(realpath "${1:?usage: run.sh GENERATOR STATE_HELPER UNITDIR [CASE...]}")
helper=$(realpath "${2:?}")
unitdir=${3:?}
shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/seprov-generator-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Copies the expected tree with @UNITDIR@ in symlink targets replaced.
expected_copy() {
    local from=$1 to=$2 link target
    mkdir -p "$to"/{normal,early,late}
    if [ -d "$from" ]; then
        cp -a "$from/." "$to/"
    fi
    while IFS= read -r -d '' link; do
        target=$(readlink "$link")
        ln -sfn "${target//@UNITDIR@/$unitdir}" "$link"
    done < <(find "$to" -type l -print0)
    find "$to" -name .gitkeep -delete
}

run_case() {
    local case=$1 t cmdline initrd status=0
    t="$work/$(basename "$case")"
    mkdir -p "$t/root/run" "$t/out"/{normal,early,late}
    if [ -f "$case/base" ]; then
        cp -a "$here/roots/$(cat "$case/base")/." "$t/root/"
    fi
    if [ -d "$case/root" ]; then
        cp -a "$case/root/." "$t/root/"
    fi
    cmdline=$(cat "$case/cmdline")
    initrd=$(cat "$case/initrd")
    if [ -f "$case/setup" ]; then
        (cd "$t/root" && SEPROV_ROOT="$t/root" SYSTEMD_PROC_CMDLINE="$cmdline" SEPROV_STATE="$helper" \
            bash -euo pipefail "$case/setup") || { echo "setup failed"; return 1; }
    fi

    SEPROV_ROOT="$t/root" SYSTEMD_PROC_CMDLINE="$cmdline" SYSTEMD_IN_INITRD="$initrd" \
        SYSTEMD_LOG_TARGET=console "$generator" "$t/out/normal" "$t/out/early" "$t/out/late" \
        2> "$t/log" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "exit status $status"
        cat "$t/log"
        return 1
    fi
    expected_copy "$case/expected" "$t/expected"
    diff -r --no-dereference "$t/expected" "$t/out"
    if [ -f "$case/log" ]; then
        while IFS= read -r line; do
            grep -qF -- "$line" "$t/log" || { echo "log lacks: $line"; cat "$t/log"; return 1; }
        done < "$case/log"
    elif [ -s "$t/log" ]; then
        echo "unexpected log:"
        cat "$t/log"
        return 1
    fi
}

# Usage errors are the only non-zero exit for bad input.
usage_check() {
    local status=0
    SYSTEMD_LOG_TARGET=null "$generator" || status=$?
    [ "$status" -eq 64 ] || { echo "no arguments: exit status $status, expected 64"; return 1; }
    status=0
    SYSTEMD_LOG_TARGET=null "$generator" a b || status=$?
    [ "$status" -eq 64 ] || { echo "two arguments: exit status $status, expected 64"; return 1; }
    # Run by hand (systemd sets $SYSTEMD_SCOPE for its generators): the usage and its errors on the
    # terminal, not in the kernel log.
    local out err
    status=0
    out=$(env -u SYSTEMD_SCOPE -u SYSTEMD_LOG_TARGET "$generator" --help) || status=$?
    [ "$status" -eq 0 ] || { echo "--help: exit status $status, expected 0"; return 1; }
    grep -q '^seprov-generator NORMAL_DIR \[EARLY_DIR LATE_DIR\]$' <<<"$out" || { echo "--help: $out"; return 1; }
    status=0
    err=$(env -u SYSTEMD_SCOPE -u SYSTEMD_LOG_TARGET "$generator" a b 2>&1 >/dev/null) || status=$?
    [ "$status" -eq 64 ] || { echo "bad arguments by hand: exit status $status, expected 64"; return 1; }
    grep -q '^Usage: seprov-generator NORMAL_DIR \[EARLY_DIR LATE_DIR\]' <<<"$err" ||
        { echo "bad arguments by hand: nothing on stderr: $err"; return 1; }
    status=0
    err=$(env -u SYSTEMD_SCOPE -u SYSTEMD_LOG_TARGET "$generator" --bogus 2>&1 >/dev/null) || status=$?
    if [ "$status" -ne 64 ] || [ -z "$err" ]; then
        echo "--bogus: exit status $status: $err"
        return 1
    fi
}

indent() {
    local l
    while IFS= read -r l; do printf '    %s\n' "$l"; done <<< "$1"
}

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    mapfile -t cases < <(find "$here" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | sort)
fi

# Each case in a subshell with errexit in force, so that any failing step fails the case: run_one is
# called as a plain command (errexit is ignored under 'if' and '||'), and sets $rc and $out.
run_one() {
    set +e
    (set -e; "$@") > "$work/case.log" 2>&1
    rc=$?
    set -e
    out=$(cat "$work/case.log")
}

report() {
    if [ "$rc" -eq 0 ]; then
        echo "ok - $1"
        passed=$((passed + 1))
    else
        echo "not ok - $1"
        indent "$out"
        failed=$((failed + 1))
    fi
}

passed=0 failed=0 rc=0 out=
for case in "${cases[@]}"; do
    [ -d "$case" ] || case=$here/$case
    run_one run_case "$case"
    report "$(basename "$case")"
done
run_one usage_check
report "usage errors exit 64"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
