#!/bin/bash
# seprov check across machines: journals that systemd-journal-remote built from several synthetic
# machines' entries, as its output directory holds them (one file per sender, and one file for all
# with --split-mode=none), and auditd logs with node= and without; each group must say on how many
# machines (by _MACHINE_ID, node=, or the log) it was seen, and their host names.
# Usage: test-fleet.sh SEPROV
set -euo pipefail

seprov=$(realpath "${1:?usage: test-fleet.sh SEPROV}")
journal_remote=/lib/systemd/systemd-journal-remote
if [ ! -x "$journal_remote" ]; then
    echo "SKIP: $journal_remote is missing (Debian package systemd-journal-remote)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# export MACHINE_NUMBER: the export text of one machine's journal. Every machine denies the
# container write; machines 1 and 2 also the httpd read; machine 3 only logs something else.
export_of() {
    local m=$1 serial=100 t
    local id host
    id=$(printf '%032x' $((0xabc0 + m)))
    host=node$m
    entry() {
        t=$((1700000000 + m * 10 + serial))
        printf '__REALTIME_TIMESTAMP=%d000000\n__MONOTONIC_TIMESTAMP=%d000000\n_BOOT_ID=%032x\n_MACHINE_ID=%s\n_HOSTNAME=%s\n' \
            "$t" "$serial" $((0xb00 + m)) "$id" "$host"
        printf '%s\n' "$@" ''
        serial=$((serial + 1))
    }
    avc() {
        entry _TRANSPORT=audit _AUDIT_TYPE=1400 _AUDIT_TYPE_NAME=AVC "_AUDIT_ID=$serial" SYSLOG_IDENTIFIER=audit \
            "MESSAGE=AVC avc:  denied  { $1 } for  pid=$((100 + m)) comm=\"$2\" scontext=$3 tcontext=$4 tclass=$5 permissive=1"
    }
    entry _TRANSPORT=stdout SYSLOG_IDENTIFIER=kubelet 'MESSAGE=started'
    if [ "$m" -le 4 ]; then
        avc write cp system_u:system_r:container_t:s0:c1,c2 system_u:object_r:usr_t:s0 dir
        avc write cp system_u:system_r:container_t:s0:c3,c4 system_u:object_r:usr_t:s0 dir
    fi
    if [ "$m" -le 2 ]; then
        avc read apache2 system_u:system_r:httpd_t:s0 system_u:object_r:shadow_t:s0 file
    fi
}

# journal-remote's default output: one file per machine in one directory.
mkdir -p "$work/split" "$work/none"
for m in 1 2 3 4 5; do
    export_of "$m" >"$work/m$m.export"
    "$journal_remote" -o "$work/split/remote-node$m.journal" "$work/m$m.export" 2>>"$work/jr.log" ||
        { cat "$work/jr.log"; exit 1; }
done
# --split-mode=none: every machine's entries in one file.
cat "$work"/m[1-5].export >"$work/all.export"
"$journal_remote" --split-mode=none -o "$work/none/all.journal" "$work/all.export" 2>>"$work/jr.log" ||
    { cat "$work/jr.log"; exit 1; }

summary() { # the groups as "TCONTEXTTYPE MACHINES HOSTS COUNT"
    jq -r '.groups[] | "\(.tcontextType) \(.machines) \(.hosts | join(",")) \(.count)"' "$1" | sort
}
want=$'shadow_t 2 node1,node2 2\nusr_t 4 node1,node2,node3,node4 8'
for layout in split none; do
    status=0
    "$seprov" check --journal-dir="$work/$layout" --json >"$work/$layout.json" 2>"$work/$layout.err" || status=$?
    [ "$status" = 1 ] || { fail "$layout: exit status $status"; cat "$work/$layout.err"; }
    [ "$(summary "$work/$layout.json")" = "$want" ] || fail "$layout: $(summary "$work/$layout.json")"
    jq -e '.machines == 4' "$work/$layout.json" >/dev/null || fail "$layout: machines $(jq .machines "$work/$layout.json")"
done
"$seprov" check --journal-dir="$work/split" >"$work/split.txt" 2>&1 || true
grep -q 'on 4 of 4 machines: node1, node2, node3, node4' "$work/split.txt" || fail "text: $(cat "$work/split.txt")"

# Several inputs at once, journals and audit logs: a log with node= counts its nodes, one without
# counts as one machine. The same denial in all of them is one group.
printf 'node=node9 type=AVC msg=audit(1700000500.000:7): avc:  denied  { read } for  pid=1 comm="apache2" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=1\n' >"$work/node9.log"
# node9 and node8 use the same serial and time: two events, not one.
sed 's/node9/node8/' "$work/node9.log" >"$work/node8.log"
cat "$work/node8.log" >>"$work/node9.log"
printf 'type=AVC msg=audit(1700000600.000:7): avc:  denied  { read } for  pid=1 comm="apache2" scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=1\n' >"$work/plain.log"
"$seprov" check --journal-dir="$work/split" --audit-log="$work/node9.log" --audit-log="$work/plain.log" --json \
    >"$work/many.json" 2>"$work/many.err" || true
want=$'shadow_t 5 node1,node2,node9,node8 5\nusr_t 4 node1,node2,node3,node4 8'
[ "$(summary "$work/many.json")" = "$want" ] || fail "many: $(summary "$work/many.json")"
jq -e '[.sources[].type] == ["journal-dir", "audit-log", "audit-log"] and .machines == 7' "$work/many.json" >/dev/null ||
    fail "many: sources $(jq -c '[.sources, .machines]' "$work/many.json")"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all fleet cases passed"
