# shellcheck shell=bash
# qemu.sh: boots the machine under test under software emulation and collects what the guest reports.
#
# A machine is a directory (the scenario's run directory) holding copy-on-write overlays of one cached
# image: root.qcow2 over the image's root.img, while /usr is the image's usr.img attached read-only.
# Each boot writes NAME.console.log (serial console), NAME.report.log (the guest's report port) and
# NAME.qemu.log (qemu's own messages) there, and fills the array R with the reported facts.

declare -gA R=()
VM_MACHINE=""                   # run directory of the current machine
VM_MACHINE_IMAGE=""             # image directory it was made from
VM_MACHINE_USR=""               # the /usr disk it boots with: the image's usr.img, or after
                                # vm_update_usr its usr-updated.img
VM_QEMU_PID=""

# Seconds a boot may take before it is killed (the guest reports by itself after 300 s, see
# seprov-vm.wait= in guest/seprov-vm-report), and before a boot that hangs in the kernel is treated
# as an emulator hang and retried once: a console still silent (no "Linux version" line), or a
# kernel that has not started the initrd's init ("Run /init as init process") that long after it
# started. Under TCG the kernel reaches init in 2 to 10 s; a CI run saw one stop for good at 0.85 s
# in its own initialisation. Nothing has touched the disks before init runs, so the retry is the
# same boot.
VM_BOOT_TIMEOUT=${SEPROV_VM_BOOT_TIMEOUT:-600}
VM_EARLY_TIMEOUT=${SEPROV_VM_EARLY_TIMEOUT:-120}
# Seconds between the guest's final marker and qemu exiting (clean poweroff).
VM_POWEROFF_TIMEOUT=${SEPROV_VM_POWEROFF_TIMEOUT:-180}

vm_qemu_kill() {
        [[ -n $VM_QEMU_PID ]] || return 0
        kill "$VM_QEMU_PID" 2>/dev/null || true
        wait "$VM_QEMU_PID" 2>/dev/null || true
        VM_QEMU_PID=""
}

# A fresh machine for this scenario from the cached image of LAYOUT (default legacy).
vm_new_machine() {
        local layout=${1:-legacy}
        VM_MACHINE_IMAGE=$(vm_image "$layout")
        VM_MACHINE=$VM_RUN/machine-$layout
        rm -rf "$VM_MACHINE"
        mkdir -p "$VM_MACHINE"
        qemu-img create -q -f qcow2 -F raw -b "$VM_MACHINE_IMAGE/root.img" "$VM_MACHINE/root.qcow2"
        VM_MACHINE_USR=$VM_MACHINE_IMAGE/usr.img
        vm_log "new machine ($layout) in $VM_MACHINE"
}

# An OS update of the current machine, as Flatcar's A/B update does it: the next boots get the
# updated image's /usr (usr-updated.img, built with the legacy image: image.sh, vm_update_policy);
# the root disk, with /etc and /var, stays.
vm_update_usr() {
        [[ -n $VM_MACHINE ]] || vm_die "vm_update_usr before vm_new_machine"
        [[ -f $VM_MACHINE_IMAGE/usr-updated.img ]] ||
                vm_die "the image $VM_MACHINE_IMAGE has no updated /usr (only the legacy layout's has one)"
        VM_MACHINE_USR=$VM_MACHINE_IMAGE/usr-updated.img
        vm_log "OS update: the machine's /usr is now $VM_MACHINE_USR"
}

# The qemu command line for one boot. Report port and console go to files; fw_cfg carries the
# Ignition config and the scenario's script.
vm_qemu_args() {
        local name=$1 kargs=$2 ign=$3 run=$4 interactive=$5
        local -n args=$6
        args=(qemu-system-x86_64 -nodefaults -no-user-config -machine q35 -accel "tcg,thread=multi" -smp 2
                -cpu "qemu64,-svm"
                -m 2048 -display none -no-reboot -nic none
                -kernel "$VM_MACHINE_IMAGE/vmlinuz" -initrd "$VM_MACHINE_IMAGE/initrd.img" -append "$kargs"
                -drive "if=none,id=root,format=qcow2,file=$VM_MACHINE/root.qcow2,discard=unmap"
                -device "virtio-blk-pci,drive=root"
                -drive "if=none,id=usr,format=raw,file=$VM_MACHINE_USR,readonly=on"
                -device "virtio-blk-pci,drive=usr"
                -device virtio-rng-pci
                -device virtio-serial-pci
                -chardev "file,id=report,path=$VM_MACHINE/$name.report.log"
                -device "virtserialport,chardev=report,name=org.seprov.vm.report")
        if ((interactive)); then
                args+=(-serial mon:stdio)
        else
                args+=(-serial "file:$VM_MACHINE/$name.console.log")
        fi
        [[ -z $ign ]] || args+=(-fw_cfg "name=opt/com.coreos/config,file=$ign")
        [[ -z $run ]] || args+=(-fw_cfg "name=opt/org.seprov.vm/run,file=$run")
}

