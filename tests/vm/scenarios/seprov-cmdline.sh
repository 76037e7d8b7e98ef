# shellcheck shell=bash
# vm-seprov-cmdline (the issue's scenarios 1 and 2): seprov.mode=enforcing on the kernel command line
# of a first boot brings PID 1 up enforcing, from the config file seprov's initrd stage made a regular
# file; the next boot, with no seprov word at all, is still enforcing.

scenario() {
        vm_new_machine legacy
        {
                cat "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv initrd.state "$(paste -sd' ' /run/seprov/initrd 2>/dev/null | sed 's/#[^R]*//')"
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv status.last "$(seprov status --json | grep -o '"result": *"[a-z]*"' | paste -sd' ')"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv ignition.json.keys "$(tr ',' '\n' </run/ignition.json 2>/dev/null | grep -o '"[a-z]*":' | paste -sd' ')"
GUEST
        } >"$VM_RUN/seprov.sh"
        vm_boot first --karg seprov.mode=enforcing --run "$VM_RUN/seprov.sh"
        vm_expect boot.state running
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.initrd.result "done"
        vm_expect run.system.unit inactive
        vm_expect_match run.seprov.log 'mode: SELINUX=enforcing \(was permissive\) in /etc/selinux/config'
        vm_checkpoint first

        vm_boot second --run "$VM_RUN/seprov.sh"
        vm_expect_not_match cmdline 'seprov'
        vm_expect boot.state running
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.initrd.result "done"
        vm_expect run.system.unit inactive
        vm_checkpoint second
}
