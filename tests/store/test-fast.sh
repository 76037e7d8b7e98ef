#!/bin/bash
# dontaudit and booleans without a rebuild are rule-identical to libsemanage: on a copy of the same
# writable store, `semodule -DB`, `semodule -B` and `semanage boolean -m` (what setsebool -P commits)
# write the same bytes in every file seprov's edit writes (booleans alone: the compiled policy in
# another rule order, the same rules once libsepol has read both), sediff finds no difference in any
# rule category, and the booleans read the same; then semodule and a later rebuild agree with the
# store. A boolean the policy lacks fails once, on its own line, and changes nothing. A policy older
# than the byte parser knows (semanage.conf's policy-version below 30) has its booleans set through
# libsepol, with the same bytes as libsemanage's commit.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

REF="$WORK/ref"
ACTIVE=var/lib/selinux/default/active
INSTALLED=etc/selinux/default/policy/policy.33 # the compiled policy at semanage.conf's version
# setools runs under the system's python only.
py=/usr/bin/python3

# Two policy files with the same rules, whatever their order: libsepol writes the same bytes after
# reading either (the driver's normalize).
same_rules() {
    cmp -s <("$DRIVER" normalize "$1") <("$DRIVER" normalize "$2")
}

# The files a commit writes: each the same in the root and the reference, or both missing. With
# "reordered", the compiled policies only rule for rule: a commit without a rebuild writes the
# order its read of policy.linked gives, seprov's edit keeps policy.linked's (seprov(8)).
same_files() {
    local f
    for f in "$ACTIVE/policy.linked" "$ACTIVE/policy.kern" "$ACTIVE/commit_num" "$ACTIVE/booleans.local" \
        "$ACTIVE/disable_dontaudit" "$INSTALLED"; do
        if [ -e "$ROOT/$f" ] || [ -e "$REF/$f" ]; then
            if [ "${1:-}" = reordered ] && [[ $f == */policy.kern || $f == "$INSTALLED" ]]; then
                same_rules "$ROOT/$f" "$REF/$f" || fail "$f has other rules than libsemanage's"
            else
                cmp -s "$ROOT/$f" "$REF/$f" || fail "$f differs from libsemanage's"
            fi
            [ "$(stat -c %a "$ROOT/$f")" = "$(stat -c %a "$REF/$f")" ] || fail "$f's mode differs from libsemanage's"
        fi
    done
}

# A compiled policy's version, from its header: magic, the length of the identifier, the identifier,
# then the version.
policy_version() {
    local len
    len=$(od -An -tu4 -j4 -N4 "$1" | tr -d ' ')
    od -An -tu4 -j $((8 + len)) -N4 "$1" | tr -d ' '
}

bool_state() {
    $py /usr/bin/seinfo -x -b "$2" "$1" | grep -oE "bool $2 (true|false)" | awk '{print $3}'
}

# semanage on the reference's store: its /etc/selinux and /var/lib/selinux over the host's, in a
# private mount namespace (semanage has no root option). The reference's config must not be a link
# into its /usr, which the host's replaces.
ref_semanage() {
    cp --remove-destination "$(readlink -f "$REF/etc/selinux/config")" "$REF/etc/selinux/config"
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        set -e
        mount --bind "$1/etc/selinux" /etc/selinux
        mount --bind "$1/var/lib/selinux" /var/lib/selinux
        semanage import -N' ref_semanage "$REF" 2>/dev/null
}

setup flatcar-legacy
config '{"store":"writable"}'
apply
expect_rc 0
image_dontaudit=$($py /usr/bin/sesearch --dontaudit "$(policy_file)" | wc -l)
[ "$image_dontaudit" -gt 0 ] || fail "the image's policy has no dontaudit rules"

# dontaudit off against semodule -DB.
rm -rf "$REF"
cp -a "$ROOT" "$REF"
config '{"store":"writable","dontaudit":false}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules disabled, policy edited without a rebuild$'
semodule -p "$REF" -DB 2>/dev/null || fail "semodule -DB failed on the reference"
same_files
no_rule_difference "$REF/etc/selinux/default/policy/policy.33" "$(policy_file)"
[ "$($py /usr/bin/sesearch --dontaudit "$(policy_file)" | wc -l)" -eq 0 ] || fail "dontaudit rules are left"
labels_ok /var/lib/selinux /etc/selinux/default/policy
ok "dontaudit off: the same bytes and rules as semodule -DB"

# dontaudit on, from the original seprov kept, against semodule -B.
rm -rf "$REF"
cp -a "$ROOT" "$REF"
config '{"store":"writable","dontaudit":true}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules enabled, policy edited without a rebuild$'
semodule -p "$REF" -B 2>/dev/null || fail "semodule -B failed on the reference"
same_files
no_rule_difference "$REF/etc/selinux/default/policy/policy.33" "$(policy_file)"
cmp -s "$(policy_file)" "$ROOT/usr/lib/selinux/default/policy/policy.33" || fail "not the image's policy again"
[ ! -e "$ROOT/var/lib/selinux/default/.seprov-dontaudit.linked" ] || fail "the saved original was left"
ok "dontaudit on: the same bytes and rules as semodule -B, the image's policy again"

