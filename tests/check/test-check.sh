#!/bin/bash
# End-to-end tests of `seprov check`: journals built at test time by systemd-journal-remote from
# export-format text (make-journal.sh), auditd logs, and the exact table, JSON and exit status; the
# suggested rules installed with semodule into a copy of Debian's whole store.
# Usage: test-check.sh SEPROV
# SEPROV_TEST_UPDATE=1 rewrites the expected files from the current output (review the diff!).
set -euo pipefail

seprov=$(realpath "${1:?usage: test-check.sh SEPROV}")
here=$(cd "$(dirname "$0")" && pwd)
journal_remote=/lib/systemd/systemd-journal-remote
if [ ! -x "$journal_remote" ]; then
    echo "SKIP: $journal_remote is missing (Debian package systemd-journal-remote)"
    exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC LC_ALL=C SYSTEMD_LOG_TARGET=console
failures=0
current=$(tr -d '-' </proc/sys/kernel/random/boot_id)

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# build_journal DIR [clean]
build_journal() {
    mkdir -p "$1"
    "$here/make-journal.sh" "$current" "${2:-}" >"$work/export"
    "$journal_remote" -o "$1/system.journal" "$work/export" 2>"$work/journal-remote.log" ||
        { cat "$work/journal-remote.log"; exit 1; }
}

# run NAME STATUS EXPECTED_FILE -- ARGS...: runs seprov check with ARGS (through "${wrap[@]}" when
# set). The exit status must be STATUS, and stdout, with the scratch directory, this directory and
# the boot ID replaced by @WORK@, @SRC@ and @BOOT@, must be EXPECTED_FILE ("-": not compared). stderr stays in
# $work/NAME.err.
wrap=()
run() {
    local name=$1 status=$2 expected=$3 got=0
    shift 4
    "${wrap[@]}" "$seprov" check "$@" >"$work/$name.out" 2>"$work/$name.err" || got=$?
    sed -i -e "s|$work|@WORK@|g" -e "s|$here|@SRC@|g" -e "s|$current|@BOOT@|g" "$work/$name.out"
    if [ "$got" != "$status" ]; then
        fail "$name: exit status $got, expected $status"
        cat "$work/$name.err"
    fi
    [ "$expected" = - ] && return 0
    if [ "${SEPROV_TEST_UPDATE:-0}" = 1 ]; then
        cp "$work/$name.out" "$here/expected/$expected"
    elif ! diff -u "$here/expected/$expected" "$work/$name.out"; then
        fail "$name: output differs from expected/$expected"
    fi
}

# stderr_has NAME TEXT
stderr_has() {
    grep -qF -- "$2" "$work/$1.err" || { fail "$1: stderr lacks \"$2\""; cat "$work/$1.err"; }
}

build_journal "$work/journal"
build_journal "$work/clean" clean
build_journal "$work/noaudit" noaudit
build_journal "$work/printk" printk

# The journal: only audit-transport AVC/USER_AVC/SELINUX_ERR records count; look-alikes do not.
run journal 1 journal.txt -- --journal-dir="$work/journal"
run journal-json 1 journal.json -- --journal-dir="$work/journal" --json
run journal-since 1 journal-since.txt -- --journal-dir="$work/journal" --since=@1700000150
run journal-since-local 1 journal-since.txt -- --journal-dir="$work/journal" --since="2023-11-14 22:15:50"
run journal-since-later 0 journal-since-later.txt -- --journal-dir="$work/journal" --since="2023-11-15"
run clean 0 clean.txt -- --journal-dir="$work/clean"
run clean-json 0 clean.json -- --journal-dir="$work/clean" --json
[ -s "$work/clean.err" ] && fail "clean: unexpected warning: $(cat "$work/clean.err")"
# No audit records at all: the kernel's printk copy is the last resort, read and marked as such.
run noaudit 1 - -- --journal-dir="$work/noaudit" --json
for want in '"denials": 1,' '"printkDenials": 1,' '"transport": "printk",' '"printkCount": 1,'; do
    grep -qF "$want" "$work/noaudit.out" || fail "noaudit: no $want"
