#!/bin/bash
# Builds real initrds with Debian's dracut and seprov's module as 'meson install' lays it out, and
# looks inside: the generator, the initrd unit, seprov and every library both load are in the image;
# both programs run there with the image's own libraries; the generator wires the unit the image has;
# the unit passes systemd-analyze verify inside the image; check() includes the module by default
# when the host has an SELinux config, and only when asked otherwise.
#   test-dracut.sh BUILD_DIR BINDIR GENERATORDIR UNITDIR DRACUT_MODULESDIR
# Needs root, dracut-core and an installed kernel (linux-image-amd64); exits 77 (skipped) without.
# The installed files are shown at their real paths through overlays in a private mount namespace,
# so the host is never touched.
set -euo pipefail

build=${1:?usage: test-dracut.sh BUILD_DIR BINDIR GENERATORDIR UNITDIR DRACUT_MODULESDIR}
bindir=${2:?}
generatordir=${3:?}
unitdir=${4:?}
modulesdir=${5:?}

# shellcheck source=tests/tap.sh
. "$(dirname "$0")/../tap.sh"

# PATH inside the image root $1, following symlinks there (absolute ones from the image's root).
image_path() {
    local root=$1 rest=${2#/} done="" comp target links=0
    while [ -n "$rest" ]; do
        comp=${rest%%/*}
        if [ "$comp" = "$rest" ]; then rest=""; else rest=${rest#*/}; fi
        case $comp in
        "" | .) continue ;;
        ..) done=${done%/*}; continue ;;
        esac
        if [ -L "$root$done/$comp" ]; then
            links=$((links + 1))
            [ "$links" -le 32 ] || return 1
            target=$(readlink "$root$done/$comp")
            if [[ $target == /* ]]; then done=""; fi
            rest=${target#/}${rest:+/$rest}
            continue
        fi
        done=$done/$comp
    done
    echo "$root$done"
}

in_image() {
    [ -e "$(image_path "$unpacked" "$1")" ]
}

# The shared libraries a binary loads, and its ELF interpreter, as paths on the host.
libraries_of() {
    { ldd "$1" || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

build_initrd() {
    local image=$1 start end
    shift
    start=$(date +%s%N)
    dracut --force --no-hostonly --no-compress --kver "$kver" --tmpdir "$work" "$@" "$image" \
        > "$image.log" 2>&1 || { cat "$image.log"; return 1; }
    end=$(date +%s%N)
    echo "# dracut ${image##*/}: $(((end - start) / 1000000)) ms, $(($(stat -c %s "$image") / 1024 / 1024)) MiB"
}

included() {
    grep -q "Including module: $2 \*\*\*" "$1.log"
}

