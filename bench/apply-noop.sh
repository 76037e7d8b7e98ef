#!/bin/bash
# Benchmark: `seprov apply` when nothing is to do, on a provisioned Flatcar-legacy fixture root with
# the demo config (examples/demo.json). It runs on every boot, so this is its cost on most boots.
# Budget (docs/ARCHITECTURE.md): under 5 ms wall. Side by side in the same loop: /bin/true (the cost of merely
# starting a process) and `seprov show-config` (reading every input without looking at the system).
# Usage: bench/apply-noop.sh [RUNS]   (default 300; the mean of the runs counts)
# seprov is built without sanitizers in build-bench/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
top=$bench_top
runs=${1:-300}

bench_build_targets seprov
seprov="$bench_build/seprov"

work=$(mktemp -d /tmp/seprov-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$top/tests/fixtures/make-root.sh" flatcar-legacy "$work/root" >/dev/null
mkdir -p "$work/root/etc/seprov/config.d"
cp "$top/examples/demo.json" "$work/root/etc/seprov/config.d/50-demo.json"
export SYSTEMD_PROC_CMDLINE="console=ttyS0 quiet" SYSTEMD_LOG_TARGET=null

"$seprov" apply --root="$work/root" >/dev/null
out=$("$seprov" apply --root="$work/root")
[ "$out" = "nothing to do: the system matches the config" ] || { echo "not a no-op: $out" >&2; exit 1; }

# mean_us COMMAND...: mean wall time of one run, in microseconds, over $runs runs.
mean_us() {
    local t0 t1
    t0=$(date +%s%N)
    for _ in $(seq "$runs"); do
        "$@" >/dev/null
    done
    t1=$(date +%s%N)
    echo $(((t1 - t0) / runs / 1000))
}

mean_us "$seprov" apply --root="$work/root" >/dev/null # warm the caches
t_true=$(mean_us /bin/true)
t_show=$(mean_us "$seprov" show-config --root="$work/root")
t_apply=$(mean_us "$seprov" apply --root="$work/root")

printf '%-40s %7s us/run\n' "/bin/true (starting a process)" "$t_true"
printf '%-40s %7s us/run\n' "seprov show-config (inputs only)" "$t_show"
printf '%-40s %7s us/run\n' "seprov apply, nothing to do" "$t_apply"
awk -v a="$t_apply" -v t="$t_true" 'BEGIN { printf "no-op apply: %.2f ms wall per run (budget: 5 ms), %.2f ms above starting a process; mean of '"$runs"' runs\n", a / 1000, (a - t) / 1000 }'
