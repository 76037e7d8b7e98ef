# shellcheck shell=bash
# vm-seprov-policy (the issue's scenario 3, and every policy action): real boots from an Ignition
# first boot on.
#   first:  Ignition's seprov key asks for enforcing, a writable store, SELinux audit events,
#           dontaudit off and two booleans set persistently, which seprov edits into the compiled
#           policy without a rebuild. Enforcing, /var/lib/selinux a real store, the deliberately
#           denied operation and one that a dontaudit rule hides both leave an AVC record in the
#           journal, a user message the image's audit rules drop is still dropped, the booleans are
#           on. The guest then does what an operator's config management would: writes a drop-in that
#           installs a local CIL module, which Ignition's storage.files wrote (a type, and a filecon
#           for /opt/seprovtest), with a fileContexts rule for /srv/seprovweb and ntpd_t permissive
#           (a workload's policy, issue 11), and makes files under both paths.
#   second: no Ignition, no seprov word: the module makes seprov rebuild the policy, once, with the
#           first boot's edits folded in (Ignition's key was recorded): the module's type is in the
#           loaded policy, and the hidden denial and the booleans are still as asked; seprov
#           relabelled the existing files under both paths, and ntpd_t is permissive on the kernel.
#   third:  seprov.dontaudit=1 on the kernel command line, without a rebuild (seprov puts back the
#           policy it kept when the rules were removed): the hidden denial is hidden again; the
#           booleans and the module stay. The guest then does what an administrator would to go back
#           to the image's store: drops the recorded key and the module's drop-in, asks for store:
#           image and to discard the local changes.
#   fourth: the store is the image's again (/var/lib/selinux a link into /usr), the booleans are back
#           at the image's defaults, the module, the rule and the permissive domain are gone, and
#           the files they labelled are relabelled as the image's rules say; still enforcing.
# Every boot: running, enforcing, no failed unit, nothing failed in seprov's log. The same config on
# a machine booted with seprov=0 changes nothing: vm-seprov-off.

write_config() {
        {
                printf '(type seprovtest_t)\n(roletype object_r seprovtest_t)\n(typeattributeset file_type (seprovtest_t))\n'
                printf '(filecon "/opt/seprovtest(/.*)?" any (system_u object_r seprovtest_t ((s0) (s0))))\n'
        } >"$VM_RUN/seprovtest.cil"
        vm_ignition_config "$VM_RUN/policy.ign" \
                --file /etc/seprov/modules/seprovtest.cil 0644 "$VM_RUN/seprovtest.cil" \
                --extra '"seprov": {"version": "1.0.0", "selinux": {
                        "mode": "enforcing", "store": "writable", "audit": {"selinuxEvents": true},
                        "dontaudit": false,
                        "booleans": [{"name": "virt_use_nfs", "value": true}, {"name": "virt_use_samba", "value": true}]}}'
}

