# shellcheck shell=bash
# vm-seprov-live (the live system stage): seprov.service at work in the real root, in four boots.
#   first:     an Ignition first boot whose drop-in keeps the image's store (store: image) and asks
#              for a boolean: the initrd stage cannot set it (the policy is loaded after
#              switch-root), so the real root pulls seprov.service in, which sets it on the live
#              kernel; booleans.local and the store stay the image's. Then the guest does what an
#              operator would on the running system, where audit-rules.service has loaded the
#              image's rules: writes a drop-in asking for SELinux audit events and restarts
#              seprov.service. The probes before and after (guest-scripts/avc-probe.sh): with the
#              image's rules the denied read leaves no record; once seprov reloaded the rewritten
#              rules it does, and the record the image excluded stays excluded. Last, what the next
#              boot needs: a root entry in /etc/fstab, as a plain distribution has one (Ignition
#              cannot write into a root the initrd mounts read-only), and a drop-in asking for
#              enforcing.
#   second:    booted "ro": the initrd stage only plans (deferred); the system stage applies after
#              systemd-remount-fs made the root writable, writes SELINUX=enforcing and sets the live
#              mode with setenforce; the runtime boolean is set again, as on every boot; the probes
#              see the rewritten rules as this boot loaded them.
#   noauditd:  the same machine booted with auditd.service masked, as Flatcar ships (it does not enable
#              auditd): `seprov status` says the records go to the journal through journald's audit
#              socket, and a denial made in this boot (the probe, enforcing) is found by `seprov check`
#              in the journal, read from audit records (not the kernel's printk copies), with its
#              cause computed against the loaded policy.
#   emergency: a fresh machine whose valid config asks for the impossible (a boolean the policy lacks,
#              refused by preflight) with onFailure: emergency: the initrd stage fails closed in
#              emergency.target. The report service cannot run there, so the boot ends on the
#              emergency shell's banner on the console (vm_boot --until-console), and the checks read
#              the console: seprov's refusal and its emergency message, systemd's and dracut's
#              emergency mode, and no switch to the real root.
# The report boots: running, no failed unit (before and after the restart), nothing failed in
# seprov's log.

