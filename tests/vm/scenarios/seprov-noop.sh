# shellcheck shell=bash
# vm-seprov-noop (the issue's scenario 6): a second boot with nothing to do. The first boot applies a
# config written by Ignition; on the second, the initrd stage finds nothing to change and the real
# root pulls nothing in. Each boot probes the audit rules it loaded: the denied read is logged, a
# record the image excluded stays excluded (avc-probe.sh). Reports what seprov costs on that boot path: under emulation as ratios to
# references measured in the same boot, since absolute times mean little there.
#   - seprov-initrd.service, from its start and finish in the journal, against
#     initrd-parse-etc.service, a small unit of the same stage;
#   - seprov apply's own time, as status.json records it;
#   - seprov-generator in the real root, run 200 times, against systemd's getty generator.

# What the probes of each boot must find (the rules seprov rewrote, as this boot loaded them).
expect_probes() {
        vm_expect run.denied avc
        vm_expect run.denied.exit 1
        vm_expect run.excluded excluded
        vm_expect run.control logged
}

scenario() {
        printf '{"version": "1.0.0", "selinux": {"mode": "enforcing", "audit": {"selinuxEvents": true}}}\n' \
                >"$VM_RUN/50-fleet.json"
        vm_ignition_config "$VM_RUN/fleet.ign" --file /etc/seprov/config.d/50-fleet.json 0644 "$VM_RUN/50-fleet.json"
        {
                cat "$VM_HARNESS/guest-scripts/seprov-log.sh" "$VM_HARNESS/guest-scripts/avc-probe.sh"
                cat <<'GUEST'
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }
# Microseconds from a unit's "Starting" to its "Finished"/"Deactivated" line in this boot's journal.
unit_usec() {
        journalctl -b -q -o json -u "$1" --output-fields=MESSAGE,__MONOTONIC_TIMESTAMP |
                awk -F'"__MONOTONIC_TIMESTAMP":"' '/Starting/ && !s { split($2, a, "\""); s = a[1] }
                        /Finished|Deactivated/ && s && !e { split($2, a, "\""); e = a[1] } END { print (e && s) ? e - s : "" }'
}
# Mean microseconds of one run of a generator, over 200 runs.
gen_usec() {
        local out t0 t1
        out=$(mktemp -d)
        t0=$(date +%s%N)
        for _ in $(seq 200); do "$1" "$out" "$out" "$out" >/dev/null 2>&1; rm -rf "${out:?}"/*; done
        t1=$(date +%s%N)
        rm -rf "$out"
        echo $(((t1 - t0) / 200000))
}
kv initrd.result "$(sed -n 's/^RESULT=//p' /run/seprov/initrd)"
kv initrd.apply "$(seprov_log | grep '^apply (initrd stage' | paste -sd'|')"
kv initrd.status "$(grep -o '"result": *"[a-z]*"' /run/seprov/status.json | head -n 1 | grep -o '[a-z]*"$' | tr -d '"')"
kv system.unit "$(systemctl show -P ActiveState seprov.service)"
kv cost.initrd.unit "$(unit_usec seprov-initrd.service)"
kv cost.initrd.reference "$(unit_usec initrd-parse-etc.service)"
kv cost.apply "$(grep -o '"usec": *[0-9]*' /run/seprov/status.json | head -n 1 | grep -o '[0-9]*$')"
kv cost.generator "$(gen_usec /usr/lib/systemd/system-generators/seprov-generator)"
kv cost.generator.reference "$(gen_usec /usr/lib/systemd/system-generators/systemd-getty-generator)"
# The audit rules as this boot loaded them: SELinux records get through, the image's other
# exclusions hold (avc-probe.sh).
avc_probe_rules
GUEST
        } >"$VM_RUN/cost.sh"
        vm_new_machine legacy
        vm_boot first --ignition "$VM_RUN/fleet.ign" --run "$VM_RUN/cost.sh"
        vm_expect getenforce Enforcing
        vm_expect run.initrd.status "done"
        vm_expect_match run.initrd.apply 'apply \(initrd stage, root /sysroot\): done'
        expect_probes
        vm_checkpoint first

        vm_boot second --run "$VM_RUN/cost.sh"
        vm_expect getenforce Enforcing
        vm_expect run.initrd.result "done"
        vm_expect run.initrd.status unchanged
        # Nothing to do is logged at debug level, so that the common boot does not load libsystemd
        # for one journal entry; the unit's start and finish and status.json say that it ran.
        vm_expect run.initrd.apply ""
        vm_expect run.system.unit inactive
        vm_expect_match run.cost.initrd.unit '^[0-9]+$'
        vm_expect_match run.cost.generator '^[0-9]+$'
        expect_probes
        vm_checkpoint second

        vm_log "cost on a boot with nothing to do, under emulation (TCG):"
        vm_log "  seprov-initrd.service: ${R[run.cost.initrd.unit]} us, initrd-parse-etc.service: ${R[run.cost.initrd.reference]} us (ratio $(awk -v a="${R[run.cost.initrd.unit]}" -v b="${R[run.cost.initrd.reference]:-0}" 'BEGIN { printf "%.2f", b ? a / b : 0 }'))"
        vm_log "  seprov apply itself (status.json): ${R[run.cost.apply]} us"
        vm_log "  seprov-generator: ${R[run.cost.generator]} us per run, systemd-getty-generator: ${R[run.cost.generator.reference]} us (ratio $(awk -v a="${R[run.cost.generator]}" -v b="${R[run.cost.generator.reference]:-0}" 'BEGIN { printf "%.2f", b ? a / b : 0 }'))"
}
