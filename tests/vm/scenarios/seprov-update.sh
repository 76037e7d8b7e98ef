# shellcheck shell=bash
# vm-seprov-update (issue 17, first part): an OS update of a machine with local policy changes, in
# real boots. The updated image's /usr (usr-updated.img, tests/vm/image.sh: vm_update_policy) differs
# from the first the way a distribution's update does: a new module (seprovupdate), a changed one
# (Debian's rsync with a new rule, rsync_t gets sys_nice, a new filecon for /srv/seprov-rsync, and
# its boolean rsync_client on by default), a type removed (the games module is gone), IMAGE_VERSION=2
# in os-release.
#   first:  Ignition's seprov key asks for enforcing, a writable store, SELinux audit events,
#           dontaudit off, virt_use_nfs on (the image's default is off), a port, a file context rule
#           and a local CIL module that Ignition's storage.files wrote (its type, and a rule that
#           lets rsync_t read it). The port and dontaudit off in one rebuild: libsemanage, not
#           seprov's edit, removes the rules. The guest makes files where the update adds filecons.
#   second: the machine's /usr is swapped for the updated one (Flatcar's A/B update: the root disk
#           with /etc and /var stays). seprov copies the new image's store and compiled policy,
#           carries the local changes over and rebuilds: the new module's type, the changed module's
#           rule, filecon and boolean default are in the loaded policy, the removed type is not; the
#           local module, the boolean, the port, the file context rule and dontaudit off are still
#           in force; status says so. The files the first boot made where the update adds filecons
#           are relabelled (what the rebuild changed in file_contexts).
#   third:  the same /usr again: nothing to do, no copy, no rebuild.
# Every boot: running, enforcing, no failed unit, nothing failed in seprov's log.

write_config() {
        cat >"$VM_RUN/seprovlocal.cil" <<'EOF'
(type seprovlocal_t)
(roletype object_r seprovlocal_t)
(typeattributeset file_type (seprovlocal_t))
(allow rsync_t seprovlocal_t (file (read open getattr)))
EOF
        vm_ignition_config "$VM_RUN/update.ign" \
                --file /etc/seprov/modules/seprovlocal.cil 0644 "$VM_RUN/seprovlocal.cil" \
                --extra '"seprov": {"version": "1.0.0", "selinux": {
                        "mode": "enforcing", "store": "writable", "audit": {"selinuxEvents": true},
                        "dontaudit": false,
                        "booleans": [{"name": "virt_use_nfs", "value": true}],
                        "ports": [{"protocol": "tcp", "port": "18443", "type": "http_port_t"}],
                        "fileContexts": [{"path": "/srv/seprov-local(/.*)?", "type": "httpd_sys_content_t"}],
                        "modules": [{"name": "seprovlocal", "source": "/etc/seprov/modules/seprovlocal.cil"}]}}'
}

