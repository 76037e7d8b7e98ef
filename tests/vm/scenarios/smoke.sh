# shellcheck shell=bash
# vm-smoke: an Ignition first boot of the image as shipped, then a second boot of the same machine.
# First boot: the machine comes up permissive with the policy loaded and PID 1 labelled, Flatcar's
# legacy layout in place, /usr read-only, Ignition ran and wrote its file, the report (boot times
# included) arrives, and seprov is the installed Debian package (unless the image was built with
# SEPROV_VM_FROM=build). Second boot: Ignition does not run again, and what the first boot wrote stays.

scenario() {
        local first_machine_id
        vm_new_machine legacy
        printf 'written by Ignition\n' >"$VM_RUN/hello"
        vm_ignition_config "$VM_RUN/smoke.ign" --file /etc/seprov-vm/ignition-wrote 0644 "$VM_RUN/hello"
        cat >"$VM_RUN/check.sh" <<'GUEST'
echo "ignition.file=$(cat /etc/seprov-vm/ignition-wrote)" >>"$SEPROV_VM_KV"
echo "usr.write=$(touch /usr/seprov-vm-probe 2>/dev/null && echo allowed || echo refused)" >>"$SEPROV_VM_KV"
echo "seprov.package=$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' seprov 2>/dev/null || echo none)" >>"$SEPROV_VM_KV"
GUEST
        vm_boot first --ignition "$VM_RUN/smoke.ign" --run "$VM_RUN/check.sh"
        vm_expect boot.state running
        vm_expect failed.units ""
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
        vm_expect_match ignition.log 'createFiles: .*writing file "/sysroot/etc/seprov-vm/ignition-wrote"'
        vm_expect run.ignition.file "written by Ignition"
        vm_expect run.exit 0
        if [[ $(vm_seprov_from) == package ]]; then
                vm_expect_match run.seprov.package '^ii +[0-9]'
        else
                vm_expect run.seprov.package none
        fi
        vm_expect_match cmdline '(^| )ignition\.firstboot=1( |$)'
        vm_expect_match analyze.time '^Startup finished in .*\(initrd\)'
        vm_expect_match machine.id '^[0-9a-f]{32}$'
        vm_checkpoint first
        first_machine_id=${R[machine.id]}

        vm_boot second --run "$VM_RUN/check.sh"
        vm_expect boot.state running
        vm_expect machine.id "$first_machine_id"
        vm_expect_not_match cmdline 'ignition\.firstboot'
        vm_expect ignition.log ""
        vm_expect run.ignition.file "written by Ignition"
        vm_expect getenforce Permissive
        vm_checkpoint second
}
