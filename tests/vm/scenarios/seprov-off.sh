# shellcheck shell=bash
# vm-seprov-off (the issue's scenario 4): seprov=0 is the operator's escape hatch. Even with a seprov
# word asking for enforcing on the same command line and an Ignition config whose seprov key asks for
# enforcing, SELinux events and dontaudit off, nothing is pulled in and nothing changes: the boot is
# the image's own. So the same boot is the groundwork of scenario 3, the image's audit rules as
# shipped (guest-scripts/avc-probe.sh, the denied operation), probed in turn:
#   flatcar   the rules as auditd loaded them at boot: no AVC reaches the journal;
#   no-80     only 80-selinux.rules removed: still none, since 99-default.rules' "exclude,always
#             -F msgtype>0" drops every record (on the exclude list any matching rule drops);
#   docs-fix  80-selinux.rules and 99-default.rules removed (Flatcar's documented manual fix): the
#             AVC is in the journal with _TRANSPORT=audit;
#   hidden    with no audit rules at all, a read that a dontaudit rule hides leaves no record: only
#             the policy keeps it out of the journal (vm-seprov-policy shows it with dontaudit off).

scenario() {
        vm_ignition_config "$VM_RUN/seprov.ign" --extra '"seprov": {"version": "1.0.0", "selinux": {
                "mode": "enforcing", "store": "writable", "audit": {"selinuxEvents": true}, "dontaudit": false,
                "booleans": [{"name": "virt_use_nfs", "value": true}]}}'
        {
                cat "$VM_HARNESS/guest-scripts/seprov-log.sh" "$VM_HARNESS/guest-scripts/avc-probe.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv initrd.state "$(test -e /run/seprov/initrd && echo present || echo absent)"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv record "$(test -e /etc/seprov/ignition.json && echo present || echo absent)"
kv bool.virt_use_nfs "$(getsebool virt_use_nfs | awk '{print $3}')"
kv usr.write "$(touch /usr/seprov-vm-probe 2>/dev/null && echo allowed || echo refused)"
kv seprov.package "$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' seprov 2>/dev/null || echo none)"
rules=/etc/audit/rules.d
avc_kv audit.rules "$(auditctl -l | paste -sd';')"
avc_probe flatcar
avc_load_rules "$rules/00-clear.rules" "$rules/99-default.rules"
avc_probe no-80
avc_load_rules "$rules/00-clear.rules"
avc_probe docs-fix
avc_probe hidden file_context_t
GUEST
        } >"$VM_RUN/off.sh"
        vm_new_machine legacy
        vm_boot off --ignition "$VM_RUN/seprov.ign" --karg seprov.mode=enforcing --karg seprov=0 \
                --run "$VM_RUN/off.sh"
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect run.exit 0
        # The image as shipped: permissive with the policy loaded and PID 1 labelled, Flatcar's
        # legacy layout, /usr read-only, auditd up, seprov the installed Debian package (unless the
        # image was built with SEPROV_VM_FROM=build).
        vm_expect getenforce Permissive
        vm_expect selinux.enabled yes
        vm_expect_match selinux.policyvers '^[0-9]+$'
        vm_expect_match selinux.pid1 '^system_u:system_r:init_t:'
        vm_expect etc.selinux.config.type symlink
        vm_expect etc.selinux.config.target ../../usr/lib/selinux/config
        vm_expect etc.selinux.config.selinux permissive
        vm_expect var.lib.selinux.type symlink
        vm_expect var.lib.selinux.target ../../usr/lib/selinux/policy
        vm_expect usr.ro yes
        vm_expect run.usr.write refused
        vm_expect auditd active
        vm_expect ignition.result present
        if [[ $(vm_seprov_from) == package ]]; then
                vm_expect_match run.seprov.package '^ii +[0-9]'
        else
                vm_expect run.seprov.package none
        fi
        vm_expect_match analyze.time '^Startup finished in .*\(initrd\)'
        vm_expect run.initrd.state absent
        vm_expect run.seprov.log ""
        vm_expect run.system.unit inactive
        vm_expect run.record absent
        vm_expect run.bool.virt_use_nfs off
        vm_expect_match run.audit.rules 'never,exclude -F msgtype>=AVC -F msgtype<=1499'
        vm_expect_match run.audit.rules 'always,exclude -F msgtype>0'
        vm_expect run.flatcar none
        vm_expect run.no-80 none
        vm_expect run.docs-fix avc
        vm_expect run.docs-fix.exit 0
        vm_expect_match run.docs-fix.record 'avc: +denied +\{ read \} for .*comm="cat" name="secret-docs-fix"'
        vm_expect_match run.docs-fix.record 'scontext=system_u:system_r:systemd_networkd_t:s0 '
        vm_expect_match run.docs-fix.record 'tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=1'
        vm_expect run.hidden none
        vm_checkpoint off
}
