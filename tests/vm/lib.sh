# shellcheck shell=bash
# lib.sh: paths, logging, locking and the host's apt sources, shared by the boot-test scripts.

# Where things are. The meson test wiring sets these; by hand they default to the usual places.
# shellcheck disable=SC2034  # read by the scripts that source this file
VM_SRCDIR=${SEPROV_VM_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VM_HARNESS="$VM_SRCDIR/tests/vm"
VM_BUILDDIR=${SEPROV_VM_BUILDDIR:-$VM_SRCDIR/build}
VM_DIR=${SEPROV_VM_DIR:-$VM_BUILDDIR/tests/vm}

vm_log() {
        printf '[vm %s] %s\n' "$(date +%T)" "$*" >&2
}

vm_die() {
        printf '[vm %s] ERROR: %s\n' "$(date +%T)" "$*" >&2
        exit 1
}

# Exit code meson reads as "skipped".
vm_skip() {
        printf '[vm] SKIP: %s\n' "$*" >&2
        exit 77
}

# Seconds since the epoch, for the step timings the README and the reports quote.
vm_now() {
        date +%s
}

# Runs "$@" and logs how long it took, so every step's cost shows in the test output. Not a
# condition (no "|| ..."): errexit must stay in force inside the step.
vm_timed() {
        local what=$1 start
        shift
        start=$(vm_now)
        "$@"
        vm_log "$what: $(($(vm_now) - start)) s"
}

# Runs "$@" while holding the harness lock, so two scenarios never build the same image at once.
vm_locked() {
        local fd
        mkdir -p "$VM_DIR"
        exec {fd}>"$VM_DIR/lock"
        flock "$fd"
        "$@"
        exec {fd}>&-
}

# Host tools the harness needs; a missing one skips the suite rather than failing it.
vm_check_host() {
        local tool missing=()
        local -a tools=(qemu-system-x86_64 qemu-img mmdebstrap mkfs.ext4 setfiles getfattr setfattr flock unshare)
        # The image installs the Debian package of the tree unless told to install a build (image.sh).
        [[ $(vm_seprov_from) == build ]] || tools+=(dpkg-buildpackage dh)
        for tool in "${tools[@]}"; do
                command -v "$tool" >/dev/null || missing+=("$tool")
        done
        ((${#missing[@]} == 0)) || vm_skip "missing host tools: ${missing[*]} (tools/install-deps installs them)"
        ((EUID == 0)) || vm_skip "the image build needs root (chroot, device nodes, security.* xattrs)"
}

# The host's release codename: the guest is built from the same release the host runs.
vm_codename() {
        # shellcheck source=/dev/null
        (. /etc/os-release && echo "${VERSION_CODENAME:?}")
}

# Prints the host's own apt sources for its release as one-line "deb URI SUITE COMPONENTS" entries,
# from deb822 *.sources files and one-line *.list files alike. No archive host name lives in the repo.
vm_apt_sources() {
        local codename f files=()
        codename=$(vm_codename)
        shopt -s nullglob
        files=(/etc/apt/sources.list.d/*.sources)
        shopt -u nullglob
        if ((${#files[@]})); then
                awk -v rel="$codename" '
                        function flush(  i, j, nu, ns, u, s) {
                                if (deb && enabled && uris != "" && suites != "") {
                                        nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
                                        for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++)
                                                if (s[j] == rel || index(s[j], rel "-") == 1)
                                                        print "deb " u[i] " " s[j] " " comps
                                }
                                deb = 0; enabled = 1; uris = ""; suites = ""; comps = "main"
                        }
                        BEGIN { enabled = 1; comps = "main" }
                        /^[ \t]*$/ { flush(); next }
                        /^#/ { next }
                        /^Types:/ { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
                        /^Enabled:[ \t]*(no|false|0)/ { enabled = 0 }
                        /^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
                        /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
                        /^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
                        END { flush() }' "${files[@]}"
        fi
        files=()
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
                [[ -f $f ]] && files+=("$f")
        done
        ((${#files[@]})) || return 0
        # One-line format; options in [brackets] are dropped (the guest uses the default keyring).
        sed -E -n 's/^[ \t]*deb[ \t]+(\[[^]]*\][ \t]+)?//p' "${files[@]}" |
                awk -v rel="$codename" '$2 == rel || index($2, rel "-") == 1 { print "deb " $0 }'
}

# Runs "$@" with its output going to LOG; when it fails, shows the end of LOG.
vm_logged() {
        local log=$1
        shift
        "$@" >"$log" 2>&1 && return 0
        tail -n 40 "$log" >&2
        vm_log "failed: $1 (full log: $log)"
        return 1
}
