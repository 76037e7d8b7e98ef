#!/bin/bash
# seprov's Debian package, built from a clean copy of the tree (build-deb.sh): its version is the
# project's, it holds everything a boot needs where Debian's systemd and dracut look for it (the
# generator, the units, the 52seprov dracut module, man pages, completions), it declares the
# libraries seprov loads with dlopen(), it starts nothing and rebuilds no initrd from a maintainer
# script, its seprov runs, and lintian finds no error or warning that is not overridden (each
# override is justified in debian/seprov.lintian-overrides).
#   test-package.sh SOURCE_DIR OUT_DIR PROJECT_VERSION
# Skipped (77) without the package tools or the build dependencies (tools/install-deps has them).
set -euo pipefail

src=${1:?usage: test-package.sh SOURCE_DIR OUT_DIR PROJECT_VERSION}
out=${2:?}
version=${3:?}

for tool in dpkg-buildpackage dh lintian; do
        command -v "$tool" >/dev/null || { echo "skipped: needs $tool (tools/install-deps installs it)"; exit 77; }
done
if ! unmet=$(cd "$src" && dpkg-checkbuilddeps 2>&1); then
        echo "skipped: $unmet"
        exit 77
fi

# shellcheck source=tests/tap.sh
. "$(dirname "$0")/../tap.sh"

start=$(date +%s)
deb=$("$src/tests/package/build-deb.sh" "$src" "$out")
echo "# build: $(($(date +%s) - start)) s (reused when the tree is unchanged)"
changes=$(ls "${deb%.deb}".changes)
work=$(mktemp -d "${TMPDIR:-/tmp}/seprov-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

field() {
        dpkg-deb -f "$deb" "$1"
}
echo "# $(basename "$deb"): $(stat -c %s "$deb") bytes, Installed-Size $(field Installed-Size) KiB"
echo "# Depends: $(field Depends)"
echo "# Recommends: $(field Recommends)"

check "version $(field Version) is the project's ($version)" test "$(field Version)" = "$version"

# Where Debian's systemd and dracut look: their pkg-config answers on this machine, as for the build.
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
generatordir=$(pkg-config --variable=systemdsystemgeneratordir systemd)
moduledir=$(pkg-config --variable=dracutmodulesdir dracut 2>/dev/null || echo /usr/lib/dracut/modules.d)/52seprov
dpkg-deb -c "$deb" | awk '{ sub(/^\./, "", $6); print $1, $6 }' >"$work/list"
has() {
        grep -q "^$1 $2\$" "$work/list"
}
# A doc file, compressed or not (dh_compress leaves small ones as they are).
has_doc() {
        has '-rw-r--r--' "$1" || has '-rw-r--r--' "$1.gz"
}
none_in_etc() {
        ! grep -E " /(etc|usr/local)/" "$work/list"
}
for f in /usr/bin/seprov "$generatordir/seprov-generator" "$moduledir/module-setup.sh"; do
        check "executable $f" has '-rwxr-xr-x' "$f"
done
for f in "$unitdir/seprov.service" "$moduledir/seprov-initrd.service" \
        /usr/share/man/man8/seprov.8.gz /usr/share/man/man8/seprov-generator.8.gz \
        /usr/share/bash-completion/completions/seprov /usr/share/zsh/vendor-completions/_seprov \
        /usr/share/doc/seprov/copyright; do
        check "file $f" has '-rw-r--r--' "$f"
done
for f in README.Debian README.md IMAGE-BUILDERS.md examples/image-defaults.yaml; do
        check "doc /usr/share/doc/seprov/$f" has_doc "/usr/share/doc/seprov/$f"
done
check "nothing in /etc (no conffiles) or /usr/local" none_in_etc

# dlopen() hides these from dpkg-shlibdeps; seprov needs them at boot all the same.
depends=$(field Depends)
for lib in libsemanage2 libmount1 libsystemd0; do
        check "Depends: $lib" grep -qE "(^|, )$lib([ ,]|\$)" <<<"$depends"
done
check "Depends: \${shlibs:Depends} (libselinux1, libjson-c5)" grep -q 'libselinux1.*libjson-c5\|libjson-c5.*libselinux1' <<<"$depends"
dracut_recommended() {
        [[ $(field Recommends) =~ (^|, )dracut-core ]] && ! [[ $depends =~ dracut ]]
}
check "dracut-core is a Recommends, not a Depends" dracut_recommended

# Maintainer scripts: no initrd rebuilt, no unit enabled, started or stopped behind the administrator.
dpkg-deb -e "$deb" "$work/control"
quiet_scripts() {
        ! cat "$work"/control/*inst "$work"/control/*rm 2>/dev/null |
                grep -E 'dracut|update-initramfs|deb-systemd-(invoke|helper)|systemctl (start|stop|restart|enable)'
}
check "no maintainer script rebuilds an initrd or starts a unit" quiet_scripts

dpkg-deb -x "$deb" "$work/root"
check "the packaged seprov runs: seprov --version" test "$("$work/root/usr/bin/seprov" --version)" = "seprov $version"

# The upload as a whole: the .changes and the .deb it lists. Overrides count as fine; info and
# pedantic tags are shown, not failed on.
echo "# lintian overrides (debian/seprov.lintian-overrides): $(grep -c '^seprov:' "$src/debian/seprov.lintian-overrides")"
lintian=(lintian --info --pedantic --fail-on "error,warning" "$changes")
# lintian warns against running as root; it needs no privilege, so it runs as nobody when it can.
if ((EUID == 0)) && command -v runuser >/dev/null && runuser -u nobody -- test -r "$changes"; then
        lintian=(runuser -u nobody -- env HOME="$work" "${lintian[@]}")
        chmod 755 "$work"
fi
start=$(date +%s)
if "${lintian[@]}" >"$work/lintian.log" 2>&1; then
        ok "lintian: no error or warning ($(($(date +%s) - start)) s)"
else
        not_ok "lintian"
fi
sed 's/^/# /' "$work/lintian.log"

tap_finish
