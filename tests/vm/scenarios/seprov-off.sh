# shellcheck shell=bash
# vm-seprov-off (the issue's scenario 4): seprov=0 is the operator's escape hatch. Even with a seprov
# word asking for enforcing on the same command line, nothing is pulled in and nothing changes; the
# boot is the image's own.

scenario() {
        {
                cat "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv initrd.state "$(test -e /run/seprov/initrd && echo present || echo absent)"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv audit.rules "$(auditctl -l | paste -sd';')"
GUEST
        } >"$VM_RUN/off.sh"
        vm_new_machine legacy
        vm_boot off --karg seprov.mode=enforcing --karg seprov=0 --run "$VM_RUN/off.sh"
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect getenforce Permissive
        vm_expect etc.selinux.config.type symlink
        vm_expect etc.selinux.config.selinux permissive
        vm_expect var.lib.selinux.type symlink
        vm_expect run.initrd.state absent
        vm_expect run.seprov.log ""
        vm_expect run.system.unit inactive
        vm_expect_match run.audit.rules 'always,exclude -F msgtype>0'
        vm_checkpoint off
}
