#!/bin/bash
# seprov status --root: where SELinux records go, from the root's unit files, on a fixture root
# (Debian's policy) in each setup: auditd enabled, only journald's audit socket (upstream systemd's
# default), neither (Flatcar's default, and RHEL's without auditd), and the socket masked; the
# warning when audit.selinuxEvents is on and only the kernel's printk copies receive the records.
# Usage: test-records.sh SEPROV
set -euo pipefail

seprov=$(realpath "${1:?usage: test-records.sh SEPROV}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/tmpdir.sh
. "$here/../tmpdir.sh"
work=$(mktemp -d "$(test_tmpdir)/seprov-records.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LC_ALL=C
failures=0
root=$work/root
"$here/../fixtures/make-root.sh" plain "$root" >/dev/null

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

etc=$root/etc/systemd/system
lib=$root/usr/lib/systemd/system
mkdir -p "$etc/multi-user.target.wants" "$lib/sockets.target.wants"

# expect NAME DESTINATION AUDITD JOURNALD WARNING TEXT: status's JSON "records" and its text line.
expect() {
    local name=$1 json text
    json=$("$seprov" status --root="$root" --json=short)
    text=$("$seprov" status --root="$root")
    python3 - "$json" "$2" "$3" "$4" "$5" <<'EOF_PY' || fail "$name: $json"
import json, sys
r = json.loads(sys.argv[1])["records"]
want = {"from": "unit-files", "destination": sys.argv[2], "auditd": sys.argv[3] == "true",
        "journaldAudit": sys.argv[4] == "true", "reliable": sys.argv[2] != "printk",
        "warning": sys.argv[5] == "true"}
sys.exit(0 if r == want else 1)
EOF_PY
    grep -qF -- "$6" <<<"$text" || fail "$name: no \"$6\" in: $text"
    if [ "$5" = true ]; then
        grep -q '^Warning: *audit.selinuxEvents is on, but nothing reliable receives' <<<"$text" ||
            fail "$name: no warning in: $text"
    else
        grep -q '^Warning:' <<<"$text" && fail "$name: a warning in: $text"
    fi
    return 0
}

expect neither printk false false false "Records:    only the kernel's rate-limited printk copies"
ln -s ../systemd-journald-audit.socket "$lib/sockets.target.wants/systemd-journald-audit.socket"
expect journald journald false true false "Records:    SELinux records go to the journal (systemd-journald-audit.socket enabled"
ln -s /usr/lib/systemd/system/auditd.service "$etc/multi-user.target.wants/auditd.service"
expect both auditd true true false "Records:    SELinux records go to auditd's log (auditd.service enabled)"
rm "$etc/multi-user.target.wants/auditd.service"
ln -s /dev/null "$etc/systemd-journald-audit.socket"
expect masked printk false false false "neither auditd.service nor systemd-journald-audit.socket is enabled"

# audit.selinuxEvents on: a warning where only printk copies receive the records, none otherwise.
mkdir -p "$root/etc/seprov/config.d"
printf '{"version":"1.0.0","selinux":{"audit":{"selinuxEvents":true}}}\n' >"$root/etc/seprov/config.d/50-audit.json"
expect events-printk printk false false true "Records:    only the kernel's rate-limited printk copies"
rm "$etc/systemd-journald-audit.socket"
expect events-journald journald false true false "systemd-journald-audit.socket enabled"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok: status says where SELinux records go in each unit setup"
