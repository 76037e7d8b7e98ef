#!/bin/bash
# shellcheck disable=SC2016 # single-quoted patterns and inner scripts are meant literally
# seprov apply on fixture roots of every layout: golden results, idempotence, dry-run, and bad input
# that must change nothing. /usr is read-only for every run.
set -euo pipefail
SEPROV=$(realpath "${1:?usage: test-apply.sh SEPROV}")
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/../lib.sh"
export SYSTEMD_LOG_TARGET=console

# Every fixture root of this run below one directory, removed at the end: fixture() runs in the
# command substitutions that call it, so it cannot record what it made.
work=$(mktemp -d "$(test_tmpdir)/seprov-apply-test.XXXXXX")
cleanup=("$work")
trap 'rm -rf "${cleanup[@]}"' EXIT
export SEPROV_TEST_TMPDIR=$work

fixture() {
    make_fixture "$1"
}

selinux_line() { grep '^SELINUX=' "$1/etc/selinux/config" | head -n 1; }
label_of() { getfattr -h --only-values -n security.selinux "$1" 2>/dev/null | tr -d '\0'; }

# The image's audit rules, kept to compare with what seprov puts back.
save_rules() { mkdir -p "$2"; cp -a "$1/etc/audit/rules.d/." "$2/"; }

check_audit_rules() {
    local layout=$1 root=$2 f
    if [ "$layout" = plain ]; then
        check "$layout: no exclusion to lift, rules untouched" cmp -s "$root/etc/audit/rules.d/audit.rules" <(printf -- '-D\n-b 8192\n--backlog_wait_time 60000\n-f 1\n')
        return
    fi
    for f in 80-selinux.rules 99-default.rules; do
        check "$layout: $f rewritten as expected" cmp -s "$root/etc/audit/rules.d/$f" "$TESTS_DIR/apply/expected/$f"
        check "$layout: $f keeps mode 0640" [ "$(stat -c %a "$root/etc/audit/rules.d/$f")" = 640 ]
    done
    check "$layout: 00-clear.rules untouched" cmp -s "$root/etc/audit/rules.d/00-clear.rules" <(printf -- '-D\n')
}

