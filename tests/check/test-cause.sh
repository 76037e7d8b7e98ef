#!/bin/bash
# The cause seprov check gives each denial, against Debian's selinux-policy-default in a fixture
# root: every record of cause-corpus.log must get the cause cause-expected.txt gives it, and, where
# audit2why (policycoreutils) can answer, the verdict audit2why gives for the same record on the
# same policy, booleans included. Then --fix: its drop-in and module, applied to that root.
# Usage: test-cause.sh SEPROV
set -euo pipefail

seprov=$(realpath "${1:?usage: test-cause.sh SEPROV}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/tmpdir.sh
. "$here/../tmpdir.sh"
if ! command -v audit2why >/dev/null; then
    echo "SKIP: audit2why is missing (Debian package policycoreutils-python-utils)"
    exit 77
fi

work=$(mktemp -d "$(test_tmpdir)/seprov-cause.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LC_ALL=C
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

"$here/../fixtures/make-root.sh" plain "$work/root" >/dev/null
policy=("$work"/root/etc/selinux/default/policy/policy.*)
corpus=$here/cause-corpus.log

# seprov's verdicts, by the audit serial of each group's first record: SERIAL CAUSE [NAME=VALUE...].
# The serial is found again from the record's contexts, class and permissions.
status=0
"$seprov" check --root="$work/root" --audit-log="$corpus" --json >"$work/check.json" 2>"$work/check.err" || status=$?
[ "$status" = 1 ] || { fail "check --root: exit status $status, expected 1"; cat "$work/check.err"; }
serial_of() { # SCONTEXT TCONTEXT TCLASS PERMS...
    local s=$1 t=$2 c=$3
    shift 3
    grep -F "scontext=$s tcontext=$t tclass=$c " "$corpus" | grep -F "{ $* }" |
        sed -n 's/.*msg=audit([0-9.]*:\([0-9]*\)).*/\1/p' | head -n1
}
jq -r '.groups[] | [.scontext, .tcontext, .tclass, (.permissions | join(" ")), .cause,
    ([.booleans[] | "\(.name)=\(.value)"] | join(" "))] | @tsv' "$work/check.json" |
    while IFS=$'\t' read -r s t c perms cause bools; do
        # shellcheck disable=SC2086 # the permissions are words
        echo "$(serial_of "$s" "$t" "$c" $perms) $cause${bools:+ $bools}"
    done | sort >"$work/seprov.txt"

# audit2why's verdicts in the same words, for the records it can answer.
audit2why -p "${policy[0]}" -i "$corpus" >"$work/audit2why.out" 2>"$work/audit2why.err" || true
awk '
    function flush() { if (serial != "") print serial, verdict bools; serial = "" }
    /^type=/ { flush(); serial = $0; sub(/.*msg=audit\([0-9.]*:/, "", serial); sub(/\).*/, "", serial)
               verdict = "?"; bools = ""; next }
    /Missing type enforcement/ { verdict = "rule" }
    /was set incorrectly/ { verdict = "boolean" }
    /setsebool -P/ { bools = bools " " $4 "=" ($5 == 1 ? "true" : "false") }
    /Constraint rule/ { verdict = "constraint" }
    /would be allowed by active policy/ { verdict = "allowed" }
    END { flush() }' "$work/audit2why.out" | sort >"$work/audit2why.txt"

# Each record: seprov's verdict is the expected one, and audit2why's where it has one.
n_compared=0
while read -r serial cause rest; do
    case $serial in '' | '#'*) continue ;; esac
    own=false bools=$rest
    if [ "${rest%% *}" = own ]; then own=true bools=; fi
    want="$serial $cause${bools:+ $bools}"
    got=$(grep "^$serial " "$work/seprov.txt" || true)
    [ "$got" = "$want" ] || fail "record $serial: seprov says '${got:-nothing}', expected '$want'"
    theirs=$(grep "^$serial " "$work/audit2why.txt" || true)
    if $own; then
        [ "$cause" = unlabeled ] && [ "$theirs" = "$serial rule" ] && continue # a rule, says audit2why
        [ -z "$theirs" ] || fail "record $serial: audit2why answers '$theirs': compare with it"
        grep -q "libsepol" "$work/audit2why.err" || fail "record $serial: audit2why gave up without libsepol's errors"
    else
        [ "$theirs" = "$want" ] || fail "record $serial: audit2why says '${theirs:-nothing}', seprov expects '$want'"
        n_compared=$((n_compared + 1))
    fi