write_probe() {
        {
                cat "$VM_HARNESS/guest-scripts/avc-probe.sh" "$VM_HARNESS/guest-scripts/seprov-log.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
# Whether the loaded policy knows a context: the kernel refuses an unknown one.
context_valid() { printf '%s' "$1" >/sys/fs/selinux/context 2>/dev/null && echo yes || echo no; }
# The permissions the loaded policy allows SOURCE_TYPE on TARGET_TYPE in CLASS (the kernel's decision).
allowed() {
        compute_av "system_u:system_r:$1:s0" "system_u:${4:-system_r}:$2:s0" "$3" | sed -n 's/^allowed= *//p'
}
kv os.image_version "$(sed -n 's/^IMAGE_VERSION=//p' /usr/lib/os-release)"
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv initrd.status "$(grep -o '"result": *"[a-z]*"' /run/seprov/status.json | head -n 1 | grep -o '[a-z]*"$' | tr -d '"')"
# What the initrd stage's apply took, from status.json: the whole apply (the stage's "usec", before
# its actions), the rebuild and the copies (each action's "usec").
action_usec() {
        tr -d '\n' </run/seprov/status.json | grep -o "{[^{}]*$1[^{}]*}" | grep -o '"usec": *[0-9]*' | grep -o '[0-9]*$' | paste -sd' '
}
kv apply.usec "$(tr -d '\n' </run/seprov/status.json | grep -o '"usec": *[0-9]*, *"error"' | head -n 1 | grep -o '[0-9][0-9]*')"
kv rebuild.usec "$(action_usec 'rebuilt the policy')"
kv copy.usec "$(action_usec 'copied the updated')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv seprov.failed "$(seprov_log | grep -c 'FAILED\|failed')"
kv seprov.log "$(seprov_log | paste -sd'|')"
kv status.text "$(seprov status 2>&1 | paste -sd'|')"
kv modules "$(semodule -l | paste -sd' ')"
kv bool.virt_use_nfs "$(getsebool virt_use_nfs | awk '{print $3}')"
kv bool.rsync_client "$(getsebool rsync_client | awk '{print $3}')"
kv booleans.local "$(paste -sd' ' /var/lib/selinux/default/active/booleans.local 2>/dev/null)"
kv ports.local "$(grep -v -e '^#' -e '^$' /var/lib/selinux/default/active/ports.local 2>/dev/null | paste -sd';')"
# The local file context rule, and the files the first boot made where the update adds filecons: their
# labels on disk (relabelled by the updated boot) and what the installed file_contexts say.
kv fc.local "$(matchpathcon -n /srv/seprov-local/index.html 2>&1)"
kv label.local "$(stat -c %C /srv/seprov-local/index.html 2>/dev/null || echo absent)"
kv label.rsync "$(stat -c %C /srv/seprov-rsync/data 2>/dev/null || echo absent)"
kv label.seprovupdate "$(stat -c %C /srv/seprov-update/data 2>/dev/null || echo absent)"
if [ ! -e /srv/seprov-rsync/data ]; then
        mkdir -p /srv/seprov-local /srv/seprov-rsync /srv/seprov-update
        echo hello >/srv/seprov-local/index.html
        restorecon -R /srv/seprov-local # as an operator does for files made before the rule
        echo data >/srv/seprov-rsync/data
        echo data >/srv/seprov-update/data
        sync
fi
kv disable_dontaudit "$(test -e /var/lib/selinux/default/active/disable_dontaudit && echo yes || echo no)"
kv type.seprovupdate "$(context_valid system_u:object_r:seprovupdate_t:s0)"
kv type.seprovlocal "$(context_valid system_u:object_r:seprovlocal_t:s0)"
kv type.games "$(context_valid system_u:object_r:games_data_t:s0)"
kv av.rsync.capability "$(allowed rsync_t rsync_t capability)"
kv av.rsync.seprovlocal "$(allowed rsync_t seprovlocal_t file object_r)"
kv fc.rsync "$(matchpathcon -n /srv/seprov-rsync/data 2>&1)"
kv fc.seprovupdate "$(matchpathcon -n /srv/seprov-update/data 2>&1)"
kv store.link "$(test -L /var/lib/selinux && echo yes || echo no)"
# A read a dontaudit rule hides: it leaves an AVC only while dontaudit is off in the loaded policy.
avc_probe hidden file_context_t
GUEST
        } >"$VM_RUN/probe.sh"
}

expect_every_boot() {
        vm_expect run.exit 0
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.initrd.result "done"
        vm_expect run.system.unit inactive
        vm_expect run.seprov.failed 0
        vm_expect run.store.link no
        # The local changes, in force on every boot: the module's type and rule, the boolean, dontaudit off.
        vm_expect run.type.seprovlocal yes
        vm_expect_match run.av.rsync.seprovlocal '(^|[ {])read( |$)'
        vm_expect_match run.modules '(^| )seprovlocal( |$)'
        vm_expect run.bool.virt_use_nfs on
        vm_expect_match run.booleans.local '(^| )virt_use_nfs=1( |$)'
        vm_expect run.disable_dontaudit yes
        vm_expect_match run.ports.local '^portcon tcp 18443 system_u:object_r:http_port_t:s0$'
        vm_expect run.fc.local system_u:object_r:httpd_sys_content_t:s0
        vm_expect run.hidden avc
        vm_expect_match run.hidden.record 'avc: +denied +\{ [a-z_ ]+ \} for .*comm="cat" .*tcontext=system_u:object_r:file_context_t:s0 tclass=file permissive=0'
}

