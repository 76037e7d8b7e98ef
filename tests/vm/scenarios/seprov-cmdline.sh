# shellcheck shell=bash
# vm-seprov-cmdline (the issue's scenarios 1, 2 and 6): an Ignition first boot, then a reboot with
# nothing to do.
#   first:  seprov.mode=enforcing on the kernel command line brings PID 1 up enforcing, from the
#           config file seprov's initrd stage made a regular file. Ignition wrote a file of its own
#           and the machine's cloud-config user data, which asks for SELinux audit events in its
#           seprov key and uses the cloud-init features seprov must let pass outside that key (a
#           write_files entry tagged !!binary, an anchor and a merge key, a duplicate key): the
#           probes see the rules seprov rewrote as this boot loaded them (the denied read is
#           logged, a record the image excluded stays excluded; guest-scripts/avc-probe.sh).
#   second: no seprov word and no Ignition: still enforcing, Ignition's file and the machine id
#           kept; the initrd stage finds nothing to change and the real root pulls nothing in. This
#           boot reports what seprov costs on that path, under emulation as ratios to references
#           measured in the same boot, since absolute times mean little there:
#             - seprov-initrd.service, from its start and finish in the journal, against
#               initrd-parse-etc.service, a small unit of the same stage;
#             - seprov apply's own time, as status.json records it;
#             - seprov-generator in the real root, run 50 times, against systemd's getty generator.