done <"$here/cause-expected.txt"
[ "$n_compared" -ge 9 ] || fail "only $n_compared verdicts compared with audit2why"

# --policy=FILE reads that policy: the same verdicts as through --root.
"$seprov" check --policy="${policy[0]}" --audit-log="$corpus" --json >"$work/policy.json" 2>&1 || true
cmp -s <(jq -S .groups "$work/check.json") <(jq -S .groups "$work/policy.json") ||
    fail "--policy: other verdicts than --root"
jq -e --arg p "${policy[0]}" '.policy == $p' "$work/policy.json" >/dev/null || fail "--policy: no \"policy\" path"

# The JSON contract: suggestion only for rule, booleans only for boolean, constraint only for
# constraint; and the text output says each group's cause and fix on its own line.
jq -e '[.groups[] | select((.suggestion != null) != (.cause == "rule"))] | length == 0' "$work/check.json" >/dev/null ||
    fail "a suggestion outside rule groups"
jq -e '[.groups[] | select((.booleans | length > 0) != (.cause == "boolean"))] | length == 0' "$work/check.json" >/dev/null ||
    fail "booleans outside boolean groups"
jq -e '[.groups[] | select((.constraint != null) != (.cause == "constraint"))] | length == 0' "$work/check.json" >/dev/null ||
    fail "a constraint text outside constraint groups"
jq -e '.groups[] | select(.tcontextType == "svirt_image_t") | .constraint | test("levels differ: source s0:c1,c2, target s0:c3,c4")' \
    "$work/check.json" >/dev/null || fail "the MCS constraint does not name the levels"
"$seprov" check --root="$work/root" --audit-log="$corpus" >"$work/check.txt" 2>&1 || true
for cause in rule boolean constraint allowed unknown-type unlabeled role; do
    grep -qE "^ +[0-9]+  $cause: .*; fix: " <(sed -e ':a' -e 'N' -e '$!ba' -e 's/\n       / /g' "$work/check.txt") ||
        fail "text: no '$cause: ...; fix: ...' line"
done

# Bad input changes nothing and says why: a file that is no policy, a root without one.
printf 'not a policy' >"$work/bogus.33"
status=0
"$seprov" check --policy="$work/bogus.33" --audit-log="$corpus" >/dev/null 2>"$work/bogus.err" || status=$?
[ "$status" = 2 ] || fail "--policy=bogus: exit status $status, expected 2"
grep -q "Cannot read the policy $work/bogus.33: libsepol: " "$work/bogus.err" || fail "--policy=bogus: $(cat "$work/bogus.err")"
mkdir -p "$work/bare/etc"
status=0
"$seprov" check --root="$work/bare" --audit-log="$corpus" --json >"$work/bare.json" 2>"$work/bare.err" || status=$?
[ "$status" = 1 ] || fail "bare root: exit status $status, expected 1"
grep -q "No compiled policy in /etc/selinux/targeted/policy/ under $work/bare" "$work/bare.err" ||
    fail "bare root: $(cat "$work/bare.err")"
jq -e '[.groups[] | select(.cause != null)] | length == 0' "$work/bare.json" >/dev/null || fail "bare root: causes without a policy"

# --fix: the drop-in and the module pass validate, and applied to the fixture root they make every
# rule and boolean group's access allowed: seprov's own recomputation on the rebuilt policy, and
# audit2why's on the same policy, say so; the other groups keep their causes.
status=0
"$seprov" check --root="$work/root" --audit-log="$corpus" --fix="$work/fix" --json >"$work/fix.json" 2>"$work/fix.err" || status=$?
[ "$status" = 1 ] || { fail "--fix: exit status $status, expected 1"; cat "$work/fix.err"; }
dropin=$work/fix/etc/seprov/config.d/50-seprov-check.json
module=$work/fix/etc/seprov/modules/seprov_check_dhcpc_t_httpd_t.cil
{ [ -f "$dropin" ] && [ -f "$module" ]; } || fail "--fix: wrote $(cd "$work/fix" && find . -type f)"
jq -e '.fix.module == "seprov_check_dhcpc_t_httpd_t" and .fix.priority == 400 and .fix.rules == 2' \
    "$work/fix.json" >/dev/null || fail "--fix: JSON $(jq -c .fix "$work/fix.json")"
