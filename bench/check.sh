#!/bin/bash
# Benchmark: `seprov check` against `journalctl -o cat | grep 'avc:  denied'` on the same journal of
# about 1 M entries, about 10 k of them AVC records, in one run. Budget (docs/ARCHITECTURE.md): 10x faster.
# Usage: bench/check.sh [RUNS]   (default 5; the best run of each counts)
# The journal is generated once and cached in $SEPROV_BENCH_CACHE (default /var/tmp/seprov-bench);
# seprov is built without sanitizers in build-bench/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
runs=${1:-5}
cache=${SEPROV_BENCH_CACHE:-/var/tmp/seprov-bench}/check-v2
entries=1000000
avc_every=100 # one AVC record in 100 entries: 10 k
journal_remote=/lib/systemd/systemd-journal-remote

# The export text of the journal: one boot of a container host. Services log through stdout and
# syslog, the kernel through kmsg; every 100th entry is an SELinux denial from the audit subsystem,
# in 12 distinct shapes, each followed by the SYSCALL record of its event every tenth time.
generate() {
    # %.0f, not %d: mawk's %d stops at 2^31.
    awk -v n="$entries" -v every="$avc_every" 'BEGIN {
        boot = "6f0c1a8e2d2b4b61a3f0c2d4e5f60718"
        t0 = 1700000000000000
        split("kubelet containerd sshd systemd-networkd flanneld etcd", units, " ")
        split("cp install mv iptables cat runc", comms, " ")
        split("usr_t etc_t iptables_runtime_t container_var_run_t shadow_t", targets, " ")
        serial = 1000
        for (i = 0; i < n; i++) {
            t = t0 + i * 1000
            printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n_BOOT_ID=%s\n_HOSTNAME=node1\n", t, i * 1000 + 5000000, boot
            if (i % every == 0) {
                k = int(i / every) % 12
                c = comms[k % 6 + 1]; tt = targets[k % 5 + 1]
                serial++
                printf "_TRANSPORT=audit\n_AUDIT_TYPE=1400\n_AUDIT_TYPE_NAME=AVC\n_AUDIT_ID=%d\nSYSLOG_FACILITY=4\nSYSLOG_IDENTIFIER=audit\n", serial
                printf "MESSAGE=AVC avc:  denied  { write } for  pid=%d comm=\"%s\" name=\"bin\" dev=\"sda9\" ino=198 scontext=system_u:system_r:svirt_lxc_net_t:s0:c%d,c%d tcontext=system_u:object_r:%s:s0 tclass=dir permissive=1\n\n", 4000 + i % 5000, c, k, k + 100, tt
            } else if (i % every == 1 && int(i / every) % 10 == 0) {
                printf "_TRANSPORT=audit\n_AUDIT_TYPE=1300\n_AUDIT_TYPE_NAME=SYSCALL\n_AUDIT_ID=%d\nSYSLOG_FACILITY=4\nSYSLOG_IDENTIFIER=audit\n", serial
                printf "MESSAGE=SYSCALL arch=c000003e syscall=257 success=yes exit=3 items=2 ppid=4300 pid=4361 comm=\"cp\" exe=\"/bin/busybox\" key=(null)\n\n"
            } else if (i % 7 == 0) {
                printf "_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\nPRIORITY=6\nMESSAGE=IPv6: ADDRCONF(NETDEV_CHANGE): veth%x: link becomes ready\n\n", i
            } else {
                u = units[i % 6 + 1]
                printf "_TRANSPORT=%s\n_PID=%d\n_UID=0\n_GID=0\n_COMM=%s\n_EXE=/usr/bin/%s\n_SYSTEMD_UNIT=%s.service\nSYSLOG_IDENTIFIER=%s\nPRIORITY=6\n", (i % 3 ? "stdout" : "syslog"), 1000 + i % 300, u, u, u, u
                printf "MESSAGE=I1114 22:13:%02d.%06d %d reconciler.go:%d] \"operationExecutor.VerifyControllerAttachedVolume started\" pod=\"kube-system/pod-%d\" volume=\"vol-%d\"\n\n", i % 60, i % 1000000, 1000 + i % 300, 100 + i % 900, i % 4000, i
            }
        }
    }'
}

ensure_journal() {
    if [ -f "$cache/done" ]; then
        return 0
    fi
    echo "Generating a journal of $entries entries in $cache (once; takes a minute or two)..."
    rm -rf "$cache"
    mkdir -p "$cache/journal"
    generate | "$journal_remote" -o "$cache/journal/system.journal" - 2>"$cache/journal-remote.log"
    touch "$cache/done"
}

ensure_seprov() {
    bench_build_targets seprov
}

seprov_check() {
    "$bench_build/seprov" check --journal-dir="$cache/journal" --json
}

baseline() {
    journalctl -D "$cache/journal" -o cat | grep 'avc:  denied'
}

ensure_journal
ensure_seprov
out=$(mktemp)
trap 'rm -f "$out"' EXIT

total=$(journalctl -D "$cache/journal" -o cat | wc -l)
size=$(du -sh "$cache/journal" | cut -f1)
echo "journal: $total entries, $size, in $cache/journal"

# Warm the page cache for both, so both are measured on the same footing.
seprov_check >/dev/null || true
baseline >/dev/null

t_seprov=$(best_of seprov_check)
found_seprov=$(sed -n 's/^  "denials": \([0-9]*\),$/\1/p' "$out")
t_baseline=$(best_of baseline)
found_baseline=$(wc -l <"$out")

printf '%-45s %8s ms   %6s denials found\n' "seprov check --journal-dir --json" "$t_seprov" "$found_seprov"
printf '%-45s %8s ms   %6s lines found\n' "journalctl -o cat | grep 'avc:  denied'" "$t_baseline" "$found_baseline"
awk -v a="$t_baseline" -v b="$t_seprov" 'BEGIN { printf "ratio: %.1fx faster (budget: 10x), best of '"$runs"' runs each\n", a / (b > 0 ? b : 1) }'
if [ "$found_seprov" != "$found_baseline" ]; then
    echo "note: the two found different numbers of denials"
fi
