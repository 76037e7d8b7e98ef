# shellcheck shell=bash
# image.sh: builds the machine under test from Debian packages: Flatcar's shape, labelled, with its initrd.
#
# Three cached layers under $VM_DIR, each rebuilt only when its inputs change:
#   base-KEY.tar     mmdebstrap of tests/vm/guest-packages (KEY: package list, apt sources, mmdebstrap
#                    and its invocation); the .debs stay in debs/ so a rebuild downloads nothing.
#   seprov           the Debian package of the source tree (tests/package/build-deb.sh keeps it in the
#                    build directory's tests/package/deb/, shared with the package suite), installed with
#                    dpkg -i; or, with SEPROV_VM_FROM=build, a meson install of a release build
#                    (seprov-release/, no sanitizers: it runs at boot, in the initrd).
#   image-LAYOUT/    root.img (/, /etc, /var), usr.img (/usr), vmlinuz, initrd.img and a KEY file, written
#                    last, naming the inputs they were built from (base, this file, guest/, update/, the
#                    .deb or the staged install of seprov, the layout); for the legacy layout also
#                    usr-updated.img, the /usr of an OS update of that image (vm_update_policy).

# Kernel arguments every boot gets: serial console, Flatcar's split /usr, SELinux on, Ignition on qemu,
# and systemd's start timeouts (the disks' device units among them) raised from 90 s to 600 s: under
# software emulation on a loaded host, /dev/disk/by-label/USR was seen to appear after 200 s, and the
# initrd gave up on it and entered emergency mode. A real machine never waits that long either way.
# shellcheck disable=SC2034  # used by qemu.sh
VM_KARGS_BASE="console=ttyS0,115200 panic=-1 root=LABEL=ROOT rw mount.usr=LABEL=USR mount.usrfstype=ext4 \
mount.usrflags=ro security=selinux selinux=1 ignition.platform.id=qemu systemd.default_timeout_start_sec=600"

vm_guest_packages() {
        sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$VM_HARNESS/guest-packages" | paste -sd, -
}

vm_sha() {
        sha256sum | cut -c1-16
}

# Stage 1: the Debian system, straight from the host's apt sources. Prints the tarball's path.
vm_base_tar() {
        local sources key tar debs="$VM_DIR/debs"
        sources=$(vm_apt_sources)
        [[ -n $sources ]] || vm_die "no '$(vm_codename)' entries in the host's apt sources"
        key=$( { vm_guest_packages; echo "$sources"; mmdebstrap --version; declare -f vm_base_tar; } | vm_sha)
        tar="$VM_DIR/base-$key.tar"
        if [[ -s $tar && -z ${SEPROV_VM_REBUILD:-} ]]; then
                echo "$tar"
                return 0
        fi
        vm_log "building the Debian base with mmdebstrap (log: $VM_DIR/mmdebstrap.log)"
        rm -rf "$VM_DIR"/base-*.tar "$VM_DIR/tmp"
        mkdir -p "$debs" "$VM_DIR/tmp"
        local -a srcargs=()
        mapfile -t srcargs <<<"$sources"
        # Keep the downloaded .debs in the build directory (mmdebstrap's documented cache recipe).
        # shellcheck disable=SC2016  # the hooks' $1 is expanded by mmdebstrap
        # INITRD=No: the kernel package would build a host-style initrd we never use (Debian's
        # kernel hook honours it); the harness builds its own below.
        vm_timed "mmdebstrap ($(vm_codename), minbase)" vm_logged "$VM_DIR/mmdebstrap.log" \
                env INITRD=No TMPDIR="$VM_DIR/tmp" mmdebstrap --variant=minbase --include="$(vm_guest_packages)" \
                --aptopt='APT::Install-Recommends "false"' \
                --skip=download/empty \
                --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
                --setup-hook="sync-in '$debs' /var/cache/apt/archives/" \
                --customize-hook="sync-out /var/cache/apt/archives '$debs'" \
                --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
                "$(vm_codename)" "${tar%.tar}.tmp.tar" "${srcargs[@]}" || vm_die "mmdebstrap failed"
        mv "${tar%.tar}.tmp.tar" "$tar"
        echo "$tar"
}

