#!/bin/bash
# OS updates: when the image's store changes under the writable copy, the copy is rebuilt from the
# new image and the local changes survive (modules at local priorities, booleans, dontaudit, what
# seprov installed). Then store: image: refused while local changes exist, allowed with
# discardLocalChanges, and the image's links come back.
# shellcheck source=tests/store/lib.sh disable=SC2119 # apply takes optional arguments
. "$(dirname "$0")/lib.sh"

setup flatcar-legacy
make_module seprovlocal /usr/share/seprov-test/seprovlocal.cil
config '{"store":"writable","dontaudit":false,
         "booleans":[{"name":"httpd_can_network_connect","value":true}],
         "modules":[{"name":"seprovlocal","source":"/usr/share/seprov-test/seprovlocal.cil"}]}'
apply
expect_rc 0
status > "$OUT"
expect_out '^state: writable$'

image_update seprovupdate
status > "$OUT"
expect_out '^state: stale$'
expect_out '^policy-stale: yes$'
expect_out '^local-changes: .*\[modules at priority 400: seprovlocal\]'
apply
expect_rc 0
expect_out '^store changed copied the updated /usr/lib/selinux/policy/default to /var/lib/selinux/default, '\
'3 local changes carried over'
expect_out '^store changed copied the updated /usr/lib/selinux/default to /etc/selinux/default'
expect_out '^store changed rebuilt the policy \(OS update\)'
expect_no_out '^(module|boolean|dontaudit) changed'
policy=$(policy_file)
seinfo -t seprovupdate_t "$policy" | grep -qx '   seprovupdate_t' || fail "the update's module is not in the policy"
seinfo -t seprovlocal_t "$policy" | grep -qx '   seprovlocal_t' || fail "the local module is lost"
seinfo -x -b httpd_can_network_connect "$policy" | grep -q 'httpd_can_network_connect true' ||
    fail "the boolean is lost"
[ -e "$ROOT/var/lib/selinux/default/active/disable_dontaudit" ] || fail "dontaudit: false is lost"
[ -d "$ROOT/var/lib/selinux/default/active/modules/100/seprovupdate" ] || fail "the new image's module is missing"
labels_ok /var/lib/selinux /etc/selinux/default
status > "$OUT"
expect_out '^state: writable$'
expect_out '^rebuild-pending: no$'
apply
expect_rc 0
expect_no_out ' (changed|failed) '
ok "an OS update rebuilds the copy and keeps the local changes"

before=$(CTIME=1 digest /var/lib /etc/selinux)
config '{"store":"image","dontaudit":false,
         "booleans":[{"name":"httpd_can_network_connect","value":true}],
         "modules":[{"name":"seprovlocal","source":"/usr/share/seprov-test/seprovlocal.cil"}]}'
apply
expect_rc 2
expect_out "^store failed returning to the image's store is refused: /var/lib/selinux/default has local changes "\
'\(.*booleans.local.*\); set discardLocalChanges: true'
[ "$before" = "$(CTIME=1 digest /var/lib /etc/selinux)" ] || fail "the refused return changed something"
ok "store: image refused with local changes"

config '{"store":"image","discardLocalChanges":true}'
apply
expect_rc 0
expect_out '^store changed returned to the image.s store, local changes discarded'
[ "$(readlink "$ROOT/var/lib/selinux")" = ../../usr/lib/selinux/policy ] ||
    fail "/var/lib/selinux is not the image's link"
[ "$(readlink "$ROOT/etc/selinux/default")" = ../../usr/lib/selinux/default ] ||
    fail "/etc/selinux/default is not the image's link"
[ -z "$(find "$ROOT/var/lib" "$ROOT/etc/selinux" -name '.#seprov-staging.*')" ] || fail "staging leftovers"
status > "$OUT"
expect_out '^state: image$'
ok "store: image with discardLocalChanges puts the image's links back"

# Without local changes, the return needs no force.
setup flatcar-legacy
config '{"store":"writable"}'
apply
config '{"store":"image"}'
apply
expect_rc 0
expect_out '^store changed returned to the image.s store$'
[ -L "$ROOT/var/lib/selinux" ] || fail "not returned"
apply
expect_rc 0
expect_out '^store unchanged /var/lib/selinux/default is the image.s'
ok "store: image without local changes"

# Flatcar current: the compiled policy is /etc's own (an overlay), not a copy seprov can refresh:
# after an OS update the policy is rebuilt from the new store, even without local changes.
setup flatcar-current
config '{"store":"writable"}'
apply
expect_rc 0
image_update seprovupdate
apply
expect_rc 0
expect_out '^store changed copied the updated /usr/lib/selinux/policy/default to /var/lib/selinux/default, '\
'0 local changes carried over'
expect_out '^store changed rebuilt the policy \(OS update\)'
seinfo -t seprovupdate_t "$(policy_file)" | grep -qx '   seprovupdate_t' ||
    fail "the update's module is not in /etc's policy"
labels_ok /var/lib/selinux /etc/selinux/default
ok "flatcar-current: an OS update rebuilds /etc's compiled policy"
