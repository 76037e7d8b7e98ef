#!/bin/bash
# seprov-generator, whole process, against a minimal /bin/sh generator doing the same wiring (read
# /proc/cmdline, check seprov=0 and selinux=0, mkdir + ln -s), run alternately in the same loop.
# Also the real root's decision on a fixture root (Flatcar layout, real policy store): nothing to do
# (fingerprint compared) and a first boot (wired), with their syscall counts.
# Budget (docs/ARCHITECTURE.md): under 1 ms, and at most 1/5 of the shell generator's time.
#   bench/generator.sh [RUNS]     (default 500; builds a release build in build-bench/)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
runs=${1:-500}
top=$bench_top
build=$bench_build
work=$(mktemp -d "${TMPDIR:-/tmp}/seprov-bench-generator.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A release build: the developer build's sanitizers would measure themselves.
bench_build_targets seprov-generator tests/generator-state
generator=$build/seprov-generator
unitdir=$(sed -n 's/.*-DSYSTEM_UNIT_DIR="\([^"]*\)".*/\1/p' "$build/compile_commands.json" | head -n 1)

cat > "$work/sh-generator" <<EOF
#!/bin/sh
# The same decision and wiring as seprov-generator in the initrd, in shell.
read -r cmdline < /proc/cmdline
for word in \$cmdline; do
    case \$word in
    seprov=0 | rd.seprov=0 | selinux=0) exit 0 ;;
    esac
done
mkdir -p "\$1/initrd.target.wants"
ln -sf $unitdir/seprov-initrd.service "\$1/initrd.target.wants/seprov-initrd.service"
EOF
chmod +x "$work/sh-generator"

# A fixture root with an apply on record, for the real root's decision.
root=$work/root
"$top/tests/fixtures/make-root.sh" flatcar-current "$root" > /dev/null
SEPROV_ROOT=$root SYSTEMD_PROC_CMDLINE="$(cat /proc/cmdline)" "$build/tests/generator-state" applied
mkdir -p "$work/first-boot"
cp -a "$root/." "$work/first-boot/"
rm -r "$work/first-boot/var/lib/seprov"

if ldd "$generator" 2>&1 | grep -q 'statically linked'; then
    linked="statically (static PIE, libc only)"
else
    linked="with $(ldd "$generator" | awk '$1 !~ /vdso/ { print $1 }' | tr '\n' ' ')"
fi
echo "seprov-generator: $(stat -c %s "$generator") bytes, linked $linked"
echo "kernel command line: $(cat /proc/cmdline)"

count_syscalls() {
    if command -v strace > /dev/null; then
        env "$@" strace -f -qq -o "$work/strace" "$generator" "$work/out" > /dev/null 2>&1 || true
        rm -rf "$work/out"
        grep -cv '^+++\|^---' "$work/strace"
    else
        echo "n/a (no strace)"
    fi
}
mkdir -p "$work/out"
echo "syscalls: initrd $(count_syscalls SYSTEMD_IN_INITRD=1), real root with nothing to do" \
    "$(count_syscalls SYSTEMD_IN_INITRD=0 SEPROV_ROOT="$root"), first boot" \
    "$(count_syscalls SYSTEMD_IN_INITRD=0 SEPROV_ROOT="$work/first-boot")"

# Generators write into /run/systemd/generator*, a tmpfs: so does the benchmark.
shm=$(mktemp -d /dev/shm/seprov-bench.XXXXXX 2>/dev/null || mktemp -d "$work/out.XXXXXX")
trap 'rm -rf "$work" "$shm"' EXIT

python3 - "$runs" "$work" "$generator" "$root" "$shm/out" <<'EOF'
import os, shutil, statistics, sys, time

runs, work, generator, root, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]

def env(**kw):
    e = {k: v for k, v in os.environ.items() if not k.startswith(("SYSTEMD_", "SEPROV_"))}
    e.update(kw)
    return e

cases = {
    "initrd, seprov-generator": ([generator, out], env(SYSTEMD_IN_INITRD="1")),
    "initrd, shell generator": ([os.path.join(work, "sh-generator"), out], env()),
    "real root, nothing to do": ([generator, out], env(SYSTEMD_IN_INITRD="0", SEPROV_ROOT=root)),
    "real root, first boot": ([generator, out], env(SYSTEMD_IN_INITRD="0", SEPROV_ROOT=os.path.join(work, "first-boot"))),
}
times = {name: [] for name in cases}
wired = {}
for i in range(runs):
    for name, (argv, e) in cases.items():  # alternated, so that both see the same machine
        shutil.rmtree(out, ignore_errors=True)
        os.mkdir(out)
        t = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, e)
        _, status = os.waitpid(pid, 0)
        times[name].append(time.perf_counter_ns() - t)
        if status != 0:
            sys.exit(f"{name}: exit status {status}")
        wired[name] = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)

print(f"{runs} runs each, alternated; wall time per run, spawn to exit:")
for name, t in times.items():
    print(f"  {name:28s} median {statistics.median(t) / 1000:8.0f} us   mean {statistics.mean(t) / 1000:8.0f} us"
          f"   wired: {', '.join(wired[name]) or 'nothing'}")
ours, shell = statistics.median(times["initrd, seprov-generator"]), statistics.median(times["initrd, shell generator"])
print(f"ratio seprov-generator / shell generator (initrd, medians): {ours / shell:.3f} (budget <= 0.2)")
worst = max(statistics.median(t) for name, t in times.items() if "seprov" in name or "real root" in name)
print(f"slowest seprov-generator case, median: {worst / 1000:.0f} us (budget < 1000 us)")
EOF
