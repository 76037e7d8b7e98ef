#!/bin/bash
# One version, from one place: seprov --version says meson's project version, and the NEWS entry on
# top and the Debian changelog's are that version's.
set -euo pipefail
src=${1:?usage: version.sh SRCDIR SEPROV VERSION}
seprov=${2:?}
version=${3:?}
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

out=$("$seprov" --version)
[ "$out" = "seprov $version" ] || fail "seprov --version says \"$out\", the project is $version"
news=$(sed -n 's/^CHANGES WITH \([^ ]*\) .*/\1/p;T;q' "$src/NEWS")
[ "$news" = "$version" ] || fail "NEWS starts with $news, the project is $version"
deb=$(sed -n '1s/^seprov (\([^)]*\)).*/\1/p' "$src/debian/changelog")
[ "$deb" = "$version" ] || fail "debian/changelog starts with $deb, the project is $version"
echo "version $version: seprov --version, NEWS, debian/changelog"
[ "$failures" -eq 0 ]