write_probes() {
        printf 'written by Ignition\n' >"$VM_RUN/hello"
        cat >"$VM_RUN/user_data" <<'EOF'
#cloud-config
hostname: node-1
defaults: &defaults
  permissions: "0644"
  owner: root:root
write_files:
- path: /etc/motd.d/fleet
  <<: *defaults
  encoding: b64
  content: !!binary |
    aGVsbG8K
hostname: node-1-again
seprov:
  version: "1.0.0"
  selinux:
    audit:
      selinuxEvents: true
EOF
        vm_ignition_config "$VM_RUN/fleet.ign" --file /etc/seprov-vm/ignition-wrote 0644 "$VM_RUN/hello" \
                --file /var/lib/flatcar-install/user_data 0600 "$VM_RUN/user_data"
        {
                cat "$VM_HARNESS/guest-scripts/seprov-log.sh" "$VM_HARNESS/guest-scripts/avc-probe.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
kv ignition.file "$(cat /etc/seprov-vm/ignition-wrote)"
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd 2>/dev/null)"
kv initrd.status "$(grep -o '"result": *"[a-z]*"' /run/seprov/status.json | head -n 1 | grep -o '[a-z]*"$' | tr -d '"')"
kv initrd.apply "$(seprov_log | grep '^apply (initrd stage' | paste -sd'|')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv seprov.log "$(seprov_log | paste -sd'|')"
avc_probe_rules
GUEST
        } >"$VM_RUN/first.sh"
        {
                cat "$VM_RUN/first.sh"
                cat <<'GUEST'
# Microseconds from a unit's "Starting" to its "Finished"/"Deactivated" line in this boot's journal.
unit_usec() {
        journalctl -b -q -o json -u "$1" --output-fields=MESSAGE,__MONOTONIC_TIMESTAMP |
                awk -F'"__MONOTONIC_TIMESTAMP":"' '/Starting/ && !s { split($2, a, "\""); s = a[1] }
                        /Finished|Deactivated/ && s && !e { split($2, a, "\""); e = a[1] } END { print (e && s) ? e - s : "" }'
}
# Mean microseconds of one run of a generator, over 50 runs: enough for a ratio, and each run costs
# a fork and an exec under emulation (about 0.1-0.25 s).
gen_usec() {
        local out t0 t1
        out=$(mktemp -d)
        t0=$(date +%s%N)
        for _ in $(seq 50); do "$1" "$out" "$out" "$out" >/dev/null 2>&1; rm -rf "${out:?}"/*; done
        t1=$(date +%s%N)
        rm -rf "$out"
        echo $(((t1 - t0) / 50000))
}
kv cost.initrd.unit "$(unit_usec seprov-initrd.service)"
kv cost.initrd.reference "$(unit_usec initrd-parse-etc.service)"
kv cost.apply "$(grep -o '"usec": *[0-9]*' /run/seprov/status.json | head -n 1 | grep -o '[0-9]*$')"
kv cost.generator "$(gen_usec /usr/lib/systemd/system-generators/seprov-generator)"
kv cost.generator.reference "$(gen_usec /usr/lib/systemd/system-generators/systemd-getty-generator)"
GUEST
        } >"$VM_RUN/second.sh"
}

# What every boot of this machine must show: enforcing from the persistent config, the rewritten audit
# rules as the boot loaded them.
expect_every_boot() {
        vm_expect boot.state running
        vm_expect failed.units ""
        vm_expect run.exit 0
        vm_expect getenforce Enforcing
        vm_expect etc.selinux.config.type file
        vm_expect etc.selinux.config.selinux enforcing
        vm_expect run.initrd.result "done"
        vm_expect run.system.unit inactive
        vm_expect run.ignition.file "written by Ignition"
        vm_expect run.denied avc
        vm_expect run.denied.exit 1
        vm_expect run.excluded excluded
        vm_expect run.control logged
}

ratio() {
        awk -v a="$1" -v b="${2:-0}" 'BEGIN { printf "%.2f", b ? a / b : 0 }'
}

scenario() {
        local first_machine_id
        write_probes
        vm_new_machine legacy
        vm_boot first --ignition "$VM_RUN/fleet.ign" --karg seprov.mode=enforcing --run "$VM_RUN/first.sh"
        expect_every_boot
        vm_expect_match cmdline '(^| )ignition\.firstboot=1( |$)'
        vm_expect ignition.result present
        vm_expect_match ignition.log 'createFiles: .*writing file "/sysroot/etc/seprov-vm/ignition-wrote"'
        vm_expect_match machine.id '^[0-9a-f]{32}$'
        vm_expect run.initrd.status "done"
        vm_expect_match run.initrd.apply 'apply \(initrd stage, root /sysroot\): done'
        vm_expect_match run.seprov.log 'mode: SELINUX=enforcing \(was permissive\) in /etc/selinux/config'
        vm_expect_match analyze.time '^Startup finished in .*\(initrd\)'
        vm_checkpoint first
        first_machine_id=${R[machine.id]}

        vm_boot second --run "$VM_RUN/second.sh"
        expect_every_boot
        vm_expect_not_match cmdline 'seprov|ignition\.firstboot'
        vm_expect ignition.log ""
        vm_expect machine.id "$first_machine_id"
        vm_expect run.initrd.status unchanged
        # Nothing to do is logged at debug level, so that the common boot does not load libsystemd
        # for one journal entry; the unit's start and finish and status.json say that it ran.
        vm_expect run.initrd.apply ""
        vm_expect_match run.cost.initrd.unit '^[0-9]+$'
        vm_expect_match run.cost.generator '^[0-9]+$'
        vm_checkpoint second

        vm_log "cost on a boot with nothing to do, under emulation (TCG):"
        vm_log "  seprov-initrd.service: ${R[run.cost.initrd.unit]} us, initrd-parse-etc.service: ${R[run.cost.initrd.reference]} us (ratio $(ratio "${R[run.cost.initrd.unit]}" "${R[run.cost.initrd.reference]}"))"
        vm_log "  seprov apply itself (status.json): ${R[run.cost.apply]} us"
        vm_log "  seprov-generator: ${R[run.cost.generator]} us per run, systemd-getty-generator: ${R[run.cost.generator.reference]} us (ratio $(ratio "${R[run.cost.generator]}" "${R[run.cost.generator.reference]}"))"
}
