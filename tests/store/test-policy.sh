#!/bin/bash
# dontaudit, booleans and modules in the writable store through libsemanage: applied in one rebuild,
# visible in the compiled policy (setools) and to semodule, labelled, not redone on a second apply,
# and undone when the config drops them.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

dontaudit_rules() {
    sesearch --dontaudit "$(policy_file)" | wc -l
}

bool_in_policy() {
    seinfo -x -b "$1" "$(policy_file)" | grep -oE "bool $1 (true|false)" | awk '{print $3}'
}

type_in_policy() {
    seinfo -t "$1" "$(policy_file)" | grep -qx "   $1"
}

setup flatcar-legacy
make_module seprova /usr/share/seprov-test/seprova.cil
make_module seprovb /usr/share/seprov-test/seprovb.cil
image_rules=$(sesearch --dontaudit "$ROOT/usr/lib/selinux/default/policy/policy.33" | wc -l)
config '{"store":"writable","dontaudit":false,
         "booleans":[{"name":"httpd_can_network_connect","value":true}],
         "modules":[{"name":"seprova","source":"/usr/share/seprov-test/seprova.cil"},
                    {"name":"seprovb","source":"/usr/share/seprov-test/seprovb.cil","priority":450}]}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules disabled'
expect_out '^boolean changed httpd_can_network_connect=on \(persistent\)'
expect_out '^module changed seprova installed at priority 400'
expect_out '^module changed seprovb installed at priority 450'
[ -e "$ROOT/var/lib/selinux/default/active/disable_dontaudit" ] || fail "disable_dontaudit not set"
[ "$(dontaudit_rules)" -lt "$image_rules" ] || fail "the compiled policy still has $image_rules dontaudit rules"
[ "$(bool_in_policy httpd_can_network_connect)" = true ] || fail "the boolean is not on in the compiled policy"
type_in_policy seprova_t || fail "seprova's type is not in the compiled policy"
type_in_policy seprovb_t || fail "seprovb's type is not in the compiled policy"
modules_of | grep -qx seprova || fail "semodule does not list seprova"
[ -d "$ROOT/var/lib/selinux/default/active/modules/450/seprovb" ] || fail "seprovb not at priority 450"
labels_ok /var/lib/selinux /etc/selinux/default
status > "$OUT"
expect_out '^dontaudit: disabled$'
expect_out '^booleans: \[httpd_can_network_connect=on\]$'
expect_out '^modules: .*\[seprova@400\]'
ok "dontaudit off, a boolean and two modules in one transaction"

before=$(CTIME=1 digest /var/lib/selinux /etc/selinux)
apply
expect_rc 0
expect_no_out ' (changed|planned|failed) '
[ "$before" = "$(CTIME=1 digest /var/lib/selinux /etc/selinux)" ] || fail "the second apply changed the store"
ok "a second apply rebuilds nothing"

# Dropped from the config: seprova goes, the boolean returns to the policy's default; seprovb's
# source changed: it is installed again.
printf '(type seprovb2_t)\n(roletype object_r seprovb2_t)\n' > "$ROOT/usr/share/seprov-test/seprovb.cil"
config '{"dontaudit":true,
         "modules":[{"name":"seprovb","source":"/usr/share/seprov-test/seprovb.cil","priority":450}]}'
apply
expect_rc 0
expect_out '^dontaudit changed dontaudit rules enabled'
expect_out '^module changed seprova removed from priority 400'
expect_out '^module changed seprovb installed at priority 450'
expect_out '^boolean changed httpd_can_network_connect returned to the policy'
[ ! -e "$ROOT/var/lib/selinux/default/active/disable_dontaudit" ] || fail "disable_dontaudit still set"
[ "$(dontaudit_rules)" -eq "$image_rules" ] || fail "dontaudit rules: $(dontaudit_rules), the image has $image_rules"
[ "$(bool_in_policy httpd_can_network_connect)" = false ] || fail "the boolean is not back to its default"
# semodule itself must answer: a failing one would list nothing, seprova included.
modules=$(modules_of) || fail "semodule -l fails on the store"
! grep -qx seprova <<< "$modules" || fail "seprova is still installed"
type_in_policy seprovb2_t || fail "seprovb was not installed again"
grep -q seprova "$ROOT/var/lib/selinux/default/.seprov-managed" && fail "the manifest still lists seprova"
labels_ok /var/lib/selinux /etc/selinux/default
ok "dontaudit back on, dropped module and boolean undone, changed module reinstalled"