write_inputs() {
        printf '{"version": "1.0.0", "selinux": {"store": "image",\n  "booleans": [{"name": "virt_use_nfs", "value": true}]}}\n' \
                >"$VM_RUN/50-runtime.json"
        vm_ignition_config "$VM_RUN/runtime.ign" --file /etc/seprov/config.d/50-runtime.json 0644 "$VM_RUN/50-runtime.json"
        # Valid, but impossible: a misspelt boolean, which preflight checks against the image's policy
        # before a writable store would be made.
        printf '{"version": "1.0.0", "selinux": {"store": "writable", "onFailure": "emergency",\n  "booleans": [{"name": "virt_use_nfz", "value": true}]}}\n' \
                >"$VM_RUN/50-strict.json"
        vm_ignition_config "$VM_RUN/strict.ign" --file /etc/seprov/config.d/50-strict.json 0644 "$VM_RUN/50-strict.json"

        {
                cat "$VM_HARNESS/guest-scripts/avc-probe.sh" "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv initrd.left "$(sed -n 's/^LEFT=//p' /run/seprov/initrd 2>/dev/null)"
kv status.text "$(seprov status 2>&1 | paste -sd'|')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv system.result "$(systemctl show -P Result seprov.service)"
kv bool.virt_use_nfs "$(getsebool virt_use_nfs | awk '{print $3}')"
kv booleans.local "$(cat /var/lib/selinux/default/active/booleans.local 2>/dev/null || echo absent)"
kv store.link "$(test -L /var/lib/selinux && echo yes || echo no)"
kv root.options "$(findmnt -no OPTIONS /)"
kv seprov.failed "$(seprov_log | grep -c 'FAILED\|failed')"
GUEST
        } >"$VM_RUN/facts.sh"

        {
                cat "$VM_RUN/facts.sh"
                cat <<'GUEST'
kv seprov.log "$(seprov_log | paste -sd'|')"
kv rules.boot "$(auditctl -l | paste -sd';')"
# The image's rules, as audit-rules.service loaded them: the denied read leaves no record. The probe
# clears the rules; augenrules loads them again from the same files, as the boot did.
avc_excluded_mark pre.excluded
avc_probe pre.denied
avc_excluded pre.excluded pre.denied
augenrules --load >/dev/null 2>&1
kv pre.reload "$(auditctl -l | paste -sd';')"

# The operator's change on the running system.
cursor=$(journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
mkdir -p /etc/seprov/config.d
printf '{"version": "1.0.0", "selinux": {"audit": {"selinuxEvents": true}}}\n' >/etc/seprov/config.d/60-audit.json
rc=0; systemctl restart seprov.service || rc=$?
kv restart.exit "$rc"
kv restart.result "$(systemctl show -P Result seprov.service)"
kv restart.log "$(journalctl -q -o cat --after-cursor="$cursor" UNIT=seprov.service + SYSLOG_IDENTIFIER=seprov | paste -sd'|')"
kv restart.failed "$(systemctl --failed --plain --no-legend)"
kv rules.after "$(auditctl -l | paste -sd';')"
avc_probe_rules
kv bool.after "$(getsebool virt_use_nfs | awk '{print $3}')"
kv booleans.local.after "$(cat /var/lib/selinux/default/active/booleans.local 2>/dev/null || echo absent)"

# For the next boot: the root in /etc/fstab, and enforcing.
echo 'LABEL=ROOT / ext4 defaults 0 1' >>/etc/fstab
printf '{"version": "1.0.0", "selinux": {"mode": "enforcing"}}\n' >/etc/seprov/config.d/70-mode.json
sync
GUEST
        } >"$VM_RUN/first.sh"

        {
                cat "$VM_RUN/facts.sh"
                cat <<'GUEST'
kv seprov.log "$(seprov_log | paste -sd'|')"
kv initrd.log "$(journalctl -b -q -o cat _SYSTEMD_UNIT=seprov-initrd.service + UNIT=seprov-initrd.service | paste -sd'|')"
kv remount.before.seprov "$(journalctl -b -q -o short-monotonic UNIT=systemd-remount-fs.service + UNIT=seprov.service | grep -E 'Finished|Starting' | sed 's/^\[ *[0-9.]*\] [^ ]* [^ ]* //' | paste -sd'|')"
avc_probe_rules
GUEST
        } >"$VM_RUN/second.sh"

        {
                cat "$VM_RUN/facts.sh"
                cat <<'GUEST'
kv auditd.state "$(systemctl show -P ActiveState auditd.service)"
kv auditd.pid "$(auditctl -s | sed -n 's/^pid //p')"
kv journald.audit "$(systemctl show -P ActiveState systemd-journald-audit.socket)"
kv status.records "$(seprov status | grep -E '^(Records|Warning):' | paste -sd'|')"
kv audit.enabled "$(auditctl -s | sed -n 's/^enabled //p')"
# The probe's denial, without its fence: nothing turned auditing on (auditd does, at its start), and
# the kernel then drops user messages such as the fence, but not SELinux's records. So this waits for
# the denial's own record in the journal.
mkdir -p "$avc_probe_dir"
chcon -t var_run_t "$avc_probe_dir"
echo secret >"$avc_probe_dir/secret-noauditd"
chcon -t shadow_t "$avc_probe_dir/secret-noauditd"
rc=0; runcon -t systemd_networkd_t -- cat "$avc_probe_dir/secret-noauditd" </dev/null >/dev/null 2>&1 || rc=$?
kv noauditd.exit "$rc"
kv noauditd "$(avc_journal_has 'name="secret-noauditd"' && echo avc || echo none)"
kv check.exit "$(seprov check --json=short >/run/seprov-check.json; echo $?)"
kv check.json "$(cat /run/seprov-check.json)"
kv check.text "$(seprov check 2>&1 | paste -sd'|')"
GUEST
        } >"$VM_RUN/noauditd.sh"
}

# check_group FIELD...: of the last boot's `seprov check --json`, the group of the probe's denial
# (systemd_networkd_t reading a shadow_t file, by cat), its FIELDs joined with spaces; "none" when
# no such group, "bad-json" when the document does not parse.
check_group() {
        python3 - "${R[run.check.json]-}" "$@" <<'PY'
import json, sys
try:
    doc = json.loads(sys.argv[1])
except ValueError:
    print("bad-json"); sys.exit()
for g in doc.get("groups", []):
    if (g.get("scontextType"), g.get("tcontextType"), g.get("tclass"), g.get("comm")) == \
            ("systemd_networkd_t", "shadow_t", "file", "cat"):
        print(" ".join(str(g.get(f)) for f in sys.argv[2:])); break
else:
    print("none")
PY
}

expect_report_boot() {
        vm_expect run.exit 0
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect usr.ro yes
        vm_expect run.seprov.failed 0
}

scenario() {
        write_inputs

        vm_new_machine legacy
        vm_boot first --ignition "$VM_RUN/runtime.ign" --run "$VM_RUN/first.sh"
        expect_report_boot
        vm_expect getenforce Permissive
        vm_expect run.initrd.result "done"
        # Booleans on the live kernel, by seprov.service, with the image's store untouched.
        vm_expect run.system.unit active
        vm_expect run.system.result success
        # The initrd stage left the boolean to the real root (the policy is loaded after switch-root).
        vm_expect_match run.initrd.left '(^| )booleans-runtime( |$)'
        vm_expect_match run.seprov.log 'boolean: virt_use_nfs=on \(runtime; the store is the image.s\)'
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.booleans.local absent
        vm_expect run.store.link yes
        vm_expect var.lib.selinux.type symlink
        # The image's rules as the boot loaded them drop the denied read.
        vm_expect_match run.rules.boot 'msgtype>=AVC -F msgtype<=1499'
        vm_expect run.pre.denied none
        vm_expect run.pre.excluded excluded
        vm_expect run.pre.reload "${R[run.rules.boot]}"
        # The operator's drop-in, applied by restarting seprov.service: the rules rewritten and loaded.
        vm_expect run.restart.exit 0
        vm_expect run.restart.result success
        vm_expect run.restart.failed ""
        vm_expect_match run.restart.log 'audit rules loaded \(augenrules --load\)'
        vm_expect_not_match run.rules.after 'msgtype>=AVC'
        vm_expect_match run.rules.after 'msgtype>0'
        # Permissive: the read is logged and allowed.
        vm_expect run.denied avc
        vm_expect run.denied.exit 0
        vm_expect_match run.denied.record 'avc: +denied +\{ read \} for .*comm="cat" .*scontext=system_u:system_r:systemd_networkd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=1'
        vm_expect run.excluded excluded
        vm_expect run.control logged
        vm_expect run.bool.after on
        vm_expect run.booleans.local.after absent
        vm_checkpoint first

        vm_boot second --karg ro --run "$VM_RUN/second.sh"
        expect_report_boot
        vm_expect_match cmdline ' ro( |$)'
        vm_expect_match run.root.options '^rw,'
        vm_expect run.initrd.result "done"
        vm_expect_match run.seprov.log 'apply \(initrd stage, root /sysroot\): deferred'
        vm_expect run.system.unit active
        vm_expect run.system.result success
        vm_expect_match run.seprov.log 'mode: SELINUX=enforcing \(was permissive\) in /etc/selinux/config'
        vm_expect_match run.seprov.log 'reload: live mode is now enforcing'
        vm_expect_match run.seprov.log 'apply \(system stage, root /\): done'
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.booleans.local absent
        vm_expect run.store.link yes
        vm_expect_match run.initrd.left '(^| )reload( |$)'
        vm_expect run.denied avc
        vm_expect run.denied.exit 1
        vm_expect_match run.denied.record 'avc: +denied +\{ read \} for .*scontext=system_u:system_r:systemd_networkd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0'
        vm_expect run.excluded excluded
        vm_expect run.control logged
        vm_checkpoint second

        vm_boot noauditd --karg systemd.mask=auditd.service --run "$VM_RUN/noauditd.sh"
        expect_report_boot
        vm_expect getenforce Enforcing
        vm_expect run.auditd.state inactive
        vm_expect run.auditd.pid 0
        vm_expect run.journald.audit active
        vm_expect_match run.status.records '^Records: +SELinux records go to the journal \(systemd-journald-audit.socket active, auditd.service not\)$'
        vm_log "noauditd: the kernel's audit 'enabled' flag is '${R[run.audit.enabled]-}'"
        vm_expect run.noauditd avc
        vm_expect run.noauditd.exit 1
        vm_expect run.check.exit 1  # 1: denials found
        R[check.source]=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["source"]["type"], d["printkDenials"])' "${R[run.check.json]-}" 2>/dev/null || echo bad-json)
        vm_expect check.source "journal 0"
        R[check.group]=$(check_group transport permissive cause booleans suggestion)
        vm_expect_match check.group '^audit none rule \[\] \(allow systemd_networkd_t shadow_t \(file \(([a-z_]+ )*read( [a-z_]+)*\)\)\)$'
        vm_expect_match run.check.text 'systemd_networkd_t'
        vm_checkpoint noauditd

        vm_new_machine legacy
        vm_boot emergency --ignition "$VM_RUN/strict.ign" --until-console 'Entering emergency mode'
        # seprov's own words on the console, then systemd's and dracut's emergency mode.
        vm_expect_match console $'\nseprov: the initrd stage was refused: the config names booleans or module sources the policy cannot take; nothing was changed\n'
        vm_expect_match console $'\nseprov: /etc/seprov/config.d/50-strict.json:2:50: boolean "virt_use_nfz" is not in the policy \\(/etc/selinux/default/policy/policy.[0-9]+\\), did you mean "virt_use_nfs"\\?\n'
        vm_expect_match console $'\nseprov: onFailure is "emergency": the boot stops in emergency.target.\n'
        vm_expect_match console 'Failed to start seprov-ini.*initrd stage'
        vm_expect_match console 'Reached target emergency.target - Emergency Mode'
        vm_expect_match console $'\nEntering emergency mode. Exit the shell to continue.'
        # The real root was never reached: no switch, and the report service never ran.
        vm_expect_not_match console 'initrd-switch-root|Switch Root|Switching root'
        vm_expect report ""
        vm_checkpoint emergency
}
