# shellcheck shell=bash
# vm-layout-current: the image in current Flatcar's layout, booted with enforcing=1. /etc/selinux
# holds real files, /usr/lib/selinux keeps compat links to them, the store stays under /usr; the
# labels are good enough for an enforcing boot, and the config stays permissive.

scenario() {
        vm_new_machine current
        cat >"$VM_RUN/check.sh" <<'GUEST'
echo "usr.lib.selinux.config=$(readlink /usr/lib/selinux/config)" >>"$SEPROV_VM_KV"
echo "usr.lib.selinux.default=$(readlink /usr/lib/selinux/default)" >>"$SEPROV_VM_KV"
echo "etc.selinux.semanage.conf=$(stat -c %F /etc/selinux/semanage.conf)" >>"$SEPROV_VM_KV"
echo "etc.selinux.default=$(stat -c %F /etc/selinux/default)" >>"$SEPROV_VM_KV"
echo "etc.selinux.config.label=$(stat -c %C /etc/selinux/config)" >>"$SEPROV_VM_KV"
GUEST
        vm_boot enforcing --karg enforcing=1 --run "$VM_RUN/check.sh"
        vm_expect getenforce Enforcing
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux permissive
        vm_expect run.etc.selinux.config.label system_u:object_r:selinux_config_t:s0
        vm_expect run.etc.selinux.default directory
        vm_expect run.etc.selinux.semanage.conf "regular file"
        vm_expect run.usr.lib.selinux.config ../../../etc/selinux/config
        vm_expect run.usr.lib.selinux.default ../../../etc/selinux/default
        vm_expect var.lib.selinux.type symlink
        vm_expect var.lib.selinux.target ../../usr/lib/selinux/policy
        vm_expect usr.ro yes
        vm_checkpoint enforcing
}