# Three booleans (two on, one off) against semanage's commit, which is setsebool -P's.
rm -rf "$REF"
cp -a "$ROOT" "$REF"
config '{"store":"writable","booleans":[{"name":"httpd_can_network_connect","value":true},
         {"name":"virt_use_nfs","value":true},{"name":"ssh_sysadm_login","value":false}]}'
apply
expect_rc 0
expect_out '^boolean changed httpd_can_network_connect=on \(persistent\), policy edited without a rebuild$'
expect_out '^boolean changed ssh_sysadm_login=off \(persistent\), policy edited without a rebuild$'
printf 'boolean -m --on httpd_can_network_connect\nboolean -m --on virt_use_nfs\nboolean -m --off ssh_sysadm_login\n' |
    ref_semanage || fail "semanage failed on the reference"
same_files reordered
no_rule_difference "$REF/etc/selinux/default/policy/policy.33" "$(policy_file)"
for b in httpd_can_network_connect virt_use_nfs ssh_sysadm_login; do
    [ "$(bool_state "$(policy_file)" $b)" = "$(bool_state "$REF/etc/selinux/default/policy/policy.33" $b)" ] ||
        fail "$b differs from semanage's"
done
[ "$(bool_state "$(policy_file)" ssh_sysadm_login)" = false ] || fail "ssh_sysadm_login is still on"
ok "three booleans: the same files, rules and states as semanage boolean -m"

# Both in one edit; then a rebuild by libsemanage with dontaudit off (semodule -B alone turns it back
# on) writes the same policy, and the next apply changes nothing.
config '{"store":"writable","dontaudit":false,"booleans":[{"name":"httpd_can_network_connect","value":true},
         {"name":"virt_use_nfs","value":true},{"name":"ssh_sysadm_login","value":false}]}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules disabled, policy edited without a rebuild$'
edited=$(md5sum < "$(policy_file)")
semodule -p "$ROOT" -DB 2>/dev/null || fail "semodule -DB failed after the edit"
[ "$(md5sum < "$(policy_file)")" = "$edited" ] || fail "a libsemanage rebuild gives another policy than the edit"
apply
expect_rc 0
expect_no_out '^(dontaudit|boolean) changed'
ok "dontaudit off and booleans in one edit; a later libsemanage rebuild writes the same policy"

# A boolean the policy does not have: its own line fails, once; the others are not made; nothing
# changes.
before=$(md5sum < "$(policy_file)")
config '{"store":"writable","dontaudit":false,"booleans":[{"name":"httpd_can_network_connect","value":false},
         {"name":"no_such_boolean","value":true},{"name":"virt_use_nfs","value":true}]}'
apply
expect_rc 2
expect_out '^boolean failed setting no_such_boolean=on \(persistent\): the policy has no boolean no_such_boolean$'
[ "$(grep -c 'has no boolean' "$OUT")" -eq 1 ] || fail "the missing boolean is reported more than once"
expect_out '^boolean skipped setting httpd_can_network_connect=off \(persistent\): not made because of boolean setting no_such_boolean=on \(persistent\) \(one transaction\)$'
[ "$(md5sum < "$(policy_file)")" = "$before" ] || fail "the policy changed"
grep -qx 'httpd_can_network_connect=1' "$ROOT/$ACTIVE/booleans.local" || fail "booleans.local changed"
ok "a boolean the policy lacks is reported once, on its own line, and nothing changes"

# A policy at version 29 (semanage.conf's policy-version, at which libsemanage links policy.linked
# and writes policy.kern): older than the byte parser knows, so libsepol sets the booleans; the files
# are still semanage's commit, byte for byte, the installed one under the version's name.
setup flatcar-legacy
config '{"store":"writable"}'
apply
expect_rc 0
echo 'policy-version = 29' >> "$ROOT/etc/selinux/semanage.conf"
semodule -p "$ROOT" -B 2>/dev/null || fail "semodule -B at policy version 29 failed"
INSTALLED=etc/selinux/default/policy/policy.29
[ "$(policy_version "$ROOT/$ACTIVE/policy.linked")" = 29 ] || fail "libsemanage did not link at version 29"
rm -rf "$REF"
cp -a "$ROOT" "$REF"
config '{"store":"writable","booleans":[{"name":"httpd_can_network_connect","value":true},
         {"name":"virt_use_nfs","value":true},{"name":"ssh_sysadm_login","value":false}]}'
SYSTEMD_LOG_LEVEL=debug apply
expect_rc 0
expect_out '^The policy.s booleans cannot be set in its bytes, setting them through libsepol\.$'
expect_out '^boolean changed httpd_can_network_connect=on \(persistent\), policy edited without a rebuild$'
printf 'boolean -m --on httpd_can_network_connect\nboolean -m --on virt_use_nfs\nboolean -m --off ssh_sysadm_login\n' |
    ref_semanage || fail "semanage failed on the reference"
same_files
[ "$(policy_version "$ROOT/$INSTALLED")" = 29 ] || fail "$INSTALLED is not at version 29"
for b in httpd_can_network_connect virt_use_nfs ssh_sysadm_login; do
    [ "$(bool_state "$ROOT/$INSTALLED" $b)" = "$(bool_state "$REF/$INSTALLED" $b)" ] || fail "$b differs from semanage's"
done
[ "$(bool_state "$ROOT/$INSTALLED" ssh_sysadm_login)" = false ] || fail "ssh_sysadm_login is still on"
ok "policy version 29: booleans through libsepol, the same bytes as semanage boolean -m"
