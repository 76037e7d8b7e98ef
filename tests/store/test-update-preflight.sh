#!/bin/bash
# OS updates and preflight, with seprov apply itself: on the apply that follows an OS update,
# preflight checks the config's booleans against the policy the rebuild starts from, the new
# image's, not the old image's copy in /etc/selinux. A boolean only the new image declares is set
# in the same apply that follows the update; before, the whole apply was refused, which left the
# machine on the old image's policy (the frozen policy seprov exists to prevent).
# Arguments: the store driver (unused here, for lib.sh) and the seprov binary.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"
SEPROV=${2:?usage: $0 STORE_APPLY SEPROV}

# seprov_apply: seprov apply on the root, /usr read-only; output in $OUT, exit code in $RC.
seprov_apply() {
    RC=0
    ro_usr "$SEPROV" --root="$ROOT" apply > "$OUT" 2>&1 || RC=$?
}

setup flatcar-legacy
config '{"store":"writable"}'
seprov_apply
expect_rc 0
image_update seprovupdate '(boolean seprovupdate_on false)'
config '{"store":"writable","booleans":[{"name":"seprovupdate_on","value":true}]}'
seprov_apply
expect_rc 0
expect_out 'store: copied the updated /usr/lib/selinux/policy/default to /var/lib/selinux/default'
expect_out 'boolean: seprovupdate_on=on \(persistent\)'
grep -qx 'seprovupdate_on=1' "$ROOT/var/lib/selinux/default/active/booleans.local" ||
    fail "the new image's boolean is not in booleans.local"
seinfo -x -b seprovupdate_on "$(policy_file)" | grep -q 'seprovupdate_on true' ||
    fail "the new image's boolean is not on in the compiled policy"
ok "after an OS update, a boolean the new image declares is checked against it, and set"

# A boolean neither image has is still refused, naming the policy it was looked up in: the new
# image's, while the copy is stale.
image_update seprovupdate2
config '{"store":"writable","booleans":[{"name":"seprovupdate_of","value":true}]}'
before=$(CTIME=1 digest /var/lib /etc/selinux)
seprov_apply
expect_rc 1
expect_out 'boolean "seprovupdate_of" is not in the policy \(/usr/lib/selinux/policy/default/active/policy\.kern\), did you mean "seprovupdate_on"\?'
[ "$before" = "$(CTIME=1 digest /var/lib /etc/selinux)" ] || fail "the refused apply changed something"
ok "after an OS update, a misspelt boolean is refused against the new image's policy"