# Where the image's seprov comes from, SEPROV_VM_FROM: 'package' (the default) installs the Debian
# package built from this tree, so the boot tests prove what a distribution ships; 'build' copies a
# meson install in (the development path: an incremental build, no package build), of the build
# directory $SEPROV_VM_SEPROV_BUILD when set (which implies 'build'), else of a release build.
vm_seprov_from() {
        local from=${SEPROV_VM_FROM:-}
        if [[ -n ${SEPROV_VM_SEPROV_BUILD:-} ]]; then
                [[ ${from:-build} == build ]] ||
                        vm_die "SEPROV_VM_SEPROV_BUILD installs a build directory: it needs SEPROV_VM_FROM=build, not '$from'"
                from=build
        fi
        case ${from:=package} in
        package | build) echo "$from" ;;
        *) vm_die "SEPROV_VM_FROM=$from: expected package or build" ;;
        esac
}

# The Debian package of this tree, built (or reused while the tree is unchanged) in the place the
# package suite uses, so that one run builds it once. Prints the .deb's path.
vm_seprov_deb() {
        "$VM_SRCDIR/tests/package/build-deb.sh" "$VM_SRCDIR" "$VM_BUILDDIR/tests/package/deb" ||
                vm_die "building the Debian package failed"
}

# The seprov build to install: $SEPROV_VM_SEPROV_BUILD if given (its prefix should be /usr), else a
# release build of this source tree kept in $VM_DIR/seprov-release. Prints the staging directory.
vm_seprov_stage() {
        local build=${SEPROV_VM_SEPROV_BUILD:-$VM_DIR/seprov-release} stage=$VM_DIR/seprov-stage
        if [[ -z ${SEPROV_VM_SEPROV_BUILD:-} && ! -f $build/build.ninja ]]; then
                vm_logged "$VM_DIR/seprov-release-setup.log" meson setup --prefix=/usr --buildtype=release \
                        -Db_sanitize=none -Dwerror=false "$build" "$VM_SRCDIR" || vm_die "meson setup of $build failed"
        fi
        [[ -n ${SEPROV_VM_SEPROV_BUILD:-} ]] ||
                vm_logged "$VM_DIR/seprov-release.log" ninja -C "$build" -j2 || vm_die "building $build failed"
        rm -rf "$stage"
        vm_logged "$VM_DIR/seprov-install.log" env DESTDIR="$stage" meson install -C "$build" --no-rebuild ||
                vm_die "meson install of $build failed"
        echo "$stage"
}

# What the image key knows of seprov: the .deb's bytes, or the staged install's files.
vm_seprov_fingerprint() {
        local from=$1 seprov=$2
        if [[ $from == package ]]; then
                cat "$seprov"
        else
                tar -C "$seprov" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - .
        fi
}

# Installs seprov into the image tree: the package with the image's own dpkg (its Depends must
# already be in the image: tests/vm/guest-packages), or a copy of the staged install. Tar keeps the
# tree's usr-merge symlinks (/lib -> usr/lib ...) instead of replacing them with the directories a
# staged path may contain; dpkg follows them itself.
vm_install_seprov() {
        local from=$1 seprov=$2 tree=$3 log=$4
        if [[ $from == package ]]; then
                cp "$seprov" "$tree/var/tmp/seprov.deb"
                vm_logged "$log" vm_chroot "$tree" dpkg -i /var/tmp/seprov.deb || vm_die "dpkg -i of $seprov failed"
                rm "$tree/var/tmp/seprov.deb"
        else
                tar -C "$seprov" -cf - . | tar -C "$tree" -xf - --keep-directory-symlink --no-same-owner
        fi
}

# The harness's own guest side: the report unit, enabled from /usr like a vendor unit.
vm_install_guest() {
        local tree=$1
        install -D -m 0755 "$VM_HARNESS/guest/seprov-vm-report" "$tree/usr/lib/seprov-vm/seprov-vm-report"
        install -D -m 0644 "$VM_HARNESS/guest/seprov-vm-report.service" \
                "$tree/usr/lib/systemd/system/seprov-vm-report.service"
        mkdir -p "$tree/usr/lib/systemd/system/multi-user.target.wants"
        ln -sf ../seprov-vm-report.service "$tree/usr/lib/systemd/system/multi-user.target.wants/"
}

