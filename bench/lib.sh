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
