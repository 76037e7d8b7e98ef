# shellcheck shell=bash
# vm-seprov-ignition (the issue's scenario 3): an Ignition config from qemu's fw_cfg carrying a seprov
# key (mode enforcing, writable store, SELinux audit events on, dontaudit off and two booleans, which
# seprov edits into the compiled policy without a rebuild). After the first boot: enforcing,
# /var/lib/selinux a real store, the deliberately denied operation and one a dontaudit rule hides both
# leave an AVC record in the journal, a user message the image's audit rules drop is still dropped,
# and the booleans are on; after a reboot without Ignition they still are. The same operations on a
# machine with the same config but seprov=0 leave none, because the image's audit rules drop the
# first and the policy's dontaudit rules hide the second.

write_config() {
        vm_ignition_config "$VM_RUN/seprov.ign" --extra '"seprov": {"version": "1.0.0", "selinux": {
                "mode": "enforcing", "store": "writable", "audit": {"selinuxEvents": true}, "dontaudit": false,
                "booleans": [{"name": "virt_use_nfs", "value": true}, {"name": "virt_use_samba", "value": true}]}}'
}

write_probe() {
        {
                cat "$VM_HARNESS/guest-scripts/avc-probe.sh" "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv store.type "$(stat -c %F /var/lib/selinux/default 2>/dev/null)"
kv store.link "$(test -L /var/lib/selinux && echo yes || echo no)"
kv ignition.cache.seprov "$(grep -c '"seprov"' /run/ignition.json 2>/dev/null)"
kv audit.rules "$(auditctl -l | paste -sd';')"
kv bool.virt_use_nfs "$(getsebool virt_use_nfs | awk '{print $3}')"
kv bool.virt_use_samba "$(getsebool virt_use_samba | awk '{print $3}')"
# The denied read and the excluded message first, under the rules as the boot loaded them (a probe
# leaves no audit rules); then the read a dontaudit rule hides, which only the policy can keep from
# the journal.
avc_probe_rules
avc_probe hidden file_context_t
GUEST
        } >"$VM_RUN/probe.sh"
}

scenario() {
        write_config
        write_probe

        vm_new_machine legacy
        vm_boot first --ignition "$VM_RUN/seprov.ign" --run "$VM_RUN/probe.sh"
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.initrd.result "done"
        vm_expect run.store.link no
        vm_expect run.store.type directory
        vm_expect var.lib.selinux.type dir
        vm_expect run.denied avc
        vm_expect run.denied.exit 1
        vm_expect_match run.denied.record 'avc: +denied +\{ [a-z_ ]+ \} for .*comm="cat" .*scontext=system_u:system_r:systemd_networkd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0'
        vm_expect_match run.seprov.log 'dontaudit: dontaudit rules disabled, policy edited without a rebuild'
        vm_expect_match run.seprov.log 'boolean: virt_use_nfs=on \(persistent\), policy edited without a rebuild'
        vm_expect run.hidden avc
        vm_expect_match run.hidden.record 'avc: +denied +\{ [a-z_ ]+ \} for .*comm="cat" .*tcontext=system_u:object_r:file_context_t:s0 tclass=file permissive=0'
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.bool.virt_use_samba on
        # The rewrite let SELinux records through and kept the image's other exclusions.
        vm_expect run.excluded excluded
        vm_expect run.control logged
        vm_expect failed.units ""
        vm_log "first boot: ${R[analyze.time]}"
        vm_checkpoint seprov-on

        vm_boot again --run "$VM_RUN/probe.sh"
        vm_expect getenforce Enforcing
        vm_expect failed.units ""
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.bool.virt_use_samba on
        vm_expect run.hidden avc
        vm_expect run.denied avc
        vm_expect run.excluded excluded
        vm_expect run.control logged
        vm_checkpoint seprov-on-again

        vm_new_machine legacy
        vm_boot off --ignition "$VM_RUN/seprov.ign" --karg seprov=0 --run "$VM_RUN/probe.sh"
        vm_expect getenforce Permissive
        vm_expect etc.selinux.config.type symlink
        vm_expect var.lib.selinux.type symlink
        vm_expect run.initrd.result ""
        vm_expect run.denied none
        vm_expect run.hidden none
        vm_checkpoint seprov-off
}