# The new image's policy, in the loaded policy and the store.
expect_updated_policy() {
        vm_expect run.os.image_version 2
        vm_expect run.type.seprovupdate yes
        vm_expect run.type.games no
        vm_expect_match run.modules '(^| )seprovupdate( |$)'
        vm_expect_not_match run.modules '(^| )games( |$)'
        vm_expect_match run.av.rsync.capability '(^|[ {])sys_nice( |$)'
        vm_expect run.bool.rsync_client on
        vm_expect_not_match run.booleans.local 'rsync_client'
        vm_expect_match run.fc.rsync ':rsync_data_t:'
        vm_expect_match run.fc.seprovupdate ':seprovupdate_t:'
        # The files the first boot made: relabelled by the updated boot where the new filecons reach,
        # the one under the local rule kept.
        vm_expect run.label.rsync system_u:object_r:rsync_data_t:s0
        vm_expect run.label.seprovupdate system_u:object_r:seprovupdate_t:s0
        vm_expect run.label.local system_u:object_r:httpd_sys_content_t:s0
}

scenario() {
        write_config
        write_probe

        vm_new_machine legacy
        vm_boot first --ignition "$VM_RUN/update.ign" --run "$VM_RUN/probe.sh"
        expect_every_boot
        vm_expect run.initrd.status "done"
        vm_expect_match run.seprov.log 'module: seprovlocal installed at priority 400'
        # The old image: none of the update is there yet.
        vm_expect run.os.image_version ""
        vm_expect run.type.seprovupdate no
        vm_expect run.type.games yes
        vm_expect_match run.modules '(^| )games( |$)'
        vm_expect_not_match run.av.rsync.capability 'sys_nice'
        vm_expect run.bool.rsync_client off
        vm_expect_not_match run.fc.rsync ':rsync_data_t:'
        vm_expect run.label.rsync absent
        vm_log "first boot: the initrd stage's apply ${R[run.apply.usec]} us (status.json); ${R[analyze.time]}"
        vm_checkpoint first

        vm_update_usr
        vm_boot second --run "$VM_RUN/probe.sh"
        expect_every_boot
        expect_updated_policy
        vm_expect run.initrd.status "done"
        # The five local changes: the module at priority 400, booleans.local, ports.local,
        # file_contexts.local, disable_dontaudit.
        vm_expect_match run.seprov.log 'store: copied the updated /usr/lib/selinux/policy/default to /var/lib/selinux/default, 5 local changes carried over'
        vm_expect_match run.seprov.log 'store: copied the updated /usr/lib/selinux/default to /etc/selinux/default'
        vm_expect_match run.seprov.log 'store: rebuilt the policy \(OS update\)'
        vm_expect_not_match run.seprov.log '(^|[|])(module|boolean|dontaudit): [^|]*(installed|edited|rebuil)'
        vm_expect_match run.status.text 'store: rebuilt the policy \(OS update\)'
        vm_expect_match run.status.text 'Store: +/var/lib/selinux/default: writable, copied from /usr/lib/selinux/policy/default'
        vm_expect_match run.rebuild.usec '^[0-9]+$'
        vm_expect_match run.seprov.log 'relabel: relabelled [1-9][0-9]* of [0-9]+ files of the changed file contexts. paths'
        vm_log "updated boot, from status.json: the initrd stage's apply ${R[run.apply.usec]} us, the copies of the store and the compiled policy ${R[run.copy.usec]} us, the rebuild ${R[run.rebuild.usec]} us; ${R[analyze.time]}"
        vm_checkpoint second

        vm_boot third --run "$VM_RUN/probe.sh"
        expect_every_boot
        expect_updated_policy
        # Nothing to do is logged at debug level (vm-seprov-cmdline): no copy and no rebuild in the log,
        # and the stage's result in status.json is "unchanged".
        vm_expect run.initrd.status unchanged
        vm_expect_not_match run.seprov.log 'copied|rebuilt|installed|edited|relabelled'
        vm_expect run.rebuild.usec ""
        vm_log "third boot: the initrd stage's apply ${R[run.apply.usec]} us (status.json); ${R[analyze.time]}"
        vm_checkpoint third
}
