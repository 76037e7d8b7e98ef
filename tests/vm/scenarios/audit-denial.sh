# shellcheck shell=bash
# vm-audit-denial: the groundwork of the issue's scenario 3, on the image as shipped (no seprov).
# The deliberately denied operation and the fenced journal lookup are in guest-scripts/avc-probe.sh
# (a systemd_networkd_t process reading a shadow_t file). Rule sets probed, in one boot:
#   flatcar    the image's rules as auditd loaded them at boot: no AVC reaches the journal;
#   no-80      only 80-selinux.rules removed: still none, since 99-default.rules' "exclude,always
#              -F msgtype>0" drops every record (on the exclude list any matching rule drops);
#   docs-fix   80-selinux.rules and 99-default.rules removed (Flatcar's documented manual fix): the
#              AVC is in the journal with _TRANSPORT=audit.

scenario() {
        vm_new_machine legacy
        {
                cat "$VM_HARNESS/guest-scripts/avc-probe.sh"
                cat <<'GUEST'
rules=/etc/audit/rules.d
avc_kv rules.boot "$(auditctl -l | paste -sd';')"
avc_probe flatcar
avc_load_rules "$rules/00-clear.rules" "$rules/99-default.rules"
avc_probe no-80
avc_load_rules "$rules/00-clear.rules"
avc_probe docs-fix
GUEST
        } >"$VM_RUN/denial.sh"
        vm_boot denial --run "$VM_RUN/denial.sh"
        vm_expect getenforce Permissive
        vm_expect run.exit 0
        vm_expect_match run.rules.boot 'never,exclude -F msgtype>=AVC -F msgtype<=1499'
        vm_expect_match run.rules.boot 'always,exclude -F msgtype>0'
        vm_expect run.flatcar none
        vm_expect run.no-80 none
        vm_expect run.docs-fix avc
        vm_expect run.docs-fix.exit 0
        vm_expect_match run.docs-fix.record 'avc: +denied +\{ read \} for .*comm="cat" name="secret-docs-fix"'
        vm_expect_match run.docs-fix.record 'scontext=system_u:system_r:systemd_networkd_t:s0 '
        vm_expect_match run.docs-fix.record 'tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=1'
        vm_checkpoint denial
}