[ "$(jq -c '[.selinux.booleans[] | "\(.name)=\(.value)"] | sort' "$dropin")" = \
    '["allow_execmem=true","httpd_builtin_scripting=true","httpd_can_network_connect=true","httpd_read_user_content=true"]' ] ||
    fail "--fix: booleans $(jq -c .selinux.booleans "$dropin")"
[ "$(grep -c '^(allow ' "$module")" = 2 ] || fail "--fix: module $(cat "$module")"
"$seprov" validate "$dropin" >"$work/validate.out" 2>&1 || fail "--fix: validate: $(cat "$work/validate.out")"
jq -r '.groups[] | select(.cause == "rule" or .cause == "boolean") | [.scontext, .tcontext, .tclass,
    (.permissions | join(" "))] | @tsv' "$work/fix.json" >"$work/fixed.tsv"
cp -a "$work/fix/." "$work/root/"
"$seprov" validate --root="$work/root" "$work/root/etc/seprov/config.d/50-seprov-check.json" >"$work/validate-root.out" 2>&1 ||
    fail "--fix: validate --root: $(cat "$work/validate-root.out")"
"$seprov" apply --root="$work/root" >"$work/apply.out" 2>&1 || fail "--fix: apply: $(cat "$work/apply.out")"
"$seprov" check --root="$work/root" --audit-log="$corpus" --json >"$work/after.json" 2>&1 || true
audit2why -p "${policy[0]}" -i "$corpus" >"$work/after-audit2why.out" 2>/dev/null || true
n_fixed=0
while IFS=$'\t' read -r s t c perms; do
    cause=$(jq -r --arg s "$s" --arg t "$t" --arg c "$c" --arg p "$perms" \
        '.groups[] | select(.scontext == $s and .tcontext == $t and .tclass == $c and (.permissions | join(" ")) == $p) | .cause' \
        "$work/after.json")
    [ "$cause" = allowed ] || fail "--fix: after apply, $s $t:$c { $perms } is '$cause', not allowed"
    # shellcheck disable=SC2086 # the permissions are words
    serial=$(serial_of "$s" "$t" "$c" $perms)
    awk -v s="$serial" '/^type=/ { on = index($0, ":" s "):") > 0 } on' "$work/after-audit2why.out" |
        grep -q 'would be allowed by active policy' || fail "--fix: audit2why still denies record $serial"
    n_fixed=$((n_fixed + 1))
done <"$work/fixed.tsv"
[ "$n_fixed" = 6 ] || fail "--fix: $n_fixed rule and boolean groups, expected 6"
cmp -s <(jq -c '.groups[] | select(.cause != "allowed") | [.scontext, .tcontext, .cause]' "$work/after.json") \
    <(jq -c '.groups[] | select(.cause != "allowed" and .cause != "rule" and .cause != "boolean") | [.scontext, .tcontext, .cause]' \
        "$work/check.json") || fail "--fix: the other groups' causes changed"
# Nothing to fix by config (constraints, unknown types): nothing written, and the text says so.
grep -E 'msg=audit\([0-9.]*:(506|508)\)' "$corpus" >"$work/unfixable.log"
"$seprov" check --root="$work/root" --audit-log="$work/unfixable.log" --fix="$work/nofix" >"$work/nofix.out" 2>&1 || true
[ ! -e "$work/nofix" ] || fail "--fix: wrote $work/nofix for groups no config fixes"
grep -q -- "--fix: nothing written to $work/nofix" "$work/nofix.out" || fail "--fix: $(cat "$work/nofix.out")"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all cause cases passed ($n_compared verdicts the same as audit2why's, $n_fixed groups fixed by --fix)"