test_apply_on_layout() {
    local layout=$1 root before after out rc=0
    root=$(fixture "$layout")
    export SYSTEMD_PROC_CMDLINE="quiet seprov.mode=enforcing seprov.audit=1"
    save_rules "$root" "$root.rules-image"

    before=$(tree_digest "$root")
    out=$(seprov_ro_usr "$root" apply --root="$root" --dry-run) || rc=$?
    check "$layout: dry-run exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "$layout: dry-run plans the mode: $out" grep -q '^mode: would set SELINUX=enforcing' <<<"$out"
    check "$layout: dry-run changes nothing" [ "$(tree_digest "$root")" = "$before" ]
    check "$layout: dry-run writes no status" [ ! -e "$root/run/seprov/status.json" ]

    out=$(seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "$layout: apply exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "$layout: config is a regular file" test -f "$root/etc/selinux/config" -a ! -L "$root/etc/selinux/config"
    check "$layout: SELINUX=enforcing" [ "$(selinux_line "$root")" = "SELINUX=enforcing" ]
    check "$layout: every other byte kept" cmp -s <(sed 's/^SELINUX=enforcing$/SELINUX=permissive/' "$root/etc/selinux/config") \
        "$TESTS_DIR/fixtures/selinux-config"
    check "$layout: mode 0644 kept" [ "$(stat -c %a "$root/etc/selinux/config")" = 644 ]
    check "$layout: labelled selinux_config_t" [ "$(label_of "$root/etc/selinux/config")" = "system_u:object_r:selinux_config_t:s0" ]
    if [ "$layout" = flatcar-legacy ]; then
        check "$layout: the image's file untouched" grep -q '^SELINUX=permissive$' "$root/usr/lib/selinux/config"
    fi
    check "$layout: status recorded" grep -q '"result":"done"' "$root/run/seprov/status.json"
    check_audit_rules "$layout" "$root"

    after=$(tree_digest "$root")
    out=$(seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "$layout: second apply exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "$layout: second apply has nothing to do: $out" [ "$out" = "nothing to do: the system matches the config" ]
    check "$layout: second apply changes nothing" [ "$(tree_digest "$root")" = "$after" ]

    # seprov.audit=0 puts the image's rules back, byte for byte.
    out=$(SYSTEMD_PROC_CMDLINE="seprov.audit=0" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "$layout: audit=0 exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "$layout: audit=0 restores the image's rules" diff -r "$root/etc/audit/rules.d" "$root.rules-image"
}

test_refusals_change_nothing() {
    local root before out rc
    root=$(fixture flatcar-legacy)
    before=$(tree_digest "$root")

    # An invalid config file refuses everything, even the valid kernel word.
    mkdir -p "$root/etc/seprov/config.d"
    printf '{"version": "1.0.0", "selinux": {"mdoe": "enforcing"}}\n' > "$root/etc/seprov/config.d/50-bad.json"
    before=$(tree_digest "$root")
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing" seprov_ro_usr "$root" apply --root="$root" 2>"$root.err") || rc=$?
    check "bad config: exit 1 ($rc)" [ "$rc" -eq 1 ]
    # A diagnostic: on stderr, naming the file inside the root and where it is on this machine.
    check "bad config: names file (inside the root and on the host), line, column: $(cat "$root.err")" \
        grep -qxF "/etc/seprov/config.d/50-bad.json ($root/etc/seprov/config.d/50-bad.json):1:34: unknown key \"mdoe\" in \"selinux\", did you mean \"mode\"?" "$root.err"
    check "bad config: the report on stdout says refused: $out" grep -q '^refused: invalid input' <<<"$out"
    check "bad config: no diagnostic on stdout: $out" eval '! grep -q 50-bad.json <<<"$out"'
    check "bad config: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
    check "bad config: status says why" grep -q '50-bad.json' "$root/run/seprov/status.json"
    check "bad config: status result refused" grep -q '"result":"refused"' "$root/run/seprov/status.json"

    # seprov=0 is the escape hatch: not even the broken config matters.
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov=0 seprov.mode=enforcing" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "seprov=0: exit 0 ($rc)" [ "$rc" -eq 0 ]
    check "seprov=0: says so: $out" grep -q 'seprov=0' <<<"$out"
    rm "$root/etc/seprov/config.d/50-bad.json"
    before=$(tree_digest "$root")

    # A bad kernel word refuses too.
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforce" seprov_ro_usr "$root" apply --root="$root" 2>&1) || rc=$?
    check "bad kernel word: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "bad kernel word: column: $out" grep -q '^\$SYSTEMD_PROC_CMDLINE:1:1: seprov.mode=enforce: unknown mode' <<<"$out"

    # Enforcing with selinux=0 cannot work.
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="selinux=0 seprov.mode=enforcing" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "selinux=0 + enforcing: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "selinux=0 + enforcing: says why: $out" grep -q 'selinux=0' <<<"$out"
    # selinux=0 alone: nothing done.
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="selinux=0 seprov.mode=permissive" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "selinux=0: exit 0 ($rc)" [ "$rc" -eq 0 ]
    check "refusals: nothing changed" [ "$(tree_digest "$root")" = "$before" ]

    # No compiled policy for the configured type.
    sed -i 's/^SELINUXTYPE=default/SELINUXTYPE=mcs/' "$root/usr/lib/selinux/config"
    before=$(tree_digest "$root")
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "no policy: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "no policy: names the type: $out" grep -q 'SELINUXTYPE=mcs' <<<"$out"
    check "no policy: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
}

test_hostile_paths() {
    local root before out rc host
    root=$(fixture flatcar-legacy)
    export SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing"

    # A link that points at a host path: it resolves inside the root, where nothing is.
    host=$(mktemp /tmp/seprov-host.XXXXXX)
    cleanup+=("$host")
    echo "SELINUX=permissive" > "$host"
    ln -sfn "$host" "$root/etc/selinux/config"
    before=$(tree_digest "$root")
    rc=0
    out=$(seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "link out of the root: refused, exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "link out of the root: host file untouched" [ "$(cat "$host")" = "SELINUX=permissive" ]
    check "link out of the root: nothing changed" [ "$(tree_digest "$root")" = "$before" ]

    # /etc/selinux itself a link into the read-only image: the file cannot be made real there.
    root=$(fixture flatcar-legacy)
    rm -rf "$root/etc/selinux"
    ln -s ../usr/lib/selinux "$root/etc/selinux"
    before=$(tree_digest "$root")
    rc=0
    out=$(seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "config dir in the image: exit 2 ($rc)" [ "$rc" -eq 2 ]
    check "config dir in the image: says why: $out" grep -q 'FAILED mode: cannot write /etc/selinux/config' <<<"$out"
    check "config dir in the image: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
}

test_full_disk() {
    local root out rc
    root=$(fixture plain)
    export SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing"
    # /etc/selinux on a tiny full filesystem: the write fails, the old file stays, no leftovers.
    rc=0
    out=$(unshare -m --propagation private bash -c '
        set -e
        root=$1 seprov=$2
        cp -a "$root/etc/selinux" /tmp/seprov-saved.$$
        mount -t tmpfs -o size=64k tmpfs "$root/etc/selinux"
        cp -a /tmp/seprov-saved.$$/config "$root/etc/selinux/"
        mkdir "$root/etc/selinux/default"
        mount --bind /tmp/seprov-saved.$$/default "$root/etc/selinux/default"
        dd if=/dev/zero of="$root/etc/selinux/filler" bs=4k 2>/dev/null || true
        rc=0; "$seprov" apply --root="$root" || rc=$?
        grep -q "^SELINUX=permissive$" "$root/etc/selinux/config" || rc=98
        [ "$(ls -A "$root/etc/selinux" | grep -c "^\.config\.seprov-")" = 0 ] || rc=97
        umount "$root/etc/selinux/default"
        rm -rf /tmp/seprov-saved.$$
        exit $rc' _ "$root" "$SEPROV" 2>&1) || rc=$?
    check "full disk: exit 2, old file kept, no temporary left ($rc): $out" [ "$rc" -eq 2 ]
}

test_read_only_root_in_initrd() {
    local root before out rc=0 run
    root=$(fixture plain)
    run="$(dirname "$root")/initrd-run"
    mkdir -p "$run"
    before=$(tree_digest "$root")
    # A plain distribution booted with "ro": /sysroot is read-only in the initrd.
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="ro seprov.mode=enforcing" unshare -m --propagation private \
        bash -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" apply --root="$1" --stage=initrd' \
        _ "$root" "$SEPROV") || rc=$?
    check "read-only root in the initrd: exit 0 ($rc)" [ "$rc" -eq 0 ]
    check "read-only root in the initrd: deferred: $out" grep -q '^deferred: the root is read-only in the initrd; the system stage makes 1 change$' <<<"$out"
    check "read-only root in the initrd: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
    check "read-only root in the initrd: the system stage is asked for" grep -qx 'LEFT=reload' "$run/seprov/initrd"
    check "read-only root in the initrd: status says deferred" grep -q '"result":"deferred"' "$run/seprov/status.json"
}

# onFailure "emergency" stops the boot in the initrd's emergency shell: the console, where the
# operator finds that machine, says why. Run where PID 1 cannot be reached (an empty /run: this host's
# systemd is never asked for emergency.target), with a file in place of /dev/console.
test_emergency_tells_the_console() {
    local root run console out rc=0 cfg=/etc/seprov/config.d/50-strict.json
    root=$(fixture flatcar-legacy)
    run="$(dirname "$root")/emergency-run"
    console="$(dirname "$root")/emergency-console"
    mkdir -p "$run" "$root/etc/seprov/config.d"
    : >"$console"
    printf '{"version":"1.0.0","selinux":{"store":"writable","onFailure":"emergency",\n  "booleans":[{"name":"virt_use_nfz","value":true}]}}\n' >"$root$cfg"
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="" unshare -m --propagation private bash -c '
        mount --bind "$3" /dev/console && mount -t tmpfs tmpfs /run &&
            mount --bind "$1/usr" "$1/usr" && mount -o remount,bind,ro "$1/usr" || exit 99
        exec "$2" apply --root="$1" --stage=initrd' _ "$root" "$SEPROV" "$console" 2>&1) || rc=$?
    check "emergency: refused, exit 1 ($rc): $out" [ "$rc" -eq 1 ]
    check "emergency: the console says the initrd stage was refused: $(cat "$console")" \
        grep -qx 'seprov: the initrd stage was refused: the config names booleans or module sources the policy cannot take; nothing was changed' "$console"
    check "emergency: the console names the file, line and the boolean: $(cat "$console")" \
        grep -qxF "seprov: $cfg:2:46: boolean \"virt_use_nfz\" is not in the policy (/etc/selinux/default/policy/policy.33), did you mean \"virt_use_nfs\"?" "$console"
    check "emergency: the console says that emergency.target could not be started" \
        grep -qx 'seprov: cannot start emergency.target (see "journalctl -b -t seprov"): the boot goes on' "$console"
}

test_one_apply_at_a_time() {
    local root out start elapsed rc=0
    root=$(fixture plain)
    # Another apply holds the root's lock for 2 s: this one waits, then applies.
    flock "$root" sleep 2 &
    sleep 0.5
    start=$(date +%s%N)
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing" "$SEPROV" apply --root="$root" 2>&1) || rc=$?
    elapsed=$((($(date +%s%N) - start) / 1000000))
    wait
    check "lock: exit 0 ($rc)" [ "$rc" -eq 0 ]
    check "lock: says it waits: $out" grep -q '^Waiting for another seprov apply on ' <<<"$out"
    check "lock: waited for the other one (${elapsed} ms)" [ "$elapsed" -ge 1000 ]
    check "lock: then applied" [ "$(selinux_line "$root")" = "SELINUX=enforcing" ]
}

# Ignition runs on the first boot only: the seprov key of its config is recorded, so the boolean it
# asked for stays set on the boots after, even when another input (a kernel word) is there too.
test_ignition_key_persists() {
    local root run out rc=0 ign='{"ignition":{"version":"3.3.0"},"seprov":{"version":"1.0.0","selinux":{
        "store":"writable","booleans":[{"name":"virt_use_nfs","value":true}]}}}'
    root=$(fixture plain)
    run=$(dirname "$root")/run
    mkdir -p "$run"
    printf '%s\n' "$ign" > "$run/ignition.json"
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "ignition: first boot exits 0 ($rc): $out" [ "$rc" -eq 0 ]
    check "ignition: the key is recorded: $out" grep -q '^config: recorded the "seprov" key of /run/ignition.json in /etc/seprov/ignition.json' <<<"$out"
    check "ignition: the record is a seprov config" "$SEPROV" validate "$root/etc/seprov/ignition.json"
    check "ignition: the record is labelled" [ "$(label_of "$root/etc/seprov/ignition.json")" = "system_u:object_r:etc_t:s0" ]
    check "ignition: the boolean is set" grep -qx 'virt_use_nfs=1' "$root/var/lib/selinux/default/active/booleans.local"

    # The second boot: no Ignition, one more input.
    rm "$run/ignition.json"
    rm -rf "$run/seprov"
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="seprov.audit=1" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "ignition: second boot exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "ignition: the boolean is not undone: $out" eval '! grep -q "^boolean:" <<<"$out"'
    check "ignition: the boolean is still set" grep -qx 'virt_use_nfs=1' "$root/var/lib/selinux/default/active/booleans.local"
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="" "$SEPROV" show-config --root="$root")
    check "ignition: show-config names the record: $out" grep -qE '^  used +provisioning +/etc/seprov/ignition.json$' <<<"$out"

    # Provisioned again, with another seprov key: the record follows, the old boolean is undone.
    printf '%s\n' "${ign/virt_use_nfs/virt_use_samba}" > "$run/ignition.json"
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="seprov.audit=1" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "ignition: re-provisioned exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "ignition: the record is replaced" grep -q virt_use_samba "$root/etc/seprov/ignition.json"
    check "ignition: the old boolean is undone: $out" grep -q '^boolean: virt_use_nfs returned to the policy' <<<"$out"
    check "ignition: the new boolean is set: $out" grep -q '^boolean: virt_use_samba=on (persistent)' <<<"$out"
}

# User data seprov owns one key of: cloud-init's own features elsewhere in it (a !!binary tag, a merge
# key, a duplicate key, an anchor) never stop the apply; the kernel word and the seprov key both count.
test_user_data_not_ours() {
    local root out rc
    root=$(fixture flatcar-current)
    mkdir -p "$root/var/lib/cloud/instance"
    cat > "$root/var/lib/cloud/instance/user-data.txt" <<'EOF_UD'
#cloud-config
write_files:
- path: /etc/motd
  content: !!binary |
    aGVsbG8K
defaults: &d {shell: /bin/bash}
users:
- <<: *d
  name: core
runcmd: [true]
runcmd: [false]
seprov:
  version: 1.0.0
  selinux:
    audit: {selinuxEvents: true}
EOF_UD
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "user data: exit 0 ($rc): $out" [ "$rc" -eq 0 ]
    check "user data: the kernel word counts" [ "$(selinux_line "$root")" = "SELINUX=enforcing" ]
    check "user data: its seprov key counts" grep -q '^# seprov-was: ' "$root/etc/audit/rules.d/99-default.rules"
}

# Preflight: a boolean the policy lacks and a module source that cannot be installed are refused by
# the dry run and the apply alike, before anything changes, at the entry's FILE:LINE:COL.
test_preflight_refuses_before_anything_changes() {
    local root before out rc f cfg=/etc/seprov/config.d/50-typo.json
    root=$(fixture flatcar-legacy)
    mkdir -p "$root/etc/seprov/config.d"
    f=$root$cfg
    printf '{"version":"1.0.0","selinux":{"store":"writable","booleans":[\n  {"name":"virt_use_nfs","value":true},\n  {"name":"httpd_can_netwrok_connect","value":true}]}}\n' >"$f"
    local want="$cfg ($f):3:47: boolean \"httpd_can_netwrok_connect\" is not in the policy (/etc/selinux/default/policy/policy.33), did you mean \"httpd_can_network_connect\"?"
    before=$(tree_digest "$root")
    for mode in --dry-run ""; do
        rc=0
        out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" $mode 2>"$root.err") || rc=$?
        check "unknown boolean ${mode:-apply}: exit 1 ($rc)" [ "$rc" -eq 1 ]
        check "unknown boolean ${mode:-apply}: FILE:LINE:COL and did-you-mean: $(cat "$root.err")" grep -qxF "$want" "$root.err"
        check "unknown boolean ${mode:-apply}: refused, not planned or failed: $out" grep -q '^refused: ' <<<"$out"
        check "unknown boolean ${mode:-apply}: the other boolean is not reported: $out" eval '! grep -q virt_use_nfs <<<"$out"'
        check "unknown boolean ${mode:-apply}: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
    done
    check "unknown boolean: status.json has the diagnostic" grep -q 'httpd_can_netwrok_connect' "$root/run/seprov/status.json"
    check "unknown boolean: status.json says refused" grep -q '"result":"refused"' "$root/run/seprov/status.json"
    # status shows what each stage recorded when it refused, also once the inputs are fine again.
    rc=0
    SEPROV_RUNTIME_DIR=$root/run SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" --stage=initrd >/dev/null 2>&1 || rc=$?
    check "unknown boolean, initrd stage: exit 1 ($rc)" [ "$rc" -eq 1 ]
    mv "$f" "$f.off"
    out=$("$SEPROV" status --root="$root")
    check "status: each stage's recorded diagnostic: $out" [ "$(grep -c "^ *${cfg//./\\.} (.*):3:47: boolean \"httpd_can_netwrok_connect\" is not in the policy" <<<"$out")" -eq 2 ]
    mv "$f.off" "$f"

    # validate alone knows no policy; with --root it checks against that system's.
    check "validate without --root: the file is well-formed" "$SEPROV" validate "$f"
    rc=0
    out=$("$SEPROV" validate --root="$root" "$f" 2>&1) || rc=$?
    check "validate --root: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "validate --root: did-you-mean: $out" grep -q ':3:47: boolean "httpd_can_netwrok_connect" is not in the policy .*did you mean "httpd_can_network_connect"?$' <<<"$out"
    # Every problem in one pass: a schema error does not hide what the policy refuses.
    printf '{"version":"1.0.0","selinux":{"mdoe":"enforcing",\n "booleans":[{"name":"httpd_can_netwrok_connect","value":true}]}}\n' >"$root.both.json"
    rc=0
    out=$(cd "$(dirname "$root")" && "$SEPROV" validate --root="$root" "$(basename "$root").both.json" 2>&1) || rc=$?
    check "validate --root, schema and policy: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "validate --root, schema and policy: both in one pass: $out" [ "$out" = "$(basename "$root").both.json:1:31: unknown key \"mdoe\" in \"selinux\", did you mean \"mode\"?
$(basename "$root").both.json:2:58: boolean \"httpd_can_netwrok_connect\" is not in the policy (/etc/selinux/default/policy/policy.33), did you mean \"httpd_can_network_connect\"?" ]
    # The same drop-in carried by an Ignition config: the policy's verdict at the place in the
    # Ignition config (plain data: URL: where the value is written; base64: the entry's source),
    # followed by the place in the drop-in.
    python3 - "$root.both.json" >"$root.plain.ign" <<'PY'
import json, sys, urllib.parse
drop = open(sys.argv[1]).read()
print(json.dumps({"ignition": {"version": "3.3.0"}, "storage": {"files": [
    {"path": "/etc/seprov/config.d/50-x.json", "contents": {"source": "data:," + urllib.parse.quote(drop)}}]}}, indent=1))
PY
    rc=0
    out=$("$SEPROV" validate --root="$root" "$root.plain.ign" 2>&1) || rc=$?
    check "validate --root, Ignition drop-in: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "validate --root, Ignition drop-in: schema and policy, Ignition positions: $out" [ "$out" = "$root.plain.ign:10:75: /etc/seprov/config.d/50-x.json:1:31: unknown key \"mdoe\" in \"selinux\", did you mean \"mode\"?
$root.plain.ign:10:196: /etc/seprov/config.d/50-x.json:2:58: boolean \"httpd_can_netwrok_connect\" is not in the policy (/etc/selinux/default/policy/policy.33), did you mean \"httpd_can_network_connect\"?" ]
    check "validate --root, Ignition drop-in: the position is the value's" [ "$(sed -n 10p "$root.plain.ign" | cut -c196-199)" = true ]
    python3 -c 'import base64, json, sys
print(json.dumps({"ignition": {"version": "3.3.0"}, "storage": {"files": [{"path": "/etc/seprov/config.d/50-x.json",
    "contents": {"source": "data:;base64," + base64.b64encode(open(sys.argv[1], "rb").read()).decode()}}]}}))' "$root.both.json" >"$root.b64.ign"
    rc=0
    out=$("$SEPROV" validate --root="$root" "$root.b64.ign" 2>&1) || rc=$?
    check "validate --root, base64 drop-in: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "validate --root, base64 drop-in: at the entry's source: $out" grep -qxF "$root.b64.ign:1:124: /etc/seprov/config.d/50-x.json:2:58: boolean \"httpd_can_netwrok_connect\" is not in the policy (/etc/selinux/default/policy/policy.33), did you mean \"httpd_can_network_connect\"?" <<<"$out"
    rm "$root.both.json" "$root.plain.ign" "$root.b64.ign"

    # A missing module source: the dry run refuses it (exit 1), it never "fails while applying" (2).
    printf '{"version":"1.0.0","selinux":{"store":"writable","dontaudit":false,\n "modules":[{"name":"extra","source":"/usr/share/extra.cil"}]}}\n' >"$f"
    before=$(tree_digest "$root")
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" --dry-run 2>"$root.err") || rc=$?
    check "missing module source, dry run: exit 1, not 2 ($rc)" [ "$rc" -eq 1 ]
    check "missing module source: names the entry: $(cat "$root.err")" \
        grep -qF "$cfg ($f):2:13: module \"extra\": source /usr/share/extra.cil cannot be installed" "$root.err"
    check "missing module source: nothing changed" [ "$(tree_digest "$root")" = "$before" ]

    # A boolean the config's own module declares is no typo; the dry run plans it, conditionally.
    mkdir -p "$root/usr/share/seprov-test"
    printf '(boolean seprov_test_bool false)\n' >"$root/usr/share/seprov-test/m.cil"
    printf '{"version":"1.0.0","selinux":{"store":"writable","dontaudit":false,"booleans":[{"name":"seprov_test_bool","value":true}],\n "modules":[{"name":"m","source":"/usr/share/seprov-test/m.cil"}]}}\n' >"$f"
    before=$(tree_digest "$root")
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" --dry-run 2>&1) || rc=$?
    check "boolean of the config's module: dry run exits 0 ($rc): $out" [ "$rc" -eq 0 ]
    check "dry run: every planned line says would: $out" eval '! grep -v -e "^dry run: " -e "^[a-z]*: would " <<<"$out"'
    check "dry run: plans the boolean persistently, in the copy: $out" \
        grep -qx 'boolean: would set seprov_test_bool=on (persistent): once the store is copied' <<<"$out"
    check "dry run: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
}

# systemd's habits: options before the verb, --json=short, a --root that is no directory is bad usage.
test_command_line() {
    local root out rc
    root=$(fixture plain)
    rc=0
    out=$("$SEPROV" --root="$root" status 2>&1) || rc=$?
    check "seprov --root=R status: exit 0 ($rc): $out" [ "$rc" -eq 0 ]
    check "seprov --root=R status: the root's state: $out" grep -q '^Mode: *permissive in /etc/selinux/config' <<<"$out"
    out=$("$SEPROV" --json=short status --root="$root")
    check "--json=short: one line" [ "$(wc -l <<<"$out")" -eq 1 ]
    check "--json=short: the document of --json" cmp -s <(python3 -m json.tool --sort-keys <<<"$out") \
        <("$SEPROV" status --root="$root" --json | python3 -m json.tool --sort-keys)
    # Debug tracing says which sources, layout and store were used, even when there is nothing to do.
    mkdir -p "$root/etc/seprov/config.d"
    printf '{"version":"1.0.0","selinux":{"mode":"permissive"}}\n' >"$root/etc/seprov/config.d/50-mode.json"
    rc=0
    out=$(SEPROV_DEBUG=1 SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" 2>"$root.err") || rc=$?
    check "debug no-op apply: exit 0 ($rc): $out" [ "$out" = "nothing to do: the system matches the config" ]
    check "debug no-op apply: names the source: $(cat "$root.err")" grep -qxF 'Config source /etc/seprov/config.d/50-mode.json: admin, used.' "$root.err"
    check "debug no-op apply: names the layout, once" [ "$(grep -cxF "Layout of $root: policy type default." "$root.err")" -eq 1 ]
    check "debug no-op apply: names the store" grep -q '^Policy store: /var/lib/selinux/default, ' "$root.err"
    SYSTEMD_LOG_LEVEL=debug "$SEPROV" show-config --root="$root" >/dev/null 2>"$root.err"
    check "debug show-config: names the source: $(cat "$root.err")" grep -qxF 'Config source /etc/seprov/config.d/50-mode.json: admin, used.' "$root.err"
    rm "$root/etc/seprov/config.d/50-mode.json"

    # show-config lists the sources also when one is invalid: that is when one needs the list. A
    # README in config.d is skipped silently, as systemd skips other suffixes.
    printf '{"version":"1.0.0","selinux":{"mdoe":"permissive"}}\n' >"$root/etc/seprov/config.d/50-bad.json"
    printf 'notes\n' >"$root/etc/seprov/config.d/README"
    rc=0
    out=$("$SEPROV" show-config --root="$root" 2>"$root.err") || rc=$?
    check "show-config, invalid source: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "show-config, invalid source: the source list: $out" grep -qE '^  invalid +admin +/etc/seprov/config.d/50-bad.json$' <<<"$out"
    check "show-config: the README listed as ignored: $out" grep -qE '^  ignored +admin +/etc/seprov/config.d/README$' <<<"$out"
    check "show-config: the problem on stderr: $(cat "$root.err")" grep -q '^/etc/seprov/config.d/50-bad.json (.*):1:31: unknown key "mdoe"' "$root.err"
    rm "$root/etc/seprov/config.d/50-bad.json"
    out=$("$SEPROV" status --root="$root" 2>&1)
    check "status: no warning about the README: $out" eval '! grep -q README <<<"$out"'
    rm "$root/etc/seprov/config.d/README"

    # A failed action is named once: no "store: store: ...", no "store failed (store: ...)".
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.store=image" "$SEPROV" apply --root="$root" --dry-run) || rc=$?
    check "store: image on the system's own store: refused ($rc)" [ "$rc" -eq 1 ]
    check "store: image refused: the action named once: $out" [ "$out" = "store: would fail: returning to the image's store is refused: /var/lib/selinux/default is the system's own store, not a copy of an image's
refused: store would fail: returning to the image's store is refused: /var/lib/selinux/default is the system's own store, not a copy of an image's; the apply would stop there" ]

    # An offline root's own Ignition system config is read (and listed) with the cache Ignition
    # left, and its problems name the file on this machine too.
    printf '{"ignition":{"version":"3.3.0"}}\n' >"$root/run/ignition.json"
    mkdir -p "$root/usr/lib/ignition"
    printf '{"ignition":{"version":"3.3.0"},"seprov":{"version":"1.0.0","selinux":{"mdoe":"enforcing"}}}\n' >"$root/usr/lib/ignition/user.ign"
    rc=0
    out=$("$SEPROV" show-config --root="$root" 2>"$root.err") || rc=$?
    check "offline user.ign: read, and invalid: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "offline user.ign: listed: $out" grep -qE '^  invalid +provisioning +/usr/lib/ignition/user.ign$' <<<"$out"
    check "offline user.ign: the host path: $(cat "$root.err")" grep -qF "/usr/lib/ignition/user.ign ($root/usr/lib/ignition/user.ign):1:72: unknown key \"mdoe\"" "$root.err"
    rm -r "$root/run/ignition.json" "$root/usr/lib/ignition"

    # -h and -V answer for every verb, before or after it.
    for verb in apply status show-config validate check; do
        check "$verb --help: its usage" grep -q "^seprov $verb \[OPTIONS...\]" <<<"$("$SEPROV" "$verb" --help)"
        check "-h $verb: its usage" grep -q "^seprov $verb \[OPTIONS...\]" <<<"$("$SEPROV" -h "$verb")"
        check "$verb -V: the version" grep -qx 'seprov [0-9.]*' <<<"$("$SEPROV" "$verb" -V)"
        check "$verb --no-pager accepted" eval '"$SEPROV" "$verb" --no-pager --help >/dev/null'
    done

    # A problem of a whole file has no position: null, not line 0.
    mkdir -p "$root/etc/seprov/config.d/50-dir.json"
    out=$("$SEPROV" status --root="$root" --json=short)
    check "a file's problem: line and column null: $out" python3 -c '
import json, sys
d = [g for g in json.loads(sys.argv[1])["diagnostics"] if g["file"] == "/etc/seprov/config.d/50-dir.json"]
sys.exit(not (len(d) == 1 and d[0]["line"] is None and d[0]["column"] is None))' "$out"
    rmdir "$root/etc/seprov/config.d/50-dir.json"
    # An empty directory is no system: status says what is missing, and summarises nothing.
    mkdir "$root.empty"
    out=$("$SEPROV" status --root="$root.empty")
    check "empty root: says what is missing: $out" \
        grep -qxF "Root:       $root.empty has no SELinux: no /etc/selinux/config, no /etc/selinux/targeted, no compiled policy in /usr, no policy store" <<<"$out"
    check "empty root: no mode summarised: $out" eval '! grep -q "^Mode:" <<<"$out"'
    check "empty root: --json says so" grep -q '"hasSelinux":false' <<<"$("$SEPROV" status --root="$root.empty" --json=short)"
    check "empty root: no policy type, null" grep -q '"policyType":null' <<<"$("$SEPROV" status --root="$root.empty" --json=short)"
    check "a system: its policy type" grep -q '"policyType":"default"' <<<"$("$SEPROV" status --root="$root" --json=short)"
    check "a system: --json says so" grep -q '"hasSelinux":true' <<<"$("$SEPROV" status --root="$root" --json=short)"
    rmdir "$root.empty"
    for bad in "$root/nonexistent" "$root/etc/selinux/config"; do
        rc=0
        out=$("$SEPROV" status --root="$bad" 2>&1) || rc=$?
        check "--root=$bad: exit 64 ($rc)" [ "$rc" -eq 64 ]
        check "--root=$bad: says why: $out" grep -qF -- "--root=$bad:" <<<"$out"
    done
}

# A hardening rule set that drops USER_AVC on the audit user list: status names the rule, apply
# rewrites it so that USER_AVC passes, and seprov.audit=0 puts it back.
test_audit_user_list() {
    local root out rc=0 f
    root=$(fixture plain)
    f=$root/etc/audit/rules.d/30-hardening.rules
    printf -- '-a user,always -F auid>=1000 -F auid!=unset\n-a user,never -F msgtype=USER_AVC\n' > "$f"
    chmod 0640 "$f"
    save_rules "$root" "$root.rules-image"
    out=$("$SEPROV" status --root="$root")
    check "user list: status names the rule: $out" grep -qF 'SELinux records are dropped by /etc/audit/rules.d/30-hardening.rules:2: USER_AVC (type 1107)' <<<"$out"
    out=$(SYSTEMD_PROC_CMDLINE="seprov.audit=1" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "user list: apply exits 0 ($rc): $out" [ "$rc" -eq 0 ]
    check "user list: the rule is marked" grep -qx -- '# seprov-was: -a user,never -F msgtype=USER_AVC' "$f"
    check "user list: the other rule stays" grep -qx -- '-a user,always -F auid>=1000 -F auid!=unset' "$f"
    out=$("$SEPROV" status --root="$root")
    check "user list: status says they pass: $out" grep -q 'SELinux records reach the log' <<<"$out"
    out=$(SYSTEMD_PROC_CMDLINE="seprov.audit=0" seprov_ro_usr "$root" apply --root="$root") || rc=$?
    check "user list: audit=0 exits 0 ($rc)" [ "$rc" -eq 0 ]
    check "user list: audit=0 restores the rules" diff -r "$root/etc/audit/rules.d" "$root.rules-image"
}

# A config whose actions cannot all be done is refused before anything changes, also when its files
# each look fine: store: image (which discards the writable store) with dontaudit: false (which needs
# it). The dry run says what the apply does.
test_store_image_refuses_store_changes() {
    local root before out rc d
    root=$(fixture flatcar-legacy)
    d=$root/etc/seprov/config.d
    mkdir -p "$d"
    printf '{"version":"1.0.0","selinux":{"store":"writable","dontaudit":false,"booleans":[{"name":"virt_use_nfs","value":true}]}}\n' >"$d/50-a.json"
    SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" >/dev/null
    printf '{"version":"1.0.0","selinux":{"store":"image","discardLocalChanges":true}}\n' >"$d/90-back.json"
    before=$(tree_digest "$root")
    for mode in --dry-run ""; do
        rc=0
        out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" $mode 2>"$root.err") || rc=$?
        check "store: image + dontaudit: false ${mode:-apply}: exit 1 ($rc): $out" [ "$rc" -eq 1 ]
        check "store: image + dontaudit: false ${mode:-apply}: refused: $out" grep -q '^refused: .*nothing was changed' <<<"$out"
        check "store: image + dontaudit: false ${mode:-apply}: both places: $(cat "$root.err")" grep -qF '/etc/seprov/config.d/50-a.json ('"$d"'/50-a.json):1:62: "dontaudit": false changes the policy store, which must be writable, but "store": "image" (/etc/seprov/config.d/90-back.json:1:39)' "$root.err"
        check "store: image + dontaudit: false ${mode:-apply}: the store is kept" [ "$(tree_digest "$root")" = "$before" ]
    done
    rm "$d/90-back.json"
    # In one file, validate says it without a root.
    printf '{"version":"1.0.0","selinux":{"store":"image","dontaudit":false,\n "modules":[{"name":"m","source":"/usr/share/m.cil"},{"name":"n","state":"absent"}]}}\n' >"$root.one.json"
    rc=0
    out=$("$SEPROV" validate "$root.one.json" 2>&1) || rc=$?
    check "validate, store: image + dontaudit: false: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "validate, store: image + dontaudit: false: said: $out" grep -qF "$root.one.json:1:59: \"dontaudit\": false changes the policy store" <<<"$out"
    check "validate, store: image + a module to install: said: $out" grep -qF "$root.one.json:2:13: module \"m\" is installed in the policy store, which must be writable" <<<"$out"
    check "validate, store: image + a module to remove: fine: $out" eval '! grep -q "module \"n\"" <<<"$out"'
    # Without a store setting, a store that is the image's cannot take them either: refused (it
    # was an apply that failed, exit 2).
    root=$(fixture flatcar-legacy)
    mkdir -p "$root/etc/seprov/config.d"
    printf '{"version":"1.0.0","selinux":{"dontaudit":false}}\n' >"$root/etc/seprov/config.d/50-a.json"
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" 2>"$root.err") || rc=$?
    check "dontaudit: false on the image's store: exit 1 ($rc): $out" [ "$rc" -eq 1 ]
    check "dontaudit: false on the image's store: says what to do: $(cat "$root.err")" grep -qF 'is the image'"'"'s (read-only): set "store": "writable"' "$root.err"
}

# A module source that does not parse (CIL, or a .pp libsepol cannot read) is refused by validate
# --root and by preflight, at the config's entry and naming the source, before anything changes.
test_module_does_not_parse() {
    local root before out rc f cfg=/etc/seprov/config.d/50-m.json
    root=$(fixture flatcar-legacy)
    mkdir -p "$root/etc/seprov/config.d" "$root/usr/share/m"
    f=$root$cfg
    printf '(type myapp_t)\n(typo myapp2_t\n' >"$root/usr/share/m/myapp.cil"
    printf 'not a package' >"$root/usr/share/m/bad.pp"
    chmod 0644 "$root/usr/share/m/myapp.cil" "$root/usr/share/m/bad.pp"
    printf '{"version":"1.0.0","selinux":{"store":"writable","booleans":[{"name":"virt_use_nfs","value":true}],\n "modules":[{"name":"myapp","source":"/usr/share/m/myapp.cil"},\n  {"name":"bad","source":"/usr/share/m/bad.pp"}]}}\n' >"$f"
    rc=0
    out=$("$SEPROV" validate --root="$root" "$f" 2>&1) || rc=$?
    check "CIL that does not parse: validate --root exits 1 ($rc)" [ "$rc" -eq 1 ]
    check "CIL that does not parse: validate --root says where and why: $out" grep -qF "$f:2:13: module \"myapp\": source /usr/share/m/myapp.cil does not parse: libsepol: " <<<"$out"
    check "a .pp that does not read: validate --root says so: $out" grep -qF "$f:3:3: module \"bad\": source /usr/share/m/bad.pp does not parse: libsepol: " <<<"$out"
    before=$(tree_digest "$root")
    for mode in --dry-run ""; do
        rc=0
        out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" $mode 2>"$root.err") || rc=$?
        check "CIL that does not parse ${mode:-apply}: exit 1 ($rc): $out" [ "$rc" -eq 1 ]
        check "CIL that does not parse ${mode:-apply}: at the entry: $(cat "$root.err")" grep -qF "$cfg ($f):2:13: module \"myapp\": source /usr/share/m/myapp.cil does not parse" "$root.err"
        check "CIL that does not parse ${mode:-apply}: nothing changed" [ "$(tree_digest "$root")" = "$before" ]
    done
    # A boolean that a refused module declares: the refused module is named, not "no module declares it".
    printf '(boolean myapp_enable false)\n' >"$root/usr/share/m/decl.cil"
    chmod 0664 "$root/usr/share/m/decl.cil"
    printf '{"version":"1.0.0","selinux":{"booleans":[{"name":"myapp_enable","value":true}],\n "modules":[{"name":"decl","source":"/usr/share/m/decl.cil"}]}}\n' >"$f"
    rc=0
    out=$("$SEPROV" validate --root="$root" "$f" 2>&1) || rc=$?
    check "boolean of a refused module: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "boolean of a refused module: the module is named: $out" grep -qF 'boolean "myapp_enable" is not in the policy (/etc/selinux/default/policy/policy.33); module "decl" of the config, which may declare it, was refused' <<<"$out"
}

# --stage=initrd on an offline root outside an initrd is bad usage: it would read this machine's
# kernel command line and write its /run/seprov.
test_initrd_stage_offline_root() {
    local root out rc=0 host_before
    root=$(fixture plain)
    host_before=$(ls -d /run/seprov 2>/dev/null || true)
    out=$(env -u SEPROV_RUNTIME_DIR SYSTEMD_IN_INITRD=0 "$SEPROV" apply --root="$root" --stage=initrd --dry-run 2>&1) || rc=$?
    check "--stage=initrd, offline root: exit 64 ($rc)" [ "$rc" -eq 64 ]
    check "--stage=initrd, offline root: says why: $out" grep -qF -- "--stage=initrd works on the system being booted, but this is not an initrd and --root=$root is not the running system" <<<"$out"
    check "--stage=initrd, offline root: the host's /run untouched" [ "$(ls -d /run/seprov 2>/dev/null || true)" = "$host_before" ]
    rc=0
    SEPROV_RUNTIME_DIR="$root/run" SYSTEMD_PROC_CMDLINE="" "$SEPROV" apply --root="$root" --stage=initrd --dry-run >/dev/null 2>&1 || rc=$?
    check "--stage=initrd, offline root, SEPROV_RUNTIME_DIR: runs ($rc)" [ "$rc" -eq 0 ]
}

# A refused first boot keeps what Ignition asked for (Ignition runs once), and says that it did.
test_refused_ignition_record_said() {
    local root run out rc=0
    root=$(fixture plain)
    run=$(dirname "$root")/run
    mkdir -p "$run"
    printf '{"ignition":{"version":"3.3.0"},"seprov":{"version":"1.0.0","selinux":{"booleans":[{"name":"no_such_boolean","value":true}]}}}\n' >"$run/ignition.json"
    out=$(SEPROV_RUNTIME_DIR="$run" SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" 2>/dev/null) || rc=$?
    check "refused with an Ignition record: exit 1 ($rc): $out" [ "$rc" -eq 1 ]
    check "refused with an Ignition record: the record kept" [ -f "$root/etc/seprov/ignition.json" ]
    check "refused with an Ignition record: said truthfully: $out" grep -qF 'nothing was changed but /etc/seprov/ignition.json, which keeps the "seprov" key Ignition was given' <<<"$out"
    check "refused with an Ignition record: no claim that nothing changed: $out" eval '! grep -q "nothing was changed$" <<<"$out"'
}

# What show-config and status say of the kernel command line and of sources without settings, and
# that --json keeps the diagnostics on stderr too.
test_sources_and_json() {
    local root out rc err
    root=$(fixture plain)
    err=$root.err
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforce" "$SEPROV" show-config --root="$root" 2>"$err") || rc=$?
    check "invalid kernel word: show-config exits 1 ($rc)" [ "$rc" -eq 1 ]
    check "invalid kernel word: the cmdline is listed as invalid: $out" grep -qE '^  invalid +cmdline +\$SYSTEMD_PROC_CMDLINE$' <<<"$out"
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforce" "$SEPROV" show-config --root="$root" --json=short 2>"$err") || rc=$?
    check "invalid kernel word, --json: the cmdline among the sources: $out" python3 -c '
import json, sys
s = json.loads(sys.argv[1])["sources"]
sys.exit(not (s and s[-1] == {"path": "$SYSTEMD_PROC_CMDLINE", "level": "cmdline", "state": "invalid", "format": None}))' "$out"
    check "invalid kernel word, show-config --json: the diagnostic on stderr: $(cat "$err")" grep -qF 'seprov.mode=enforce: unknown mode' "$err"
    rc=0
    SYSTEMD_PROC_CMDLINE="seprov.mode=enforce" seprov_ro_usr "$root" apply --root="$root" --json=short >/dev/null 2>"$err" || rc=$?
    check "invalid kernel word, apply --json: exit 1 ($rc)" [ "$rc" -eq 1 ]
    check "invalid kernel word, apply --json: the diagnostic on stderr: $(cat "$err")" grep -qF 'seprov.mode=enforce: unknown mode' "$err"
    # A built-in default has no place: line and column null, not omitted.
    out=$(SYSTEMD_PROC_CMDLINE="" "$SEPROV" show-config --root="$root" --json=short)
    check "built-in default: line and column null: $out" python3 -c '
import json, sys
o = json.loads(sys.argv[1])["config"]["onFailure"]
sys.exit(not ("line" in o and o["line"] is None and "column" in o and o["column"] is None))' "$out"
    # An Ignition config without a seprov key has no seprov settings: not "used".
    printf '{"ignition":{"version":"3.3.0"}}\n' >"$root/run/ignition.json"
    out=$(SYSTEMD_PROC_CMDLINE="" "$SEPROV" show-config --root="$root")
    check "Ignition without a seprov key: listed as empty: $out" grep -qE '^  empty +provisioning +/run/ignition.json$' <<<"$out"
    rm "$root/run/ignition.json"
    # seprov=0: nothing is asked, as apply does nothing.
    out=$(SYSTEMD_PROC_CMDLINE="seprov=0 seprov.mode=enforcing" "$SEPROV" status --root="$root")
    check "seprov=0: status asks nothing: $out" grep -qxF 'Asked:      nothing: seprov=0 on the kernel command line, seprov does nothing' <<<"$out"
    out=$(SYSTEMD_PROC_CMDLINE="seprov=0 seprov.mode=enforcing" "$SEPROV" status --root="$root" --json=short)
    check "seprov=0: status --json: $out" grep -qF '"asked":null,"off":"seprov=0"' <<<"$out"
}

# A boolean the config now lists with "state": "absent" goes back to the policy's default, said so.
test_boolean_absent_wording() {
    local root d out
    root=$(fixture flatcar-legacy)
    d=$root/etc/seprov/config.d
    mkdir -p "$d"
    printf '{"version":"1.0.0","selinux":{"store":"writable","booleans":[{"name":"virt_use_nfs","value":true}]}}\n' >"$d/50-a.json"
    SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" >/dev/null
    printf '{"version":"1.0.0","selinux":{"booleans":[{"name":"virt_use_nfs","state":"absent"}]}}\n' >"$d/60-b.json"
    out=$(SYSTEMD_PROC_CMDLINE="" seprov_ro_usr "$root" apply --root="$root" --dry-run)
    check "state: absent: planned wording: $out" grep -qxF "boolean: would return virt_use_nfs to the policy's default: the config no longer sets it" <<<"$out"
}

# Hints for the usual slips of the command line, and an empty --root refused as status does.
test_usage_hints() {
    local out rc empty
    rc=0
    out=$("$SEPROV" stauts 2>&1) || rc=$?
    check "seprov stauts: exit 64 ($rc)" [ "$rc" -eq 64 ]
    check "seprov stauts: did you mean: $out" grep -qF 'Unknown command "stauts", did you mean "status"?' <<<"$out"
    rc=0
    out=$("$SEPROV" status --json short 2>&1) || rc=$?
    check "--json short: exit 64 ($rc)" [ "$rc" -eq 64 ]
    check "--json short: the fix: $out" grep -qF 'use --json=short' <<<"$out"
    empty=$(mktemp -d "$(test_tmpdir)/seprov-empty.XXXXXX")
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="seprov.mode=enforcing" "$SEPROV" apply --root="$empty" --dry-run 2>&1) || rc=$?
    check "empty --root, apply: refused ($rc): $out" [ "$rc" -eq 1 ]
    check "empty --root, apply: says why: $out" grep -qF "refused: $empty has no SELinux: no /etc/selinux/config" <<<"$out"
    rc=0
    out=$(SYSTEMD_PROC_CMDLINE="" "$SEPROV" apply --root="$empty" --dry-run 2>&1) || rc=$?
    check "empty --root, empty config: refused too ($rc): $out" [ "$rc" -eq 1 ]
    printf '{"version":"1.0.0","selinux":{"mode":"enforcing"}}\n' >"$empty.json"
    rc=0
    out=$("$SEPROV" validate --root="$empty" "$empty.json" 2>&1) || rc=$?
    check "empty --root, validate: bad usage ($rc): $out" [ "$rc" -eq 64 ]
    check "empty --root, validate: no guessed policy type: $out" grep -qF -- "--root=$empty has no SELinux" <<<"$out"
    rm -rf "$empty" "$empty.json"
}

for layout in flatcar-legacy flatcar-current plain; do
    test_apply_on_layout "$layout"
done
test_refusals_change_nothing
test_hostile_paths
test_full_disk
test_read_only_root_in_initrd
test_emergency_tells_the_console
test_one_apply_at_a_time
test_ignition_key_persists
test_user_data_not_ours
test_preflight_refuses_before_anything_changes
test_store_image_refuses_store_changes
test_module_does_not_parse
test_initrd_stage_offline_root
test_refused_ignition_record_said
test_sources_and_json
test_boolean_absent_wording
test_usage_hints
test_command_line
test_audit_user_list
finish_tests
