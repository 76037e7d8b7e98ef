#!/bin/bash
# Benchmark: `seprov check` on a systemd-journal-remote output directory of 100 machines' journals
# (10 k entries each, one in 100 an SELinux denial) against `journalctl -D DIR -o cat | grep`, in one
# run. seprov groups across the machines and counts them per group; grep only finds the lines.
# Usage: bench/check-fleet.sh [RUNS]   (default 3; the best run of each counts)
# The directory is generated once in $SEPROV_BENCH_CACHE (default /var/tmp/seprov-bench); seprov is
# built without sanitizers in build-bench/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
runs=${1:-3}
cache=${SEPROV_BENCH_CACHE:-/var/tmp/seprov-bench}/check-fleet-v1
machines=100
entries=10000
journal_remote=/lib/systemd/systemd-journal-remote

# The export text of machine M: services' lines, and every 100th entry a denial in one of 8 shapes.
generate() {
    awk -v m="$1" -v n="$entries" 'BEGIN {
        t0 = 1700000000000000 + m * 1000
        split("usr_t etc_t shadow_t container_var_run_t", targets, " ")
        for (i = 0; i < n; i++) {
            printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n_BOOT_ID=%032x\n_MACHINE_ID=%032x\n_HOSTNAME=node%d\n",
                t0 + i * 100000, i * 1000 + 5000000, 4096 + m, 8192 + m, m
            if (i % 100 == 0) {
                k = int(i / 100) % 8
                printf "_TRANSPORT=audit\n_AUDIT_TYPE=1400\n_AUDIT_TYPE_NAME=AVC\n_AUDIT_ID=%d\nSYSLOG_IDENTIFIER=audit\n", 1000 + i
                printf "MESSAGE=AVC avc:  denied  { %s } for  pid=%d comm=\"cp\" name=\"bin\" dev=\"sda9\" ino=198 scontext=system_u:system_r:svirt_lxc_net_t:s0:c%d,c%d tcontext=system_u:object_r:%s:s0 tclass=dir permissive=1\n\n",
                    (k < 4 ? "write" : "read"), 4000 + i % 5000, m, m + 100, targets[k % 4 + 1]
            } else {
                printf "_TRANSPORT=stdout\n_PID=%d\n_COMM=kubelet\n_SYSTEMD_UNIT=kubelet.service\nSYSLOG_IDENTIFIER=kubelet\nPRIORITY=6\n", 1000 + i % 300
                printf "MESSAGE=I1114 22:13:%02d.%06d reconciler.go:%d] \"operationExecutor.VerifyControllerAttachedVolume started\" pod=\"kube-system/pod-%d\"\n\n", i % 60, i % 1000000, 100 + i % 900, i % 4000
            }
        }
    }'
}

ensure_dir() {
    [ -f "$cache/done" ] && return 0
    echo "Generating $machines journals of $entries entries in $cache (once)..."
    rm -rf "$cache"
    mkdir -p "$cache/remote"
    for m in $(seq "$machines"); do
        generate "$m" | "$journal_remote" -o "$cache/remote/remote-node$m.journal" - 2>>"$cache/journal-remote.log"
    done
    touch "$cache/done"
}

seprov_check() {
    "$bench_build/seprov" check --journal-dir="$cache/remote" --json
}

baseline() {
    journalctl -D "$cache/remote" -o cat | grep 'avc:  denied'
}

ensure_dir
bench_build_targets seprov
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "journal-remote directory: $machines machines x $entries entries, $(du -sh "$cache/remote" | cut -f1), in $cache/remote"
seprov_check >/dev/null 2>&1 || true # the page cache warm for both
baseline >/dev/null

t_seprov=$(best_of seprov_check)
found_seprov=$(jq '"\(.denials) denials in \(.groups | length) groups on \(.machines) machines"' "$out")
t_baseline=$(best_of baseline)
found_baseline=$(wc -l <"$out")

printf '%-50s %8s ms   %s\n' "seprov check --journal-dir --json" "$t_seprov" "$found_seprov"
printf '%-50s %8s ms   %s lines\n' "journalctl -D -o cat | grep 'avc:  denied'" "$t_baseline" "$found_baseline"
awk -v a="$t_baseline" -v b="$t_seprov" 'BEGIN { printf "ratio: %.1fx faster, best of '"$runs"' runs each\n", a / (b > 0 ? b : 1) }'