write_probe() {
        {
                cat "$VM_HARNESS/guest-scripts/avc-probe.sh" "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
# Whether the loaded policy knows a context: the kernel refuses an unknown one.
context_valid() { printf '%s' "$1" >/sys/fs/selinux/context 2>/dev/null && echo yes || echo no; }
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv initrd.status "$(grep -o '"result": *"[a-z]*"' /run/seprov/status.json | head -n 1 | grep -o '[a-z]*"$' | tr -d '"')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv seprov.failed "$(seprov_log | grep -c 'FAILED\|failed')"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv status.text "$(seprov status 2>&1 | paste -sd'|')"
kv audit.rules "$(auditctl -l | paste -sd';')"
kv bool.virt_use_nfs "$(getsebool virt_use_nfs | awk '{print $3}')"
kv bool.virt_use_samba "$(getsebool virt_use_samba | awk '{print $3}')"
kv booleans.local "$(paste -sd' ' /var/lib/selinux/default/active/booleans.local 2>/dev/null)"
kv module.context "$(context_valid system_u:object_r:seprovtest_t:s0)"
kv module.store "$(test -d /var/lib/selinux/default/active/modules/400/seprovtest && echo yes || echo no)"
kv store.link "$(test -L /var/lib/selinux && echo yes || echo no)"
kv final.type "$(stat -c %F /var/lib/selinux/final 2>/dev/null)"
kv record "$(test -f /etc/seprov/ignition.json && echo yes || echo no)"
kv ignition.cache.seprov "$(grep -c '"seprov"' /run/ignition.json 2>/dev/null)"
# The denied read and the excluded message first, under the rules as the boot loaded them (a probe
# leaves no audit rules); then the read a dontaudit rule hides, which only the policy can keep from
# the journal.
avc_probe_rules
avc_probe hidden file_context_t
# The workload's policy (the second boot's drop-in): labels on disk, what the installed file contexts
# say, and the permissive domain on the live kernel: in enforcing mode, cat in
# ntpd_t (no entrypoint on bin_t, no read of shadow_t) runs and reads only if ntpd_t is permissive.
kv label.opt "$(stat -c %C /opt/seprovtest/data 2>/dev/null || echo absent)"
kv label.srv "$(stat -c %C /srv/seprovweb/index.html 2>/dev/null || echo absent)"
kv matchpathcon.srv "$(matchpathcon -n /srv/seprovweb/index.html 2>&1)"
kv matchpathcon.opt "$(matchpathcon -n /opt/seprovtest/data 2>&1)"
kv status.permissive "$(seprov status 2>&1 | grep '^Permissive:')"
rc=0; runcon -t ntpd_t -- cat "$avc_probe_dir/secret-denied" </dev/null >/dev/null 2>&1 || rc=$?
kv permissive.exit "$rc"
GUEST
        } >"$VM_RUN/probe.sh"
        # What the first boot's guest does for the second: config management adds the module.
        cat >"$VM_RUN/add-module.sh" <<'GUEST'
mkdir -p /etc/seprov/config.d
cat >/etc/seprov/config.d/60-module.json <<'JSON'
{"version": "1.0.0", "selinux": {
  "modules": [{"name": "seprovtest", "source": "/etc/seprov/modules/seprovtest.cil"}],
  "fileContexts": [{"path": "/srv/seprovweb(/.*)?", "fileType": "all", "type": "httpd_sys_content_t"}],
  "permissiveDomains": [{"name": "ntpd_t"}]}}
JSON
# Files that exist before the policy names them: the next boot's relabel must reach them.
mkdir -p /opt/seprovtest /srv/seprovweb
echo data >/opt/seprovtest/data
echo hello >/srv/seprovweb/index.html
sync
GUEST
        # What the third boot's guest does for the fourth: the administrator's steps back to the image.
        cat >"$VM_RUN/back-to-image.sh" <<'GUEST'
rm /etc/seprov/ignition.json /etc/seprov/config.d/60-module.json
printf '{"version": "1.0.0", "selinux": {"mode": "enforcing", "store": "image", "discardLocalChanges": true,\n  "audit": {"selinuxEvents": true}}}\n' \
        >/etc/seprov/config.d/90-image.json
GUEST
        cat "$VM_RUN/probe.sh" "$VM_RUN/add-module.sh" >"$VM_RUN/probe-then-module.sh"
        cat "$VM_RUN/probe.sh" "$VM_RUN/back-to-image.sh" >"$VM_RUN/probe-then-back.sh"
}

expect_every_boot() {
        vm_expect run.exit 0
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.system.unit inactive
        vm_expect run.seprov.failed 0
        # The rewritten audit rules let SELinux records through and keep the image's other exclusions.
        vm_expect run.denied avc
        vm_expect run.denied.exit 1
        vm_expect_match run.denied.record 'avc: +denied +\{ [a-z_ ]+ \} for .*comm="cat" .*scontext=system_u:system_r:systemd_networkd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0'
        vm_expect run.excluded excluded
        vm_expect run.control logged
}