done
# Nor a printk copy: "no denials" comes with a warning that the journal cannot tell.
run noaudit-since 0 - -- --journal-dir="$work/noaudit" --since=@1700000151
stderr_has noaudit-since "The journal has no audit records at all in the window read"
# Only printk copies (neither auditd nor journald's audit socket): every denial found, marked, with
# what the kernel's rate limit dropped; the copies' look-alikes are still no denials.
run printk 1 journal-printk.txt -- --journal-dir="$work/printk"
run printk-json 1 - -- --journal-dir="$work/printk" --json
for want in '"denials": 10,' '"printkDenials": 10,' '"printkSuppressed": 7,'; do
    grep -qF "$want" "$work/printk-json.out" || fail "printk-json: no $want"
done
[ "$(grep -c '"transport": "printk"' "$work/printk-json.out")" = 7 ] || fail "printk-json: not 7 printk groups"
grep -q '"transport": "audit"' "$work/printk-json.out" && fail "printk-json: a group marked audit"
# Where journald's audit socket took the boot's records, its printk copies are not counted again.
grep -qF '"printkDenials": 0,' "$work/journal-json.out" || fail "journal-json: printk copies counted"

# auditd's log, from a file and from standard input.
run auditlog 1 auditlog.txt -- --audit-log="$here/audit.log"
stderr_has auditlog "1 line not in auditd's raw format"
run auditlog-json 1 auditlog.json -- --audit-log="$here/audit.log" --json
run auditlog-stdin 1 - -- --audit-log=- --json <"$here/audit.log"
jq_groups() { sed -n '/"groups"/,$p' "$1"; }
diff <(jq_groups "$work/auditlog-json.out") <(jq_groups "$work/auditlog-stdin.out") >/dev/null ||
    fail "auditlog-stdin: groups differ from reading the file"
run auditlog-since 1 - -- --audit-log="$here/audit.log" --since=@1700000141
grep -q '^3 denials in 2 groups' "$work/auditlog-since.out" || fail "auditlog-since: wrong window"

# A USER_AVC whose caller's text (systemd's cmdline="...") forges fields, with an unterminated quote
# and a 0x1d in it, in auditd's ENRICHED format: only libselinux's trailing fields count.
{
    printf '%s' "type=USER_AVC msg=audit(1700000300.000:900): pid=1 uid=0 auid=4294967295 ses=4294967295 " \
        "subj=system_u:system_r:init_t:s0 msg='avc:  denied  { start } for auid=n/a uid=33 gid=33 " \
        "cmdline=\"/tmp/x\" scontext=unconfined_u:unconfined_r:unconfined_t:s0 tcontext=a:b:forged_t:s0 " \
        "tclass=file exe=\"/usr/bin/forged\" x=\"\"\" scontext=x:y:z_t "
    printf '\035UID="root" scontext=a:b:c_t tclass=forged'
    printf '%s' " function=\"method_start_unit\" scontext=system_u:system_r:httpd_t:s0 " \
        "tcontext=system_u:object_r:systemd_unit_t:s0 tclass=service permissive=0 " \
        "exe=\"/usr/lib/systemd/systemd\" sauid=0 hostname=? addr=? terminal=?'"
    printf '\035UID="root" AUID="unset" SAUID="root"\n'
} >"$work/forged.log"
run forged 1 - -- --audit-log="$work/forged.log" --json
for want in '"scontext": "system_u:system_r:httpd_t:s0"' '"tcontext": "system_u:object_r:systemd_unit_t:s0"' \
    '"tclass": "service"' '"comm": "systemd"' '"denials": 1,'; do
    grep -qF "$want" "$work/forged.out" || fail "forged: no $want"
done
! grep -q 'forged_t\|bin/forged\|unconfined_t\|"z_t\|"c_t\|"file"' "$work/forged.out" || fail "forged: $(cat "$work/forged.out")"

