# shellcheck shell=bash
# avc-probe.sh: for scenarios' guest scripts (prepend it to a --run script; not installed in the image).
#
# avc_probe NAME [TYPE]: performs the deliberately denied operation once on a file labelled TYPE
# (default shadow_t) and records, as KEY=VALUE facts in $SEPROV_VM_KV, whether its AVC records
# reached the journal:
#   NAME=avc|none|no-fence, NAME.exit=<exit code of the operation>,
#   NAME.record=<its AVC records since the probe began, joined with " | ">
# The probe's directory is labelled var_run_t, which every domain may search, so the denial is the
# file's own even in enforcing mode, where the first denial stops the operation (in a directory
# labelled initrc_runtime_t, the search of the directory would be denied first, and audited
# whatever the dontaudit rules say).
#
# The operation: a process in systemd-networkd's confined domain reads a file labelled shadow_t,
#       runcon -t systemd_networkd_t -- cat FILE
# Debian's default policy lets the caller (initrc_t here, an unconfined domain) enter
# systemd_networkd_t, and /usr/bin/cat (bin_t) is an entrypoint of that domain, so the transition
# works in enforcing mode too; no rule lets systemd_networkd_t read shadow_t files and no dontaudit
# rule hides the denial, so the read is denied and audited ("avc: denied { read } ... tclass=file").
# With TYPE file_context_t the read is denied too, but a dontaudit rule hides it
# ("dontaudit nsswitch_domain file_context_t:file { ... open read }"): the probe of dontaudit.
#
# The absence of a record is made as certain as its presence: after the operation the audit rules
# are cleared and a user message (the fence) is sent through the same kernel queue; once the fence
# is in the journal, the operation's AVC would be too. So a probe leaves the kernel with no audit
# rules: load the next rule set before the next probe. The policy is reloaded first, because in
# permissive mode the kernel caches a logged denial as allowed and would not log it again.
#
# avc_excluded_mark NAME, then avc_probe PROBE, then avc_excluded NAME PROBE: the negative, that the
# audit rules loaded (as the boot left them) still drop what the image excluded. The mark is a user
# message (type USER, which Flatcar's rules drop: "-a exclude,always -F msgtype>0"), sent before
# PROBE's denial and so before its fence; once the fence is in the journal, the mark would be too.
#   NAME=excluded|logged|no-fence
# Its control: with no rules loaded, avc_excluded_mark NAME; auditctl -m seprov-vm-fence-NAME;
# avc_excluded NAME NAME must say "logged".
#
# avc_probe_rules: all three on the audit rules as the boot loaded them: "denied" (avc_probe),
# "excluded" and its control "control".

avc_probe_dir=/run/seprov-avc-probe

avc_kv() {
        echo "$1=$2" >>"$SEPROV_VM_KV"
}

# Waits (bounded: 60 s) until the journal holds an audit record containing $1.
avc_journal_has() {
        local i
        for ((i = 0; i < 300; i++)); do
                journalctl -b -q -o cat _TRANSPORT=audit | grep -qF -- "$1" && return 0
                sleep 0.2
        done
        return 1
}

# avc_load_rules FILE...: replaces the kernel's audit rules with those of FILEs.
avc_load_rules() {
        local f
        auditctl -D >/dev/null
        for f; do
                auditctl -R "$f" >/dev/null
        done
}

avc_probe() {
        local name=$1 type=${2:-shadow_t} file=$avc_probe_dir/secret-$1 fence="seprov-vm-fence-$1" rc=0 cursor
        mkdir -p "$avc_probe_dir"
        chcon -t var_run_t "$avc_probe_dir"
        echo secret >"$file"
        chcon -t "$type" "$file"
        load_policy
        cursor=$(journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
        runcon -t systemd_networkd_t -- cat "$file" </dev/null >/dev/null 2>&1 || rc=$?
        avc_kv "$name.exit" "$rc"
        auditctl -D >/dev/null
        auditctl -m "$fence"
        if ! avc_journal_has "$fence"; then
                avc_kv "$name" no-fence
        elif journalctl -q -o cat --after-cursor="$cursor" _TRANSPORT=audit _AUDIT_TYPE_NAME=AVC |
                grep -F 'comm="cat"' | grep -F 'scontext=system_u:system_r:systemd_networkd_t:' >"$avc_probe_dir/$name.avc"; then
                avc_kv "$name" avc
                avc_kv "$name.record" "$(paste -sd'|' "$avc_probe_dir/$name.avc" | sed 's/|/ | /g')"
        else
                avc_kv "$name" none
        fi
}

avc_excluded_mark() {
        mkdir -p "$avc_probe_dir"
        journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p' >"$avc_probe_dir/$1.cursor"
        auditctl -m "seprov-vm-excluded-$1"
}

avc_excluded() {
        local name=$1 probe=$2
        if ! avc_journal_has "seprov-vm-fence-$probe"; then
                avc_kv "$name" no-fence
        elif journalctl -q -o cat --after-cursor="$(cat "$avc_probe_dir/$name.cursor")" _TRANSPORT=audit |
                grep -qF "seprov-vm-excluded-$name"; then
                avc_kv "$name" logged
        else
                avc_kv "$name" excluded
        fi
}

avc_probe_rules() {
        avc_excluded_mark excluded
        avc_probe denied
        avc_excluded excluded denied
        # The probe cleared the rules: now the same mark must reach the journal.
        avc_excluded_mark control
        auditctl -m seprov-vm-fence-control
        avc_excluded control control
}
