# shellcheck shell=bash
# vm-enforcing-baseline: the image as shipped, booted once with enforcing=1 (a one-boot override,
# never persisted). Proves the build-time labels are good enough for an enforcing boot to come up,
# run its units and deliver the report; the SELinux config stays permissive.

scenario() {
        vm_new_machine legacy
        vm_boot enforcing --karg enforcing=1
        vm_expect getenforce Enforcing
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect_match selinux.pid1 '^system_u:system_r:init_t:'
        vm_expect usr.ro yes
        vm_expect auditd active
        vm_expect etc.selinux.config.selinux permissive
        vm_expect ignition.result absent
        vm_log "AVC denials in the journal of this enforcing boot (before the image's audit rules load):"
        vm_log "${R[avc.boot]:-none}"
        vm_checkpoint enforcing
}
