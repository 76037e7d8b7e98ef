# shellcheck shell=bash
# vm-audit-denial: the groundwork of the issue's scenario 3, on the image as shipped (no seprov).
#
# The deliberately denied operation: a process in systemd-networkd's confined domain reads a file
# labelled shadow_t:
#       runcon -t systemd_networkd_t -- cat FILE      (FILE: chcon -t shadow_t)
# Under Debian's default policy the reporter's domain (initrc_t, an unconfined domain) may enter
# systemd_networkd_t (init_daemon_domain: "allow initrc_t systemd_networkd_t:process transition"),
# and /usr/bin/cat (bin_t) is an entrypoint of that domain (networkd runs helpers), so runcon itself
# succeeds; but no rule lets systemd_networkd_t read shadow_t files and no dontaudit rule hides it,
# so the read is denied and audited: "avc: denied { read } ... tclass=file" (permissive=1 here, the
# image being permissive; permissive=0 and a failed cat once enforcing).
#
# Each probe is fenced so the absence of a record is as deterministic as its presence: after the
# operation, the rules are cleared and a user message is sent through the same kernel queue; once
# that fence is in the journal, any AVC of the operation would be there too. Each probe reloads the
# policy first, because in permissive mode the kernel caches a logged denial as allowed.
#
# Rule sets probed, on one boot:
#   flatcar    the image's rules as auditd loaded them at boot: no AVC reaches the journal;
#   no-80      only 80-selinux.rules removed: still none, since 99-default.rules' "exclude,always
#              -F msgtype>0" drops every record (on the exclude list any matching rule drops);
#   docs-fix   80-selinux.rules and 99-default.rules removed (Flatcar's documented manual fix): the
#              AVC is in the journal with _TRANSPORT=audit.

scenario() {
        vm_new_machine legacy
        cat >"$VM_RUN/denial.sh" <<'GUEST'
set -u
dir=/run/seprov-vm/denial
rules=/etc/audit/rules.d
mkdir -p "$dir"
kv() { echo "$1=$2" >>"$SEPROV_VM_KV"; }

# Waits (bounded) until the journal holds an audit record containing $1.
journal_has() {
        local i
        for ((i = 0; i < 300; i++)); do
                journalctl -b -q -o cat _TRANSPORT=audit | grep -qF -- "$1" && return 0
                sleep 0.2
        done
        return 1
}

load_rules() {
        auditctl -D >/dev/null
        local f
        for f; do auditctl -R "$f" >/dev/null; done
}

probe() {
        local name=$1 file=$dir/secret-$1 fence="seprov-vm-fence-$1"
        echo secret >"$file"
        chcon -t shadow_t "$file"
        load_policy
        runcon -t systemd_networkd_t -- cat "$file" </dev/null >/dev/null 2>&1
        kv "$name.exit" "$?"
        auditctl -D >/dev/null
        auditctl -m "$fence"
        if ! journal_has "$fence"; then
                kv "$name" "no-fence"
                return
        fi
        if journalctl -b -q -o cat _TRANSPORT=audit _AUDIT_TYPE_NAME=AVC | grep -F "name=\"secret-$name\"" \
                >"$dir/$name.avc"; then
                kv "$name" avc
                kv "$name.record" "$(head -n 1 "$dir/$name.avc")"
        else
                kv "$name" none
        fi
}

kv rules.boot "$(auditctl -l | paste -sd';')"
probe flatcar
load_rules "$rules/00-clear.rules" "$rules/99-default.rules"
probe no-80
load_rules "$rules/00-clear.rules"
probe docs-fix
GUEST
        vm_boot denial --run "$VM_RUN/denial.sh"
        vm_expect getenforce Permissive
        vm_expect run.exit 0
        vm_expect_match run.rules.boot 'never,exclude -F msgtype>=AVC -F msgtype<=1499'
        vm_expect_match run.rules.boot 'always,exclude -F msgtype>0'
        vm_expect run.flatcar none
        vm_expect run.no-80 none
        vm_expect run.docs-fix avc
        vm_expect_match run.docs-fix.record 'avc: +denied +\{ (open )?read( open)? \}.*scontext=system_u:system_r:systemd_networkd_t:.*tcontext=system_u:object_r:shadow_t:.*tclass=file permissive=1'
        vm_checkpoint denial
}
