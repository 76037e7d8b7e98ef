# shellcheck shell=bash
# vm-seprov-ignition (the issue's scenario 3): an Ignition config from qemu's fw_cfg carrying a seprov
# key (mode enforcing, writable store, SELinux audit events on). After the first boot: enforcing,
# /var/lib/selinux a real store, and the deliberately denied operation leaves an AVC record in the
# journal, while a user message the image's audit rules drop is still dropped. The same operation on a machine with the same config but seprov=0 leaves none, because the
# image's audit rules drop it.

write_config() {
        vm_ignition_config "$VM_RUN/seprov.ign" --extra '"seprov": {"version": "1.0.0", "selinux": {
                "mode": "enforcing", "store": "writable", "audit": {"selinuxEvents": true}}}'
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
avc_probe_rules
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
        # The rewrite let SELinux records through and kept the image's other exclusions.
        vm_expect run.excluded excluded
        vm_expect run.control logged
        vm_checkpoint seprov-on

        vm_new_machine legacy
        vm_boot off --ignition "$VM_RUN/seprov.ign" --karg seprov=0 --run "$VM_RUN/probe.sh"
        vm_expect getenforce Permissive
        vm_expect etc.selinux.config.type symlink
        vm_expect var.lib.selinux.type symlink
        vm_expect run.initrd.result ""
        vm_expect run.denied none
        vm_checkpoint seprov-off
}