# Reads the report lines of FILE into R (values sent as KEY:b64 are decoded).
vm_read_report() {
        local line key value
        R=()
        while IFS= read -r line; do
                line=${line%$'\r'}
                line=${line#*SEPROV-VM }
                [[ $line == *=* ]] || continue
                key=${line%%=*}
                value=${line#*=}
                if [[ $key == *:b64 ]]; then
                        key=${key%:b64}
                        value=$(printf '%s' "$value" | base64 -d 2>/dev/null) || value="<undecodable>"
                fi
                R[$key]=$value
        done < <(grep -a 'SEPROV-VM ' "$1")
}

# Prints a boot's logs into the test output (a failing boot's console is what explains it).
vm_dump_boot() {
        local name=$1 lines=${2:-400}
        echo "----- $name: last $lines lines of the serial console ($VM_MACHINE/$name.console.log) -----"
        tail -n "$lines" "$VM_MACHINE/$name.console.log" 2>/dev/null || true
        echo "----- $name: qemu messages -----"
        cat "$VM_MACHINE/$name.qemu.log" 2>/dev/null || true
        echo "----- $name: report -----"
        cat "$VM_MACHINE/$name.report.log" 2>/dev/null || true
        echo "----- end of $name -----"
}

vm_report_done() {
        grep -aqs 'SEPROV-VM-DONE' "$VM_MACHINE/$1.report.log" "$VM_MACHINE/$1.console.log"
}

# The serial console of boot NAME as text: without carriage returns and terminal colour sequences.
vm_console_text() {
        sed -e 's/\r//g' -e 's/\x1b\[[0-9;]*[a-zA-Z]//g' "$VM_MACHINE/$1.console.log" 2>/dev/null
}

# Whether boot NAME's console shows a line matching the extended REGEX.
vm_console_has() {
        vm_console_text "$1" | grep -aqE -- "$2"
}

# Watches one qemu run until the guest reported and powered off, or, with UNTIL (an extended
# regular expression), until the serial console shows a line matching it: then qemu is killed.
# Returns 0 on success, 2 for a boot that hung before the kernel printed anything or before it ran
# the initrd's init (worth one retry), 1 for any other failure (a boot that ends, or times out,
# before UNTIL showed is one).
vm_watch() {
        local name=$1 until=${2:-} start now done_at="" kernel_at="" init_at=""
        local console=$VM_MACHINE/$name.console.log
        start=$(vm_now)
        while :; do
                now=$(vm_now)
                # Before the exit check: a console that shows UNTIL and then powers off still counts.
                if [[ -n $until ]] && vm_console_has "$name" "$until"; then
                        vm_log "$name: the console shows /$until/ after $((now - start)) s; ending the boot"
                        vm_qemu_kill
                        return 0
                fi
                if ! kill -0 "$VM_QEMU_PID" 2>/dev/null; then
                        wait "$VM_QEMU_PID" 2>/dev/null
                        VM_QEMU_PID=""
                        if [[ -n $until ]]; then
                                vm_log "$name: qemu exited after $((now - start)) s before the console showed /$until/"
                                return 1
                        fi
                        vm_report_done "$name" && return 0
                        vm_log "$name: qemu exited after $((now - start)) s without the guest's SEPROV-VM-DONE"
                        return 1
                fi
                if [[ -z $done_at && -z $until ]] && vm_report_done "$name"; then
                        done_at=$now
                        vm_log "$name: report complete after $((now - start)) s, waiting for poweroff"
                fi
                if [[ -n $done_at ]] && ((now - done_at > VM_POWEROFF_TIMEOUT)); then
                        vm_log "$name: guest reported but did not power off within $VM_POWEROFF_TIMEOUT s"
                        vm_qemu_kill
                        return 1
                fi
                if [[ -z $kernel_at ]] && grep -aqs 'Linux version' "$console"; then
                        kernel_at=$now
                        vm_log "$name: kernel started after $((now - start)) s"
                fi
                if [[ -z $kernel_at ]] && ((now - start > VM_EARLY_TIMEOUT)); then
                        vm_log "$name: no kernel output after $VM_EARLY_TIMEOUT s"
                        vm_qemu_kill
                        return 2
                fi
                if [[ -n $kernel_at && -z $init_at ]] && grep -aqs 'Run /init as init process' "$console"; then
                        init_at=$now
                fi
                if [[ -n $kernel_at && -z $init_at ]] && ((now - kernel_at > VM_EARLY_TIMEOUT)); then
                        vm_log "$name: the kernel has not run the initrd's init $VM_EARLY_TIMEOUT s after it started"
                        vm_qemu_kill
                        return 2
                fi
                if ((now - start > VM_BOOT_TIMEOUT)); then
                        vm_log "$name: timed out after $VM_BOOT_TIMEOUT s"
                        vm_qemu_kill
                        return 1
                fi
                # Poll the explicit markers; the deadlines above bound the wait.
                sleep 1
        done
}

# vm_boot NAME [--karg ARG]... [--ignition FILE] [--run SCRIPT] [--timeout SECONDS]
#         [--until-console REGEX]
# Boots the current machine once and waits for the guest's report; on return R holds the facts.
# An Ignition config makes this an Ignition first boot (ignition.firstboot=1). Fails the scenario,
# with the boot's console in the output, when the guest does not report.
# With --until-console, for a boot that never reaches the report (e.g. one that stops in the
# initrd's emergency mode): the boot ends, qemu killed, as soon as a line of the serial console
# matches the extended REGEX, and fails if qemu exits or the deadline passes before one does. R then
# holds "console" (the console as text, see vm_console_text) and "report" (whatever the guest's
# report port received).
vm_boot() {
        local name=$1 kargs=$VM_KARGS_BASE ign="" run="" until="" attempt rc start
        local -a qemu=()
        shift
        [[ -n $VM_MACHINE ]] || vm_die "vm_boot before vm_new_machine"
        while (($#)); do
                case $1 in
                --karg) kargs+=" $2"; shift 2 ;;
                --ignition) ign=$2; kargs+=" ignition.firstboot=1"; shift 2 ;;
                --run) run=$2; shift 2 ;;
                --timeout) local VM_BOOT_TIMEOUT=$2; shift 2 ;;
                --until-console) until=$2; shift 2 ;;
                *) vm_die "vm_boot: unknown option $1" ;;
                esac
        done
        [[ -z $ign ]] || vm_ignition_validate "$ign"
        vm_qemu_args "$name" "$kargs" "$ign" "$run" 0 qemu
        for attempt in 1 2; do
                rm -f "$VM_MACHINE/$name".{console,report,qemu}.log
                vm_log "$name: booting (attempt $attempt): $kargs"
                start=$(vm_now)
                "${qemu[@]}" >"$VM_MACHINE/$name.qemu.log" 2>&1 &
                VM_QEMU_PID=$!
                if [[ -n ${SEPROV_VM_CONSOLE:-} ]]; then
                        tail -n +1 -F --pid="$VM_QEMU_PID" "$VM_MACHINE/$name.console.log" 2>/dev/null >&2 &
                fi
                rc=0
                vm_watch "$name" "$until" || rc=$?
                ((rc == 2 && attempt == 1)) || break
                vm_log "$name: retrying a boot that hung in the kernel, before the initrd's init"
        done
        if ((rc != 0)); then
                vm_dump_boot "$name"
                vm_die "$name: boot failed"
        fi
        if [[ -n $until ]]; then
                R=([console]="$(vm_console_text "$name")" [report]="$(tr -d '\0' <"$VM_MACHINE/$name.report.log" 2>/dev/null)")
                vm_log "$name: ended on the console in $(($(vm_now) - start)) s"
                return 0
        fi
        vm_read_report "$VM_MACHINE/$name.report.log"
        ((${#R[@]})) || vm_read_report "$VM_MACHINE/$name.console.log"
        vm_log "$name: booted and reported in $(($(vm_now) - start)) s (${R[analyze.time]:-no systemd-analyze time})"
}

# Checks an Ignition config with the host's ignition-validate, when it has one: a broken config
# should fail here, with Ignition's own message, rather than as a guest stuck in emergency mode.
vm_ignition_validate() {
        command -v ignition-validate >/dev/null || return 0
        ignition-validate "$1" >"$1.validate" 2>&1 ||
                { cat "$1.validate" >&2; vm_die "invalid Ignition config $1"; }
}

# vm_ignition_config OUT [--extra 'JSON MEMBERS'] [--file PATH MODE SOURCE]...
# Writes an Ignition spec 3.3 config that creates each PATH (octal MODE) with SOURCE's content;
# --extra adds top-level members (e.g. '"seprov": {...}').
vm_ignition_config() {
        local out=$1 extra="" files="" sep=""
        shift
        while (($#)); do
                case $1 in
                --extra) extra=",$2"; shift 2 ;;
                --file)
                        files+="$sep{\"path\":\"$2\",\"mode\":$((8#$3)),\"overwrite\":true,"
                        files+="\"contents\":{\"source\":\"data:;base64,$(base64 -w0 <"$4")\"}}"
                        sep=","
                        shift 4 ;;
                *) vm_die "vm_ignition_config: unknown option $1" ;;
                esac
        done
        printf '{"ignition":{"version":"3.3.0"},"storage":{"files":[%s]}%s}\n' "$files" "$extra" >"$out"
}
