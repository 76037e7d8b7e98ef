# shellcheck shell=bash
# vm-seprov-bad-config (the issue's scenario 5): a malformed config in /etc/seprov/config.d (written by
# Ignition, as an operator's would be). The boot completes, the mode is unchanged, the initrd stage
# fails visibly, and `seprov status` names the file, line and column.

scenario() {
        printf '{\n  "version": "1.0.0",\n  "selinux": { "mdoe": "enforcing" }\n}\n' >"$VM_RUN/50-bad.json"
        vm_ignition_config "$VM_RUN/bad.ign" --file /etc/seprov/config.d/50-bad.json 0644 "$VM_RUN/50-bad.json"
        {
                cat "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
rc=0; seprov status >/run/seprov-vm/status.txt 2>&1 || rc=$?
kv status.exit "$rc"
kv status "$(paste -sd'|' /run/seprov-vm/status.txt)"
GUEST
        } >"$VM_RUN/status.sh"
        vm_new_machine legacy
        vm_boot bad --ignition "$VM_RUN/bad.ign" --run "$VM_RUN/status.sh"
        vm_expect_match boot.state '^(running|degraded)$'
        vm_expect getenforce Permissive
        vm_expect etc.selinux.config.type symlink
        vm_expect etc.selinux.config.selinux permissive
        vm_expect run.initrd.result refused
        vm_expect_match run.seprov.log 'seprov-initrd.service: Main process exited, code=exited, status=1/FAILURE'
        vm_expect_match run.seprov.log '/etc/seprov/config.d/50-bad.json:3:16: unknown key "mdoe" in "selinux", did you mean "mode"\?'
        vm_expect run.system.unit inactive
        vm_expect run.status.exit 0
        vm_expect_match run.status 'Last apply: initrd stage: refused'
        vm_expect_match run.status '/etc/seprov/config.d/50-bad.json:3:16: unknown key "mdoe" in "selinux", did you mean "mode"\?'
        vm_checkpoint bad
}
