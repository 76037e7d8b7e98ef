#!/bin/bash
# Benchmark: `seprov check` computing each denial's cause against `audit2why` on the same audit log
# of 100 k denials and the same policy (Debian's selinux-policy-default), in one run. Budget
# (docs/ARCHITECTURE.md): 20x faster, same verdicts.
# Usage: bench/check-causes.sh [RUNS]   (default 3; the best run of each counts)
# The log repeats the records of tests/check/cause-corpus.log (every cause, audit2why's booleans
# and constraints included) with their own serials, times and pids; it is generated once in
# $SEPROV_BENCH_CACHE (default /var/tmp/seprov-bench). seprov is built without sanitizers in
# build-bench/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
runs=${1:-3}
cache=${SEPROV_BENCH_CACHE:-/var/tmp/seprov-bench}/check-causes-v1
denials=100000
corpus=$bench_top/tests/check/cause-corpus.log
policy=(/etc/selinux/default/policy/policy.*)
[ -f "${policy[0]}" ] || { echo "no Debian policy: install selinux-policy-default (tools/install-deps)" >&2; exit 1; }
command -v audit2why >/dev/null || { echo "no audit2why: install policycoreutils-python-utils" >&2; exit 1; }

ensure_log() {
    [ -f "$cache/done" ] && return 0
    rm -rf "$cache"
    mkdir -p "$cache"
    awk -v n="$denials" '/^type=AVC/ { rec[m++] = $0 }
        END {
            for (i = 0; i < n; i++) {
                r = rec[i % m]
                sub(/audit\([0-9.]*:[0-9]*\)/, sprintf("audit(%d.%03d:%d)", 1700000000 + int(i / 10), i % 1000, 100000 + i), r)
                sub(/pid=[0-9]*/, "pid=" (1000 + i % 30000), r)
                print r
            }
        }' "$corpus" >"$cache/audit.log"
    touch "$cache/done"
}

seprov_check() {
    "$bench_build/seprov" check --policy="${policy[0]}" --audit-log="$cache/audit.log" --json
}

baseline() {
    audit2why -p "${policy[0]}" -i "$cache/audit.log"
}

ensure_log
bench_build_targets seprov
out=$(mktemp)
verdicts=$(mktemp)
trap 'rm -f "$out" "$verdicts"' EXIT
echo "audit log: $(wc -l <"$cache/audit.log") denials of $(grep -c '^type=AVC' "$corpus") shapes, in $cache; policy ${policy[0]}"

seprov_check >/dev/null 2>&1 || true # the page cache warm for both
baseline >/dev/null 2>&1 || true

t_seprov=$(best_of seprov_check)
# Denials per verdict, in audit2why's words: an unlabelled target is a missing rule to audit2why.
jq -r '.groups[] | "\(if .cause == "unlabeled" then "rule" else .cause end) \(.count)"' "$out" |
    awk '$1 ~ /^(rule|boolean|constraint|allowed)$/ { n[$1] += $2 } END { for (c in n) print c, n[c] }' | sort >"$verdicts"
t_baseline=$(best_of baseline)
theirs=$(awk '/^type=/ { if (v) n[v]++; v = "?" }
    /Missing type enforcement/ { v = "rule" } /was set incorrectly/ { v = "boolean" }
    /Constraint rule/ { v = "constraint" } /would be allowed by active policy/ { v = "allowed" }
    END { if (v) n[v]++; for (c in n) print c, n[c] }' "$out" | sort)

printf '%-45s %8s ms\n' "seprov check --policy --json" "$t_seprov"
printf '%-45s %8s ms\n' "audit2why -p" "$t_baseline"
echo "verdicts (denials, where audit2why answers): seprov $(tr '\n' ' ' <"$verdicts")/ audit2why $(tr '\n' ' ' <<<"$theirs")"
awk -v a="$t_baseline" -v b="$t_seprov" 'BEGIN { printf "ratio: %.1fx faster (budget: 20x), best of '"$runs"' runs each\n", a / (b > 0 ? b : 1) }'
if [ "$(cat "$verdicts")" != "$theirs" ]; then
    echo "note: the verdicts differ"
    exit 1
fi
