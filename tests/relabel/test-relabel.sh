#!/bin/bash
# The relabel engine and action on fixture roots of every layout, against setfiles on the same tree:
# the same paths changed, to the same labels; a tmpfs mounted inside the root (in a private mount
# namespace) left alone; dry runs change nothing; the targeted relabel after a file_contexts.local
# rule changes exactly what setfiles changes for the whole tree; the triggers (/.autorelabel,
# autorelabel on the kernel command line, a mode change from disabled) relabel and are consumed;
# a relabel killed half-way (SIGKILL injected by strace) is finished by the next apply.
#   test-relabel.sh SEPROV RELABEL_RUN
set -euo pipefail
seprov=$(realpath "${1:?usage: test-relabel.sh SEPROV RELABEL_RUN}")
run=$(realpath "${2:?usage: test-relabel.sh SEPROV RELABEL_RUN}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/tap.sh
. "$here/../tap.sh"
# shellcheck source=tests/crash/lib.sh
. "$here/../crash/lib.sh"

[ "$(id -u)" = 0 ] || { echo "needs root (xattrs, mount namespaces)"; exit 77; }
command -v setfiles >/dev/null || { echo "needs setfiles (policycoreutils)"; exit 77; }
work=$(mktemp -d /dev/shm/seprov-relabel.XXXXXX)
trap 'rm -rf "$work"' EXIT
export SYSTEMD_PROC_CMDLINE="" TMPDIR=$work
fc=/etc/selinux/default/contexts/files/file_contexts

label() { getfattr --absolute-names --only-values -h -n security.selinux "$1" 2>/dev/null | tr -d '\0'; }
setlabel() { setfattr -h -n security.selinux -v "$2" "$1"; }
# Every path's label under ROOT, sorted: what a dry run must leave as it was.
labels() { (cd "$1" && getfattr -R -h -P -d -m security.selinux . 2>/dev/null) | sort; }
# What setfiles would change under ROOT: "PATH FROM TO", sorted (FROM "-" for none).
setfiles_plan() {
    setfiles -F -n -v -r "$1" "$1$fc" "$1" 2>&1 |
        sed -n -E "s|^Would relabel $1(/[^ ]*) from ([^ ]*) to ([^ ]*)$|\1 \2 \3|p" |
        sed -E 's/ \(null\) / - /; s|^ |/ |' | sort
}
# Mislabels a few files the way a system that ran without SELinux leaves them.
mislabel() {
    mkdir -p "$1/opt/myapp/bin" "$1/srv/data" "$1/var/lib/app"
    echo x >"$1/opt/myapp/bin/tool"
    echo y >"$1/srv/data/file"
    echo z >"$1/var/lib/app/state"
    ln -sf /etc/passwd "$1/var/lib/app/link"
    setlabel "$1/etc/selinux/config" system_u:object_r:tmp_t:s0
    setfattr -h -x security.selinux "$1/etc/selinux/default/policy/policy.33" 2>/dev/null || true
}

for layout in plain flatcar-current flatcar-legacy; do
    root=$work/$layout
    "$here/../fixtures/make-root.sh" "$layout" "$root" >/dev/null
    mislabel "$root"
    want=$(setfiles_plan "$root")
    check "$layout: the fixture has files to relabel" test -n "$want"
    before=$(labels "$root")
    got=$("$run" --root="$root" --dry-run full 2>/dev/null | sort)
    check "$layout: the dry run lists what setfiles would change" test "$got" = "$want"
    check "$layout: the dry run changed nothing" test "$(labels "$root")" = "$before"
    "$run" --root="$root" --quiet full 2>"$work/stats"
    check "$layout: the relabel left nothing for setfiles to change" test -z "$(setfiles_plan "$root")"
    check "$layout: the wrong label is right after" \
        test "$(label "$root/etc/selinux/config")" = system_u:object_r:selinux_config_t:s0
    again=$("$run" --root="$root" full 2>/dev/null)
    check "$layout: a second relabel changes nothing" test -z "$again"
done

root=$work/plain
# Another filesystem inside the root: a tmpfs in a private mount namespace is not entered.
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private -- bash -c '
    set -e
    mkdir -p "$1/mnt/scratch"
    mount -t tmpfs tmpfs "$1/mnt/scratch"
    echo t >"$1/mnt/scratch/file"
    setfattr -h -n security.selinux -v system_u:object_r:etc_t:s0 "$1/mnt/scratch/file"
    setfattr -h -n security.selinux -v system_u:object_r:tmp_t:s0 "$1/etc/selinux/config"
    "$2" --root="$1" full >"$3/mounted.out" 2>"$3/mounted.err"
    getfattr --absolute-names --only-values -h -n security.selinux "$1/mnt/scratch/file" | tr -d "\0" >"$3/mounted.label"
    umount "$1/mnt/scratch"
' _ "$root" "$run" "$work"
check "tmpfs: the file on it kept its label" test "$(cat "$work/mounted.label")" = system_u:object_r:etc_t:s0
check "tmpfs: nothing under it was listed" test -z "$(grep '^/mnt/scratch' "$work/mounted.out" || true)"
check "tmpfs: the walk says it skipped a mount" grep -q 'skipped-mounts=1 ' "$work/mounted.err"
check "tmpfs: the root's own file was relabelled" grep -q '^/etc/selinux/config ' "$work/mounted.out"

# The targeted relabel: a rule in file_contexts.local, then only what it reaches.
mkdir -p "$root/opt/myapp/lib" "$root/opt/other"
touch "$root/opt/myapp/lib/x.so" "$root/opt/other/y"
# The files the tests write rules into exist, labelled, before: appending keeps their labels.
touch "$root/etc/selinux/default/contexts/files/file_contexts."{local,subs}
"$run" --root="$root" --quiet full 2>/dev/null
setlabel "$root/opt/other/y" system_u:object_r:tmp_t:s0 # mislabelled, and outside what the rule reaches
echo '/opt/myapp/bin(/.*)?    system_u:object_r:etc_t:s0' >>"$root/etc/selinux/default/contexts/files/file_contexts.local"
want=$(setfiles_plan "$root" | grep -v '^/opt/other/')
got=$("$run" --root="$root" targeted '/opt/myapp/bin(/.*)?' 2>"$work/targeted.err" | sort)
check "targeted: changes what setfiles changes under the rule" test -n "$got" -a "$got" = "$want"
check "targeted: the rule's files got its type" test "$(label "$root/opt/myapp/bin/tool")" = system_u:object_r:etc_t:s0
check "targeted: a mislabelled file elsewhere is not walked" test "$(label "$root/opt/other/y")" = system_u:object_r:tmp_t:s0
files=$(sed -n -E 's/.*files=([0-9]+) .*/\1/p' "$work/targeted.err")
check "targeted: walked the rule's subtree only ($files files)" test "$files" -lt 5
# An equivalence of the policy: a rule for /var/www also reaches /srv/www (file_contexts.subs).
mkdir -p "$root/srv/www/html" "$root/var/www"
echo '/srv/www /var/www' >>"$root/etc/selinux/default/contexts/files/file_contexts.subs"
"$run" --root="$root" --quiet subtrees /srv /var 2>/dev/null
check "targeted: the fixture's /srv/www/html is not yet the rule's" test "$(label "$root/srv/www/html")" != system_u:object_r:etc_t:s0
echo '/var/www/html(/.*)?    system_u:object_r:etc_t:s0' >>"$root/etc/selinux/default/contexts/files/file_contexts.local"
want=$(setfiles_plan "$root" | grep -v '^/opt/other/')
got=$("$run" --root="$root" targeted '/var/www/html(/.*)?' 2>/dev/null | sort)
check "targeted: through an equivalence, the alias's files are relabelled" test -n "$got" -a "$got" = "$want"
check "targeted: /srv/www/html has the rule's type" \
    test "$(label "$root/srv/www/html")" = system_u:object_r:etc_t:s0

# The triggers, through seprov apply.
"$run" --root="$root" --quiet full 2>/dev/null
setlabel "$root/etc/selinux/config" system_u:object_r:tmp_t:s0
touch "$root/.autorelabel"
before=$(labels "$root")
"$seprov" apply --root="$root" --dry-run >"$work/dry.out" 2>"$work/dry.err"
check "apply --dry-run: lists the path" grep -q 'Would relabel /etc/selinux/config from system_u:object_r:tmp_t:s0' "$work/dry.err"
check "apply --dry-run: changed nothing" test "$(labels "$root")" = "$before"
check "apply --dry-run: /.autorelabel stays" test -e "$root/.autorelabel"
"$seprov" apply --root="$root" >"$work/apply.out" 2>&1
check "/.autorelabel: relabelled" test "$(label "$root/etc/selinux/config")" = system_u:object_r:selinux_config_t:s0
check "/.autorelabel: removed" test ! -e "$root/.autorelabel"
check "/.autorelabel: the report says what and how long" grep -q 'relabel: relabelled [0-9]* of [0-9]* files .* in [0-9.]* s' "$work/apply.out"
check "/.autorelabel: no record left" test ! -e "$root/var/lib/seprov/relabel-pending"
"$seprov" apply --root="$root" >"$work/again.out" 2>&1
check "/.autorelabel: the next apply has nothing to do" grep -q 'nothing to do' "$work/again.out"

setlabel "$root/etc/selinux/config" system_u:object_r:tmp_t:s0
SYSTEMD_PROC_CMDLINE="autorelabel" "$seprov" apply --root="$root" >"$work/cmd.out" 2>&1
check "autorelabel, system stage: not a trigger there" test "$(label "$root/etc/selinux/config")" = system_u:object_r:tmp_t:s0
SYSTEMD_PROC_CMDLINE="autorelabel" SEPROV_RUNTIME_DIR=$work/run "$seprov" apply --root="$root" --stage=initrd >"$work/cmd.out" 2>&1
check "autorelabel, initrd stage: relabelled" test "$(label "$root/etc/selinux/config")" = system_u:object_r:selinux_config_t:s0

# A mode change from disabled relabels before the mode is written.
sed -i 's/^SELINUX=.*/SELINUX=disabled/' "$root/etc/selinux/config"
setlabel "$root/var/lib/app/state" system_u:object_r:tmp_t:s0
mkdir -p "$root/etc/seprov/config.d"
echo '{"version": "1.0.0", "selinux": {"mode": "permissive"}}' >"$root/etc/seprov/config.d/50-mode.json"
"$seprov" apply --root="$root" >"$work/mode.out" 2>&1 || true
check "disabled -> permissive: relabelled" test "$(label "$root/var/lib/app/state")" = system_u:object_r:var_lib_t:s0
check "disabled -> permissive: the mode is written" grep -q '^SELINUX=permissive' "$root/etc/selinux/config"
check "disabled -> permissive: the report names why" grep -q 'the mode changes from disabled' "$work/mode.out"
rm "$root/etc/seprov/config.d/50-mode.json"

# Crash: a relabel killed at its fifth label write is finished by the next apply.
for n in 1 5; do
    "$run" --root="$root" --quiet full 2>/dev/null
    for f in "$root"/etc/selinux/default/contexts/* "$root"/etc/selinux/default/contexts/files/*; do setlabel "$f" system_u:object_r:tmp_t:s0; done
    touch "$root/.autorelabel"
    rc=0
    crash_inject "$work/crash.log" signal=KILL lsetxattr "$n" "$seprov" apply --root="$root" >/dev/null 2>&1 || rc=$?
    check "crash at lsetxattr $n: killed" test "$rc" = 137
    check "crash at lsetxattr $n: the injection fired" crash_fired "$work/crash.log" signal=KILL
    check "crash at lsetxattr $n: the record says full" grep -qx full "$root/var/lib/seprov/relabel-pending"
    check "crash at lsetxattr $n: some labels are still wrong" test -n "$(setfiles_plan "$root")"
    "$seprov" apply --root="$root" >"$work/rerun.out" 2>&1
    check "crash at lsetxattr $n: the rerun finished it" test -z "$(setfiles_plan "$root")"
    check "crash at lsetxattr $n: the rerun says why" grep -q 'a relabel an earlier apply did not finish' "$work/rerun.out"
    check "crash at lsetxattr $n: record and trigger gone" test ! -e "$root/var/lib/seprov/relabel-pending" -a ! -e "$root/.autorelabel"
done

# Wired to the config: an apply that adds a fileContexts rule relabels what it reaches, and the apply
# that drops the rule relabels it back (a fresh root, whose store is writable).
root=$work/wired
"$here/../fixtures/make-root.sh" plain "$root" >/dev/null
mkdir -p "$root/opt/wired/bin" "$root/opt/elsewhere"
touch "$root/opt/wired/bin/tool" "$root/opt/elsewhere/file"
"$run" --root="$root" --quiet full 2>/dev/null
setlabel "$root/opt/elsewhere/file" system_u:object_r:tmp_t:s0 # outside the rule: not walked
mkdir -p "$root/etc/seprov/config.d"
echo '{"version": "1.0.0", "selinux": {"store": "writable", "fileContexts": [{"path": "/opt/wired(/.*)?", "type": "etc_t"}]}}' \
    >"$root/etc/seprov/config.d/50-fc.json"
"$seprov" apply --root="$root" >"$work/wired.out" 2>&1 || true
check "fileContexts: the rule's file is relabelled by the same apply" \
    test "$(label "$root/opt/wired/bin/tool")" = system_u:object_r:etc_t:s0
check "fileContexts: the report says why" grep -q 'file contexts changed' "$work/wired.out"
check "fileContexts: a mislabelled file outside the rule is not walked" \
    test "$(label "$root/opt/elsewhere/file")" = system_u:object_r:tmp_t:s0
echo '{"version": "1.0.0", "selinux": {"store": "writable"}}' >"$root/etc/seprov/config.d/50-fc.json"
"$seprov" apply --root="$root" >"$work/unwired.out" 2>&1 || true
check "fileContexts removed: the file is relabelled back" \
    test "$(label "$root/opt/wired/bin/tool")" != system_u:object_r:etc_t:s0
check "fileContexts removed: setfiles finds nothing to change there" \
    test -z "$(setfiles_plan "$root" | grep '^/opt/wired' || true)"

# A module's filecon relabels the same way (the rebuild's change to file_contexts), and the apply
# that drops the module relabels the files back.
mkdir -p "$root/opt/modfc" "$root/usr/share/seprov-test"
touch "$root/opt/modfc/data"
printf '(type seprovfc_t)\n(roletype object_r seprovfc_t)\n(typeattributeset file_type (seprovfc_t))\n(filecon "/opt/modfc(/.*)?" any (system_u object_r seprovfc_t ((s0) (s0))))\n' \
    >"$root/usr/share/seprov-test/seprovfc.cil"
echo '{"version": "1.0.0", "selinux": {"store": "writable", "modules": [{"name": "seprovfc", "source": "/usr/share/seprov-test/seprovfc.cil"}]}}' \
    >"$root/etc/seprov/config.d/50-fc.json"
"$seprov" apply --root="$root" --json=short >"$work/modfc.json" 2>"$work/modfc.out" || true
check "module filecon: its file is relabelled by the same apply" \
    test "$(label "$root/opt/modfc/data")" = system_u:object_r:seprovfc_t:s0
check "module filecon: apply --json names the rule in fileContextsChanged" \
    jq -e '.fileContextsChanged | index("/opt/modfc(/.*)?")' "$work/modfc.json"
check "module filecon: a mislabelled file outside it is not walked" \
    test "$(label "$root/opt/elsewhere/file")" = system_u:object_r:tmp_t:s0
echo '{"version": "1.0.0", "selinux": {"store": "writable"}}' >"$root/etc/seprov/config.d/50-fc.json"
"$seprov" apply --root="$root" >"$work/unmodfc.out" 2>&1 || true
check "module removed: its file is relabelled back" \
    test -z "$(setfiles_plan "$root" | grep '^/opt/modfc' || true)"
check "module removed: the file's label is not the module's" \
    test "$(label "$root/opt/modfc/data")" != system_u:object_r:seprovfc_t:s0

tap_finish