# Flatcar's audit rules (docs/ARCHITECTURE.md, "Layouts"), in place of Debian's; augenrules loads them at auditd start.
vm_audit_rules() {
        local d=$1/etc/audit/rules.d
        rm -f "$d"/*.rules
        printf '%s\n' '-D' >"$d/00-clear.rules"
        printf '%s\n' '-a exclude,never -F msgtype>=1400 -F msgtype<=1499' >"$d/80-selinux.rules"
        printf '%s\n' '-a exclude,never -F msgtype=CONFIG_CHANGE' '-a exclude,always -F msgtype>0' \
                >"$d/99-default.rules"
        chmod 0640 "$d"/*.rules
}

# Small settings of the machine: name, empty fstab (the initrd mounts / and /usr from the kernel
# command line), persistent journal, root without password on the serial console, multi-user.target.
vm_configure() {
        local tree=$1
        echo seprov-vm >"$tree/etc/hostname"
        echo "# / and /usr are mounted by the initrd from root= and mount.usr=." >"$tree/etc/fstab"
        mkdir -p "$tree/var/log/journal"
        chroot "$tree" passwd -q -d root
        ln -sf /usr/lib/systemd/system/multi-user.target "$tree/etc/systemd/system/default.target"
        vm_audit_rules "$tree"
}

vm_selinux_config() {
        printf '%s\n' '# The image ships permissive; seprov makes the requested mode persistent.' \
                'SELINUX=permissive' 'SELINUXTYPE=default'
}

# The store moves under /usr in every layout, reached through /var/lib/selinux (tmpfiles 'L' on Flatcar).
vm_layout_store() {
        local tree=$1
        mkdir -p "$tree/usr/lib/selinux/policy"
        mv "$tree"/var/lib/selinux/* "$tree/usr/lib/selinux/policy/"
        rmdir "$tree/var/lib/selinux"
        ln -s ../../usr/lib/selinux/policy "$tree/var/lib/selinux"
}

# Flatcar before ~3745: config and compiled policy live in /usr; /etc/selinux links to them.
vm_layout_legacy() {
        local tree=$1
        vm_layout_store "$tree"
        mv "$tree/etc/selinux/default" "$tree/usr/lib/selinux/default"
        ln -s ../../usr/lib/selinux/default "$tree/etc/selinux/default"
        vm_selinux_config >"$tree/usr/lib/selinux/config"
        rm -f "$tree/etc/selinux/config"
        ln -s ../../usr/lib/selinux/config "$tree/etc/selinux/config"
}

# Current Flatcar: /etc/selinux holds real files; /usr/lib/selinux keeps compat links to them.
vm_layout_current() {
        local tree=$1
        vm_layout_store "$tree"
        vm_selinux_config >"$tree/etc/selinux/config"
        ln -s ../../../etc/selinux/config "$tree/usr/lib/selinux/config"
        ln -s ../../../etc/selinux/default "$tree/usr/lib/selinux/default"
}

vm_kernel_version() {
        local tree=$1 kvers=()
        mapfile -t kvers < <(ls "$tree/usr/lib/modules")
        ((${#kvers[@]} == 1)) || vm_die "expected one kernel in the image, found: ${kvers[*]}"
        echo "${kvers[0]}"
}

# vm_chroot TREE COMMAND...: runs COMMAND inside the image tree with /proc, /sys, /dev, /tmp and /run
# mounted in a private mount namespace, so the mounts vanish with the command, whatever happens.
vm_chroot() {
        # shellcheck disable=SC2016  # expanded by the inner shell
        unshare --mount --propagation private -- bash -euc '
                tree=$1; shift
                mount -t proc proc "$tree/proc"
                mount --rbind /sys "$tree/sys"
                mount --rbind /dev "$tree/dev"
                mount -t tmpfs tmpfs "$tree/tmp"
                mount -t tmpfs tmpfs "$tree/run"
                exec chroot "$tree" "$@"' _ "$@"
}

# Debian's dracut, run inside the image: a generic initrd (like a distribution's, not tied to this
# machine) with systemd and Ignition, plus the seprov module when the source tree has one. lz4:
# a full generic initrd compresses to a third, and lz4 unpacks fast even under emulation.
vm_initrd() {
        local tree=$1 out=$2 kver modules="systemd ignition"
        kver=$(vm_kernel_version "$tree")
        [[ -d $VM_SRCDIR/dracut-module ]] && modules+=" seprov"
        vm_logged "$out/dracut.log" vm_chroot "$tree" dracut --force --no-hostonly --compress "lz4 -l" \
                --add "$modules" --add-drivers "qemu_fw_cfg ext4" /var/tmp/initrd.img "$kver" ||
                vm_die "dracut failed"
        # dracut skips a module named with --add whose check() fails, with only a log line to say so.
        [[ $modules != *seprov* ]] || grep -q 'Including module: seprov' "$out/dracut.log" ||
                vm_die "dracut did not include the seprov module (log: $out/dracut.log)"
        mv "$tree/var/tmp/initrd.img" "$out/initrd.img"
        cp "$tree/boot/vmlinuz-$kver" "$out/vmlinuz"
}

# Labels both filesystems from the image's own file_contexts (the host kernel has no SELinux, but
# writes security.selinux xattrs all the same); -c checks every context against the image's policy.
vm_label() {
        local tree=$1 policy=$1/etc/selinux/default
        vm_logged "$tree.setfiles.log" setfiles -F -r "$tree" -c "$(ls "$policy"/policy/policy.*)" \
                "$policy/contexts/files/file_contexts" "$tree" || vm_die "setfiles failed"
}

# Size in MiB for a filesystem holding DIR: its contents plus room for metadata and writes.
vm_fs_size() {
        local mib
        mib=$(du -sm --apparent-size "$1" | cut -f1)
        echo $((mib * 13 / 10 + $2))
}

# vm_mkfs_usr DIR IMG: the USR filesystem holding DIR's contents.
vm_mkfs_usr() {
        rm -f "$2"
        truncate -s "$(vm_fs_size "$1" 64)M" "$2"
        mkfs.ext4 -q -F -L USR -d "$1" "$2"
}

# Splits the tree into the two disks: /usr alone on USR, everything else on ROOT. mkfs.ext4 -d copies
# the security.selinux xattrs along with the files. The tree is whole again afterwards.
vm_mkfs() {
        local tree=$1 out=$2 usr=$1.usr label
        mv "$tree/usr" "$usr"
        mkdir "$tree/usr"
        label=$(getfattr --absolute-names --only-values -n security.selinux "$usr" | tr -d '\0')
        setfattr -n security.selinux -v "$label" "$tree/usr"
        vm_mkfs_usr "$usr" "$out/usr.img"
        rm -f "$out/root.img"
        truncate -s 2048M "$out/root.img"
        mkfs.ext4 -q -F -L ROOT -d "$tree" "$out/root.img"
        rmdir "$tree/usr"
        mv "$usr" "$tree/usr"
}

# The policy of the updated image, changed the way a distribution's update changes it, with the
# image's own semodule in the chroot on the image's store (usr.img is already made from it), in one
# transaction that writes the new compiled policy and file_contexts where the layout keeps them
# (legacy: /usr/lib/selinux/default, through /etc/selinux/default):
#   - a module the old image lacks: seprovupdate (update/seprovupdate.cil), a type and its filecon;
#   - a module changed: Debian's rsync, as semodule exports it, with update/rsync-added.cil's rule
#     (rsync_t gets sys_nice) and filecon (/srv/seprov-rsync), and the default of its boolean
#     rsync_client turned from false to true;
#   - a type removed: Debian's games module is removed, and games_t with it.
# os-release gets IMAGE_VERSION=2, as a real update changes os-release.
vm_update_policy() {
        local tree=$1 work=/var/tmp/seprov-update
        mkdir -p "$tree$work"
        cp "$VM_HARNESS/update/seprovupdate.cil" "$tree$work/"
        vm_chroot "$tree" sh -c "cd $work && semodule --cil -E rsync" >&2 || vm_die "semodule -E rsync failed"
        grep -qx '(boolean rsync_client false)' "$tree$work/rsync.cil" ||
                vm_die "the exported rsync module does not declare rsync_client false"
        sed -i 's/^(boolean rsync_client false)$/(boolean rsync_client true)/' "$tree$work/rsync.cil"
        cat "$VM_HARNESS/update/rsync-added.cil" >>"$tree$work/rsync.cil"
        vm_logged "$tree.update.log" vm_chroot "$tree" semodule -n -X 100 -i "$work/seprovupdate.cil" \
                -i "$work/rsync.cil" -r games || vm_die "semodule failed to build the updated policy"
        rm -rf "${tree:?}$work"
        echo "IMAGE_VERSION=2" >>"$tree/usr/lib/os-release"
}

# The updated image's /usr, usr-updated.img: the tree's /usr after vm_update_policy, labelled from
# its new file_contexts like the first (vm_label). What the update changes outside /usr (the current
# layout's compiled policy in /etc) stays out of it, as with a real A/B update.
vm_mkfs_usr_updated() {
        local tree=$1 out=$2 policy=$1/etc/selinux/default
        vm_update_policy "$tree"
        vm_logged "$tree.setfiles-updated.log" setfiles -F -r "$tree" -c "$(ls "$policy"/policy/policy.*)" \
                "$policy/contexts/files/file_contexts" "$tree/usr" || vm_die "setfiles of the updated /usr failed"
        vm_mkfs_usr "$tree/usr" "$out/usr-updated.img"
}

# Builds the image for LAYOUT (legacy|current) unless one built from the same inputs is there.
# Prints the image directory.
vm_image_build() {
        local layout=$1 base from seprov key dir tree
        declare -F "vm_layout_$layout" >/dev/null || vm_die "unknown layout '$layout' (legacy, current)"
        base=$(vm_base_tar)
        from=$(vm_seprov_from)
        if [[ $from == package ]]; then
                seprov=$(vm_timed "seprov Debian package (built, or reused while the tree is unchanged)" vm_seprov_deb)
        else
                seprov=$(vm_timed "seprov release build and install" vm_seprov_stage)
        fi
        key=$( {
                echo "$layout"
                basename "$base"
                cat "$VM_HARNESS/image.sh" "$VM_HARNESS"/guest/* "$VM_HARNESS"/update/*
                [[ -d $VM_SRCDIR/dracut-module ]] && echo "with dracut-module"
                echo "seprov from $from"
                vm_seprov_fingerprint "$from" "$seprov"
        } | vm_sha)
        dir=$VM_DIR/image-$layout
        if [[ -f $dir/KEY && $(<"$dir/KEY") == "$key" && -z ${SEPROV_VM_REBUILD:-} ]]; then
                vm_log "image '$layout' is up to date ($dir)"
                echo "$dir"
                return 0
        fi
        vm_log "building image '$layout' in $dir (seprov from $from: $seprov)"
        rm -rf "$dir"
        mkdir -p "$dir"
        tree=$dir/tree
        mkdir "$tree"
        vm_timed "unpack Debian base" tar -C "$tree" -xpf "$base" --numeric-owner
        vm_timed "install seprov ($from)" vm_install_seprov "$from" "$seprov" "$tree" "$dir/seprov-install.log"
        vm_install_guest "$tree"
        vm_configure "$tree"
        "vm_layout_$layout" "$tree"
        vm_timed "initrd (dracut in the image)" vm_initrd "$tree" "$dir"
        vm_timed "label (setfiles)" vm_label "$tree"
        vm_timed "filesystems (mkfs.ext4 -d)" vm_mkfs "$tree" "$dir"
        # The OS update the update scenario applies (qemu.sh, vm_update_usr), for its layout only.
        [[ $layout != legacy ]] ||
                vm_timed "updated /usr (semodule in the chroot, setfiles, mkfs.ext4 -d)" vm_mkfs_usr_updated "$tree" "$dir"
        rm -rf "$tree"
        echo "$key" >"$dir/KEY"
        echo "$dir"
}

vm_image() {
        vm_locked vm_image_build "$@"
}
