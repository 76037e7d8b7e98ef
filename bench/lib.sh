# shellcheck shell=bash
# Shared by the benchmarks: the source tree, and an optimised build without sanitizers (what runs at
# boot) in build-bench/, set up on first use.

bench_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_build="$bench_top/build-bench"

# bench_build_targets TARGET...: builds the targets in build-bench/, quietly unless it fails.
bench_build_targets() {
    local log
    log=$(mktemp)
    if [ ! -f "$bench_build/build.ninja" ] &&
        ! meson setup --buildtype=release -Db_sanitize=none -Dman=disabled "$bench_build" "$bench_top" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    if ! ninja -C "$bench_build" -j2 "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# bench_now_us VAR: the wall clock in microseconds, into VAR, without starting a process: a `date`
# (or any $(...)) at either end of a timed span adds its own start and exit to the span, about 1.7 ms
# here, as much as a part of some of the edits measured.
bench_now_us() {
    printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"
}

# best_of COMMAND...: the fastest of $runs runs of COMMAND, in milliseconds, each after a sync (so
# that writeback of an earlier run is not timed); the last run's output in $out, its stderr dropped.
# $runs and $out are the calling benchmark's.
# shellcheck disable=SC2154
best_of() {
    local best=0 t0 t1 ms
    for _ in $(seq "$runs"); do
        sync
        bench_now_us t0
        "$@" >"$out" 2>/dev/null || true
        bench_now_us t1
        ms=$(((t1 - t0) / 1000))
        if [ "$best" = 0 ] || [ "$ms" -lt "$best" ]; then
            best=$ms
        fi
    done
    echo "$best"
}