scenario() {
        write_config
        write_probe

        vm_new_machine legacy
        vm_boot first --ignition "$VM_RUN/policy.ign" --run "$VM_RUN/probe-then-module.sh"
        expect_every_boot
        vm_expect run.initrd.result "done"
        vm_expect run.initrd.status "done"
        # Ignition re-serialises the config it caches from its own schema, without seprov's key: seprov
        # read it from fw_cfg, where Ignition fetched it (README, "Ignition drops the seprov key").
        vm_expect run.ignition.cache.seprov 0
        vm_expect run.store.link no
        vm_expect var.lib.selinux.type dir
        vm_expect run.final.type directory
        vm_expect run.record yes
        vm_expect_match run.seprov.log 'dontaudit: dontaudit rules disabled, policy edited without a rebuild'
        vm_expect_match run.seprov.log 'boolean: virt_use_nfs=on \(persistent\), policy edited without a rebuild'
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.bool.virt_use_samba on
        vm_expect_match run.booleans.local 'virt_use_nfs=1'
        vm_expect run.module.context no
        vm_expect run.hidden avc
        vm_expect_match run.hidden.record 'avc: +denied +\{ [a-z_ ]+ \} for .*comm="cat" .*tcontext=system_u:object_r:file_context_t:s0 tclass=file permissive=0'
        # The workload's policy is not asked for yet: ntpd_t is confined.
        vm_expect_not_match run.permissive.exit '^0$'
        vm_log "first boot: ${R[analyze.time]}"
        vm_checkpoint first

        vm_boot second --run "$VM_RUN/probe.sh"
        vm_expect_not_match cmdline 'seprov'
        expect_every_boot
        vm_expect run.initrd.result "done"
        vm_expect_match run.seprov.log 'module: seprovtest installed at priority 400'
        vm_expect_not_match run.seprov.log 'returned to the policy|removed from priority'
        vm_expect run.module.context yes
        vm_expect run.module.store yes
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.bool.virt_use_samba on
        vm_expect_match run.booleans.local 'virt_use_nfs=1'
        vm_expect run.hidden avc
        # The workload's policy, in the same rebuild: the files the first boot made were relabelled
        # by seprov (the module's filecon and the fileContexts entry), libselinux's lookup agrees,
        # and ntpd_t is permissive on the live kernel. (A port is vm-seprov-update's: with one in
        # ports.local, turning dontaudit back on needs a rebuild, and the third boot proves it needs none.)
        vm_expect_match run.seprov.log 'relabelled [1-9][0-9]* of [0-9]+ files of the changed file contexts. paths'
        vm_expect run.label.opt system_u:object_r:seprovtest_t:s0
        vm_expect run.label.srv system_u:object_r:httpd_sys_content_t:s0
        vm_expect run.matchpathcon.srv system_u:object_r:httpd_sys_content_t:s0
        vm_expect_match run.status.permissive 'ntpd_t'
        vm_expect run.permissive.exit 0
        vm_log "second boot (module added, one rebuild): ${R[analyze.time]}"
        vm_checkpoint second

        vm_boot third --karg seprov.dontaudit=1 --run "$VM_RUN/probe-then-back.sh"
        expect_every_boot
        vm_expect_match run.seprov.log 'dontaudit: dontaudit rules enabled, policy edited without a rebuild'
        vm_expect run.bool.virt_use_nfs on
        vm_expect run.module.context yes
        vm_expect run.hidden none
        vm_expect run.label.srv system_u:object_r:httpd_sys_content_t:s0
        vm_expect run.permissive.exit 0
        vm_checkpoint third

        vm_boot fourth --run "$VM_RUN/probe.sh"
        expect_every_boot
        vm_expect run.store.link yes
        vm_expect var.lib.selinux.type symlink
        vm_expect_match run.seprov.log "store: returned to the image's store, local changes discarded"
        vm_expect run.bool.virt_use_nfs off
        vm_expect run.bool.virt_use_samba off
        vm_expect run.module.context no
        vm_expect run.hidden none
        # The workload's policy went with the local changes, and what it labelled is relabelled as
        # the image's rules say.
        vm_expect_not_match run.permissive.exit '^0$'
        vm_expect_not_match run.matchpathcon.srv 'httpd_sys_content_t'
        vm_expect_not_match run.matchpathcon.opt 'seprovtest_t'
        vm_expect run.label.srv "${R[run.matchpathcon.srv]-}"
        vm_expect run.label.opt "${R[run.matchpathcon.opt]-}"
        vm_checkpoint fourth
}