inner() {
    local image=$work/initrd.img dir keep omit=() mod
    for dir in "$bindir" "$generatordir" "$unitdir" "$modulesdir"; do
        [ -d "$dest$dir" ] || continue
        [ -d "$dir" ] || { echo "$dir is missing on the host: cannot show the install there"; return 1; }
        mount -t overlay seprov-test -o "lowerdir=$dest$dir:$dir" "$dir"
    done

    # The brief's initrd: systemd's and seprov's modules (with what they depend on), for this kernel.
    build_initrd "$image" --modules "systemd-initrd seprov"
    check "dracut includes seprov and, through depends(), systemd" \
        bash -c "grep -q 'Including module: seprov ' '$image.log' && grep -q 'Including module: systemd ' '$image.log'"

    unpacked=$work/unpacked
    mkdir "$unpacked"
    (cd "$unpacked" && lsinitrd --unpack "$image") > /dev/null
    lsinitrd "$image" > "$work/listing"
    check "lsinitrd lists the generator" grep -q "seprov-generator$" "$work/listing"
    check "the generator is in the image at $generatordir" in_image "$generatordir/seprov-generator"
    check "seprov is in the image at $bindir" in_image "$bindir/seprov"
    check "the initrd unit is in the image at $unitdir" in_image "$unitdir/seprov-initrd.service"
    for lib in $( (libraries_of "$dest$bindir/seprov"; libraries_of "$dest$generatordir/seprov-generator") | sort -u); do
        check "library $lib is in the image" in_image "$lib"
    done

    # The libraries seprov loads with dlopen() when it needs them, and theirs.
    for so in libsemanage.so.2 libmount.so.1 libsystemd.so.0; do
        local path
        path=$(ldconfig -p | awk -v so="$so" '$1 == so && /x86-64/ && !found { print $NF; found = 1 }')
        check "ldconfig knows $so" test -n "$path"
        check "$so (loaded when needed) is in the image" in_image "$path"
        for lib in $(libraries_of "$path"); do
            check "library $lib of $so is in the image" in_image "$lib"
        done
    done

    # Run both in the image, with its own libraries only. /proc is for the sanitizers' runtime.
    mount -t proc proc "$unpacked/proc"
    mkdir -p "$unpacked/tmp/gen"
    SYSTEMD_IN_INITRD=1 SYSTEMD_PROC_CMDLINE="root=LABEL=ROOT" SYSTEMD_LOG_TARGET=console \
        chroot "$unpacked" "$generatordir/seprov-generator" /tmp/gen
    local link=$unpacked/tmp/gen/initrd.target.wants/seprov-initrd.service
    check "the generator runs in the image and wires the unit" \
        test "$(readlink "$link")" = "$unitdir/seprov-initrd.service"
    check "the wired unit exists in the image" in_image "$(readlink "$link")"
    check "seprov runs in the image" bash -c "chroot '$unpacked' '$bindir/seprov' --version | grep -q '^seprov '"
    umount "$unpacked/proc"

    # The unit in its real environment: initrd.target, ExecStart= in the image. The man page is not
    # in an initrd; test-units.sh checks it.
    local rc=0
    systemd-analyze verify --man=no --root="$unpacked" "$unitdir/seprov-initrd.service" > "$work/verify.log" 2>&1 ||
        rc=$?
    sed 's/^/# verify: /' "$work/verify.log"
    check "systemd-analyze verify of the unit inside the image (exit $rc)" test "$rc" -eq 0
    check "systemd-analyze verify says nothing of seprov" bash -c "! grep seprov '$work/verify.log'"

    # check(): by default (no --add), seprov comes in when the host has an SELinux config, and not
    # otherwise. Every other module is omitted, except those the first build needed, to stay fast.
    keep=" $(sed -n 's/.*Including module: \(.*\) \*\*\*/\1/p' "$image.log" | tr '\n' ' ') "
    for mod in "$modulesdir"/*; do
        mod=${mod##*/}
        mod=${mod#[0-9][0-9]}
        [[ $keep == *" $mod "* ]] || omit+=("$mod")
    done
    if [ -e /etc/selinux/config ]; then
        build_initrd "$work/default.img" --omit "${omit[*]}"
        check "check() includes seprov by default when the host has /etc/selinux/config" \
            included "$work/default.img" seprov
    fi
    if [ -d /etc/selinux ]; then
        mount -t tmpfs tmpfs /etc/selinux
    fi
    build_initrd "$work/no-selinux.img" --omit "${omit[*]}"
    check "check() leaves seprov out by default without an SELinux config" \
        bash -c "! grep -q 'Including module: seprov ' '$work/no-selinux.img.log'"
    build_initrd "$work/asked.img" --omit "${omit[*]}" --add seprov
    check "check() includes seprov when asked, without an SELinux config" included "$work/asked.img" seprov

    tap_finish
}

if [ "${INNER:-}" = 1 ]; then
    inner
    exit
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: needs root"
    exit 77
fi
for tool in dracut:dracut-core lsinitrd:dracut-core unshare:util-linux; do
    if ! command -v "${tool%%:*}" > /dev/null; then
        echo "skipped: needs ${tool%%:*} (Debian package ${tool#*:})"
        exit 77
    fi
done
kver=$(find /lib/modules -mindepth 2 -maxdepth 2 -name modules.dep -printf '%h\n' 2>/dev/null | sort -V | tail -n 1)
kver=${kver##*/}
if [ -z "$kver" ]; then
    echo "skipped: no installed kernel (linux-image-amd64)"
    exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/seprov-dracut.XXXXXX")
dest=$work/dest
trap 'rm -rf "$work"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet > "$work/install.log" 2>&1 || {
    cat "$work/install.log"
    exit 1
}
echo "# kernel $kver"
export INNER=1 work dest kver
unshare --mount --propagation private "$0" "$@"