# The suggested rules compile and do what they say: on denials of types Debian's policy has
# (debian-denials.log), every rule seprov check suggests is installed with semodule, as one module,
# into a fixture root with the whole store, and the rebuilt policy then allows what was denied
# (sesearch), which the policy before did not.
run debian 1 - -- --audit-log="$here/debian-denials.log" --json
python3 -c 'import json, sys
for g in json.load(open(sys.argv[1]))["groups"]:
    print(g["suggestion"] or "")' "$work/debian.out" > "$work/seprov_suggested.cil"
[ "$(grep -c '^(allow ' "$work/seprov_suggested.cil")" -eq 6 ] ||
    fail "debian: expected 6 suggested rules, got: $(cat "$work/seprov_suggested.cil")"
"$here/../fixtures/make-root.sh" plain "$work/root" > /dev/null
policy_of() { local f=("$1"/etc/selinux/default/policy/policy.*); echo "${f[0]}"; }
old_policy=$(policy_of "$work/root")
cp "$old_policy" "$work/policy.before"
if ! semodule -p "$work/root" -n -i "$work/seprov_suggested.cil" > "$work/semodule.log" 2>&1; then
    fail "debian: semodule -i refuses the suggested rules: $(cat "$work/semodule.log")"
fi
grep -qx seprov_suggested <<<"$(semodule -p "$work/root" -l)" || fail "debian: the module is not in the store"
# Each rule: (allow SOURCE TARGET (CLASS (PERMISSION...))), "self" for the source type.
while read -r _ src tgt cls perms; do
    cls=${cls#(} perms=${perms//[()]/}
    [ "$tgt" = self ] && tgt=$src
    for perm in $perms; do
        q=(-A -s "$src" -t "$tgt" -c "$cls" -p "$perm")
        [ -z "$(sesearch "${q[@]}" "$work/policy.before")" ] ||
            fail "debian: the policy already allowed $src $tgt:$cls $perm (the denial proves nothing)"
        [ -n "$(sesearch "${q[@]}" "$(policy_of "$work/root")")" ] ||
            fail "debian: after semodule -i, the policy still denies $src $tgt:$cls $perm"
    done
done < <(grep '^(allow ' "$work/seprov_suggested.cil")

# Usage errors: 64, with a message that says what is wrong.
run bad-since 64 - -- --since=soon --journal-dir="$work/journal"
stderr_has bad-since 'Invalid --since="soon": use a time as journalctl reads it'
run bad-date 64 - -- --since="2023-02-30 00:00:00" --journal-dir="$work/journal"
stderr_has bad-date 'Invalid --since="2023-02-30 00:00:00"'
run bad-json 64 - -- --json=long --journal-dir="$work/journal"
stderr_has bad-json 'Unknown --json=long: use pretty, short or off.'

# journalctl's --since forms: the test journal's denials are of 2023, so none is this recent, and
# all are after a day of 2023 given with its weekday.
run since-relative 0 - -- --since=-1h --journal-dir="$work/journal"
grep -q '^No SELinux denials in the journal in .*, since ' "$work/since-relative.out" || fail "since-relative: $(cat "$work/since-relative.out")"
run since-yesterday 0 - -- --since=yesterday --journal-dir="$work/journal"
run since-ago 0 - -- --since="2 days ago" --journal-dir="$work/journal"
run since-weekday 1 - -- --since="Mon 2023-11-13 00:00" --journal-dir="$work/journal"
grep -q '^9 denials in ' "$work/since-weekday.out" || fail "since-weekday: $(cat "$work/since-weekday.out")"
run since-wrong-weekday 64 - -- --since="Sun 2023-11-13 00:00" --journal-dir="$work/journal"
# --json=short: the same document on one line; --json=off: the table.
run journal-json-short 1 - -- --journal-dir="$work/journal" --json=short
[ "$(wc -l <"$work/journal-json-short.out")" -eq 1 ] || fail "journal-json-short: not one line"
cmp -s <(python3 -m json.tool --sort-keys "$work/journal-json-short.out") \
    <(python3 -m json.tool --sort-keys "$work/journal-json.out") || fail "journal-json-short: another document than --json"
run journal-json-off 1 journal.txt -- --journal-dir="$work/journal" --json=off

# Input of which no line is an audit record is no all-clear: 2, and says why.
printf 'Nov 14 22:15:00 host kernel: something\nnot an audit line\n' >"$work/garbage.log"
run garbage-log 2 - -- --audit-log="$work/garbage.log"
stderr_has garbage-log "$work/garbage.log: none of its 2 lines is an audit record in auditd's raw format"
run garbage-stdin 2 - -- --audit-log=- <"$work/garbage.log"
stderr_has garbage-stdin "standard input: none of its 2 lines is an audit record"
# Records in auditd's format that cannot be read (a field missing, cut off) are said to be that, with
# their line numbers; cut off inside "denied" is no notice to skip; a directory is said to be one.
avc='type=AVC msg=audit(1700000000.123:45): avc:  denied  { read } for  pid=1 comm="x" name="y" ino=5 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:etc_t:s0 tclass=file permissive=0'
printf '%s\n' "${avc/ tclass=file/}" >"$work/notclass.log"
run notclass-log 2 - -- --audit-log="$work/notclass.log" --since=2023-01-01
stderr_has notclass-log "$work/notclass.log: its 1 SELinux record could not be read (cut off, or a field such as tclass= missing; line 1): nothing was checked."
printf '%s\n%s\n' "$avc" "${avc:0:48}" >"$work/cut.log"
run cut-log 1 - -- --audit-log="$work/cut.log" --since=2023-01-01
stderr_has cut-log "$work/cut.log: 1 SELinux record that could not be read (cut off, or a field missing; line 2), ignoring."
run dir-log 2 - -- --audit-log="$work"
stderr_has dir-log "Failed to read audit log $work: Is a directory"
# An empty log is a clean one.
run empty-log 0 - -- --audit-log=/dev/null
# Both sources at once: the denials of both, in one set of groups.
run both-sources 1 - -- --journal-dir="$work/journal" --audit-log="$here/audit.log" --json
[ "$(jq .denials "$work/both-sources.out")" = $(($(jq .denials "$work/journal-json.out") + $(jq .denials "$work/auditlog-json.out"))) ] ||
    fail "both-sources: $(jq .denials "$work/both-sources.out") denials"
run extra-arg 64 - -- --journal-dir="$work/journal" foo
run unknown-option 64 - -- --bogus

# Unreadable sources: 2, never "no denials".
run missing-dir 2 - -- --journal-dir="$work/nonexistent"
mkdir "$work/empty"
run empty-dir 2 - -- --journal-dir="$work/empty"
stderr_has empty-dir "No journal files in $work/empty."
run missing-log 2 - -- --audit-log="$work/nonexistent.log"
stderr_has missing-log "Failed to open audit log $work/nonexistent.log"

# The default source, the local journal of the current boot: the test journal is mounted where
# journald keeps its files, in a private mount namespace.
# shellcheck disable=SC2016 # expanded by the inner shell
local_journal() {
    unshare --mount bash -c '
        mount -t tmpfs tmpfs /run/log/journal 2>/dev/null || true
        mount --bind "$1" /var/log/journal
        shift
        exec "$@"' - "$work/local" "$@"
}
machine_id=$(cat /etc/machine-id 2>/dev/null || true)
if [ -n "$machine_id" ] && [ -d /var/log/journal ] && unshare --mount true 2>/dev/null; then
    mkdir -p "$work/local/$machine_id"
    cp "$work/journal/system.journal" "$work/local/$machine_id/"
    wrap=(local_journal)
    # Current boot only: the previous boot's container_t denial is not there.
    run local 1 local.txt --
    # --since spans boots, as journalctl's does.
    run local-since 1 local-since.txt -- --since=@1699999999
    wrap=()
else
    echo "SKIP: local journal cases (needs /etc/machine-id, /var/log/journal and mount namespaces)"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all check cases passed"
