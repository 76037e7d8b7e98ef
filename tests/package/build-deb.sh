#!/bin/bash
# Builds seprov's Debian package from a clean copy of the source tree, the way a distribution
# would (dpkg-buildpackage -us -uc -b), and prints the .deb's path (the .changes is beside it). The package suite checks it and
# the boot tests install it into their image, so one run builds it once: the result is kept in
# OUT_DIR with a key naming the tree it came from, and reused while the tree is unchanged.
#   build-deb.sh SOURCE_DIR OUT_DIR
# The copy holds the files git knows (tracked, and untracked ones not ignored), as they are in the
# work tree, uncommitted changes included; outside a git work tree, everything but build*/ and .git.
set -euo pipefail

src=$(cd "${1:?usage: build-deb.sh SOURCE_DIR OUT_DIR}" && pwd)
out=${2:?usage: build-deb.sh SOURCE_DIR OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

log() {
        printf '[deb %s] %s\n' "$(date +%T)" "$*" >&2
}

# The tree's files, NUL-separated, relative to $src.
tree_files() {
        if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
                # Tracked files deleted in the work tree are listed too: keep what exists.
                git -C "$src" ls-files -z -co --exclude-standard |
                        while IFS= read -r -d '' f; do
                                [[ -e $src/$f || -L $src/$f ]] && printf '%s\0' "$f"
                        done
        else
                (cd "$src" && find . \( -path './build*' -o -name .git \) -prune -o \( -type f -o -type l \) -printf '%P\0')
        fi
}

# tree_tar [TAR OPTION]...: the tree's files as a tar stream on standard output.
tree_tar() {
        tree_files | LC_ALL=C sort -z | tar -c -f - "$@" -C "$src" --no-recursion --null -T -
}

# One build at a time per OUT_DIR: the package suite and the image build may ask at once.
exec {lock}>"$out/lock"
flock "$lock"

# The key is the files' names, modes and contents: touching a file rebuilds nothing.
key=$( {
        tree_tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner
        cat "${BASH_SOURCE[0]}"
} | sha256sum | cut -c1-16)
if [[ -f $out/KEY && $(<"$out/KEY") == "$key" ]] && compgen -G "$out/seprov_*.deb" >/dev/null; then
        log "package up to date ($out)"
        ls "$out"/seprov_*.deb
        exit 0
fi

rm -rf "$out/work" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo "$out/KEY"
mkdir -p "$out/work/seprov"
# The files keep their times: the package's are the tree's (dh_builddeb clamps newer ones to the
# changelog's date).
tree_tar | tar -C "$out/work/seprov" -xf -
start=$(date +%s)
log "dpkg-buildpackage -us -uc -b in $out/work/seprov (log: $out/build.log)"
# nocheck: the project's suites need root, qemu and a policy store (debian/rules says why it runs
# none of them); the build must not start them from inside this test either.
if ! (cd "$out/work/seprov" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) \
        >"$out/build.log" 2>&1; then
        tail -n 40 "$out/build.log" >&2
        log "dpkg-buildpackage failed (full log: $out/build.log)"
        exit 1
fi
log "dpkg-buildpackage: $(($(date +%s) - start)) s"
mv "$out/work"/*.deb "$out/work"/*.changes "$out/work"/*.buildinfo "$out/"
rm -rf "$out/work"
echo "$key" >"$out/KEY"
ls "$out"/seprov_*.deb
