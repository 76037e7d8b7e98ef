#!/bin/bash
# systemd-analyze verify of every unit seprov installs, in the tree 'meson install' lays out: the
# binaries of ExecStart= and the man pages of Documentation= must be there, and nothing may be
# reported about seprov's units.
#   test-units.sh BUILD_DIR UNITDIR DRACUT_MODULE_DIR MANDIR
set -euo pipefail

build=${1:?usage: test-units.sh BUILD_DIR UNITDIR DRACUT_MODULE_DIR MANDIR}
unitdir=${2:?}
moduledir=${3:?}
mandir=${4:?}
dest=$(mktemp -d "${TMPDIR:-/tmp}/seprov-units.XXXXXX")
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet > "$dest.install.log" 2>&1 || {
    cat "$dest.install.log"
    exit 1
}
rm -f "$dest.install.log"
# The initrd's unit ships in the dracut module, whose install() puts it beside the others.
install -m 0644 "$dest$moduledir/seprov-initrd.service" "$dest$unitdir/seprov-initrd.service"

# Documentation= is checked with man(1) against the installed pages, when they are built (-Dman).
man=(--man=yes)
if [ ! -e "$dest$mandir/man8/seprov.8" ]; then
    echo "# man pages not built: Documentation= not checked"
    man=(--man=no)
elif ! command -v man > /dev/null; then
    echo "skipped: needs man (man-db) to check Documentation="
    exit 77
fi

passed=0 failed=0
for unit in seprov.service seprov-initrd.service; do
    status=0
    MANPATH="$dest$mandir" systemd-analyze verify "${man[@]}" --root="$dest" "$unitdir/$unit" \
        > "$dest/verify.log" 2>&1 || status=$?
    if [ "$status" -eq 0 ] && ! grep -q seprov "$dest/verify.log"; then
        echo "ok - systemd-analyze verify $unit"
        passed=$((passed + 1))
    else
        echo "not ok - systemd-analyze verify $unit (exit status $status)"
        cat "$dest/verify.log"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
